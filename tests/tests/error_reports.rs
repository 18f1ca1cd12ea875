//! What an error prints is what a service's log gets: the call (operation, method, path
//! template), what went wrong (the host, port and cause of a failed connection; the status
//! and the error body's code of a refusal; the JSON path of a body that did not decode), and
//! never the text of a body, which may hold personal data. The error value keeps the body.

mod support;

use serde_json::json;
use vendor_clients::common::RetryPolicy;
use vendor_clients::{lagerkoll, lucca};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const EMAIL: &str = "ada.lovelace@example.com";

/// A server answering every GET with `status` and `body`.
async fn answering(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_refused_connection_names_the_host_port_and_cause() {
    let port = support::servers::refusing_address().port();
    let client = lagerkoll::Client::new(&format!("http://127.0.0.1:{port}"))
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    let error = client.get_cost_center(7).await.expect_err("refused");
    let shown = error.to_string();
    let expected =
        format!("getCostCenter (GET /costcenters/{{cost_center}}): could not connect to 127.0.0.1:{port}: ");
    assert!(shown.starts_with(&expected), "{shown}");
    assert!(shown.to_lowercase().contains("connection refused"), "{shown}");
}

#[tokio::test]
async fn a_refusal_prints_the_call_its_status_and_the_error_code_never_the_vendors_text() {
    let server = answering(
        400,
        json!({"errorCode": 1003, "errorMessage": format!("{EMAIL} may not change this cost center")}),
    )
    .await;
    let client = lagerkoll::Client::new(&server.uri()).expect("a base URL");
    let error = client.get_cost_center(7).await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "getCostCenter (GET /costcenters/{cost_center}): the server refused the call with status 400, \
         error code `1003`"
    );
    match error {
        lagerkoll::Error::Api { code, body, .. } => {
            assert_eq!(code.as_deref(), Some("1003"));
            assert!(body.error_message.expect("kept").contains(EMAIL));
        }
        other => panic!("expected Api, got {other:?}"),
    }

    let mut problem = support::fixture("lucca/problem-validation.json");
    problem["detail"] = json!(format!("{EMAIL} is already a cost center owner"));
    let server = answering(400, problem).await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let shown = client.get_cost_center(12).await.expect_err("refused").to_string();
    assert_eq!(
        shown,
        "getCostCenter (GET /cleemy-procurement/api/costcenters/{id}): the server refused the call \
         with status 400, error code `https://tools.ietf.org/html/rfc7231#section-6.5.1`"
    );
}

#[tokio::test]
async fn a_body_that_does_not_decode_prints_where_never_what() {
    let server = answering(200, json!({"since": EMAIL, "costCenters": []})).await;
    let client = lagerkoll::Client::new(&server.uri()).expect("a base URL");
    let error = client.get_cost_center(7).await.expect_err("not the schema");
    let shown = error.to_string();
    assert_eq!(
        shown,
        "getCostCenter (GET /costcenters/{cost_center}): the body of a 200 response does not match the \
         spec at `since`: a value of another type or shape (line 1, column 35)"
    );
    match error {
        lagerkoll::Error::Decode { body, .. } => assert!(body.contains(EMAIL)),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_answer_prints_its_status_and_keeps_its_body() {
    let server = answering(409, json!({"owner": EMAIL})).await;
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    let error = client.get_purchase(12).await.expect_err("a 409");
    assert!(!error.to_string().contains(EMAIL), "{error}");
    assert_eq!(error.status(), Some(409));
}
