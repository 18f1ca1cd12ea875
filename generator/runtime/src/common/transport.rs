use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// A redirect policy that follows at most 10 redirects, and none to another origin
/// (scheme, host and port): vendors send credentials in headers of their own
/// (`api_key`, `x-apikey`), which reqwest does not know to drop on the way to another
/// host. A redirect it does not follow comes back as the 3xx answer.
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= 10 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// When a call is tried again, and how long it may wait in all.
///
/// A `429 Too Many Requests` is retried after the wait its `Retry-After` header asks
/// for (seconds or an HTTP date), or after a backoff if it gives none. A 5xx answer or
/// a failed connection is retried with exponential backoff and jitter, but only for
/// idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`), which the server
/// may safely see twice. A wait longer than `max_wait`, or one that would take the
/// call past `max_total_wait`, ends the call with the last answer instead.
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
    /// Whether 5xx answers and failed connections are retried (idempotent methods only).
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
pub type Observer = Arc<dyn Fn(&Attempt) + Send + Sync>;

/// The answer a call ended with.
#[doc(hidden)]
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The wait `Retry-After` asked for, if it was readable.
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

/// What one call is, for [`exchange`].
#[doc(hidden)]
pub struct Call<'a> {
    pub method: &'static str,
    pub path: &'static str,
    pub policy: &'a RetryPolicy,
    pub observer: Option<&'a Observer>,
    /// Keeps the API's quota: every attempt waits for room first.
    pub limiter: Option<&'a super::limiter::Limiter>,
    /// The longest body read, in bytes.
    pub max_body: u64,
}

/// Why [`exchange`] has no answer to give.
#[doc(hidden)]
#[derive(Debug)]
pub enum Failure {
    /// Sending, or reading the answer, failed.
    Http(reqwest::Error),
    /// The body is longer than the limit; the rest was not read.
    TooLarge { status: u16, limit: u64 },
}

/// The body of `response`, refused as soon as it is known to be longer than `limit`
/// bytes: by its `Content-Length`, or once that much has arrived.
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, Failure> {
    let status = response.status().as_u16();
    let too_large = Failure::TooLarge { status, limit };
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Failure::Http)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
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
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Sends `request`, trying again as `call.policy` allows, and returns the last answer.
#[doc(hidden)]
pub async fn exchange(call: Call<'_>, request: reqwest::RequestBuilder) -> Result<Reply, Failure> {
    let idempotent = matches!(call.method, "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS");
    let mut waited = Duration::ZERO;
    let mut attempt = 1;
    let mut current = request;
    let mut warned = false;
    loop {
        let next = if attempt < call.policy.max_attempts {
            current.try_clone()
        } else {
            None
        };
        // Held until the attempt has ended: its slot of the quota counts from then.
        let permit = match call.limiter {
            Some(limiter) => Some(limiter.acquire().await),
            None => None,
        };
        let started = std::time::Instant::now();
        let mut announced = (None, None);
        let outcome = match current.send().await {
            Ok(response) => {
                announced = end_of_life(response.headers());
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(retry_after);
                read_body(response, call.max_body).await.map(|body| Reply {
                    status,
                    retry_after,
                    body,
                })
            }
            Err(error) => Err(Failure::Http(error)),
        };
        drop(permit);
        let seen = Attempt {
            method: call.method,
            path: call.path,
            attempt,
            status: outcome.as_ref().ok().map(|reply| reply.status),
            elapsed: started.elapsed(),
            deprecation: announced.0,
            sunset: announced.1,
        };
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
        if !warned && (seen.deprecation.is_some() || seen.sunset.is_some()) {
            warned = true;
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
            observer(&seen);
        }
        let Some(next) = next else {
            return outcome;
        };
        let wait = match &outcome {
            Ok(reply) if reply.status == 429 && call.policy.on_rate_limit => reply
                .retry_after
                .or_else(|| Some(call.policy.backoff_before(attempt + 1))),
            Ok(reply)
                if matches!(reply.status, 500 | 502 | 503 | 504)
                    && call.policy.on_server_error
                    && idempotent =>
            {
                reply
                    .retry_after
                    .or_else(|| Some(call.policy.backoff_before(attempt + 1)))
            }
            Err(Failure::Http(error))
                if (error.is_connect() || error.is_timeout() || error.is_body() || error.is_decode())
                    && call.policy.on_server_error
                    && idempotent =>
            {
                Some(call.policy.backoff_before(attempt + 1))
            }
            _ => None,
        };
        match wait {
            Some(wait) if wait <= call.policy.max_wait && waited + wait <= call.policy.max_total_wait => {
                tokio::time::sleep(wait).await;
                waited += wait;
                attempt += 1;
                current = next;
            }
            _ => return outcome,
        }
    }
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
