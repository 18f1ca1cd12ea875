//! Stage 1, when the typed decode fails: where the value it refused stands.
//!
//! serde says where a value failed only down to the first part it reads through a buffer:
//! openapiv3 reads the paths and the responses by status through `#[serde(flatten)]`, a
//! parameter by its `in` tag and every `$ref`-or-object as an untagged enum, so a bad value
//! deep in an operation was reported at `#/paths`. [`typed_error`] decodes the part it was
//! reported at again, entry by entry with each entry's own type, until the pointer names the
//! value itself; then it finds that value's line and column in the text.

use std::path::Path;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Error, JsonPointer, Location};
use crate::load::Format;

/// The located error of a document in `text` (read from `path`, as `raw`) that does not
/// decode as OpenAPI.
pub(crate) fn typed_error(path: &Path, raw: &Value, text: &str, format: Format) -> Error {
    let (pointer, message) = match decoded::<openapiv3::OpenAPI>(raw) {
        Err(failure) => narrow(raw, failure),
        // Not expected: the typed decode read this same tree.
        Ok(()) => (
            JsonPointer::root(),
            "the document does not decode as OpenAPI".to_owned(),
        ),
    };
    Error::Shape {
        at: Location {
            line_col: line_col(text, format, &pointer).map(crate::error::line_col),
            ..Location::new(path, pointer)
        },
        message,
    }
}

/// Decodes `value` as `T`: on failure, the pointer (relative to `value`) serde reached and
/// its message.
fn decoded<T: DeserializeOwned>(value: &Value) -> Result<(), (JsonPointer, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => Ok(()),
        Err(error) => Err((pointer_of(error.path()), error.inner().to_string())),
    }
}

/// The pointer serde's path names.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(JsonPointer::root(), |pointer, segment| match segment {
            Segment::Seq { index } => pointer.push(index.to_string()),
            Segment::Map { key } => pointer.push(key),
            Segment::Enum { variant } => pointer.push(variant),
            Segment::Unknown => pointer,
        })
}

/// The failure `(pointer, message)` of the whole document, moved down to the value that
/// fails. From the top, each entry on the way to where the failure was last reported (else
/// each entry below it) that has a type of its own is decoded alone; the deepest that fails
/// reports again, with a more exact path. Each step goes one entry deeper, so this ends.
fn narrow(raw: &Value, failure: (JsonPointer, String)) -> (JsonPointer, String) {
    let mut best = failure;
    let mut start = JsonPointer::root();
    loop {
        let on_the_way = prefixes(&best.0).filter(|q| q.as_str().len() > start.as_str().len());
        let below = children(raw, &best.0);
        let failed = on_the_way.chain(below).find_map(|entry| {
            let value = raw.pointer(entry.as_str())?;
            match decode_entry(&entry, value)? {
                Ok(()) => None,
                Err((below, why)) => Some((entry, below, why)),
            }
        });
        let Some((entry, below, why)) = failed else {
            return best;
        };
        best = (
            below.tokens().fold(entry.clone(), |at, token| at.push(token)),
            why,
        );
        start = entry;
    }
}

/// `pointer`'s prefixes, shortest first, `pointer` itself included and the root not.
fn prefixes(pointer: &JsonPointer) -> impl Iterator<Item = JsonPointer> {
    let tokens: Vec<String> = pointer.tokens().collect();
    (1..=tokens.len()).map(move |n| {
        tokens[..n]
            .iter()
            .fold(JsonPointer::root(), |at, token| at.push(token))
    })
}

/// The pointers of the entries of the object or array at `pointer`.
fn children(raw: &Value, pointer: &JsonPointer) -> Vec<JsonPointer> {
    match raw.pointer(pointer.as_str()) {
        Some(Value::Object(map)) => map.keys().map(|key| pointer.push(key)).collect(),
        Some(Value::Array(items)) => (0..items.len()).map(|i| pointer.push(i.to_string())).collect(),
        _ => Vec::new(),
    }
}

/// Decodes the entry at `at` with its own type, if the place has one: an object written
/// where a `$ref` may stand is decoded as the object, so the message is about its fields
/// rather than "did not match any variant".
fn decode_entry(at: &JsonPointer, value: &Value) -> Option<Result<(), (JsonPointer, String)>> {
    use openapiv3::{Header, Operation, PathItem, RequestBody, Response, SecurityRequirement};
    if value.get("$ref").is_some() {
        return None;
    }
    let tokens: Vec<String> = at.tokens().collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let method = |m: &str| {
        matches!(
            m,
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
        )
    };
    let index = |token: &str| token.parse::<usize>().is_ok();
    Some(match tokens.as_slice() {
        ["paths", path] if !path.starts_with("x-") => decoded::<PathItem>(value),
        ["paths", _, m] if method(m) => decoded::<Operation>(value),
        ["paths", _, "parameters", i] | ["paths", _, _, "parameters", i] if index(i) => parameter(value),
        ["components", "parameters", _] => parameter(value),
        ["paths", _, _, "requestBody"] => decoded::<RequestBody>(value),
        ["paths", _, _, "responses", code] if !code.starts_with("x-") => decoded::<Response>(value),
        ["paths", _, _, "responses", _, "headers", _] => decoded::<Header>(value),
        ["paths", _, _, "security", i] | ["security", i] if index(i) => decoded::<SecurityRequirement>(value),
        ["components", "requestBodies", _] => decoded::<RequestBody>(value),
        ["components", "responses", _] => decoded::<Response>(value),
        ["components", "headers", _] => decoded::<Header>(value),
        _ => return None,
    })
}

