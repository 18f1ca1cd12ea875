use std::fmt;

pub use rust_decimal;

/// An exact decimal number, such as an amount of money (`format: decimal` in the spec).
///
/// It travels as a JSON number, never as a string: `3239.57` decodes to exactly
/// 3239.57 and encodes back as `3239.57`. A whole number keeps its form (`120` stays
/// `120`, `120.0` stays `120.0`). Exact for every value of up to 15 significant digits,
/// which JSON parsers read without rounding; a longer number is read as the nearest
/// float, and one that no decimal of 28 digits holds exactly is refused rather than
/// rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Decimal(pub rust_decimal::Decimal);

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Self(value)
    }
}

impl From<Decimal> for rust_decimal::Decimal {
    fn from(value: Decimal) -> Self {
        value.0
    }
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Self(rust_decimal::Decimal::from(value))
    }
}

impl std::str::FromStr for Decimal {
    type Err = rust_decimal::Error;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        value.parse().map(Self)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for Decimal {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use rust_decimal::prelude::ToPrimitive as _;
        if self.0.scale() == 0 {
            if let Some(value) = self.0.to_i64() {
                return serializer.serialize_i64(value);
            }
            if let Some(value) = self.0.to_i128() {
                return serializer.serialize_i128(value);
            }
        }
        match self.0.normalize().to_string().parse::<f64>() {
            Ok(value) if value.is_finite() => serializer.serialize_f64(value),
            _ => Err(<S::Error as serde::ser::Error>::custom(format_args!(
                "{} cannot be written as a JSON number",
                self.0
            ))),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Decimal {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number that fits an exact decimal (28 digits)")
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Decimal, E> {
                Ok(Decimal(value.into()))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Decimal, E> {
                Ok(Decimal(value.into()))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Decimal, E> {
                let text = value.to_string();
                let mut decimal = rust_decimal::Decimal::from_str_exact(&text)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Float(value), &self))?;
                if decimal.scale() == 0 {
                    decimal.rescale(1);
                }
                Ok(Decimal(decimal))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    fn round_trip(json: &str) -> String {
        let value: Decimal = serde_json::from_str(json).unwrap();
        serde_json::to_string(&value).unwrap()
    }

    #[test]
    fn amounts_decode_exactly_and_encode_as_written() {
        for json in [
            "3239.57",
            "0.1",
            "120",
            "120.0",
            "-0.05",
            "999999999999.99",
            "123456789012345",
        ] {
            assert_eq!(round_trip(json), json);
        }
        let value: Decimal = serde_json::from_str("3239.57").unwrap();
        assert_eq!(value.to_string(), "3239.57");
    }

    #[test]
    fn a_whole_number_beyond_64_bits_stays_whole() {
        let value: Decimal = "12345678901234567890123".parse().unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), "12345678901234567890123");
    }

    #[test]
    fn what_no_decimal_holds_is_refused_not_rounded() {
        let error = serde_json::from_str::<Decimal>("1e40").unwrap_err();
        assert!(error.to_string().contains("exact decimal"), "{error}");
        assert!(
            serde_json::from_str::<Decimal>("\"12.5\"").is_err(),
            "a string is not a number"
        );
    }
}
