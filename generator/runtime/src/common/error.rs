//! Everything a call can fail with, one type per API (`Error<Api>`), and how transport
//! failures become it. No variant holds a credential, and what an error prints (its
//! `Display`) is what a log may carry: the call, the status, the error body's code, where a
//! body failed to decode and why, never a body's text. The values keep the rest.

use std::fmt;
use std::time::Duration;

use super::client::Service;
use super::redirect::RedirectRefused;
use super::transport::{Failed, Failure, Limit};

/// Which call an error comes from: the operation, its method and its path template (never a
/// parameter value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The operation's `operationId`; `None` for a call the spec does not describe
    /// ([`Client::raw`](super::client::Client::raw)).
    pub operation: Option<&'static str>,
    /// The HTTP method, in capitals.
    pub method: &'static str,
    /// The path template, such as `/costcenters/{id}`.
    pub path: &'static str,
}

impl fmt::Display for Endpoint {
    /// `getCostCenter (GET /costcenters/{id})`, or `GET /costcenters/{id}` for a raw call.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            Some(operation) => write!(f, "{operation} ({} {})", self.method, self.path),
            None => write!(f, "{} {}", self.method, self.path),
        }
    }
}

/// Everything a call can fail with. No variant holds a credential.
///
/// Its `Display` names the call and says what went wrong without any text of the answer's
/// body (which may hold personal data): the status, the code of a documented error body,
/// the JSON path where a body did not decode. The fields keep the whole answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<S: Service> {
    /// The request could not be built: a bad base URL, a header value with characters HTTP
    /// does not allow (such as CR or LF), a body that breaks a constraint of the spec.
    /// Nothing was sent.
    InvalidRequest {
        /// The call, when the request was refused on its way out (`None` when a client
        /// setting was refused).
        endpoint: Option<Endpoint>,
        /// What is wrong, naming the header or field, never its value.
        message: String,
    },
    /// The request could not be sent, or the answer could not be read.
    Transport {
        /// The call.
        endpoint: Endpoint,
        /// The server's host and port.
        server: String,
        /// What failed.
        source: reqwest::Error,
    },
    /// The call ran out of time.
    Timeout {
        /// The call.
        endpoint: Endpoint,
        /// Which limit ended it: one attempt's timeout, or the whole call's deadline.
        limit: Limit,
        /// The time from the start of the call to its end.
        elapsed: Duration,
        /// The attempts started.
        attempts: u32,
    },
    /// The answer's body is longer than the client's limit (see [`Client::with_max_body`](super::client::Client::with_max_body));
    /// the rest of it was not read.
    BodyTooLarge {
        /// The call.
        endpoint: Endpoint,
        /// The HTTP status code.
        status: u16,
        /// The limit, in bytes (of the body as decoded, when it came compressed).
        limit: u64,
    },
    /// The answer's body came in an encoding this build does not decode (its
    /// `Content-Encoding`): turn on the crate's cargo feature of that name.
    UnsupportedEncoding {
        /// The call.
        endpoint: Endpoint,
        /// The HTTP status code.
        status: u16,
        /// The `Content-Encoding`, such as `br`.
        encoding: String,
    },
    /// The server redirected the call somewhere the client does not follow (see
    /// [`Client::with_redirects`](super::client::Client::with_redirects)). Nothing was sent there.
    Redirect {
        /// The call.
        endpoint: Endpoint,
        /// The redirect's status code.
        status: u16,
        /// Where the server sent the call.
        location: Box<reqwest::Url>,
        /// Why the client did not follow.
        refused: RedirectRefused,
    },
    /// The server answered `429 Too Many Requests`, and the retry policy or the call's
    /// deadline did not allow waiting any longer.
    RateLimited {
        /// The call.
        endpoint: Endpoint,
        /// The wait the server asked for, if it said.
        retry_after: Option<Duration>,
        /// The response body, as text.
        body: String,
    },
    /// The server refused the call with the error body the spec documents.
    Api {
        /// The call.
        endpoint: Endpoint,
        /// The HTTP status code.
        status: u16,
        /// The error body's code (such as Lagerkoll's `errorCode`), where the spec's error
        /// body has one: what the error prints besides the status.
        code: Option<String>,
        /// The error the server sent.
        body: Box<S::ErrorBody>,
    },
    /// The server answered with a status the operation does not document as success,
    /// and a body that is not the documented error.
    Status {
        /// The call.
        endpoint: Endpoint,
        /// The HTTP status code.
        status: u16,
        /// The wait `Retry-After` asked for, if the answer said (a 503 whose wait would have
        /// taken the call past its deadline, say).
        retry_after: Option<Duration>,
        /// The response body, as text.
        body: String,
    },
    /// A documented success response whose body does not match its schema.
    Decode {
        /// The call.
        endpoint: Endpoint,
        /// The HTTP status code.
        status: u16,
        /// The response body, as text.
        body: String,
        /// Where in the body decoding failed, such as `items[2].amount`.
        path: String,
        /// What did not match (its message may quote the body: see [`Error::source`](std::error::Error::source)).
        source: serde_json::Error,
    },
}

