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
//! - `null` where a list stands (`parameters: null`, `required: null`, ...): an empty list.
//! - `required: true` on a property's schema (Swagger 2's habit, JSON Schema draft 3): the
//!   property is required by the object that holds it.
//! - a security scheme of a type a client does not present in a request (`mutualTLS`, set
//!   up on the HTTP client itself): left out; a requirement naming it then is too.

use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{JsonPointer, Location, Warning};

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

/// The security scheme types a request carries a credential for.
const SCHEME_TYPES: &[&str] = &["apiKey", "http", "oauth2", "openIdConnect"];

/// The HTTP methods a path item may hold an operation under.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Mends `raw`, the document read from `path`; `openapi_31` says whether it is a 3.1
/// document (as written, before its rewrite into 3.0 forms).
pub fn repair(path: &Path, raw: &mut Value, openapi_31: bool) -> Vec<Warning> {
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
    if let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|components| components.get_mut("securitySchemes"))
    {
        let at = JsonPointer::root().push("components").push("securitySchemes");
        schemes.retain(|name, scheme| {
            let kind = scheme.get("type").and_then(Value::as_str);
            let known = scheme.get("$ref").is_some() || kind.is_some_and(|kind| SCHEME_TYPES.contains(&kind));
            if !known {
                let kind = kind.unwrap_or("(none)");
                warn(
                    at.push(name).push("type"),
                    format!(
                        "a security scheme of type `{kind}` carries no credential in a request (set it up \
                         on the HTTP client given to `with_http_client`); left out"
                    ),
                );
            }
            known
        });
    }
    crate::tree::visit_objects_mut(raw, &JsonPointer::root(), false, &mut |object, at| {
        for key in LIST_KEYS {
            if object.get(*key).is_some_and(Value::is_null) {
                object.insert((*key).into(), Value::Array(Vec::new()));
                warn(
                    at.push(key),
                    format!("`{key}` is `null` where a list stands; read as an empty list"),
                );
            }
        }
        required_properties(object, at, &mut warn);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    warnings
}

/// `required: true` or `false` on a property of the object schema `object` moves to the
/// object's `required` list, where OpenAPI 3 says it.
fn required_properties(
    object: &mut Map<String, Value>,
    at: &JsonPointer,
    warn: &mut impl FnMut(JsonPointer, String),
) {
    let Some(Value::Object(properties)) = object.get_mut("properties") else {
        return;
    };
    let mut required = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Some(Value::Bool(flag)) = property.get("required").cloned() else {
            continue;
        };
        if let Some(property) = property.as_object_mut() {
            property.remove("required");
        }
        warn(
            at.push("properties").push(name).push("required"),
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
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    let at = JsonPointer::root().push("paths");
    for (template, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(*method) else {
                continue;
            };
            let at = at.push(template).push(method);
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
        let warnings = repair(std::path::Path::new("specs/shop.yaml"), &mut document, openapi_31);
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
    fn a_scheme_a_request_cannot_carry_is_left_out() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {"securitySchemes": {"tls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "in": "header", "name": "k"}}},
        });
        let (mended, at) = repaired(document, true);
        assert_eq!(
            mended["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "k"}})
        );
        assert_eq!(at, ["/components/securitySchemes/tls/type"]);
    }

    #[test]
    fn null_lists_are_empty_but_a_property_named_like_one_is_left_alone() {
        let document = json!({
            "info": {"title": "T", "version": "1"},
            "paths": {"/a": {"get": {"parameters": null, "responses": {}}}},
            "components": {"schemas": {"S": {"required": null, "properties": {"tags": null}}}},
        });
        let (mended, at) = repaired(document, false);
        assert_eq!(mended["paths"]["/a"]["get"]["parameters"], json!([]));
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
