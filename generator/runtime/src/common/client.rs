//! The client every API module shares. A module names its API with a [`Service`] (the
//! credentials it accepts, the error body it documents), calls its client
//! `Client<Api>`, and adds one method per operation; everything else is here, once: the
//! configuration and its builders, the one `async` body every call goes through, the error
//! type, and the reading of answers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, CONNECTION, CONTENT_LENGTH, HOST, HeaderMap, HeaderName, HeaderValue, TRANSFER_ENCODING,
    USER_AGENT,
};
use reqwest::{Method, Request, RequestBuilder, Url};
use serde::de::DeserializeOwned;

use super::drift::{
    Drift, DriftObserver, drift_mark, drift_rewind, end_watch, place, report_drift, start_watch,
};
use super::error::{Endpoint, Error};
use super::limiter::{Limiter, Quota};
use super::redirect::Redirects;
use super::telemetry::{call_span, end_call};
use super::transport::{Attempt, Call, Observer, Reply, RetryPolicy, exchange, idempotent};
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
    /// The headers its credentials travel in, in lowercase: [`Client::with_header`] refuses
    /// them, so that a credential is never sent twice or replaced unseen.
    const CREDENTIAL_HEADERS: &'static [&'static str];
    /// The query parameters its credentials travel in (the mock server's reports hide them).
    const CREDENTIAL_QUERY: &'static [&'static str];
    /// The quota the API documents (`x-rate-limit`), which its clients keep by default.
    const QUOTA: Option<Quota>;
    /// JSON pointers to where the error body keeps its code (Lagerkoll's `/errorCode`), tried
    /// in order: what [`Error::Api`] prints besides the status.
    const ERROR_CODE: &'static [&'static str];
    /// The header the API reads an idempotency key from on calls whose method is not
    /// idempotent (`x-idempotency-key`): what a call the spec does not describe
    /// ([`Client::raw`]) sends.
    const IDEMPOTENCY_KEY: Option<&'static str>;

    /// Puts `credentials` on `request`, if the operation accepts them: `accepted` lists the
    /// sets of credentials it accepts, by their place in the API's `Credentials`. Each
    /// replaces a header or query parameter of its name the call set. An error names the
    /// header, never the value.
    fn authorize(
        credentials: &Self::Credentials,
        request: &mut Request,
        accepted: &[usize],
    ) -> Result<(), Error<Self>>;
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
    /// Of one attempt.
    timeout: Option<Duration>,
    /// Of a whole call.
    deadline: Option<Duration>,
    redirects: Redirects,
    user_agent: Option<HeaderValue>,
    max_body: u64,
    validation: bool,
    credentials: Option<S::Credentials>,
    /// Sent on every call, in place of the headers of the same names the call sets; never a
    /// credential's (see [`Client::with_header`]).
    headers: HeaderMap,
    /// The header of the idempotency key of calls that are not idempotent: `None` to follow
    /// the spec, `Some(None)` for none.
    idempotency_key: Option<Option<HeaderName>>,
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
            deadline: self.deadline,
            redirects: self.redirects,
            user_agent: self.user_agent.clone(),
            max_body: self.max_body,
            validation: self.validation,
            credentials: self.credentials.clone(),
            headers: self.headers.clone(),
            idempotency_key: self.idempotency_key.clone(),
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
            .field("deadline", &self.deadline)
            .field("redirects", &self.redirects)
            .field("user_agent", &self.user_agent)
            .field("max_body", &self.max_body)
            .field("observer", &self.observer.is_some())
            .field("drift_observer", &self.drift_observer.is_some())
            .field("credentials", &self.credentials.is_some())
            .field("validation", &self.validation)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("idempotency_key", &self.idempotency_key)
            .field("quota", &self.limiter.as_ref().map(|limiter| limiter.quota()))
            .finish_non_exhaustive()
    }
}

impl<S: Service> Client<S> {
    /// The `User-Agent` of a client made by [`Client::new`].
    pub const USER_AGENT: &'static str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

    /// The longest response body a client reads unless told otherwise: 32 MiB.
    pub const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;

