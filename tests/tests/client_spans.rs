//! Every call is one `tracing` span named and described as OpenTelemetry's HTTP client
//! conventions say, each attempt an event inside it, and nothing in either is a parameter
//! value, a body or a credential. An answer announcing the call's end (`Deprecation`,
//! `Sunset`) is a warn event and part of the observer's record.

mod support;

use std::collections::BTreeMap;

use support::servers::{cost_centers, quick_retries};
use support::spans::Spans;
use vendor_clients::common::Deprecation;
use vendor_clients::lagerkoll::{Client, Credentials};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k3y-never-traced";
const STORE: &str = "store-5150";
/// A cost center id no span may show: it is a parameter value.
const COST_CENTER: i64 = 918_273;

fn client(server: &MockServer) -> Client {
    Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(quick_retries())
        .with_credentials(Credentials::StoreApiKey {
            store: STORE.into(),
            api_key: KEY.into(),
        })
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_call_is_one_client_span_with_an_event_per_attempt_and_no_value_of_the_call() {
    let server = MockServer::start().await;
    let port = server.address().port().to_string();
    let template = "/costcenters/{cost_center}";
    Mock::given(method("GET"))
        .and(path(format!("/costcenters/{COST_CENTER}")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers()))
        .mount(&server)
        .await;
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    client(&server)
        .get_cost_center(COST_CENTER)
        .await
        .expect("a cost center");

    let [call] = spans.spans().try_into().expect("one span per call");
    assert_eq!(call.name, "http.client");
    assert_eq!(call.parent, None);
    let expected = fields(&[
        ("otel.name", &format!("GET {template}")),
        ("otel.kind", "client"),
        ("http.request.method", "GET"),
        ("url.template", template),
        ("server.address", "127.0.0.1"),
        ("server.port", &port),
        ("http.response.status_code", "200"),
    ]);
    assert_eq!(
        call.fields, expected,
        "no error recorded on a call that succeeded"
    );

    let attempts: Vec<_> = spans
        .events()
        .into_iter()
        .filter(|e| e.fields["message"] == "attempt")
        .collect();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    for (attempt, status) in attempts.iter().zip(["503", "200"]) {
        assert_eq!(attempt.parent, Some(call.id), "each attempt is inside the call");
        assert_eq!(attempt.fields["http.response.status_code"], status);
        assert_eq!(attempt.fields["url.template"], template);
    }
    assert!(!attempts[0].fields.contains_key("http.request.resend_count"));
    assert_eq!(attempts[1].fields["http.request.resend_count"], "1");

    let text = spans.text();
    for secret in [KEY, STORE, &COST_CENTER.to_string(), "Workshop"] {
        assert!(
            !text.contains(secret),
            "`{secret}` is in a span or event:\n{text}"
        );
    }
}

#[tokio::test]
async fn a_failed_call_records_its_status_as_the_error_type() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no cost center 918273 here"))
        .mount(&server)
        .await;
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    client(&server)
        .get_cost_center(COST_CENTER)
        .await
        .expect_err("a 404");
    let [call] = spans.spans().try_into().expect("one span per call");
    assert_eq!(call.fields["http.response.status_code"], "404");
    assert_eq!(call.fields["error.type"], "404");
    assert_eq!(call.fields["otel.status_code"], "ERROR");
    let text = spans.text();
    assert!(
        !text.contains("918273"),
        "the body or the parameter is in a span:\n{text}"
    );
}

#[tokio::test]
async fn a_call_that_gets_no_answer_names_what_failed() {
    // A port nothing listens on: the connection is refused, on every attempt.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = unused.local_addr().expect("its address");
    drop(unused);
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let client = Client::new(&format!("http://{address}"))
        .expect("a base URL")
        .with_retry(quick_retries());
    client.get_cost_center(COST_CENTER).await.expect_err("refused");
    let [call] = spans.spans().try_into().expect("one span per call");
    assert_eq!(call.fields["error.type"], "connect");
    assert!(!call.fields.contains_key("http.response.status_code"));
    let resends: Vec<_> = spans
        .events()
        .into_iter()
        .filter_map(|e| e.fields.get("http.request.resend_count").cloned())
        .collect();
    assert_eq!(
        resends,
        ["1", "2"],
        "a refused connection is retried, each resend counted"
    );
}

#[tokio::test]
async fn deprecation_and_sunset_headers_reach_the_observer_and_one_warn_event() {
    let server = MockServer::start().await;
    // Lucca documents both headers for versions it retires; a 503 first, so the call has
    // two answers that say it.
    let retiring = |status| {
        ResponseTemplate::new(status)
            .insert_header("Deprecation", "@1767225600")
            .insert_header("Sunset", "Wed, 01 Jul 2026 00:00:00 GMT")
    };
    Mock::given(method("GET"))
        .respond_with(retiring(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(retiring(200).set_body_json(support::fixture("lucca/vat-rates.json")))
        .mount(&server)
        .await;
    let attempts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&attempts);
    let client = vendor_clients::lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(quick_retries())
        .with_observer(move |attempt| log.lock().expect("log").push(attempt.clone()));
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let rates = vendor_clients::lucca::client::ListVatRatesParams {
        date: "2025-01-01".parse().expect("a date"),
        territory_id: "FR".into(),
    };
    client.list_vat_rates(&rates).await.expect("VAT rates");

    let since = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
    let sunset = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_782_864_000);
    let attempts = attempts.lock().expect("log");
    assert_eq!(attempts.len(), 2);
    for attempt in attempts.iter() {
        assert_eq!(
            attempt.deprecation,
            Some(Deprecation::Since(since)),
            "{attempt:?}"
        );
        assert_eq!(attempt.sunset, Some(sunset), "{attempt:?}");
    }
    let [call] = spans.spans().try_into().expect("one span per call");
    let warnings: Vec<_> = spans
        .events()
        .into_iter()
        .filter(|e| e.level == tracing::Level::WARN)
        .collect();
    assert_eq!(warnings.len(), 1, "one warning per call: {warnings:?}");
    let warning = &warnings[0];
    assert_eq!(warning.parent, Some(call.id));
    assert_eq!(
        warning.fields["message"],
        "the API announces the end of this call"
    );
    assert_eq!(
        warning.fields["url.template"],
        "/cleemy-procurement/taxes/api/rates"
    );
    assert_eq!(
        warning.fields["deprecation"],
        "since Thu, 01 Jan 2026 00:00:00 GMT"
    );
    assert_eq!(warning.fields["sunset"], "Wed, 01 Jul 2026 00:00:00 GMT");
}
