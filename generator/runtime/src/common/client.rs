//! The client every API module shares. A module names its API with a [`Service`] (the
//! credentials it accepts, the error body it documents), calls its client
//! `Client<Api>`, and adds one method per operation; everything else is here, once: the
//! configuration and its builders, the one `async` body every call goes through, the error
//! type, and the reading of answers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Method, RequestBuilder, Url};
use serde::de::DeserializeOwned;

use super::drift::{
    Drift, DriftObserver, drift_mark, drift_rewind, end_watch, place, report_drift, start_watch,
};
use super::error::Error;
use super::limiter::{Limiter, Quota};
use super::telemetry::{call_span, end_call};
use super::transport::{Attempt, Call, Observer, Reply, RetryPolicy, exchange, same_origin_redirects};
use tracing::Instrument as _;

/// What an API module tells the shared [`Client`] about its API. Each module names its API
/// with a type of its own, so its [`Error`] is a type of its own too.
pub trait Service: fmt::Debug + Sized + 'static {
    /// The credentials its operations accept; [`NoCredentials`] where the spec secures none.
    type Credentials: Clone + fmt::Debug + Send + Sync;
    /// The error body its operations document; [`NoErrorBody`] where they document none.
    type ErrorBody: DeserializeOwned + fmt::Debug + Send + Sync;
    /// Every set of credentials the API defines, by its place in `Credentials`: what a call
    /// the spec does not describe ([`Client::raw`]) presents.
    const CREDENTIAL_SETS: &'static [usize];
    /// The quota the API documents (`x-rate-limit`), which its clients keep by default.
    const QUOTA: Option<Quota>;

    /// `request` with `credentials`, if the operation accepts them: `accepted` lists the sets
    /// of credentials it accepts, by their place in the API's `Credentials`. An error names
    /// the header, never the value.
    fn authorize(
        credentials: &Self::Credentials,
        request: RequestBuilder,
        accepted: &[usize],
    ) -> Result<RequestBuilder, Error<Self>>;
}

/// The credentials of an API whose spec secures no operation: there are none, so
/// [`Client::with_credentials`] cannot be called for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCredentials {}

/// The error body of an API whose spec documents none: no answer decodes as one, so its
/// errors are [`Error::Status`] and never [`Error::Api`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoErrorBody {}

impl<'de> serde::Deserialize<'de> for NoErrorBody {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("the spec documents no error body"))
    }
}

/// A client of one API. An API module calls it `Client` (`Client<Api>`), documents it
/// with its servers and gives it one method per operation.
///
/// Cloning is cheap: clones share one connection pool.
pub struct Client<S: Service> {
    base_url: Url,
    http: reqwest::Client,
    retry: RetryPolicy,
    observer: Option<Observer>,
    drift_observer: Option<DriftObserver>,
    timeout: Option<Duration>,
    user_agent: Option<HeaderValue>,
    max_body: u64,
    validation: bool,
    credentials: Option<S::Credentials>,
    /// Sent on every call, before the credentials (which win over a header of the same name).
    headers: HeaderMap,
    /// Shared by the clones: they keep one quota together.
    limiter: Option<Arc<Limiter>>,
}

impl<S: Service> Clone for Client<S> {
    fn clone(&self) -> Self {
        Self {
            base_url: self.base_url.clone(),
            http: self.http.clone(),
            retry: self.retry.clone(),
            observer: self.observer.clone(),
            drift_observer: self.drift_observer.clone(),
            timeout: self.timeout,
            user_agent: self.user_agent.clone(),
            max_body: self.max_body,
            validation: self.validation,
            credentials: self.credentials.clone(),
            headers: self.headers.clone(),
            limiter: self.limiter.clone(),
        }
    }
}

impl<S: Service> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_body", &self.max_body)
            .field("observer", &self.observer.is_some())
            .field("drift_observer", &self.drift_observer.is_some())
            .field("credentials", &self.credentials.is_some())
            .field("validation", &self.validation)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("quota", &self.limiter.as_ref().map(|limiter| limiter.quota()))
            .finish_non_exhaustive()
    }
}

