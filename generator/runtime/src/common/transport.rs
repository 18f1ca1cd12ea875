//! Sending a call: its attempts, the waits between them, the redirects within each, the
//! quota, the body limit, and the one deadline over all of it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::{Request, Url};
use tokio::time::Instant;

use super::error::Endpoint;
use super::limiter::{Limiter, Permit};
use super::redirect::{Follow, Next, RedirectRefused, Redirects, next, same_origin};

/// When a call is tried again, and how long it may wait in all.
///
/// A `429 Too Many Requests` is retried after the wait its `Retry-After` header asks
/// for (seconds or an HTTP date), or after a backoff if it gives none. A `408`, a 5xx
/// answer (`500`, `502`, `503`, `504`), an attempt that timed out and a connection that
/// failed or was cut are retried with exponential backoff and jitter (or after the
/// `Retry-After` the answer gives), but only for calls the server may safely see twice:
/// idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`) and calls that
/// carry an idempotency key. A connection that could not be made is retried for every
/// call, since nothing was sent. A wait longer than `max_wait`, one that would take the
/// call past `max_total_wait`, or past the call's deadline, ends the call with the last
/// answer instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retrying off.
    pub max_attempts: u32,
    /// The longest single wait, whatever `Retry-After` asks.
    pub max_wait: Duration,
    /// The most a call may spend waiting between its attempts.
    pub max_total_wait: Duration,
    /// The first backoff; it doubles with each attempt, and each wait is drawn at
    /// random between half of it and all of it.
    pub backoff: Duration,
    /// Whether a `429` is retried.
    pub on_rate_limit: bool,
    /// Whether `408`, 5xx answers, timeouts and failed connections are retried (for the
    /// calls that may be sent twice).
    pub on_server_error: bool,
}

impl Default for RetryPolicy {
    /// Up to 3 attempts, waits of at most 30 s each and 60 s in all, from 250 ms of
    /// backoff.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            max_wait: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(60),
            backoff: Duration::from_millis(250),
            on_rate_limit: true,
            on_server_error: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt per call: nothing is retried.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff before attempt `next` (2 or more), with jitter.
    fn backoff_before(&self, next: u32) -> Duration {
        use std::hash::BuildHasher as _;
        let doubled = self
            .backoff
            .saturating_mul(1u32 << next.saturating_sub(2).min(16));
        let random = std::collections::hash_map::RandomState::new().hash_one(next);
        let fraction = (random % 1000) as u32;
        doubled / 2 + doubled / 2 * fraction / 1000
    }
}

/// Whether a request of `method` may be sent twice with the effect of once (RFC 9110 9.2.2).
#[doc(hidden)]
pub fn idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE")
}

/// Which limit ended a call that ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// An attempt got no answer within its timeout ([`Client::with_timeout`](super::client::Client::with_timeout),
    /// or the HTTP client's own), and no other attempt was allowed.
    Attempt,
    /// The whole call's deadline passed ([`Client::with_deadline`](super::client::Client::with_deadline)).
    Deadline,
}

/// One attempt at a call, as an observer sees it. It holds nothing secret: the path
/// is the template from the spec, without parameter values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, such as `/costcenters/{cost_center}`.
    pub path: &'static str,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The status answered, or `None` if no answer came.
    pub status: Option<u16>,
    /// Time from the start of this attempt to its end.
    pub elapsed: Duration,
    /// The answer's `Deprecation` header: the API says the call is, or will be, deprecated.
    pub deprecation: Option<Deprecation>,
    /// The answer's `Sunset` header (RFC 8594): when the call is expected to stop working.
    pub sunset: Option<SystemTime>,
}

/// What an answer's `Deprecation` header says (RFC 9745: `@` and the Unix time from which
/// the call is deprecated; earlier drafts sent `true` or an HTTP date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deprecation {
    /// Deprecated from this time, which may be in the future.
    Since(SystemTime),
    /// Deprecated, with no date the client could read.
    Undated,
}

