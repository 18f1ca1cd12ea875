use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use super::drift::{enter_key, enter_owned_key, leave_key, undeclared_key};

/// Writes the fields of a struct, one call per field, keeping the first error: no
/// `?` to check per field, and `end` reports the error.
#[doc(hidden)]
pub struct Fields<S: serde::Serializer>(Result<Writer<S>, S::Error>);

enum Writer<S: serde::Serializer> {
    Struct(S::SerializeStruct),
    Map(S::SerializeMap),
}

impl<S: serde::Serializer> Fields<S> {
    /// A struct named `name`, `true` in `written` for each field that will be written.
    pub fn new(serializer: S, name: &'static str, written: &[bool]) -> Self {
        let len = written.iter().filter(|&&written| written).count();
        Fields(serializer.serialize_struct(name, len).map(Writer::Struct))
    }

    /// A struct with additional properties: a map of its fields, then those properties.
    pub fn map(serializer: S) -> Self {
        Fields(serializer.serialize_map(None).map(Writer::Map))
    }

    /// Writes the field `key`.
    pub fn required<T: ?Sized + serde::Serialize>(mut self, key: &'static str, value: &T) -> Self {
        use serde::ser::{SerializeMap as _, SerializeStruct as _};
        let written = match &mut self.0 {
            Ok(Writer::Struct(fields)) => fields.serialize_field(key, value),
            Ok(Writer::Map(entries)) => entries.serialize_entry(key, value),
            Err(_) => return self,
        };
        if let Err(error) = written {
            self.0 = Err(error);
        }
        self
    }

    /// Writes the optional field `key` if it is `Some`, else skips it.
    pub fn optional<T: serde::Serialize>(mut self, key: &'static str, value: &Option<T>) -> Self {
        use serde::ser::SerializeStruct as _;
        if value.is_some() {
            return self.required(key, value);
        }
        if let Ok(Writer::Struct(fields)) = &mut self.0 {
            if let Err(error) = fields.skip_field(key) {
                self.0 = Err(error);
            }
        }
        self
    }

    /// Writes the field `key` that tells absent from `null` if it is `Some` (even
    /// `Some(None)`, written as `null`), else skips it.
    pub fn present<T: serde::Serialize>(self, key: &'static str, value: &Option<T>) -> Self {
        self.optional(key, value)
    }

    /// Writes each additional property after the fields (of a [`Fields::map`]).
    pub fn additional<V: serde::Serialize>(mut self, properties: &BTreeMap<String, V>) -> Self {
        use serde::ser::SerializeMap as _;
        if let Ok(Writer::Map(entries)) = &mut self.0 {
            let written = properties
                .iter()
                .try_for_each(|(key, value)| entries.serialize_entry(key, value));
            if let Err(error) = written {
                self.0 = Err(error);
            }
        }
        self
    }

    pub fn end(self) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap as _, SerializeStruct as _};
        match self.0? {
            Writer::Struct(fields) => fields.end(),
            Writer::Map(entries) => entries.end(),
        }
    }
}

/// A struct decoded from a JSON object by [`deserialize_object`], one key at a time.
#[doc(hidden)]
pub trait Object: Sized {
    /// What a value of another JSON type is told was expected: `struct Name`.
    const EXPECTING: &'static str;

    /// Reads every entry of the object and builds the value.
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Decodes an [`Object`] from a JSON object.
#[doc(hidden)]
pub fn deserialize_object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Object,
{
    struct Visitor<T>(PhantomData<T>);

    impl<'de, T: Object> serde::de::Visitor<'de> for Visitor<T> {
        type Value = T;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str(T::EXPECTING)
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(Visitor(PhantomData))
}

/// A key of a JSON object, borrowed from the input where the input allows.
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a field name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// How a field of an `object!` table read as `required` is decoded: always written; its
/// value decoded, or what its type makes of nothing.
#[doc(hidden)]
pub mod required {
    use std::marker::PhantomData;

    use super::{Missing, fill};

    /// Decodes the value of the field `name` into its empty `slot`.
    pub fn read<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
        T: serde::Deserialize<'de>,
    {
        fill(map, slot, name, |value: T| value)
    }

    /// The field's value: decoded, or what its type makes of nothing (`None` for an
    /// `Option`, else a `missing field` error).
    pub fn take<'de, T, E>(slot: Option<T>, name: &'static str) -> Result<T, E>
    where
        T: serde::Deserialize<'de>,
        E: serde::de::Error,
    {
        match slot {
            Some(value) => Ok(value),
            None => T::deserialize(Missing(name, PhantomData)),
        }
    }
}

/// How a field of an `object!` table read as `optional` is decoded: an `Option`, written
/// when `Some`; absent or `null` is `None`.
#[doc(hidden)]
pub mod optional {
    pub use super::required::read;
}

/// How a field of an `object!` table read as `present` is decoded: an optional field that
/// tells absent from `null`, so whatever is sent, `null` included, is `Some` (`Some(None)`,
/// `Some(Value::Null)`); written when `Some`.
#[doc(hidden)]
pub mod present {
    use super::fill;

    /// Decodes the value of the field `name` into its empty `slot`, as `Some`.
    pub fn read<'de, A, T>(
        map: &mut A,
        slot: &mut Option<Option<T>>,
        name: &'static str,
    ) -> Result<(), A::Error>
    where
        A: serde::de::MapAccess<'de>,
        T: serde::Deserialize<'de>,
    {
        fill(map, slot, name, Some)
    }
}

/// Puts the decoded value, as `wrap` makes it, into `slot`; a second value for the same
/// field is a `duplicate field` error.
fn fill<'de, A, T, U>(
    map: &mut A,
    slot: &mut Option<U>,
    name: &'static str,
    wrap: impl FnOnce(T) -> U,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(<A::Error as serde::de::Error>::duplicate_field(name));
    }
    let entered = enter_key(name);
    let value = map.next_value();
    leave_key(entered);
    *slot = Some(wrap(value?));
    Ok(())
}

/// Stands for an absent field: an `Option` decodes from it as `None`, anything else
/// fails with `missing field`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: serde::de::Error> serde::Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// Skips the value of a key the type does not name.
#[doc(hidden)]
pub fn skip<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// Skips the value of a key the type does not declare, noting it as drift if a
/// client is reading a response.
#[doc(hidden)]
pub fn skip_undeclared<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    type_name: &'static str,
    key: &str,
) -> Result<(), A::Error> {
    undeclared_key(type_name, key);
    skip(map)
}

/// Keeps the value of a key the type does not name among its additional properties.
#[doc(hidden)]
pub fn additional<'de, A, T>(
    map: &mut A,
    additional: &mut BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error>
where
    A: serde::de::MapAccess<'de>,
    T: serde::Deserialize<'de>,
{
    let entered = enter_owned_key(key.as_str());
    let value = map.next_value();
    leave_key(entered);
    additional.insert(key.0.into_owned(), value?);
    Ok(())
}

/// The error for a key a closed object does not name.
#[doc(hidden)]
pub fn unknown<E: serde::de::Error>(key: &str, expected: &'static [&'static str]) -> Result<(), E> {
    Err(E::unknown_field(key, expected))
}
