//! Typed stubs of an API's operations on a local mock server, for the tests of a service that
//! uses the clients (the `mock` feature, off by default: add it to `[dev-dependencies]`).
//!
//! Each API module's `MockServer` has one method per operation, named as the client's, that
//! stubs it: the answer is given as the operation's own success type or the API's error
//! body, encoded as the client will decode it, so a test cannot stub a body the client would
//! refuse. The client under test is the real one (credentials, retries, decoding), pointed
//! at [`MockServer::uri`].
//!
//! A request no stub matches is answered `404` with a body that says, for each stub of its
//! method and path, which of its matchers failed. A stub called other than the times it
//! expects fails the test when the server is dropped or verified, naming the stub, its
//! answer (and whether the client retries it), and the requests received: their methods,
//! paths, queries and header names, never a credential or a header's value.

use std::fmt::Write as _;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use wiremock::{Mock, Request, ResponseTemplate};

use super::client::{Client, Service};
use super::raw::{TemplatePiece, template_pieces};

/// A local HTTP server answering the stubs mounted on it, for the API `S`.
#[derive(Debug)]
pub struct MockServer<S: Service> {
    server: wiremock::MockServer,
    stubs: Registry,
    api: PhantomData<S>,
}

/// The stubs mounted on a server, shared with its answer to unmatched requests.
type Registry = Arc<Mutex<Vec<Arc<Record>>>>;

/// The stubs, whatever a panicking test left them in.
fn lock(stubs: &Registry) -> MutexGuard<'_, Vec<Arc<Record>>> {
    stubs.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<S: Service> MockServer<S> {
    /// A server on a free local port, with no stub yet: it answers 404 to everything, with a
    /// body saying why.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let stubs = Registry::default();
        Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched {
                stubs: Arc::clone(&stubs),
                hidden: S::CREDENTIAL_QUERY,
            })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        Self {
            server,
            stubs,
            api: PhantomData,
        }
    }

    /// Its base URL, for [`Client::new`].
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client of it: [`Client::new`] on its URL, without the API's quota, so that a test
    /// never waits for one. It retries as any client does (see [`Stub::expect`]).
    pub fn client(&self) -> Client<S> {
        // The mock server's URL is always a valid base URL.
        match Client::new(&self.uri()) {
            Ok(client) => client.with_quota(None),
            Err(error) => unreachable!("the mock server's URL is refused: {error}"),
        }
    }

    /// The underlying `wiremock` server, for answers to calls outside the API (such as an
    /// upload URL the API hands out).
    pub fn server(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// The requests it has received, in order.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Checks now what [`Stub::expect`] asked of every stub mounted (also checked when the
    /// server is dropped), and fails the test with a report if a stub was called other than
    /// as often as it expects.
    pub async fn verify(&self) {
        let received = self.received_requests().await;
        if let Some(report) = self.report(&received) {
            panic!("{report}");
        }
    }

    /// What went wrong with the stubs' expectations, if anything did.
    fn report(&self, received: &[Request]) -> Option<String> {
        let stubs = lock(&self.stubs);
        let missed: Vec<&Arc<Record>> = stubs.iter().filter(|stub| !stub.met()).collect();
        if missed.is_empty() {
            return None;
        }
        let mut report = format!(
            "{} stub(s) of the mock server not called as expected:\n",
            missed.len()
        );
        for stub in missed {
            let _ = writeln!(report, "- {}", stub.shortfall());
        }
        let _ = writeln!(report, "requests received ({}):", received.len());
        for request in received {
            let _ = writeln!(report, "- {}", shown(request, S::CREDENTIAL_QUERY));
        }
        Some(report)
    }

    /// A stub of the operation `verb template`, named `name` as the client's method, whose
    /// success answers are `successes` (the first the default) with a body of type `T`. The
    /// generated stub methods call it.
    #[doc(hidden)]
    pub fn stub<T: Serialize>(
        &self,
        name: &'static str,
        verb: &'static str,
        template: &'static str,
        successes: &'static [u16],
    ) -> Stub<'_, S, T> {
        let status = successes.first().copied().unwrap_or(200);
        Stub {
            server: self,
            record: Record {
                name,
                verb,
                template,
                conditions: Vec::new(),
                status,
                expected: None,
                calls: AtomicU64::new(0),
            },
            successes,
            answer: ResponseTemplate::new(status),
            types: PhantomData,
        }
    }
}

impl<S: Service> Drop for MockServer<S> {
    /// Fails the test if a stub was called other than as often as it expects (unless the test
    /// is failing already).
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        // The requests as the stubs counted them: the server cannot be asked from here.
        if let Some(report) = self.report(&[]) {
            panic!("{report}(see MockServer::verify for the requests)");
        }
    }
}

