//! Typed stubs of an API's operations on a local mock server, for the tests of a service that
//! uses the clients (the `mock` feature, off by default: add it to `[dev-dependencies]`).
//!
//! Each API module's `MockServer` has one method per operation, named as the client's, that
//! stubs it: the answer is given as the operation's own success type or the API's error
//! body, encoded as the client will decode it, so a test cannot stub a body the client would
//! refuse. The client under test is the real one (credentials, retries, decoding), pointed
//! at [`MockServer::uri`].

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use serde::Serialize;
use wiremock::matchers::{body_json, header, method, path_regex, query_param};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

use super::client::{Client, Service};
use super::raw::{TemplatePiece, template_pieces};

/// A local HTTP server answering the stubs mounted on it, for the API `S`.
#[derive(Debug)]
pub struct MockServer<S: Service> {
    server: wiremock::MockServer,
    api: PhantomData<S>,
}

impl<S: Service> MockServer<S> {
    /// A server on a free local port, with no stub yet: it answers 404 to everything.
    pub async fn start() -> Self {
        Self {
            server: wiremock::MockServer::start().await,
            api: PhantomData,
        }
    }

    /// Its base URL, for [`Client::new`].
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client of it: [`Client::new`] on its URL, without the API's quota, so that a test
    /// never waits for one.
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
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// Checks now what [`Stub::expect`] asked of every stub mounted (also checked when the
    /// server is dropped).
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// A stub of the operation `method template` whose success answer is `status` with a
    /// body of type `T`. The generated stub methods call it.
    #[doc(hidden)]
    pub fn stub<T: Serialize>(
        &self,
        verb: &'static str,
        template: &'static str,
        status: u16,
    ) -> Stub<'_, S, T> {
        Stub {
            server: &self.server,
            mock: Mock::given(method(verb)).and(path_regex(path_pattern(template))),
            success: status,
            answer: ResponseTemplate::new(status),
            times: None,
            types: PhantomData,
        }
    }
}

/// The regular expression of the paths `template` stands for: each `{name}` one segment.
fn path_pattern(template: &str) -> String {
    // A template with a `{` left open names no value: it is matched as written.
    let pieces = template_pieces(template).unwrap_or_else(|_| vec![TemplatePiece::Text(template)]);
    let mut pattern = String::from("^");
    for piece in pieces {
        match piece {
            TemplatePiece::Text(text) => pattern.push_str(&escape(text)),
            TemplatePiece::Value(_) => pattern.push_str("[^/]+"),
        }
    }
    pattern.push('$');
    pattern
}

/// `text` with the characters a regular expression reads escaped.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// One operation's stub, mounted on the server when awaited: what it answers, what it
/// matches beyond the method and path, and how often it must be called.
#[must_use = "a stub is mounted only when awaited"]
pub struct Stub<'a, S: Service, T> {
    server: &'a wiremock::MockServer,
    mock: MockBuilder,
    success: u16,
    answer: ResponseTemplate,
    times: Option<u64>,
    types: PhantomData<fn() -> (S, T)>,
}

impl<S: Service, T: Serialize> Stub<'_, S, T> {
    /// Answers with `body`, the operation's success type, under its documented success status.
    pub fn respond(mut self, body: &T) -> Self {
        self.answer = ResponseTemplate::new(self.success).set_body_json(body);
        self
    }

    /// Answers `status` with `body`, the API's documented error body.
    pub fn respond_error(mut self, status: u16, body: &S::ErrorBody) -> Self
    where
        S::ErrorBody: Serialize,
    {
        self.answer = ResponseTemplate::new(status).set_body_json(body);
        self
    }

    /// Answers `status` with no body (a 204, or a 503 to exercise the retries).
    pub fn respond_status(mut self, status: u16) -> Self {
        self.answer = ResponseTemplate::new(status);
        self
    }

    /// Matches only requests with the query parameter `name=value`.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.mock = self.mock.and(query_param(name, value));
        self
    }

    /// Matches only requests with the header `name: value`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.mock = self.mock.and(header(name, value));
        self
    }

    /// Matches only requests whose JSON body equals `body`.
    pub fn body(mut self, body: &impl Serialize) -> Self {
        self.mock = self.mock.and(body_json(body));
        self
    }

    /// Must be called exactly `times` times, checked when the server is dropped or verified.
    pub fn expect(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }
}

impl<'a, S: Service, T: Serialize> IntoFuture for Stub<'a, S, T> {
    type Output = ();
    type IntoFuture = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

    /// Mounts the stub.
    fn into_future(self) -> Self::IntoFuture {
        let mock = self.mock.respond_with(self.answer);
        let mock = match self.times {
            Some(times) => mock.expect(times),
            None => mock,
        };
        Box::pin(mock.mount(self.server))
    }
}

/// The typed stubs of an API's operations, from their table: the API, then a line per
/// operation with its docs: the method (named as the client's), the HTTP method, the path
/// template and the status of the success it answers with, and that answer's body type.
///
/// ```text
/// crate::common::stubs! {
///     Api {
///         /// A stub of [`Client::get_pet`]: `GET /pets/{id}`, answering 200.
///         get_pet("GET", "/pets/{id}", 200): super::models::Pet;
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
                $name:ident($verb:literal, $path:literal, $status:literal): $body:ty;
            )*
        }
    ) => {
        impl crate::common::MockServer<$api> {
            $(
                $(#[$($attr)*])*
                pub fn $name(&self) -> crate::common::Stub<'_, $api, $body> {
                    self.stub($verb, $path, $status)
                }
            )*
        }
    };
}

#[allow(unused_imports)]
pub(crate) use stubs;

#[cfg(test)]
mod tests {
    use super::path_pattern;

    use crate::common::testing::Plain as Api;

    crate::common::stubs! {
        Api {
            /// The names.
            list_names("GET", "/names", 200): Vec<String>;
        }
    }

    #[tokio::test]
    async fn a_stub_of_the_table_answers_its_operation_with_its_body() {
        let server = crate::common::MockServer::<Api>::start().await;
        server.list_names().respond(&vec!["a".to_owned()]).await;
        let body = reqwest::get(format!("{}/names", server.uri()))
            .await
            .expect("answered")
            .text()
            .await
            .expect("a body");
        assert_eq!(body, r#"["a"]"#);
    }

    #[test]
    fn a_template_matches_its_paths_each_value_in_one_segment() {
        assert_eq!(
            path_pattern("/purchases/{id}/commitment"),
            "^/purchases/[^/]+/commitment$"
        );
        assert_eq!(path_pattern("/files/{name}.json"), "^/files/[^/]+\\.json$");
        assert_eq!(path_pattern("/v1/items"), "^/v1/items$");
    }
}
