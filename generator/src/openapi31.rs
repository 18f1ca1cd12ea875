//! Stage 1b: OpenAPI 3.1 documents, rewritten in place into the 3.0 forms the rest of the
//! pipeline reads. 3.1 schemas are JSON Schema 2020-12; what a 3.0 schema can say as well
//! is rewritten to it, keys and pointers unchanged wherever possible:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, 'null']` | `type: T`, `nullable: true` |
//! | `type: [T, U]` | `anyOf: [{type: T, ...}, {type: U, ...}]` |
//! | `const: v` | `enum: [v]`, with the `type` of `v` if none is given |
//! | `examples: [v, ...]` in a schema | `example: v` |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (and the maximum) |
//! | a `{type: 'null'}` member of `oneOf`/`anyOf` | `nullable: true` on the union |
//! | `unevaluatedProperties: S` | `additionalProperties: S` (the generator merges `allOf` members into one object, whose unnamed keys these are) |
//! | `patternProperties: {P: S, ...}` | `additionalProperties: S` (several different schemas, or an `additionalProperties` schema beside them: `anyOf` of them all; other keys are read as the patterns' unless `additionalProperties` says otherwise); the key patterns are the server's to check |
//! | `items: false` | `maxItems:` the number of `prefixItems` (0 without them); `prefixItems` itself is kept, and lowering reads a fixed-length one as a tuple |
//!
//! Keywords that only validate a value the type already allows (`if`/`then`/`else`,
//! `contains`, `dependentRequired`, ...) are left out with a warning: the client does not
//! check them, the server does. `$dynamicRef`, which has no 3.0 counterpart and changes the
//! type, is refused with its location. `webhooks` (calls the API
//! makes, not calls a client makes) are left out with a warning.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{Error, JsonPointer, Location, Warning};
use crate::tree::Trail;

/// JSON Schema keywords that change a value's type and that no 3.0 schema can stand for.
const UNMAPPABLE: &[&str] = &["$dynamicRef"];

/// JSON Schema keywords that only narrow the values a type allows: left out, with a warning.
const VALIDATION_ONLY: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
];

/// Whether `version` (the `openapi` field) is a 3.1 version.
pub fn is_31(version: &str) -> bool {
    version == "3.1" || version.starts_with("3.1.")
}