impl<S: Service> Client<S> {
    /// The `User-Agent` of a client made by [`Client::new`].
    pub const USER_AGENT: &'static str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

    /// The longest response body a client reads unless told otherwise: 32 MiB.
    pub const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;

    /// A client for the API at `base_url` with its own HTTP client (rustls, this
    /// crate's user agent, a 10 s connect timeout, redirects followed only within the
    /// same origin, so credentials never travel to another host), a 30 s timeout per
    /// attempt and the default [`RetryPolicy`].
    pub fn new(base_url: &str) -> Result<Self, Error<S>> {
        let http = reqwest::Client::builder()
            .user_agent(Self::USER_AGENT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(same_origin_redirects())
            .build()?;
        let client = Self::with_http_client(base_url, http)?;
        Ok(client.with_timeout(Duration::from_secs(30)))
    }

    /// A client using the caller's HTTP client, so proxies, default headers,
    /// timeouts and middleware configured on it apply to every call. It adds no
    /// timeout of its own and retries by the default [`RetryPolicy`]. Its redirect policy
    /// applies as it is: reqwest's default follows redirects to other hosts, and drops only
    /// the standard credential headers on the way, so give it [`same_origin_redirects`]
    /// when the API's credentials travel in headers of their own.
    pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, Error<S>> {
        let base_url = Url::parse(base_url)
            .map_err(|error| Error::InvalidRequest(format!("base URL `{base_url}`: {error}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::InvalidRequest(format!(
                "base URL `{base_url}` cannot take a path"
            )));
        }
        Ok(Self {
            base_url,
            http,
            retry: RetryPolicy::default(),
            observer: None,
            drift_observer: None,
            timeout: None,
            user_agent: None,
            max_body: Self::DEFAULT_MAX_BODY,
            validation: true,
            credentials: None,
            headers: HeaderMap::new(),
            limiter: S::QUOTA.map(|quota| Arc::new(Limiter::new(quota))),
        })
    }

    /// This client, and the clones made from it from now on, starting at most
    /// `quota.requests` attempts in any `quota.per` (retries included), a burst waiting for
    /// room instead of drawing 429s; `None` turns the limit off. A client keeps the quota its
    /// spec documents (`x-rate-limit`) unless told otherwise. An API that counts per tenant
    /// counts every client of the tenant: give each a share of the quota.
    pub fn with_quota(mut self, quota: Option<Quota>) -> Self {
        self.limiter = quota.map(|quota| Arc::new(Limiter::new(quota)));
        self
    }

