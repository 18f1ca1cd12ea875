//! `text/event-stream` answers: server-sent events as they arrive, each `data:` payload
//! decoded into the type the spec gives it.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::Service;
use super::error::{Endpoint, Error};
use super::stream::ByteStream;
use super::transport::Reply;

/// One server-sent event: its `data:` payload decoded, and the fields beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The payload (the `data:` lines of the event, joined), decoded.
    pub data: T,
    /// The event's type (`event:`), where the server names one.
    pub event: Option<String>,
    /// The event's id (`id:`), where the server gives one: the last one seen is what a
    /// client resuming the stream sends as `Last-Event-ID`.
    pub id: Option<String>,
    /// How long the server asks a client to wait before reconnecting (`retry:`).
    pub retry: Option<Duration>,
}

/// The events of a `text/event-stream` answer, read as they arrive.
///
/// Each event's payload is decoded into `T`; one that does not decode is an `Error::Decode`
/// item, and the events after it still come. A payload of `[DONE]` (the end marker of
/// OpenAI's streams and others) ends the stream. An event longer than the client's body
/// limit is an `Error::BodyTooLarge` item, the stream's last; so is a connection that breaks
/// off. The timeouts and the span are those of [`ByteStream`].
pub struct EventStream<T, S: Service>(Box<Reader<T, S>>);

/// What an [`EventStream`] holds, boxed so that the stream is a pointer wherever it is held.
struct Reader<T, S: Service> {
    bytes: ByteStream<S>,
    /// Bytes received but not yet split into lines.
    buffer: Vec<u8>,
    /// The event being read.
    pending: Pending,
    /// Whether a `\r` ended the last line, so that a `\n` right after it ends nothing.
    after_cr: bool,
    /// Whether the start of the stream (where a byte-order mark may stand) is behind.
    started: bool,
    done: bool,
    endpoint: Endpoint,
    status: u16,
    limit: u64,
    data: PhantomData<fn() -> T>,
}

/// The fields of an event not yet dispatched.
#[derive(Default)]
struct Pending {
    data: String,
    has_data: bool,
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
}

/// What one line of the stream did.
enum Line {
    /// Nothing to hand out yet.
    Field,
    /// A blank line: the event read so far, if it has data.
    Dispatch,
}

impl<T: DeserializeOwned, S: Service> EventStream<T, S> {
    /// The events of `reply`, an answer its call left unread.
    #[doc(hidden)]
    pub fn new(reply: Reply) -> Self {
        let (endpoint, status) = (reply.endpoint, reply.status);
        let limit = reply.stream.as_ref().map_or(u64::MAX, |streamed| streamed.limit);
        Self(Box::new(Reader {
            bytes: ByteStream::new(reply),
            buffer: Vec::new(),
            pending: Pending::default(),
            after_cr: false,
            started: false,
            done: false,
            endpoint,
            status,
            limit,
            data: PhantomData,
        }))
    }

    /// The answer's status.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The next event; `None` once the stream has ended (its end marker, or the end of the
    /// answer).
    pub async fn next(&mut self) -> Option<Result<Event<T>, Error<S>>> {
        self.0.next().await
    }

    /// The events as a `futures` stream.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<Event<T>, Error<S>>> + Send + 'static
    where
        T: Send + 'static,
    {
        futures_util::stream::unfold(self, |mut events| async move {
            let next = events.next().await?;
            Some((next, events))
        })
    }
}

