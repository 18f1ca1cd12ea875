//! Stage 1b: defects that leave a document's meaning whole, mended in the raw tree before
//! it is decoded, each with a located warning. Real documents bend the letter of the
//! specification this way (a numeric `info.version`, a response without a `description`),
//! and refusing them would refuse a document that has one faithful reading.
//!
//! - `info`, its `title` or its `version` missing: the title is the file's stem, the version
//!   empty (the docs then leave it out); a version written as a number or a boolean is read
//!   as its text.
//! - `paths` missing (optional in OpenAPI 3.1, where this is no defect): no operations.
//! - an operation without `responses`: a call whose answer is not typed.
//! - a response without `description`: an empty one.
//! - `null` where a list stands (`parameters: null`, `required: null`, `security: null`, ...):
//!   as if the key were absent (an operation's absent `security` is the document's); `null`
//!   as a requirement's list of scopes: no scopes.
//! - `required: true` on a property's schema (Swagger 2's habit, JSON Schema draft 3): the
//!   property is required by the object that holds it.
//! - a `mutualTLS` security scheme (3.1), which no request carries (it is set up on the HTTP
//!   client): left out, and its name taken out of every requirement that lists it; Swagger 2's
//!   `type: basic` is read as `type: http, scheme: basic`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{JsonPointer, Location, Warning};
use crate::ir::Method;
use crate::tree::Trail;

/// Keys whose values are lists wherever they stand in a document's structure.
const LIST_KEYS: &[&str] = &[
    "parameters",
    "tags",
    "servers",
    "security",
    "required",
    "allOf",
    "oneOf",
    "anyOf",
];

/// Mends `raw`, the document read from `path`; `openapi_31` says whether it is a 3.1
/// document (as written, before its rewrite into 3.0 forms). `mendable` is false when
/// reading found nothing the walk of every object mends ([`crate::tree::Parsed`]): that
/// walk is then left out.
pub fn repair(path: &Path, raw: &mut Value, openapi_31: bool, mendable: bool) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let Some(root) = raw.as_object_mut() else {
        return warnings;
    };
    let mut warn = |at: JsonPointer, message: String| {
        warnings.push(Warning {
            at: Location::new(path, at),
            message,
        });
    };
    info(path, root, &mut warn);
    match root.get("paths") {
        Some(Value::Object(_)) => {}
        Some(Value::Null) | None => {
            if !openapi_31 {
                warn(
                    JsonPointer::root().push("paths"),
                    "no `paths`: the document describes no operations, so the module has types only".into(),
                );
            }
            root.insert("paths".into(), Value::Object(Map::new()));
        }
        // Anything else has no reading: the typed decode refuses it, located.
        Some(_) => {}
    }
    operations(root, &mut warn);
    if let Some(Value::Object(responses)) = root
        .get_mut("components")
        .and_then(|components| components.get_mut("responses"))
    {
        let at = JsonPointer::root().push("components").push("responses");
        for (name, response) in responses.iter_mut() {
            describe(response, at.push(name), &mut warn);
        }
    }
    let mutual_tls = security_schemes(root, &mut warn);
    requirements(root, &mutual_tls, &mut warn);
    if !mendable {
        return warnings;
    }
    crate::tree::visit_objects_mut(raw, |object, trail| {
        // Nulls are rare: one scan for any, rather than a lookup of each list key. Those
        // found are mended in the order of `LIST_KEYS`.
        let nulled: Vec<&str> = if object.values().any(Value::is_null) {
            LIST_KEYS
                .iter()
                .copied()
                .filter(|key| object.get(*key).is_some_and(Value::is_null))
                .collect()
        } else {
            Vec::new()
        };
        for key in nulled {
            object.remove(key);
            warn(
                trail.pointer().push(key),
                format!("`{key}` is `null`; read as if it were absent"),
            );
        }
        required_properties(object, trail, &mut warn);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    warnings
}

/// `required: true` or `false` on a property of the object schema `object` moves to the
/// object's `required` list, where OpenAPI 3 says it.
fn required_properties(
    object: &mut Map<String, Value>,
    trail: &Trail<'_>,
    warn: &mut impl FnMut(JsonPointer, String),
) {
    // Every object of the document comes here: its keys are scanned, not hashed.
    let properties = object.iter_mut().find(|(key, _)| *key == "properties");
    let Some((_, Value::Object(properties))) = properties else {
        return;
    };
    let mut required = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Value::Object(property) = property else {
            continue;
        };
        let flag = property.iter().find_map(|(key, value)| match value {
            Value::Bool(flag) if key == "required" => Some(*flag),
            _ => None,
        });
        let Some(flag) = flag else {
            continue;
        };
        property.remove("required");
        warn(
            trail.pointer().push("properties").push(name).push("required"),
            format!(
                "`required: {flag}` on a property; read as the object's `required` list says it (OpenAPI 3)"
            ),
        );
        if flag {
            required.push(Value::String(name.clone()));
        }
    }
    if required.is_empty() {
        return;
    }
    // A `required` that is not a list has no reading; the typed decode locates it.
    if let Value::Array(list) = object
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        for name in required {
            if !list.contains(&name) {
                list.push(name);
            }
        }
    }
}

