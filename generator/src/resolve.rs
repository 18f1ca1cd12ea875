//! Stage 2: check every `$ref` in a spec up front, and follow references for lowering.

use std::borrow::Cow;
use std::collections::BTreeSet;

use openapiv3::{Components, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Errors, JsonPointer};
use crate::load::{Spec, decode_at};

/// A `$ref` that points to nothing: where it is written, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dangling {
    /// The `$ref` key.
    pub at: JsonPointer,
    pub target: String,
}

/// Checks that every `$ref` in the document is local (all others are reported, as errors),
/// and returns each that points at nothing: lowering degrades what reads one, and warns of
/// those nothing reads.
pub fn check_refs(spec: &Spec) -> Result<Vec<Dangling>, Errors> {
    let mut errors = Vec::new();
    let mut dangling = Vec::new();
    crate::tree::visit_objects(&spec.raw, |map, trail| {
        // A scan of the (few) keys costs less than hashing `$ref` for every object.
        let reference = map.iter().find(|(key, _)| *key == "$ref").map(|(_, value)| value);
        if let Some(Value::String(target)) = reference {
            let at = trail.pointer().push("$ref");
            match local(spec, &at, target) {
                Err(error) => errors.push(error),
                Ok(found) if spec.raw.pointer(found.as_str()).is_none() => dangling.push(Dangling {
                    at,
                    target: target.clone(),
                }),
                Ok(_) => {}
            }
        }
    });
    if errors.is_empty() {
        Ok(dangling)
    } else {
        Err(Errors(errors))
    }
}

/// The pointer a `$ref` (at `at`) names in this document. [`crate::bundle`] has replaced
/// every reference to another file it walks; one left is refused here.
fn local(spec: &Spec, at: &JsonPointer, target: &str) -> Result<JsonPointer, Error> {
    JsonPointer::from_fragment(target).ok_or_else(|| Error::Unsupported {
        at: spec.at(at),
        what: format!("the reference `{target}` in a place where no reference is followed"),
        help: "move the referenced part into this document, or refer to it from a schema, \
               parameter, response, request body, header or path item"
            .into(),
    })
}

/// The component schema a reference names (`#/components/schemas/{name}`), if it does.
pub fn component_schema(reference: &str) -> Option<String> {
    let pointer = JsonPointer::from_fragment(reference)?;
    let tokens: Vec<String> = pointer.tokens().collect();
    match tokens.as_slice() {
        [components, schemas, name] if components == "components" && schemas == "schemas" => {
            Some(name.clone())
        }
        _ => None,
    }
}

/// A kind of spec object that `components` holds, so a reference to one is read from the
/// already decoded document instead of being decoded again.
pub trait Component: DeserializeOwned + Clone {
    /// The entry `name` of this kind's section of `components`, if `section` is its section.
    fn component<'a>(components: &'a Components, section: &str, name: &str) -> Option<&'a ReferenceOr<Self>>;

    /// What a ring of references that never reaches a definition stands for, if this kind
    /// has a faithful reading of one; else following it is an error.
    fn ring() -> Option<Self> {
        None
    }
}

macro_rules! component {
    ($type:ty, $section:literal, $field:ident) => {
        impl Component for $type {
            fn component<'a>(
                components: &'a Components,
                section: &str,
                name: &str,
            ) -> Option<&'a ReferenceOr<Self>> {
                (section == $section)
                    .then(|| components.$field.get(name))
                    .flatten()
            }
        }
    };
}

impl Component for openapiv3::Schema {
    fn component<'a>(components: &'a Components, section: &str, name: &str) -> Option<&'a ReferenceOr<Self>> {
        (section == "schemas")
            .then(|| components.schemas.get(name))
            .flatten()
    }

    /// Schemas that only name each other constrain nothing: any value (lowering warns once
    /// per ring of component schemas).
    fn ring() -> Option<Self> {
        Some(openapiv3::Schema {
            schema_data: openapiv3::SchemaData::default(),
            schema_kind: openapiv3::SchemaKind::Any(openapiv3::AnySchema::default()),
        })
    }
}

component!(openapiv3::Parameter, "parameters", parameters);
component!(openapiv3::RequestBody, "requestBodies", request_bodies);
component!(openapiv3::Response, "responses", responses);
component!(openapiv3::SecurityScheme, "securitySchemes", security_schemes);

impl Component for openapiv3::PathItem {
    fn component<'a>(_: &'a Components, _: &str, _: &str) -> Option<&'a ReferenceOr<Self>> {
        None
    }
}

/// The decoded object at `pointer`, when it is an entry of `components`.
fn decoded<'a, T: Component>(spec: &'a Spec, pointer: &JsonPointer) -> Option<&'a ReferenceOr<T>> {
    let components = spec.doc.components.as_ref()?;
    let mut tokens = pointer.tokens();
    let (Some(root), Some(section), Some(name), None) =
        (tokens.next(), tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    (root == "components")
        .then(|| T::component(components, &section, &name))
        .flatten()
}

/// Follows `item` through any chain of `$ref`s to its definition. Returns the definition
/// and the pointer where it lives. `at` is where `item` itself sits.
pub fn follow<'a, T: Component>(
    spec: &'a Spec,
    item: &'a ReferenceOr<T>,
    at: &JsonPointer,
) -> Result<(Cow<'a, T>, JsonPointer), Error> {
    let mut reference = match item {
        ReferenceOr::Item(item) => return Ok((Cow::Borrowed(item), at.clone())),
        ReferenceOr::Reference { reference } => reference.clone(),
    };
    let mut from = at.push("$ref");
    let mut seen = BTreeSet::new();
    loop {
        let pointer = local(spec, &from, &reference)?;
        if !seen.insert(pointer.clone()) {
            if let Some(any) = T::ring() {
                return Ok((Cow::Owned(any), pointer));
            }
            let chain = seen
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" -> ");
            return Err(Error::RefCycle {
                at: spec.at(&from),
                chain,
            });
        }
        match decoded::<T>(spec, &pointer) {
            Some(ReferenceOr::Item(item)) => return Ok((Cow::Borrowed(item), pointer)),
            Some(ReferenceOr::Reference { reference: next }) => {
                from = pointer.push("$ref");
                reference = next.clone();
                continue;
            }
            None => {}
        }
        match spec.raw.pointer(pointer.as_str()) {
            None => {
                return Err(Error::DanglingRef {
                    at: spec.at(&from),
                    target: reference,
                });
            }
            Some(Value::Object(map)) if map.len() == 1 && map.contains_key("$ref") => {
                let Some(Value::String(next)) = map.get("$ref") else {
                    return Err(Error::Shape {
                        at: spec.at(&pointer.push("$ref")),
                        message: "`$ref` must be a string".into(),
                    });
                };
                from = pointer.push("$ref");
                reference = next.clone();
            }
            Some(_) => return Ok((Cow::Owned(decode_at(spec, &pointer)?), pointer)),
        }
    }
}
