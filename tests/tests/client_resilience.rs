//! The generated client against a local mock server: it sends what the spec says, decodes
//! each documented answer, types the vendor's errors, honours `Retry-After`, retries only
//! what is safe to retry, gives up within its budget, and times out.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use support::servers::{cost_centers, quick_retries, workshop};
use vendor_clients::common::{Attempt, RetryPolicy};
use vendor_clients::lagerkoll::models::ErrorCode;
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// A client for `server` whose retries wait at most a few milliseconds, and a log of its
/// attempts.
fn client(server: &MockServer) -> (Client, Arc<Mutex<Vec<Attempt>>>) {
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&attempts);
    let client = Client::new(&server.uri())
        .expect("a valid base URL")
        .with_retry(quick_retries())
        .with_observer(move |attempt| log.lock().expect("log").push(attempt.clone()));
    (client, attempts)
}

/// Answers with each response in turn, then repeats the last.
struct Sequence(Mutex<Vec<ResponseTemplate>>);

impl Respond for Sequence {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let mut left = self.0.lock().expect("responses");
        if left.len() > 1 {
            left.remove(0)
        } else {
            left[0].clone()
        }
    }
}

fn sequence(responses: Vec<ResponseTemplate>) -> Sequence {
    Sequence(Mutex::new(responses))
}

#[tokio::test]
async fn a_documented_answer_decodes_into_its_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers()))
        .expect(1)
        .mount(&server)
        .await;
    let (client, attempts) = client(&server);
    let answer = client.get_cost_center(7).await.expect("a cost center");
    assert_eq!(answer.since, Some(42));
    assert_eq!(
        answer.cost_centers.expect("present")[0].name.as_deref(),
        Some("Workshop")
    );
    let attempts = attempts.lock().expect("log");
    assert_eq!(attempts.len(), 1);
    assert_eq!(
        (attempts[0].method, attempts[0].path, attempts[0].status),
        ("GET", "/costcenters/{cost_center}", Some(200))
    );
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_it_asks_for_in_seconds_or_as_a_date() {
    for retry_after in ["0", "Wed, 21 Oct 2015 07:28:00 GMT"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(sequence(vec![
                ResponseTemplate::new(429).insert_header("Retry-After", retry_after),
                ResponseTemplate::new(200).set_body_json(cost_centers()),
            ]))
            .expect(2)
            .mount(&server)
            .await;
        let (client, attempts) = client(&server);
        client
            .get_cost_center(7)
            .await
            .expect("the second attempt succeeds");
        let statuses: Vec<_> = attempts.lock().expect("log").iter().map(|a| a.status).collect();
        assert_eq!(statuses, [Some(429), Some(200)], "Retry-After: {retry_after}");
    }
}

#[tokio::test]
async fn a_rate_limit_that_outlasts_the_budget_ends_in_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_string("slow down"),
        )
        .expect(3)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    match client.get_cost_center(7).await {
        Err(Error::RateLimited {
            retry_after, body, ..
        }) => {
            assert_eq!(retry_after, Some(Duration::ZERO));
            assert_eq!(body, "slow down");
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wait_longer_than_the_policy_allows_is_not_slept_through() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    let error = client.get_cost_center(7).await.expect_err("rate limited");
    assert!(
        matches!(error, Error::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(3600))
    );
}

#[tokio::test]
async fn server_errors_are_retried_for_idempotent_methods_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(sequence(vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(200).set_body_json(cost_centers()),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    client.get_cost_center(7).await.expect("GET is retried");
    let body = workshop();
    let error = client
        .create_cost_center(&body)
        .await
        .expect_err("POST is not retried");
    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
}

#[tokio::test]
async fn the_vendor_error_body_is_typed_and_unknown_codes_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errorCode": 900914, "errorMessage": "Error when deleting a cost center", "errorField": null, "errorData": null
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"errorCode": 901999})))
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    match client.delete_cost_center(7).await {
        Err(Error::Api {
            status: 400, body, ..
        }) => {
            assert_eq!(body.error_code, ErrorCode::DeleteCostCenterFailed)
        }
        other => panic!("expected Api, got {other:?}"),
    }
    let update = serde_json::from_value(json!({"name": "Workshop"})).expect("a cost center");
    match client.update_cost_center(7, &update).await {
        Err(Error::Api {
            status: 409, body, ..
        }) => assert_eq!(body.error_code, ErrorCode::Other(901999)),
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn bodies_that_are_not_the_documented_json_keep_status_body_and_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"since": 1, "costCenters": [{"id": "seven"}]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/costcenters/2"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"since\": 1, \"costCent"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/costcenters/3"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html><body>Bad gateway</body></html>"))
        .mount(&server)
        .await;
    let client = client(&server).0.with_retry(RetryPolicy::never());
    match client.get_cost_center(1).await {
        Err(Error::Decode {
            status: 200, path, ..
        }) => assert_eq!(path, "costCenters[0].id"),
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(matches!(
        client.get_cost_center(2).await,
        Err(Error::Decode { status: 200, .. })
    ));
    match client.get_cost_center(3).await {
        Err(Error::Status {
            status: 502, body, ..
        }) => assert!(body.contains("Bad gateway")),
        other => panic!("expected Status, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_does_not_answer_in_time_ends_in_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(cost_centers())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = client(&server)
        .0
        .with_retry(RetryPolicy::never())
        .with_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let error = client.get_cost_center(7).await.expect_err("too slow");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_method_since_nothing_was_sent() {
    // Nothing listens on port 9 of loopback.
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&attempts);
    let client = Client::new("http://127.0.0.1:9")
        .expect("a base URL")
        .with_retry(quick_retries())
        .with_observer(move |attempt| log.lock().expect("log").push((attempt.method, attempt.status)));
    assert!(matches!(
        client.get_cost_center(7).await,
        Err(Error::Transport { .. })
    ));
    let body = workshop();
    assert!(matches!(
        client.create_cost_center(&body).await,
        Err(Error::Transport { .. })
    ));
    let seen = attempts.lock().expect("log").clone();
    assert_eq!(
        seen,
        [
            ("GET", None),
            ("GET", None),
            ("GET", None),
            ("POST", None),
            ("POST", None),
            ("POST", None)
        ]
    );
}

#[tokio::test]
async fn an_undocumented_success_keeps_its_body_and_trailing_garbage_is_not_a_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": 9, "name": "Workshop"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"since": 5, "costCenters": []} <html>oops"#),
        )
        .mount(&server)
        .await;
    let client = client(&server).0.with_retry(RetryPolicy::never());
    let body = workshop();
    match client.create_cost_center(&body).await {
        Err(Error::Status {
            status: 202, body, ..
        }) => {
            assert!(body.contains("\"id\": 9") || body.contains("\"id\":9"), "{body}")
        }
        other => panic!("expected Status 202 with the body, got {other:?}"),
    }
    assert!(matches!(
        client.get_cost_center(7).await,
        Err(Error::Decode { status: 200, .. })
    ));
}

#[tokio::test]
async fn a_retry_after_too_large_to_count_ends_the_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "99999999999999999999"))
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server);
    assert!(matches!(
        client.get_cost_center(7).await,
        Err(Error::RateLimited {
            retry_after: Some(_),
            ..
        })
    ));
}