/// A stub as mounted: what it matches, what it answers, how often it was called.
#[derive(Debug)]
struct Record {
    /// The client's method it stubs.
    name: &'static str,
    verb: &'static str,
    template: &'static str,
    conditions: Vec<Condition>,
    /// The status it answers.
    status: u16,
    expected: Option<u64>,
    calls: AtomicU64,
}

impl Record {
    /// Why `request` is not this stub's, if it is not, with the values of the query
    /// parameters named `hidden` left out.
    fn mismatch(&self, request: &Request, hidden: &[&str]) -> Option<String> {
        if !request.method.as_str().eq_ignore_ascii_case(self.verb) {
            return Some(format!("the method is {}, not {}", request.method, self.verb));
        }
        let Some(values) = path_values(self.template, request.url.path()) else {
            return Some(format!("the path is not `{}`", self.template));
        };
        let failed: Vec<String> = self
            .conditions
            .iter()
            .filter_map(|condition| condition.mismatch(request, &values, hidden))
            .collect();
        (!failed.is_empty()).then(|| failed.join("; "))
    }

    /// Whether it was called as often as it expects.
    fn met(&self) -> bool {
        self.expected
            .is_none_or(|expected| expected == self.calls.load(Ordering::SeqCst))
    }

    /// What it expected and what it got, and why they may differ.
    fn shortfall(&self) -> String {
        let calls = self.calls.load(Ordering::SeqCst);
        let expected = self.expected.unwrap_or(calls);
        let mut text = format!(
            "`{}` ({} {}), answering {}: expected {expected} call(s), got {calls}",
            self.name, self.verb, self.template, self.status
        );
        if calls > expected && matches!(self.status, 408 | 429 | 500 | 502 | 503 | 504) {
            let _ = write!(
                text,
                ". The client retries a {} (a 429 always; the others for idempotent calls and \
                 calls with an idempotency key), up to its `RetryPolicy::max_attempts`: expect \
                 every attempt, or give the client `RetryPolicy::never()`",
                self.status
            );
        }
        text
    }
}

/// What a stub matches beyond its method and path.
#[derive(Debug)]
enum Condition {
    /// The query parameter `name=value`.
    Query(String, String),
    /// The header `name: value`.
    Header(String, String),
    /// A JSON body equal to this.
    Body(serde_json::Value),
    /// The path template's `{name}`, as the client writes `value` in the path.
    Path(String, String),
}

impl Condition {
    /// Why `request`, whose path gave `values`, does not meet it, if it does not; the values
    /// of the query parameters named `hidden` (credentials) are not shown.
    fn mismatch(&self, request: &Request, values: &[(&str, String)], hidden: &[&str]) -> Option<String> {
        match self {
            Self::Query(name, value) => {
                let given: Vec<String> = request
                    .url
                    .query_pairs()
                    .filter(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                    .collect();
                (!given.contains(value)).then(|| match given.as_slice() {
                    // A credential's value is named, never shown.
                    _ if hidden.contains(&name.as_str()) => {
                        format!("query `{name}` has another value, or none")
                    }
                    [] => format!("query `{name}` is missing (expected `{value}`)"),
                    _ => format!("query `{name}` is `{}`, not `{value}`", given.join("`, `")),
                })
            }
            Self::Header(name, value) => {
                let given = request.headers.get_all(name.as_str());
                let matched = given.iter().any(|given| given.as_bytes() == value.as_bytes());
                // Header values may be credentials: the report says which header, not its value.
                (!matched).then(|| match given.iter().next() {
                    None => format!("header `{name}` is missing"),
                    Some(_) => format!("header `{name}` has another value"),
                })
            }
            Self::Body(expected) => match serde_json::from_slice::<serde_json::Value>(&request.body) {
                Ok(body) if body == *expected => None,
                Ok(_) => Some("the JSON body differs from the one expected".to_owned()),
                Err(_) if request.body.is_empty() => {
                    Some("there is no body (a JSON body was expected)".to_owned())
                }
                Err(_) => Some("the body is not JSON".to_owned()),
            },
            Self::Path(name, value) => {
                let expected = segment(value);
                match values.iter().find(|(given, _)| given == name) {
                    Some((_, given)) if *given == expected => None,
                    Some((_, given)) => Some(format!("path `{{{name}}}` is `{given}`, not `{expected}`")),
                    None => Some(format!("the path template has no `{{{name}}}`")),
                }
            }
        }
    }
}

/// `value` as the client writes it in a path segment: percent-encoded.
fn segment(value: &str) -> String {
    let mut url = match reqwest::Url::parse("http://localhost/") {
        Ok(url) => url,
        Err(_) => return value.to_owned(),
    };
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.clear().push(value);
    }
    url.path().trim_start_matches('/').to_owned()
}

