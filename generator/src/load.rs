//! Stage 1: read a spec file, parse YAML or JSON, check the OpenAPI version and decode it
//! into openapiv3 types. Every failure is located.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, JsonPointer, Location, Result};

/// A parsed spec: the raw JSON tree (for `$ref` resolution and locations) and its typed view.
#[derive(Debug)]
pub struct Spec {
    /// The path as given; every error names it.
    pub path: std::path::PathBuf,
    pub raw: Value,
    pub doc: openapiv3::OpenAPI,
    /// What reading the document left out (see [`crate::openapi31`]).
    pub warnings: Vec<crate::error::Warning>,
}

impl Spec {
    /// A location in this spec.
    pub fn at(&self, pointer: &JsonPointer) -> Location {
        Location::new(&self.path, pointer.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Yaml,
}

impl Format {
    fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        }
    }
}

/// Reads and parses the spec at `file`; errors name it `path` (for example relative to the
/// workspace root, so reports read the same on every machine).
pub fn load(file: &Path, path: &Path) -> Result<Spec> {
    let bytes = std::fs::read(file).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Syntax {
        at: Location::new(path, JsonPointer::root()),
        format: "UTF-8",
        message: format!("invalid byte at offset {}", e.utf8_error().valid_up_to()),
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` names it in errors and decides between JSON and YAML.
pub fn parse(path: &Path, text: &str) -> Result<Spec> {
    let format = Format::of(path);
    let (raw, from_text) = match format {
        Format::Json => parse_both(path, text),
        Format::Yaml => (parse_raw(path, text, format), None),
    };
    let mut raw = raw?;
    let mut warnings = Vec::new();
    let from_text = match check_version(path, &raw)? {
        Version::V30 => from_text,
        // Only the rewritten tree decodes as what a 3.1 document means.
        Version::V31 => {
            warnings = crate::openapi31::downgrade(path, &mut raw)?;
            None
        }
    };
    // The tree is the document as read: its 64-bit repairs made, a 3.1 document rewritten.
    let decoded = from_text
        .and_then(Result::ok)
        .or_else(|| <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&raw).ok());
    let Some(doc) = decoded else {
        return Err(typed_error(path, &raw, text, format));
    };
    Ok(Spec {
        path: path.to_owned(),
        raw,
        doc,
        warnings,
    })
}

/// JSON text read twice side by side: the raw tree, and the typed view straight from the
/// text (faster than from the tree). The typed reader panics on a key given twice, which
/// the tree refuses with its location: a panic there only means no typed view.
fn parse_both(path: &Path, text: &str) -> (Result<Value>, Option<serde_json::Result<openapiv3::OpenAPI>>) {
    std::thread::scope(|scope| {
        let typed = std::thread::Builder::new()
            .name("generator-decode".into())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || {
                quiet_panics_on_this_thread();
                serde_json::from_str::<openapiv3::OpenAPI>(text)
            });
        let raw = parse_raw(path, text, Format::Json);
        let typed = match typed {
            Ok(handle) => handle.join().ok(),
            // No thread to spare: decode here, after the raw tree, if that is sound.
            Err(_) => raw.is_ok().then(|| serde_json::from_str(text)),
        };
        (raw, typed)
    })
}

thread_local! {
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps the panic hook from reporting a panic of this thread, whose caller handles it: the
/// typed reader's panic on a key given twice is no news to the user, who gets the tree's
/// located error instead. Other threads report as before.
fn quiet_panics_on_this_thread() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET_PANICS.with(|quiet| quiet.set(true));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

/// Stack for decoding beside the raw parse: serde_json stops at 128 levels, each a few frames.
const PARSE_STACK_BYTES: usize = 64 * 1024 * 1024;

fn parse_raw(path: &Path, text: &str, format: Format) -> Result<Value> {
    let (message, line_col) = match format {
        Format::Json => match crate::tree::from_json(text) {
            Ok(value) => return Ok(value),
            Err(e) => (e.to_string(), Some((e.line(), e.column()))),
        },
        Format::Yaml => {
            if let Some(line_col) = crate::tree::too_deep(text) {
                return Err(too_deep(path, Some(line_col)));
            }
            match crate::tree::from_yaml(text) {
                Ok(value) => return Ok(value),
                Err(e) => (e.to_string(), e.location().map(|l| (l.line(), l.column()))),
            }
        }
    };
    let message = strip_position(&message);
    let at = Location {
        line_col,
        ..Location::new(path, JsonPointer::root())
    };
    // The parsers' guards against hostile input end in errors of syntax; they are limits.
    Err(match message.as_str() {
        "recursion limit exceeded" => too_deep(path, line_col),
        "repetition limit exceeded" => Error::Unsupported {
            at,
            what: "YAML aliases that expand to far more than the document itself".into(),
            help: "write the repeated parts out, or share schemas with `$ref` instead of YAML \
                   anchors"
                .into(),
        },
        _ => Error::Syntax {
            at,
            format: format.name(),
            message,
        },
    })
}

/// The parsers stop at 128 levels of nesting: deeper is refused, not a stack overflow.
fn too_deep(path: &Path, line_col: Option<(usize, usize)>) -> Error {
    Error::Unsupported {
        at: Location {
            line_col,
            ..Location::new(path, JsonPointer::root())
        },
        what: "a document nested more than 128 levels deep".into(),
        help: "no spec needs such depth; move inner schemas to components/schemas and refer to \
               them"
            .into(),
    }
}

/// Parser messages end in " at line L column C"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn check_version(path: &Path, raw: &Value) -> Result<Version> {
    let root = JsonPointer::root();
    let Some(object) = raw.as_object() else {
        return Err(Error::Shape {
            at: Location::new(path, root),
            message: format!("the document is {}, not an object", kind_of(raw)),
        });
    };
    let pointer = root.push("openapi");
    match (object.get("openapi"), object.get("swagger")) {
        (Some(Value::String(v)), _) if v == "3.0" || v.starts_with("3.0.") => Ok(Version::V30),
        (Some(Value::String(v)), _) if crate::openapi31::is_31(v) => Ok(Version::V31),
        (Some(Value::String(v)), _) => Err(Error::Version {
            at: Location::new(path, pointer),
            found: format!("`{v}` (supported: 3.0.x and 3.1.x)"),
        }),
        (Some(other), _) => Err(Error::Shape {
            at: Location::new(path, pointer),
            message: format!(
                "`openapi` must be a version string such as \"3.0.3\", found {}",
                kind_of(other)
            ),
        }),
        (None, Some(v)) => Err(Error::Version {
            at: Location::new(path, root.push("swagger")),
            found: format!(
                "Swagger {} (supported: OpenAPI 3.0.x and 3.1.x)",
                v.as_str().unwrap_or("?")
            ),
        }),
        (None, None) => Err(Error::Shape {
            at: Location::new(path, root),
            message: "missing the `openapi` version field".into(),
        }),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The located error of a spec whose typed decoding failed: the path from decoding the raw
/// tree again, the line and column from decoding the text.
fn typed_error(path: &Path, raw: &Value, text: &str, format: Format) -> Error {
    let (pointer, message) = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(raw) {
        Err(error) => (pointer_of(error.path()), error.inner().to_string()),
        // The text failed where the tree does not: report it at the root.
        Ok(_) => (
            JsonPointer::root(),
            "the document does not decode as OpenAPI".to_owned(),
        ),
    };
    let line_col = match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&mut de)
                .err()
                .map(|e| (e.inner().line(), e.inner().column()))
        }
        Format::Yaml => serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(
            serde_yaml::Deserializer::from_str(text),
        )
        .err()
        .and_then(|e| e.inner().location())
        .map(|l| (l.line(), l.column())),
    };
    Error::Shape {
        at: Location {
            file: path.to_owned(),
            pointer,
            line_col,
        },
        message: strip_position(&message),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> JsonPointer {
    use serde_path_to_error::Segment;
    path.iter()
        .fold(JsonPointer::root(), |pointer, segment| match segment {
            Segment::Seq { index } => pointer.push(index.to_string()),
            Segment::Map { key } => pointer.push(key),
            Segment::Enum { variant } => pointer.push(variant),
            Segment::Unknown => pointer,
        })
}

/// Decodes the value at `pointer` of the raw tree as `T` (used for `$ref` targets).
pub fn decode_at<T: DeserializeOwned>(spec: &Spec, pointer: &JsonPointer) -> Result<T> {
    let Some(value) = spec.raw.pointer(pointer.as_str()) else {
        return Err(Error::DanglingRef {
            at: spec.at(pointer),
            target: pointer.to_string(),
        });
    };
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut at = pointer.clone();
        for token in pointer_of(e.path()).tokens() {
            at = at.push(token);
        }
        Error::Shape {
            at: spec.at(&at),
            message: e.inner().to_string(),
        }
    })
}
