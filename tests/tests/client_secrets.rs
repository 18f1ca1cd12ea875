//! No credential in anything a failed call leaves behind: for every way a call can fail, the
//! error's `Display`, its `Debug`, each error in its `source()` chain, and every log record
//! and tracing event any crate emits, at every level, while it runs.

use std::fmt::{Debug, Write as _};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata};
use vendor_clients::common::RetryPolicy;
use vendor_clients::lagerkoll::{Client, Credentials, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-do-not-print";

/// Everything emitted, as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

impl Capture {
    fn push(&self, text: &str) {
        self.0.lock().expect("capture").push_str(text);
    }

    fn text(&self) -> String {
        self.0.lock().expect("capture").clone()
    }
}

impl Visit for &Capture {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.push(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut &*self);
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut &*self);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        event.record(&mut &*self);
        self.push("\n");
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        self.push(&format!("{} {}\n", record.target(), record.args()));
    }

    fn flush(&self) {}
}

/// The error and every error behind it, displayed and debugged.
fn everything_about(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        let _ = writeln!(text, "{inner}\n{inner:?}");
        source = inner.source();
    }
    text
}

fn client(base_url: &str) -> Client {
    let credentials = Credentials::StoreApiKey {
        store: "1234".into(),
        api_key: KEY.into(),
    };
    Client::new(base_url)
        .expect("a base URL")
        .with_retry(RetryPolicy {
            backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .with_credentials(credentials)
}

/// A loopback server that answers each connection with `answer` and hangs up.
async fn raw_server(answer: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    url
}

async fn mock(status: u16, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer.set_body_string(format!("status {status}")))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn no_failure_shows_a_credential_in_errors_logs_or_traces() {
    let capture = Capture::default();
    let logger: &'static Capture = Box::leak(Box::new(capture.clone()));
    log::set_logger(logger).expect("the only logger of this test binary");
    log::set_max_level(log::LevelFilter::Trace);
    let _traces = tracing::subscriber::set_default(capture.clone());

    let mut failures: Vec<(&str, Error)> = Vec::new();
    for (name, status, answer) in [
        ("server error", 500, ResponseTemplate::new(500)),
        (
            "rate limited",
            429,
            ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        ),
        ("not found", 404, ResponseTemplate::new(404)),
        (
            "redirect to another host",
            302,
            ResponseTemplate::new(302).insert_header("Location", "http://127.0.0.2:9/steal"),
        ),
        ("wrong shape", 200, ResponseTemplate::new(200)),
        (
            "too slow",
            200,
            ResponseTemplate::new(200).set_delay(Duration::from_secs(5)),
        ),
    ] {
        let server = mock(status, answer).await;
        let client = client(&server.uri()).with_timeout(Duration::from_millis(200));
        failures.push((name, client.get_cost_center(7).await.expect_err(name)));
    }
    let big = mock(200, ResponseTemplate::new(200)).await;
    let capped = client(&big.uri()).with_max_body(4);
    failures.push((
        "too large",
        capped.get_cost_center(7).await.expect_err("too large"),
    ));
    let cut = raw_server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"since\": 1").await;
    failures.push((
        "cut short",
        client(&cut).get_cost_center(7).await.expect_err("cut short"),
    ));
    // Nothing listens on port 9 of loopback.
    failures.push((
        "refused",
        client("http://127.0.0.1:9")
            .get_cost_center(7)
            .await
            .expect_err("refused"),
    ));
    let bad_header = Credentials::StoreApiKey {
        store: format!("1234\r\nX-Key: {KEY}").into(),
        api_key: KEY.into(),
    };
    let invalid = client(&big.uri()).with_credentials(bad_header);
    failures.push((
        "invalid header",
        invalid.get_cost_center(7).await.expect_err("refused"),
    ));

    let kinds: Vec<String> = failures
        .iter()
        .map(|(name, error)| {
            format!(
                "{name}: {}",
                everything_about(error).lines().next().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(failures.len(), 10, "{kinds:#?}");
    for (name, error) in &failures {
        let text = everything_about(error);
        assert!(!text.contains(KEY), "{name}: a credential leaked:\n{text}");
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
