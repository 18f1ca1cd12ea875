//! Where the tag of a discriminated union lives.
//!
//! A member struct that only ever appears inside discriminated unions on one property leaves
//! that property to the union: the variant says the tag, and a caller cannot build a `Dog`
//! whose `kind` says `cat`. A member used anywhere else (on its own, in another union, behind
//! an alias) must stand on its own, so it keeps the property as a field and the union reads
//! and writes it through the struct.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::Warning;
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;
use crate::resolve;

/// Counts, over the objects of the raw document, how each component schema is referenced,
/// to find the members that may leave their tag to their unions.
#[derive(Default)]
pub(super) struct Strippable<'a> {
    /// Every `$ref` as written, with how often: read as a component's name only at the end,
    /// once per distinct target, for the few components that are members of a union.
    total: BTreeMap<&'a str, usize>,
    as_member: BTreeMap<String, usize>,
    properties: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Strippable<'a> {
    /// Takes in one object of spec structure (see [`crate::tree::visit_objects`]).
    pub(super) fn visit(&mut self, object: &'a Map<String, Value>) {
        // One scan of the keys rather than a lookup of each: see `lower`'s walk.
        let (mut reference, mut discriminator) = (None, None);
        for (key, value) in object {
            match key.as_str() {
                "$ref" => reference = value.as_str(),
                "discriminator" => discriminator = Some(value),
                _ => {}
            }
        }
        if let Some(reference) = reference {
            *self.total.entry(reference).or_default() += 1;
        }
        let property = discriminator
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str);
        if let Some(property) = property {
            let members = ["oneOf", "anyOf"]
                .iter()
                .filter_map(|key| object.get(*key).and_then(Value::as_array))
                .flatten();
            for member in members {
                if let Some(name) = member
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(resolve::component_schema)
                {
                    *self.as_member.entry(name.clone()).or_default() += 1;
                    self.properties
                        .entry(name)
                        .or_default()
                        .insert(property.to_owned());
                }
            }
        }
    }

    /// Component schemas (by name) referenced only as members of discriminated unions, all
    /// on the same property, with that property.
    pub(super) fn finish(self) -> BTreeMap<String, String> {
        let Strippable {
            total: references,
            as_member,
            properties,
        } = self;
        let mut total: BTreeMap<String, usize> = BTreeMap::new();
        if !properties.is_empty() {
            for (reference, count) in references {
                if let Some(name) = resolve::component_schema(reference) {
                    *total.entry(name).or_default() += count;
                }
            }
        }
        properties
            .into_iter()
            .filter(|(name, props)| props.len() == 1 && as_member.get(name) == total.get(name))
            .filter_map(|(name, props)| props.into_iter().next().map(|p| (name, p)))
            .collect()
    }
}

/// Settles every discriminated union's members: a member in `stripped` (whose struct was
/// lowered without the tag property) leaves the tag to the union; any other member keeps
/// it. A member struct of an inline union may still declare the property: it is removed
/// there too when the member qualifies. A member that is not an object is an error.
pub(super) fn strip_tags(
    spec: &Spec,
    types: &mut [TypeDef],
    stripped: &BTreeMap<TypeId, String>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for index in 0..types.len() {
        let TypeKind::Tagged(tagged) = &types[index].kind else {
            continue;
        };
        let property = tagged.property.clone();
        let members: Vec<Option<TypeId>> = tagged
            .variants
            .iter()
            .map(|v| match v.ty {
                TypeRef::Named(id) => Some(id),
                _ => None,
            })
            .collect();
        let union = types[index].origin.clone();
        let mut keeps = Vec::with_capacity(members.len());
        for member in members {
            let Some(id) = member else {
                keeps.push(true);
                continue;
            };
            let leaves = stripped.get(&id) == Some(&property.0);
            match &mut types[id.0].kind {
                TypeKind::Struct(s) => {
                    if leaves {
                        s.fields.retain(|f| f.wire != property);
                        s.left_tag = Some(property.clone());
                    }
                    keeps.push(!leaves);
                }
                // An alias stands for a type used elsewhere too: the tag stays in it.
                TypeKind::Alias(_) => keeps.push(true),
                // A member that is itself a union is decoded whole from the tagged object;
                // payloads whose tag is one of its own members' land in `Other`, kept whole.
                _ => {
                    warnings.push(Warning {
                        at: spec.at(&types[id.0].origin),
                        message: format!(
                            "a member of the discriminated union at {union} is not an object schema; \
                             it is decoded whole, and objects tagged for its own members are kept in `Other`"
                        ),
                    });
                    keeps.push(true);
                }
            }
        }
        if let TypeKind::Tagged(tagged) = &mut types[index].kind {
            for (variant, keeps_tag) in tagged.variants.iter_mut().zip(keeps) {
                variant.keeps_tag = keeps_tag;
            }
        }
    }
    warnings
}