    /// This client with `policy` deciding when calls are tried again
    /// ([`RetryPolicy::never`] turns retrying off).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// This client presenting `credentials` on every call the spec secures.
    pub fn with_credentials(mut self, credentials: S::Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// This client checking request bodies against what the spec constrains (string
    /// lengths, check digits) before sending, and refusing them with
    /// [`Error::InvalidRequest`] (on by default). Turn it off to let the server judge,
    /// for instance for a SIRET of La Poste, which does not pass the Luhn check. Where the
    /// spec constrains no request body there is nothing to check, and this changes nothing.
    pub fn with_validation(mut self, on: bool) -> Self {
        self.validation = on;
        self
    }

    /// This client sending `user_agent` as its `User-Agent`, instead of the HTTP
    /// client's. Refused if HTTP does not allow the text in a header.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, Error<S>> {
        let value = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::InvalidRequest(format!(
                "the user agent `{user_agent}` has characters HTTP does not allow"
            ))
        })?;
        self.user_agent = Some(value);
        Ok(self)
    }

    /// This client refusing, with [`Error::BodyTooLarge`], any response body longer
    /// than `bytes`, before reading past it: a faulty or hostile server cannot make a
    /// call hold more memory than that.
    pub fn with_max_body(mut self, bytes: u64) -> Self {
        self.max_body = bytes;
        self
    }

    /// This client sending the header `name: value` on every call, replacing a header of that
    /// name the call would send (`Accept`, say), though never the credentials. For one call,
    /// give it to a clone: `client.clone().with_header("X-Request-Id", id)?.get_x().await`
    /// (clones share the connection pool). Its value shows in no `Debug` output, span or
    /// event. Refused if HTTP does not allow the name or the value.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, Error<S>> {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::InvalidRequest(format!("`{name}` is not an HTTP header name")))?;
        let value = header_value(name, value)?;
        self.headers.append(header, value);
        Ok(self)
    }

    /// This client with a timeout for each attempt of each call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// This client telling `observer` about every attempt: method, path template,
    /// attempt number, status and time taken (never a credential or parameter value).
    /// Each attempt is also a `tracing` event at debug level.
    pub fn with_observer(mut self, observer: impl Fn(&Attempt) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// This client telling `observer` about everything a response carries that the
    /// spec does not list (a new enum value or union tag, a key an object does not
    /// declare), once per response, with the operation, the status and the JSON
    /// pointer of its first occurrence. Nothing fails for it; this is how the spec
    /// learns it is behind. Each is also a `tracing` event at warn level.
    pub fn with_drift_observer(mut self, observer: impl Fn(&Drift) + Send + Sync + 'static) -> Self {
        self.drift_observer = Some(Arc::new(observer));
        self
    }

    /// The base URL every path is joined to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.http
    }
}

/// What an operation is, for [`send`]: its names from the spec and the credentials it
/// accepts (see [`Service::authorize`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method, in capitals.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The `Accept` header its request carries: the media types of its documented answers.
    pub accept: Option<&'static str>,
    /// The sets of credentials it accepts, by their place in the API's `Credentials`.
    pub accepted: &'static [usize],
}

/// What an operation builds its request from: the client's base URL, HTTP client and
/// whether it validates bodies, and nothing else of it; and the operation's `Accept`.
#[doc(hidden)]
pub struct Builder<'a> {
    base_url: &'a Url,
    http: &'a reqwest::Client,
    validation: bool,
    accept: Option<&'static str>,
}

impl Builder<'_> {
    /// The base URL followed by `segments`, each percent-encoded so that no value can
    /// leave its path segment.
    pub fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// A request of `method` to `url`, with the operation's `Accept` header.
    pub fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let request = self.http.request(method, url);
        match self.accept {
            Some(accept) => request.header(ACCEPT, accept),
            None => request,
        }
    }

    /// Whether request bodies are checked before sending (see [`Client::with_validation`]).
    pub fn validates(&self) -> bool {
        self.validation
    }
}

