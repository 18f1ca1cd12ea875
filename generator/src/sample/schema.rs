//! Values made to fit a schema: its type and format, `enum`, `pattern`, length, range and
//! number of items, the properties it requires, one member of a union (its tag set), every
//! member of an `allOf` merged.

use serde_json::{Map, Value, json};

use super::pattern::matching;
use super::{MAX_DEPTH, Made, Sampler, Unmade, unmade};
use crate::error::JsonPointer;

impl Sampler<'_> {
    pub(super) fn make(&self, schema: &Value, at: &JsonPointer, depth: usize) -> Made {
        if depth > MAX_DEPTH {
            return Err(unmade(at, "a schema that requires itself, with no end"));
        }
        let (schema, at) = self.deref(schema, at)?;
        let object = match schema {
            Value::Bool(true) => return Ok(json!("sample")),
            Value::Object(object) => object,
            _ => return Err(unmade(&at, "a schema that admits no value")),
        };
        let keywords: &[&str] = if self.examples {
            &["example", "default", "const"]
        } else {
            &["default", "const"]
        };
        for keyword in keywords {
            if let Some(value) = object.get(*keyword) {
                return Ok(value.clone());
            }
        }
        if let Some(Value::Array(examples)) = object.get("examples").filter(|_| self.examples)
            && let Some(first) = examples.first()
        {
            return Ok(first.clone());
        }
        if let Some(Value::Array(values)) = object.get("enum")
            && let Some(first) = values.iter().find(|v| !v.is_null())
        {
            return Ok(first.clone());
        }
        if let Some(Value::Array(members)) = object.get("allOf") {
            let merged = self.merge(object, members, &at, depth)?;
            return self.make(&Value::Object(merged), &at, depth + 1);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = object.get(keyword) {
                return self.member(object, members, &at.push(keyword), depth);
            }
        }
        match kind(object) {
            Some("object") => self.object(object, &at, depth),
            Some("array") => self.array(object, &at, depth),
            Some("string") => string(object, &at),
            Some("integer") => number(object, &at, true),
            Some("number") => number(object, &at, false),
            Some("boolean") => Ok(json!(true)),
            Some("null") => Ok(Value::Null),
            // No type and nothing else that says one: any value fits.
            _ => Ok(json!("sample")),
        }
    }

    /// The keywords of `object` (beside its `allOf`) and of every member, merged: the
    /// properties and required names of all, any other keyword from the first that has it.
    fn merge(
        &self,
        object: &Map<String, Value>,
        members: &[Value],
        at: &JsonPointer,
        depth: usize,
    ) -> Result<Map<String, Value>, Unmade> {
        if depth > MAX_DEPTH {
            return Err(unmade(at, "an `allOf` that includes itself"));
        }
        let mut merged: Map<String, Value> = object
            .iter()
            .filter(|(k, _)| *k != "allOf")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (index, member) in members.iter().enumerate() {
            let (member, member_at) = self.deref(member, &at.push("allOf").push(index.to_string()))?;
            let Value::Object(member) = member else { continue };
            let member = match member.get("allOf") {
                Some(Value::Array(nested)) => self.merge(member, nested, &member_at, depth + 1)?,
                _ => member.clone(),
            };
            for (key, value) in member {
                match (key.as_str(), merged.get_mut(&key), value) {
                    ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                        for (name, property) in theirs {
                            mine.entry(name).or_insert(property);
                        }
                    }
                    ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                        mine.extend(
                            theirs
                                .into_iter()
                                .filter(|name| !mine.contains(name))
                                .collect::<Vec<_>>(),
                        );
                    }
                    (_, Some(_), _) => {}
                    (_, None, value) => {
                        merged.insert(key, value);
                    }
                }
            }
        }
        Ok(merged)
    }

    /// A value of the first member of a union that has one, tagged as the discriminator says.
    fn member(&self, union: &Map<String, Value>, members: &[Value], at: &JsonPointer, depth: usize) -> Made {
        let mut first_failure = None;
        // `oneOf` takes a value that fits one member only. Members that overlap for a value
        // sent as text (an integer or a string, for a path parameter `1` is both) are told
        // apart by a plain string's made value, which no number, date or pattern takes: so a
        // plain string member goes first.
        let mut order: Vec<usize> = (0..members.len()).collect();
        if union.contains_key("oneOf") {
            order.sort_by_key(|&index| !self.plain_string(&members[index], &at.push(index.to_string())));
        }
        for (index, member) in order.into_iter().map(|index| (index, &members[index])) {
            let member_at = at.push(index.to_string());
            match self.make(member, &member_at, depth + 1) {
                Ok(mut value) => {
                    if let (Some(property), Some(tag), Value::Object(fields)) =
                        (discriminator(union), tag_of(union, member), &mut value)
                    {
                        fields.insert(property.to_owned(), Value::String(tag));
                    }
                    // Properties written beside the union belong to every member.
                    if union.contains_key("properties") {
                        let mut own = union.clone();
                        own.remove("oneOf");
                        own.remove("anyOf");
                        own.remove("discriminator");
                        if let (Ok(Value::Object(extra)), Value::Object(fields)) =
                            (self.object(&own, at, depth + 1), &mut value)
                        {
                            for (key, field) in extra {
                                fields.entry(key).or_insert(field);
                            }
                        }
                    }
                    return Ok(value);
                }
                Err(failure) => {
                    first_failure.get_or_insert(failure);
                }
            }
        }
        Err(first_failure.unwrap_or_else(|| unmade(at, "a union without members")))
    }

    /// Whether `schema` (at `at`) is a string that only its type constrains.
    fn plain_string(&self, schema: &Value, at: &JsonPointer) -> bool {
        let Ok((Value::Object(object), _)) = self.deref(schema, at) else {
            return false;
        };
        kind(object) == Some("string")
            && ["format", "pattern", "enum", "const", "minLength", "maxLength"]
                .iter()
                .all(|keyword| !object.contains_key(*keyword))
    }

    /// An object of the properties the schema requires (those the server sets left out), and
    /// more if it asks for a least number of them.
    fn object(&self, object: &Map<String, Value>, at: &JsonPointer, depth: usize) -> Made {
        let empty = Map::new();
        let properties = object
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let least = object.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        let mut fields = Map::new();
        for name in &required {
            let Some(property) = properties.get(*name) else {
                // Required but not described: any value.
                fields.insert((*name).to_owned(), json!("sample"));
                continue;
            };
            if property.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            let value = self.make(property, &at.push("properties").push(*name), depth + 1)?;
            fields.insert((*name).to_owned(), value);
        }
        for (name, property) in properties {
            if fields.len() >= least {
                break;
            }
            if fields.contains_key(name) || property.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            if let Ok(value) = self.make(property, &at.push("properties").push(name), depth + 1) {
                fields.insert(name.clone(), value);
            }
        }
        if fields.len() < least
            && let Some(additional @ Value::Object(_)) = object.get("additionalProperties")
        {
            let value = self.make(additional, &at.push("additionalProperties"), depth + 1)?;
            while fields.len() < least {
                fields.insert(format!("key{}", fields.len() + 1), value.clone());
            }
        }
        Ok(Value::Object(fields))
    }

    /// An array of one item (or as many as `minItems` asks, no more than `maxItems` allows).
    fn array(&self, object: &Map<String, Value>, at: &JsonPointer, depth: usize) -> Made {
        let least = object.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let most = object.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
        // Two items where the schema allows them: a list of one is written like a single
        // value in a query or a form, where a reader may take it for one.
        let count = least.max(2).min(most) as usize;
        if count == 0 {
            return Ok(json!([]));
        }
        let item = match object.get("items") {
            Some(items) => self.make(items, &at.push("items"), depth + 1)?,
            None => json!("sample"),
        };
        if object.get("uniqueItems") != Some(&Value::Bool(true)) {
            return Ok(Value::Array(vec![item; count]));
        }
        // Items that must differ: the values an `enum` lists, else one item if one will do.
        let listed: Vec<Value> = object
            .get("items")
            .and_then(|items| self.deref(items, &at.push("items")).ok())
            .and_then(|(items, _)| items.get("enum").and_then(Value::as_array).cloned())
            .unwrap_or_default()
            .into_iter()
            .filter(|value| !value.is_null())
            .collect();
        if listed.len() >= count {
            return Ok(Value::Array(listed.into_iter().take(count).collect()));
        }
        if least > 1 {
            return Err(unmade(at, "several items that must differ"));
        }
        Ok(Value::Array(vec![item]))
    }
}

