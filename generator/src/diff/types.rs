//! The changes inside the types of one module: added and removed types, fields, values,
//! variants, defaults, and a type that became another kind.

use std::collections::BTreeMap;

use super::classes::{Kind, Usage};
use super::{Out, Side, docs};
use crate::error::JsonPointer;
use crate::ir::{TypeDef, TypeKind};

pub(super) fn types(old: &Side<'_>, new: &Side<'_>, out: &mut Out<'_>) {
    let by_name = |side: &Side<'_>| -> BTreeMap<String, usize> {
        side.names
            .types
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect()
    };
    let (before, after) = (by_name(old), by_name(new));
    for (name, &index) in &after {
        let def = &new.api.types[index];
        let usage = new.usage[index];
        let item = format!("models::{name}");
        let Some(&was) = before.get(name) else {
            out.push(
                &def.origin,
                &item,
                Kind::TypeAdded,
                usage,
                format!("type `{name}` added"),
            );
            continue;
        };
        let prev = &old.api.types[was];
        // What callers did with it before counts as much as what they do now.
        let usage = Usage {
            built: usage.built || old.usage[was].built,
            read: usage.read || old.usage[was].read,
        };
        members(old, new, (was, index), &item, usage, out);
        docs(&prev.docs, &def.docs, &def.origin, &item, usage, out);
    }
    for (name, &index) in &before {
        if !after.contains_key(name) {
            let def = &old.api.types[index];
            let what = format!("type `{name}` removed");
            out.push(
                &def.origin,
                &format!("models::{name}"),
                Kind::TypeRemoved,
                old.usage[index],
                what,
            );
        }
    }
}

/// The changes inside one type: fields, values, variants, or the type itself.
fn members(
    old: &Side<'_>,
    new: &Side<'_>,
    (was, is): (usize, usize),
    item: &str,
    usage: Usage,
    out: &mut Out<'_>,
) {
    let (prev, def) = (&old.api.types[was], &new.api.types[is]);
    match (&prev.kind, &def.kind) {
        (TypeKind::Struct(before), TypeKind::Struct(after)) => {
            // Items are named as Rust names them (`project_code`), changes as the spec does.
            let rust = |side: &Side<'_>, ty: usize, index: usize, field: &crate::ir::Field| {
                side.names.members[ty].each.get(index).map_or_else(
                    || field.wire.0.clone(),
                    |name| crate::names::unraw(name).to_owned(),
                )
            };
            for (index, field) in after.fields.iter().enumerate() {
                let name = &field.wire.0;
                let at = def.origin.push("properties").push(name);
                let member = format!("{item}::{}", rust(new, is, index, field));
                match before.fields.iter().find(|f| f.wire == field.wire) {
                    None => {
                        let required = if field.required { "required" } else { "optional" };
                        out.push(
                            &at,
                            &member,
                            Kind::FieldAdded,
                            usage,
                            format!("{required} field `{name}` added"),
                        );
                    }
                    Some(was_field) => {
                        let shape = |side: &Side<'_>, f: &crate::ir::Field| {
                            (side.text(&f.ty), f.required, f.nullable)
                        };
                        let (b, a) = (shape(old, was_field), shape(new, field));
                        if b != a {
                            let what = format!("field `{name}` is {} (was {})", describe(&a), describe(&b));
                            out.push(&at, &member, Kind::FieldTypeChanged, usage, what);
                        }
                        if was_field.default != field.default {
                            let what = format!(
                                "field `{name}` defaults to {} (was {})",
                                json(&field.default),
                                json(&was_field.default)
                            );
                            out.push(&at.push("default"), &member, Kind::DefaultChanged, usage, what);
                        }
                        docs(&was_field.docs, &field.docs, &at, &member, usage, out);
                    }
                }
            }
            for (index, field) in before
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !after.fields.iter().any(|a| a.wire == f.wire))
            {
                let at = def.origin.push("properties");
                let member = format!("{item}::{}", rust(old, was, index, field));
                out.push(
                    &at,
                    &member,
                    Kind::FieldRemoved,
                    usage,
                    format!("field `{}` removed", field.wire.0),
                );
            }
        }
        (before, after) if same_list(before, after) => {
            let (Some((before, _, _)), Some((after, key, word))) = (
                listed(before, &old.names.members[was]),
                listed(after, &new.names.members[is]),
            ) else {
                return;
            };
            variants(&before, &after, &def.origin.push(key), item, usage, word, out);
        }
        (TypeKind::Alias(before), TypeKind::Alias(after))
        | (TypeKind::Newtype(before), TypeKind::Newtype(after)) => {
            retyped(old.text(before), new.text(after), def, item, usage, out);
        }
        (TypeKind::Constant(before), TypeKind::Constant(after)) if before == after => {}
        (TypeKind::Tuple(before), TypeKind::Tuple(after)) => {
            let text = |side: &Side<'_>, items: &[crate::ir::Element]| {
                let items: Vec<String> = items.iter().map(|e| side.text(&e.ty)).collect();
                format!("({})", items.join(", "))
            };
            retyped(text(old, before), text(new, after), def, item, usage, out);
        }
        (before, after) => {
            let what = format!("is {} (was {})", kind_name(after), kind_name(before));
            out.push(&def.origin, item, Kind::TypeKindChanged, usage, what);
        }
    }
}

