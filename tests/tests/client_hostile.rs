//! The generated client against servers that misbehave: cut connections, bodies that stop
//! short or never end, pages where JSON was due, rate limits with unreadable waits and
//! storms of 503s. Each call ends in a typed error, or the right success, without a panic
//! and within the client's limits: every call here is bounded by [`within`].

mod support;

use std::future::Future;
use std::sync::atomic::Ordering;
use std::time::Duration;

use support::servers::{COST_CENTERS, Fault, answering_after, causes, faulty_server, quick_retries};
use vendor_clients::common::RetryPolicy;
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `call`'s outcome, or a failed test if it takes longer than a few seconds: a fault must
/// end a call, not hang it.
async fn within<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .expect("the call ends within 5 s")
}

#[tokio::test]
async fn a_body_cut_short_of_its_length_is_a_transport_error_and_a_get_tries_again() {
    let (url, connections) = faulty_server(Fault::CutShort).await;
    let client = Client::new(&url).expect("client").with_retry(quick_retries());
    let error = within(client.get_cost_center(7))
        .await
        .expect_err("the body never completes");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        3,
        "a GET is tried three times in all"
    );
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let (url, _) = faulty_server(Fault::Reset).await;
    let client = Client::new(&url)
        .expect("client")
        .with_retry(RetryPolicy::never());
    let error = within(client.get_cost_center(7)).await.expect_err("reset");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let reset = causes(&error).any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionReset)
    });
    assert!(reset, "the cause is a reset, not a short body: {error:?}");
}

#[tokio::test]
async fn a_body_whose_length_is_over_the_limit_is_refused_unread() {
    let (url, _) = faulty_server(Fault::HugeLength).await;
    let client = Client::new(&url).expect("client").with_max_body(1024 * 1024);
    let error = within(client.get_cost_center(7)).await.expect_err("too large");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 1_048_576,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "getCostCenter (GET /costcenters/{cost_center}): the body of a 200 response is longer than the \
         limit of 1048576 bytes"
    );
}

#[tokio::test]
async fn a_body_that_never_ends_is_cut_at_the_limit() {
    let (url, _) = faulty_server(Fault::Endless).await;
    let client = Client::new(&url)
        .expect("client")
        .with_max_body(256 * 1024)
        .with_retry(RetryPolicy::never());
    let error = within(client.get_cost_center(7)).await.expect_err("endless");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 262_144,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused() {
    assert_eq!(Client::DEFAULT_MAX_BODY, 32 * 1024 * 1024);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(COST_CENTERS))
        .mount(&server)
        .await;
    let length = COST_CENTERS.len() as u64;
    let exact = Client::new(&server.uri()).expect("client").with_max_body(length);
    let answer = within(exact.get_cost_center(7)).await.expect("read");
    assert_eq!(
        answer.cost_centers.expect("listed")[0].name.as_deref(),
        Some("Workshop")
    );
    let short = exact.with_max_body(length - 1);
    let error = within(short.get_cost_center(7)).await.expect_err("one byte over");
    assert!(
        matches!(error, Error::BodyTooLarge { status: 200, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_html_page_in_place_of_json_is_a_decode_error_that_keeps_the_page() {
    let server = MockServer::start().await;
    let page = "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri()).expect("client");
    match within(client.get_cost_center(7)).await {
        Err(Error::Decode {
            status: 200, body, ..
        }) => assert_eq!(body, page),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_429_with_an_unreadable_retry_after_is_retried_all_the_same() {
    for retry_after in [None, Some("soon"), Some("-5"), Some("1.5"), Some("")] {
        let limited = match retry_after {
            Some(value) => ResponseTemplate::new(429).insert_header("Retry-After", value),
            None => ResponseTemplate::new(429),
        };
        let ok = ResponseTemplate::new(200).set_body_string(COST_CENTERS);
        let server = answering_after("GET", limited, 1, ok).await;
        let client = Client::new(&server.uri())
            .expect("client")
            .with_retry(quick_retries());
        within(client.get_cost_center(7))
            .await
            .unwrap_or_else(|error| panic!("Retry-After {retry_after:?}: {error:?}"));
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
    }
}

#[tokio::test]
async fn a_storm_of_503s_ends_when_the_attempts_do() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .expect(3)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri())
        .expect("client")
        .with_retry(quick_retries());
    let error = within(client.get_cost_center(7)).await.expect_err("always 503");
    assert!(
        matches!(&error, Error::Status { status: 503, body, .. } if body == "overloaded"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_503_asking_for_a_wait_beyond_the_total_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .expect(1)
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_total_wait: Duration::from_secs(1),
        ..quick_retries()
    };
    let client = Client::new(&server.uri()).expect("client").with_retry(policy);
    let error = within(client.get_cost_center(7)).await.expect_err("503");
    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
}