/// Reads Swagger 2's `type: basic` as HTTP basic, and leaves out each `mutualTLS` scheme,
/// whose names it returns.
fn security_schemes(
    root: &mut Map<String, Value>,
    warn: &mut impl FnMut(JsonPointer, String),
) -> Vec<String> {
    let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|components| components.get_mut("securitySchemes"))
    else {
        return Vec::new();
    };
    let at = JsonPointer::root().push("components").push("securitySchemes");
    let mut dropped = Vec::new();
    for (name, scheme) in schemes.iter_mut() {
        let Some(scheme) = scheme.as_object_mut() else {
            continue;
        };
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                scheme.insert("type".into(), Value::String("http".into()));
                scheme.insert("scheme".into(), Value::String("basic".into()));
                warn(
                    at.push(name).push("type"),
                    "`type: basic` is Swagger 2's; read as `type: http, scheme: basic`".into(),
                );
            }
            Some("mutualTLS") => dropped.push(name.clone()),
            _ => {}
        }
    }
    for name in &dropped {
        schemes.remove(name);
        warn(
            at.push(name).push("type"),
            "a `mutualTLS` scheme is not carried by a request (give `with_http_client` an HTTP client \
             with the TLS identity); left out"
                .into(),
        );
    }
    dropped
}

/// Mends every security requirement, the document's and each operation's: the schemes
/// `dropped` are taken out (a requirement left empty asks for nothing a request carries),
/// and scopes written `null` are no scopes.
fn requirements(
    root: &mut Map<String, Value>,
    dropped: &[String],
    warn: &mut impl FnMut(JsonPointer, String),
) {
    if let Some(security) = root.get_mut("security") {
        strip_schemes(security, &JsonPointer::root().push("security"), dropped, warn);
    }
    for (at, operation) in operations_mut(root) {
        if let Some(security) = operation.get_mut("security") {
            strip_schemes(security, &at.push("security"), dropped, warn);
        }
    }
}

/// The requirements of the `security` list at `at` without the schemes `dropped`, and with
/// a list for every `null` list of scopes.
fn strip_schemes(
    security: &mut Value,
    at: &JsonPointer,
    dropped: &[String],
    warn: &mut impl FnMut(JsonPointer, String),
) {
    let Value::Array(requirements) = security else {
        return;
    };
    for (index, requirement) in requirements.iter_mut().enumerate() {
        let Some(requirement) = requirement.as_object_mut() else {
            continue;
        };
        for (name, scopes) in requirement.iter_mut() {
            if scopes.is_null() && !dropped.contains(name) {
                *scopes = Value::Array(Vec::new());
                warn(
                    at.push(index.to_string()).push(name),
                    format!("the scopes of `{name}` are `null`; read as no scopes"),
                );
            }
        }
        for name in dropped {
            if requirement.remove(name).is_some() {
                warn(
                    at.push(index.to_string()).push(name),
                    format!(
                        "the requirement's `{name}` is a `mutualTLS` scheme, left out; the rest of the \
                         requirement stands"
                    ),
                );
            }
        }
    }
}

