//! Tokens for a use of a type. The prelude's `String`, `Vec`, `Option` and `Box` are used
//! bare, which keeps the generated code short to read and to compile: [`crate::names`]
//! never gives a spec type one of those names. Everything else is an absolute path.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::TypeRef;
use crate::names::Names;

/// Where the tokens are used: inside `models` the types are siblings, elsewhere they are
/// reached through `super::models`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Models,
    Client,
}

pub fn ty(names: &Names, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(&names.types[id.0]);
            match scope {
                Scope::Models => quote!(#name),
                Scope::Client => quote!(super::models::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Decimal => quote!(crate::common::Decimal),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Base64 => quote!(crate::common::Base64),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Vec(item) => {
            let item = self::ty(names, item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Nullable(inner) => {
            let inner = self::ty(names, inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::Map(value) => {
            let value = self::ty(names, value, scope);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
    }
}

/// An identifier made by [`crate::names`], raw (`r#type`) where it is a keyword.
/// `Some(value)` as a Rust expression, or `None`.
pub fn optional(value: Option<impl quote::ToTokens>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}