impl Deprecation {
    /// The header's value as read; `None` for `false` or an empty value.
    fn read(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.is_empty() || value.eq_ignore_ascii_case("false") {
            return None;
        }
        let since = match value.strip_prefix('@').map(str::parse::<i64>) {
            Some(Ok(seconds)) => {
                let offset = Duration::from_secs(seconds.unsigned_abs());
                if seconds >= 0 {
                    SystemTime::UNIX_EPOCH.checked_add(offset)
                } else {
                    SystemTime::UNIX_EPOCH.checked_sub(offset)
                }
            }
            Some(Err(_)) => None,
            None => httpdate::parse_http_date(value).ok(),
        };
        Some(since.map_or(Self::Undated, Self::Since))
    }
}

impl std::fmt::Display for Deprecation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Since(at) => write!(f, "since {}", httpdate::fmt_http_date(*at)),
            Self::Undated => write!(f, "with no date"),
        }
    }
}

/// The `Deprecation` and `Sunset` headers of an answer.
fn end_of_life(headers: &reqwest::header::HeaderMap) -> (Option<Deprecation>, Option<SystemTime>) {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let deprecation = text("deprecation").and_then(Deprecation::read);
    let sunset = text("sunset").and_then(|value| httpdate::parse_http_date(value.trim()).ok());
    (deprecation, sunset)
}

/// A function told about every attempt of every call.
pub type Observer = std::sync::Arc<dyn Fn(&Attempt) + Send + Sync>;

/// The answer a call ended with.
#[doc(hidden)]
#[derive(Debug)]
pub struct Reply {
    /// The call it answers.
    pub endpoint: Endpoint,
    pub status: u16,
    /// The wait `Retry-After` asked for, if it was readable.
    pub retry_after: Option<Duration>,
    /// The body, read whole; empty where it is left to arrive in `stream`.
    pub body: Vec<u8>,
    /// An answer whose status the call hands out as a stream, its body unread.
    pub stream: Option<Streamed>,
}

/// An answer left to arrive, with the limits that apply to reading it.
#[doc(hidden)]
#[derive(Debug)]
pub struct Streamed {
    pub response: reqwest::Response,
    /// The longest wait for the next chunk: the client's timeout.
    pub idle: Option<Duration>,
    /// The client's body limit, for a caller that collects it.
    pub limit: u64,
}

/// What one call is, for [`exchange`].
#[doc(hidden)]
pub struct Call<'a> {
    pub endpoint: Endpoint,
    pub policy: &'a RetryPolicy,
    pub observer: Option<&'a Observer>,
    /// Keeps the API's quota: every request to its origin waits for room first.
    pub limiter: Option<&'a Limiter>,
    /// The longest body read, in bytes (decoded, if it came compressed).
    pub max_body: u64,
    /// How long one attempt may take, redirects included.
    pub timeout: Option<Duration>,
    /// When the whole call must have ended.
    pub deadline: Option<Instant>,
    pub redirects: Redirects,
    /// The API's base URL, whose origin alone receives credentials.
    pub base_url: &'a Url,
    /// The query parameters the API's credentials travel in, carried over to a redirect
    /// within its origin.
    pub credential_query: &'static [&'static str],
    /// Whether the server may see the request twice: an idempotent method, or an
    /// idempotency key.
    pub replayable: bool,
    /// The statuses whose answer is handed out as it arrives, its body unread: the call's
    /// timeout and deadline then cover the wait for the answer, not its body.
    pub streams: &'static [u16],
}

/// Why an attempt, or [`exchange`], has no answer to give.
#[doc(hidden)]
#[derive(Debug)]
pub enum Failure {
    /// Sending, or reading the answer, failed.
    Http { error: reqwest::Error, server: String },
    /// An attempt's timeout, or the call's deadline, passed.
    Timeout(Limit),
    /// The body is longer than the limit; the rest was not read.
    TooLarge { status: u16, limit: u64 },
    /// The body came in an encoding this build does not decode.
    Encoding { status: u16, encoding: String },
    /// A redirect the client does not follow.
    Redirect {
        status: u16,
        location: Url,
        refused: RedirectRefused,
    },
}

/// Why a call has no answer to give, after how many attempts and how long.
#[doc(hidden)]
#[derive(Debug)]
pub struct Failed {
    pub failure: Failure,
    pub attempts: u32,
    pub elapsed: Duration,
}