/// The `type` a schema object says or implies.
pub(super) fn kind(object: &Map<String, Value>) -> Option<&str> {
    match object.get("type") {
        Some(Value::String(kind)) => Some(kind),
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).find(|k| *k != "null"),
        _ if object.contains_key("properties") || object.contains_key("additionalProperties") => {
            Some("object")
        }
        _ if object.contains_key("items") => Some("array"),
        _ => None,
    }
}

fn discriminator(union: &Map<String, Value>) -> Option<&str> {
    union.get("discriminator")?.get("propertyName")?.as_str()
}

/// The tag a discriminated union's `member` (a `$ref`) is known by: its mapping's key, else
/// the name of the schema it names.
fn tag_of(union: &Map<String, Value>, member: &Value) -> Option<String> {
    let reference = member.get("$ref")?.as_str()?;
    let mapping = union
        .get("discriminator")?
        .get("mapping")
        .and_then(Value::as_object);
    let name = reference.rsplit('/').next()?;
    for (tag, target) in mapping.into_iter().flatten() {
        let target = target.as_str()?;
        if target == reference || target == name {
            return Some(tag.clone());
        }
    }
    Some(name.to_owned())
}

/// A string of the schema's format, pattern and length.
fn string(object: &Map<String, Value>, at: &JsonPointer) -> Made {
    let least = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let most = object
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX) as usize;
    let fits = |text: &str| (least..=most).contains(&text.chars().count());
    if let Some(pattern) = object.get("pattern").and_then(Value::as_str) {
        // Longer repetitions until the length fits.
        for stretch in 0..=least.max(1) {
            match matching(pattern, stretch) {
                Some(text) if fits(&text) => return Ok(Value::String(text)),
                Some(_) => {}
                None => {
                    return Err(unmade(
                        at,
                        &format!("the pattern `{pattern}`, which this reader does not follow"),
                    ));
                }
            }
        }
        return Err(unmade(
            at,
            &format!("no text of the pattern `{pattern}` has a length in {least}..={most}"),
        ));
    }
    let formatted = match object.get("format").and_then(Value::as_str) {
        Some("date") => "2026-01-15",
        Some("date-time") => "2026-01-15T10:30:00Z",
        Some("time") => "10:30:00",
        Some("duration") => "P1D",
        Some("email" | "idn-email") => "user@example.com",
        Some("uri" | "url" | "iri" | "uri-reference" | "iri-reference") => "https://example.com/",
        Some("hostname" | "idn-hostname") => "example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        Some("byte") => "c2FtcGxl",
        Some("decimal" | "number" | "double" | "float") => "10.5",
        Some("int32" | "int64" | "integer") => "10",
        _ => "",
    };
    if !formatted.is_empty() {
        return Ok(json!(formatted));
    }
    let text: String = "sample".chars().cycle().take(least.max(6).min(most)).collect();
    Ok(Value::String(text))
}