    /// The longest a client waits for the answer to one attempt unless told otherwise: 30 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// The longest a call takes unless told otherwise, attempts, waits between them and
    /// waits for the quota included: 60 s.
    pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

    /// A client for the API at `base_url` with its own HTTP client (rustls, this crate's
    /// user agent, a 10 s connect timeout), [`Client::DEFAULT_TIMEOUT`] per attempt,
    /// [`Client::DEFAULT_DEADLINE`] per call and the default [`RetryPolicy`].
    pub fn new(base_url: &str) -> Result<Self, Error<S>> {
        let http = reqwest::Client::builder()
            .user_agent(Self::USER_AGENT)
            .connect_timeout(Duration::from_secs(10));
        Self::with_http_client(base_url, http)
    }

    /// A client whose HTTP client is built from the caller's `http`, so proxies, TLS
    /// settings, default headers, timeouts and connection pool settings configured on it
    /// apply to every call. Its redirect policy is set to none: the client follows
    /// redirects itself, so that no credential leaves the API's origin (see
    /// [`Client::with_redirects`]). Default headers set on `http` are the caller's to
    /// choose, and reqwest sends them on every request, one to another origin included: give
    /// credentials with [`Client::with_credentials`], never as default headers. Calls get
    /// [`Client::DEFAULT_TIMEOUT`] per attempt (which takes the place of a timeout set on
    /// `http`), [`Client::DEFAULT_DEADLINE`] per call and the default [`RetryPolicy`].
    pub fn with_http_client(base_url: &str, http: reqwest::ClientBuilder) -> Result<Self, Error<S>> {
        let base_url = Url::parse(base_url)
            .map_err(|error| Error::invalid(format!("base URL `{base_url}`: {error}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::invalid(format!(
                "base URL `{base_url}` cannot take a path"
            )));
        }
        let http = http
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| Error::invalid(format!("the HTTP client cannot be built: {error}")))?;
        Ok(Self {
            base_url,
            http,
            retry: RetryPolicy::default(),
            observer: None,
            drift_observer: None,
            timeout: Some(Self::DEFAULT_TIMEOUT),
            deadline: Some(Self::DEFAULT_DEADLINE),
            redirects: Redirects::default(),
            user_agent: None,
            max_body: Self::DEFAULT_MAX_BODY,
            validation: true,
            credentials: None,
            headers: HeaderMap::new(),
            idempotency_key: None,
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
            Error::invalid(format!(
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

    /// This client sending the header `name: value` on every call, in place of a header of
    /// that name the call would send (`Accept`, `Content-Type`, a header parameter), and of
    /// an earlier `with_header` of that name: a name is sent once. For one call, give it to a
    /// clone: `client.clone().with_header("X-Request-Id", id)?.get_x().await` (clones share
    /// the connection pool). Its value shows in no `Debug` output, span or event. Refused if
    /// HTTP does not allow the name or the value, for a header the API's credentials travel
    /// in (give those with [`Client::with_credentials`]), and for `Host`, `Content-Length`,
    /// `Transfer-Encoding` and `Connection`, which the HTTP client writes from the request.
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, Error<S>> {
        let header = header_name(name)?;
        if S::CREDENTIAL_HEADERS.contains(&header.as_str()) {
            return Err(Error::invalid(format!(
                "`{name}` carries this API's credentials: give them with `with_credentials`"
            )));
        }
        if [HOST, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION].contains(&header) {
            return Err(Error::invalid(format!(
                "`{name}` is written by the HTTP client from the request itself"
            )));
        }
        let value = header_value(name, value)?;
        self.headers.insert(header, value);
        Ok(self)
    }

    /// This client with a timeout for each attempt of each call, redirects included
    /// ([`Client::DEFAULT_TIMEOUT`] unless told otherwise).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// This client ending each call that has not ended within `deadline` with
    /// [`Error::Timeout`]: attempts, the waits between them (`Retry-After` included) and the
    /// waits for the quota all count. A wait between attempts that would end past the
    /// deadline is not waited for: the call ends at once with the answer that asked for it.
    /// `None` (or a deadline too far to reach) lets calls take as long as the attempts and
    /// the retry policy allow. For one call, give it to a clone.
    pub fn with_deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// This client following the redirects `redirects` allows ([`Redirects::Anywhere`]
    /// unless told otherwise): within the API's origin as HTTP says, to another origin
    /// only as a bare `GET` or `HEAD`, without credentials, cookies, headers or body.
    pub fn with_redirects(mut self, redirects: Redirects) -> Self {
        self.redirects = redirects;
        self
    }

    /// This client sending a fresh idempotency key in the header `header` on every call whose
    /// method is not idempotent (`POST`, `PATCH`), the same key on each of its attempts, so
    /// that the server carries out the call once and such a call may be retried like an
    /// idempotent one; a key the call already carries (a parameter of the spec, or
    /// [`Client::with_header`]) is kept. `None` sends none. Unless told otherwise, a client
    /// sends the keys its spec names (`x-idempotency-key`, or an `Idempotency-Key` header
    /// parameter). Refused if HTTP does not allow the name.
    pub fn with_idempotency_key(mut self, header: Option<&str>) -> Result<Self, Error<S>> {
        self.idempotency_key = Some(header.map(header_name).transpose()?);
        Ok(self)
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
    /// The header its idempotency key travels in, if the method is not idempotent and the
    /// spec names one.
    pub idempotency_key: Option<&'static str>,
}

impl Operation {
    /// The call, as errors name it (a raw call has an empty `id`).
    fn endpoint(&self) -> Endpoint {
        Endpoint {
            operation: (!self.id.is_empty()).then_some(self.id),
            method: self.method,
            path: self.path,
        }
    }
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
    send_streaming(client, operation, &[], build, dispatch).await
}

/// [`send`] for an operation whose answers of the statuses `streams` are handed out as
/// they arrive (see [`super::stream`]): `dispatch` gets them with their body unread.
#[doc(hidden)]
pub async fn send_streaming<S: Service, T>(
    client: &Client<S>,
    operation: Operation,
    streams: &'static [u16],
    build: impl FnOnce(&Builder<'_>) -> Result<RequestBuilder, Error<S>>,
    dispatch: impl FnOnce(Reply) -> Result<T, Error<S>>,
) -> Result<T, Error<S>> {
    let span = call_span(operation.method, operation.path, &client.base_url);
    let mut status = None;
    let outcome = call(client, operation, streams, build, dispatch, &mut status)
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
    streams: &'static [u16],
    build: impl FnOnce(&Builder<'_>) -> Result<RequestBuilder, Error<S>>,
    dispatch: impl FnOnce(Reply) -> Result<T, Error<S>>,
    status: &mut Option<u16>,
) -> Result<T, Error<S>> {
    let endpoint = operation.endpoint();
    let builder = Builder {
        base_url: &client.base_url,
        http: &client.http,
        validation: client.validation,
        accept: operation.accept,
    };
    let key = client.idempotency_header(&operation);
    // A call that carries an idempotency key may be sent twice, as an idempotent one may.
    let replayable = idempotent(operation.method) || key.is_some();
    let request = client
        .prepare(&operation, key, build(&builder))
        .map_err(|error| error.at(endpoint))?;
    let call = Call {
        endpoint,
        policy: &client.retry,
        observer: client.observer.as_ref(),
        limiter: client.limiter.as_deref(),
        max_body: client.max_body,
        timeout: client.timeout,
        // One too far to reach is none.
        deadline: client
            .deadline
            .and_then(|deadline| tokio::time::Instant::now().checked_add(deadline)),
        redirects: client.redirects,
        base_url: &client.base_url,
        credential_query: S::CREDENTIAL_QUERY,
        replayable,
        streams,
    };
    let reply = exchange(call, &client.http, request)
        .await
        .map_err(|failed| Error::from_failure(endpoint, failed))?;
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

impl<S: Service> Client<S> {
    /// The request `built` for `operation`, with this client's headers in place of the
    /// call's of the same names, then its user agent, a fresh idempotency key in the header
    /// `key` (unless the call carries one), and its credentials.
    fn prepare(
        &self,
        operation: &Operation,
        key: Option<HeaderName>,
        built: Result<RequestBuilder, Error<S>>,
    ) -> Result<Request, Error<S>> {
        let mut request = built?.build().map_err(|error| {
            Error::invalid(format!("the request cannot be built: {}", error.without_url()))
        })?;
        let headers = request.headers_mut();
        for (name, value) in &self.headers {
            headers.insert(name, value.clone());
        }
        if let Some(agent) = &self.user_agent {
            headers.insert(USER_AGENT, agent.clone());
        }
        if let Some(header) = key {
            if !headers.contains_key(&header) {
                headers.insert(
                    header,
                    HeaderValue::from_str(&fresh_key()).map_err(|_| Error::invalid("an idempotency key"))?,
                );
            }
        }
        if let Some(credentials) = &self.credentials {
            S::authorize(credentials, &mut request, operation.accepted)?;
        }
        Ok(request)
    }

    /// The header of `operation`'s idempotency key, if it takes one: the client's setting,
    /// else the spec's, for a method that is not idempotent.
    fn idempotency_header(&self, operation: &Operation) -> Option<HeaderName> {
        if idempotent(operation.method) {
            return None;
        }
        match &self.idempotency_key {
            Some(setting) => setting.clone(),
            None => operation
                .idempotency_key
                .and_then(|name| HeaderName::from_bytes(name.as_bytes()).ok()),
        }
    }
}

/// A fresh idempotency key: a random UUID (version 4) in its text form. The randomness is the
/// standard library's hash keys, drawn from the operating system once per thread and moved on
/// for each key, so that no two keys of any process are alike.
fn fresh_key() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut bytes = [0u8; 16];
    for half in bytes.chunks_mut(8) {
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        half.copy_from_slice(&random.to_le_bytes());
    }
    // The version (4, random) and the variant (RFC 9562).
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Decodes a JSON body, keeping the status, the body and the path to the part that does
/// not match.
#[doc(hidden)]
pub fn decode<T: DeserializeOwned, S: Service>(reply: &Reply) -> Result<T, Error<S>> {
    let mut json = serde_json::Deserializer::from_slice(&reply.body);
    let value = serde_path_to_error::deserialize(&mut json).map_err(|error| Error::Decode {
        endpoint: reply.endpoint,
        status: reply.status,
        body: text(&reply.body),
        path: error.path().to_string(),
        source: error.into_inner(),
    })?;
    // Anything after the JSON value is not the documented body either.
    json.end().map_err(|source| Error::Decode {
        endpoint: reply.endpoint,
        status: reply.status,
        body: text(&reply.body),
        path: String::new(),
        source,
    })?;
    place(&reply.body);
    Ok(value)
}

/// A text body: its bytes as UTF-8, the charset the media types of text default to, and
/// the one `String` holds. A body in another encoding is a decode error that keeps it.
#[doc(hidden)]
pub fn decode_text<S: Service>(reply: Reply) -> Result<String, Error<S>> {
    String::from_utf8(reply.body).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        Error::Decode {
            endpoint: reply.endpoint,
            status: reply.status,
            body: text(error.as_bytes()),
            path: String::new(),
            source: serde::de::Error::custom(format!("the text is not UTF-8 from byte {valid}")),
        }
    })
}

/// The error for an answer that is not a documented success.
#[doc(hidden)]
pub fn failure<S: Service>(reply: Reply) -> Error<S> {
    if reply.status == 429 {
        return Error::RateLimited {
            endpoint: reply.endpoint,
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
        endpoint: reply.endpoint,
        status: reply.status,
        retry_after: reply.retry_after,
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
            endpoint: reply.endpoint,
            status: reply.status,
            code: error_code(S::ERROR_CODE, &reply.body),
            body: Box::new(parsed),
        });
    }
    // Not the error body: what trying it noted is not drift.
    drift_rewind(noted);
    None
}

/// The code of an error body: the first of the values at `pointers` that is a string, a
/// number or a boolean, cut to 100 characters.
fn error_code(pointers: &[&str], body: &[u8]) -> Option<String> {
    if pointers.is_empty() {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    pointers.iter().find_map(|pointer| {
        let code = match value.pointer(pointer)? {
            serde_json::Value::String(text) if !text.trim().is_empty() => text.trim().to_owned(),
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::Bool(flag) => flag.to_string(),
            _ => return None,
        };
        Some(code.chars().take(100).collect())
    })
}

/// A header name, refused if HTTP does not allow it.
fn header_name<S: Service>(name: &str) -> Result<HeaderName, Error<S>> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(format!("`{name}` is not an HTTP header name")))
}

/// A header value, refused before sending if HTTP does not allow it.
#[doc(hidden)]
pub fn header_value<S: Service>(name: &str, value: &str) -> Result<HeaderValue, Error<S>> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(format!("header `{name}` has characters HTTP does not allow")))
}

/// The body as text, for error reports.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::secret::{Secret, put_secret_header};

    /// An API whose one credential is the header `x-key`, and whose error body has a code.
    #[derive(Debug)]
    enum Keyed {}

    #[derive(Debug, Clone)]
    struct Key(Secret);

    impl Service for Keyed {
        type Credentials = Key;
        type ErrorBody = serde_json::Value;
        const CREDENTIAL_SETS: &'static [usize] = &[0];
        const CREDENTIAL_HEADERS: &'static [&'static str] = &["x-key"];
        const CREDENTIAL_QUERY: &'static [&'static str] = &[];
        const QUOTA: Option<Quota> = None;
        const ERROR_CODE: &'static [&'static str] = &["/error/code", "/code"];
        const IDEMPOTENCY_KEY: Option<&'static str> = Some("Idempotency-Key");

        fn authorize(key: &Key, request: &mut Request, _: &[usize]) -> Result<(), Error<Self>> {
            put_secret_header(request, "x-key", "", &key.0).map_err(Error::invalid)
        }
    }

    const CREATE: Operation = Operation {
        id: "createItem",
        method: "POST",
        path: "/items",
        accept: Some("application/json"),
        accepted: &[0],
        idempotency_key: Some("Idempotency-Key"),
    };

    fn client() -> Client<Keyed> {
        Client::<Keyed>::new("https://api.example/v1/").unwrap()
    }

    /// The request `client` sends for `operation`, built by the call with `headers`.
    fn prepared(
        client: &Client<Keyed>,
        operation: Operation,
        headers: &[(&'static str, &'static str)],
    ) -> Request {
        let builder = Builder {
            base_url: client.base_url(),
            http: client.http_client(),
            validation: true,
            accept: operation.accept,
        };
        let mut request = builder.request(Method::POST, builder.url(&["items"]));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let key = client.idempotency_header(&operation);
        client.prepare(&operation, key, Ok(request)).unwrap()
    }

    /// Every value of the header `name` of `request`.
    fn values(request: &Request, name: &str) -> Vec<String> {
        request
            .headers()
            .get_all(name)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn a_base_url_that_cannot_take_a_path_is_refused_before_any_call() {
        let error = Client::<Keyed>::new("mailto:someone@example.com").unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest { message, .. } if message.contains("cannot take a path")),
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
        let client = client().with_credentials(Key(Secret::new("k3y")));
        let shown = format!("{client:?}");
        assert!(
            shown.contains("credentials: true") && !shown.contains("k3y"),
            "{shown}"
        );
    }

    #[test]
    fn a_path_is_joined_segment_by_segment_and_escaped() {
        let client = client();
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
        let client = client();
        let accepts = |accept| {
            let request = prepared(&client, Operation { accept, ..CREATE }, &[]);
            values(&request, "accept")
        };
        assert_eq!(accepts(Some("application/json")), ["application/json"]);
        assert!(accepts(None).is_empty());
    }

    #[test]
    fn a_header_of_the_client_takes_the_place_of_the_calls_and_of_its_own_earlier_value() {
        let client = client()
            .with_header("Accept", "text/plain")
            .unwrap()
            .with_header("X-Request-Id", "first")
            .unwrap()
            .with_header("x-request-id", "second")
            .unwrap();
        let request = prepared(&client, CREATE, &[("x-request-id", "from the call")]);
        assert_eq!(values(&request, "accept"), ["text/plain"]);
        assert_eq!(values(&request, "x-request-id"), ["second"]);
    }

    #[test]
    fn a_credential_is_sent_once_whatever_header_the_call_set() {
        let client = client().with_credentials(Key(Secret::new("REALKEY")));
        let request = prepared(&client, CREATE, &[("x-key", "from a parameter")]);
        assert_eq!(values(&request, "x-key"), ["REALKEY"]);
    }

    #[test]
    fn the_headers_of_credentials_and_of_the_messages_framing_are_refused() {
        for name in [
            "x-key",
            "X-Key",
            "Host",
            "content-length",
            "Transfer-Encoding",
            "Connection",
        ] {
            let error = client().with_header(name, "1").unwrap_err();
            assert!(
                matches!(&error, Error::InvalidRequest { endpoint: None, message } if message.contains(name)),
                "{name}: {error}"
            );
        }
        let error = client().with_header("x-key", "1").unwrap_err();
        assert!(error.to_string().contains("with_credentials"), "{error}");
    }

    #[test]
    fn a_call_that_is_not_idempotent_carries_a_fresh_key_unless_it_has_one() {
        let client = client();
        let first = values(&prepared(&client, CREATE, &[]), "idempotency-key");
        let second = values(&prepared(&client, CREATE, &[]), "idempotency-key");
        assert_eq!((first.len(), second.len()), (1, 1));
        assert_ne!(first, second, "one key per call");
        let given = prepared(&client, CREATE, &[("idempotency-key", "mine")]);
        assert_eq!(values(&given, "idempotency-key"), ["mine"]);
        let get = Operation {
            method: "GET",
            ..CREATE
        };
        assert!(values(&prepared(&client, get, &[]), "idempotency-key").is_empty());
        let off = client.clone().with_idempotency_key(None).unwrap();
        assert!(values(&prepared(&off, CREATE, &[]), "idempotency-key").is_empty());
        let named = client.with_idempotency_key(Some("X-Once")).unwrap();
        let request = prepared(&named, CREATE, &[]);
        assert_eq!(values(&request, "x-once").len(), 1);
        assert_eq!(
            named.idempotency_header(&CREATE).as_ref().map(HeaderName::as_str),
            Some("x-once")
        );
    }

    #[test]
    fn a_key_is_a_version_4_uuid_and_no_two_are_alike() {
        let keys: std::collections::BTreeSet<String> = (0..10_000).map(|_| fresh_key()).collect();
        assert_eq!(keys.len(), 10_000);
        for key in keys.iter().take(100) {
            let groups: Vec<usize> = key.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{key}");
            assert_eq!(&key[14..15], "4", "{key}");
            assert!(matches!(&key[19..20], "8" | "9" | "a" | "b"), "{key}");
        }
    }

    #[test]
    fn an_error_body_shows_its_code_and_nothing_else() {
        let reply = Reply {
            endpoint: CREATE.endpoint(),
            status: 400,
            retry_after: None,
            body: br#"{"error": {"code": "card_declined", "message": "ada@example.com was refused"}}"#
                .to_vec(),
            stream: None,
        };
        let error: Error<Keyed> = failure(reply);
        assert!(
            matches!(&error, Error::Api { code: Some(code), .. } if code == "card_declined"),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "createItem (POST /items): the server refused the call with status 400, error code `card_declined`"
        );
        assert_eq!(
            error_code(&["/missing", "/n"], br#"{"n": 1003}"#).as_deref(),
            Some("1003")
        );
        assert_eq!(error_code(&["/n"], br#"{"n": {"nested": 1}}"#), None);
        assert_eq!(error_code(&[], br#"{"n": 1}"#), None);
    }

    #[test]
    fn no_error_body_decodes_so_errors_keep_their_text() {
        let reply = Reply {
            endpoint: CREATE.endpoint(),
            status: 400,
            retry_after: None,
            body: b"{\"message\": \"no\"}".to_vec(),
            stream: None,
        };
        let error: Error<crate::common::testing::Plain> = failure(reply);
        assert!(matches!(error, Error::Status { status: 400, ref body, .. } if body.contains("no")));
    }
}
