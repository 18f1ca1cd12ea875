//! Stage 3b: one definition per shape. Specs repeat themselves: GitHub's writes the same
//! inline `state` enum hundreds of times and the same small objects under many names. Every
//! type whose definition equals an earlier one's becomes an alias of it, keeping its own
//! name and docs, so callers read the same names while the crate defines, and the compiler
//! checks, each shape once.
//!
//! Two definitions are equal when everything emitted from them is: fields with their types,
//! docs, defaults and checks, variants, values. Types they refer to count as equal when they
//! are themselves merged, so merging runs until nothing changes. References are not
//! rewritten: a field still names the alias its schema gave it.

use std::collections::HashMap;

use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};

pub fn share(api: &mut Api) {
    let mut canonical: Vec<usize> = (0..api.types.len()).collect();
    loop {
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut merged = false;
        for (index, def) in api.types.iter().enumerate() {
            if canonical[index] != index || !shareable(def) {
                continue;
            }
            let key = shape(&def.kind, &canonical);
            match first.get(&key) {
                Some(&earlier) => {
                    canonical[index] = earlier;
                    merged = true;
                }
                None => {
                    first.insert(key, index);
                }
            }
        }
        if !merged {
            break;
        }
    }
    for (index, &target) in canonical.iter().enumerate() {
        if target != index {
            api.types[index].kind = TypeKind::Alias(TypeRef::Named(TypeId(target)));
        }
    }
}

/// Aliases are already one line. Unit and tuple structs (constants, newtypes) stay apart:
/// an alias of one cannot be written as a value (`Constant`, `Newtype(inner)`).
fn shareable(def: &TypeDef) -> bool {
    !matches!(
        def.kind,
        TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Constant(_)
    )
}

/// The definition as text, with every type it names replaced by that type's canonical one.
fn shape(kind: &TypeKind, canonical: &[usize]) -> String {
    let mut kind = kind.clone();
    let mut rename = |ty: &mut TypeRef| rename(ty, canonical);
    match &mut kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|f| rename(&mut f.ty));
            s.additional.iter_mut().for_each(&mut rename);
        }
        TypeKind::Untagged(variants) => variants.iter_mut().for_each(|v| rename(&mut v.ty)),
        TypeKind::Tagged(tagged) => tagged.variants.iter_mut().for_each(|v| rename(&mut v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => rename(ty),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::Constant(_) => {}
    }
    format!("{kind:?}")
}

fn rename(ty: &mut TypeRef, canonical: &[usize]) {
    match ty {
        TypeRef::Named(id) => id.0 = canonical[id.0],
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => rename(inner, canonical),
        _ => {}
    }
}
