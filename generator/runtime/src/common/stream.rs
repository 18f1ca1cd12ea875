//! Answers handed out as they arrive: a file download, an octet stream, a PDF is a
//! [`ByteStream`] the caller reads chunk by chunk, in flat memory, or collects whole (the
//! client's body limit then applies).

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;

use tokio::time::Instant;

use super::client::Service;
use super::error::{Endpoint, Error};
use super::transport::{Failed, Failure, Limit, Reply, server};

/// The body of an answer as it arrives, chunk by chunk.
///
/// The call's deadline and timeout cover the wait for the answer; then the client's timeout
/// bounds each wait for the next chunk, however long the whole body takes. The call's span
/// stays open until the stream is read to its end or dropped.
pub struct ByteStream<S: Service>(Box<Stream<S>>);

/// What a [`ByteStream`] holds, boxed so that a stream is a pointer wherever it is held (a
/// response enum holds one beside boxed JSON bodies).
struct Stream<S: Service> {
    source: Source,
    endpoint: Endpoint,
    status: u16,
    content_type: Option<String>,
    content_length: Option<u64>,
    /// The longest wait for the next chunk.
    idle: Option<Duration>,
    /// The client's body limit, for [`ByteStream::collect`].
    limit: u64,
    started: Instant,
    span: tracing::Span,
    service: PhantomData<fn() -> S>,
}

/// Where the chunks come from: the answer still arriving, or a body already read.
enum Source {
    Arriving(reqwest::Response),
    Read(Option<Bytes>),
}

impl<S: Service> ByteStream<S> {
    /// The stream of `reply`, an answer its call left unread (or read whole, where it had to).
    #[doc(hidden)]
    pub fn new(reply: Reply) -> Self {
        let span = tracing::Span::current();
        match reply.stream {
            Some(streamed) => {
                let response = streamed.response;
                let content_type = response
                    .headers()
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                Self(Box::new(Stream {
                    content_length: response.content_length(),
                    source: Source::Arriving(response),
                    endpoint: reply.endpoint,
                    status: reply.status,
                    content_type,
                    idle: streamed.idle,
                    limit: streamed.limit,
                    started: Instant::now(),
                    span,
                    service: PhantomData,
                }))
            }
            None => Self(Box::new(Stream {
                content_length: Some(reply.body.len() as u64),
                source: Source::Read(Some(Bytes::from(reply.body))),
                endpoint: reply.endpoint,
                status: reply.status,
                content_type: None,
                idle: None,
                limit: u64::MAX,
                started: Instant::now(),
                span,
                service: PhantomData,
            })),
        }
    }

    /// The answer's status.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The answer's `Content-Type`, if it gave one.
    pub fn content_type(&self) -> Option<&str> {
        self.0.content_type.as_deref()
    }

    /// The length of the body, if the answer said (an answer that came compressed does not).
    pub fn content_length(&self) -> Option<u64> {
        self.0.content_length
    }

    /// The next chunk of the body; `None` once it has all come.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error<S>> {
        let response = match &mut self.0.source {
            Source::Read(rest) => return Ok(rest.take().filter(|bytes| !bytes.is_empty())),
            Source::Arriving(response) => response,
        };
        let next = match self.0.idle {
            Some(idle) => match tokio::time::timeout(idle, response.chunk()).await {
                Ok(next) => next,
                Err(_) => return Err(self.failed(Failure::Timeout(Limit::Attempt))),
            },
            None => response.chunk().await,
        };
        match next {
            Ok(chunk) => Ok(chunk),
            Err(error) => {
                let server = server(response.url());
                Err(self.failed(Failure::Http { error, server }))
            }
        }
    }

    /// The whole body, refused once it is longer than the client's body limit (see
    /// `Client::with_max_body`).
    pub async fn collect(mut self) -> Result<Vec<u8>, Error<S>> {
        let too_large = Error::BodyTooLarge {
            endpoint: self.0.endpoint,
            status: self.0.status,
            limit: self.0.limit,
        };
        if self.0.content_length.is_some_and(|length| length > self.0.limit) {
            return Err(too_large);
        }
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if (body.len() + chunk.len()) as u64 > self.0.limit {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// The chunks as a `futures` stream; an error is its last item.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<Bytes, Error<S>>> + Send + 'static {
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut stream = state?;
            match stream.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(stream))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// The error of a stream that broke off with `failure`.
    fn failed(&self, failure: Failure) -> Error<S> {
        let _entered = self.0.span.enter();
        tracing::debug!(
            http.response.status_code = self.0.status,
            "the answer's body broke off"
        );
        Error::from_failure(
            self.0.endpoint,
            Failed {
                failure,
                attempts: 1,
                elapsed: self.0.started.elapsed(),
            },
        )
    }
}

impl<S: Service> fmt::Debug for ByteStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("endpoint", &self.0.endpoint)
            .field("status", &self.0.status)
            .field("content_type", &self.0.content_type)
            .field("content_length", &self.0.content_length)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::ByteStream;
    use crate::common::testing::Plain;

    #[test]
    fn a_stream_is_small_enough_to_hold_beside_boxed_bodies() {
        // A response enum holds it unboxed beside boxed JSON bodies.
        assert!(
            std::mem::size_of::<ByteStream<Plain>>() <= 8,
            "{}",
            std::mem::size_of::<ByteStream<Plain>>()
        );
    }
}
