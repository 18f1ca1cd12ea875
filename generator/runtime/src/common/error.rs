//! Everything a call can fail with, one type per API (`Error<Api>`), and how transport
//! failures become it. No variant holds a credential.

use std::fmt;
use std::time::Duration;

use super::client::Service;
use super::transport::Failure;

/// Everything a call can fail with. No variant holds a credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<S: Service> {
    /// The request could not be built: a bad base URL, or a header value with
    /// characters HTTP does not allow (such as CR or LF). Nothing was sent.
    InvalidRequest(String),
    /// The request could not be sent, or the answer could not be read.
    Transport(reqwest::Error),
    /// No answer came within the timeout.
    Timeout(reqwest::Error),
    /// The answer's body is longer than the client's limit (see [`Client::with_max_body`](super::client::Client::with_max_body));
    /// the rest of it was not read.
    BodyTooLarge {
        /// The HTTP status code.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The server answered `429 Too Many Requests`, and the retry policy did not
    /// allow waiting any longer.
    RateLimited {
        /// The wait the server asked for, if it said.
        retry_after: Option<Duration>,
        /// The response body, as text.
        body: String,
    },
    /// The server refused the call with the error body the spec documents.
    Api {
        /// The HTTP status code.
        status: u16,
        /// The error the server sent.
        body: Box<S::ErrorBody>,
    },
    /// The server answered with a status the operation does not document as success,
    /// and a body that is not the documented error.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The response body, as text.
        body: String,
    },
    /// A documented success response whose body does not match its schema.
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The response body, as text.
        body: String,
        /// Where in the body decoding failed, such as `items[2].amount`.
        path: String,
        /// What did not match.
        source: serde_json::Error,
    },
}

impl<S: Service> fmt::Display for Error<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Self::Transport(error) => write!(f, "transport error: {error}"),
            Self::Timeout(error) => write!(f, "timed out: {error}"),
            Self::BodyTooLarge { status, limit } => {
                write!(
                    f,
                    "the body of a {status} response is longer than the limit of {limit} bytes"
                )
            }
            Self::RateLimited {
                retry_after: Some(wait),
                ..
            } => {
                write!(f, "rate limited; the server asks to wait {} s", wait.as_secs())
            }
            Self::RateLimited { .. } => write!(f, "rate limited"),
            Self::Api { status, body } => {
                write!(f, "the server refused the call with status {status}: {body:?}")
            }
            Self::Status { status, .. } => write!(f, "the server answered with status {status}"),
            Self::Decode {
                status, path, source, ..
            } => {
                write!(
                    f,
                    "the body of a {status} response does not match the spec at `{path}`: {source}"
                )
            }
        }
    }
}

impl<S: Service> std::error::Error for Error<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(error) | Self::Timeout(error) => Some(error),
            Self::Decode { source, .. } => Some(source),
            Self::InvalidRequest(_)
            | Self::BodyTooLarge { .. }
            | Self::RateLimited { .. }
            | Self::Api { .. }
            | Self::Status { .. } => None,
        }
    }
}

impl<S: Service> From<reqwest::Error> for Error<S> {
    /// The URL is left out: a query string may hold a credential.
    fn from(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Transport(error)
        }
    }
}

impl<S: Service> From<Failure> for Error<S> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Http(error) => error.into(),
            Failure::TooLarge { status, limit } => Self::BodyTooLarge { status, limit },
        }
    }
}
