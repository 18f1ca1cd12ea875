/// `value`, `From<i64>`, `FromStr`, `Display` and serde for an integer enum, from its table
/// of values: a line per value the spec lists, then the catch-all variant that keeps any
/// other value (and reports it as drift when decoded).
///
/// ```text
/// crate::common::int_enum! {
///     Level {
///         Low = 1;
///         Below = -1;
///     }
///     other Other;
/// }
/// ```
macro_rules! int_enum {
    (
        $name:ident {
            $($variant:ident = $value:literal;)*
        }
        other $other:ident;
    ) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$other(other),
                }
            }
        }

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

#[cfg(test)]
mod tests {
    /// Two listed values, one negative, and the catch-all.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Level {
        Low,
        Below,
        Other(i64),
    }

    crate::common::int_enum! {
        Level {
            Low = 1;
            Below = -1;
        }
        other Other;
    }

    #[test]
    fn listed_values_map_to_their_variants_both_ways() {
        for (value, level) in [(1, Level::Low), (-1, Level::Below)] {
            assert_eq!(Level::from(value), level);
            assert_eq!(level.value(), value);
            assert_eq!(level.to_string(), value.to_string());
            assert_eq!(value.to_string().parse::<Level>(), Ok(level));
            assert_eq!(serde_json::to_value(level).unwrap(), value);
            assert_eq!(serde_json::from_value::<Level>(value.into()).unwrap(), level);
        }
    }

    #[test]
    fn an_unlisted_value_is_kept() {
        let level: Level = serde_json::from_str("7").unwrap();
        assert_eq!(level, Level::Other(7));
        assert_eq!(serde_json::to_string(&level).unwrap(), "7");
    }

    #[test]
    fn a_value_of_another_type_is_refused() {
        assert!(serde_json::from_str::<Level>("\"1\"").is_err());
        assert!("one".parse::<Level>().is_err());
    }
}
