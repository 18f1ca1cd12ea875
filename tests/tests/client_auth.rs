//! Credentials from the specs' security schemes: each vendor's headers go on every secured
//! call (Lucca's `lucca application=` prefix, Lagerkoll's two alternative sets, Cegid's two
//! gateway headers). That no credential shows in `Debug` output, errors, logs or traces is
//! `client_secrets.rs`; that none leaves the API's origin is `client_redirects.rs`.

use serde_json::json;
use vendor_clients::common::Secret;
use vendor_clients::{cegid, lagerkoll, lucca};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-do-not-print";

#[tokio::test]
async fn lucca_sends_its_key_after_the_documented_prefix() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cleemy-procurement/api/costcenters/12"))
        .and(header(
            "Authorization",
            format!("lucca application={KEY}").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 12, "name": "R&D", "code": "RD"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(lucca::Credentials {
            lucca_api_key: Secret::new(KEY),
        });
    let cost_center = client.get_cost_center(12).await.expect("authorized");
    assert_eq!(cost_center.code, "RD");
}

#[tokio::test]
async fn lagerkoll_sends_the_set_of_headers_the_caller_picked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("store", "1234"))
        .and(header("api_key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"since": 1, "costCenters": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(header("store", "1234"))
        .and(header("user_id", "77"))
        .and(header("user_token", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let machine = lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(lagerkoll::Credentials::StoreApiKey {
            store: "1234".into(),
            api_key: KEY.into(),
        });
    machine.get_cost_center(7).await.expect("authorized by key");
    let person = lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(lagerkoll::Credentials::StoreUserIdUserToken {
            store: "1234".into(),
            user_id: "77".into(),
            user_token: KEY.into(),
        });
    person
        .delete_cost_center(7)
        .await
        .expect("authorized by user token");
}

#[tokio::test]
async fn cegid_sends_both_gateway_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/getstatus"))
        .and(query_param(
            "accountingImportRequestId",
            "ca85671e-6f98-4c2e-b075-c5cd9fea57ed",
        ))
        .and(header("x-apikey", KEY))
        .and(header("Ocp-Apim-Subscription-Key", "sub-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "Done"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(cegid::Credentials {
            api_key: KEY.into(),
            subscription_key: "sub-key".into(),
        });
    let params = cegid::client::GetStatusParams {
        accounting_import_request_id: "ca85671e-6f98-4c2e-b075-c5cd9fea57ed".parse().expect("a uuid"),
    };
    let status = client.get_status(&params).await.expect("authorized");
    assert_eq!(status["state"], json!("Done"));
}

#[tokio::test]
async fn a_credential_http_cannot_carry_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(lucca::Credentials {
            lucca_api_key: Secret::new(format!("{KEY}\r\nX-Injected: 1")),
        });
    match client.get_cost_center(12).await {
        Err(lucca::Error::InvalidRequest { message, .. }) => assert!(!message.contains(KEY), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}
