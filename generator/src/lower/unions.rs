//! Unions: `oneOf`/`anyOf` with and without a discriminator, a base object whose
//! discriminator maps to the schemas extending it, and a union written beside `type` and
//! properties (each member then carries those properties too).

use openapiv3::{Discriminator, ReferenceOr, Schema};

use super::Lowerer;
use super::all_of::{Merged, object_parts};
use super::schema::{schema_docs, with};
use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, JsonPointer, Result, Warning};
use crate::ir::{Docs, Tagged, TaggedVariant, TypeDef, TypeKind, TypeRef, Variant, WireName};

/// The member schemas of a union.
type Members = Vec<ReferenceOr<Schema>>;

impl Lowerer<'_> {
    /// The members of a `oneOf`/`anyOf` without a discriminator, each merged with `own`
    /// (properties written beside the union) when there are any.
    pub(super) fn lower_variants(
        &mut self,
        own: Option<&Merged>,
        parts: &[ReferenceOr<Schema>],
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<Vec<Variant>> {
        let mut variants = Vec::with_capacity(parts.len());
        for (index, part) in parts.iter().enumerate() {
            let hint = variant_hint(part, index);
            let ty = self.member(own, part, &at.push(index.to_string()), &with(words, &hint), depth)?;
            let docs = match part {
                ReferenceOr::Item(item) => schema_docs(item),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            variants.push(Variant {
                hint,
                ty,
                boxed: false,
                docs,
            });
        }
        Ok(variants)
    }

    /// An object schema with a `discriminator` and a `mapping` but no `oneOf`: the base of a
    /// hierarchy whose members extend it through `allOf`. A value of the base is one of the
    /// mapped schemas, so it becomes a union of them; a mapping back to the base itself is
    /// left to the catch-all, which keeps such objects whole.
    pub(super) fn base_union(
        &mut self,
        schema: &Schema,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<Option<Tagged>> {
        let Some(discriminator) = &schema.schema_data.discriminator else {
            return Ok(None);
        };
        if object_parts(schema).is_none() || discriminator.mapping.is_empty() {
            return Ok(None);
        }
        let mut members: Vec<ReferenceOr<Schema>> = Vec::new();
        for (tag, target) in &discriminator.mapping {
            let reference = if target.starts_with('#') {
                target.clone()
            } else {
                format!("#/components/schemas/{target}")
            };
            let Some(pointer) = JsonPointer::from_fragment(&reference) else {
                return Ok(None);
            };
            if pointer == *at {
                continue;
            }
            let Some(member) = self.spec.raw.pointer(pointer.as_str()) else {
                return Err(Error::DanglingRef {
                    at: self.spec.at(&at.push("discriminator").push("mapping").push(tag)),
                    target: reference,
                });
            };
            // Only a hierarchy whose members extend this base makes the base a union; a
            // discriminator repeated on unrelated schemas leaves them plain structs.
            if !extends(member, at) {
                return Ok(None);
            }
            let member = ReferenceOr::Reference { reference };
            if !members.contains(&member) {
                members.push(member);
            }
        }
        if members.is_empty() {
            return Ok(None);
        }
        let at = at.push("discriminator").push("mapping");
        self.lower_tagged(None, &members, discriminator, &at, words, depth)
            .map(Some)
    }

    /// `oneOf`/`anyOf` with a `discriminator`. Each member must be a `$ref` to an object
    /// schema (as OpenAPI requires); its tag is the `mapping` key naming it, else its
    /// component name. With `own` properties, each member is merged with them (and keeps
    /// the tag property as a field).
    pub(super) fn lower_tagged(
        &mut self,
        own: Option<&Merged>,
        parts: &[ReferenceOr<Schema>],
        discriminator: &Discriminator,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<Tagged> {
        let mut variants: Vec<TaggedVariant> = Vec::with_capacity(parts.len());
        for (index, part) in parts.iter().enumerate() {
            let pointer = at.push(index.to_string());
            let (name, tag) = match part {
                ReferenceOr::Reference { reference } => {
                    let name = JsonPointer::from_fragment(reference)
                        .and_then(|p| p.tokens().last())
                        .unwrap_or_default();
                    let tag = discriminator
                        .mapping
                        .iter()
                        .find(|(_, target)| *target == reference || **target == name)
                        .map_or(name.clone(), |(tag, _)| tag.clone());
                    (name, tag)
                }
                // An inline member has no component name: its tag is the mapping key that
                // points at it, or the one value its tag property allows.
                ReferenceOr::Item(schema) => {
                    let own = pointer.to_string();
                    let mapped = discriminator.mapping.iter().find(|(_, target)| **target == own);
                    let tag = mapped
                        .map(|(tag, _)| tag.clone())
                        .or_else(|| single_value(schema, &discriminator.property_name));
                    let Some(tag) = tag else {
                        return Err(Error::Unsupported {
                            at: self.spec.at(&pointer),
                            what:
                                "an inline member of a `oneOf` with a `discriminator` that no tag value names"
                                    .into(),
                            help: format!(
                                "give its `{}` property a single value (`enum: [value]`), or move it to \
                                 components/schemas and refer to it with `$ref`",
                                discriminator.property_name
                            ),
                        });
                    };
                    (tag.clone(), tag)
                }
            };
            if let Some(first) = variants.iter().position(|v| v.tag.0 == tag) {
                return Err(Error::Unsupported {
                    at: self.spec.at(&pointer),
                    what: format!(
                        "a second member with discriminator value `{tag}` (the first is member {first})"
                    ),
                    help: "give each member its own value in `discriminator.mapping`".into(),
                });
            }
            let ty = self.member(own, part, &pointer, &with(words, &name), depth)?;
            variants.push(TaggedVariant {
                tag: WireName(tag),
                ty,
                boxed: false,
                keeps_tag: true,
            });
        }
        Ok(Tagged {
            property: WireName(discriminator.property_name.clone()),
            variants,
        })
    }

    /// The union written beside a `type` at `at` (`oneOf` or `anyOf`, with its keyword).
    /// openapiv3 reads such a schema by its `type` alone and drops the union, so it is read
    /// from the document itself.
    pub(super) fn sibling_union(&self, at: &JsonPointer) -> Result<Option<(&'static str, Members)>> {
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = self.sibling(at, key)? {
                return Ok(Some((key, members)));
            }
        }
        Ok(None)
    }

    /// The type of one union member: the member itself, or, with `own` properties, a struct
    /// of those properties merged with the member's.
    fn member(
        &mut self,
        own: Option<&Merged>,
        part: &ReferenceOr<Schema>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        match own {
            None => self.lower(part, at, words, depth + 1),
            Some(base) => self.merge_member(base, part, at, words, depth + 1),
        }
    }
}

/// The one value the property `name` of the object schema `schema` allows, if it allows one
/// (`enum: [cat]`, or 3.1's `const: cat`).
fn single_value(schema: &Schema, name: &str) -> Option<String> {
    let (properties, _, _) = object_parts(schema)?;
    let ReferenceOr::Item(property) = properties.get(name)? else {
        return None;
    };
    match &property.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A readable name for union member `index`: its component name or title.
fn variant_hint(part: &ReferenceOr<Schema>, index: usize) -> String {
    match part {
        ReferenceOr::Reference { reference } => JsonPointer::from_fragment(reference)
            .and_then(|p| p.tokens().last())
            .unwrap_or_default(),
        // An inline constant is named by its value (`name_descending`).
        ReferenceOr::Item(item) => match (&item.schema_data.title, &item.schema_kind) {
            (Some(title), _) => title.clone(),
            (None, openapiv3::SchemaKind::Type(openapiv3::Type::String(s))) if s.enumeration.len() == 1 => s
                .enumeration[0]
                .clone()
                .unwrap_or_else(|| format!("variant {}", index + 1)),
            (None, _) => format!("variant {}", index + 1),
        },
    }
}

/// Whether the raw schema `member` lists the schema at `base` among its `allOf` members.
fn extends(member: &serde_json::Value, base: &JsonPointer) -> bool {
    let Some(all_of) = member.get("allOf").and_then(serde_json::Value::as_array) else {
        return false;
    };
    all_of.iter().any(|part| {
        part.get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(JsonPointer::from_fragment)
            .is_some_and(|target| target == *base)
    })
}

/// Unions whose members lead back to themselves: a member that is the union itself
/// (`LevelNone: {$ref: RiskResponse}` as a member of `RiskResponse`), or a union that has it
/// as a member, at any depth. A union decodes its members from the value it was given,
/// consuming none of it, so such a member would decode forever, and a stack overflow cannot
/// be caught. Every union of such a ring takes the same values: the members of all of them
/// that are not in the ring. So each keeps its own, in their order, and gains those of the
/// others (a discriminated union gains none: its members are chosen by tag); the members in
/// the ring are taken out, each with a located warning. Nothing the spec allows is lost. A
/// union left without members is any JSON value.
pub(super) fn members_leading_back(spec: &crate::load::Spec, types: &mut [TypeDef]) -> Vec<Warning> {
    let unions: Vec<usize> = (0..types.len())
        .filter(|&id| union_members(&types[id].kind).is_some())
        .collect();
    let next = |types: &[TypeDef], id: usize| -> Vec<usize> {
        union_members(&types[id].kind)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|ty| union_of(types, ty))
            .collect()
    };
    let mut reach: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for &start in &unions {
        let mut seen = BTreeSet::new();
        let mut stack = next(types, start);
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(next(types, id));
            }
        }
        reach.insert(start, seen);
    }
    let ring_of = |id: usize| -> BTreeSet<usize> {
        reach[&id]
            .iter()
            .copied()
            .filter(|other| reach.get(other).is_some_and(|back| back.contains(&id)))
            .collect()
    };
    let rings: Vec<(usize, BTreeSet<usize>)> = unions
        .iter()
        .filter(|&&id| reach[&id].contains(&id))
        .map(|&id| (id, ring_of(id)))
        .collect();
    let mut warnings = Vec::new();
    let mut kept: BTreeMap<usize, TypeKind> = BTreeMap::new();
    for (id, ring) in &rings {
        let outside = |ty: &TypeRef| union_of(types, ty).is_none_or(|u| !ring.contains(&u));
        let mut kind = types[*id].kind.clone();
        let mut left_out = Vec::new();
        match &mut kind {
            TypeKind::Untagged(variants) => {
                left_out.extend(
                    variants
                        .iter()
                        .filter(|v| !outside(&v.ty))
                        .map(|v| v.hint.clone()),
                );
                variants.retain(|v| outside(&v.ty));
                for other in ring.iter().filter(|other| *other != id) {
                    // Named after the union they come from: `Amount`'s `variant 2` is
                    // `AmountVariant2` in `Quantity`.
                    let from = types[*other].hint.words.join(" ");
                    let gained: Vec<Variant> = match &types[*other].kind {
                        TypeKind::Untagged(theirs) => theirs
                            .iter()
                            .filter(|v| outside(&v.ty))
                            .map(|v| Variant {
                                hint: format!("{from} {}", v.hint),
                                ..v.clone()
                            })
                            .collect(),
                        TypeKind::Tagged(tagged) => tagged
                            .variants
                            .iter()
                            .filter(|v| outside(&v.ty))
                            .map(|v| Variant {
                                hint: format!("{from} {}", v.tag.0),
                                ty: v.ty.clone(),
                                boxed: false,
                                docs: Docs::default(),
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    for variant in gained {
                        if !variants.iter().any(|v| v.ty == variant.ty) {
                            variants.push(variant);
                        }
                    }
                }
            }
            TypeKind::Tagged(tagged) => {
                left_out.extend(
                    tagged
                        .variants
                        .iter()
                        .filter(|v| !outside(&v.ty))
                        .map(|v| v.tag.0.clone()),
                );
                tagged.variants.retain(|v| outside(&v.ty));
            }
            _ => continue,
        }
        if union_members(&kind).is_some_and(|members| members.is_empty()) {
            kind = TypeKind::Alias(TypeRef::Json);
        }
        let names: Vec<String> = ring.iter().map(|u| types[*u].origin.to_string()).collect();
        let gains = if ring.len() > 1 {
            format!(
                "; it takes the other members of the unions of the ring ({})",
                names.join(", ")
            )
        } else {
            String::new()
        };
        let none = if matches!(kind, TypeKind::Alias(TypeRef::Json)) {
            "; left with none, it is any JSON value"
        } else {
            ""
        };
        warnings.push(Warning {
            at: spec.at(&types[*id].origin),
            message: format!(
                "the member(s) `{}` of this union lead back to it: decoding them would never end, so they are \
                 left out{gains}{none}",
                left_out.join("`, `"),
            ),
        });
        kept.insert(*id, kind);
    }
    for (id, kind) in kept {
        types[id].kind = kind;
    }
    warnings
}

/// The member types of a union, `None` if `kind` is no union.
fn union_members(kind: &TypeKind) -> Option<Vec<&TypeRef>> {
    match kind {
        TypeKind::Untagged(variants) => Some(variants.iter().map(|v| &v.ty).collect()),
        TypeKind::Tagged(tagged) => Some(tagged.variants.iter().map(|v| &v.ty).collect()),
        _ => None,
    }
}

/// The union a member's type is, through aliases and `null`: it is decoded from the same
/// value as the member.
fn union_of(types: &[TypeDef], ty: &TypeRef) -> Option<usize> {
    let mut ty = ty;
    for _ in 0..=types.len() {
        match ty {
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(inner) => ty = inner,
                TypeKind::Untagged(_) | TypeKind::Tagged(_) => return Some(id.0),
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}
