//! Encoding structs as JSON objects and decoding them from JSON objects.
//!
//! The serde derives write, for every struct, code that type-checks slowly: `Serialize` a
//! `?` and a call through the serializer's associated types per field, `Deserialize` a field
//! enum with its own visitor and `Deserialize` impl, a sequence visitor nobody needs for JSON
//! objects, and a map visitor that repeats each field's bookkeeping inline. Type-checking
//! that code was most of the compile time of a large API's models. Here each struct gets a
//! `Serialize` impl that is one chain of calls, and one small `Object` impl, a `let` and a
//! `match` arm per field; the bookkeeping of both lives once in the runtime
//! (`generator/runtime/src/common/objects.rs`).
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
use crate::names::{Members, Names};

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
pub fn serialize(api: &Api, name: &Ident, s: &Struct, members: &Members) -> TokenStream {
    let mut calls = Vec::with_capacity(s.fields.len());
    let mut required = 0_usize;
    let mut present = Vec::new();
    for (field, member) in s.fields.iter().zip(&members.each) {
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
    let (start, rest) = match members.additional.as_ref().filter(|_| s.additional.is_some()) {
        Some(member) => {
            let member = ident(member);
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
    members: &Members,
    types: &[TokenStream],
) -> TokenStream {
    let expecting = format!("struct {name}");
    let name_text = name.to_string();
    let mut slots = Vec::with_capacity(s.fields.len());
    let mut arms = Vec::with_capacity(s.fields.len());
    let mut values = Vec::with_capacity(s.fields.len());
    let mut wires = Vec::with_capacity(s.fields.len());
    for (index, ((field, member), field_ty)) in s.fields.iter().zip(&members.each).zip(types).enumerate() {
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
    let other = if let Some((value, member)) = s.additional.as_ref().zip(members.additional.as_ref()) {
        let member = ident(member);
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
pub(super) fn allow_deprecated(s: &Struct) -> Option<TokenStream> {
    s.fields
        .iter()
        .any(|f| f.docs.deprecated)
        .then(|| quote!(#[allow(deprecated)]))
}
