//! Spec text, JSON or YAML, to a JSON tree, and the walks over that tree's structure.
//!
//! Reading: a key given twice is refused (serde_json's own tree keeps the last one silently,
//! and the typed reader panics on it), and two repairs real specs need are made.
//!
//! - An integer too large for 64 bits (OpenAI's `minimum: -9223372036854776000`) becomes
//!   the nearest JSON float instead of failing the whole document: serde_yaml hands it over
//!   as an `i128`, which neither serde_json's nor serde_yaml's own tree accepts.
//! - An integer schema's `minimum` or `maximum` beyond the 64-bit range is clamped to that
//!   range: such a bound excludes nothing a 64-bit integer can hold, and openapiv3 reads the
//!   bounds as `i64`.
//!
//! Reading also notes whether some `$ref` names another file, so that a document of one
//! file (most are) is not walked again to find out.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::JsonPointer;

/// Flow collections (`[..]`, `{..}`) open but not closed beyond which a text is refused
/// unread: the YAML scanner's time grows with the square of their depth, and any deeper than
/// 128 is refused by the parse anyway. Far above what any real document nests, so brackets in
/// prose cannot reach it.
const FLOW_DEPTH_LIMIT: usize = 1000;

/// Where (1-based line and column) `text` opens its flow collection number
/// [`FLOW_DEPTH_LIMIT`] + 1 without closing the others, if it does: a cheap count of brackets,
/// prose included, that keeps a hostile document from costing seconds.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut line_start) = (0usize, 1, 0);
    for (index, byte) in text.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > FLOW_DEPTH_LIMIT {
                    return Some((line, text[line_start..index].chars().count() + 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => (line, line_start) = (line + 1, index + 1),
            _ => {}
        }
    }
    None
}

/// A document read into a JSON tree.
#[derive(Debug)]
pub struct Parsed {
    pub value: Value,
    /// Some `$ref` names another file (its target does not start with `#`).
    pub refers_to_other_files: bool,
    /// Some object of spec structure (see [`visit_objects`]) holds a `null` outside its
    /// data, or a property schema says `required: true` or `false`: what the repairs' walk
    /// of every object looks for. Without either, that walk has nothing to find.
    pub mendable: bool,
}

/// Parses YAML `text` into a JSON tree.
pub fn from_yaml(text: &str) -> Result<Parsed, serde_yaml::Error> {
    let facts = Facts::default();
    let value = Tree::root(&facts).deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok(facts.parsed(value))
}

/// Parses JSON `text` into a JSON tree.
pub fn from_json(text: &str) -> Result<Parsed, serde_json::Error> {
    let facts = Facts::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = Tree::root(&facts).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(facts.parsed(value))
}

/// What reading notes besides the tree (see [`Parsed`]).
#[derive(Default)]
struct Facts {
    other_files: Cell<bool>,
    mendable: Cell<bool>,
}

impl Facts {
    fn parsed(self, value: Value) -> Parsed {
        Parsed {
            value,
            refers_to_other_files: self.other_files.get(),
            mendable: self.mendable.get(),
        }
    }
}

/// Where a value stands, as [`visit_objects`] walks the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// An object of spec structure, or a list of them.
    Structure,
    /// A schema that is a member of `properties`.
    Property,
    /// A map of names the author chose; `properties` if it is that map.
    Named { properties: bool },
    /// Data: examples, defaults, enum values, extensions.
    Data,
}

impl Place {
    /// Where the value under `key` of an object standing here stands.
    fn child(self, key: &str) -> Place {
        match self {
            Place::Data => Place::Data,
            Place::Named { properties: true } => Place::Property,
            Place::Named { properties: false } => Place::Structure,
            Place::Structure | Place::Property => match child_kind(key, false) {
                None => Place::Data,
                Some(true) => Place::Named {
                    properties: key == "properties",
                },
                Some(false) => Place::Structure,
            },
        }
    }
}