impl<S: Service> Error<S> {
    /// [`Error::InvalidRequest`] with `message`, before the call it belongs to is known.
    #[doc(hidden)]
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            endpoint: None,
            message: message.into(),
        }
    }

    /// This error, said of the call `endpoint` where it does not say yet.
    pub(crate) fn at(self, endpoint: Endpoint) -> Self {
        match self {
            Self::InvalidRequest {
                endpoint: None,
                message,
            } => Self::InvalidRequest {
                endpoint: Some(endpoint),
                message,
            },
            other => other,
        }
    }

    /// The call the error comes from, if it comes from one.
    pub fn endpoint(&self) -> Option<Endpoint> {
        match self {
            Self::InvalidRequest { endpoint, .. } => *endpoint,
            Self::Transport { endpoint, .. }
            | Self::Timeout { endpoint, .. }
            | Self::BodyTooLarge { endpoint, .. }
            | Self::UnsupportedEncoding { endpoint, .. }
            | Self::Redirect { endpoint, .. }
            | Self::RateLimited { endpoint, .. }
            | Self::Api { endpoint, .. }
            | Self::Status { endpoint, .. }
            | Self::Decode { endpoint, .. } => Some(*endpoint),
        }
    }

    /// The status of the answer the call ended with, if one came.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::RateLimited { .. } => Some(429),
            Self::BodyTooLarge { status, .. }
            | Self::UnsupportedEncoding { status, .. }
            | Self::Redirect { status, .. }
            | Self::Api { status, .. }
            | Self::Status { status, .. }
            | Self::Decode { status, .. } => Some(*status),
            Self::InvalidRequest { .. } | Self::Transport { .. } | Self::Timeout { .. } => None,
        }
    }

    /// The error of the call `endpoint` that `failed`.
    pub(crate) fn from_failure(endpoint: Endpoint, failed: Failed) -> Self {
        let Failed {
            failure,
            attempts,
            elapsed,
        } = failed;
        match failure {
            Failure::Http { error, server } => Self::Transport {
                endpoint,
                server,
                // The URL is left out: a query string may hold a credential.
                source: error.without_url(),
            },
            Failure::Timeout(limit) => Self::Timeout {
                endpoint,
                limit,
                elapsed,
                attempts,
            },
            Failure::TooLarge { status, limit } => Self::BodyTooLarge {
                endpoint,
                status,
                limit,
            },
            Failure::Encoding { status, encoding } => Self::UnsupportedEncoding {
                endpoint,
                status,
                encoding,
            },
            Failure::Redirect {
                status,
                location,
                refused,
            } => Self::Redirect {
                endpoint,
                status,
                location: Box::new(location),
                refused,
            },
        }
    }
}