/// The values `path` gives the `{names}` of `template`, as written in it, or `None` if the
/// path is not one of the template's. A value is one segment, or the part of one that the
/// template's text around it leaves.
fn path_values<'t>(template: &'t str, path: &str) -> Option<Vec<(&'t str, String)>> {
    let wanted: Vec<&str> = template.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut values = Vec::new();
    for (wanted, given) in wanted.into_iter().zip(given) {
        // A template with a `{` left open names no value: it is matched as written.
        let pieces = template_pieces(wanted).unwrap_or_else(|_| vec![TemplatePiece::Text(wanted)]);
        let mut rest = given;
        let mut pieces = pieces.into_iter().peekable();
        while let Some(piece) = pieces.next() {
            match piece {
                TemplatePiece::Text(text) => rest = rest.strip_prefix(text)?,
                TemplatePiece::Value(name) => {
                    // The value runs to the text after it, or to the end of the segment.
                    let end = match pieces.peek() {
                        Some(TemplatePiece::Text(text)) => rest.find(text)?,
                        _ => rest.len(),
                    };
                    if end == 0 {
                        return None;
                    }
                    values.push((name, rest[..end].to_owned()));
                    rest = &rest[end..];
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(values)
}

/// A request as the reports show it: its method, path and query (the values of the API's
/// credential parameters hidden), and the names of its headers.
fn shown(request: &Request, hidden: &[&str]) -> String {
    let mut text = format!("{} {}", request.method, request.url.path());
    let pairs: Vec<String> = request
        .url
        .query_pairs()
        .map(|(name, value)| match hidden.contains(&name.as_ref()) {
            true => format!("{name}=***"),
            false => format!("{name}={value}"),
        })
        .collect();
    if !pairs.is_empty() {
        let _ = write!(text, "?{}", pairs.join("&"));
    }
    let mut names: Vec<&str> = request.headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let _ = write!(text, " (headers: {})", names.join(", "));
    text
}

/// The answer to a request no stub matched: a 404 saying why each stub of its method and
/// path refused it, or which stubs there are.
struct Unmatched {
    stubs: Registry,
    hidden: &'static [&'static str],
}

impl Unmatched {
    /// Why no stub matched `request`.
    fn explain(&self, request: &Request) -> String {
        let stubs = lock(&self.stubs);
        let mut text = format!(
            "no stub of the mock server matched {}\n",
            shown(request, self.hidden)
        );
        let near: Vec<(&Arc<Record>, String)> = stubs
            .iter()
            .filter(|stub| {
                stub.verb.eq_ignore_ascii_case(request.method.as_str())
                    && path_values(stub.template, request.url.path()).is_some()
            })
            .filter_map(|stub| Some((stub, stub.mismatch(request, self.hidden)?)))
            .collect();
        if near.is_empty() {
            let _ = writeln!(text, "no stub of this method and path; the stubs mounted:");
            for stub in stubs.iter() {
                let _ = writeln!(text, "- `{}` ({} {})", stub.name, stub.verb, stub.template);
            }
        }
        for (stub, why) in near {
            let _ = writeln!(text, "- `{}` ({} {}): {why}", stub.name, stub.verb, stub.template);
        }
        text
    }
}

impl wiremock::Respond for Unmatched {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(404).set_body_raw(self.explain(request), "text/plain; charset=utf-8")
    }
}

/// A stub's matcher: its method, its path and its conditions.
struct Matches(Arc<Record>);

impl wiremock::Match for Matches {
    fn matches(&self, request: &Request) -> bool {
        self.0.mismatch(request, &[]).is_none()
    }
}

/// A stub's answer, counting the calls.
struct Counted {
    record: Arc<Record>,
    answer: ResponseTemplate,
}

impl wiremock::Respond for Counted {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.record.calls.fetch_add(1, Ordering::SeqCst);
        self.answer.clone()
    }
}

/// One operation's stub, mounted on the server when awaited: what it answers, what it
/// matches beyond the method and path, and how often it must be called.
#[must_use = "a stub is mounted only when awaited"]
pub struct Stub<'a, S: Service, T> {
    server: &'a MockServer<S>,
    record: Record,
    /// The documented success statuses whose body is `T`.
    successes: &'static [u16],
    answer: ResponseTemplate,
    types: PhantomData<fn() -> T>,
}