/// A number in the schema's range, a multiple of its `multipleOf`.
fn number(object: &Map<String, Value>, at: &JsonPointer, integer: bool) -> Made {
    let bound = |key: &str| object.get(key).and_then(Value::as_f64);
    // 3.0 writes exclusivity as a boolean beside the bound, 3.1 as the bound itself.
    let exclusive = |key: &str, bound: Option<f64>| match object.get(key) {
        Some(Value::Bool(true)) => bound.map(|b| (b, true)),
        Some(Value::Number(n)) => n.as_f64().map(|b| (b, true)),
        _ => bound.map(|b| (b, false)),
    };
    let low = exclusive("exclusiveMinimum", bound("minimum"));
    let high = exclusive("exclusiveMaximum", bound("maximum"));
    let step = bound("multipleOf").filter(|step| *step > 0.0);
    let unit = if integer { 1.0 } else { step.unwrap_or(0.5) };
    let mut value = match (low, high) {
        (Some((low, open)), _) => {
            if open {
                low + unit
            } else {
                low
            }
        }
        (None, Some((high, open))) if high < 1.0 => {
            if open {
                high - unit
            } else {
                high
            }
        }
        _ => 1.0,
    };
    if let Some(step) = step {
        value = (value / step).ceil() * step;
    }
    if integer {
        value = value.ceil();
    }
    let inside = low.is_none_or(|(low, open)| if open { value > low } else { value >= low })
        && high.is_none_or(|(high, open)| if open { value < high } else { value <= high });
    if !inside {
        return Err(unmade(at, "a range no number of its step falls in"));
    }
    Ok(if integer || value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::error::JsonPointer;
    use crate::sample::Sampler;

    /// The value made for `schema`, written at `#/components/schemas/S` of a document whose
    /// other schemas are `others`.
    fn made(schema: Value, others: Value) -> Result<Value, String> {
        let mut schemas = others.as_object().cloned().unwrap_or_default();
        schemas.insert("S".into(), schema);
        let document = json!({"components": {"schemas": schemas}});
        let at = JsonPointer::from_fragment("#/components/schemas/S").expect("a pointer");
        Sampler::new(&document)
            .value(&at)
            .map_err(|unmade| format!("{} {}", unmade.at, unmade.why))
    }

    fn alone(schema: Value) -> Value {
        made(schema, json!({})).expect("a value")
    }

    #[test]
    fn an_example_default_or_enum_value_comes_first() {
        assert_eq!(
            alone(json!({"type": "string", "example": "EUR", "enum": ["USD"]})),
            json!("EUR")
        );
        assert_eq!(alone(json!({"type": "integer", "default": 25})), json!(25));
        assert_eq!(
            alone(json!({"type": "string", "enum": [null, "open"]})),
            json!("open")
        );
        assert_eq!(alone(json!({"type": "string", "examples": ["x"]})), json!("x"));
    }

    #[test]
    fn strings_follow_their_format_pattern_and_length() {
        assert_eq!(
            alone(json!({"type": "string", "format": "date-time"})),
            json!("2026-01-15T10:30:00Z")
        );
        assert_eq!(alone(json!({"type": "string", "maxLength": 3})), json!("sam"));
        assert_eq!(
            alone(json!({"type": "string", "minLength": 8})),
            json!("samplesa")
        );
        assert_eq!(
            alone(json!({"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"})),
            json!("AAA-0000")
        );
        assert_eq!(
            alone(json!({"type": "string", "pattern": "^(cus|acct)_\\w+$", "minLength": 7})),
            json!("cus_000")
        );
    }

    #[test]
    fn numbers_fall_in_their_range_on_their_step() {
        assert_eq!(
            alone(json!({"type": "integer", "minimum": 10, "maximum": 20})),
            json!(10)
        );
        assert_eq!(
            alone(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
            json!(1)
        );
        assert_eq!(alone(json!({"type": "integer", "exclusiveMinimum": 5})), json!(6));
        assert_eq!(alone(json!({"type": "number", "maximum": -3})), json!(-3));
        assert_eq!(
            alone(json!({"type": "integer", "minimum": 7, "multipleOf": 5})),
            json!(10)
        );
        assert_eq!(
            alone(json!({"type": "number", "minimum": 0.25, "exclusiveMinimum": true, "multipleOf": 0.25})),
            json!(0.5)
        );
        assert!(
            made(
                json!({"type": "integer", "minimum": 3, "maximum": 4, "multipleOf": 5}),
                json!({})
            )
            .is_err()
        );
    }

    #[test]
    fn objects_hold_what_they_require_and_not_what_the_server_sets() {
        let schema = json!({
            "type": "object",
            "required": ["id", "name", "tags"],
            "properties": {
                "id": {"type": "string", "readOnly": true},
                "name": {"type": "string", "example": "Rex"},
                "tags": {"type": "array", "items": {"type": "string", "enum": ["a"]}, "minItems": 2},
                "note": {"type": "string"}
            }
        });
        assert_eq!(alone(schema), json!({"name": "Rex", "tags": ["a", "a"]}));
        let unique = json!({"type": "array", "uniqueItems": true, "items": {"enum": ["x", "y"]}});
        assert_eq!(alone(unique), json!(["x", "y"]));
        let one = json!({"type": "array", "uniqueItems": true, "items": {"type": "integer"}});
        assert_eq!(alone(one), json!([1]));
    }

    #[test]
    fn all_of_merges_its_members_and_a_union_tags_its_member() {
        let others = json!({
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "Cat": {"type": "object", "required": ["lives"], "properties": {"kind": {"type": "string"}, "lives": {"type": "integer", "minimum": 1}}},
            "Dog": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        });
        let merged = json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"required": ["name"], "properties": {"name": {"type": "string"}}}]});
        assert_eq!(
            made(merged, others.clone()),
            Ok(json!({"id": 1, "name": "sample"}))
        );
        let pet = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}
        });
        assert_eq!(made(pet, others.clone()), Ok(json!({"lives": 1, "kind": "cat"})));
        // A property of a merged member refers on, from where the member is written.
        let mut others = others;
        others["Name"] = json!({"type": "string", "pattern": "^[a-z]{3}$"});
        others["Named"] = json!({"type": "object", "required": ["name"], "properties": {"name": {"allOf": [{"$ref": "#/components/schemas/Name"}]}}});
        let image =
            json!({"allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Base"}]});
        assert_eq!(made(image, others), Ok(json!({"name": "aaa", "id": 1})));
    }

    #[test]
    fn a_one_of_takes_its_plain_string_member_first_which_no_other_takes() {
        let id = json!({"oneOf": [{"type": "integer"}, {"type": "string"}]});
        assert_eq!(alone(id), json!("sample"));
        let any = json!({"anyOf": [{"type": "integer"}, {"type": "string"}]});
        assert_eq!(alone(any), json!(1));
    }

    #[test]
    fn a_schema_that_requires_itself_is_given_up_on_where_it_recurses() {
        let others = json!({"Node": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Node"}}}});
        let failure = made(json!({"$ref": "#/components/schemas/Node"}), others).unwrap_err();
        assert!(
            failure.ends_with("a schema that requires itself, with no end"),
            "{failure}"
        );
    }
}
