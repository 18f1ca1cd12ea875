//! Schemas to IR types. Component schemas get their ids reserved before any lowering, so
//! forward and cyclic `$ref`s resolve to a [`TypeId`] without recursion.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ArrayType, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::all_of::object_parts;
use crate::error::{Error, JsonPointer, Result};
use crate::ir::{
    Checks, Docs, EnumValue, Field, IntValue, NameHint, Struct, TypeDef, TypeId, TypeKind, TypeRef, WireName,
};
use crate::resolve;

/// The extension naming enum variants, one per value.
const VARNAMES: &str = "x-enum-varnames";

/// The extension naming a check digit scheme (`luhn`).
const CHECKSUM: &str = "x-checksum";
/// Other keys a property is read from, such as a spelling the vendor's documents disagree on.
const ALIASES: &str = "x-aliases";

/// Nesting beyond this is refused rather than risking the stack.
pub(super) const MAX_DEPTH: usize = 64;

pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

impl Lowerer<'_> {
    /// Lowers the schema of component `id`, which was reserved earlier.
    pub(super) fn lower_component(
        &mut self,
        id: TypeId,
        schema: &ReferenceOr<Schema>,
        at: &JsonPointer,
    ) -> Result<()> {
        let words = self.types[id.0].hint.words.clone();
        self.dropped = self.tag_properties.get(&id).cloned();
        let kind = self.component_kind(schema, at, &words);
        // Reset even on error, so the property cannot leak to another struct.
        self.dropped = None;
        let kind = kind?;
        let docs = match schema {
            ReferenceOr::Item(item) => schema_docs(item),
            ReferenceOr::Reference { .. } => Docs::default(),
        };
        let def = &mut self.types[id.0];
        def.kind = kind;
        def.docs = docs;
        Ok(())
    }

    fn component_kind(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &JsonPointer,
        words: &[String],
    ) -> Result<TypeKind> {
        Ok(match schema {
            ReferenceOr::Reference { .. } => TypeKind::Alias(self.lower(schema, at, words, 0)?),
            ReferenceOr::Item(item) => match self.named_kind(item, at, words, 0)? {
                Some(kind) => kind,
                None => TypeKind::Alias(self.lower_item(item, at, words, 0)?),
            },
        })
    }

    /// Lowers a schema use; inline schemas that need a named type get one from `words`.
    pub(super) fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(id) = resolve::component_schema(reference).and_then(|n| self.components.get(&n)) {
                    return Ok(TypeRef::Named(*id));
                }
                let (target, pointer) = resolve::follow(self.spec, schema, at)?;
                let name = pointer.tokens().last().unwrap_or_default();
                self.lower_item(&target, &pointer, &[name], depth + 1)
            }
            ReferenceOr::Item(item) => self.lower_item(item, at, words, depth),
        }
    }

    pub(super) fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.lower(
                &ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                at,
                words,
                depth,
            ),
            ReferenceOr::Item(item) => self.lower_item(item, at, words, depth),
        }
    }

    fn lower_item(
        &mut self,
        schema: &Schema,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        if depth > MAX_DEPTH {
            return Err(Error::Unsupported {
                at: self.spec.at(at),
                what: format!("schemas nested more than {MAX_DEPTH} levels deep"),
                help: "move inner schemas to components/schemas and refer to them".into(),
            });
        }
        if let Some(kind) = self.named_kind(schema, at, words, depth)? {
            // An inline schema that only names another type needs no name of its own.
            if let TypeKind::Alias(target) = kind {
                return Ok(target);
            }
            return Ok(self.push_inline(kind, at, words, schema_docs(schema)));
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Base64,
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
                _ => TypeRef::String,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                VariantOrUnknownOrEmpty::Unknown(format) if format == "decimal" => TypeRef::Decimal,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => self.lower_array(a, at, words, depth)?,
            SchemaKind::Type(Type::Object(o)) => {
                self.lower_map(o.additional_properties.as_ref(), at, words, depth)?
            }
            SchemaKind::OneOf { one_of: parts }
            | SchemaKind::AnyOf { any_of: parts }
            | SchemaKind::AllOf { all_of: parts } => {
                let key = keyword_of(&schema.schema_kind);
                // Only single-member compositions reach here (see `named_kind`).
                match parts.first() {
                    Some(part) => self.lower(part, &at.push(key).push("0"), words, depth + 1)?,
                    None => TypeRef::Json,
                }
            }
            SchemaKind::Not { .. } => {
                return Err(Error::Unsupported {
                    at: self.spec.at(&at.push("not")),
                    what: "`not` schemas".into(),
                    help: "describe the allowed values positively (`enum`, `oneOf`) instead".into(),
                });
            }
            SchemaKind::Any(any) if let Some(kind) = scalar_kind(any) => {
                let typed = Schema {
                    schema_data: schema.schema_data.clone(),
                    schema_kind: kind,
                };
                return self.lower_item(&typed, at, words, depth);
            }
            SchemaKind::Any(any) => match &any.items {
                Some(items) => TypeRef::Vec(Box::new(self.lower_items(items, at, words, depth)?)),
                None => match any.additional_properties.as_ref() {
                    Some(additional) => self.lower_map(Some(additional), at, words, depth)?,
                    None => TypeRef::Json,
                },
            },
        })
    }

    /// Adds a named type for an inline schema at `at`, named from `words`.
    pub(super) fn push_inline(
        &mut self,
        kind: TypeKind,
        at: &JsonPointer,
        words: &[String],
        docs: Docs,
    ) -> TypeRef {
        self.types.push(TypeDef {
            hint: NameHint {
                words: words.to_vec(),
                component: false,
            },
            origin: at.clone(),
            docs,
            kind,
        });
        TypeRef::Named(TypeId(self.types.len() - 1))
    }

    /// The kind of named type a schema needs, or `None` if it maps onto a plain Rust type.
    fn named_kind(
        &mut self,
        schema: &Schema,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<Option<TypeKind>> {
        if let Some((key, members)) = self.sibling_union(at)? {
            let base = self.union_base(schema, at)?;
            let union_at = at.push(key);
            return Ok(Some(match &schema.schema_data.discriminator {
                Some(discriminator) => TypeKind::Tagged(self.lower_tagged(
                    base.as_ref(),
                    &members,
                    discriminator,
                    &union_at,
                    words,
                    depth,
                )?),
                None => TypeKind::Untagged(self.lower_variants(
                    base.as_ref(),
                    &members,
                    &union_at,
                    words,
                    depth,
                )?),
            }));
        }
        if let Some(members) = self.sibling_all_of(at)? {
            let all_of = at.push("allOf");
            let own = object_parts(schema).filter(|(properties, _, _)| !properties.is_empty());
            // `type` beside a lone `allOf` member only annotates it (often to add `nullable`).
            if let ([member], None) = (members.as_slice(), own) {
                return Ok(Some(TypeKind::Alias(self.lower(
                    member,
                    &all_of.push("0"),
                    words,
                    depth + 1,
                )?)));
            }
            return self.merge_with(own, &members, &all_of, words, depth).map(Some);
        }
        if let Some(tagged) = self.base_union(schema, at, words, depth)? {
            return Ok(Some(TypeKind::Tagged(tagged)));
        }
        if let (
            Some(discriminator),
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts },
        ) = (&schema.schema_data.discriminator, &schema.schema_kind)
        {
            if !parts.is_empty() {
                let at = at.push(keyword_of(&schema.schema_kind));
                let tagged = self.lower_tagged(None, parts, discriminator, &at, words, depth)?;
                return Ok(Some(TypeKind::Tagged(tagged)));
            }
        }
        if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind {
            if let Some(kind) = self.tuple(array, at, words, depth)? {
                return Ok(Some(kind));
            }
        }
        Ok(Some(match &schema.schema_kind {
            // A single allowed value is a constant (JSON Schema's `const`): it carries no data
            // and, being strict, tells apart the members of an untagged union.
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().flatten().count() == 1 => {
                let value = s.enumeration.iter().flatten().next().cloned().unwrap_or_default();
                TypeKind::Constant(WireName(value))
            }
            // `null` in an enum only says the value may be null: it is not a value.
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                let values: Vec<&String> = s.enumeration.iter().flatten().collect();
                let names = self.varnames(schema, values.len(), at)?;
                TypeKind::StringEnum(
                    first_of_each(values.into_iter().zip(names))
                        .map(|(v, name)| EnumValue {
                            wire: WireName(v.clone()),
                            name,
                        })
                        .collect(),
                )
            }
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                let values: Vec<i64> = i.enumeration.iter().flatten().copied().collect();
                let names = self.varnames(schema, values.len(), at)?;
                TypeKind::IntEnum(
                    first_of_each(values.into_iter().zip(names))
                        .map(|(value, name)| IntValue { value, name })
                        .collect(),
                )
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let object = Object {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                    origins: None,
                    additional_at: None,
                };
                TypeKind::Struct(self.lower_struct(object, at, words, depth)?)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() && scalar_kind(any).is_none() => {
                let object = Object {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                    origins: None,
                    additional_at: None,
                };
                TypeKind::Struct(self.lower_struct(object, at, words, depth)?)
            }
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } if parts.len() > 1 => {
                let key = keyword_of(&schema.schema_kind);
                TypeKind::Untagged(self.lower_variants(None, parts, &at.push(key), words, depth)?)
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                self.merge_all_of(all_of, &at.push("allOf"), words, depth)?
            }
            _ => return Ok(None),
        }))
    }

    pub(super) fn lower_struct(
        &mut self,
        object: Object<'_>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<Struct> {
        // The tag of a discriminated union lives in the union, not in its member structs.
        let dropped = if depth == 0 { self.dropped.take() } else { None };
        let mut fields = Vec::with_capacity(object.properties.len());
        for (name, property) in object.properties {
            if dropped.as_ref() == Some(name) {
                continue;
            }
            // Where the property is written: merged properties come from several schemas.
            let base = object.origins.and_then(|o| o.get(name)).unwrap_or(at);
            let pointer = base.push("properties").push(name);
            let lowered = self
                .lower_boxed(property, &pointer, &with(words, name), depth + 1)
                .and_then(|ty| Ok((ty, self.nullable(property, &pointer)?)));
            let (ty, nullable) = self.or_any(&pointer, lowered, (TypeRef::Json, false));
            let docs = match property {
                ReferenceOr::Item(item) => schema_docs(item),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            let default = match property {
                ReferenceOr::Item(item) => item.schema_data.default.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let checks = match property {
                ReferenceOr::Item(item) if ty == TypeRef::String => self.checks(item, &pointer)?,
                // A `$ref` to a constrained string component carries its constraints along.
                ReferenceOr::Reference { reference } if *ty.resolved_in(&self.types) == TypeRef::String => {
                    let reference = ReferenceOr::<Schema>::Reference {
                        reference: reference.clone(),
                    };
                    let (target, at) = resolve::follow(self.spec, &reference, &pointer)?;
                    self.checks(&target, &at)?
                }
                _ => Checks::default(),
            };
            let aliases = match property {
                ReferenceOr::Item(item) => self.aliases(item, name, object.properties, &pointer),
                ReferenceOr::Reference { .. } => Vec::new(),
            };
            fields.push(Field {
                wire: WireName(name.clone()),
                aliases,
                ty,
                required: object.required.contains(name),
                nullable,
                boxed: false,
                default,
                checks,
                docs,
            });
        }
        let additional_at = object.additional_at.unwrap_or(at);
        let additional = match object.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                Some(self.lower_value(schema, additional_at, words, depth)?)
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Any(false)) | None => None,
        };
        let closed = matches!(object.additional, Some(AdditionalProperties::Any(false)));
        Ok(Struct {
            fields,
            additional,
            closed,
            left_tag: None,
        })
    }

    /// Whether the schema a use points at allows `null`: its own `nullable`, that of the
    /// schema its `$ref` names, or that of a member of its `oneOf`, `anyOf` or `allOf`. A
    /// union's member that allows `null` makes the union allow it (the member's type is the
    /// same either way), and writers put `nullable` on the `allOf` member that documents the
    /// value (`allOf: [$ref, {nullable: true, description}]`): read so, a `null` the server
    /// sends decodes, where the letter of `allOf` would refuse it.
    pub(super) fn nullable<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &ReferenceOr<S>,
        at: &JsonPointer,
    ) -> Result<bool> {
        let (target, at) = match schema {
            ReferenceOr::Item(item) => (std::borrow::Cow::Borrowed(item.borrow()), at.clone()),
            ReferenceOr::Reference { reference } => {
                let reference = ReferenceOr::<Schema>::Reference {
                    reference: reference.clone(),
                };
                let (target, pointer) = resolve::follow(self.spec, &reference, at)?;
                (std::borrow::Cow::Owned(target.into_owned()), pointer)
            }
        };
        if target.schema_data.nullable {
            return Ok(true);
        }
        if let SchemaKind::AllOf { all_of: members }
        | SchemaKind::OneOf { one_of: members }
        | SchemaKind::AnyOf { any_of: members } = &target.schema_kind
        {
            let key = keyword_of(&target.schema_kind);
            for (index, member) in members.iter().enumerate() {
                let (member, _) = resolve::follow(self.spec, member, &at.push(key).push(index.to_string()))?;
                if member.schema_data.nullable {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The other keys property `name` is read from (`x-aliases`, a list of strings); an
    /// entry that is not a string, or is the key of a property, is left out with a warning.
    fn aliases(
        &mut self,
        schema: &Schema,
        name: &str,
        properties: &Properties,
        at: &JsonPointer,
    ) -> Vec<WireName> {
        let Some(value) = schema.schema_data.extensions.get(ALIASES) else {
            return Vec::new();
        };
        let at = at.push(ALIASES);
        let Some(list) = value.as_array() else {
            self.warn(&at, format!("`{ALIASES}` is a list of keys; ignored"));
            return Vec::new();
        };
        let mut aliases: Vec<WireName> = Vec::with_capacity(list.len());
        for (index, alias) in list.iter().enumerate() {
            match alias.as_str() {
                Some(alias) if alias != name && properties.contains_key(alias) => self.warn(
                    &at.push(index.to_string()),
                    format!("the alias `{alias}` of `{name}` is a property of its own; ignored"),
                ),
                Some(alias) if alias != name && !aliases.iter().any(|a| a.0 == alias) => {
                    aliases.push(WireName(alias.to_owned()));
                }
                Some(_) => {}
                None => self.warn(
                    &at.push(index.to_string()),
                    format!("an alias of `{name}` is not a string; ignored"),
                ),
            }
        }
        aliases
    }

    /// The checks a client can make on the string schema at `at` before sending it.
    fn checks(&self, schema: &Schema, at: &JsonPointer) -> Result<Checks> {
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            return Ok(Checks::default());
        };
        let luhn = match schema.schema_data.extensions.get(CHECKSUM) {
            None => false,
            Some(serde_json::Value::String(kind)) if kind == "luhn" => true,
            Some(_) => {
                return Err(Error::Unsupported {
                    at: self.spec.at(&at.push(CHECKSUM)),
                    what: format!("a `{CHECKSUM}` other than `luhn`"),
                    help: "the generator checks Luhn digits only; remove the extension or use `luhn`".into(),
                });
            }
        };
        Ok(Checks {
            min_length: string.min_length,
            max_length: string.max_length,
            luhn,
        })
    }

    /// Variant names from the `x-enum-varnames` extension, one per enum value; `None` each
    /// where the schema gives none.
    /// The variant names `x-enum-varnames` gives, one per value; names made from the values
    /// instead, with a located warning, when it is not a list of one string per value.
    fn varnames(&mut self, schema: &Schema, count: usize, at: &JsonPointer) -> Result<Vec<Option<String>>> {
        let Some(given) = schema.schema_data.extensions.get(VARNAMES) else {
            return Ok(vec![None; count]);
        };
        let names: Option<Vec<String>> = given
            .as_array()
            .and_then(|items| items.iter().map(|v| v.as_str().map(str::to_owned)).collect());
        match names {
            Some(names) if names.len() == count => Ok(names.into_iter().map(Some).collect()),
            _ => {
                self.warn(
                    &at.push(VARNAMES),
                    format!(
                        "`{VARNAMES}` is not a list of {count} strings, one per enum value; ignored, \
                         and the variants are named from the values"
                    ),
                );
                Ok(vec![None; count])
            }
        }
    }

    fn lower_array(
        &mut self,
        array: &ArrayType,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let item = match &array.items {
            Some(items) => self.lower_items(items, at, words, depth)?,
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    /// The type of an array's `items`, `null` included where allowed.
    fn lower_items(
        &mut self,
        items: &ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let pointer = at.push("items");
        let lowered = self
            .lower_boxed(items, &pointer, &with(words, "item"), depth + 1)
            .and_then(|ty| Ok(or_null(ty, self.nullable(items, &pointer)?)));
        Ok(self.or_any(&pointer, lowered, TypeRef::Json))
    }

    fn lower_map(
        &mut self,
        additional: Option<&AdditionalProperties>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => self.lower_value(schema, at, words, depth)?,
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// The type of an `additionalProperties` schema's values, `null` included where allowed.
    fn lower_value(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let pointer = at.push("additionalProperties");
        let ty = self.lower(schema, &pointer, &with(words, "value"), depth + 1)?;
        Ok(or_null(ty, self.nullable(schema, &pointer)?))
    }
}

/// The enum values with their names, each value once (the first time it is listed): a
/// repeated value adds nothing and would be an unreachable match arm.
fn first_of_each<V: Eq + std::hash::Hash + Copy>(
    pairs: impl Iterator<Item = (V, Option<String>)>,
) -> impl Iterator<Item = (V, Option<String>)> {
    let mut seen = std::collections::HashSet::new();
    pairs.filter(move |(value, _)| seen.insert(*value))
}

/// The scalar schema an untyped-looking one is: `type: string` (or another scalar) written
/// with keywords of objects or arrays (`additionalProperties: true`, `items`), which JSON
/// Schema applies to objects and arrays only, so a string is a string. openapiv3 reads such a
/// schema as untyped; its `type`, `format` and `enum` are read again as the scalar's.
fn scalar_kind(any: &openapiv3::AnySchema) -> Option<SchemaKind> {
    let typ = any.typ.as_deref()?;
    let composed =
        !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() || any.not.is_some();
    if composed || !matches!(typ, "string" | "integer" | "number" | "boolean") {
        return None;
    }
    let mut scalar = serde_json::Map::new();
    scalar.insert("type".into(), typ.into());
    if let Some(format) = &any.format {
        scalar.insert("format".into(), format.clone().into());
    }
    if !any.enumeration.is_empty() {
        scalar.insert("enum".into(), any.enumeration.clone().into());
    }
    serde_json::from_value::<Type>(scalar.into())
        .ok()
        .map(SchemaKind::Type)
}

/// `ty`, or `ty` that may also be `null`. Any JSON value already includes `null`.
pub(super) fn or_null(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable && ty != TypeRef::Json {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// An object schema's parts, borrowed, as a struct is lowered from them.
#[derive(Clone, Copy)]
pub(super) struct Object<'a> {
    pub(super) properties: &'a Properties,
    pub(super) required: &'a [String],
    pub(super) additional: Option<&'a AdditionalProperties>,
    /// Per property, the schema it is written in, when that is not the one being lowered.
    pub(super) origins: Option<&'a IndexMap<String, JsonPointer>>,
    /// Where `additional` is written, when that is not the schema being lowered.
    pub(super) additional_at: Option<&'a JsonPointer>,
}

fn keyword_of(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::OneOf { .. } => "oneOf",
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::AllOf { .. } => "allOf",
        _ => "",
    }
}

/// The docs of a schema: title, description, and what `readOnly`, `writeOnly` and
/// `default` say about its use.
pub(super) fn schema_docs(schema: &Schema) -> Docs {
    let data = &schema.schema_data;
    let mut docs = Docs::from_parts([data.title.as_deref(), data.description.as_deref()]);
    if data.read_only {
        docs.paragraphs
            .push("Read-only: the server sets it and ignores it in requests.".into());
    }
    if data.write_only {
        docs.paragraphs
            .push("Write-only: sent in requests; the server never returns it.".into());
    }
    if let Some(default) = &data.default {
        docs.paragraphs
            .push(format!("The server assumes `{default}` when it is absent."));
    }
    docs.deprecated = data.deprecated;
    docs
}

pub(super) fn with(words: &[String], word: &str) -> Vec<String> {
    let mut out = words.to_vec();
    out.push(word.to_owned());
    out
}
