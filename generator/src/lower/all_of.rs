//! `allOf`: the properties of every member merged into one struct, nested `allOf`s and an
//! `allOf` written beside a `type` included.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ObjectType, ReferenceOr, Schema, SchemaKind, Type};

use super::Lowerer;
use super::schema::{MAX_DEPTH, Object, Properties};
use crate::error::{Error, JsonPointer, Result};
use crate::ir::{Docs, TypeKind, TypeRef};
use crate::resolve;

impl Lowerer<'_> {
    /// What every member of the union written beside `type` at `at` shares: the properties
    /// beside it and the members of an `allOf` beside it, merged; `None` if there are none.
    pub(super) fn union_base(&self, schema: &Schema, at: &JsonPointer) -> Result<Option<Merged>> {
        let mut merged = Merged::default();
        if let Some(own) = object_parts(schema).filter(|(properties, _, _)| !properties.is_empty()) {
            merged.add(own, at);
        }
        if let Some(all_of) = self.sibling_all_of(at)? {
            self.collect_all_of(&all_of, &at.push("allOf"), &mut merged, &mut vec![at.clone()])?;
        }
        self.objects_only(&merged)?;
        Ok((!merged.properties.is_empty() || !merged.required.is_empty()).then_some(merged))
    }

    /// A struct of the `base` a union's members share merged with union member `part` (at
    /// `at`), named from `words`.
    pub(super) fn merge_member(
        &mut self,
        base: &Merged,
        part: &ReferenceOr<Schema>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let mut merged = base.clone();
        let mut visiting = vec![at.parent().parent()];
        self.collect_member(part, at, &mut merged, &mut visiting)?;
        if let Some((_, pointer)) = merged.typed.first() {
            return Err(Error::Unsupported {
                at: self.spec.at(pointer),
                what: "a union member that is not an object beside properties of the union".into(),
                help: "members of a union that has properties of its own must be objects".into(),
            });
        }
        let kind = TypeKind::Struct(self.lower_struct(merged.object(), at, words, depth)?);
        Ok(self.push_inline(kind, at, words, Docs::default()))
    }
    /// `allOf`: the members' properties merged into one struct, nested `allOf`s included.
    /// Members that only annotate (no type, no properties) are skipped; a lone typed member
    /// is used as is. `own` holds the properties written beside the `allOf`, if any.
    pub(super) fn merge_all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeKind> {
        let mut merged = Merged::default();
        self.collect_all_of(parts, at, &mut merged, &mut vec![at.parent()])?;
        // Members that only annotate (`allOf: [{}, {description}]`) constrain nothing: any
        // value, not an object that declares nothing.
        if !merged.objects && merged.typed.is_empty() && merged.required.is_empty() {
            return Ok(TypeKind::Alias(TypeRef::Json));
        }
        self.merge_with(None, parts, at, words, depth)
    }

    pub(super) fn merge_with(
        &mut self,
        own: Option<ObjectParts<'_>>,
        parts: &[ReferenceOr<Schema>],
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeKind> {
        let mut merged = Merged::default();
        if let Some(own) = own {
            merged.add(own, &at.parent());
        }
        let mut visiting = vec![at.parent()];
        self.collect_all_of(parts, at, &mut merged, &mut visiting)?;
        if merged.properties.is_empty() && merged.typed.len() == 1 {
            let (part, pointer) = merged.typed.remove(0);
            return Ok(TypeKind::Alias(self.lower(&part, &pointer, words, depth + 1)?));
        }
        if let Some(union) = self.union_with_base(&mut merged, words, depth)? {
            return Ok(union);
        }
        if !merged.typed.is_empty() {
            return self.unmergeable(merged, at, words, depth);
        }
        Ok(TypeKind::Struct(self.lower_struct(
            merged.object(),
            at,
            words,
            depth,
        )?))
    }

    /// An `allOf` of one union and objects: a value is one of the union's members and has
    /// the objects' properties too, so it is the union with each member also carrying them
    /// (as properties written beside a `oneOf` are read).
    fn union_with_base(
        &mut self,
        merged: &mut Merged,
        words: &[String],
        depth: usize,
    ) -> Result<Option<TypeKind>> {
        let [(part, pointer)] = merged.typed.as_slice() else {
            return Ok(None);
        };
        let (schema, target) = resolve::follow(self.spec, part, pointer)?;
        let (keyword, parts) = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } if !one_of.is_empty() => ("oneOf", one_of.clone()),
            SchemaKind::AnyOf { any_of } if !any_of.is_empty() => ("anyOf", any_of.clone()),
            _ => return Ok(None),
        };
        let discriminator = schema.schema_data.discriminator.clone();
        merged.typed.clear();
        let at = target.push(keyword);
        Ok(Some(match discriminator {
            Some(discriminator) => TypeKind::Tagged(self.lower_tagged(
                Some(merged),
                &parts,
                &discriminator,
                &at,
                words,
                depth,
            )?),
            None => TypeKind::Untagged(self.lower_variants(Some(merged), &parts, &at, words, depth)?),
        }))
    }

    /// An `allOf` whose members no one value can satisfy together as one Rust type (an
    /// object and a string, a number and a string). Members that all come to the same type
    /// are that type; otherwise the value is kept as any JSON value, with a warning.
    fn unmergeable(
        &mut self,
        merged: Merged,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeKind> {
        if merged.properties.is_empty() {
            if let Some(chosen) = self.narrowest(&merged.typed)? {
                let (part, pointer) = &merged.typed[chosen];
                return Ok(TypeKind::Alias(self.lower(part, pointer, words, depth + 1)?));
            }
            let mut types = Vec::with_capacity(merged.typed.len());
            for (part, pointer) in &merged.typed {
                types.push(self.lower(part, pointer, words, depth + 1)?);
            }
            if let Some(first) = types.first().filter(|first| types.iter().all(|ty| ty == *first)) {
                return Ok(TypeKind::Alias(first.clone()));
            }
        }
        let what = if merged.properties.is_empty() {
            "schemas of different types"
        } else {
            "an object and a schema that is not one"
        };
        self.warn(
            at,
            format!("`allOf` of {what}: no Rust type is both, so the value is kept as any JSON value"),
        );
        Ok(TypeKind::Alias(TypeRef::Json))
    }

    /// Of `allOf` members of one JSON scalar type, the one that says which values (a `$ref`
    /// to a named schema, an enum, a format) when every other, written inline, only
    /// constrains them (a pattern, a length, a range) or documents them: the value is of
    /// that member's type. `None` if the members are not so.
    fn narrowest(&self, typed: &[(ReferenceOr<Schema>, JsonPointer)]) -> Result<Option<usize>> {
        let mut chosen = None;
        let mut constraints = Vec::new();
        for (index, (part, pointer)) in typed.iter().enumerate() {
            let (schema, _) = resolve::follow(self.spec, part, pointer)?;
            let Some(kind) = scalar(&schema) else {
                return Ok(None);
            };
            if matches!(part, ReferenceOr::Item(_)) && only_constrains(&schema) {
                constraints.push(kind);
            } else if chosen.replace((index, kind)).is_some() {
                return Ok(None);
            }
        }
        let Some((index, kind)) = chosen else {
            return Ok(None);
        };
        // An integer is a number: `{type: number, minimum: 0}` constrains an integer too.
        let fits = |constraint: &&str| *constraint == kind || (*constraint == "number" && kind == "integer");
        Ok(constraints.iter().all(fits).then_some(index))
    }

    /// Refuses a merge with a member that is not an object beside a union's properties.
    fn objects_only(&self, merged: &Merged) -> Result<()> {
        match merged.typed.first() {
            Some((_, pointer)) => Err(Error::Unsupported {
                at: self.spec.at(pointer),
                what: "`allOf` mixing an object with a non-object schema".into(),
                help: "every `allOf` member must describe an object (or only annotate)".into(),
            }),
            None => Ok(()),
        }
    }

    /// Adds the members of the `allOf` at `at` to `merged`, descending into members that are
    /// `allOf`s themselves; `visiting` holds the `allOf` schemas being merged, so one that
    /// includes itself is an error instead of endless recursion.
    fn collect_all_of(
        &self,
        parts: &[ReferenceOr<Schema>],
        at: &JsonPointer,
        merged: &mut Merged,
        visiting: &mut Vec<JsonPointer>,
    ) -> Result<()> {
        for (index, part) in parts.iter().enumerate() {
            self.collect_member(part, &at.push(index.to_string()), merged, visiting)?;
        }
        Ok(())
    }

    /// Adds one member, at `pointer`, to `merged` (see [`Self::collect_all_of`]).
    fn collect_member(
        &self,
        part: &ReferenceOr<Schema>,
        pointer: &JsonPointer,
        merged: &mut Merged,
        visiting: &mut Vec<JsonPointer>,
    ) -> Result<()> {
        let (schema, target) = resolve::follow(self.spec, part, pointer)?;
        let nested = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some(all_of.clone()),
            _ => self.sibling_all_of(&target)?,
        };
        if let Some(own) = object_parts(&schema) {
            merged.add(own, &target);
        } else if let (SchemaKind::Any(any), true) = (&schema.schema_kind, is_annotation(&schema)) {
            // A member that only requires properties (`{required: [a]}`) still says something.
            merged.required.extend(any.required.iter().cloned());
        } else if nested.is_none() {
            merged.typed.push((part.clone(), pointer.clone()));
        }
        if let Some(nested) = nested {
            if visiting.contains(&target) || visiting.len() > MAX_DEPTH {
                return Err(Error::Unsupported {
                    at: self.spec.at(pointer),
                    what: format!("an `allOf` that includes itself ({target} is reached again)"),
                    help: "a schema cannot extend itself; remove the member that refers back".into(),
                });
            }
            visiting.push(target.clone());
            self.collect_all_of(&nested, &target.push("allOf"), merged, visiting)?;
            visiting.pop();
        }
        Ok(())
    }

    /// The `allOf` written beside a `type` at `at`. openapiv3 reads such a schema by its
    /// `type` alone and drops the `allOf`, so it is read from the document itself.
    pub(super) fn sibling_all_of(&self, at: &JsonPointer) -> Result<Option<Vec<ReferenceOr<Schema>>>> {
        self.sibling(at, "allOf")
    }

    /// The list of schemas under `key` beside a `type` at `at`, read from the document;
    /// `None` if there is none or it is empty.
    pub(super) fn sibling(&self, at: &JsonPointer, key: &str) -> Result<Option<Vec<ReferenceOr<Schema>>>> {
        if !self.compositions_beside_type.contains(at.as_str()) {
            return Ok(None);
        }
        let has_key = self
            .spec
            .raw
            .pointer(at.as_str())
            .is_some_and(|o| o.get(key).is_some());
        if !has_key {
            return Ok(None);
        }
        let members: Vec<ReferenceOr<Schema>> = crate::load::decode_at(self.spec, &at.push(key))?;
        Ok((!members.is_empty()).then_some(members))
    }
}