impl<S: Service> fmt::Display for Error<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(endpoint) = self.endpoint() {
            write!(f, "{endpoint}: ")?;
        }
        match self {
            Self::InvalidRequest { message, .. } => write!(f, "invalid request: {message}"),
            Self::Transport { server, source, .. } => {
                let cause = root_cause(source);
                if source.is_connect() {
                    write!(f, "could not connect to {server}: {cause}")
                } else if source.is_body() || source.is_decode() {
                    write!(f, "the answer from {server} could not be read: {cause}")
                } else {
                    write!(f, "the exchange with {server} failed: {cause}")
                }
            }
            Self::Timeout {
                limit,
                elapsed,
                attempts,
                ..
            } => {
                let attempts = plural(*attempts, "attempt");
                match limit {
                    Limit::Deadline => write!(
                        f,
                        "timed out: the call's deadline passed after {} ({attempts})",
                        duration(*elapsed)
                    ),
                    Limit::Attempt => write!(
                        f,
                        "timed out: no answer within the attempt's timeout ({attempts}, {} in all)",
                        duration(*elapsed)
                    ),
                }
            }
            Self::BodyTooLarge { status, limit, .. } => write!(
                f,
                "the body of a {status} response is longer than the limit of {limit} bytes"
            ),
            Self::UnsupportedEncoding { status, encoding, .. } => {
                write!(
                    f,
                    "the body of a {status} response is encoded as `{encoding}`, which this \
                     build does not decode"
                )?;
                // The feature that adds the decoder, where this build lacks it.
                let feature = match encoding.as_str() {
                    "gzip" if !cfg!(feature = "gzip") => Some("gzip"),
                    "deflate" if !cfg!(feature = "deflate") => Some("deflate"),
                    "br" if !cfg!(feature = "brotli") => Some("brotli"),
                    "zstd" if !cfg!(feature = "zstd") => Some("zstd"),
                    _ => None,
                };
                match feature {
                    Some(feature) => write!(f, " (the crate's cargo feature `{feature}` does)"),
                    None => Ok(()),
                }
            }
            Self::Redirect {
                status,
                location,
                refused,
                ..
            } => write!(
                f,
                "redirected ({status}) to {}, not followed: {refused}",
                location.origin().ascii_serialization()
            ),
            Self::RateLimited {
                retry_after: Some(wait),
                ..
            } => write!(
                f,
                "rate limited (429); the server asks to wait {}",
                duration(*wait)
            ),
            Self::RateLimited { .. } => write!(f, "rate limited (429)"),
            Self::Api { status, code, .. } => {
                write!(f, "the server refused the call with status {status}")?;
                match code {
                    Some(code) => write!(f, ", error code `{code}`"),
                    None => Ok(()),
                }
            }
            Self::Status {
                status, retry_after, ..
            } => {
                write!(f, "the server answered with status {status}")?;
                match retry_after {
                    Some(wait) => write!(f, " and asks to wait {}", duration(*wait)),
                    None => Ok(()),
                }
            }
            Self::Decode {
                status, path, source, ..
            } => {
                let what = match source.classify() {
                    serde_json::error::Category::Data => "a value of another type or shape",
                    serde_json::error::Category::Syntax => "text that is not JSON",
                    serde_json::error::Category::Eof => "JSON that ends too soon",
                    serde_json::error::Category::Io => "a body that could not be read",
                };
                let at = if path.is_empty() || path == "." {
                    String::new()
                } else {
                    format!(" at `{path}`")
                };
                write!(
                    f,
                    "the body of a {status} response does not match the spec{at}: {what} (line {}, column {})",
                    source.line(),
                    source.column()
                )
            }
        }
    }
}

impl<S: Service> std::error::Error for Error<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport { source, .. } => Some(source),
            Self::Decode { source, .. } => Some(source),
            Self::InvalidRequest { .. }
            | Self::Timeout { .. }
            | Self::BodyTooLarge { .. }
            | Self::UnsupportedEncoding { .. }
            | Self::Redirect { .. }
            | Self::RateLimited { .. }
            | Self::Api { .. }
            | Self::Status { .. } => None,
        }
    }
}

