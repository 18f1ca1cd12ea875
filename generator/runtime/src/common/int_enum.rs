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