type ObjectParts<'a> = (&'a Properties, &'a Vec<String>, Option<&'a AdditionalProperties>);

/// What merging an `allOf` gathers.
#[derive(Clone, Default)]
pub(super) struct Merged {
    properties: Properties,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    /// Where `additional` is written.
    additional_at: Option<JsonPointer>,
    /// Per property, the schema it is written in.
    origins: IndexMap<String, JsonPointer>,
    /// Members that are not objects, with where they sit.
    typed: Vec<(ReferenceOr<Schema>, JsonPointer)>,
    /// Whether some member is an object schema (properties or not).
    objects: bool,
}

impl Merged {
    /// The merged object, to lower into one struct.
    fn object(&self) -> Object<'_> {
        Object {
            properties: &self.properties,
            required: &self.required,
            additional: self.additional.as_ref(),
            origins: Some(&self.origins),
            additional_at: self.additional_at.as_ref(),
        }
    }

    /// Adds the parts of the object schema at `at`.
    fn add(&mut self, (properties, required, additional): ObjectParts<'_>, at: &JsonPointer) {
        self.objects = true;
        self.origins
            .extend(properties.keys().map(|name| (name.clone(), at.clone())));
        self.properties
            .extend(properties.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.required.extend(required.iter().cloned());
        if self.additional.is_none() && additional.is_some() {
            self.additional = additional.cloned();
            self.additional_at = Some(at.clone());
        }
    }
}

