//! Media types: how a body travels ([`Encoding`]) and what a call asks for (`Accept`).

use super::{Response, TypeRef};

/// How a request or response body travels, by its media type. Only JSON is typed today;
/// the others reach callers as the bytes they are, each with its own arm wherever a body
/// is written or read, so that typing one (multipart first) has its seam.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `application/json` or a `+json` type: the schema's type.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/*`, such as `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Any other media type: bytes.
    Bytes,
}

impl Encoding {
    /// The encoding of a body of `media`; `json` types it when it is JSON.
    pub fn of<E>(media: &str, json: impl FnOnce() -> Result<TypeRef, E>) -> Result<Encoding, E> {
        let essence = essence(media);
        Ok(if is_json(&essence) {
            Encoding::Json(json()?)
        } else if essence == "application/x-www-form-urlencoded" {
            Encoding::Form
        } else if essence.starts_with("multipart/") {
            Encoding::Multipart
        } else if essence.starts_with("text/") {
            Encoding::Text
        } else {
            Encoding::Bytes
        })
    }

    /// The type of a JSON body.
    pub fn json(&self) -> Option<&TypeRef> {
        match self {
            Encoding::Json(ty) => Some(ty),
            Encoding::Form | Encoding::Multipart | Encoding::Text | Encoding::Bytes => None,
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
