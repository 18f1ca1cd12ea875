//! `common.rs`: the types and serde helpers that every API module of a crate shares, and
//! the dependencies they need. Only what some API uses is emitted.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ir::{Api, TypeKind, TypeRef};

/// What the APIs of one crate need from the support module and from dependencies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uses {
    pub decimal: bool,
    /// Some struct is decoded from an object (see `objects`).
    pub objects: bool,
    pub tagged: bool,
    pub chrono: bool,
    pub base64: bool,
    /// Some API has operations, so the client runtime is needed.
    pub client: bool,
    pub uuid: bool,
    /// The kinds of enum of values some API has, each implemented by a macro.
    pub string_enum: bool,
    pub int_enum: bool,
    pub constant: bool,
}

impl Uses {
    pub fn of<'a>(apis: impl IntoIterator<Item = &'a Api>) -> Uses {
        let mut uses = Uses::default();
        for api in apis {
            for def in &api.types {
                match &def.kind {
                    TypeKind::Struct(s) => {
                        uses.objects = true;
                        for field in &s.fields {
                            uses.add(&field.ty);
                        }
                        if let Some(additional) = &s.additional {
                            uses.add(additional);
                        }
                    }
                    TypeKind::Untagged(variants) => variants.iter().for_each(|v| uses.add(&v.ty)),
                    TypeKind::Tagged(_) => uses.tagged = true,
                    TypeKind::Alias(ty) | TypeKind::Newtype(ty) => uses.add(ty),
                    TypeKind::StringEnum(_) => uses.string_enum = true,
                    TypeKind::IntEnum(_) => uses.int_enum = true,
                    TypeKind::Constant(_) => uses.constant = true,
                }
            }
            uses.client |= !api.operations.is_empty();
            for op in &api.operations {
                op.params.iter().for_each(|p| uses.add(&p.ty));
                op.body.iter().for_each(|b| uses.add(&b.ty));
                op.responses
                    .iter()
                    .filter_map(|r| r.body.as_ref())
                    .for_each(|ty| uses.add(ty));
            }
        }
        uses
    }

    fn add(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Decimal => self.decimal = true,
            TypeRef::Date | TypeRef::DateTime => self.chrono = true,
            TypeRef::Uuid => self.uuid = true,
            TypeRef::Base64 => self.base64 = true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => self.add(inner),
            _ => {}
        }
    }

    /// Whether the crate needs a support module at all.
    pub fn module(&self) -> bool {
        self.decimal
            || self.objects
            || self.tagged
            || self.base64
            || self.client
            || self.string_enum
            || self.int_enum
            || self.constant
    }

    /// `[dependencies]` lines beyond reqwest, serde and serde_json.
    pub fn dependencies(&self) -> String {
        let mut lines = String::new();
        if self.base64 {
            lines.push_str(
                "base64 = { version = \"0.23\", default-features = false, features = [\"std\"] }\n",
            );
        }
        if self.chrono {
            lines.push_str(
                "chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }\n",
            );
        }
        if self.client {
            lines.push_str("httpdate = \"1\"\n");
            lines.push_str("serde_path_to_error = \"0.1\"\n");
            lines.push_str("tokio = { version = \"1\", default-features = false, features = [\"time\"] }\n");
            lines.push_str(
                "tracing = { version = \"0.1\", default-features = false, features = [\"std\"] }\n",
            );
        }
        if self.decimal {
            lines.push_str(
                "rust_decimal = { version = \"1\", default-features = false, features = [\"std\"] }\n",
            );
        }
        if self.uuid {
            lines.push_str(
                "uuid = { version = \"1\", default-features = false, features = [\"std\", \"serde\"] }\n",
            );
        }
        lines
    }
}

/// Tokens of `src/common.rs`.
pub fn module(uses: &Uses) -> TokenStream {
    let module_docs = docs::inner_attrs(&["Types and helpers shared by the API modules.".to_owned()]);
    let decimal = uses.decimal.then(decimal);
    let base64 = uses.base64.then(base64);
    let runtime = uses.client.then(super::runtime::runtime);
    // The crates behind the generated types, so callers build values without adding them.
    let chrono = uses.chrono.then(|| {
        quote!(
            pub use ::chrono;
        )
    });
    let uuid = uses.uuid.then(|| {
        quote!(
            pub use ::uuid;
        )
    });
    let objects = uses.objects.then(super::objects::support);
    // Whatever decodes notes drift; only a client reads responses and reports it.
    let decodes = uses.objects || uses.tagged || uses.string_enum || uses.int_enum || uses.client;
    let drift = decodes.then(super::drift::core);
    let drift_report = uses.client.then(super::drift::report);
    let tagged = uses.tagged.then(|| {
        quote! {
            /// Decodes the member of a discriminated union from its object; without the tag
            /// `property` when `strip` (the union carries it), else with it (the member has it
            /// as a field).
            #[doc(hidden)]
            pub fn from_object<T, E>(
                mut object: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                property: &str,
                strip: bool,
            ) -> ::std::result::Result<T, E>
            where
                T: ::serde::de::DeserializeOwned,
                E: ::serde::de::Error,
            {
                let tag = if strip { object.remove(property) } else { object.get(property).cloned() };
                ::serde_json::from_value(::serde_json::Value::Object(object)).map_err(|error| match tag {
                    ::std::option::Option::Some(::serde_json::Value::String(tag)) => {
                        E::custom(::std::format_args!("`{property}` `{tag}`: {error}"))
                    }
                    _ => E::custom(error),
                })
            }
        }
    });
    quote! {
        #module_docs
        #chrono
        #uuid
        #decimal
        #base64
        #runtime
        #drift
        #drift_report
        #objects
        #tagged
    }
}