/// Decodes a parameter. openapiv3 reads one through its `in` tag, behind which serde says
/// nothing of where; the fields every parameter has are read again on their own to say it.
fn parameter(value: &Value) -> Result<(), (JsonPointer, String)> {
    let failure = decoded::<openapiv3::Parameter>(value).err();
    match (failure, decoded::<openapiv3::ParameterData>(value)) {
        (None, _) => Ok(()),
        (Some(_), Err(within)) if within.0.tokens().next().is_some() => Err(within),
        (Some(failure), _) => Err(failure),
    }
}

/// The 1-based line and column of the value at `pointer` in `text`, if the text holds it
/// there (a part copied in from another file, or written by a rewrite, is not in it).
fn line_col(text: &str, format: Format, pointer: &JsonPointer) -> Option<(usize, usize)> {
    let tokens: Vec<String> = pointer.tokens().collect();
    let seed = Seek { tokens: &tokens };
    match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let error = seed.deserialize(&mut de).err()?;
            found(&error.to_string()).then(|| (error.line(), error.column()))
        }
        Format::Yaml => {
            let error = seed.deserialize(serde_yaml::Deserializer::from_str(text)).err()?;
            let location = error.location()?;
            found(&error.to_string()).then(|| (location.line(), location.column()))
        }
    }
}

/// The message [`Seek`] stops with where it finds its value.
const FOUND: &str = "the value sought";

/// Whether the parser's message (which it may prefix with a path, or end with a position)
/// is [`FOUND`].
fn found(message: &str) -> bool {
    message.contains(FOUND)
}

/// Walks a document down `tokens`, skipping every other value, and fails with [`FOUND`]
/// where the value stands, so the parser reports its position.
struct Seek<'a> {
    tokens: &'a [String],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.tokens.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        while let Some(key) = map.next_key::<String>()? {
            if key == *first {
                return map.next_value_seed(Seek { tokens: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Err(de::Error::custom("no such key"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.tokens.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        let index: usize = first.parse().map_err(|_| de::Error::custom("no such index"))?;
        for _ in 0..index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(de::Error::custom("no such index"));
            }
        }
        match seq.next_element_seed(Seek { tokens: rest })? {
            Some(()) => Ok(()),
            None => Err(de::Error::custom("no such index")),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
}

impl Seek<'_> {
    /// A scalar is the value sought if no token is left; it holds nothing below.
    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        Err(de::Error::custom(if self.tokens.is_empty() {
            FOUND
        } else {
            "no such value"
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::typed_error;
    use crate::load::Format;

    /// The pointer and line:column a bad document's error names.
    fn located(text: &str, format: Format) -> (String, Option<(u32, u32)>) {
        let raw: serde_json::Value = match format {
            Format::Json => serde_json::from_str(text).expect("JSON"),
            Format::Yaml => serde_yaml::from_str(text).expect("YAML"),
        };
        let error = typed_error(Path::new("spec"), &raw, text, format);
        let at = error.location().expect("located").clone();
        (at.pointer.to_string(), at.line_col)
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn a_bad_value_inside_an_operation_is_located_at_itself_not_at_the_paths() {
        let text = format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        name: limit\n      responses: {{}}\n"
        );
        assert_eq!(
            located(&text, Format::Yaml),
            ("#/paths/~1pets/get/parameters".into(), Some((7, 9)))
        );
    }

    #[test]
    fn a_bad_value_under_a_status_is_located_below_the_responses() {
        let text = format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: []\n"
        );
        assert_eq!(
            located(&text, Format::Yaml).0,
            "#/paths/~1pets/get/responses/200/content"
        );
    }

    #[test]
    fn a_bad_parameter_is_named_by_its_field() {
        let text = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "paths": {"/pets": {"get": {"parameters": [{"name": "limit", "in": "query", "required": "yes"}],
  "responses": {}}}}}"#;
        let (pointer, line_col) = located(text, Format::Json);
        assert_eq!(pointer, "#/paths/~1pets/get/parameters/0/required");
        assert_eq!(line_col.map(|(line, _)| line), Some(2));
    }

    #[test]
    fn a_bad_list_of_scopes_is_located_at_the_value() {
        let text = format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      security:\n        - key: 3\n      responses: {{}}\n"
        );
        assert_eq!(
            located(&text, Format::Yaml).0,
            "#/paths/~1pets/get/security/0/key"
        );
    }
}