/// `host:port` of `url`, for errors.
pub(crate) fn server(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// A failure of `reqwest` on the way to `url`: a timeout of the attempt (a connection that
/// timed out is a failed connection, which nothing was sent on), or a transport failure.
fn failed(error: reqwest::Error, url: &Url) -> Failure {
    if error.is_timeout() && !error.is_connect() {
        Failure::Timeout(Limit::Attempt)
    } else {
        Failure::Http {
            error,
            server: server(url),
        }
    }
}

/// The body of `response`, refused as soon as it is known to be longer than `limit`
/// bytes: by its `Content-Length`, or once that much has arrived (after decompression,
/// which drops the `Content-Length`).
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, Failure> {
    let status = response.status().as_u16();
    let too_large = Failure::TooLarge { status, limit };
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(too_large);
    }
    let mut body = Vec::new();
    let url = response.url().clone();
    while let Some(chunk) = response.chunk().await.map_err(|error| failed(error, &url))? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The `Content-Encoding` of an answer the HTTP client left encoded: one this build has no
/// decoder for (the HTTP client removes the header of what it decodes).
fn undecoded(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let encoding = headers.get(reqwest::header::CONTENT_ENCODING)?;
    let encoding = String::from_utf8_lossy(encoding.as_bytes()).trim().to_owned();
    (!encoding.is_empty() && !encoding.eq_ignore_ascii_case("identity")).then_some(encoding)
}

/// `Retry-After` as a wait: delta seconds, or an HTTP date (a date in the past is no
/// wait). Anything else is unreadable.
#[doc(hidden)]
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

/// Sends `request` with `http`, trying again as `call.policy` allows, and returns the last
/// answer; all of it, waits and quota included, within the call's deadline.
#[doc(hidden)]
pub async fn exchange(call: Call<'_>, http: &reqwest::Client, request: Request) -> Result<Reply, Failed> {
    let started = Instant::now();
    let attempts = AtomicU32::new(0);
    let tries = tries(&call, http, request, &attempts);
    let outcome = match call.deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, tries)
            .await
            .unwrap_or(Err(Failure::Timeout(Limit::Deadline))),
        None => tries.await,
    };
    outcome.map_err(|failure| Failed {
        failure,
        attempts: attempts.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    })
}

/// The attempts of [`exchange`], counted in `attempts`.
async fn tries(
    call: &Call<'_>,
    http: &reqwest::Client,
    request: Request,
    attempts: &AtomicU32,
) -> Result<Reply, Failure> {
    let mut waited = Duration::ZERO;
    let mut current = request;
    let mut warned = false;
    loop {
        let attempt = attempts.fetch_add(1, Ordering::Relaxed) + 1;
        let next = if attempt < call.policy.max_attempts {
            current.try_clone()
        } else {
            None
        };
        let tried = one_attempt(call, http, current).await;
        let seen = Attempt {
            method: call.endpoint.method,
            path: call.endpoint.path,
            attempt,
            status: tried.outcome.as_ref().ok().map(|reply| reply.status),
            elapsed: tried.sent_at.map(|sent| sent.elapsed()).unwrap_or_default(),
            deprecation: tried.announced.0,
            sunset: tried.announced.1,
        };
        report(call, &seen, &mut warned);
        let Some(next) = next else {
            return tried.outcome;
        };
        let safe = call.replayable || !tried.redirected;
        let wait = match retry_wait(call, &tried.outcome, attempt, safe) {
            Some(wait) => wait,
            None => return tried.outcome,
        };
        let in_time = call
            .deadline
            .is_none_or(|deadline| Instant::now().checked_add(wait).is_some_and(|end| end < deadline));
        if wait > call.policy.max_wait || waited + wait > call.policy.max_total_wait || !in_time {
            return tried.outcome;
        }
        tokio::time::sleep(wait).await;
        waited += wait;
        current = next;
    }
}