/// `info` with a title and a text version.
fn info(path: &Path, root: &mut Map<String, Value>, warn: &mut impl FnMut(JsonPointer, String)) {
    let at = JsonPointer::root().push("info");
    if !root.get("info").is_some_and(Value::is_object) {
        warn(
            at.clone(),
            "no `info` object; the API is named from the file".into(),
        );
        root.insert("info".into(), Value::Object(Map::new()));
    }
    let Some(Value::Object(info)) = root.get_mut("info") else {
        return;
    };
    if !info.get("title").is_some_and(Value::is_string) {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        warn(
            at.push("title"),
            format!("no `title` text; the API is called `{stem}`, after its file"),
        );
        info.insert("title".into(), Value::String(stem));
    }
    let version = match info.get("version") {
        Some(Value::String(_)) => return,
        Some(Value::Number(number)) => Some(number.to_string()),
        Some(Value::Bool(flag)) => Some(flag.to_string()),
        Some(Value::Null | Value::Array(_) | Value::Object(_)) | None => None,
    };
    let message = match &version {
        Some(text) => format!("`version` is written as a number or boolean; read as the text `{text}`"),
        None => "no `version` text; the docs give none".to_owned(),
    };
    warn(at.push("version"), message);
    info.insert("version".into(), Value::String(version.unwrap_or_default()));
}

/// Every operation has `responses`, and every response of one a `description`.
fn operations(root: &mut Map<String, Value>, warn: &mut impl FnMut(JsonPointer, String)) {
    for (at, operation) in operations_mut(root) {
        if !operation.contains_key("responses") {
            warn(
                at.push("responses"),
                "no `responses`: any success is taken as the answer, with no body read".into(),
            );
            operation.insert("responses".into(), Value::Object(Map::new()));
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                describe(response, at.push("responses").push(status), warn);
            }
        }
    }
}

/// Every operation object of the document (under `paths`, at a method's key), with where
/// it is.
fn operations_mut(root: &mut Map<String, Value>) -> Vec<(JsonPointer, &mut Map<String, Value>)> {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (template, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (key, operation) in item.iter_mut() {
            let is_operation = Method::ALL.iter().any(|method| method.key() == key);
            if let (true, Some(operation)) = (is_operation, operation.as_object_mut()) {
                found.push((
                    JsonPointer::root().push("paths").push(template).push(key),
                    operation,
                ));
            }
        }
    }
    found
}

