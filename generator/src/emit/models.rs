//! `models.rs`: one Rust type per IR type definition.

use proc_macro2::TokenStream;
use quote::quote;

use super::objects;
use super::types::{Scope, ident, ty};
use super::{docs, enums, validate};
use serde_json::Value;

use crate::ir::{Api, Docs, Field, Struct, Tagged, TypeDef, TypeKind, TypeRef, Variant};
use crate::names::{Members, Names, unraw};

/// The model types with indexes in `range`, and the module docs if the range starts at 0.
/// `marks` says which types validate (see [`validate::validating`]).
pub fn models(api: &Api, names: &Names, marks: &[bool], range: std::ops::Range<usize>) -> TokenStream {
    let module_docs =
        (range.start == 0).then(|| docs::inner_attrs(&[format!("Data types of {}.", api.title)]));
    let items = range.map(|index| {
        let def = &api.types[index];
        let name = ident(&names.types[index]);
        let members = &names.members[index];
        let doc = docs::attrs(&def.docs, &[]);
        let validate = validate::method(api, names, index, marks);
        let item = match &def.kind {
            TypeKind::Struct(s) => structure(api, names, &name, doc, s, members),
            TypeKind::StringEnum(values) => enums::string_enum(&name, doc, values, members),
            TypeKind::IntEnum(values) => enums::int_enum(&name, doc, values, members),
            TypeKind::Constant(value) => enums::constant(&name, doc, value),
            TypeKind::Untagged(variants) => untagged(api, names, &name, doc, variants, members),
            TypeKind::Tagged(tagged) => self::tagged(names, &name, doc, tagged, members),
            TypeKind::Newtype(target) => {
                let target = ty(names, target, Scope::Models);
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    #[serde(transparent)]
                    pub struct #name(pub #target);
                }
            }
            TypeKind::Alias(target) => {
                let target = ty(names, target, Scope::Models);
                quote! { #doc pub type #name = #target; }
            }
            TypeKind::Tuple(elements) => {
                let items = elements.iter().map(|element| {
                    let item = ty(names, &element.ty, Scope::Models);
                    if element.boxed {
                        quote!(pub Box<#item>)
                    } else {
                        quote!(pub #item)
                    }
                });
                quote! {
                    #doc
                    #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    pub struct #name(#(#items),*);
                }
            }
        };
        quote! { #item #validate }
    });
    quote! {
        #module_docs
        #(#items)*
    }
}

fn structure(
    api: &Api,
    names: &Names,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    s: &Struct,
    members: &Members,
) -> TokenStream {
    let types: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| objects::field_type(api, names, f))
        .collect();
    // A struct of optional fields only can start empty: `Purchase { title, ..Default::default() }`.
    let defaults_to_empty = s.fields.iter().all(|f| !f.required || f.nullable);
    let derives: &[&str] = match defaults_to_empty {
        true => &["Debug", "Clone", "PartialEq", "Default"],
        false => &["Debug", "Clone", "PartialEq"],
    };
    let defaults: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&members.each)
        .filter_map(|(field, member)| default_getter(api, names, field, member))
        .collect();
    let getters = (!defaults.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#defaults)*
            }
        }
    });
    let table = objects::table(api, names, name, s, members, &types, (doc, derives));
    quote! {
        #table
        #getters
    }
}

