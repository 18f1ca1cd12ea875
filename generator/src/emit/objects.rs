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
//! The struct and those impls are written by the runtime's `object!` macro
//! (`generator/runtime/src/common/object.rs`) from a table of the struct's fields, one line
//! each with its docs, which is all a model carries: the impls read the same for every
//! struct, and spelling them out (and the struct's fields a second time) made up most of a
//! large API's generated code and of the time to generate it.
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

use super::docs;
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

    /// The word of the field's line in a table of `object!`.
    fn word(&self) -> Ident {
        let word = match self {
            Decode::Required => "required",
            Decode::Optional => "optional",
            Decode::Present => "present",
        };
        format_ident!("{word}")
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

/// The struct `name`, with `Serialize`, `Deserialize` and `Object`: an invocation of the
/// runtime's `object!` with the struct's table. `doc` and `derives` are the struct's, then
/// a line per field (its docs, how it is read, its member, its type from [`field_type`] in
/// `types`, its wire names), then what becomes of a key the table does not name. `members`
/// are the struct's field names, the additional-properties map last when it has one.
pub fn table(
    api: &Api,
    names: &Names,
    name: &Ident,
    s: &Struct,
    members: &Members,
    types: &[TokenStream],
    (doc, derives): (TokenStream, &[&str]),
) -> TokenStream {
    let lines = s
        .fields
        .iter()
        .zip(&members.each)
        .zip(types)
        .map(|((field, member), field_ty)| {
            let doc = docs::attrs(&field.docs, &[]);
            let deprecated = docs::deprecated(&field.docs);
            let word = Decode::of(api, field).word();
            let member = ident(member);
            let wire = field.wire.0.as_str();
            let aliases = field.aliases.iter().map(|alias| alias.0.as_str());
            quote!(#doc #deprecated #word #member: #field_ty = #wire #(| #aliases)*;)
        });
    let others = if let Some((value, member)) = s.additional.as_ref().zip(members.additional.as_ref()) {
        let member = ident(member);
        let value = ty(names, value, Scope::Models);
        quote!(keep #member: ::std::collections::BTreeMap<String, #value>)
    } else if s.closed {
        quote!(refuse)
    } else if s.fields.is_empty() {
        // An object that declares nothing takes anything: no key is drift.
        quote!(skip)
    } else {
        quote!(report)
    };
    let derives = derives.iter().map(|derive| ident(derive));
    let ignore = s.left_tag.as_ref().map(|tag| {
        let tag = tag.0.as_str();
        quote!(, ignore #tag)
    });
    quote! {
        crate::common::object! {
            #doc
            #[derive(#(#derives),*)]
            pub struct #name {
                #(#lines)*
            }
            #others #ignore;
        }
    }
}