/// The wait before trying again after `outcome`, the answer to attempt `attempt`, if the
/// policy tries again at all; nothing is tried again unless it is `safe` (the request was
/// not answered by a redirect, or may be sent twice).
fn retry_wait(
    call: &Call<'_>,
    outcome: &Result<Reply, Failure>,
    attempt: u32,
    safe: bool,
) -> Option<Duration> {
    let policy = call.policy;
    let backoff = || policy.backoff_before(attempt + 1);
    let again = safe
        && match outcome {
            Ok(reply) if reply.status == 429 => policy.on_rate_limit,
            Ok(reply) if matches!(reply.status, 408 | 500 | 502 | 503 | 504) => {
                policy.on_server_error && call.replayable
            }
            Err(Failure::Http { error, .. }) => {
                policy.on_server_error && (call.replayable || error.is_connect())
            }
            Err(Failure::Timeout(_)) => policy.on_server_error && call.replayable,
            _ => false,
        };
    if !again {
        return None;
    }
    match outcome {
        Ok(reply) => Some(reply.retry_after.unwrap_or_else(backoff)),
        Err(_) => Some(backoff()),
    }
}

/// Tells the observer and `tracing` about an attempt, and warns once per call of an API
/// announcing the end of the call.
fn report(call: &Call<'_>, seen: &Attempt, warned: &mut bool) {
    // Within the call's span (see `super::telemetry`): a resend carries its count, as
    // OpenTelemetry's HTTP conventions name it.
    tracing::debug!(
        http.request.method = seen.method,
        url.template = seen.path,
        http.request.resend_count = (seen.attempt > 1).then(|| seen.attempt - 1),
        http.response.status_code = seen.status,
        elapsed_ms = seen.elapsed.as_millis() as u64,
        "attempt"
    );
    if !*warned && (seen.deprecation.is_some() || seen.sunset.is_some()) {
        *warned = true;
        tracing::warn!(
            http.request.method = seen.method,
            url.template = seen.path,
            deprecation = seen.deprecation.map(tracing::field::display),
            sunset = seen
                .sunset
                .map(|at| tracing::field::display(httpdate::fmt_http_date(at))),
            "the API announces the end of this call"
        );
    }
    if let Some(observer) = call.observer {
        observer(seen);
    }
}

/// What one attempt came to.
struct Tried {
    outcome: Result<Reply, Failure>,
    /// What its answer said of the call's end of life: `Deprecation` and `Sunset`.
    announced: (Option<Deprecation>, Option<SystemTime>),
    /// When its first request went out, if one did.
    sent_at: Option<Instant>,
    /// Whether a redirect answered its request, so that the server may have carried it out.
    redirected: bool,
}

/// The requests of one attempt: the slot of the quota the request in flight holds, how many
/// redirects it followed, and when its first request went out.
#[derive(Default)]
struct Chain<'a> {
    permit: Option<Permit<'a>>,
    hops: u32,
    sent_at: Option<Instant>,
}

impl<'a> Chain<'a> {
    /// `request` sent, and the redirects it draws followed, to the answer that is none. Each
    /// request to the API's origin takes a slot of the quota, given back when the next one
    /// starts (or when the chain is dropped, once its answer has been read); the attempt's
    /// timeout counts from its first request.
    async fn send(
        &mut self,
        call: &Call<'a>,
        http: &reqwest::Client,
        mut request: Request,
    ) -> Result<reqwest::Response, Failure> {
        let follow = Follow {
            policy: call.redirects,
            base: call.base_url,
            carried_query: call.credential_query,
        };
        loop {
            drop(self.permit.take());
            if same_origin(request.url(), call.base_url) {
                if let Some(limiter) = call.limiter {
                    self.permit = Some(limiter.acquire().await);
                }
            }
            let first = *self.sent_at.get_or_insert_with(Instant::now);
            let left = call
                .timeout
                .map(|timeout| timeout.saturating_sub(first.elapsed()));
            // reqwest's timeout runs until the body has come, so an answer handed out as a
            // stream is timed only to its headers.
            if call.streams.is_empty() {
                *request.timeout_mut() = left;
            }
            let at = request.url().clone();
            let sent = match call.redirects {
                Redirects::Never => None,
                _ => request.try_clone(),
            };
            let response = match left.filter(|_| !call.streams.is_empty()) {
                Some(left) => tokio::time::timeout(left, http.execute(request))
                    .await
                    .map_err(|_| Failure::Timeout(Limit::Attempt))?,
                None => http.execute(request).await,
            };
            let response = response.map_err(|error| failed(error, &at))?;
            match next(&follow, &at, sent, response, self.hops) {
                Next::Answer(response) => return Ok(response),
                Next::Follow(next) => {
                    self.hops += 1;
                    request = next;
                }
                Next::Refuse {
                    status,
                    location,
                    refused,
                } => {
                    self.hops += 1;
                    return Err(Failure::Redirect {
                        status,
                        location,
                        refused,
                    });
                }
            }
        }
    }
}