impl<S: Service, T: Serialize> Stub<'_, S, T> {
    /// Answers with `body`, the operation's success type, under its first documented
    /// success status.
    pub fn respond(self, body: &T) -> Self {
        let status = self.record.status;
        self.respond_as(status, body)
    }

    /// Answers with `body` under `status`, one of the operation's documented success
    /// statuses with this body (Lucca's `createCommitment` answers 200 or 201). Panics, as a
    /// failed test, for any other status.
    pub fn respond_as(mut self, status: u16, body: &T) -> Self {
        assert!(
            self.successes.contains(&status),
            "`{}` documents {status} with no body of this type; its statuses with one: {:?} \
             (use `respond_status` or `respond_error` for others)",
            self.record.name,
            self.successes,
        );
        self.record.status = status;
        self.answer = ResponseTemplate::new(status).set_body_json(body);
        self
    }

    /// Answers `status` with `body`, the API's documented error body.
    pub fn respond_error(mut self, status: u16, body: &S::ErrorBody) -> Self
    where
        S::ErrorBody: Serialize,
    {
        self.record.status = status;
        self.answer = ResponseTemplate::new(status).set_body_json(body);
        self
    }

    /// Answers `status` with no body (a 204, or a 503 to exercise the retries).
    pub fn respond_status(mut self, status: u16) -> Self {
        self.record.status = status;
        self.answer = ResponseTemplate::new(status);
        self
    }

    /// Matches only requests with the query parameter `name=value`.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.record
            .conditions
            .push(Condition::Query(name.to_owned(), value.to_owned()));
        self
    }

    /// Matches only requests with the header `name: value`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.record
            .conditions
            .push(Condition::Header(name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Matches only requests whose path gives `{name}` of the operation's template the value
    /// `value` (`.path("id", "12")` for `/purchases/{id}`).
    pub fn path(mut self, name: &str, value: impl ToString) -> Self {
        self.record
            .conditions
            .push(Condition::Path(name.to_owned(), value.to_string()));
        self
    }

    /// Matches only requests whose JSON body equals `body`.
    pub fn body(mut self, body: &impl Serialize) -> Self {
        let body = serde_json::to_value(body).unwrap_or(serde_json::Value::Null);
        self.record.conditions.push(Condition::Body(body));
        self
    }

    /// Must be called exactly `times` times, checked when the server is dropped or verified.
    /// Each attempt of the client is a call: a stub answering a status the client retries
    /// (`429`, or `408` and 5xx for a call it may send twice) is called once per attempt.
    pub fn expect(mut self, times: u64) -> Self {
        self.record.expected = Some(times);
        self
    }
}

impl<'a, S: Service, T: Serialize> IntoFuture for Stub<'a, S, T> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

    /// Mounts the stub.
    fn into_future(self) -> Self::IntoFuture {
        let record = Arc::new(self.record);
        lock(&self.server.stubs).push(Arc::clone(&record));
        let mock = Mock::given(Matches(Arc::clone(&record))).respond_with(Counted {
            record,
            answer: self.answer,
        });
        Box::pin(mock.mount(&self.server.server))
    }
}

