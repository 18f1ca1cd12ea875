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
    /// Where the parts copied in from other files came from.
    pub origins: crate::bundle::Origins,
}

impl Spec {
    /// A location in this spec.
    pub fn at(&self, pointer: &JsonPointer) -> Location {
        Location::new(&self.path, pointer.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Yaml,
}

impl Format {
    pub(crate) fn of(path: &Path) -> Self {
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
    parse_at(path, &text, file)
}

/// Parses spec text; `path` names it in errors and decides between JSON and YAML. The typed
/// view is decoded from the tree, not the text: the tree is the document as read (a key given
/// twice refused, its 64-bit repairs made, a 3.1 document rewritten), and openapiv3 panics on
/// text whose keys repeat.
///
/// Files it refers to are read relative to `path`.
pub fn parse(path: &Path, text: &str) -> Result<Spec> {
    parse_at(path, text, path)
}

/// [`parse`] of the text of the file at `real`, which files it refers to are relative to.
fn parse_at(path: &Path, text: &str, real: &Path) -> Result<Spec> {
    let format = Format::of(path);
    let parsed = parse_raw(path, text, format)?;
    let mut raw = parsed.value;
    let version = check_version(path, &raw)?;
    let origins = crate::bundle::bundle(&mut raw, parsed.refers_to_other_files, path, real)?;
    let relocated = |mut error: Error| {
        if let Some(at) = error.location_mut() {
            origins.relocate(at);
        }
        error
    };
    // Mended as written, before a 3.1 document's rewrite copies its parts around.
    // Parts copied from other files were not read with this one: they may need mending.
    let mendable = parsed.mendable || parsed.refers_to_other_files;
    let mut warnings = crate::repair::repair(path, &mut raw, version == Version::V31, mendable);
    if version == Version::V31 {
        warnings.extend(crate::openapi31::downgrade(path, &mut raw).map_err(relocated)?);
    }
    check_deep_schemas(path, &raw).map_err(relocated)?;
    let Some(doc) = decode(&mut raw) else {
        return Err(relocated(crate::locate::typed_error(path, &raw, text, format)));
    };
    Ok(Spec {
        path: path.to_owned(),
        raw,
        doc,
        warnings,
        origins,
    })
}

/// The typed document, `None` if `raw` does not decode; `raw` is left as it was. The
/// document is decoded in parts on every core: the component schemas, most of a large
/// document, in runs of [`SCHEMAS_PER_PART`], the other components, and the rest.
fn decode(raw: &mut Value) -> Option<openapiv3::OpenAPI> {
    // `components: null` (an empty YAML key) stays where it is: it decodes as no components.
    let mut components = raw
        .get_mut("components")
        .filter(|components| !components.is_null())
        .map(std::mem::take);
    // Schemas that are not a map stay with the other components, which report them; a map
    // is swapped for an empty one, so the key keeps its place.
    let schemas = components
        .as_mut()
        .and_then(|components| components.get_mut("schemas"))
        .filter(|schemas| schemas.is_object())
        .map(|schemas| std::mem::replace(schemas, Value::Object(serde_json::Map::new())));
    let entries: Vec<(&String, &Value)> = schemas
        .as_ref()
        .and_then(Value::as_object)
        .map(|schemas| schemas.iter().collect())
        .unwrap_or_default();
    let mut parts = vec![Part::Document(raw)];
    parts.extend(components.as_ref().map(Part::Components));
    parts.extend(entries.chunks(SCHEMAS_PER_PART).map(Part::Schemas));
    let decoded = crate::parallel::in_parallel(&parts, Part::decode);
    drop(parts);
    if let (Some(components), Some(schemas)) = (components.as_mut(), schemas) {
        components["schemas"] = schemas;
    }
    if let (Some(slot), Some(components)) = (raw.get_mut("components"), components) {
        *slot = components;
    }
    let mut decoded = decoded.into_iter();
    let Some(Ok(Decoded::Document(mut doc))) = decoded.next() else {
        return None;
    };
    for part in decoded {
        match part.ok()? {
            Decoded::Components(components) => doc.components = Some(*components),
            Decoded::Schemas(schemas) => {
                doc.components
                    .get_or_insert_with(Default::default)
                    .schemas
                    .extend(schemas);
            }
            Decoded::Document(_) => return None,
        }
    }
    Some(*doc)
}

/// Component schemas decoded as one part: enough to be worth a trip through the queue, few
/// enough that both cores finish together. Schemas differ in size by a hundredfold (64 of
/// github.json's webhook schemas took 16 ms, as long as a quarter of the rest), so the
/// parts are small.
const SCHEMAS_PER_PART: usize = 16;

/// A part of the document that decodes on its own.
enum Part<'a> {
    /// The document without its components.
    Document(&'a Value),
    /// The components without their schemas.
    Components(&'a Value),
    /// A run of component schemas, in order.
    Schemas(&'a [(&'a String, &'a Value)]),
}

/// A decoded [`Part`].
enum Decoded {
    Document(Box<openapiv3::OpenAPI>),
    Components(Box<openapiv3::Components>),
    Schemas(Vec<(String, openapiv3::ReferenceOr<openapiv3::Schema>)>),
}

impl Part<'_> {
    fn decode(&self) -> serde_json::Result<Decoded> {
        use serde::Deserialize;
        Ok(match *self {
            Part::Document(value) => Decoded::Document(Box::new(openapiv3::OpenAPI::deserialize(value)?)),
            Part::Components(value) => {
                Decoded::Components(Box::new(openapiv3::Components::deserialize(value)?))
            }
            Part::Schemas(entries) => Decoded::Schemas(
                entries
                    .iter()
                    .map(|(name, schema)| {
                        openapiv3::ReferenceOr::deserialize(*schema).map(|schema| ((*name).clone(), schema))
                    })
                    .collect::<serde_json::Result<_>>()?,
            ),
        })
    }
}

/// The level of inline nesting from which schemas are decoded on their own first.
const ALONE_FROM_LEVEL: usize = 8;

/// openapiv3 decodes a schema by trying each form it may take, and tries them all again at
/// every level above a part that fails: a bad value under many levels of inline schemas costs
/// time exponential in the levels (14 levels: 0.4 s; 30: hours). Decoding every schema from
/// [`ALONE_FROM_LEVEL`] down on its own first, deepest first, finds such a value in time
/// linear in the document, and locates it at its own schema. Shallower failures cost at most
/// the few levels above them.
fn check_deep_schemas(path: &Path, raw: &Value) -> Result<()> {
    decode_deep(
        path,
        &JsonPointer::root(),
        crate::tree::schemas_from_level(raw, ALONE_FROM_LEVEL),
    )
}

/// Decodes each of `deep` (pointers relative to `base`) on its own; the first that fails is
/// the error.
fn decode_deep(path: &Path, base: &JsonPointer, deep: Vec<(JsonPointer, &Value)>) -> Result<()> {
    for (below, schema) in deep {
        let decoded = <openapiv3::ReferenceOr<openapiv3::Schema> as serde::Deserialize>::deserialize(schema);
        if let Err(error) = decoded {
            let at = below.tokens().fold(base.clone(), |at, token| at.push(token));
            return Err(Error::Shape {
                at: Location::new(path, at),
                message: error.to_string(),
            });
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V30,
    V31,
}

pub(crate) fn parse_raw(path: &Path, text: &str, format: Format) -> Result<crate::tree::Parsed> {
    let (message, line_col) = match format {
        Format::Json => match crate::tree::from_json(text) {
            Ok(parsed) => return Ok(parsed),
            Err(e) => (e.to_string(), Some((e.line(), e.column()))),
        },
        Format::Yaml => {
            if let Some(line_col) = crate::tree::too_deep(text) {
                return Err(too_deep(path, Some(crate::error::line_col(line_col))));
            }
            match crate::tree::from_yaml(text) {
                Ok(parsed) => return Ok(parsed),
                Err(e) => (e.to_string(), e.location().map(|l| (l.line(), l.column()))),
            }
        }
    };
    let message = strip_position(&message);
    let line_col = line_col.map(crate::error::line_col);
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
fn too_deep(path: &Path, line_col: Option<(u32, u32)>) -> Error {
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

/// Decodes the value at `pointer` of the raw tree as `T` (used for `$ref` targets).
pub fn decode_at<T: DeserializeOwned>(spec: &Spec, pointer: &JsonPointer) -> Result<T> {
    let Some(value) = spec.raw.pointer(pointer.as_str()) else {
        return Err(Error::DanglingRef {
            at: spec.at(pointer),
            target: pointer.to_string(),
        });
    };
    // A part outside the places loading checked (under a vendor extension, say) gets the
    // same check of its deep schemas first, for the same reason.
    let deep = crate::tree::schemas_in_part(value, ALONE_FROM_LEVEL);
    decode_deep(&spec.path, pointer, deep)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut at = pointer.clone();
        for token in crate::locate::pointer_of(e.path()).tokens() {
            at = at.push(token);
        }
        Error::Shape {
            at: spec.at(&at),
            message: e.inner().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::ALONE_FROM_LEVEL;

    /// `leaf` under `levels` levels of `{"properties": {"p": ..}}`.
    fn nest(levels: usize, leaf: serde_json::Value) -> serde_json::Value {
        (0..levels).fold(
            leaf,
            |inner, _| json!({"type": "object", "properties": {"p": inner}}),
        )
    }

    fn deep_pointers(doc: &serde_json::Value) -> Vec<String> {
        let deep = crate::tree::schemas_from_level(doc, ALONE_FROM_LEVEL);
        deep.into_iter().map(|(at, _)| at.as_str().to_owned()).collect()
    }

    #[test]
    fn deep_schemas_are_listed_children_first_wherever_schemas_stand() {
        let doc = json!({
            "components": {"schemas": {"A": nest(ALONE_FROM_LEVEL + 1, json!({"type": "string"}))}},
            "paths": {"/x": {"get": {"parameters": [{"schema": {"items": {"allOf": [nest(ALONE_FROM_LEVEL - 2, json!({}))]}}}]}}}
        });
        let a = format!(
            "/components/schemas/A{}",
            "/properties/p".repeat(ALONE_FROM_LEVEL)
        );
        let param = format!(
            "/paths/~1x/get/parameters/0/schema/items/allOf/0{}",
            "/properties/p".repeat(ALONE_FROM_LEVEL - 2)
        );
        assert_eq!(deep_pointers(&doc), [format!("{a}/properties/p"), a, param]);
    }

    #[test]
    fn examples_defaults_enums_and_extensions_are_data_not_schemas() {
        let data = nest(2 * ALONE_FROM_LEVEL, json!({"minLength": "x"}));
        let schema =
            json!({"type": "object", "example": data, "default": data, "enum": [data], "x-data": data});
        let doc = json!({"components": {"schemas": {"A": schema}}, "x-top": {"schema": data}});
        assert_eq!(deep_pointers(&doc), Vec::<String>::new());
    }

    #[test]
    fn the_document_decodes_in_parts_in_order_and_the_tree_is_left_as_it_was() {
        // More schemas than one part holds, a component of another kind, and an extension.
        let schemas: serde_json::Map<String, serde_json::Value> = (0..super::SCHEMAS_PER_PART * 2 + 3)
            .map(|i| (format!("S{i}"), json!({"type": "string", "maxLength": i})))
            .collect();
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {
                "schemas": schemas,
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}},
                "x-owner": "team"
            }
        });
        let mut raw = doc.clone();
        let decoded = super::decode(&mut raw).expect("decodes");
        assert_eq!(raw, doc);
        let components = decoded.components.expect("components");
        let names: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
        let expected: Vec<String> = (0..super::SCHEMAS_PER_PART * 2 + 3)
            .map(|i| format!("S{i}"))
            .collect();
        assert_eq!(names, expected);
        let last = components.schemas[expected.last().unwrap().as_str()]
            .as_item()
            .expect("inline");
        assert_eq!(
            last.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(openapiv3::StringType {
                max_length: Some(super::SCHEMAS_PER_PART * 2 + 2),
                ..Default::default()
            }))
        );
        assert_eq!(components.parameters.len(), 1);
        assert_eq!(components.extensions["x-owner"], json!("team"));
    }

    #[test]
    fn a_schema_that_does_not_decode_refuses_the_document_and_leaves_the_tree() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A": {"type": "string"}, "B": {"type": "string", "maxLength": "long"}}}
        });
        let mut raw = doc.clone();
        assert!(super::decode(&mut raw).is_none());
        assert_eq!(raw, doc);
    }

    #[test]
    fn components_written_empty_are_no_components() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n";
        let spec = super::parse(std::path::Path::new("empty.yaml"), text).expect("loads");
        assert!(spec.doc.components.is_none());
        assert_eq!(spec.raw["components"], serde_json::Value::Null);
    }

    #[test]
    fn components_that_do_not_decode_are_refused() {
        let mut raw = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {"schemas": 3}
        });
        assert!(super::decode(&mut raw).is_none());
        assert_eq!(raw["components"], json!({"schemas": 3}));
    }
}
