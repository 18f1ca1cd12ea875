//! How the bodies of an API's calls reach callers: typed (JSON, forms, text) or left as
//! bytes, and why. The generator reports it per spec, and the corpus keeps it from
//! regressing.

use std::fmt;

use super::{Api, Encoding};

/// The bodies of an API's operations, counted by how they are typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Census {
    /// Request bodies.
    pub requests: Tally,
    /// Documented answers with a body, `default` included.
    pub answers: Tally,
    /// Each body left as bytes, in operation order.
    pub raw: Vec<RawBody>,
}

/// A count of bodies by how they are typed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub json: usize,
    pub form: usize,
    pub multipart: usize,
    pub text: usize,
    /// Event streams, those a call's streaming twin reads included.
    pub events: usize,
    pub bytes: usize,
}

impl Tally {
    pub fn typed(&self) -> usize {
        self.json + self.form + self.multipart + self.text + self.events
    }

    fn add(&mut self, encoding: &Encoding) {
        match encoding {
            Encoding::Json(_) => self.json += 1,
            Encoding::Form(_) => self.form += 1,
            Encoding::Multipart(_) => self.multipart += 1,
            Encoding::Text => self.text += 1,
            Encoding::Events(_) => self.events += 1,
            Encoding::Bytes => self.bytes += 1,
        }
    }
}

/// A body a caller sends or gets as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBody {
    /// The `operationId`.
    pub operation: String,
    /// `request`, or the status of the answer (`default`).
    pub place: String,
    pub media_type: String,
    pub reason: &'static str,
}

impl Census {
    pub fn of(api: &Api) -> Census {
        let mut census = Census::default();
        for op in &api.operations {
            if let Some(body) = &op.body {
                census.requests.add(&body.encoding);
                census.note(&op.id, "request", &body.media_type, &body.encoding, true);
            }
            for response in op.responses.iter().chain(&op.default) {
                let (Some(encoding), Some(media)) = (&response.body, &response.media_type) else {
                    continue;
                };
                census.answers.add(encoding);
                if response.events.is_some() {
                    census.answers.events += 1;
                }
                let place = match response.status {
                    0 => "default".to_owned(),
                    status => status.to_string(),
                };
                census.note(&op.id, &place, media, encoding, false);
            }
        }
        census
    }

    fn note(&mut self, operation: &str, place: &str, media: &str, encoding: &Encoding, request: bool) {
        let reason = match encoding {
            Encoding::Json(_) | Encoding::Multipart(_) | Encoding::Text | Encoding::Events(_) => return,
            Encoding::Form(_) if request => return,
            Encoding::Form(_) => "a form answer is handed out as it came",
            Encoding::Bytes if request => "binary: the caller's bytes or stream",
            Encoding::Bytes => "binary: a byte stream",
        };
        self.raw.push(RawBody {
            operation: operation.to_owned(),
            place: place.to_owned(),
            media_type: media.to_owned(),
            reason,
        });
    }
}

impl fmt::Display for Tally {
    /// `12 typed (10 JSON, 2 form), 1 as bytes`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<String> = [
            (self.json, "JSON"),
            (self.form, "form"),
            (self.multipart, "multipart"),
            (self.text, "text"),
            (self.events, "events"),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, kind)| format!("{count} {kind}"))
        .collect();
        write!(f, "{} typed", self.typed())?;
        if !kinds.is_empty() {
            write!(f, " ({})", kinds.join(", "))?;
        }
        write!(f, ", {} as bytes", self.bytes)
    }
}

impl fmt::Display for Census {
    /// `request bodies: ...; answers: ...` (see [`Tally`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request bodies: {}; answers: {}", self.requests, self.answers)
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} `{}`: {}",
            self.operation, self.place, self.media_type, self.reason
        )
    }
}
