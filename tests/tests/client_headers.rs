//! One header, one value on the wire: a header a caller adds with `with_header` takes the
//! place of the call's own of that name and of an earlier one of its own, and a header that
//! carries the API's credentials cannot be added at all, so a credential is never sent twice
//! or replaced unseen. Each test reads what arrived at a local server.

use serde_json::json;
use vendor_clients::common::{RawCall, RetryPolicy};
use vendor_clients::{lagerkoll, lucca};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "REALKEY";

/// A server answering every call with an empty list of Lagerkoll's cost centers.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"since": 1, "costCenters": []})))
        .mount(&server)
        .await;
    server
}

fn lagerkoll(server: &MockServer) -> lagerkoll::Client {
    lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_credentials(lagerkoll::Credentials::StoreApiKey {
            store: "1234".into(),
            api_key: KEY.into(),
        })
}

/// Every value of the header `name` in `request`.
fn values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect()
}

/// The one request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 1, "one request");
    received.remove(0)
}

#[tokio::test]
async fn a_header_that_carries_a_credential_cannot_be_added_beside_it() {
    let server = server().await;
    for name in ["api_key", "API_KEY", "store", "user_id", "user_token"] {
        let refused = lagerkoll(&server).with_header(name, "OVERRIDE").expect_err(name);
        assert!(
            matches!(&refused, lagerkoll::Error::InvalidRequest { endpoint: None, message } if message.contains("credentials")),
            "{name}: {refused}"
        );
    }
    let lucca = lucca::Client::new(&server.uri()).expect("a base URL");
    let refused = lucca
        .with_header("Authorization", "Bearer other")
        .expect_err("Authorization");
    assert_eq!(
        refused.to_string(),
        "invalid request: `Authorization` carries this API's credentials: give them with \
         `with_credentials`"
    );
    lagerkoll(&server).get_cost_center(7).await.expect("answered");
    let request = only_request(&server).await;
    assert_eq!(values(&request, "api_key"), [KEY]);
    assert_eq!(values(&request, "store"), ["1234"]);
}

#[tokio::test]
async fn a_header_added_twice_is_sent_once_with_its_last_value() {
    let server = server().await;
    let client = lagerkoll(&server)
        .with_header("X-Request-Id", "first")
        .expect("a header")
        .with_header("x-request-id", "second")
        .expect("a header");
    client.get_cost_center(7).await.expect("answered");
    let request = only_request(&server).await;
    assert_eq!(values(&request, "x-request-id"), ["second"]);
}

#[tokio::test]
async fn a_header_the_call_sets_itself_is_replaced_not_repeated() {
    let server = server().await;
    let client = lagerkoll(&server)
        .with_header("Accept", "application/json; charset=utf-8")
        .expect("a header")
        .with_header("Content-Type", "application/json; charset=utf-8")
        .expect("a header");
    let body = lagerkoll::models::CostCenterCreate {
        name: "Workshop".into(),
        short_name: "WS".into(),
        active: None,
    };
    // The answer is not the created cost center; what matters is what was sent.
    let _ = client.create_cost_center(&body).await;
    let request = only_request(&server).await;
    assert_eq!(values(&request, "accept"), ["application/json; charset=utf-8"]);
    assert_eq!(
        values(&request, "content-type"),
        ["application/json; charset=utf-8"]
    );
    assert_eq!(values(&request, "api_key"), [KEY]);
}

#[tokio::test]
async fn a_raw_call_carries_each_header_once_too() {
    let server = server().await;
    let client = lagerkoll(&server)
        .with_header("X-Tenant", "acme")
        .expect("a header");
    let call = RawCall::new("GET", "/costcenters/{id}").path("id", 7);
    client.raw(call).await.expect("answered");
    let request = only_request(&server).await;
    assert_eq!(values(&request, "x-tenant"), ["acme"]);
    assert_eq!(values(&request, "api_key"), [KEY]);
    assert_eq!(values(&request, "user-agent").len(), 1);
}

#[tokio::test]
async fn headers_the_http_client_writes_from_the_request_are_refused() {
    let server = server().await;
    for name in ["Host", "Content-Length", "Transfer-Encoding", "Connection"] {
        let refused = lagerkoll(&server).with_header(name, "x").expect_err(name);
        assert!(refused.to_string().contains(name), "{refused}");
    }
}
