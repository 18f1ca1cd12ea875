/// A model struct, with `Serialize`, `Deserialize` and [`Object`](crate::common::Object),
/// from its table: the struct's docs and attributes, then one line per field, in the order
/// they are written, each after its own docs and attributes.
///
/// ```text
/// crate::common::object! {
///     /// A pet.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Pet {
///         /// What it answers to.
///         required name: String = "name";
///         optional tag: Option<String> = "tag" | "label";
///         present nick: Option<Option<String>> = "nick";
///     }
///     refuse;
/// }
/// ```
///
/// The struct is defined with a public member per line, of the line's type. Each line
/// gives how the field is read, its member, its type and its wire name (then any other name
/// it is read under):
/// - `required`: always written; decoded, or what its type makes of nothing (`None` for an
///   `Option`, else `missing field`);
/// - `optional`: an `Option`, written only when `Some`; absent or `null` is `None`;
/// - `present`: an `Option` that tells absent (`None`) from a value sent, `null` included
///   (`Some(None)`, `Some(Value::Null)`); written only when `Some`.
///
/// The last line says what becomes of a key the table does not name: `report` skips it and
/// notes it as drift, `skip` skips it silently (an object that declares no field), `refuse`
/// is an `unknown field` error (a closed object), and `keep member: Type;` keeps it in that
/// map member, the struct's last, written after the fields. It may end with `, ignore
/// "kind"`: a key read and dropped without a word, the tag a member of a discriminated union
/// leaves to its union, so that the member decoded on its own (a documented example of it,
/// say) takes its own tag, even closed.
///
/// A line's first word names the module of `objects.rs` that reads such a field
/// (`crate::common::optional::read`). Whether it is written and how its value is taken are
/// two rules of this macro, so that a required field costs `true` and a `?`, and an optional
/// one `is_some` and `unwrap_or_default`, as written out by hand: a generic call per field
/// in their place cost github.json's crate 1.3 s more borrow checking. The impls touch every
/// field, deprecated ones included, hence their `allow(deprecated)`. The field types are
/// named inside `from_map`, whose map type is `__A`, a name no model can take. Attributes
/// are matched as token trees, not parsed: a large API's models carry tens of thousands of
/// doc lines.
macro_rules! object {
    (@written required $($value:tt)*) => {
        true
    };
    (@written $kind:ident $($value:tt)*) => {
        $($value)*.is_some()
    };
    (@value required $slot:ident $wire:literal) => {
        crate::common::required::take::<_, __A::Error>($slot, $wire)?
    };
    (@value $kind:ident $slot:ident $wire:literal) => {
        $slot.unwrap_or_default()
    };
    (@start $serializer:ident $name:ident [$($written:tt)*] keep) => {
        crate::common::Fields::map($serializer)
    };
    (@start $serializer:ident $name:ident [$($written:tt)*] $others:ident) => {
        crate::common::Fields::new($serializer, ::std::stringify!($name), &[$($written)*])
    };
    (@others $map:ident $key:ident $name:ident [$($wire:literal)*] report) => {
        crate::common::skip_undeclared(&mut $map, ::std::stringify!($name), $key.as_str())
    };
    (@others $map:ident $key:ident $name:ident [$($wire:literal)*] skip) => {
        crate::common::skip(&mut $map)
    };
    (@others $map:ident $key:ident $name:ident [$($wire:literal)*] refuse) => {
        crate::common::unknown($key.as_str(), &[$($wire),*])
    };
    (@others $map:ident $key:ident $name:ident [$($wire:literal)*] keep $extra:ident) => {
        crate::common::additional(&mut $map, &mut $extra, $key)
    };
    (
        $(#[$($attr:tt)*])*
        pub struct $name:ident {
            $(
                $(#[$($field_attr:tt)*])*
                $kind:ident $member:ident: $ty:ty = $wire:literal $(| $alias:literal)*;
            )*
        }
        $others:ident $($extra:ident: $extra_ty:ty)? $(, ignore $ignored:literal)?;
    ) => {
        $(#[$($attr)*])*
        pub struct $name {
            $(
                $(#[$($field_attr)*])*
                pub $member: $ty,
            )*
            $(
                /// Properties not named in the spec, kept as sent.
                pub $extra: $extra_ty,
            )?
        }

        impl ::serde::Serialize for $name {
            #[allow(deprecated)]
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                crate::common::object!(
                    @start serializer $name
                    [$(crate::common::object!(@written $kind self.$member),)*]
                    $others
                )
                $(.$kind($wire, &self.$member))*
                $(.additional(&self.$extra))?
                .end()
            }
        }

        impl crate::common::Object for $name {
            const EXPECTING: &'static str = ::std::concat!("struct ", ::std::stringify!($name));

            #[allow(deprecated)]
            fn from_map<'de, __A: ::serde::de::MapAccess<'de>>(
                mut map: __A,
            ) -> ::std::result::Result<Self, __A::Error> {
                $(let mut $member = ::std::option::Option::None::<$ty>;)*
                $(let mut $extra = <$extra_ty>::new();)?
                while let ::std::option::Option::Some(key) =
                    map.next_key::<crate::common::Key<'de>>()?
                {
                    match key.as_str() {
                        $($wire $(| $alias)* => crate::common::$kind::read(&mut map, &mut $member, $wire),)*
                        $($ignored => crate::common::skip(&mut map),)?
                        _ => crate::common::object!(
                            @others map key $name [$($wire $($alias)*)*] $others $($extra)?
                        ),
                    }?;
                }
                ::std::result::Result::Ok(Self {
                    $($member: crate::common::object!(@value $kind $member $wire),)*
                    $($extra,)?
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                crate::common::deserialize_object(deserializer)
            }
        }
    };
}

pub(crate) use object;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    crate::common::object! {
        /// `name` required, `tag` optional and also read as `label`, `nick` optional and
        /// told apart from `null`, closed to other keys.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Pet {
            /// What it answers to.
            required name: String = "name";
            optional tag: Option<String> = "tag" | "label";
            present nick: Option<Option<String>> = "nick";
        }
        refuse;
    }

    crate::common::object! {
        /// An open struct that keeps the keys it does not name; its member `map` is named
        /// like a local of the impls, which must not matter.
        #[derive(Debug, PartialEq)]
        pub struct Labels {
            required map: i64 = "id";
        }
        keep additional_properties: BTreeMap<String, String>;
    }

    crate::common::object! {
        /// A nullable required field, and a deprecated one.
        #[derive(Debug, PartialEq)]
        pub struct Note {
            required text: Option<String> = "text";
            #[deprecated = "deprecated in the spec"]
            optional old: Option<i64> = "old";
        }
        report;
    }

    crate::common::object! {
        /// An object that declares no field.
        #[derive(Debug, PartialEq)]
        pub struct Anything {}
        skip;
    }

    crate::common::object! {
        /// A closed member of a union tagged by `kind`, which leaves the tag to the union.
        #[derive(Debug, PartialEq)]
        pub struct Cat {
            required lives: i64 = "lives";
        }
        refuse, ignore "kind";
    }

    crate::common::object! {
        /// A closed object that declares no field.
        #[derive(Debug, PartialEq)]
        pub struct Nothing {}
        refuse;
    }

    crate::common::object! {
        /// A model named `A`, like the generic of a hand-written `from_map`.
        #[derive(Debug, PartialEq)]
        pub struct A {
            optional nothing: Option<Nothing> = "nothing";
        }
        refuse;
    }

    crate::common::object! {
        /// An object of nothing but other keys, each an `A`: `from_map` names that type.
        #[derive(Debug, PartialEq)]
        pub struct Bag {}
        keep additional_properties: BTreeMap<String, A>;
    }

    #[test]
    fn the_table_defines_the_struct_with_its_attributes_and_public_members() {
        // `Clone` comes from the table's derive; the members are public and typed as listed.
        let pet = Pet {
            name: "Rex".to_owned(),
            tag: Some("good".to_owned()),
            nick: Some(None),
        };
        assert_eq!(pet.clone(), pet);
        let Labels {
            map,
            additional_properties,
        } = serde_json::from_str(r#"{"id": 1}"#).unwrap();
        assert_eq!((map, additional_properties.len()), (1, 0));
    }

    #[test]
    fn optional_fields_are_left_out_when_none_and_null_is_kept_apart_from_absent() {
        let bare = Pet {
            name: "Rex".into(),
            tag: None,
            nick: None,
        };
        assert_eq!(serde_json::to_value(&bare).unwrap(), json!({"name": "Rex"}));
        let nulled = Pet {
            nick: Some(None),
            ..bare
        };
        assert_eq!(
            serde_json::to_value(&nulled).unwrap(),
            json!({"name": "Rex", "nick": null})
        );
        let read: Pet = serde_json::from_value(json!({"name": "Rex", "nick": null})).unwrap();
        assert_eq!(read, nulled);
    }

    #[test]
    fn a_field_is_read_under_its_other_names_and_written_under_its_own() {
        let pet: Pet = serde_json::from_value(json!({"name": "Rex", "label": "good"})).unwrap();
        assert_eq!(pet.tag.as_deref(), Some("good"));
        assert_eq!(
            serde_json::to_value(&pet).unwrap(),
            json!({"name": "Rex", "tag": "good"})
        );
    }

    #[test]
    fn decoding_gives_the_derives_error_messages() {
        let error = |json| serde_json::from_value::<Pet>(json).unwrap_err().to_string();
        assert_eq!(error(json!({})), "missing field `name`");
        assert_eq!(
            error(json!({"name": "Rex", "colour": "red"})),
            "unknown field `colour`, expected one of `name`, `tag`, `label`, `nick`"
        );
        assert_eq!(error(json!([1])), "invalid type: sequence, expected struct Pet");
        let twice = serde_json::from_str::<Pet>(r#"{"name": "a", "name": "b"}"#);
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .starts_with("duplicate field `name`")
        );
    }

    #[test]
    fn a_member_that_leaves_its_tag_to_its_union_takes_it_on_its_own_and_writes_it_not() {
        let cat: Cat = serde_json::from_value(json!({"kind": "cat", "lives": 9})).unwrap();
        assert_eq!(cat, Cat { lives: 9 });
        assert_eq!(serde_json::to_value(&cat).unwrap(), json!({"lives": 9}));
        let error = serde_json::from_value::<Cat>(json!({"lives": 9, "colour": "red"})).unwrap_err();
        assert_eq!(error.to_string(), "unknown field `colour`, expected `lives`");
    }

    #[test]
    fn kept_keys_are_written_after_the_fields() {
        let labels: Labels = serde_json::from_str(r#"{"tier": "gold", "id": 3}"#).unwrap();
        assert_eq!(labels.map, 3);
        assert_eq!(labels.additional_properties["tier"], "gold");
        let written = serde_json::to_string(&labels).unwrap();
        assert_eq!(written, r#"{"id":3,"tier":"gold"}"#);
    }

    #[test]
    #[allow(deprecated)]
    fn a_required_nullable_field_may_be_absent_and_others_are_skipped() {
        let note: Note = serde_json::from_value(json!({"old": 2, "new": true})).unwrap();
        assert_eq!(
            note,
            Note {
                text: None,
                old: Some(2)
            }
        );
        assert_eq!(
            serde_json::to_value(&note).unwrap(),
            json!({"text": null, "old": 2})
        );
    }

    #[test]
    fn an_object_that_declares_nothing_takes_any_keys_and_writes_none() {
        let read: Anything = serde_json::from_value(json!({"a": 1, "b": [2]})).unwrap();
        assert_eq!(serde_json::to_value(&read).unwrap(), json!({}));
    }

    #[test]
    fn a_closed_object_that_declares_nothing_refuses_its_first_key() {
        let error = serde_json::from_value::<Nothing>(json!({"a": 1})).unwrap_err();
        assert_eq!(error.to_string(), "unknown field `a`, there are no fields");
        assert_eq!(serde_json::from_value::<Nothing>(json!({})).unwrap(), Nothing {});
    }

    #[test]
    fn an_object_of_other_keys_only_keeps_them_all() {
        let text = r#"{"x": {"nothing": {}}, "y": {}}"#;
        let bag: Bag = serde_json::from_str(text).unwrap();
        assert_eq!(bag.additional_properties["x"].nothing, Some(Nothing {}));
        assert_eq!(
            serde_json::to_string(&bag).unwrap(),
            r#"{"x":{"nothing":{}},"y":{}}"#
        );
    }
}