/// Sends the request `build` makes for `operation`, with the client's credentials,
/// timeout, retry policy and observer, and reads the last answer with `dispatch`, all in
/// the call's span (see [`call_span`]). The one `async` body of every client: an operation
/// only hands its two closures here, so the compiler checks one state machine per result
/// type, not one per operation.
#[doc(hidden)]
pub async fn send<S: Service, T>(
    client: &Client<S>,
    operation: Operation,
    build: impl FnOnce(&Builder<'_>) -> Result<RequestBuilder, Error<S>>,
    dispatch: impl FnOnce(Reply) -> Result<T, Error<S>>,
) -> Result<T, Error<S>> {
    let span = call_span(operation.method, operation.path, &client.base_url);
    let mut status = None;
    let outcome = call(client, operation, build, dispatch, &mut status)
        .instrument(span.clone())
        .await;
    end_call(&span, status, &outcome);
    outcome
}

/// [`send`] for an operation whose one documented success is `status` with a JSON body:
/// that answer decoded into `T`, any other answer a failure.
#[doc(hidden)]
pub fn send_json<S: Service, T: DeserializeOwned>(
    client: &Client<S>,
    operation: Operation,
    status: u16,
    build: impl FnOnce(&Builder<'_>) -> Result<RequestBuilder, Error<S>>,
) -> impl Future<Output = Result<T, Error<S>>> {
    send(client, operation, build, move |reply| {
        match reply.status == status {
            true => decode(&reply),
            false => Err(failure(reply)),
        }
    })
}

/// [`send`] for an operation whose one documented success is `status` without a body:
/// that answer is `()`, any other a failure.
#[doc(hidden)]
pub fn send_empty<S: Service>(
    client: &Client<S>,
    operation: Operation,
    status: u16,
    build: impl FnOnce(&Builder<'_>) -> Result<RequestBuilder, Error<S>>,
) -> impl Future<Output = Result<(), Error<S>>> {
    send(client, operation, build, move |reply| {
        match reply.status == status {
            true => Ok(()),
            false => Err(failure(reply)),
        }
    })
}

/// [`send`] within its span; `status` is set to the last answer's status once one comes.
async fn call<S: Service, T>(
    client: &Client<S>,
    operation: Operation,
    build: impl FnOnce(&Builder<'_>) -> Result<RequestBuilder, Error<S>>,
    dispatch: impl FnOnce(Reply) -> Result<T, Error<S>>,
    status: &mut Option<u16>,
) -> Result<T, Error<S>> {
    let builder = Builder {
        base_url: &client.base_url,
        http: &client.http,
        validation: client.validation,
        accept: operation.accept,
    };
    let request = build(&builder)?.headers(client.headers.clone());
    let request = match &client.credentials {
        Some(credentials) => S::authorize(credentials, request, operation.accepted)?,
        None => request,
    };
    let request = match &client.user_agent {
        Some(agent) => request.header(USER_AGENT, agent.clone()),
        None => request,
    };
    let request = match client.timeout {
        Some(timeout) => request.timeout(timeout),
        None => request,
    };
    let call = Call {
        method: operation.method,
        path: operation.path,
        policy: &client.retry,
        observer: client.observer.as_ref(),
        limiter: client.limiter.as_deref(),
        max_body: client.max_body,
    };
    let reply = exchange(call, request).await?;
    let answered = reply.status;
    *status = Some(answered);
    start_watch();
    let result = dispatch(reply);
    report_drift(
        client.drift_observer.as_ref(),
        operation.id,
        answered,
        end_watch(),
    );
    result
}

/// Decodes a JSON body, keeping the status, the body and the path to the part that does
/// not match.
#[doc(hidden)]
pub fn decode<T: DeserializeOwned, S: Service>(reply: &Reply) -> Result<T, Error<S>> {
    let mut json = serde_json::Deserializer::from_slice(&reply.body);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|error| Error::Decode {
        status: reply.status,
        body: text(&reply.body),
        path: error.path().to_string(),
        source: error.into_inner(),
    })?;
    // Anything after the JSON value is not the documented body either.
    json.end().map_err(|source| Error::Decode {
        status: reply.status,
        body: text(&reply.body),
        path: String::new(),
        source,
    })?;
    place(&reply.body);
    Ok(value)
}

/// The error for an answer that is not a documented success.
#[doc(hidden)]
pub fn failure<S: Service>(reply: Reply) -> Error<S> {
    if reply.status == 429 {
        return Error::RateLimited {
            retry_after: reply.retry_after,
            body: text(&reply.body),
        };
    }
    // Only a client or server error is the vendor's error body; an undocumented success
    // keeps its raw body in `Status`.
    if reply.status >= 400 {
        if let Some(error) = api_error(&reply) {
            return error;
        }
    }
    Error::Status {
        status: reply.status,
        body: text(&reply.body),
    }
}

/// A success answer whose body is the documented error body is that error: the spec says
/// the API may send its errors with a success status (`x-error-on-success`).
#[doc(hidden)]
pub fn error_on_success<S: Service>(reply: Reply) -> Result<Reply, Error<S>> {
    if (200..300).contains(&reply.status) {
        if let Some(error) = api_error(&reply) {
            return Err(error);
        }
    }
    Ok(reply)
}

/// The answer as the documented error body, if it is one.
fn api_error<S: Service>(reply: &Reply) -> Option<Error<S>> {
    let noted = drift_mark();
    if let Ok(parsed) = serde_json::from_slice::<S::ErrorBody>(&reply.body) {
        place(&reply.body);
        return Some(Error::Api {
            status: reply.status,
            body: Box::new(parsed),
        });
    }
    // Not the error body: what trying it noted is not drift.
    drift_rewind(noted);
    None
}

/// A header value, refused before sending if HTTP does not allow it.
#[doc(hidden)]
pub fn header_value<S: Service>(name: &str, value: &str) -> Result<HeaderValue, Error<S>> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::InvalidRequest(format!("header `{name}` has characters HTTP does not allow")))
}

/// The body as text, for error reports.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::secret::{Secret, secret_header};

    /// An API whose one credential is a header.
    #[derive(Debug)]
    enum Keyed {}

    #[derive(Debug, Clone)]
    struct Key(Secret);

    impl Service for Keyed {
        type Credentials = Key;
        type ErrorBody = NoErrorBody;
        const CREDENTIAL_SETS: &'static [usize] = &[0];
        const QUOTA: Option<Quota> = None;

        fn authorize(key: &Key, request: RequestBuilder, _: &[usize]) -> Result<RequestBuilder, Error<Self>> {
            let value = secret_header("x-key", "", &key.0).map_err(Error::InvalidRequest)?;
            Ok(request.header("x-key", value))
        }
    }

    #[test]
    fn a_base_url_that_cannot_take_a_path_is_refused_before_any_call() {
        let error = Client::<Keyed>::new("mailto:someone@example.com").unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest(m) if m.contains("cannot take a path")),
            "{error}"
        );
        let error = Client::<Keyed>::new("not a url").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid request: base URL `not a url`"),
            "{error}"
        );
    }

    #[test]
    fn debug_output_says_whether_there_are_credentials_never_what_they_are() {
        let client = Client::<Keyed>::new("https://api.example/v1")
            .unwrap()
            .with_credentials(Key(Secret::new("k3y")));
        let shown = format!("{client:?}");
        assert!(
            shown.contains("credentials: true") && !shown.contains("k3y"),
            "{shown}"
        );
    }

    #[test]
    fn a_path_is_joined_segment_by_segment_and_escaped() {
        let client = Client::<Keyed>::new("https://api.example/v1/").unwrap();
        let builder = Builder {
            base_url: client.base_url(),
            http: client.http_client(),
            validation: true,
            accept: None,
        };
        let url = builder.url(&["items", "a/b?c"]);
        assert_eq!(url.as_str(), "https://api.example/v1/items/a%2Fb%3Fc");
    }

    #[test]
    fn a_request_carries_the_operations_accept_header_if_it_has_one() {
        let client = Client::<Keyed>::new("https://api.example/v1/").unwrap();
        let accepts = |accept: Option<&'static str>| {
            let builder = Builder {
                base_url: client.base_url(),
                http: client.http_client(),
                validation: true,
                accept,
            };
            let request = builder
                .request(Method::GET, builder.url(&["items"]))
                .build()
                .unwrap();
            request
                .headers()
                .get(ACCEPT)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        assert_eq!(
            accepts(Some("application/json")).as_deref(),
            Some("application/json")
        );
        assert_eq!(accepts(None), None);
    }

    #[test]
    fn no_error_body_decodes_so_errors_keep_their_text() {
        let reply = Reply {
            status: 400,
            retry_after: None,
            body: b"{\"message\": \"no\"}".to_vec(),
        };
        let error: Error<Keyed> = failure(reply);
        assert!(matches!(error, Error::Status { status: 400, ref body } if body.contains("no")));
    }
}
