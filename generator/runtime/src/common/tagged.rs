/// Decodes the member of a discriminated union from its object; without the tag
/// `property` when `strip` (the union carries it), else with it (the member has it
/// as a field).
#[doc(hidden)]
pub fn from_object<T, E>(
    mut object: serde_json::Map<String, serde_json::Value>,
    property: &str,
    strip: bool,
) -> Result<T, E>
where
    T: serde::de::DeserializeOwned,
    E: serde::de::Error,
{
    let tag = if strip {
        object.remove(property)
    } else {
        object.get(property).cloned()
    };
    serde_json::from_value(serde_json::Value::Object(object)).map_err(|error| match tag {
        Some(serde_json::Value::String(tag)) => E::custom(format_args!("`{property}` `{tag}`: {error}")),
        _ => E::custom(error),
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::from_object;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Card {
        last4: String,
    }

    fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn the_tag_is_taken_out_when_the_union_carries_it() {
        let card: Result<Card, serde_json::Error> =
            from_object(object(json!({"type": "card", "last4": "4242"})), "type", true);
        assert_eq!(card.unwrap(), Card { last4: "4242".into() });
    }

    #[test]
    fn an_error_names_the_tag_it_was_decoding() {
        let card: Result<Card, serde_json::Error> =
            from_object(object(json!({"type": "card"})), "type", true);
        let error = card.unwrap_err().to_string();
        assert!(
            error.starts_with("`type` `card`: missing field `last4`"),
            "{error}"
        );
    }
}
