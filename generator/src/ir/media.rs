//! Media types: how a body travels ([`Encoding`]) and what a call asks for (`Accept`).

use super::{ArrayStyle, Response, TypeRef};

/// How a request or response body travels, by its media type. JSON, forms and text are
/// typed; the others reach callers as the bytes they are, each with its own arm wherever a
/// body is written or read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `application/json` or a `+json` type: the schema's type.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`: the schema's type, written as name-value pairs.
    Form(Form),
    /// `multipart/*`, such as `multipart/form-data`: a request body is a struct of parts;
    /// an answer is its bytes.
    Multipart(Multipart),
    /// `text/*` (but event streams), XML: a string.
    Text,
    /// `text/event-stream`: server-sent events, each payload of the type given.
    Events(TypeRef),
    /// Any other media type: bytes.
    Bytes,
}

/// A form body: its type (an object) and how its properties are written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Form {
    pub ty: TypeRef,
    /// The properties the media type's `encoding` writes other than the default (`form`,
    /// exploded, reserved characters encoded), by wire name, in the spec's order.
    pub fields: Vec<FormField>,
}

/// How one property of a form body is written, from its `encoding` entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FormField {
    pub wire: String,
    pub style: ArrayStyle,
    pub allow_reserved: bool,
}

/// A multipart body: its parts, in the order the schema lists its properties (some
/// servers read them in order: Box wants `attributes` before `file`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Multipart {
    pub parts: Vec<Part>,
}

/// One property of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part {
    pub wire: String,
    pub value: PartValue,
    /// A list: one part per item, each under the property's name.
    pub many: bool,
    pub required: bool,
    /// The part's media type from the `encoding` object (one, not a range).
    pub content_type: Option<String>,
    pub docs: super::Docs,
}

/// What a part holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PartValue {
    /// A file (`format: binary`, `contentMediaType`): bytes or a stream.
    File,
    /// A scalar, sent as its text.
    Text(TypeRef),
    /// Anything else, sent as JSON.
    Json(TypeRef),
}

/// What kind of body a media type holds, which decides its [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Events,
    Bytes,
}

impl MediaKind {
    pub fn of(media: &str) -> MediaKind {
        let essence = essence(media);
        if is_json(&essence) {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if essence.starts_with("multipart/") {
            MediaKind::Multipart
        } else if essence == "text/event-stream" {
            MediaKind::Events
        } else if is_text(&essence) {
            MediaKind::Text
        } else {
            MediaKind::Bytes
        }
    }
}

/// Whether a media type's essence is text a `String` holds: `text/*` but an event stream
/// (a sequence of events, not one text), and XML.
fn is_text(essence: &str) -> bool {
    (essence.starts_with("text/") && essence != "text/event-stream")
        || essence == "application/xml"
        || essence.ends_with("+xml")
}

impl Encoding {
    /// The type of a JSON body.
    pub fn json(&self) -> Option<&TypeRef> {
        match self {
            Encoding::Json(ty) => Some(ty),
            Encoding::Form(_)
            | Encoding::Multipart(_)
            | Encoding::Text
            | Encoding::Events(_)
            | Encoding::Bytes => None,
        }
    }

    /// Whether a body of `self` and one of `other` reach callers as the same Rust type.
    pub fn same_payload(&self, other: &Encoding) -> bool {
        match (self, other) {
            (Encoding::Json(one), Encoding::Json(other)) => one == other,
            (Encoding::Text, Encoding::Text) => true,
            (Encoding::Events(one), Encoding::Events(other)) => one == other,
            (
                Encoding::Form(_) | Encoding::Multipart(_) | Encoding::Bytes,
                Encoding::Form(_) | Encoding::Multipart(_) | Encoding::Bytes,
            ) => true,
            _ => false,
        }
    }

    /// The schema's type, where the body is one: JSON and forms.
    pub fn typed(&self) -> Option<&TypeRef> {
        match self {
            Encoding::Json(ty) | Encoding::Form(Form { ty, .. }) => Some(ty),
            Encoding::Multipart(_) | Encoding::Text | Encoding::Events(_) | Encoding::Bytes => None,
        }
    }

    /// Every type the body holds: the schema's, or its parts'.
    pub fn types(&self) -> Vec<&TypeRef> {
        match self {
            Encoding::Json(ty) | Encoding::Form(Form { ty, .. }) | Encoding::Events(ty) => vec![ty],
            Encoding::Multipart(multipart) => multipart
                .parts
                .iter()
                .filter_map(|part| match &part.value {
                    PartValue::Text(ty) | PartValue::Json(ty) => Some(ty),
                    PartValue::File => None,
                })
                .collect(),
            Encoding::Text | Encoding::Bytes => Vec::new(),
        }
    }
}

/// The `Accept` header of a call with `responses`: see [`Operation::accept`].
pub fn accept<'a>(responses: impl Iterator<Item = &'a Response>) -> Option<String> {
    let mut named: Vec<&str> = Vec::new();
    let mut wildcards: Vec<&str> = Vec::new();
    for media in responses.filter_map(|r| r.media_type.as_deref()) {
        let media = media.trim();
        let list = if media.ends_with("/*") {
            &mut wildcards
        } else {
            &mut named
        };
        if !list.iter().any(|m| m.eq_ignore_ascii_case(media)) {
            list.push(media);
        }
    }
    // A stable sort: JSON types keep their spec order ahead of the rest.
    named.sort_by_key(|media| !is_json(media));
    let ranges = named
        .into_iter()
        .map(str::to_owned)
        .chain(wildcards.into_iter().map(|media| format!("{media};q=0.1")))
        .collect::<Vec<_>>();
    (!ranges.is_empty()).then(|| ranges.join(", "))
}

/// Whether `media` is JSON: `application/json` or a `+json` type, parameters aside.
pub fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// A media type without its parameters, in lower case (`application/json`).
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
