//! Enums of values: string and integer enums with a catch-all, and constants.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::ident;
use crate::ir::{EnumValue, IntValue, WireName};

pub fn string_enum(name: &Ident, doc: TokenStream, values: &[EnumValue], members: &[String]) -> TokenStream {
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

pub fn int_enum(name: &Ident, doc: TokenStream, values: &[IntValue], members: &[String]) -> TokenStream {
    let variants: Vec<_> = members[..values.len()].iter().map(|m| ident(m)).collect();
    let numbers: Vec<i64> = values.iter().map(|v| v.value).collect();
    let other = ident(&members[values.len()]);
    let variant_docs = numbers.iter().map(|n| format!(" `{n}`"));
    quote! {
        #doc
        ///
        /// Values the spec does not list decode into the catch-all variant and encode back
        /// unchanged.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec does not list, kept verbatim.
            #other(i64),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#variants => #numbers, )*
                    Self::#other(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #numbers => Self::#variants, )*
                    other => Self::#other(other),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::num::ParseIntError;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
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
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::default::Default)]
        pub struct #name;

        impl #name {
            /// The one value, as sent on the wire.
            pub const VALUE: &'static str = #value;

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                if value == Self::VALUE {
                    ::std::result::Result::Ok(Self)
                } else {
                    ::std::result::Result::Err(<D::Error as ::serde::de::Error>::invalid_value(
                        ::serde::de::Unexpected::Str(&value),
                        &Self::VALUE,
                    ))
                }
            }
        }
    }
}
