/// A union without a discriminator, from its table of variants: the enum, encoded as the
/// variant it holds, and decoded by trying each variant in order and keeping the first that
/// fits; when none does, the error says why each one failed.
///
/// ```text
/// crate::common::untagged! {
///     /// An id or a name.
///     pub enum Key {
///         /// A number.
///         Variant1(i64);
///         Variant2(String);
///     }
/// }
/// ```
///
/// A line per variant, in order, each after its docs. The value is read once and each
/// variant decoded from it by reference. What a variant
/// that does not fit noted as drift is forgotten: only the variant kept reports. Attributes
/// are matched as token trees, not parsed.
macro_rules! untagged {
    (
        $(#[$($attr:tt)*])*
        pub enum $name:ident {
            $(
                $(#[$($variant_attr:tt)*])*
                $variant:ident($ty:ty);
            )*
        }
    ) => {
        $(#[$($attr)*])*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum $name {
            $(
                $(#[$($variant_attr)*])*
                $variant($ty),
            )*
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let mut failures: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                let noted = crate::common::drift_mark();
                $(
                    match <$ty as ::serde::Deserialize>::deserialize(&value) {
                        ::std::result::Result::Ok(decoded) => {
                            return ::std::result::Result::Ok(Self::$variant(decoded));
                        }
                        ::std::result::Result::Err(error) => {
                            crate::common::drift_rewind(noted);
                            failures.push(::std::format!("{}: {}", ::std::stringify!($variant), error));
                        }
                    }
                )*
                ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(::std::format_args!(
                    "no variant of `{}` fits: {}",
                    ::std::stringify!($name),
                    failures.join("; ")
                )))
            }
        }
    };
}

pub(crate) use untagged;

#[cfg(test)]
mod tests {
    use serde_json::json;

    crate::common::untagged! {
        /// A number, a list of names, or an object with an id.
        pub enum Key {
            /// An id.
            Variant1(i64);
            Variant2(Vec<String>);
            Variant3(Box<Identified>);
        }
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Identified {
        id: i64,
    }

    #[test]
    fn the_first_variant_that_fits_is_kept_and_encodes_as_itself() {
        for (json, key) in [
            (json!(7), Key::Variant1(7)),
            (json!(["a", "b"]), Key::Variant2(vec!["a".into(), "b".into()])),
            (json!({"id": 3}), Key::Variant3(Box::new(Identified { id: 3 }))),
        ] {
            assert_eq!(serde_json::from_value::<Key>(json.clone()).unwrap(), key);
            assert_eq!(serde_json::to_value(&key).unwrap(), json);
        }
    }

    #[test]
    fn when_no_variant_fits_the_error_says_why_each_failed() {
        let error = serde_json::from_value::<Key>(json!({"id": "x"}))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("no variant of `Key` fits: Variant1: invalid type: map"),
            "{error}"
        );
        assert!(error.contains("; Variant2: invalid type: map"), "{error}");
        assert!(
            error.contains("; Variant3: invalid type: string \"x\", expected i64"),
            "{error}"
        );
    }
}