pub(super) fn object_parts(schema: &Schema) -> Option<ObjectParts<'_>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(ObjectType {
            properties,
            required,
            additional_properties,
            ..
        })) => Some((properties, required, additional_properties.as_ref())),
        // No `type`, but object keywords: properties, or only `additionalProperties` (an
        // `allOf` member that says what the extra keys hold).
        SchemaKind::Any(any)
            if (!any.properties.is_empty() || any.additional_properties.is_some())
                && any.typ.as_deref().is_none_or(|t| t == "object") =>
        {
            Some((&any.properties, &any.required, any.additional_properties.as_ref()))
        }
        _ => None,
    }
}

/// The JSON type of a scalar schema: `string`, `integer`, `number` or `boolean`.
fn scalar(schema: &Schema) -> Option<&'static str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("string"),
        SchemaKind::Type(Type::Integer(_)) => Some("integer"),
        SchemaKind::Type(Type::Number(_)) => Some("number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
        _ => None,
    }
}

/// Whether the scalar `schema` leaves its Rust type as its JSON type's: no enum, no format.
fn only_constrains(schema: &Schema) -> bool {
    use openapiv3::VariantOrUnknownOrEmpty::Empty;
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.is_empty() && string.format == Empty,
        SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.is_empty() && integer.format == Empty,
        SchemaKind::Type(Type::Number(number)) => number.enumeration.is_empty() && number.format == Empty,
        SchemaKind::Type(Type::Boolean(boolean)) => boolean.enumeration.is_empty(),
        _ => false,
    }
}

/// A schema that constrains nothing about the shape (only `description`, `nullable`, ...).
fn is_annotation(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && any.enumeration.is_empty()
        }
        _ => false,
    }
}