/// Reads a JSON tree from any self-describing format, 128-bit integers included, noting
/// [`Facts`] as it goes.
#[derive(Clone, Copy)]
struct Tree<'a> {
    facts: &'a Facts,
    place: Place,
}

impl<'a> Tree<'a> {
    fn root(facts: &'a Facts) -> Self {
        Tree {
            facts,
            place: Place::Structure,
        }
    }

    fn at(self, place: Place) -> Self {
        Tree { place, ..self }
    }
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON or YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(match i64::try_from(value) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => float(value as f64),
        })
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(match u64::try_from(value) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => float(value as f64),
        })
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        // The items of a list of structure are structure, as the walks read them.
        let item = match self.place {
            Place::Data => self,
            _ => self.at(Place::Structure),
        };
        while let Some(value) = seq.next_element_seed(item)? {
            items.push(value);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut integer = false;
        let walked = matches!(self.place, Place::Structure | Place::Property);
        while let Some(key) = map.next_key_seed(self.at(Place::Data))? {
            // JSON keys are strings; YAML's `200:` or `true:` keys are spelt as written.
            let key = match key {
                Value::String(key) => key,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            // One lookup, through the entry, for the check and the insert.
            match object.entry(key) {
                serde_json::map::Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format_args!(
                        "the key `{}` is given twice in one object",
                        entry.key()
                    )));
                }
                serde_json::map::Entry::Vacant(entry) => {
                    let place = self.place.child(entry.key());
                    let value = map.next_value_seed(self.at(place))?;
                    match (entry.key().as_str(), &value) {
                        ("type", Value::String(kind)) => integer |= kind == "integer",
                        ("$ref", Value::String(target)) if !target.starts_with('#') => {
                            self.facts.other_files.set(true);
                        }
                        ("required", Value::Bool(_)) if self.place == Place::Property => {
                            self.facts.mendable.set(true);
                        }
                        // A null list key (nulls in data are data).
                        (_, Value::Null) if walked && place != Place::Data => self.facts.mendable.set(true),
                        _ => {}
                    }
                    entry.insert(value);
                }
            }
        }
        if integer {
            clamp_integer_bounds(&mut object);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged YAML value (`!tag value`) is its value.
        let (_tag, variant) = data.variant_seed(self.at(Place::Data))?;
        de::VariantAccess::newtype_variant_seed(variant, self)
    }
}

/// Clamps the `minimum` and `maximum` of an integer schema to the 64-bit range, as it is
/// read: every object of the document whose `type` is `integer`.
fn clamp_integer_bounds(object: &mut Map<String, Value>) {
    for key in ["minimum", "maximum"] {
        if let Some(bound) = object.get_mut(key) {
            clamp(bound);
        }
    }
}

fn clamp(bound: &mut Value) {
    let Value::Number(number) = bound else {
        return;
    };
    if number.is_i64() {
        return;
    }
    let clamped = if number.is_u64() {
        i64::MAX
    } else {
        match number.as_f64() {
            Some(wide) if wide >= i64::MAX as f64 => i64::MAX,
            Some(wide) if wide <= i64::MIN as f64 => i64::MIN,
            // A fraction within range is the spec's to fix; decoding says where.
            _ => return,
        }
    };
    *bound = Value::Number(clamped.into());
}

// The walks over a parsed document's structure, shared by every stage that reads the raw
// tree (loading, the 3.1 rewrite, reference checks): one list of which keys hold data and
// which hold maps of names.

