//! Request and response bodies: which media type a call uses, and how a body of it is typed
//! ([`Encoding`]).

use std::borrow::Cow;

use openapiv3::{
    AdditionalProperties, MediaType, ReferenceOr, RequestBody, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::Lowerer;
use super::operation::array_style;
use crate::error::{JsonPointer, Result};
use crate::ir::{
    ArrayStyle, Body, Docs, Encoding, Form, FormField, MediaKind, Multipart, Part, PartValue, TypeKind,
    TypeRef, is_json,
};
use crate::resolve;

impl Lowerer<'_> {
    /// The request body of operation `op_id`, if it has one a caller can fill: a body that
    /// is optional and whose schema admits only the empty object (Stripe's GET operations
    /// carry such a form) is left out.
    pub(super) fn lower_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        at: &JsonPointer,
        op_id: &str,
    ) -> Result<Option<Body>> {
        let (body, at) = resolve::follow(self.spec, body, at)?;
        let Some((media, content)) = pick(&body.content) else {
            return Ok(None);
        };
        let at = at.push("content").push(media);
        if !body.required && self.only_empty(content, &at) {
            return Ok(None);
        }
        let words = vec![op_id.to_owned(), "request".to_owned()];
        let encoding = self.request_encoding(media, content, &at, &words)?;
        // Every typed media type the call accepts, where it accepts several.
        let mut choices = Vec::new();
        let typed =
            |encoding: &Encoding| matches!(encoding, Encoding::Json(_) | Encoding::Form(_) | Encoding::Text);
        if typed(&encoding) && body.content.len() > 1 {
            let content_at = at.parent();
            for (other, other_content) in &body.content {
                if other == media {
                    choices.push((media.to_owned(), encoding.clone()));
                    continue;
                }
                if !matches!(
                    MediaKind::of(other),
                    MediaKind::Json | MediaKind::Form | MediaKind::Text
                ) {
                    continue;
                }
                let mut words = words.clone();
                words.push(other.rsplit('/').next().unwrap_or(other).to_owned());
                let other_encoding =
                    self.request_encoding(other, other_content, &content_at.push(other), &words)?;
                if typed(&other_encoding) {
                    choices.push((other.clone(), other_encoding));
                }
            }
            if choices.len() < 2 {
                choices.clear();
            }
        }
        Ok(Some(Body {
            media_type: media.to_owned(),
            encoding,
            required: body.required,
            docs: Docs::from_parts([body.description.as_deref()]),
            set_true: None,
            choices,
        }))
    }

    /// How a request body of `media` travels.
    fn request_encoding(
        &mut self,
        media: &str,
        content: &MediaType,
        at: &JsonPointer,
        words: &[String],
    ) -> Result<Encoding> {
        Ok(match MediaKind::of(media) {
            MediaKind::Form => self.lower_form(content, at, words)?,
            MediaKind::Multipart => self.lower_multipart(content, at, words)?,
            // Events are answers; a request of them is the caller's bytes.
            MediaKind::Events => Encoding::Bytes,
            _ => self.lower_answer(media, content, at, words)?,
        })
    }

    /// How a body of `media` travels; a JSON one is typed from its schema. A form answer
    /// (a format servers rarely answer with) is handed out as its bytes. Any media type
    /// (`*/*`) whose schema is a string that is not binary is text.
    pub(super) fn lower_answer(
        &mut self,
        media: &str,
        content: &MediaType,
        at: &JsonPointer,
        words: &[String],
    ) -> Result<Encoding> {
        Ok(match MediaKind::of(media) {
            MediaKind::Json => Encoding::Json(self.media_schema(content, at, words)),
            MediaKind::Text => Encoding::Text,
            MediaKind::Events => Encoding::Events(self.event_schema(content, at, words)),
            MediaKind::Bytes if media.trim() == "*/*" && self.text_schema(content, at) => Encoding::Text,
            MediaKind::Form | MediaKind::Multipart | MediaKind::Bytes => Encoding::Bytes,
        })
    }

    /// Whether the schema of `content` is a string of text: `type: string`, not binary.
    fn text_schema(&self, content: &MediaType, at: &JsonPointer) -> bool {
        let Some((schema, _)) = self.schema_of(content, at) else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => !matches!(
                string.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary | StringFormat::Byte)
            ),
            _ => false,
        }
    }

    /// A form body: its schema's type, and its properties' `encoding`. A schema that cannot
    /// be an object of name-value pairs leaves the body as bytes, with a warning.
    fn lower_form(&mut self, content: &MediaType, at: &JsonPointer, words: &[String]) -> Result<Encoding> {
        let ty = self.media_schema(content, at, words);
        let object = match ty.resolved_in(&self.types) {
            TypeRef::Json | TypeRef::Map(_) => true,
            TypeRef::Named(id) => matches!(
                self.types[id.0].kind,
                TypeKind::Struct(_) | TypeKind::Tagged(_) | TypeKind::Untagged(_)
            ),
            _ => false,
        };
        if !object {
            self.warn(
                &at.push("schema"),
                "a form body is an object whose properties are its fields, and this schema is not \
                 an object: the body is taken as bytes; give it `type: object`"
                    .to_owned(),
            );
            return Ok(Encoding::Bytes);
        }
        let mut fields = Vec::new();
        for (name, encoding) in &content.encoding {
            let style = encoding.style.clone().unwrap_or(openapiv3::QueryStyle::Form);
            // openapiv3 reads an absent `explode` as false; OpenAPI's default is true for
            // `form`, so the document itself says which it is.
            let pointer = at.push("encoding").push(name).push("explode");
            let explode = match self.spec.raw.pointer(pointer.as_str()) {
                Some(serde_json::Value::Bool(explode)) => *explode,
                _ => matches!(style, openapiv3::QueryStyle::Form),
            };
            let style = array_style(&style, explode);
            if style != ArrayStyle::Repeat || encoding.allow_reserved {
                fields.push(FormField {
                    wire: name.clone(),
                    style,
                    allow_reserved: encoding.allow_reserved,
                });
            }
        }
        Ok(Encoding::Form(Form { ty, fields }))
    }

    /// A multipart body: a part per property of its schema (an object), typed as the
    /// property says. A schema that is not an object with properties leaves the body as
    /// bytes, with a warning.
    fn lower_multipart(
        &mut self,
        content: &MediaType,
        at: &JsonPointer,
        words: &[String],
    ) -> Result<Encoding> {
        let schema_at = at.push("schema");
        let object = self
            .schema_of(content, at)
            .and_then(|(schema, at)| match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                    Some((object.clone(), at))
                }
                _ => None,
            });
        let Some((object, schema_at)) = object else {
            self.warn(
                &schema_at,
                "a multipart body is an object whose properties are its parts, and this schema is \
                 not one: the body is taken as bytes; give it `type: object` and `properties`"
                    .to_owned(),
            );
            return Ok(Encoding::Bytes);
        };
        let encoding_at = at.push("encoding");
        let mut parts = Vec::new();
        for (name, property) in &object.properties {
            let at = schema_at.push("properties").push(name);
            let mut words = words.to_vec();
            words.push(name.clone());
            let (value, many, mut docs) = self.part_value(property, &at, &words);
            // The part's own headers (`Content-Type` aside, which OpenAPI describes apart).
            let headers: Vec<&String> = content
                .encoding
                .get(name)
                .map(|encoding| {
                    encoding
                        .headers
                        .keys()
                        .filter(|header| !header.eq_ignore_ascii_case("content-type"))
                        .collect()
                })
                .unwrap_or_default();
            if !headers.is_empty() {
                let listed: Vec<String> = headers.iter().map(|header| format!("`{header}`")).collect();
                match value {
                    PartValue::File => docs.paragraphs.push(format!(
                        "The spec gives this part the headers {}: set them with `FilePart::header`.",
                        listed.join(", ")
                    )),
                    _ => self.warn(
                        &encoding_at.push(name).push("headers"),
                        format!(
                            "the headers {} of a part that is not a file are not sent: only a file part \
                             (`format: binary`) carries headers of its own",
                            listed.join(", ")
                        ),
                    ),
                }
            }
            let content_type = content
                .encoding
                .get(name)
                .and_then(|encoding| encoding.content_type.as_deref())
                .and_then(|media| media.split(',').map(str::trim).find(|media| !media.contains('*')))
                .filter(|media| !media.is_empty())
                .map(str::to_owned);
            parts.push(Part {
                wire: name.clone(),
                value,
                many,
                required: object.required.contains(name),
                content_type,
                docs,
            });
        }
        Ok(Encoding::Multipart(Multipart { parts }))
    }

    /// What the part of property `property` holds, whether it is a list of them, and its docs.
    fn part_value(
        &mut self,
        property: &ReferenceOr<Box<Schema>>,
        at: &JsonPointer,
        words: &[String],
    ) -> (PartValue, bool, Docs) {
        let schema = unboxed(property);
        let resolved = resolve::follow::<Schema>(self.spec, &schema, at).ok();
        let docs = Docs::from_parts([resolved
            .as_ref()
            .and_then(|(schema, _)| schema.schema_data.description.as_deref())]);
        if let Some((schema, target)) = &resolved {
            if self.binary(schema, target) {
                return (PartValue::File, false, docs);
            }
            // A list: one part per item, each a file, its text, or JSON.
            if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind {
                if let Some(items) = &array.items {
                    let item_at = target.push("items");
                    if let Ok((item, item_target)) =
                        resolve::follow::<Schema>(self.spec, &unboxed(items), &item_at)
                    {
                        if self.binary(&item, &item_target) {
                            return (PartValue::File, true, docs);
                        }
                    }
                    let lowered = self.lower_boxed(items, &item_at, words, 0);
                    let ty = self.or_any(&item_at, lowered, TypeRef::Json);
                    return match ty.is_scalar_in(&self.types) {
                        true => (PartValue::Text(ty), true, docs),
                        false => (PartValue::Json(TypeRef::Vec(Box::new(ty))), false, docs),
                    };
                }
            }
        }
        let lowered = self.lower_boxed(property, at, words, 0);
        let ty = self.or_any(at, lowered, TypeRef::Json);
        match ty.is_scalar_in(&self.types) {
            true => (PartValue::Text(ty), false, docs),
            false => (PartValue::Json(ty), false, docs),
        }
    }

    /// Whether `schema` (at `at`) is a file: a binary string (`format: binary`), or a string
    /// with a `contentMediaType` (OpenAPI 3.1).
    fn binary(&self, schema: &Schema, at: &JsonPointer) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                matches!(string.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
                    || self
                        .spec
                        .raw
                        .pointer(at.push("contentMediaType").as_str())
                        .is_some()
            }
            _ => false,
        }
    }

    /// The events a response offers beside the body the client reads (`text/event-stream`
    /// beside JSON), if it offers them.
    pub(super) fn side_events(
        &mut self,
        content: &indexmap::IndexMap<String, MediaType>,
        read: &str,
        at: &JsonPointer,
        words: &[String],
    ) -> Option<TypeRef> {
        if MediaKind::of(read) == MediaKind::Events {
            return None;
        }
        let (media, events) = content
            .iter()
            .find(|(media, _)| MediaKind::of(media) == MediaKind::Events)?;
        let mut words = words.to_vec();
        words.push("event".to_owned());
        Some(self.event_schema(events, &at.push(media), &words))
    }

    /// The type of each event of an event stream: its `itemSchema` (OpenAPI 3.2), else its
    /// `schema` (as OpenAI writes them), else any JSON value.
    fn event_schema(&mut self, content: &MediaType, at: &JsonPointer, words: &[String]) -> TypeRef {
        let item_at = at.push("itemSchema");
        let item = self
            .spec
            .raw
            .pointer(item_at.as_str())
            .and_then(|raw| serde_json::from_value::<ReferenceOr<Schema>>(raw.clone()).ok());
        match item {
            Some(item) => {
                let lowered = self.lower(&item, &item_at, words, 0);
                self.or_any(&item_at, lowered, TypeRef::Json)
            }
            None => self.media_schema(content, at, words),
        }
    }

    /// The schema of `content` (at `at`), its `$ref`s followed, and where it is written.
    fn schema_of<'a>(
        &'a self,
        content: &'a MediaType,
        at: &JsonPointer,
    ) -> Option<(Cow<'a, Schema>, JsonPointer)> {
        let schema = content.schema.as_ref()?;
        resolve::follow::<Schema>(self.spec, schema, &at.push("schema")).ok()
    }

    /// The type of a body's schema (any JSON value without one).
    fn media_schema(&mut self, content: &MediaType, at: &JsonPointer, words: &[String]) -> TypeRef {
        match &content.schema {
            Some(schema) => {
                let at = at.push("schema");
                let lowered = self.lower(schema, &at, words, 0);
                self.or_any(&at, lowered, TypeRef::Json)
            }
            None => TypeRef::Json,
        }
    }

    /// Whether the schema of `content` admits only the empty object: `type: object` without
    /// properties, and no others allowed.
    fn only_empty(&self, content: &MediaType, at: &JsonPointer) -> bool {
        let Some((schema, _)) = self.schema_of(content, at) else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                object.properties.is_empty()
                    && matches!(
                        object.additional_properties,
                        Some(AdditionalProperties::Any(false))
                    )
            }
            _ => false,
        }
    }

    /// `media` as an `Accept` range, if a header value can hold it.
    pub(super) fn accepted_media(&mut self, media: &str, at: &JsonPointer) -> Option<String> {
        if media.bytes().all(|b| (b' '..=b'~').contains(&b)) && !media.trim().is_empty() {
            return Some(media.to_owned());
        }
        self.warn(
            at,
            format!("the media type {media:?} cannot be written in an `Accept` header; the call does not ask for it"),
        );
        None
    }
}

/// `schema` without its box, for [`resolve::follow`].
fn unboxed(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
    }
}

/// The media type to use: JSON if offered, else the first listed.
pub(super) fn pick(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .or_else(|| content.first())
        .map(|(media, content)| (media.as_str(), content))
}
