//! `multipart/form-data` bodies: a typed struct of parts (text, JSON and files), written
//! by reqwest's encoder, which sets the boundary.

use std::fmt;

use reqwest::RequestBuilder;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::multipart::{Form, Part};
use serde::Serialize;

/// A file sent as one part of a multipart body: its bytes or a stream of them, with the
/// file name and media type the server is told.
///
/// reqwest writes a multipart body as a stream, whatever its parts hold, so a call with one
/// is sent once: it is not tried again, and a redirect that would send it again is not
/// followed.
pub struct FilePart {
    body: reqwest::Body,
    length: Option<u64>,
    file_name: Option<String>,
    content_type: Option<String>,
    headers: HeaderMap,
}

impl FilePart {
    /// A file of `bytes`.
    pub fn bytes(bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        Self {
            length: Some(bytes.len() as u64),
            body: reqwest::Body::from(bytes),
            file_name: None,
            content_type: None,
            headers: HeaderMap::new(),
        }
    }

    /// A file read as it is sent: a `reqwest::Body`, such as one of
    /// `reqwest::Body::wrap_stream` (reqwest's `stream` feature) or a `tokio::fs::File`.
    /// `length`, where known, is sent as the part's length.
    pub fn stream(body: impl Into<reqwest::Body>, length: Option<u64>) -> Self {
        Self {
            body: body.into(),
            length,
            file_name: None,
            content_type: None,
            headers: HeaderMap::new(),
        }
    }

    /// The file name the server is told (`filename` of the part's `Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's media type (`image/png`), in place of the one the spec gives, or
    /// `application/octet-stream`.
    pub fn content_type(mut self, media: impl Into<String>) -> Self {
        self.content_type = Some(media.into());
        self
    }

    /// A header of the part's own (one the spec's `encoding` describes, such as a
    /// checksum), in place of any earlier value of that name.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }
}

impl fmt::Debug for FilePart {
    /// The file's name, type and length; never its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("length", &self.length)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The parts of a multipart body, added in the order the spec lists them.
#[doc(hidden)]
pub struct Parts(Form);

impl Parts {
    pub fn new() -> Self {
        Self(Form::new())
    }

    /// A text part `name`, of `content_type` where the spec's `encoding` gives one.
    pub fn text(
        &mut self,
        name: &'static str,
        value: String,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        self.add(name, Part::text(value), content_type)
    }

    /// A part `name` holding `value` as JSON (`application/json`, or the spec's type).
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        let text = serde_json::to_string(value).map_err(|error| format!("part `{name}`: {error}"))?;
        self.add(
            name,
            Part::text(text),
            Some(content_type.unwrap_or("application/json")),
        )
    }

    /// A file part `name`, of the file's own type, else `content_type` (the spec's), else
    /// `application/octet-stream`.
    pub fn file(
        &mut self,
        name: &'static str,
        file: FilePart,
        content_type: Option<&str>,
    ) -> Result<(), String> {
        let FilePart {
            body,
            length,
            file_name,
            content_type: own,
            headers,
        } = file;
        let mut part = match length {
            Some(length) => Part::stream_with_length(body, length),
            None => Part::stream(body),
        };
        if let Some(file_name) = file_name {
            part = part.file_name(file_name);
        }
        if !headers.is_empty() {
            part = part.headers(headers);
        }
        let media = own
            .as_deref()
            .or(content_type)
            .unwrap_or("application/octet-stream");
        self.add(name, part, Some(media))
    }

    fn add(&mut self, name: &'static str, part: Part, content_type: Option<&str>) -> Result<(), String> {
        let part = match content_type {
            Some(media) => part
                .mime_str(media)
                .map_err(|_| format!("part `{name}`: `{media}` is not a media type"))?,
            None => part,
        };
        let form = std::mem::replace(&mut self.0, Form::new());
        self.0 = form.part(name, part);
        Ok(())
    }

    /// `request` with these parts as its body; reqwest sets the `Content-Type`, boundary
    /// included.
    pub fn attach(self, request: RequestBuilder) -> RequestBuilder {
        request.multipart(self.0)
    }
}

impl Default for Parts {
    fn default() -> Self {
        Self::new()
    }
}