/// How the walks of spec structure treat the child `key` of an object: `None` when it is
/// data (skipped), else whether the child is a map of names the author chose.
///
/// Data, not spec structure, where a `$ref` is not a reference: `$ref` itself, vendor
/// extensions (`x-`), `example`, `examples`, `default`, `enum`, `const` and `value`. Maps of
/// names chosen by the spec author, where a child called `default` or `example` is a name,
/// not a keyword: `properties`, `schemas`, `responses`, `parameters`, `requestBodies`,
/// `headers`, `securitySchemes`, `links`, `callbacks`, `paths`, `content`, `encoding`,
/// `variables`, `patternProperties`, `definitions` and `$defs`. (A `match`, which every
/// walk runs on every key of a document.)
pub(crate) fn child_kind(key: &str, in_named_map: bool) -> Option<bool> {
    if in_named_map {
        return Some(false);
    }
    match key {
        "$ref" | "example" | "examples" | "default" | "enum" | "const" | "value" => None,
        _ if key.starts_with("x-") => None,
        "properties" | "schemas" | "responses" | "parameters" | "requestBodies" | "headers"
        | "securitySchemes" | "links" | "callbacks" | "paths" | "content" | "encoding" | "variables"
        | "patternProperties" | "definitions" | "$defs" => Some(true),
        _ => Some(false),
    }
}

/// Where a walk of the raw tree stands: the steps down from the root, each held on the
/// walk's own stack. Most objects a walk visits need no pointer, so none is built until one
/// is asked for ([`Trail::pointer`]).
#[derive(Debug, Clone, Copy)]
pub enum Trail<'a> {
    Root,
    Key(&'a Trail<'a>, &'a str),
    Index(&'a Trail<'a>, usize),
}

impl Trail<'_> {
    /// The pointer to where the walk stands.
    pub fn pointer(&self) -> JsonPointer {
        match self {
            Trail::Root => JsonPointer::root(),
            Trail::Key(parent, key) => parent.pointer().push(key),
            Trail::Index(parent, index) => parent.pointer().push(index.to_string()),
        }
    }
}