/// The typed stubs of an API's operations, from their table: the API, then a line per
/// operation with its docs: the method (named as the client's), the HTTP method, the path
/// template, the success statuses whose answer has the body of the first, and that body's type.
///
/// ```text
/// crate::common::stubs! {
///     Api {
///         /// A stub of [`Client::get_pet`]: `GET /pets/{id}`, answering 200.
///         get_pet("GET", "/pets/{id}", [200]): super::models::Pet;
///     }
/// }
/// ```
///
/// Each line is a method of the API's [`MockServer`] calling [`MockServer::stub`].
/// Attributes are matched as token trees, not parsed.
// A crate whose APIs have no operation has no stubs.
#[allow(unused_macros)]
macro_rules! stubs {
    (
        $api:ident {
            $(
                $(#[$($attr:tt)*])*
                $name:ident($verb:literal, $path:literal, [$($status:literal),*]): $body:ty;
            )*
        }
    ) => {
        impl crate::common::MockServer<$api> {
            $(
                $(#[$($attr)*])*
                pub fn $name(&self) -> crate::common::Stub<'_, $api, $body> {
                    self.stub(stringify!($name), $verb, $path, &[$($status),*])
                }
            )*
        }
    };
}

#[allow(unused_imports)]
pub(crate) use stubs;

#[cfg(test)]
mod tests {
    use super::{path_values, segment};

    use crate::common::testing::Plain as Api;

    crate::common::stubs! {
        Api {
            /// The names.
            list_names("GET", "/names", [200]): Vec<String>;
            /// A name, new or not.
            put_name("PUT", "/names/{id}", [200, 201]): String;
        }
    }

    async fn get(url: String) -> (u16, String) {
        let answer = reqwest::get(url).await.expect("answered");
        let status = answer.status().as_u16();
        (status, answer.text().await.expect("a body"))
    }

    #[tokio::test]
    async fn a_stub_of_the_table_answers_its_operation_with_its_body() {
        let server = crate::common::MockServer::<Api>::start().await;
        server.list_names().respond(&vec!["a".to_owned()]).await;
        assert_eq!(
            get(format!("{}/names", server.uri())).await,
            (200, r#"["a"]"#.to_owned())
        );
    }

    #[tokio::test]
    async fn a_request_no_stub_matches_is_told_why() {
        let server = crate::common::MockServer::<Api>::start().await;
        server.list_names().query("since", "41").respond(&vec![]).await;
        let (status, body) = get(format!("{}/names?since=42", server.uri())).await;
        assert_eq!(status, 404);
        assert!(
            body.contains("`list_names` (GET /names): query `since` is `42`, not `41`"),
            "{body}"
        );
        let (status, body) = get(format!("{}/elsewhere", server.uri())).await;
        assert_eq!(status, 404);
        assert!(
            body.contains("the stubs mounted:\n- `list_names` (GET /names)"),
            "{body}"
        );
    }

    #[tokio::test]
    async fn a_credential_in_the_query_is_named_in_a_report_never_shown() {
        let server = crate::common::MockServer::<Api>::start().await;
        server.list_names().query("token", "test").respond(&vec![]).await;
        let unmatched = super::Unmatched {
            stubs: std::sync::Arc::clone(&server.stubs),
            hidden: &["token"],
        };
        let request = wiremock::Request {
            url: format!("{}/names?token=REALKEY", server.uri()).parse().unwrap(),
            method: wiremock::http::Method::GET,
            headers: Default::default(),
            body: Vec::new(),
        };
        let text = unmatched.explain(&request);
        assert!(!text.contains("REALKEY"), "{text}");
        assert!(
            text.contains("query `token` has another value, or none"),
            "{text}"
        );
        assert!(text.contains("GET /names?token=***"), "{text}");
    }

    #[tokio::test]
    async fn a_stub_answers_any_of_its_documented_successes_and_no_other() {
        let server = crate::common::MockServer::<Api>::start().await;
        server.put_name().respond_as(201, &"ada".to_owned()).await;
        let answer = reqwest::Client::new()
            .put(format!("{}/names/7", server.uri()))
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status().as_u16(), 201);
        let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            server.put_name().respond_as(202, &"ada".to_owned())
        }));
        assert!(refused.is_err(), "202 is not documented with a body");
    }

    #[tokio::test]
    async fn a_stub_called_other_than_expected_says_so_and_why() {
        let server = crate::common::MockServer::<Api>::start().await;
        server.list_names().respond_status(503).expect(1).await;
        for _ in 0..3 {
            get(format!("{}/names?token=x", server.uri())).await;
        }
        let received = server.received_requests().await;
        let report = server.report(&received).expect("the expectation is not met");
        assert!(
            report.contains("`list_names` (GET /names), answering 503: expected 1 call(s), got 3. The client retries a 503"),
            "{report}"
        );
        assert!(
            report.contains("- GET /names?token=x (headers: accept, "),
            "{report}"
        );
        // Forgotten, so that dropping the server passes.
        super::lock(&server.stubs).clear();
    }

    #[test]
    fn a_template_gives_the_values_of_its_names_each_in_one_segment() {
        assert_eq!(
            path_values("/purchases/{id}/commitment", "/purchases/12/commitment"),
            Some(vec![("id", "12".to_owned())])
        );
        assert_eq!(
            path_values("/files/{name}.json", "/files/a%2Fb.json"),
            Some(vec![("name", "a%2Fb".to_owned())])
        );
        assert_eq!(path_values("/purchases/{id}", "/purchases/12/commitment"), None);
        assert_eq!(path_values("/purchases/{id}", "/purchases/"), None);
        assert_eq!(path_values("/v1/items", "/v1/items"), Some(vec![]));
        assert_eq!(path_values("/v1/items", "/v1/other"), None);
    }

    #[test]
    fn a_path_value_is_compared_as_the_client_writes_it() {
        assert_eq!(segment("12"), "12");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
    }
}
