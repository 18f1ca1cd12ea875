//! Enums of values: string and integer enums with a catch-all, and constants. An enum's
//! definition is written out; its conversions come from a table of its values, the runtime's
//! `string_enum!` or `int_enum!`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::types::ident;
use crate::ir::{EnumValue, IntValue, WireName};
use crate::names::Members;

pub fn string_enum(name: &Ident, doc: TokenStream, values: &[EnumValue], members: &Members) -> TokenStream {
    let variants: Vec<_> = members.each.iter().map(|m| ident(m)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.0.as_str()).collect();
    let other = ident(members.other());
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #doc
        ///
        /// Values the spec does not list decode into the catch-all variant and encode back
        /// unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec does not list, kept verbatim.
            #other(String),
        }

        crate::common::string_enum! {
            #name {
                #( #variants = #wires; )*
            }
            other #other;
        }
    }
}

pub fn int_enum(name: &Ident, doc: TokenStream, values: &[IntValue], members: &Members) -> TokenStream {
    let variants: Vec<_> = members.each.iter().map(|m| ident(m)).collect();
    let numbers: Vec<Literal> = values.iter().map(|v| Literal::i64_unsuffixed(v.value)).collect();
    let other = ident(members.other());
    let variant_docs = numbers.iter().map(|n| format!(" `{n}`"));
    quote! {
        #doc
        ///
        /// Values the spec does not list decode into the catch-all variant and encode back
        /// unchanged.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec does not list, kept verbatim.
            #other(i64),
        }

        crate::common::int_enum! {
            #name {
                #( #variants = #numbers; )*
            }
            other #other;
        }
    }
}

pub fn constant(name: &Ident, doc: TokenStream, value: &WireName) -> TokenStream {
    let value = value.0.as_str();
    let always = format!(" Always `{value}` on the wire: decoding any other value fails.");
    quote! {
        #doc
        ///
        #[doc = #always]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct #name;

        impl #name {
            /// The one value, as sent on the wire.
            pub const VALUE: &'static str = #value;

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        crate::common::constant!(#name);
    }
}
