//! Retries where they are safe, and only there: a call the server may see twice (an
//! idempotent method, or one carrying an idempotency key) is tried again when the connection
//! drops after the request was written and on `408`, within its deadline; any other call is
//! sent once, unless the connection could not even be made. A key is fresh for each call and
//! the same on each of its attempts. Each test counts what reached a local server.

mod support;

use std::sync::atomic::Ordering;

use support::servers::{COST_CENTERS, Fault, answering_after, faulty_server, quick_retries, workshop};
use vendor_clients::common::RawCall;
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A cost center as Lagerkoll answers its creation.
const CREATED: &str = r#"{"id": 9, "name": "Workshop", "shortName": "WS", "active": true}"#;

fn client(url: &str) -> Client {
    Client::new(url).expect("a base URL").with_retry(quick_retries())
}

/// [`client`], sending an idempotency key on every call that is not idempotent.
fn keyed(url: &str) -> Client {
    client(url)
        .with_idempotency_key(Some("Idempotency-Key"))
        .expect("a header name")
}

/// The `Idempotency-Key` of each request.
fn keys(received: &[Request]) -> Vec<String> {
    received
        .iter()
        .map(|request| {
            let key = request
                .headers
                .get("idempotency-key")
                .expect("a key on every attempt");
            String::from_utf8_lossy(key.as_bytes()).into_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_is_retried_only_for_a_call_safe_to_repeat() {
    for fault in [Fault::Closed, Fault::ResetAfterRequest] {
        let (url, connections) = faulty_server(fault).await;
        let error = client(&url).get_cost_center(7).await.expect_err("never answered");
        assert!(matches!(error, Error::Transport { .. }), "{fault:?}: {error:?}");
        assert_eq!(
            connections.load(Ordering::SeqCst),
            3,
            "{fault:?}: a GET, three times"
        );

        let (url, connections) = faulty_server(fault).await;
        let error = client(&url)
            .create_cost_center(&workshop())
            .await
            .expect_err("never answered");
        assert!(matches!(error, Error::Transport { .. }), "{fault:?}: {error:?}");
        assert_eq!(connections.load(Ordering::SeqCst), 1, "{fault:?}: a POST, once");

        let (url, connections) = faulty_server(fault).await;
        keyed(&url)
            .create_cost_center(&workshop())
            .await
            .expect_err("never answered");
        assert_eq!(
            connections.load(Ordering::SeqCst),
            3,
            "{fault:?}: a POST with a key, three times"
        );
    }
}

#[tokio::test]
async fn a_408_is_retried_for_a_call_safe_to_repeat() {
    let ok = ResponseTemplate::new(200).set_body_string(COST_CENTERS);
    let server = answering_after("GET", ResponseTemplate::new(408), 1, ok).await;
    client(&server.uri())
        .get_cost_center(7)
        .await
        .expect("answered on the second attempt");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(408))
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .create_cost_center(&workshop())
        .await
        .expect_err("a 408");
    assert!(matches!(error, Error::Status { status: 408, .. }), "{error:?}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[tokio::test]
async fn a_raw_call_in_lower_case_goes_out_in_capitals_and_is_retried_as_a_get() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let call = RawCall::new("get", "/costcenters/{id}").path("id", 7);
    let error = client(&server.uri()).raw(call).await.expect_err("a 503");
    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
    let received = server.received_requests().await.expect("recorded");
    let methods: Vec<&str> = received.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "GET", "GET"]);
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_with_the_same_key_and_the_next_call_gets_another() {
    let created = ResponseTemplate::new(200).set_body_string(CREATED);
    let server = answering_after("POST", ResponseTemplate::new(503), 2, created).await;
    let client = keyed(&server.uri());
    client
        .create_cost_center(&workshop())
        .await
        .expect("answered on the third attempt");
    client.create_cost_center(&workshop()).await.expect("answered");
    let received = server.received_requests().await.expect("recorded");
    let keys = keys(&received);
    assert_eq!(keys.len(), 4);
    assert!(
        keys[..3].iter().all(|key| *key == keys[0]),
        "one key per call: {keys:?}"
    );
    assert_ne!(keys[3], keys[0], "a fresh key for the next call");
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
}

#[tokio::test]
async fn a_key_the_caller_gives_is_kept_and_a_get_carries_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(CREATED))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(COST_CENTERS))
        .mount(&server)
        .await;
    let client = keyed(&server.uri());
    let mine = client
        .clone()
        .with_header("Idempotency-Key", "order-1207")
        .expect("a header");
    mine.create_cost_center(&workshop()).await.expect("answered");
    client.get_cost_center(7).await.expect("answered");
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(keys(&received[..1]), ["order-1207"]);
    assert!(!received[1].headers.contains_key("idempotency-key"));
}