impl<T: DeserializeOwned, S: Service> Reader<T, S> {
    async fn next(&mut self) -> Option<Result<Event<T>, Error<S>>> {
        while !self.done {
            if let Some(event) = self.next_in_buffer() {
                return Some(event);
            }
            if self.done {
                break;
            }
            match self.bytes.chunk().await {
                Ok(Some(chunk)) => self.buffer.extend_from_slice(&chunk),
                // An event the answer did not finish is not one.
                Ok(None) => self.done = true,
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
        None
    }

    /// The next event the buffered lines complete, if they complete one.
    fn next_in_buffer(&mut self) -> Option<Result<Event<T>, Error<S>>> {
        if !self.started {
            if self.buffer.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.buffer) {
                return None;
            }
            if self.buffer.starts_with(b"\xEF\xBB\xBF") {
                self.buffer.drain(..3);
            }
            self.started = true;
        }
        loop {
            if self.after_cr && self.buffer.first() == Some(&b'\n') {
                self.buffer.remove(0);
            }
            self.after_cr = false;
            let Some(end) = self.buffer.iter().position(|byte| matches!(byte, b'\n' | b'\r')) else {
                if self.buffer.len() as u64 + self.pending.data.len() as u64 > self.limit {
                    return Some(Err(self.too_large()));
                }
                return None;
            };
            self.after_cr = self.buffer[end] == b'\r';
            let line: Vec<u8> = self.buffer.drain(..=end).take(end).collect();
            match self.line(&String::from_utf8_lossy(&line)) {
                Line::Field if self.pending.data.len() as u64 > self.limit => {
                    return Some(Err(self.too_large()));
                }
                Line::Field => {}
                Line::Dispatch => {
                    let pending = std::mem::take(&mut self.pending);
                    if !pending.has_data {
                        continue;
                    }
                    let mut data = pending.data;
                    if data.ends_with('\n') {
                        data.pop();
                    }
                    if data.trim() == "[DONE]" {
                        self.done = true;
                        return None;
                    }
                    return Some(self.decode(data, pending.event, pending.id, pending.retry));
                }
            }
        }
    }

    /// Reads one line into the pending event, as the HTML standard's event stream says.
    fn line(&mut self, line: &str) -> Line {
        if line.is_empty() {
            return Line::Dispatch;
        }
        if line.starts_with(':') {
            return Line::Field;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.pending.data.push_str(value);
                self.pending.data.push('\n');
                self.pending.has_data = true;
            }
            "event" => self.pending.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.pending.id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) => {
                self.pending.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
        Line::Field
    }

    /// An event whose payload is `data`, decoded.
    fn decode(
        &self,
        data: String,
        event: Option<String>,
        id: Option<String>,
        retry: Option<Duration>,
    ) -> Result<Event<T>, Error<S>> {
        let failed = |path: String, source: serde_json::Error, data: String| Error::Decode {
            endpoint: self.endpoint,
            status: self.status,
            path,
            source,
            body: data,
        };
        let mut json = serde_json::Deserializer::from_str(&data);
        let decoded = match serde_path_to_error::deserialize(&mut json) {
            Ok(decoded) => decoded,
            Err(error) => {
                let path = error.path().to_string();
                return Err(failed(path, error.into_inner(), data));
            }
        };
        // Anything after the JSON value is not the documented payload either.
        if let Err(source) = json.end() {
            return Err(failed(String::new(), source, data));
        }
        Ok(Event {
            data: decoded,
            event,
            id,
            retry,
        })
    }

    fn too_large(&mut self) -> Error<S> {
        self.done = true;
        Error::BodyTooLarge {
            endpoint: self.endpoint,
            status: self.status,
            limit: self.limit,
        }
    }
}

/// `request` with the JSON body `value`, its boolean property `flag` set to `true` (the
/// streaming twin of a call asks for events so), sent as `media`.
#[doc(hidden)]
pub fn json_setting<T: Serialize + ?Sized>(
    request: RequestBuilder,
    media: &'static str,
    value: &T,
    flag: &'static str,
) -> Result<RequestBuilder, String> {
    let mut value =
        serde_json::to_value(value).map_err(|error| format!("the body cannot be written: {error}"))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| format!("the body has no `{flag}` to set: it is not an object"))?;
    object.insert(flag.to_owned(), serde_json::Value::Bool(true));
    Ok(request.header(CONTENT_TYPE, media).json(&value))
}