/// Calls `visit` with every object of the document that is spec structure, and where it
/// stands: not data (examples, defaults, enum values, extensions) and not a map of names the
/// author chose (`properties`, `schemas`, ...), whose children are visited all the same.
pub fn visit_objects<'a>(raw: &'a Value, mut visit: impl FnMut(&'a Map<String, Value>, &Trail<'_>)) {
    fn walk<'a>(
        value: &'a Value,
        trail: &Trail<'_>,
        named_map: bool,
        visit: &mut impl FnMut(&'a Map<String, Value>, &Trail<'_>),
    ) {
        match value {
            Value::Object(map) => {
                if !named_map {
                    visit(map, trail);
                }
                for (key, child) in map {
                    if let Some(names) = child_kind(key, named_map) {
                        walk(child, &Trail::Key(trail, key), names, visit);
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, &Trail::Index(trail, index), false, visit);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }
    walk(raw, &Trail::Root, false, &mut visit);
}

/// [`visit_objects`] that may change each object before its children are walked.
pub fn visit_objects_mut<E>(
    raw: &mut Value,
    mut visit: impl FnMut(&mut Map<String, Value>, &Trail<'_>) -> Result<(), E>,
) -> Result<(), E> {
    fn walk<E>(
        value: &mut Value,
        trail: &Trail<'_>,
        named_map: bool,
        visit: &mut impl FnMut(&mut Map<String, Value>, &Trail<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        match value {
            Value::Object(map) => {
                if !named_map {
                    visit(map, trail)?;
                }
                for (key, child) in map.iter_mut() {
                    if let Some(names) = child_kind(key, named_map) {
                        walk(child, &Trail::Key(trail, key), names, visit)?;
                    }
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    walk(child, &Trail::Index(trail, index), false, visit)?;
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
        Ok(())
    }
    walk(raw, &Trail::Root, false, &mut visit)
}

/// One step down a JSON tree: a key or an index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The schemas at or below inline nesting level `from` (0 for a schema that is not inside
/// another), children before their parents, with their pointers.
pub fn schemas_from_level(raw: &Value, from: usize) -> Vec<(JsonPointer, &Value)> {
    let mut deep = Vec::new();
    find_schemas(raw, &mut Vec::new(), None, false, from, &mut deep);
    deep
}

/// [`schemas_from_level`] of a part of a document that a `$ref` names, wherever it stands
/// (a vendor extension included, which the walk of the whole document skips as data): the
/// part read as a schema, then as any other spec object. Pointers are relative to the part.
pub fn schemas_in_part(part: &Value, from: usize) -> Vec<(JsonPointer, &Value)> {
    let mut deep = Vec::new();
    find_schemas(part, &mut Vec::new(), Some(0), false, from, &mut deep);
    find_schemas(part, &mut Vec::new(), None, false, from, &mut deep);
    deep
}

/// Collects into `deep` the schemas at or below level `from` under `value`, children before
/// their parents. `at` is the way to `value`; `level` is its level of inline nesting if it is
/// a schema, `None` elsewhere in the document, where `named_map` says whether its keys are
/// names the author chose. Data (examples, defaults, enums, extensions) holds no schemas.
fn find_schemas<'a>(
    value: &'a Value,
    at: &mut Vec<Step<'a>>,
    level: Option<usize>,
    named_map: bool,
    from: usize,
    deep: &mut Vec<(JsonPointer, &'a Value)>,
) {
    // Each child, with its level: in a schema, the keywords whose values are schemas or hold
    // them; elsewhere, what `components/schemas` and every `schema` keyword hold.
    let mut visit = |step: Step<'a>,
                     child: &'a Value,
                     child_level: Option<usize>,
                     names: bool,
                     at: &mut Vec<Step<'a>>| {
        at.push(step);
        find_schemas(child, at, child_level, names, from, deep);
        at.pop();
    };
    match (value, level) {
        (Value::Array(items), None) => {
            for (index, item) in items.iter().enumerate() {
                visit(Step::Index(index), item, None, false, at);
            }
        }
        (Value::Object(object), None) => {
            let schemas_here = matches!(at.as_slice(), [Step::Key("components"), Step::Key("schemas")]);
            for (key, child) in object {
                let Some(names) = child_kind(key, named_map) else {
                    continue;
                };
                let child_level = (schemas_here || (!named_map && key == "schema")).then_some(0);
                visit(Step::Key(key), child, child_level, names, at);
            }
        }
        (Value::Object(object), Some(level)) => {
            for (key, child) in object {
                match (key.as_str(), child) {
                    ("items" | "not" | "additionalProperties", _) => {
                        visit(Step::Key(key), child, Some(level + 1), false, at);
                    }
                    ("properties", Value::Object(members)) => {
                        at.push(Step::Key(key));
                        for (name, member) in members {
                            visit(Step::Key(name), member, Some(level + 1), false, at);
                        }
                        at.pop();
                    }
                    ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(members)) => {
                        at.push(Step::Key(key));
                        for (index, member) in members.iter().enumerate() {
                            visit(Step::Index(index), member, Some(level + 1), false, at);
                        }
                        at.pop();
                    }
                    // Every other keyword of a schema holds no schema this walk checks.
                    _ => {}
                }
            }
            if level >= from {
                let pointer = at.iter().fold(JsonPointer::root(), |pointer, step| match step {
                    Step::Key(key) => pointer.push(key),
                    Step::Index(index) => pointer.push(index.to_string()),
                });
                deep.push((pointer, value));
            }
        }
        // A scalar holds nothing; an array where a schema stands is not one.
        (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_), _)
        | (Value::Array(_), Some(_)) => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{FLOW_DEPTH_LIMIT, from_json, from_yaml, too_deep};

    #[test]
    fn integers_beyond_64_bits_become_floats_instead_of_failing() {
        let tree = from_yaml("big: 99999999999999999999999\nsmall: -3\n")
            .expect("parses")
            .value;
        assert_eq!(tree, json!({"big": 1e23, "small": -3}));
    }

    #[test]
    fn integer_bounds_beyond_64_bits_are_clamped_and_others_kept() {
        let text = "type: integer\nminimum: -9223372036854776000\nmaximum: 9223372036854776000\n";
        let tree = from_yaml(text).expect("parses").value;
        assert_eq!(
            tree,
            json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX})
        );
        let number = from_yaml("type: number\nminimum: -9223372036854776000\n")
            .expect("parses")
            .value;
        assert_eq!(number["minimum"], json!(-9223372036854776000.0));
    }

    #[test]
    fn yaml_keys_that_are_not_strings_are_spelt_as_written() {
        let tree = from_yaml("200: ok\ntrue: yes\n~: nothing\n")
            .expect("parses")
            .value;
        assert_eq!(tree, json!({"200": "ok", "true": "yes", "null": "nothing"}));
    }

    #[test]
    fn flow_collections_deeper_than_the_limit_are_found_where_they_open() {
        let at_limit = format!(
            "a:\n  {}{}",
            "[".repeat(FLOW_DEPTH_LIMIT),
            "]".repeat(FLOW_DEPTH_LIMIT)
        );
        assert_eq!(too_deep(&at_limit), None);
        let beyond = format!("a:\n  é {}", "{".repeat(FLOW_DEPTH_LIMIT + 1));
        assert_eq!(too_deep(&beyond), Some((2, FLOW_DEPTH_LIMIT + 5)));
    }

    #[test]
    fn closed_collections_do_not_add_up() {
        let siblings = "[[]], ".repeat(10 * FLOW_DEPTH_LIMIT);
        assert_eq!(too_deep(&siblings), None);
    }

    #[test]
    fn a_key_given_twice_is_refused_where_it_repeats() {
        let yaml = from_yaml("a: 1\nb:\n  c: 2\n  c: 3\n").expect_err("refused");
        assert_eq!(
            yaml.to_string(),
            "b: the key `c` is given twice in one object at line 3 column 3"
        );
        let json = from_json("{\"a\": {\"c\": 2,\n \"c\": 3}}").expect_err("refused");
        assert_eq!(
            json.to_string(),
            "the key `c` is given twice in one object at line 2 column 4"
        );
    }

    #[test]
    fn json_integer_bounds_beyond_64_bits_are_clamped_too() {
        let tree = from_json(r#"{"type": "integer", "maximum": 99999999999999999999}"#).expect("parses");
        assert_eq!(tree.value, json!({"type": "integer", "maximum": i64::MAX}));
    }

    #[test]
    fn reading_notes_whether_the_repairs_walk_has_anything_to_mend() {
        let mendable = |yaml: &str| from_yaml(yaml).expect("parses").mendable;
        // Nothing to mend: a `required` list, a parameter's `required: true`, nulls in data.
        let clean = "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, required: true}\n\
                     components:\n  schemas:\n    A:\n      required: [id]\n      properties:\n        id: {type: string, example: null, default: null, x-note: null, enum: [a, null]}\n";
        assert!(!mendable(clean));
        // A null list in structure, at any depth, named maps included.
        assert!(mendable("paths:\n  /a:\n    get:\n      tags: null\n"));
        assert!(mendable("components:\n  schemas:\n    A:\n      allOf: null\n"));
        // A property that says whether it is required, in a schema anywhere.
        assert!(mendable(
            "components:\n  schemas:\n    A:\n      properties:\n        id: {type: string, required: true}\n"
        ));
        assert!(mendable(
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content:\n            application/json:\n              schema:\n                items:\n                  properties:\n                    id: {required: false}\n"
        ));
        // A schema named `properties` is not a properties map.
        assert!(!mendable(
            "components:\n  schemas:\n    properties:\n      type: object\n      required: [a]\n"
        ));
    }

    #[test]
    fn reading_notes_whether_a_ref_names_another_file() {
        let local = r##"{"a": {"$ref": "#/components/schemas/A"}, "b": ["$ref", {"c": "x.yaml"}]}"##;
        assert!(!from_json(local).expect("parses").refers_to_other_files);
        let other = r##"{"a": [{"items": {"$ref": "other.yaml#/A"}}]}"##;
        assert!(from_json(other).expect("parses").refers_to_other_files);
        let yaml = "paths:\n  /a:\n    $ref: paths/a.yaml\n";
        assert!(from_yaml(yaml).expect("parses").refers_to_other_files);
        // A `$ref` that is not a string names nothing.
        assert!(
            !from_yaml("a:\n  $ref: 3\n")
                .expect("parses")
                .refers_to_other_files
        );
    }
}
