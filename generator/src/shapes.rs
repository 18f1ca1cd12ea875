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

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef};

pub fn share(api: &mut Api) {
    let mut canonical: Vec<usize> = (0..api.types.len()).collect();
    loop {
        let mut first: HashMap<Shape<'_>, usize, BuildHasherDefault<Fnv>> = HashMap::default();
        let mut merged = false;
        for (index, def) in api.types.iter().enumerate() {
            if canonical[index] != index || !shareable(def) {
                continue;
            }
            match first.entry(Shape(shape(&def.kind, &canonical))) {
                Entry::Occupied(earlier) => {
                    canonical[index] = *earlier.get();
                    merged = true;
                }
                Entry::Vacant(slot) => {
                    slot.insert(index);
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

/// A definition as a key: equal when the definitions are, and hashed by what tells most
/// apart cheaply (the kind, the wire names, the types named), leaving out the docs, which
/// are most of a definition's text and rarely all that differs.
#[derive(PartialEq, Eq)]
struct Shape<'a>(Cow<'a, TypeKind>);

impl Hash for Shape<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let kind: &TypeKind = &self.0;
        std::mem::discriminant(kind).hash(state);
        match kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| f.wire.hash(state)),
            TypeKind::StringEnum(values) => values.iter().for_each(|v| v.wire.hash(state)),
            TypeKind::IntEnum(values) => values.iter().for_each(|v| v.value.hash(state)),
            TypeKind::Constant(wire) => wire.hash(state),
            TypeKind::Tagged(tagged) => tagged.variants.iter().for_each(|v| v.tag.hash(state)),
            TypeKind::Untagged(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Tuple(_) => {}
        }
        kind.children().hash(state);
    }
}

/// FNV-1a: the definitions are the generator's own, not an attacker's, so the map needs no
/// defence against chosen collisions, and SipHash cost more than the rest of this stage.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
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

/// The definition with every type it names replaced by that type's canonical one: two
/// definitions are the same shape when these are equal. Most name only canonical types and
/// are their own shape, which is then borrowed rather than copied.
fn shape<'a>(kind: &'a TypeKind, canonical: &[usize]) -> Cow<'a, TypeKind> {
    let renamed = |ty: &TypeRef| matches!(ty.named(), Some(id) if canonical[id.0] != id.0);
    if !kind.children().into_iter().any(renamed) {
        return Cow::Borrowed(kind);
    }
    let mut kind = kind.clone();
    for child in kind.children_mut() {
        if let Some(id) = child.named_mut() {
            id.0 = canonical[id.0];
        }
    }
    Cow::Owned(kind)
}

#[cfg(test)]
mod tests {
    use std::hash::Hasher;

    use super::Fnv;

    #[test]
    fn fnv_gives_the_published_fnv_1a_values() {
        let hash = |bytes: &[u8]| {
            let mut hasher = Fnv::default();
            hasher.write(bytes);
            hasher.finish()
        };
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