/// One attempt: `request` sent, the redirects it draws followed, and the last answer read.
async fn one_attempt(call: &Call<'_>, http: &reqwest::Client, request: Request) -> Tried {
    let mut chain = Chain::default();
    let (outcome, announced) = match chain.send(call, http, request).await {
        Ok(response) => read(call, response).await,
        Err(failure) => (Err(failure), (None, None)),
    };
    Tried {
        outcome,
        announced,
        sent_at: chain.sent_at,
        redirected: chain.hops > 0,
    }
}

/// The answer `response` read as the call's reply, and what it said of the call's end of life.
async fn read(
    call: &Call<'_>,
    response: reqwest::Response,
) -> (Result<Reply, Failure>, (Option<Deprecation>, Option<SystemTime>)) {
    let announced = end_of_life(response.headers());
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(retry_after);
    if let Some(encoding) = undecoded(response.headers()) {
        return (Err(Failure::Encoding { status, encoding }), announced);
    }
    if call.streams.contains(&status) {
        let stream = Streamed {
            response,
            idle: call.timeout,
            limit: call.max_body,
        };
        let reply = Reply {
            endpoint: call.endpoint,
            status,
            retry_after,
            body: Vec::new(),
            stream: Some(stream),
        };
        return (Ok(reply), announced);
    }
    let reply = read_body(response, call.max_body).await.map(|body| Reply {
        endpoint: call.endpoint,
        status,
        retry_after,
        body,
        stream: None,
    });
    (reply, announced)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::{RetryPolicy, retry_after};

    #[test]
    fn retry_after_reads_delta_seconds() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("0"), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_saturates_a_huge_number_instead_of_failing() {
        assert_eq!(
            retry_after("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn retry_after_reads_an_http_date_and_a_past_one_is_no_wait() {
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        let wait = retry_after(&later).unwrap();
        assert!(
            wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_is_unreadable_when_empty_negative_fractional_or_garbage() {
        for value in ["", "   ", "-5", "1.5", "soon", "12s"] {
            assert_eq!(retry_after(value), None, "{value:?}");
        }
    }

    #[test]
    fn backoff_doubles_per_attempt_with_jitter_between_half_and_all() {
        let policy = RetryPolicy {
            backoff: Duration::from_millis(200),
            ..RetryPolicy::default()
        };
        for (next, full) in [(2, 200), (3, 400), (4, 800)] {
            let wait = policy.backoff_before(next);
            let full = Duration::from_millis(full);
            assert!(wait >= full / 2 && wait <= full, "attempt {next}: {wait:?}");
        }
    }

    #[test]
    fn backoff_stops_doubling_instead_of_overflowing() {
        let policy = RetryPolicy::default();
        assert!(policy.backoff_before(u32::MAX) <= policy.backoff.saturating_mul(1 << 16));
    }

    #[test]
    fn deprecation_reads_a_unix_time_a_legacy_date_or_a_bare_flag() {
        use super::Deprecation;
        let at = |seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
        assert_eq!(
            Deprecation::read("@1688169599"),
            Some(Deprecation::Since(at(1_688_169_599)))
        );
        assert_eq!(
            Deprecation::read("Sun, 11 Nov 2018 23:59:59 GMT"),
            Some(Deprecation::Since(at(1_541_980_799)))
        );
        assert_eq!(Deprecation::read("true"), Some(Deprecation::Undated));
        assert_eq!(Deprecation::read("@soon"), Some(Deprecation::Undated));
        assert_eq!(Deprecation::read("false"), None);
        assert_eq!(Deprecation::read(" "), None);
        assert_eq!(
            Deprecation::Since(at(1_688_169_599)).to_string(),
            "since Fri, 30 Jun 2023 23:59:59 GMT"
        );
    }

    #[test]
    fn never_tries_once_and_keeps_the_other_limits() {
        let never = RetryPolicy::never();
        assert_eq!(never.max_attempts, 1);
        assert_eq!(never.max_wait, RetryPolicy::default().max_wait);
    }
}