/// `<field>_or_default()` for an optional field with a `default` the type can hold: the
/// value sent, or the default the server assumes when it is absent. The field itself stays
/// `None` when absent, so a round trip loses nothing.
fn default_getter(api: &Api, names: &Names, field: &Field, member: &str) -> Option<TokenStream> {
    let default = field.default.as_ref()?;
    if field.required || field.nullable || field.boxed {
        return None;
    }
    let field_name = ident(member);
    let getter = quote::format_ident!("{}_or_default", unraw(member).trim_end_matches('_'));
    let mut allow = quote!();
    let (ret, body) = match (&field.ty, default) {
        (TypeRef::String, Value::String(text)) => {
            (quote!(&str), quote!(self.#field_name.as_deref().unwrap_or(#text)))
        }
        (TypeRef::Bool, Value::Bool(flag)) => (quote!(bool), quote!(self.#field_name.unwrap_or(#flag))),
        (TypeRef::I32, Value::Number(n)) => {
            let n = i32::try_from(n.as_i64()?).ok()?;
            (quote!(i32), quote!(self.#field_name.unwrap_or(#n)))
        }
        (TypeRef::I64, Value::Number(n)) => {
            let n = n.as_i64()?;
            (quote!(i64), quote!(self.#field_name.unwrap_or(#n)))
        }
        (TypeRef::F64, Value::Number(n)) => {
            let n = n.as_f64()?;
            // A spec default such as 3.14159 is data, not a misspelt constant.
            allow = quote!(#[allow(clippy::approx_constant)]);
            (quote!(f64), quote!(self.#field_name.unwrap_or(#n)))
        }
        (TypeRef::Named(id), value) => {
            let ty = ty(names, &field.ty, Scope::Models);
            match (&api.definition(*id).1.kind, value) {
                (TypeKind::StringEnum(_), Value::String(text)) => (
                    quote!(#ty),
                    quote!(self.#field_name.clone().unwrap_or_else(|| #ty::from(#text))),
                ),
                (TypeKind::IntEnum(_), Value::Number(n)) => {
                    let n = n.as_i64()?;
                    (quote!(#ty), quote!(self.#field_name.unwrap_or(#ty::from(#n))))
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    let text = format!(
        "`{}` as sent, or `{default}`, which the server assumes when it is absent.",
        field.wire.0
    );
    let mut docs = Docs::from_parts([Some(text.as_str())]);
    // The getter of a deprecated field is deprecated too (which also lets it read the field).
    docs.deprecated = field.docs.deprecated;
    let doc = docs::attrs(&docs, &[]);
    // Deprecated for its callers; reading the deprecated field inside it is expected.
    let deprecated = field.docs.deprecated.then(|| {
        let attribute = docs::deprecated(&docs);
        quote!(#attribute #[allow(deprecated)])
    });
    Some(quote! {
        #doc
        #deprecated
        #allow
        pub fn #getter(&self) -> #ret {
            #body
        }
    })
}

fn tagged(
    names: &Names,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    tagged: &Tagged,
    members: &Members,
) -> TokenStream {
    let property = tagged.property.0.as_str();
    let variants: Vec<_> = members.each.iter().map(|m| ident(m)).collect();
    let tags: Vec<&str> = tagged.variants.iter().map(|v| v.tag.0.as_str()).collect();
    let other = ident(members.other());
    let type_name = name.to_string();
    // Members are boxed: they are structs, and boxing keeps the enum small.
    let arms = tagged
        .variants
        .iter()
        .zip(&variants)
        .map(|(variant, variant_name)| {
            let inner = ty(names, &variant.ty, Scope::Models);
            let doc = format!(" `{property}` is `{}`.", variant.tag.0);
            quote! { #[doc = #doc] #variant_name(Box<#inner>), }
        });
    let how = format!(
        " The `{property}` property tells the variants apart; an object whose `{property}` is missing or \
         not listed in the spec decodes into [`Self::{other}`], kept whole."
    );
    let other_doc = format!(" An object whose `{property}` this client does not know, kept as sent.");
    let decode = tagged.variants.iter().zip(&variants).map(|(variant, variant_name)| {
        let tag = variant.tag.0.as_str();
        let strip = !variant.keeps_tag;
        quote! {
            Some(#tag) => {
                crate::common::from_object(object, #property, #strip).map(|value| Self::#variant_name(Box::new(value)))
            }
        }
    });
    // A member that keeps the tag as a field writes it itself.
    let encode = tagged.variants.iter().zip(&variants).map(|(variant, variant_name)| {
        let tag = variant.tag.0.as_str();
        if variant.keeps_tag {
            quote! { Self::#variant_name(value) => value.serialize(serializer), }
        } else {
            quote! { Self::#variant_name(value) => Tagged { tag: #tag, value: &**value }.serialize(serializer), }
        }
    });
    let wrapper = tagged.variants.iter().any(|v| !v.keeps_tag).then(|| {
        quote! {
            #[derive(::serde::Serialize)]
            struct Tagged<'a, T> {
                #[serde(rename = #property)]
                tag: &'static str,
                #[serde(flatten)]
                value: &'a T,
            }
        }
    });
    let tag_doc = format!(" The value of the `{property}` tag, as on the wire.");
    quote! {
        #doc
        ///
        #[doc = #how]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#arms)*
            #[doc = #other_doc]
            #other(::serde_json::Map<String, ::serde_json::Value>),
        }

        impl #name {
            #[doc = #tag_doc]
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #( Self::#variants(_) => Some(#tags), )*
                    Self::#other(object) => object.get(#property).and_then(::serde_json::Value::as_str),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #wrapper
                match self {
                    #(#encode)*
                    Self::#other(object) => object.serialize(serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let object = <::serde_json::Map<String, ::serde_json::Value> as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = object.get(#property).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                match tag.as_deref() {
                    #(#decode)*
                    unlisted => {
                        if let Some(tag) = unlisted {
                            crate::common::unlisted_tag(#type_name, #property, tag);
                        }
                        Ok(Self::#other(object))
                    }
                }
            }
        }
    }
}

fn untagged(
    api: &Api,
    names: &Names,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    variants: &[Variant],
    members: &Members,
) -> TokenStream {
    let arms = variants.iter().zip(&members.each).map(|(variant, member)| {
        let variant_name = ident(member);
        let mut inner = ty(names, &variant.ty, Scope::Models);
        // Boxing aggregate variants keeps the enum small and breaks cycles.
        if variant.boxed || is_aggregate(api, &variant.ty) {
            inner = quote!(Box<#inner>);
        }
        let doc = docs::attrs(&variant.docs, &[]);
        quote! { #doc #variant_name(#inner); }
    });
    // The runtime's `untagged!` writes the enum's derives and its decoding, which tries
    // the variants in order.
    quote! {
        crate::common::untagged! {
            #doc
            ///
            /// Decoding tries each variant in order and keeps the first that fits; when none
            /// does, the error says why each one failed.
            pub enum #name {
                #(#arms)*
            }
        }
    }
}

fn is_aggregate(api: &Api, target: &TypeRef) -> bool {
    match target {
        TypeRef::Named(id) => {
            let (_, def): (_, &TypeDef) = api.definition(*id);
            matches!(
                def.kind,
                TypeKind::Struct(_) | TypeKind::Untagged(_) | TypeKind::Tagged(_)
            )
        }
        _ => false,
    }
}
