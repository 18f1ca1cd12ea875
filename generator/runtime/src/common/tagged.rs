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
