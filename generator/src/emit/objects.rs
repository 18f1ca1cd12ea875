//! Encoding structs as JSON objects and decoding them from JSON objects.
//!
//! The serde derives write, for every struct, code that type-checks slowly: `Serialize` a
//! `?` and a call through the serializer's associated types per field, `Deserialize` a field
//! enum with its own visitor and `Deserialize` impl, a sequence visitor nobody needs for JSON
//! objects, and a map visitor that repeats each field's bookkeeping inline. Type-checking
//! that code was most of the compile time of a large API's models. Here each struct gets a
//! `Serialize` impl that is one chain of calls, and one small `Object` impl, a `let` and a
//! `match` arm per field; the bookkeeping of both lives once in `common.rs` ([`support`]).
//!
//! Both behave as the derives did. Encoding writes a struct (`serialize_struct`, with the
//! exact number of fields written) of the wire names, leaving out an optional field that is
//! `None`; a struct with additional properties is a map of its fields, then those properties.
//! Decoding gives the same error messages (`missing field`, `duplicate field`, `unknown
//! field`, `invalid type ... expected struct Name`), a missing field that can be absent
//! (`Option`) decodes as `None`, unknown keys are skipped (or refused for a closed object, or
//! kept for additional properties); unlike the derive it does not accept a JSON array in
//! place of the object.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::types::{Scope, ident, ty};
use crate::ir::{Api, Field, Struct};
use crate::names::Names;

/// How a field is decoded and what an absent one becomes; it also decides the field's type
/// ([`field_type`]).
pub enum Decode {
    /// Required, and `Option<T>` if nullable (always sent, `None` as `null`). Absent: what
    /// decoding the field's type from nothing gives (`None` for an `Option`, else a
    /// `missing field` error), as the derive did.
    Required,
    /// Optional, `Option<T>`: absent is `None`, and so is `null`.
    Optional,
    /// Optional and told apart from `null` (nullable, or of any JSON type):
    /// `Option<Option<T>>` (`Option<Value>`), absent is `None`, a present value (even
    /// `null`) is `Some`.
    Present,
}

impl Decode {
    pub fn of(api: &Api, field: &Field) -> Decode {
        if field.required {
            Decode::Required
        } else if field.nullable || field.ty.is_any_in(&api.types) {
            Decode::Present
        } else {
            Decode::Optional
        }
    }
}