fn base64() -> TokenStream {
    quote! {
        /// Bytes sent as base64 text (`format: byte` in the spec).
        ///
        /// The text is kept exactly as received, so a value the server sends comes back
        /// unchanged; [`Base64::decode`] gives the bytes.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::default::Default, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct Base64(pub ::std::string::String);

        impl ::std::fmt::Display for Base64 {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::convert::AsRef<str> for Base64 {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Base64 {
            /// Encodes `bytes` with the standard alphabet and padding (RFC 4648 section 4).
            pub fn encode(bytes: impl ::std::convert::AsRef<[u8]>) -> Self {
                use ::base64::Engine as _;
                Self(::base64::engine::general_purpose::STANDARD.encode(bytes))
            }

            /// The bytes. Accepts the standard and the URL-safe alphabet, with or without
            /// padding, since servers differ.
            pub fn decode(&self) -> ::std::result::Result<::std::vec::Vec<u8>, ::base64::DecodeError> {
                use ::base64::Engine as _;
                use ::base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
                let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
                let alphabet = if self.0.contains(['-', '_']) {
                    &::base64::alphabet::URL_SAFE
                } else {
                    &::base64::alphabet::STANDARD
                };
                GeneralPurpose::new(alphabet, config).decode(&self.0)
            }
        }
    }
}

fn decimal() -> TokenStream {
    quote! {
        pub use ::rust_decimal;

        /// An exact decimal number, such as an amount of money (`format: decimal` in the spec).
        ///
        /// It travels as a JSON number, never as a string: `3239.57` decodes to exactly
        /// 3239.57 and encodes back as `3239.57`. A whole number keeps its form (`120` stays
        /// `120`, `120.0` stays `120.0`). Exact for every value of up to 15 significant digits,
        /// which JSON parsers read without rounding; a longer number is read as the nearest
        /// float, and one that no decimal of 28 digits holds exactly is refused rather than
        /// rounded.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::std::cmp::PartialOrd, ::std::cmp::Ord, ::std::default::Default)]
        pub struct Decimal(pub ::rust_decimal::Decimal);

        impl ::std::convert::From<::rust_decimal::Decimal> for Decimal {
            fn from(value: ::rust_decimal::Decimal) -> Self {
                Self(value)
            }
        }

        impl ::std::convert::From<Decimal> for ::rust_decimal::Decimal {
            fn from(value: Decimal) -> Self {
                value.0
            }
        }

        impl ::std::convert::From<i64> for Decimal {
            fn from(value: i64) -> Self {
                Self(::rust_decimal::Decimal::from(value))
            }
        }

        impl ::std::str::FromStr for Decimal {
            type Err = ::rust_decimal::Error;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                value.parse().map(Self)
            }
        }

        impl ::std::fmt::Display for Decimal {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::serde::Serialize for Decimal {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::rust_decimal::prelude::ToPrimitive as _;
                if self.0.scale() == 0 {
                    if let ::std::option::Option::Some(value) = self.0.to_i64() {
                        return serializer.serialize_i64(value);
                    }
                    if let ::std::option::Option::Some(value) = self.0.to_i128() {
                        return serializer.serialize_i128(value);
                    }
                }
                // Through the decimal text, which rounds correctly (`to_f64` does not for
                // every mantissa and scale).
                match self.0.normalize().to_string().parse::<f64>() {
                    ::std::result::Result::Ok(value) if value.is_finite() => serializer.serialize_f64(value),
                    _ => ::std::result::Result::Err(<S::Error as ::serde::ser::Error>::custom(
                        ::std::format_args!("{} cannot be written as a JSON number", self.0),
                    )),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Decimal {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = Decimal;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a number that fits an exact decimal (28 digits)")
                    }

                    fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<Decimal, E> {
                        ::std::result::Result::Ok(Decimal(value.into()))
                    }

                    fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<Decimal, E> {
                        ::std::result::Result::Ok(Decimal(value.into()))
                    }

                    fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<Decimal, E> {
                        // The shortest text that reads back as the same f64 is the number as
                        // written in the JSON (for up to 15 significant digits).
                        let text = value.to_string();
                        let mut decimal = ::rust_decimal::Decimal::from_str_exact(&text)
                            .map_err(|_| E::invalid_value(::serde::de::Unexpected::Float(value), &self))?;
                        // Written with a fraction (`120.0`): keep one, so it encodes as written.
                        if decimal.scale() == 0 {
                            decimal.rescale(1);
                        }
                        ::std::result::Result::Ok(Decimal(decimal))
                    }
                }

                deserializer.deserialize_any(Visitor)
            }
        }
    }
}