/// The type itself changed: an alias, newtype or tuple now spelled `after`, was `before`.
fn retyped(before: String, after: String, def: &TypeDef, item: &str, usage: Usage, out: &mut Out<'_>) {
    if before != after {
        let what = format!("is `{after}` (was `{before}`)");
        out.push(&def.origin, item, Kind::TypeKindChanged, usage, what);
    }
}

/// Whether both kinds list values, tags or variants of the same sort.
fn same_list(before: &TypeKind, after: &TypeKind) -> bool {
    std::mem::discriminant(before) == std::mem::discriminant(after)
        && listed(before, &crate::names::Members::default()).is_some()
}

/// The values, tags or variants a type lists (`members`: its names), the keyword they stand
/// under and what one is called.
fn listed(
    kind: &TypeKind,
    members: &crate::names::Members,
) -> Option<(Vec<String>, &'static str, &'static str)> {
    Some(match kind {
        TypeKind::StringEnum(values) => (values.iter().map(|v| v.wire.0.clone()).collect(), "enum", "value"),
        TypeKind::IntEnum(values) => (
            values.iter().map(|v| v.value.to_string()).collect(),
            "enum",
            "value",
        ),
        TypeKind::Tagged(tagged) => (
            tagged.variants.iter().map(|v| v.tag.0.clone()).collect(),
            "oneOf",
            "tag",
        ),
        TypeKind::Untagged(_) => (members.each.clone(), "oneOf", "variant"),
        TypeKind::Struct(_)
        | TypeKind::Constant(_)
        | TypeKind::Alias(_)
        | TypeKind::Newtype(_)
        | TypeKind::Tuple(_) => return None,
    })
}

/// Values, tags or variants added and removed.
fn variants(
    before: &[String],
    after: &[String],
    at: &JsonPointer,
    item: &str,
    usage: Usage,
    word: &str,
    out: &mut Out<'_>,
) {
    for added in after.iter().filter(|v| !before.contains(v)) {
        out.push(
            at,
            item,
            Kind::VariantAdded,
            usage,
            format!("{word} `{added}` added"),
        );
    }
    for removed in before.iter().filter(|v| !after.contains(v)) {
        out.push(
            at,
            item,
            Kind::VariantRemoved,
            usage,
            format!("{word} `{removed}` removed"),
        );
    }
}

fn describe((ty, required, nullable): &(String, bool, bool)) -> String {
    let mut text = format!("`{ty}`");
    match (required, nullable) {
        (true, false) => text.push_str(", required"),
        (true, true) => text.push_str(", required and nullable"),
        (false, false) => text.push_str(", optional"),
        (false, true) => text.push_str(", optional and nullable"),
    }
    text
}

fn json(value: &Option<serde_json::Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "nothing".to_owned(), |v| format!("`{v}`"))
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => "an enum",
        TypeKind::Constant(_) => "a constant",
        TypeKind::Untagged(_) | TypeKind::Tagged(_) => "a union",
        TypeKind::Alias(_) => "an alias",
        TypeKind::Newtype(_) => "a newtype",
        TypeKind::Tuple(_) => "a tuple",
    }
}
