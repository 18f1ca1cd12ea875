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
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value the spec does not list, kept verbatim.
            #other(String),
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

        crate::common::string_enum!(#name, #other);
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

        crate::common::int_enum!(#name, #other);
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

/// The `macro_rules!` of `common.rs` that implement parsing, printing and serde for every
/// enum of values through its inherent methods, so each enum carries only its own mapping.
/// Kept as source text: formatters leave macro bodies on long run-on lines.
pub fn macros(uses: &super::Uses) -> String {
    let mut text = String::new();
    for (used, macro_text) in [
        (uses.string_enum, STRING_ENUM),
        (uses.int_enum, INT_ENUM),
        (uses.constant, CONSTANT),
    ] {
        if used {
            text.push_str(macro_text);
        }
    }
    text
}

const STRING_ENUM: &str = r#"
/// `FromStr`, `Display` and serde for a string enum, through its `as_str` and `From<&str>`.
macro_rules! string_enum {
    ($name:ident, $other:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                let parsed = Self::from(value.as_str());
                if let Self::$other(_) = &parsed {
                    crate::common::unlisted_value(::std::stringify!($name), &value);
                }
                ::std::result::Result::Ok(parsed)
            }
        }
    };
}
pub(crate) use string_enum;
"#;

const INT_ENUM: &str = r#"
/// `FromStr`, `Display` and serde for an integer enum, through its `value` and `From<i64>`.
macro_rules! int_enum {
    ($name:ident, $other:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
                let parsed = Self::from(value);
                if let Self::$other(_) = parsed {
                    crate::common::unlisted_value(::std::stringify!($name), &value);
                }
                ::std::result::Result::Ok(parsed)
            }
        }
    };
}
pub(crate) use int_enum;
"#;

const CONSTANT: &str = r#"
/// `Display` and serde for a single-value constant, through its `VALUE`.
macro_rules! constant {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: ::serde::Serializer,
            {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                if value == Self::VALUE {
                    ::std::result::Result::Ok(Self)
                } else {
                    let unexpected = ::serde::de::Unexpected::Str(&value);
                    ::std::result::Result::Err(<D::Error as ::serde::de::Error>::invalid_value(
                        unexpected,
                        &Self::VALUE,
                    ))
                }
            }
        }
    };
}
pub(crate) use constant;
"#;
