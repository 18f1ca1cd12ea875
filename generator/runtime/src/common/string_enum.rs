/// `as_str`, `From<&str>`, `FromStr`, `Display` and serde for a string enum, from its table
/// of values: a line per value the spec lists, then the catch-all variant that keeps any
/// other value verbatim (and reports it as drift when decoded).
///
/// ```text
/// crate::common::string_enum! {
///     Status {
///         Active = "active";
///         OnHold = "on hold";
///     }
///     other Other;
/// }
/// ```
macro_rules! string_enum {
    (
        $name:ident {
            $($variant:ident = $wire:literal;)*
        }
        other $other:ident;
    ) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$other(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$other(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

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

#[cfg(test)]
mod tests {
    /// Two listed values and the catch-all.
    #[derive(Debug, Clone, PartialEq)]
    enum Status {
        Active,
        OnHold,
        Other(String),
    }

    crate::common::string_enum! {
        Status {
            Active = "active";
            OnHold = "on hold";
        }
        other Other;
    }

    #[test]
    fn listed_values_map_to_their_variants_both_ways() {
        for (wire, status) in [("active", Status::Active), ("on hold", Status::OnHold)] {
            assert_eq!(Status::from(wire), status);
            assert_eq!(status.as_str(), wire);
            assert_eq!(status.to_string(), wire);
            assert_eq!(wire.parse::<Status>(), Ok(status.clone()));
            assert_eq!(serde_json::to_value(&status).unwrap(), wire);
            assert_eq!(serde_json::from_value::<Status>(wire.into()).unwrap(), status);
        }
    }

    #[test]
    fn an_unlisted_value_is_kept_verbatim() {
        let status: Status = serde_json::from_str("\"Paused\"").unwrap();
        assert_eq!(status, Status::Other("Paused".to_owned()));
        assert_eq!(status.as_str(), "Paused");
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"Paused\"");
    }

    #[test]
    fn a_value_of_another_type_is_refused() {
        assert!(serde_json::from_str::<Status>("1").is_err());
    }
}
