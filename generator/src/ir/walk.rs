//! The one walk over the IR's types: what a definition holds, what a reference is made of,
//! and every type the operations use. Every pass that follows references (sharing shapes,
//! boxing cycles, marking what validates, choosing runtime parts) goes through these, and
//! each `match` here names every variant, so a new kind of type or reference cannot be
//! skipped silently.

use super::{Api, TypeId, TypeKind, TypeRef};

impl TypeKind {
    /// Every type the definition holds, in order: field types and the type of additional
    /// properties, tuple items, variant types, the target of an alias or newtype.
    pub fn children(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).collect(),
            TypeKind::Tuple(elements) => elements.iter().map(|e| &e.ty).collect(),
            TypeKind::Untagged(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Tagged(tagged) => tagged.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::Constant(_) => Vec::new(),
        }
    }

    /// The types a value of this definition holds by value: its fields and variants, the
    /// target of an alias or newtype; not the values of its additional properties, which a
    /// map holds apart. What a cycle of types runs through, and what validation looks into.
    pub fn held(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Tuple(elements) => elements.iter().map(|e| &e.ty).collect(),
            TypeKind::Untagged(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Tagged(tagged) => tagged.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::Constant(_) => Vec::new(),
        }
    }

    /// [`TypeKind::children`], to change.
    pub fn children_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(&mut s.additional)
                .collect(),
            TypeKind::Tuple(elements) => elements.iter_mut().map(|e| &mut e.ty).collect(),
            TypeKind::Untagged(variants) => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Tagged(tagged) => tagged.variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::Constant(_) => Vec::new(),
        }
    }

    /// The members that hold their type by value and can be boxed (fields and variants),
    /// each with its type and its `boxed` flag.
    pub fn boxable_mut(&mut self) -> Vec<(&TypeRef, &mut bool)> {
        match self {
            TypeKind::Struct(s) => s.fields.iter_mut().map(|f| (&f.ty, &mut f.boxed)).collect(),
            TypeKind::Tuple(elements) => elements.iter_mut().map(|e| (&e.ty, &mut e.boxed)).collect(),
            TypeKind::Untagged(variants) => variants.iter_mut().map(|v| (&v.ty, &mut v.boxed)).collect(),
            TypeKind::Tagged(tagged) => tagged
                .variants
                .iter_mut()
                .map(|v| (&v.ty, &mut v.boxed))
                .collect(),
            TypeKind::Alias(_)
            | TypeKind::Newtype(_)
            | TypeKind::StringEnum(_)
            | TypeKind::IntEnum(_)
            | TypeKind::Constant(_) => Vec::new(),
        }
    }
}

/// A type that holds another: what [`TypeRef::container`] tells apart.
#[derive(Debug, Clone, Copy)]
pub enum Container<'a> {
    /// An array of the type.
    Vec(&'a TypeRef),
    /// A JSON object with values of the type.
    Map(&'a TypeRef),
    /// The type or `null`.
    Nullable(&'a TypeRef),
}

impl TypeRef {
    /// The container this type is, with what it holds; `None` for a scalar or a named type.
    pub fn container(&self) -> Option<Container<'_>> {
        match self {
            TypeRef::Vec(inner) => Some(Container::Vec(inner)),
            TypeRef::Map(inner) => Some(Container::Map(inner)),
            TypeRef::Nullable(inner) => Some(Container::Nullable(inner)),
            TypeRef::Named(_)
            | TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Decimal
            | TypeRef::Date
            | TypeRef::DateTime
            | TypeRef::Uuid
            | TypeRef::Base64
            | TypeRef::Json => None,
        }
    }

    /// What a value of this type holds directly: an array's item, a map's value, a
    /// nullable's inner type; `None` for a scalar or a named type.
    pub fn inner(&self) -> Option<&TypeRef> {
        self.container().map(|container| match container {
            Container::Vec(inner) | Container::Map(inner) | Container::Nullable(inner) => inner,
        })
    }

    /// This type and every type inside it, outermost first (`Vec<Option<Pet>>`: the list,
    /// the nullable item, `Pet`).
    pub fn layers(&self) -> impl Iterator<Item = &TypeRef> {
        std::iter::successors(Some(self), |ty| ty.inner())
    }

    /// The named type at the core of this one, containers looked through.
    pub fn named(&self) -> Option<TypeId> {
        match self.layers().last()? {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// [`TypeRef::named`], to change.
    pub fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.named_mut(),
            // A scalar: [`TypeRef::inner`] names each kind and says which hold another type.
            _ => None,
        }
    }
}

impl Api {
    /// Every type the operations use: parameters, request bodies, response bodies (the
    /// `default` response's included).
    pub fn operation_types(&self) -> impl Iterator<Item = &TypeRef> {
        self.operations.iter().flat_map(|op| {
            let params = op.params.iter().map(|p| &p.ty);
            let body = op.body.iter().flat_map(super::Body::types);
            let responses = op.responses.iter().chain(&op.default);
            params
                .chain(body)
                .chain(responses.flat_map(super::Response::types))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_go_from_the_container_to_the_named_type() {
        let ty = TypeRef::Vec(Box::new(TypeRef::Nullable(Box::new(TypeRef::Named(TypeId(4))))));
        assert_eq!(ty.layers().count(), 3);
        assert_eq!(ty.named(), Some(TypeId(4)));
        assert_eq!(TypeRef::Map(Box::new(TypeRef::String)).named(), None);
    }

    #[test]
    fn a_named_type_can_be_replaced_inside_its_containers() {
        let mut ty = TypeRef::Map(Box::new(TypeRef::Named(TypeId(1))));
        if let Some(id) = ty.named_mut() {
            *id = TypeId(2);
        }
        assert_eq!(ty, TypeRef::Map(Box::new(TypeRef::Named(TypeId(2)))));
    }
}
