//! What the specs do not cover can still be called, and one call can be set apart: extra
//! headers, a timeout and a retry policy on a clone of the client, and a raw call that keeps
//! the credentials, retries, body limit, span and observer every operation has.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use support::servers::{cost_centers, quick_retries};
use support::spans::Spans;
use vendor_clients::common::{Attempt, RawCall, RetryPolicy};
use vendor_clients::lagerkoll::{Client, Credentials, Error};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-for-raw-calls";

fn client(server: &MockServer) -> Client {
    Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(quick_retries())
        .with_credentials(Credentials::StoreApiKey {
            store: "1234".into(),
            api_key: KEY.into(),
        })
}

#[tokio::test]
async fn headers_timeout_and_retries_set_on_a_clone_apply_to_its_calls_alone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let one_call = client
        .clone()
        .with_header("X-Request-Id", "req-7f3a")
        .expect("a valid header")
        .with_header("Accept", "application/json")
        .expect("a valid header")
        .with_retry(RetryPolicy::never())
        .with_timeout(Duration::from_secs(2));
    one_call.get_cost_center(7).await.expect_err("a 503");
    client
        .get_cost_center(7)
        .await
        .expect_err("a 503, after its retries");

    let received = server.received_requests().await.expect("recorded");
    let request_ids: Vec<Option<&str>> = received
        .iter()
        .map(|r| r.headers.get("x-request-id").and_then(|v| v.to_str().ok()))
        .collect();
    // The clone tried once, with its header; the client three times, without it.
    assert_eq!(request_ids, [Some("req-7f3a"), None, None, None]);
    let accepts: Vec<_> = received[0].headers.get_all("accept").iter().collect();
    assert_eq!(accepts, ["application/json"], "the call's own Accept is replaced");
    assert_eq!(received[0].headers["api_key"], KEY, "the credentials still go");
    assert!(!format!("{one_call:?}").contains("req-7f3a"), "{one_call:?}");
}

#[tokio::test]
async fn a_header_http_does_not_allow_is_refused_before_any_call() {
    let server = MockServer::start().await;
    let error = client(&server)
        .with_header("X-Note", "a\r\nb")
        .expect_err("refused");
    assert!(
        matches!(&error, Error::InvalidRequest { message: m, .. } if m.contains("X-Note")),
        "{error}"
    );
    let error = client(&server).with_header("bad name", "v").expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest { .. }));
}

#[tokio::test]
async fn a_raw_call_is_authenticated_retried_traced_and_observed_like_an_operation() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/costcenters/918273/archive"))
        .and(query_param("notify", "false"))
        .and(header("api_key", KEY))
        .and(header("store", "1234"))
        .and(body_json(json!({"reason": "merged"})))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/costcenters/918273/archive"))
        .and(header("api_key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers()))
        .mount(&server)
        .await;
    let attempts = Arc::new(Mutex::new(Vec::<Attempt>::new()));
    let log = Arc::clone(&attempts);
    let client = client(&server).with_observer(move |a| log.lock().expect("log").push(a.clone()));
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let call = RawCall::new("POST", "/costcenters/{id}/archive")
        .path("id", 918_273)
        .query("notify", false)
        .json(&json!({"reason": "merged"}))
        .expect("JSON");
    let reply = client.raw(call).await.expect("archived");
    assert_eq!(reply.status, 200);
    let answer: serde_json::Value = reply.json().expect("JSON");
    assert_eq!(answer["since"], 42);

    let statuses: Vec<_> = attempts
        .lock()
        .expect("log")
        .iter()
        .map(|a| (a.path, a.status))
        .collect();
    let template = "/costcenters/{id}/archive";
    assert_eq!(statuses, [(template, Some(429)), (template, Some(200))]);
    let [span] = spans.spans().try_into().expect("one span");
    assert_eq!(span.fields["otel.name"], format!("POST {template}"));
    let text = spans.text();
    assert!(!text.contains("918273") && !text.contains(KEY), "{text}");
}

#[tokio::test]
async fn a_raw_call_refused_by_the_server_is_the_apis_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errorCode": 900101, "errorMessage": "Unknown report", "errorField": "report", "errorData": null
        })))
        .mount(&server)
        .await;
    let call = RawCall::new("GET", "/reports/{report}").path("report", "stock levels");
    let error = client(&server).raw(call).await.expect_err("refused");
    assert!(
        matches!(&error, Error::Api { status: 400, body, .. } if body.error_message.as_deref() == Some("Unknown report")),
        "{error:?}"
    );
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(
        received[0].url.path(),
        "/reports/stock%20levels",
        "the value stays in its segment"
    );
}

#[tokio::test]
async fn a_raw_call_missing_a_path_value_sends_nothing() {
    let server = MockServer::start().await;
    let call = RawCall::new("DELETE", "/costcenters/{id}");
    let error = client(&server).raw(call).await.expect_err("refused");
    assert!(
        matches!(&error, Error::InvalidRequest { message: m, .. } if m.contains("{id}")),
        "{error}"
    );
    assert!(server.received_requests().await.expect("recorded").is_empty());
}
