//! No credential in anything a failed call leaves behind. For every way a call can fail
//! against a faulty server (each checked to fail the way it is named for), the error's
//! `Display`, its `Debug`, each error of its `source()` chain, and every log record and
//! tracing event any crate emits, at every level, while the calls run. And none in the
//! `Debug` of the credentials or of the client holding them.

mod support;

use std::fmt::Write as _;
use std::time::Duration;

use support::capture::Capture;
use support::servers::{Fault, causes, faulty_server, quick_retries};
use vendor_clients::lagerkoll::{Client, Credentials, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-do-not-print";

/// The error and every error behind it, displayed and debugged.
fn everything_about(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n");
    for cause in causes(error) {
        let _ = writeln!(text, "{cause}\n{cause:?}");
    }
    text
}

fn credentials() -> Credentials {
    Credentials::StoreApiKey {
        store: "1234".into(),
        api_key: KEY.into(),
    }
}

/// A client with credentials, quick retries and a short timeout.
fn client(base_url: &str) -> Client {
    Client::new(base_url)
        .expect("a base URL")
        .with_retry(quick_retries())
        .with_timeout(Duration::from_millis(300))
        .with_credentials(credentials())
}

/// A mock server answering every GET and DELETE with `answer`.
async fn answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer.clone())
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// One way to fail: its name, the error it gave, and whether that is the error expected.
struct Failure {
    name: String,
    error: Error,
    as_named: bool,
}

/// Whether an error is the one a case is named for.
type Expected = fn(&Error) -> bool;

/// Calls `GET /costcenters/7` through `client` and records how it failed.
async fn fail(name: &str, client: &Client, expected: Expected) -> Failure {
    let error = client.get_cost_center(7).await.expect_err(name);
    Failure {
        name: name.into(),
        as_named: expected(&error),
        error,
    }
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

#[tokio::test]
async fn no_failure_shows_a_credential_in_errors_logs_or_traces() {
    let capture = Capture::default();
    let logger: &'static Capture = Box::leak(Box::new(capture.clone()));
    log::set_logger(logger).expect("the only logger of this test binary");
    log::set_max_level(log::LevelFilter::Trace);
    // Global, so events of every thread are seen (this binary has only this test).
    tracing::subscriber::set_global_default(capture.clone()).expect("the only subscriber");

    let mut failures = Vec::new();
    // Nothing listens on port 9 of loopback.
    let refused = client("http://127.0.0.1:9");
    failures.push(fail("refused", &refused, |e| matches!(e, Error::Transport { .. })).await);
    for (fault, expected) in [
        (
            Fault::CutShort,
            (|e| matches!(e, Error::Transport { .. })) as fn(&Error) -> bool,
        ),
        (Fault::Reset, |e| matches!(e, Error::Transport { .. })),
        (Fault::HugeLength, |e| matches!(e, Error::BodyTooLarge { .. })),
        (Fault::Endless, |e| matches!(e, Error::BodyTooLarge { .. })),
    ] {
        let (url, _) = faulty_server(fault).await;
        let capped = client(&url).with_max_body(1024 * 1024);
        failures.push(fail(&format!("{fault:?}"), &capped, expected).await);
    }
    let html = "<html><body>Maintenance</body></html>";
    let decode: Expected = |e| matches!(e, Error::Decode { status: 200, .. });
    let rate_limited: Expected = |e| matches!(e, Error::RateLimited { .. });
    let cases: [(&str, ResponseTemplate, Expected); 12] = [
        (
            "never answers",
            status(200).set_delay(Duration::from_secs(5)),
            |e| matches!(e, Error::Timeout { .. }),
        ),
        (
            "invalid JSON",
            status(200).set_body_string("{\"since\": 1, \"costCent"),
            decode,
        ),
        (
            "wrong shape",
            status(200).set_body_string(r#"{"since": "yesterday"}"#),
            decode,
        ),
        ("HTML page", status(200).set_body_raw(html, "text/html"), decode),
        ("429 without Retry-After", status(429), rate_limited),
        (
            "429 garbage Retry-After",
            status(429).insert_header("Retry-After", "soon"),
            rate_limited,
        ),
        (
            "429 negative Retry-After",
            status(429).insert_header("Retry-After", "-5"),
            rate_limited,
        ),
        (
            "429 Retry-After in the past",
            status(429).insert_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
            rate_limited,
        ),
        (
            "429 huge Retry-After",
            status(429).insert_header("Retry-After", "99999999999999999999"),
            rate_limited,
        ),
        ("503 storm", status(503), |e| {
            matches!(e, Error::Status { status: 503, .. })
        }),
        (
            // Followed bare, to where nothing listens.
            "redirect to another host",
            status(302).insert_header("Location", "http://127.0.0.2:9/steal"),
            |e| matches!(e, Error::Transport { server, .. } if server == "127.0.0.2:9"),
        ),
        ("500", status(500).set_body_string("boom"), |e| {
            matches!(e, Error::Status { status: 500, .. })
        }),
    ];
    for (name, answer, expected) in cases {
        let server = answering(answer).await;
        failures.push(fail(name, &client(&server.uri()), expected).await);
    }
    // The vendor's typed error, from the one operation that documents it.
    let vendor = answering(status(400).set_body_raw(
        r#"{"errorCode": 900914, "errorMessage": "Error when deleting a cost center"}"#,
        "application/json",
    ))
    .await;
    let error = client(&vendor.uri())
        .delete_cost_center(7)
        .await
        .expect_err("typed");
    failures.push(Failure {
        name: "vendor error".into(),
        as_named: matches!(error, Error::Api { status: 400, .. }),
        error,
    });
    let bad_header = Credentials::StoreApiKey {
        store: format!("1234\r\nX-Key: {KEY}").into(),
        api_key: KEY.into(),
    };
    let invalid = client(&vendor.uri()).with_credentials(bad_header);
    failures.push(
        fail("header HTTP cannot carry", &invalid, |e| {
            matches!(e, Error::InvalidRequest { .. })
        })
        .await,
    );

    for failure in &failures {
        let text = everything_about(&failure.error);
        assert!(
            failure.as_named,
            "{}: not the error expected:\n{text}",
            failure.name
        );
        assert!(
            !text.contains(KEY),
            "{}: a credential leaked:\n{text}",
            failure.name
        );
    }
    for text in [format!("{:?}", credentials()), format!("{refused:?}")] {
        assert!(!text.contains(KEY), "a credential leaked: {text}");
    }
    let emitted = capture.text();
    assert!(
        emitted.contains("attempt"),
        "the capture sees the client's own events:\n{emitted}"
    );
    assert!(
        !emitted.contains(KEY),
        "a credential leaked into logs or traces:\n{emitted}"
    );
}