impl<T, S: Service> fmt::Debug for EventStream<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("endpoint", &self.0.endpoint)
            .field("status", &self.0.status)
            .field("done", &self.0.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde::Deserialize;

    use super::{Event, EventStream};
    use crate::common::testing::Plain;
    use crate::common::{Endpoint, Error, Reply, Streamed};

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    struct Chunk {
        id: String,
        delta: String,
    }

    const ENDPOINT: Endpoint = Endpoint {
        operation: Some("createChatCompletion"),
        method: "POST",
        path: "/chat/completions",
    };

    /// The events of an answer whose body is `body`, read whole.
    async fn events(body: &[u8]) -> Vec<Result<Event<Chunk>, Error<Plain>>> {
        let reply = Reply {
            endpoint: ENDPOINT,
            status: 200,
            retry_after: None,
            body: body.to_vec(),
            stream: None,
        };
        let mut stream = EventStream::<Chunk, Plain>::new(reply);
        let mut events = Vec::new();
        while let Some(event) = stream.next().await {
            events.push(event);
        }
        events
    }

    fn chunk(id: &str, delta: &str) -> Chunk {
        Chunk {
            id: id.into(),
            delta: delta.into(),
        }
    }

    #[tokio::test]
    async fn each_event_is_decoded_with_its_fields_until_the_end_marker() {
        let body = b"\xEF\xBB\xBF: a comment\r\n\
            event: delta\r\nid: 1\r\nretry: 1500\r\ndata: {\"id\": \"c1\", \r\ndata: \"delta\": \"Hel\"}\r\n\r\n\
            data:{\"id\":\"c1\",\"delta\":\"lo\"}\n\n\
            data: [DONE]\n\n\
            data: {\"id\": \"after\", \"delta\": \"never read\"}\n\n";
        let events = events(body).await;
        let events: Vec<Event<Chunk>> = events.into_iter().map(|event| event.expect("an event")).collect();
        assert_eq!(
            events,
            [
                Event {
                    data: chunk("c1", "Hel"),
                    event: Some("delta".into()),
                    id: Some("1".into()),
                    retry: Some(Duration::from_millis(1500)),
                },
                Event {
                    data: chunk("c1", "lo"),
                    event: None,
                    id: None,
                    retry: None,
                },
            ]
        );
    }

    #[tokio::test]
    async fn a_payload_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
        let body = b"data: {\"id\": 7}\r\rdata: {\"id\": \"c2\", \"delta\": \"!\"}\r\r";
        let events = events(body).await;
        assert_eq!(events.len(), 2);
        match &events[0] {
            Err(Error::Decode {
                status, body, path, ..
            }) => {
                assert_eq!(
                    (*status, body.as_str(), path.as_str()),
                    (200, "{\"id\": 7}", "id")
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(events[1].as_ref().expect("an event").data, chunk("c2", "!"));
    }

    #[tokio::test]
    async fn an_event_the_answer_does_not_finish_is_not_one() {
        assert!(
            events(b"data: {\"id\": \"c3\", \"delta\": \"cut\"}\n")
                .await
                .is_empty()
        );
        assert!(events(b"event: ping\nid: 3\n\n: keep-alive\n\n").await.is_empty());
    }

    #[tokio::test]
    async fn an_event_longer_than_the_body_limit_ends_the_stream() {
        let body = format!("data: {{\"id\": \"c4\", \"delta\": \"{}\"}}\n\n", "x".repeat(200));
        let response = reqwest::Response::from(http::Response::new(body));
        let reply = Reply {
            endpoint: ENDPOINT,
            status: 200,
            retry_after: None,
            body: Vec::new(),
            stream: Some(Streamed {
                response,
                idle: None,
                limit: 64,
            }),
        };
        let mut stream = EventStream::<Chunk, Plain>::new(reply);
        assert!(matches!(
            stream.next().await,
            Some(Err(Error::BodyTooLarge { limit: 64, .. }))
        ));
        assert!(stream.next().await.is_none());
    }
}