/// A response object (not a `$ref`) without a `description` gets an empty one.
fn describe(response: &mut Value, at: JsonPointer, warn: &mut impl FnMut(JsonPointer, String)) {
    let Some(response) = response.as_object_mut() else {
        return;
    };
    if response.contains_key("$ref") || response.get("description").is_some_and(Value::is_string) {
        return;
    }
    warn(
        at.push("description"),
        "a response without a `description`; its docs are empty".into(),
    );
    response.insert("description".into(), Value::String(String::new()));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::repair;

    fn repaired(mut document: serde_json::Value, openapi_31: bool) -> (serde_json::Value, Vec<String>) {
        let warnings = repair(
            std::path::Path::new("specs/shop.yaml"),
            &mut document,
            openapi_31,
            true,
        );
        let located = warnings
            .iter()
            .map(|w| w.at.pointer.as_str().to_owned())
            .collect();
        (document, located)
    }

    #[test]
    fn a_numeric_version_is_read_as_its_text() {
        let (document, at) = repaired(
            json!({"info": {"title": "Shop", "version": 1}, "paths": {}}),
            false,
        );
        assert_eq!(document["info"]["version"], "1");
        assert_eq!(at, ["/info/version"]);
    }

    #[test]
    fn a_missing_title_is_the_file_stem() {
        let (document, at) = repaired(json!({"info": {"version": "1"}, "paths": {}}), false);
        assert_eq!(document["info"]["title"], "shop");
        assert_eq!(at, ["/info/title"]);
    }

    #[test]
    fn missing_paths_are_a_defect_in_30_and_none_in_31() {
        let document = json!({"info": {"title": "T", "version": "1"}, "components": {}});
        let (mended, at) = repaired(document.clone(), false);
        assert_eq!(mended["paths"], json!({}));
        assert_eq!(at, ["/paths"]);
        assert!(repaired(document, true).1.is_empty());
    }

    #[test]
    fn operations_and_responses_get_what_they_lack() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {}, "post": {"responses": {"200": {}, "400": {"$ref": "#/x"}}}}},
        });
        let (mended, at) = repaired(document, false);
        assert_eq!(mended["paths"]["/a"]["get"]["responses"], json!({}));
        assert_eq!(
            mended["paths"]["/a"]["post"]["responses"]["200"]["description"],
            ""
        );
        assert_eq!(
            at,
            [
                "/paths/~1a/get/responses",
                "/paths/~1a/post/responses/200/description"
            ]
        );
    }

    #[test]
    fn required_written_on_a_property_moves_to_its_object() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {"schemas": {"S": {"type": "object", "required": ["a"], "properties": {
                "a": {"type": "string"}, "b": {"type": "string", "required": true}, "c": {"type": "string", "required": false}
            }}}},
        });
        let (mended, at) = repaired(document, false);
        let schema = &mended["components"]["schemas"]["S"];
        assert_eq!(schema["required"], json!(["a", "b"]));
        assert_eq!(schema["properties"]["b"], json!({"type": "string"}));
        assert_eq!(
            at,
            [
                "/components/schemas/S/properties/b/required",
                "/components/schemas/S/properties/c/required"
            ]
        );
    }

    #[test]
    fn null_scopes_are_no_scopes_in_every_requirement() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "security": [{"key": null}],
            "paths": {"/a": {"get": {"security": [{}, {"oauth": null, "key": []}], "responses": {}}}},
        });
        let (mended, at) = repaired(document, false);
        assert_eq!(mended["security"], json!([{"key": []}]));
        assert_eq!(
            mended["paths"]["/a"]["get"]["security"],
            json!([{}, {"oauth": [], "key": []}])
        );
        assert_eq!(at, ["/security/0/key", "/paths/~1a/get/security/1/oauth"]);
    }

    #[test]
    fn a_mutual_tls_scheme_is_left_out_of_the_schemes_and_of_every_requirement() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "security": [{"tls": []}],
            "paths": {"/a": {"get": {"security": [{"tls": [], "key": []}], "responses": {}}}},
            "components": {"securitySchemes": {
                "tls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "k"},
                "old": {"type": "basic"},
            }},
        });
        let (mended, at) = repaired(document, true);
        let schemes = &mended["components"]["securitySchemes"];
        assert_eq!(schemes.get("tls"), None);
        assert_eq!(schemes["old"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(mended["security"], json!([{}]));
        assert_eq!(mended["paths"]["/a"]["get"]["security"], json!([{"key": []}]));
        assert_eq!(
            at,
            [
                "/components/securitySchemes/old/type",
                "/components/securitySchemes/tls/type",
                "/security/0/tls",
                "/paths/~1a/get/security/0/tls"
            ]
        );
    }

    #[test]
    fn null_lists_are_absent_but_a_property_named_like_one_is_left_alone() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {"parameters": null, "responses": {}}}},
            "components": {"schemas": {"S": {"required": null, "properties": {"tags": null}}}},
        });
        let (mended, at) = repaired(document, false);
        assert_eq!(mended["paths"]["/a"]["get"].get("parameters"), None);
        assert_eq!(
            mended["components"]["schemas"]["S"]["properties"]["tags"],
            json!(null)
        );
        assert_eq!(
            at,
            ["/paths/~1a/get/parameters", "/components/schemas/S/required"]
        );
    }
}