/// The Rust type of `field`: its type (boxed where recursion needs it) in the `Option`s its
/// [`Decode`] calls for.
pub fn field_type(api: &Api, names: &Names, field: &Field) -> TokenStream {
    let mut inner = ty(names, &field.ty, Scope::Models);
    if field.boxed {
        inner = quote!(Box<#inner>);
    }
    match Decode::of(api, field) {
        Decode::Required if field.nullable => quote!(Option<#inner>),
        Decode::Required => inner,
        // A value of any JSON type already holds `null` itself.
        Decode::Present if !field.ty.is_any_in(&api.types) => quote!(Option<Option<#inner>>),
        Decode::Optional | Decode::Present => quote!(Option<#inner>),
    }
}

/// `impl Serialize` for the struct `name`, whose field names are `members` (the
/// additional-properties map last, when it has one): the required fields always written,
/// an optional one only when it is `Some` (the outer `Some` of a field that tells absent from
/// `null`).
pub fn serialize(api: &Api, name: &Ident, s: &Struct, members: &[String]) -> TokenStream {
    let mut calls = Vec::with_capacity(s.fields.len());
    let mut required = 0_usize;
    let mut present = Vec::new();
    for (field, member) in s.fields.iter().zip(members) {
        let member = ident(member);
        let wire = field.wire.0.as_str();
        if let Decode::Required = Decode::of(api, field) {
            required += 1;
            calls.push(quote!(.field(#wire, &self.#member)));
        } else {
            present.push(quote!(self.#member.is_some()));
            calls.push(quote!(.optional(#wire, &self.#member)));
        }
    }
    let (start, rest) = match &s.additional {
        Some(_) => {
            let member = ident(&members[s.fields.len()]);
            (quote!(map(serializer)), quote!(.additional(&self.#member)))
        }
        None => {
            let name = name.to_string();
            let required = proc_macro2::Literal::usize_unsuffixed(required);
            (
                quote!(new(serializer, #name, #required, &[#(#present),*])),
                quote!(),
            )
        }
    };
    let allow = allow_deprecated(s);
    quote! {
        impl ::serde::Serialize for #name {
            #allow
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::common::Fields::#start
                    #(#calls)*
                    #rest
                    .end()
            }
        }
    }
}

/// `impl Object` and `impl Deserialize` for the struct `name`. `members` are its field
/// names (the additional-properties map last, when it has one), `types` the types of its
/// fields ([`field_type`]). Every local is typed where it is declared, and so is the error of `required`:
/// nothing is left for the compiler to infer from the end of a long function.
pub fn deserialize(
    api: &Api,
    names: &Names,
    name: &Ident,
    s: &Struct,
    members: &[String],
    types: &[TokenStream],
) -> TokenStream {
    let expecting = format!("struct {name}");
    let name_text = name.to_string();
    let mut slots = Vec::with_capacity(s.fields.len());
    let mut arms = Vec::with_capacity(s.fields.len());
    let mut values = Vec::with_capacity(s.fields.len());
    let mut wires = Vec::with_capacity(s.fields.len());
    for (index, ((field, member), field_ty)) in s.fields.iter().zip(members).zip(types).enumerate() {
        let slot = format_ident!("field{index}");
        let member = ident(member);
        let wire = field.wire.0.as_str();
        slots.push(quote!(let mut #slot = None::<#field_ty>;));
        let (read, value) = match Decode::of(api, field) {
            Decode::Required => (
                quote!(crate::common::field(&mut map, &mut #slot, #wire)),
                quote!(crate::common::required::<_, A::Error>(#slot, #wire)?),
            ),
            Decode::Optional => (
                quote!(crate::common::field(&mut map, &mut #slot, #wire)),
                quote!(#slot.unwrap_or_default()),
            ),
            Decode::Present => (
                quote!(crate::common::present(&mut map, &mut #slot, #wire)),
                quote!(#slot.unwrap_or_default()),
            ),
        };
        let aliases = field.aliases.iter().map(|alias| alias.0.as_str());
        arms.push(quote!(#wire #(| #aliases)* => #read,));
        values.push(quote!(#member: #value,));
        wires.push(wire);
        wires.extend(field.aliases.iter().map(|alias| alias.0.as_str()));
    }
    let mut extra = quote!();
    let other = if let Some(value) = &s.additional {
        let member = ident(&members[s.fields.len()]);
        let value = ty(names, value, Scope::Models);
        slots.push(quote!(let mut additional = ::std::collections::BTreeMap::<String, #value>::new();));
        extra = quote!(#member: additional,);
        quote!(crate::common::additional(&mut map, &mut additional, key))
    } else if s.closed {
        quote!(crate::common::unknown(key.as_str(), &[#(#wires),*]))
    } else {
        quote!(crate::common::skip(&mut map))
    };
    let next = quote!(map.next_key::<crate::common::Key<'de>>()?);
    let entries = if arms.is_empty() && s.closed && s.additional.is_none() {
        // No key is known: the first one is refused.
        quote!(if let Some(key) = #next { #other?; })
    } else if arms.is_empty() && s.additional.is_none() {
        quote!(while #next.is_some() { #other?; })
    } else if arms.is_empty() {
        quote!(while let Some(key) = #next { #other?; })
    } else {
        // An open object with properties: a key it does not declare is drift to report.
        let other = if s.additional.is_none() && !s.closed {
            quote!(crate::common::skip_undeclared(&mut map, #name_text, key.as_str()))
        } else {
            other
        };
        quote! {
            while let Some(key) = #next {
                match key.as_str() {
                    #(#arms)*
                    _ => #other,
                }?;
            }
        }
    };
    let allow = allow_deprecated(s);
    quote! {
        impl crate::common::Object for #name {
            const EXPECTING: &'static str = #expecting;

            #allow
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                #(#slots)*
                #entries
                Ok(Self {
                    #(#values)*
                    #extra
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::common::deserialize_object(deserializer)
            }
        }
    }
}

/// `#[allow(deprecated)]` for a struct with deprecated fields: its encoder reads them and its
/// decoder sets them, as it must; the deprecation is meant for the code that uses the struct.
fn allow_deprecated(s: &Struct) -> Option<TokenStream> {
    s.fields
        .iter()
        .any(|f| f.docs.deprecated)
        .then(|| quote!(#[allow(deprecated)]))
}

/// The helpers of `common.rs` that the encoders and decoders above call.
pub fn support() -> TokenStream {
    quote! {
        /// Writes the fields of a struct, one call per field, keeping the first error: no
        /// `?` to check per field, and `end` reports the error.
        #[doc(hidden)]
        pub struct Fields<S: ::serde::Serializer>(::std::result::Result<Writer<S>, S::Error>);

        enum Writer<S: ::serde::Serializer> {
            Struct(S::SerializeStruct),
            Map(S::SerializeMap),
        }

        impl<S: ::serde::Serializer> Fields<S> {
            /// A struct named `name` of `required` fields and optional ones, `true` in
            /// `present` for each that will be written.
            pub fn new(serializer: S, name: &'static str, required: usize, present: &[bool]) -> Self {
                let len = required + present.iter().filter(|&&written| written).count();
                Fields(serializer.serialize_struct(name, len).map(Writer::Struct))
            }

            /// A struct with additional properties: a map of its fields, then those properties.
            pub fn map(serializer: S) -> Self {
                Fields(serializer.serialize_map(None).map(Writer::Map))
            }

            /// Writes the field `key`.
            pub fn field<T: ?Sized + ::serde::Serialize>(mut self, key: &'static str, value: &T) -> Self {
                use ::serde::ser::{SerializeMap as _, SerializeStruct as _};
                let written = match &mut self.0 {
                    Ok(Writer::Struct(fields)) => fields.serialize_field(key, value),
                    Ok(Writer::Map(entries)) => entries.serialize_entry(key, value),
                    Err(_) => return self,
                };
                if let Err(error) = written {
                    self.0 = Err(error);
                }
                self
            }

            /// Writes the optional field `key` if it is `Some`, else skips it.
            pub fn optional<T: ::serde::Serialize>(mut self, key: &'static str, value: &Option<T>) -> Self {
                use ::serde::ser::SerializeStruct as _;
                if value.is_some() {
                    return self.field(key, value);
                }
                if let Ok(Writer::Struct(fields)) = &mut self.0 {
                    if let Err(error) = fields.skip_field(key) {
                        self.0 = Err(error);
                    }
                }
                self
            }

            /// Writes each additional property after the fields (of a [`Fields::map`]).
            pub fn additional<V: ::serde::Serialize>(mut self, properties: &::std::collections::BTreeMap<String, V>) -> Self {
                use ::serde::ser::SerializeMap as _;
                if let Ok(Writer::Map(entries)) = &mut self.0 {
                    let written = properties.iter().try_for_each(|(key, value)| entries.serialize_entry(key, value));
                    if let Err(error) = written {
                        self.0 = Err(error);
                    }
                }
                self
            }

            pub fn end(self) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::{SerializeMap as _, SerializeStruct as _};
                match self.0? {
                    Writer::Struct(fields) => fields.end(),
                    Writer::Map(entries) => entries.end(),
                }
            }
        }

        /// A struct decoded from a JSON object by [`deserialize_object`], one key at a time.
        #[doc(hidden)]
        pub trait Object: Sized {
            /// What a value of another JSON type is told was expected: `struct Name`.
            const EXPECTING: &'static str;

            /// Reads every entry of the object and builds the value.
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> ::std::result::Result<Self, A::Error>;
        }

        /// Decodes an [`Object`] from a JSON object.
        #[doc(hidden)]
        pub fn deserialize_object<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
        where
            D: ::serde::Deserializer<'de>,
            T: Object,
        {
            struct Visitor<T>(::std::marker::PhantomData<T>);

            impl<'de, T: Object> ::serde::de::Visitor<'de> for Visitor<T> {
                type Value = T;

                fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    formatter.write_str(T::EXPECTING)
                }

                fn visit_map<A: ::serde::de::MapAccess<'de>>(self, map: A) -> ::std::result::Result<T, A::Error> {
                    T::from_map(map)
                }
            }

            deserializer.deserialize_map(Visitor(::std::marker::PhantomData))
        }

        /// A key of a JSON object, borrowed from the input where the input allows.
        #[doc(hidden)]
        pub struct Key<'de>(::std::borrow::Cow<'de, str>);

        impl Key<'_> {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Key<'de> {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = Key<'de>;

                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str("a field name")
                    }

                    fn visit_borrowed_str<E: ::serde::de::Error>(self, key: &'de str) -> ::std::result::Result<Key<'de>, E> {
                        Ok(Key(::std::borrow::Cow::Borrowed(key)))
                    }

                    fn visit_str<E: ::serde::de::Error>(self, key: &str) -> ::std::result::Result<Key<'de>, E> {
                        Ok(Key(::std::borrow::Cow::Owned(key.to_owned())))
                    }

                    fn visit_string<E: ::serde::de::Error>(self, key: String) -> ::std::result::Result<Key<'de>, E> {
                        Ok(Key(::std::borrow::Cow::Owned(key)))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }

        /// Decodes the value of the field `name` into its empty `slot`.
        #[doc(hidden)]
        pub fn field<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> ::std::result::Result<(), A::Error>
        where
            A: ::serde::de::MapAccess<'de>,
            T: ::serde::Deserialize<'de>,
        {
            fill(map, slot, name, |value: T| value)
        }

        /// Decodes the value of an optional field that tells absent from `null`: whatever is
        /// sent, `null` included, is `Some` (`Some(None)`, `Some(Value::Null)`).
        #[doc(hidden)]
        pub fn present<'de, A, T>(map: &mut A, slot: &mut Option<Option<T>>, name: &'static str) -> ::std::result::Result<(), A::Error>
        where
            A: ::serde::de::MapAccess<'de>,
            T: ::serde::Deserialize<'de>,
        {
            fill(map, slot, name, Some)
        }

        /// Puts the decoded value, as `wrap` makes it, into `slot`; a second value for the same
        /// field is a `duplicate field` error.
        fn fill<'de, A, T, U>(
            map: &mut A,
            slot: &mut Option<U>,
            name: &'static str,
            wrap: impl FnOnce(T) -> U,
        ) -> ::std::result::Result<(), A::Error>
        where
            A: ::serde::de::MapAccess<'de>,
            T: ::serde::Deserialize<'de>,
        {
            if slot.is_some() {
                return Err(<A::Error as ::serde::de::Error>::duplicate_field(name));
            }
            let entered = enter_key(name);
            let value = map.next_value();
            leave_key(entered);
            *slot = Some(wrap(value?));
            Ok(())
        }

        /// The value of a field that has no default: decoded, or what its type makes of
        /// nothing (`None` for an `Option`, else a `missing field` error).
        #[doc(hidden)]
        pub fn required<'de, T, E>(slot: Option<T>, name: &'static str) -> ::std::result::Result<T, E>
        where
            T: ::serde::Deserialize<'de>,
            E: ::serde::de::Error,
        {
            match slot {
                Some(value) => Ok(value),
                None => T::deserialize(Missing(name, ::std::marker::PhantomData)),
            }
        }

        /// Stands for an absent field: an `Option` decodes from it as `None`, anything else
        /// fails with `missing field`.
        struct Missing<E>(&'static str, ::std::marker::PhantomData<E>);

        impl<'de, E: ::serde::de::Error> ::serde::Deserializer<'de> for Missing<E> {
            type Error = E;

            fn deserialize_any<V: ::serde::de::Visitor<'de>>(self, _visitor: V) -> ::std::result::Result<V::Value, E> {
                Err(E::missing_field(self.0))
            }

            fn deserialize_option<V: ::serde::de::Visitor<'de>>(self, visitor: V) -> ::std::result::Result<V::Value, E> {
                visitor.visit_none()
            }

            ::serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct
                enum identifier ignored_any
            }
        }

        /// Skips the value of a key the type does not name.
        #[doc(hidden)]
        pub fn skip<'de, A: ::serde::de::MapAccess<'de>>(map: &mut A) -> ::std::result::Result<(), A::Error> {
            map.next_value::<::serde::de::IgnoredAny>().map(drop)
        }

        /// Skips the value of a key the type does not declare, noting it as drift if a
        /// client is reading a response.
        #[doc(hidden)]
        pub fn skip_undeclared<'de, A: ::serde::de::MapAccess<'de>>(
            map: &mut A,
            type_name: &'static str,
            key: &str,
        ) -> ::std::result::Result<(), A::Error> {
            undeclared_key(type_name, key);
            skip(map)
        }

        /// Keeps the value of a key the type does not name among its additional properties.
        #[doc(hidden)]
        pub fn additional<'de, A, T>(
            map: &mut A,
            additional: &mut ::std::collections::BTreeMap<String, T>,
            key: Key<'de>,
        ) -> ::std::result::Result<(), A::Error>
        where
            A: ::serde::de::MapAccess<'de>,
            T: ::serde::Deserialize<'de>,
        {
            let entered = enter_owned_key(key.as_str());
            let value = map.next_value();
            leave_key(entered);
            additional.insert(key.0.into_owned(), value?);
            Ok(())
        }

        /// The error for a key a closed object does not name.
        #[doc(hidden)]
        pub fn unknown<E: ::serde::de::Error>(key: &str, expected: &'static [&'static str]) -> ::std::result::Result<(), E> {
            Err(E::unknown_field(key, expected))
        }
    }
}