/// The innermost cause of `error`: what the operating system or the TLS library said (`Connection
/// refused (os error 111)`), rather than the layers that passed it on.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// `count` `noun`s, in words.
fn plural(count: u32, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// A duration as people write it: `850 ms`, `3 s`, `1.5 s`.
fn duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        format!("{millis} ms")
    } else if millis % 1000 == 0 {
        format!("{} s", millis / 1000)
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::testing::Plain;

    const ENDPOINT: Endpoint = Endpoint {
        operation: Some("getPerson"),
        method: "GET",
        path: "/people/{id}",
    };

    #[test]
    fn an_endpoint_shows_its_operation_and_template_and_a_raw_call_its_template() {
        assert_eq!(ENDPOINT.to_string(), "getPerson (GET /people/{id})");
        let raw = Endpoint {
            operation: None,
            ..ENDPOINT
        };
        assert_eq!(raw.to_string(), "GET /people/{id}");
    }

    #[test]
    fn what_an_error_prints_names_the_call_and_never_the_body() {
        let status: Error<Plain> = Error::Status {
            endpoint: ENDPOINT,
            status: 503,
            retry_after: Some(Duration::from_secs(3)),
            body: "{\"owner\": \"ada@example.com\"}".into(),
        };
        assert_eq!(
            status.to_string(),
            "getPerson (GET /people/{id}): the server answered with status 503 and asks to wait 3 s"
        );
        let decode = serde_json::from_str::<u8>("\"ada@example.com\"").unwrap_err();
        let decode: Error<Plain> = Error::Decode {
            endpoint: ENDPOINT,
            status: 200,
            body: "\"ada@example.com\"".into(),
            path: "owner".into(),
            source: decode,
        };
        let shown = decode.to_string();
        assert_eq!(
            shown,
            "getPerson (GET /people/{id}): the body of a 200 response does not match the spec at \
             `owner`: a value of another type or shape (line 1, column 17)"
        );
    }

    #[test]
    fn an_invalid_request_takes_the_call_it_was_refused_on() {
        let refused: Error<Plain> = Error::invalid("header `x-id` has characters HTTP does not allow");
        assert_eq!(
            refused.to_string(),
            "invalid request: header `x-id` has characters HTTP does not allow"
        );
        let refused = refused.at(ENDPOINT);
        assert_eq!(refused.endpoint(), Some(ENDPOINT));
        assert!(
            refused
                .to_string()
                .starts_with("getPerson (GET /people/{id}): invalid request:")
        );
    }

    #[test]
    fn durations_print_as_people_write_them() {
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_secs(3)), "3 s");
        assert_eq!(duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(plural(1, "attempt"), "1 attempt");
        assert_eq!(plural(3, "attempt"), "3 attempts");
    }

    #[test]
    fn an_encoding_without_its_decoder_names_the_feature_that_adds_it() {
        let undecoded = |encoding: &str| {
            let error: Error<Plain> = Error::UnsupportedEncoding {
                endpoint: ENDPOINT,
                status: 200,
                encoding: encoding.into(),
            };
            error.to_string()
        };
        let br = undecoded("br");
        assert!(
            br.contains("encoded as `br`, which this build does not decode"),
            "{br}"
        );
        assert_eq!(
            br.contains("cargo feature `brotli`"),
            !cfg!(feature = "brotli"),
            "{br}"
        );
        let other = undecoded("x-gzip");
        assert!(!other.contains("cargo feature"), "{other}");
    }

    #[test]
    fn a_timeout_says_which_limit_ended_the_call() {
        let deadline: Error<Plain> = Error::Timeout {
            endpoint: ENDPOINT,
            limit: Limit::Deadline,
            elapsed: Duration::from_millis(500),
            attempts: 2,
        };
        assert_eq!(
            deadline.to_string(),
            "getPerson (GET /people/{id}): timed out: the call's deadline passed after 500 ms (2 attempts)"
        );
        assert_eq!(deadline.status(), None);
    }
}
