//! The generated client against servers that misbehave: cut connections, bodies that stop
//! short or never end, pages where JSON was due, rate limits with unreadable waits and
//! storms of 503s. Each call ends in a typed error, or the right success, without a panic
//! and within the client's limits.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vendor_clients::common::RetryPolicy;
use vendor_clients::lagerkoll::models::CostCenterCreate;
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Retries that wait a few milliseconds at most.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// A server on loopback that hands every connection to `answer`, and how many it accepted.
async fn raw_server<F, A>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> A + Send + Sync + 'static,
    A: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer(stream));
        }
    });
    (url, connections)
}

/// Reads the request head, up to the blank line.
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

/// A documented answer of `GET /costcenters/{id}`.
const BODY: &str =
    r#"{"since": 42, "costCenters": [{"id": 7, "name": "Workshop", "shortName": "WS", "active": true}]}"#;

#[tokio::test]
async fn a_body_cut_short_of_its_length_is_a_transport_error_and_a_get_tries_again() {
    let (url, connections) = raw_server(|mut stream| async move {
        read_head(&mut stream).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            BODY.len()
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let _ = stream.write_all(&BODY.as_bytes()[..20]).await;
        // Closed with the body 20 bytes in.
    })
    .await;
    let client = Client::new(&url).expect("client").with_retry(quick_retries());
    let error = client
        .get_cost_center(7)
        .await
        .expect_err("the body never completes");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        3,
        "a GET is tried three times in all"
    );
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let (url, _) = raw_server(|mut stream| async move {
        // The request is left unread, so closing resets the connection.
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"id\": 7,";
        let _ = stream.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(stream);
    })
    .await;
    let client = Client::new(&url)
        .expect("client")
        .with_retry(RetryPolicy::never());
    let error = client.get_cost_center(7).await.expect_err("reset");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_body_whose_length_is_over_the_limit_is_refused_unread() {
    let (url, _) = raw_server(|mut stream| async move {
        read_head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        // Sends nothing more: the client must not wait for a gigabyte.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let client = Client::new(&url).expect("client").with_max_body(1024 * 1024);
    let error = client.get_cost_center(7).await.expect_err("too large");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 1_048_576
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the body of a 200 response is longer than the limit of 1048576 bytes"
    );
}

#[tokio::test]
async fn a_body_that_never_ends_is_cut_at_the_limit() {
    let (url, _) = raw_server(|mut stream| async move {
        read_head(&mut stream).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
        // Until the client hangs up.
        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
    })
    .await;
    let client = Client::new(&url)
        .expect("client")
        .with_max_body(256 * 1024)
        .with_retry(RetryPolicy::never());
    let error = client.get_cost_center(7).await.expect_err("endless");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: 262_144
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_default_limit_lets_documented_bodies_through() {
    assert_eq!(Client::DEFAULT_MAX_BODY, 32 * 1024 * 1024);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(BODY))
        .mount(&server)
        .await;
    let exact = Client::new(&server.uri())
        .expect("client")
        .with_max_body(BODY.len() as u64);
    let answer = exact
        .get_cost_center(7)
        .await
        .expect("a body of exactly the limit is read");
    assert_eq!(
        answer.cost_centers.expect("listed")[0].name.as_deref(),
        Some("Workshop")
    );
    let short = exact.with_max_body(BODY.len() as u64 - 1);
    let error = short.get_cost_center(7).await.expect_err("one byte over");
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
    match client.get_cost_center(7).await {
        Err(Error::Decode {
            status: 200, body, ..
        }) => assert_eq!(body, page),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreadable_retry_after_falls_back_to_the_backoff() {
    for retry_after in [None, Some("soon"), Some("-5"), Some("1.5"), Some("")] {
        let server = MockServer::start().await;
        let limited = match retry_after {
            Some(value) => ResponseTemplate::new(429).insert_header("Retry-After", value),
            None => ResponseTemplate::new(429),
        };
        Mock::given(method("GET"))
            .respond_with(limited)
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(BODY))
            .mount(&server)
            .await;
        let client = Client::new(&server.uri())
            .expect("client")
            .with_retry(quick_retries());
        client
            .get_cost_center(7)
            .await
            .unwrap_or_else(|error| panic!("Retry-After {retry_after:?}: {error:?}"));
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
    }
}

#[tokio::test]
async fn a_storm_of_503s_ends_when_the_budget_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("overloaded"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri())
        .expect("client")
        .with_retry(quick_retries());
    let error = client.get_cost_center(7).await.expect_err("always 503");
    assert!(
        matches!(&error, Error::Status { status: 503, body } if body == "overloaded"),
        "{error:?}"
    );
    let create = CostCenterCreate {
        name: "Workshop".into(),
        short_name: "WS".into(),
        active: None,
    };
    let error = client.create_cost_center(&create).await.expect_err("not retried");
    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
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
    let error = client.get_cost_center(7).await.expect_err("503");
    assert!(matches!(error, Error::Status { status: 503, .. }), "{error:?}");
}
