//! One deadline bounds a whole call: its attempts, the backoff between them, the waits a
//! `Retry-After` asks for and the waits for the quota. A wait that would end past the
//! deadline is not waited for: the call ends at once with the answer that asked for it.
//! Each call here runs against a local server that misbehaves on purpose, and its end is
//! measured against the deadline it was given.

mod support;

use std::future::Future;
use std::time::{Duration, Instant};

use support::servers::{COST_CENTERS, Fault, answering_after, faulty_server, quick_retries};
use vendor_clients::common::{Limit, Quota};
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The deadline the tests give their calls.
const DEADLINE: Duration = Duration::from_secs(2);

/// `call`'s outcome and how long it took.
async fn timed<T>(call: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let outcome = call.await;
    (outcome, started.elapsed())
}

/// A client of `url` whose attempts time out after `timeout`, retried at once, within `deadline`.
fn bounded(url: &str, timeout: Duration, deadline: Option<Duration>) -> Client {
    Client::new(url)
        .expect("a base URL")
        .with_timeout(timeout)
        .with_retry(quick_retries())
        .with_deadline(deadline)
}

/// Whether `took` is within a tenth of `expected`.
fn near(took: Duration, expected: Duration) -> bool {
    took >= expected.mul_f64(0.9) && took <= expected.mul_f64(1.1)
}

#[tokio::test]
async fn a_server_that_never_answers_ends_the_call_at_its_deadline() {
    let (url, _) = faulty_server(Fault::Silent).await;
    let client = Client::new(&url).expect("a base URL");
    assert_eq!(Client::DEFAULT_DEADLINE, Duration::from_secs(60));
    assert!(format!("{client:?}").contains("deadline: Some(60s)"));
    // For this call alone.
    let once = client.clone().with_deadline(DEADLINE);
    let (outcome, took) = timed(once.get_cost_center(7)).await;
    match outcome {
        Err(Error::Timeout {
            limit: Limit::Deadline,
            attempts: 1,
            ..
        }) => {}
        other => panic!("expected the deadline to end the call, got {other:?}"),
    }
    assert!(near(took, DEADLINE), "took {took:?}");
}

#[tokio::test]
async fn a_callers_own_http_client_is_held_to_the_deadline_too() {
    let (url, _) = faulty_server(Fault::Silent).await;
    let client = Client::with_http_client(&url, reqwest::Client::builder()).expect("a base URL");
    // The caller's client gets the attempt timeout too.
    assert!(format!("{client:?}").contains("timeout: Some(30s)"), "{client:?}");
    let client = client.with_deadline(DEADLINE);
    let (outcome, took) = timed(client.get_cost_center(7)).await;
    assert!(
        matches!(
            outcome,
            Err(Error::Timeout {
                limit: Limit::Deadline,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert!(near(took, DEADLINE), "took {took:?}");
}

#[tokio::test]
async fn attempts_cut_by_their_timeout_are_retried_until_the_deadline() {
    let (url, connections) = faulty_server(Fault::Silent).await;
    let client = bounded(&url, Duration::from_millis(800), Some(DEADLINE));
    let (outcome, took) = timed(client.get_cost_center(7)).await;
    match outcome {
        Err(Error::Timeout {
            limit: Limit::Deadline,
            attempts: 3,
            ..
        }) => {}
        other => panic!("expected three attempts and the deadline, got {other:?}"),
    }
    assert!(near(took, DEADLINE), "took {took:?}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_attempts_timeout_ends_the_call_when_no_retry_is_left() {
    let (url, _) = faulty_server(Fault::Silent).await;
    let client = Client::new(&url)
        .expect("a base URL")
        .with_timeout(Duration::from_millis(300))
        .with_retry(vendor_clients::common::RetryPolicy::never());
    let (outcome, took) = timed(client.get_cost_center(7)).await;
    let error = outcome.expect_err("no answer");
    assert!(
        matches!(
            error,
            Error::Timeout {
                limit: Limit::Attempt,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(near(took, Duration::from_millis(300)), "took {took:?}");
    assert!(
        error
            .to_string()
            .starts_with("getCostCenter (GET /costcenters/{cost_center}): timed out: no answer within the attempt's timeout (1 attempt"),
        "{error}"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_ends_the_call_at_once_with_the_wait_asked_for() {
    for (status, expected) in [(429, "429"), (503, "503")] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).insert_header("Retry-After", "3"))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::new(&server.uri())
            .expect("a base URL")
            .with_deadline(DEADLINE);
        let (outcome, took) = timed(client.get_cost_center(7)).await;
        let asked = Some(Duration::from_secs(3));
        match outcome {
            Err(Error::RateLimited { retry_after, .. }) if status == 429 => assert_eq!(retry_after, asked),
            Err(Error::Status {
                status: 503,
                retry_after,
                ..
            }) if status == 503 => assert_eq!(retry_after, asked),
            other => panic!("{expected}: expected the answer itself, got {other:?}"),
        }
        assert!(took < Duration::from_millis(500), "{expected}: took {took:?}");
    }
}

#[tokio::test]
async fn a_retry_after_within_the_deadline_is_waited_for() {
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "1");
    let ok = ResponseTemplate::new(200).set_body_string(COST_CENTERS);
    let server = answering_after("GET", limited, 1, ok).await;
    let client = Client::new(&server.uri())
        .expect("a base URL")
        .with_deadline(DEADLINE);
    let (outcome, took) = timed(client.get_cost_center(7)).await;
    outcome.expect("answered after the wait");
    assert!(took >= Duration::from_secs(1) && took < DEADLINE, "took {took:?}");
}

#[tokio::test]
async fn waiting_for_the_quota_counts_against_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(COST_CENTERS))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri())
        .expect("a base URL")
        .with_quota(Some(Quota {
            requests: 1,
            per: Duration::from_secs(60),
        }))
        .with_deadline(Duration::from_millis(700));
    client.get_cost_center(7).await.expect("within the quota");
    let (outcome, took) = timed(client.get_cost_center(7)).await;
    match outcome {
        Err(Error::Timeout {
            limit: Limit::Deadline,
            attempts: 1,
            ..
        }) => {}
        other => panic!("expected the deadline while waiting for the quota, got {other:?}"),
    }
    assert!(near(took, Duration::from_millis(700)), "took {took:?}");
}

#[tokio::test]
async fn without_a_deadline_a_call_takes_what_its_attempts_take() {
    let (url, connections) = faulty_server(Fault::Silent).await;
    let client = bounded(&url, Duration::from_millis(200), None);
    let (outcome, took) = timed(client.get_cost_center(7)).await;
    assert!(
        matches!(
            outcome,
            Err(Error::Timeout {
                limit: Limit::Attempt,
                attempts: 3,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert!(took >= Duration::from_millis(600), "took {took:?}");
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3);
}
