//! The escape hatch: a call the spec does not describe, sent as every operation is, with
//! the client's credentials, extra headers, timeout, retry policy, body limit, span and
//! observer, for the corners of an API its documents leave out.

use std::future::Future;

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::{Builder, Client, Operation, Service, failure, send};
use super::error::Error;

/// A call the spec does not describe. Its path is a template in which `{name}` stands for a
/// value given with [`RawCall::path`], so spans and observers show the template and never the
/// value, and each value is escaped within its path segment: for instance
/// `RawCall::new("POST", "/purchases/{id}/archive").path("id", 42).query("notify", false)`.
#[derive(Debug, Clone)]
pub struct RawCall {
    method: &'static str,
    template: &'static str,
    values: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    body: Option<(Vec<u8>, HeaderValue)>,
}

impl RawCall {
    /// A call of `method` (`GET`, `POST`, ...; the standard methods in any case, sent in
    /// capitals) to `template`, relative to the client's base URL.
    pub fn new(method: &'static str, template: &'static str) -> Self {
        Self {
            method: standard_method(method),
            template,
            values: Vec::new(),
            query: Vec::new(),
            body: None,
        }
    }

    /// The value of `{name}` in the path.
    pub fn path(mut self, name: &'static str, value: impl ToString) -> Self {
        self.values.push((name, value.to_string()));
        self
    }

    /// A query parameter, added after those before it.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// `body` as the JSON request body.
    pub fn json(self, body: &impl Serialize) -> Result<Self, serde_json::Error> {
        let bytes = serde_json::to_vec(body)?;
        Ok(self.body(bytes, HeaderValue::from_static("application/json")))
    }

    /// `bytes` as the request body, of the media type `content_type`.
    pub fn body(mut self, bytes: Vec<u8>, content_type: HeaderValue) -> Self {
        self.body = Some((bytes, content_type));
        self
    }

    /// The path's segments, each `{name}` in the template replaced by its value; an error
    /// names a placeholder without a value, or a value without a placeholder.
    fn segments(&self) -> Result<Vec<String>, String> {
        let mut used = vec![false; self.values.len()];
        let mut segments = Vec::new();
        for segment in self.template.split('/').filter(|s| !s.is_empty()) {
            let mut filled = String::new();
            for piece in
                template_pieces(segment).map_err(|e| format!("{e} in the path `{}`", self.template))?
            {
                match piece {
                    TemplatePiece::Text(text) => filled.push_str(text),
                    TemplatePiece::Value(name) => {
                        let index = self
                            .values
                            .iter()
                            .position(|(given, _)| *given == name)
                            .ok_or_else(|| {
                                format!("no value for `{{{name}}}` in the path `{}`", self.template)
                            })?;
                        used[index] = true;
                        filled.push_str(&self.values[index].1);
                    }
                }
            }
            segments.push(filled);
        }
        match used.iter().position(|used| !used) {
            Some(unused) => Err(format!(
                "the path `{}` has no `{{{}}}`",
                self.template, self.values[unused].0
            )),
            None => Ok(segments),
        }
    }
}

/// `method` in capitals if it is one of HTTP's standard methods, which are written so (RFC
/// 9110 9.1); any other as written, since the names of methods are case-sensitive.
fn standard_method(method: &'static str) -> &'static str {
    const STANDARD: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ];
    STANDARD
        .into_iter()
        .find(|standard| standard.eq_ignore_ascii_case(method))
        .unwrap_or(method)
}

/// A piece of a path template: text as written, or the name of a `{value}`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatePiece<'a> {
    Text(&'a str),
    Value(&'a str),
}

/// The pieces of a path template (`/files/{name}.json`), in order; a `{` without its `}` is
/// refused.
#[doc(hidden)]
pub fn template_pieces(template: &str) -> Result<Vec<TemplatePiece<'_>>, String> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or("`{` without `}`")? + open;
        if open > 0 {
            pieces.push(TemplatePiece::Text(&rest[..open]));
        }
        pieces.push(TemplatePiece::Value(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(TemplatePiece::Text(rest));
    }
    Ok(pieces)
}

/// The answer to a [`RawCall`] with a success status (any other is an [`Error`], typed as
/// an operation's would be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawReply {
    /// The HTTP status code.
    pub status: u16,
    /// The body, as sent.
    pub body: Vec<u8>,
}

impl RawReply {
    /// The body as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl<S: Service> Client<S> {
    /// Sends `call`, a call the spec does not describe, as every operation is sent: with
    /// this client's credentials (whichever set it has), headers, timeout, deadline, retry
    /// policy, redirects, idempotency key, body limit, span and observer. A success status is a [`RawReply`]; any other answer is an
    /// [`Error`], the API's documented error body included.
    pub fn raw(&self, call: RawCall) -> impl Future<Output = Result<RawReply, Error<S>>> + '_ {
        let operation = Operation {
            id: "",
            method: call.method,
            path: call.template,
            accept: None,
            accepted: S::CREDENTIAL_SETS,
            idempotency_key: S::IDEMPOTENCY_KEY,
        };
        let build = move |builder: &Builder<'_>| {
            let method = Method::from_bytes(call.method.as_bytes())
                .map_err(|_| Error::invalid(format!("`{}` is not an HTTP method", call.method)))?;
            let segments = call.segments().map_err(Error::invalid)?;
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            let mut url = builder.url(&segments);
            if !call.query.is_empty() {
                url.query_pairs_mut().extend_pairs(&call.query);
            }
            let request = builder.request(method, url);
            Ok(match call.body {
                Some((bytes, content_type)) => request.header(CONTENT_TYPE, content_type).body(bytes),
                None => request,
            })
        };
        send(self, operation, build, |reply| {
            if (200..300).contains(&reply.status) {
                Ok(RawReply {
                    status: reply.status,
                    body: reply.body,
                })
            } else {
                Err(failure(reply))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{RawCall, standard_method};

    #[test]
    fn a_standard_method_is_sent_in_capitals_and_another_as_written() {
        assert_eq!(RawCall::new("get", "/items").method, "GET");
        assert_eq!(standard_method("Patch"), "PATCH");
        assert_eq!(standard_method("PROPFIND"), "PROPFIND");
        assert_eq!(standard_method("mkCalendar"), "mkCalendar");
    }

    #[test]
    fn values_fill_their_placeholders_whole_segments_or_parts_of_one() {
        let call = RawCall::new("GET", "/stores/{store}/files/{name}.json")
            .path("name", "a/b")
            .path("store", 7);
        assert_eq!(call.segments().unwrap(), ["stores", "7", "files", "a/b.json"]);
    }

    #[test]
    fn a_placeholder_without_a_value_or_a_value_without_a_placeholder_is_refused() {
        let missing = RawCall::new("GET", "/items/{id}").segments().unwrap_err();
        assert_eq!(missing, "no value for `{id}` in the path `/items/{id}`");
        let extra = RawCall::new("GET", "/items")
            .path("id", 1)
            .segments()
            .unwrap_err();
        assert_eq!(extra, "the path `/items` has no `{id}`");
        let open = RawCall::new("GET", "/items/{id")
            .path("id", 1)
            .segments()
            .unwrap_err();
        assert_eq!(open, "`{` without `}` in the path `/items/{id`");
    }
}