/// Rewrites `raw`, a 3.1 document, into 3.0 forms; returns what was left out.
pub fn downgrade(path: &Path, raw: &mut Value) -> Result<Vec<Warning>, Error> {
    let mut warnings = Vec::new();
    let Some(root) = raw.as_object_mut() else {
        return Ok(warnings);
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    if let Some(webhooks) = root.remove("webhooks") {
        let count = webhooks.as_object().map_or(0, Map::len);
        warnings.push(Warning {
            at: Location::new(path, JsonPointer::root().push("webhooks")),
            message: format!(
                "{count} webhook(s) left out: they describe calls the API makes, and a client makes none"
            ),
        });
    }
    crate::tree::visit_objects_mut(raw, |object, trail| {
        rewrite_schema(path, object, trail, &mut warnings)
    })?;
    Ok(warnings)
}

/// The rewrites of one object of spec structure (the walk skips data and maps of names), if
/// it is a schema; other objects have none of these keys in these forms (a security scheme's
/// `type` is a string, a media type's `examples` a map).
fn rewrite_schema(
    path: &Path,
    object: &mut Map<String, Value>,
    trail: &Trail<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    if let Some(keyword) = UNMAPPABLE.iter().find(|k| object.contains_key(**k)) {
        return Err(Error::Unsupported {
            at: Location::new(path, trail.pointer().push(keyword)),
            what: format!("the JSON Schema keyword `{keyword}`, which OpenAPI 3.0 has no counterpart for"),
            help: "describe the value without it, or with `oneOf` of the shapes it allows".into(),
        });
    }
    // What `then`, `else` or `dependentSchemas` allow is not read: an object that closes its
    // other keys with `unevaluatedProperties` is kept open rather than refusing them.
    let conditional = ["then", "else", "dependentSchemas"]
        .iter()
        .any(|k| object.contains_key(*k));
    for keyword in VALIDATION_ONLY {
        if object.remove(*keyword).is_some() {
            warnings.push(Warning {
                at: Location::new(path, trail.pointer().push(keyword)),
                message: format!(
                    "`{keyword}` only narrows the values the type allows; left out (the server checks it)"
                ),
            });
        }
    }
    if let Some(unevaluated) = object.remove("unevaluatedProperties") {
        if conditional {
            warnings.push(Warning {
                at: Location::new(path, trail.pointer().push("unevaluatedProperties")),
                message: "`unevaluatedProperties` beside conditional keywords; the object is kept open"
                    .into(),
            });
        } else if object.contains_key("additionalProperties") {
            warnings.push(Warning {
                at: Location::new(path, trail.pointer().push("unevaluatedProperties")),
                message: "`unevaluatedProperties` beside `additionalProperties`; the latter is read".into(),
            });
        } else {
            object.insert("additionalProperties".into(), unevaluated);
        }
    }
    if let Some(Value::Array(types)) = object.get("type") {
        let mut types = types.clone();
        let nullable = types.iter().any(|t| t == "null");
        types.retain(|t| t != "null");
        object.remove("type");
        match types.as_slice() {
            [] => {}
            [single] => {
                object.insert("type".into(), single.clone());
            }
            several => {
                let rest = object.clone();
                let members = several
                    .iter()
                    .map(|ty| {
                        let mut member = rest.clone();
                        member.insert("type".into(), ty.clone());
                        Value::Object(member)
                    })
                    .collect();
                object.clear();
                object.insert("anyOf".into(), Value::Array(members));
            }
        }
        if nullable {
            object.insert("nullable".into(), Value::Bool(true));
        }
    }
    if let Some(value) = object.remove("const") {
        // JSON Schema needs no `type` beside `const`; 3.0 reads an untyped enum as any value.
        if !object.contains_key("type") && !object.contains_key("enum") {
            if let Some(ty) = type_of(&value) {
                object.insert("type".into(), Value::String(ty.into()));
            }
        }
        object.entry("enum").or_insert_with(|| Value::Array(vec![value]));
    }
    if let Some(Value::Array(examples)) = object.get("examples") {
        let first = examples.first().cloned();
        object.remove("examples");
        if let Some(first) = first {
            object.entry("example").or_insert(first);
        }
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(number @ Value::Number(_)) = object.get(exclusive).cloned() {
            object.insert(bound.into(), number);
            object.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if let Some(Value::Object(patterns)) = object.remove("patternProperties") {
        pattern_properties(object, patterns);
    }
    if object.get("items") == Some(&Value::Bool(false)) {
        object.remove("items");
        let count = object
            .get("prefixItems")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        object.entry("maxItems").or_insert_with(|| Value::from(count));
    }
    for union in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = object.get_mut(union) {
            let before = members.len();
            members.retain(|m| !is_null_schema(m));
            if members.len() < before {
                object.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
    Ok(())
}

/// `patternProperties` as the map it makes: the values of the keys the patterns match have
/// their schemas, as do those of the other keys under `additionalProperties`.
fn pattern_properties(object: &mut Map<String, Value>, patterns: Map<String, Value>) {
    let mut schemas: Vec<Value> = Vec::new();
    for schema in patterns.into_values() {
        if !schemas.contains(&schema) {
            schemas.push(schema);
        }
    }
    match object.remove("additionalProperties") {
        // Any value is allowed for the other keys: the map's values are any value.
        Some(Value::Bool(true)) => {
            object.insert("additionalProperties".into(), Value::Bool(true));
            return;
        }
        Some(schema @ Value::Object(_)) if !schemas.contains(&schema) => schemas.push(schema),
        _ => {}
    }
    let values = match schemas.len() {
        0 => return,
        1 => schemas.remove(0),
        _ => Value::Object(Map::from_iter([("anyOf".to_owned(), Value::Array(schemas))])),
    };
    object.insert("additionalProperties".into(), values);
}

/// The 3.0 `type` of a constant.
fn type_of(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// `{type: 'null'}` (3.1), with nothing else that constrains it.
fn is_null_schema(value: &Value) -> bool {
    value.as_object().is_some_and(|object| {
        object.get("type").is_some_and(|t| t == "null")
            && object
                .keys()
                .all(|k| k == "type" || k == "description" || k == "title")
    })
}
