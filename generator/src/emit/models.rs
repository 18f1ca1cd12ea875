//! `models.rs`: one Rust type per IR type definition.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::{Scope, ident, ty};
use crate::ir::{Api, EnumValue, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::names::{Names, unraw};

pub fn models(api: &Api, names: &Names) -> TokenStream {
    let module_docs = docs::inner_attrs(&[format!("Data types of {}.", api.title)]);
    let items = api.types.iter().enumerate().map(|(index, def)| {
        let name = ident(&names.types[index]);
        let members = &names.members[index];
        let doc = docs::attrs(&def.docs, &[]);
        match &def.kind {
            TypeKind::Struct(s) => structure(names, &name, doc, s, members),
            TypeKind::StringEnum(values) => string_enum(&name, doc, values, members),
            TypeKind::Untagged(variants) => untagged(api, names, &name, doc, variants, members),
            TypeKind::Alias(target) => {
                let target = ty(names, target, Scope::Models);
                quote! { #doc pub type #name = #target; }
            }
        }
    });
    quote! {
        #module_docs
        #(#items)*
    }
}

fn structure(
    names: &Names,
    name: &proc_macro2::Ident,
    doc: TokenStream,
    s: &Struct,
    members: &[String],
) -> TokenStream {
    let fields = s.fields.iter().zip(members).map(|(field, member)| {
        let field_name = ident(member);
        let mut inner = ty(names, &field.ty, Scope::Models);
        if field.boxed {
            inner = quote!(::std::boxed::Box<#inner>);
        }
        let doc = docs::attrs(&field.docs, &[]);
        let rename = rename(member, &field.wire.0);
        let (field_ty, serde) = if field.required && !field.nullable {
            (inner, quote!())
        } else if field.required {
            (quote!(::std::option::Option<#inner>), quote!())
        } else {
            (
                quote!(::std::option::Option<#inner>),
                quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]),
            )
        };
        quote! {
            #doc
            #rename
            #serde
            pub #field_name: #field_ty,
        }
    });
    let additional = s.additional.as_ref().map(|value| {
        let field_name = ident(&members[s.fields.len()]);
        let value = ty(names, value, Scope::Models);
        quote! {
            /// Properties not named in the spec, kept as sent.
            #[serde(flatten)]
            pub #field_name: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    quote! {
        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn rename(member: &str, wire: &str) -> TokenStream {
    if unraw(member) == wire {
        quote!()
    } else {
        quote!(#[serde(rename = #wire)])
    }
}

fn string_enum(
    name: &proc_macro2::Ident,
    doc: TokenStream,
    values: &[EnumValue],
    members: &[String],
) -> TokenStream {
    let variants: Vec<_> = members[..values.len()].iter().map(|m| ident(m)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.0.as_str()).collect();
    let other = ident(&members[values.len()]);
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #doc
        ///
        /// Values the spec does not list decode into the catch-all variant and encode back
        /// unchanged.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec does not list, kept verbatim.
            #other(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#other(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
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
    members: &[String],
) -> TokenStream {
    let arms = variants.iter().zip(members).map(|(variant, member)| {
        let variant_name = ident(member);
        let mut inner = ty(names, &variant.ty, Scope::Models);
        // Boxing aggregate variants keeps the enum small and breaks cycles.
        if variant.boxed || is_aggregate(api, &variant.ty) {
            inner = quote!(::std::boxed::Box<#inner>);
        }
        let doc = docs::attrs(&variant.docs, &[]);
        quote! { #doc #variant_name(#inner), }
    });
    quote! {
        #doc
        ///
        /// Decoding tries each variant in order and keeps the first that fits.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#arms)*
        }
    }
}

fn is_aggregate(api: &Api, target: &TypeRef) -> bool {
    match target {
        TypeRef::Named(id) => {
            let def: &TypeDef = api.ty(*id);
            matches!(def.kind, TypeKind::Struct(_) | TypeKind::Untagged(_))
        }
        _ => false,
    }
}
