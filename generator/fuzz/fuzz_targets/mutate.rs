//! Valid specs, edited where they are most fragile: dangling and cyclic `$ref`s, an `allOf`
//! that includes itself, deep nesting, huge enums, odd names, values of the wrong type in
//! any position, removed and copied parts. The edits land anywhere in the document, chosen
//! by index among all its values, so every position of every seed is reachable.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

/// The specs the edits start from: the vendors' and every model fixture of the tests.
const SEEDS: &[(&str, &str)] = &[
    ("lucca.yaml", include_str!("../../../specs/lucca.yaml")),
    ("lagerkoll.yaml", include_str!("../../../specs/lagerkoll.yaml")),
    ("cegid.yaml", include_str!("../../../specs/cegid.yaml")),
    (
        "all-of.yaml",
        include_str!("../../../tests/fixtures/models/all-of.yaml"),
    ),
    (
        "auth.yaml",
        include_str!("../../../tests/fixtures/models/auth.yaml"),
    ),
    (
        "edge-cases.yaml",
        include_str!("../../../tests/fixtures/models/edge-cases.yaml"),
    ),
    (
        "enums.yaml",
        include_str!("../../../tests/fixtures/models/enums.yaml"),
    ),
    (
        "formats.yaml",
        include_str!("../../../tests/fixtures/models/formats.yaml"),
    ),
    (
        "maps-and-docs.yaml",
        include_str!("../../../tests/fixtures/models/maps-and-docs.yaml"),
    ),
    (
        "names.yaml",
        include_str!("../../../tests/fixtures/models/names.yaml"),
    ),
    (
        "nullability.yaml",
        include_str!("../../../tests/fixtures/models/nullability.yaml"),
    ),
    (
        "openapi-31.yaml",
        include_str!("../../../tests/fixtures/models/openapi-31.yaml"),
    ),
    (
        "parameters.yaml",
        include_str!("../../../tests/fixtures/models/parameters.yaml"),
    ),
    (
        "recursion.yaml",
        include_str!("../../../tests/fixtures/models/recursion.yaml"),
    ),
    (
        "type.yaml",
        include_str!("../../../tests/fixtures/models/type.yaml"),
    ),
    (
        "unions.yaml",
        include_str!("../../../tests/fixtures/models/unions.yaml"),
    ),
];

/// Names that have broken generators: keywords, case twins, digits first, empty, non-ASCII,
/// punctuation, the standard library's types.
const ODD_NAMES: &[&str] = &[
    "",
    "type",
    "Self",
    "self",
    "r#type",
    "_",
    "__",
    "1st",
    "a b",
    "a-b",
    "A",
    "a",
    "Option",
    "Result",
    "String",
    "Error",
    "Client",
    "ünïcode",
    "日本",
    "$ref",
    "#/x",
    "{id}",
    "..",
    "/",
];

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u8,
    edits: Vec<Edit>,
}

/// One change; `at`, `from` and `to` pick a value of the document by index.
#[derive(Arbitrary, Debug)]
enum Edit {
    /// A `$ref` to a schema nobody defines.
    DanglingRef { at: u16 },
    /// Two component schemas that are each only a reference to the other.
    CyclicRefs { first: u16, second: u16 },
    /// A component schema whose `allOf` includes itself.
    SelfAllOf { schema: u16 },
    /// A value replaced by a schema nested up to 99 levels deep, arrays or objects: around the
    /// generator's limit of 64 schema levels and the parser's of 128 JSON levels.
    Nest { at: u16, depth: u16, objects: bool },
    /// A value replaced by a string enum of `count` values; if `odd`, the odd names first.
    HugeEnum { at: u16, count: u16, odd: bool },
    /// An object key renamed to an odd name, or to `name`.
    Rename { at: u16, odd: u8, name: Option<String> },
    /// A value replaced by one of another type.
    WrongType { at: u16, value: Scalar },
    /// A value removed from its object or array.
    Remove { at: u16 },
    /// A value copied over another, never into itself (which would double the document).
    Copy { from: u16, to: u16 },
}

#[derive(Arbitrary, Debug)]
enum Scalar {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
    EmptyList,
    EmptyObject,
}

/// Each step from the root to a value: an object key or an array index.
#[derive(Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The seeds, each read once into a tree as written (a 3.1 seed stays 3.1, so the rewrite
/// into 3.0 is fuzzed too).
fn seeds() -> &'static [Value] {
    static SEEDS_PARSED: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS_PARSED.get_or_init(|| {
        SEEDS
            .iter()
            .map(|(name, text)| match generator::tree::from_yaml(text) {
                Ok(parsed) => parsed.value,
                Err(error) => panic!("the seed {name} must parse: {error}"),
            })
            .collect()
    })
}

/// The path of every value under `value`, itself first, in document order.
fn paths(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                here.push(Step::Key(key.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                here.push(Step::Index(index));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

/// The path of a value below the root: replacing the whole document only tests the one
/// refusal of a document that is not an object.
fn pick(doc: &Value, at: u16) -> Vec<Step> {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    match all.len() {
        1 => Vec::new(),
        len => all.swap_remove(1 + usize::from(at) % (len - 1)),
    }
}

fn get_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |value, step| match step {
        Step::Key(key) => value.get_mut(key.as_str()),
        Step::Index(index) => value.get_mut(*index),
    })
}

fn set(doc: &mut Value, path: &[Step], new: Value) {
    if let Some(slot) = get_mut(doc, path) {
        *slot = new;
    }
}

/// The map under `components/schemas`, made if missing.
fn schemas(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = doc.as_object_mut()?;
    let components = root.entry("components").or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas.as_object_mut()
}

/// Two different names of component schemas, picked by `first` and `second` (made-up names
/// where the document has fewer than two).
fn two_schema_names(doc: &Value, first: u16, second: u16) -> (String, String) {
    let names: Vec<&String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().collect())
        .unwrap_or_default();
    if names.len() < 2 {
        return ("FuzzedA".into(), "FuzzedB".into());
    }
    let a = usize::from(first) % names.len();
    // Any of the others: an offset of 1 to len - 1 from the first.
    let b = (a + 1 + usize::from(second) % (names.len() - 1)) % names.len();
    (names[a].clone(), names[b].clone())
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn apply(doc: &mut Value, edit: &Edit) {
    match edit {
        Edit::DanglingRef { at } => {
            let path = pick(doc, *at);
            set(doc, &path, reference("NobodyDefinesThis"));
        }
        Edit::CyclicRefs { first, second } => {
            let (a, b) = two_schema_names(doc, *first, *second);
            if let Some(schemas) = schemas(doc) {
                schemas.insert(a.clone(), reference(&b));
                schemas.insert(b, reference(&a));
            }
        }
        Edit::SelfAllOf { schema } => {
            let (name, _) = two_schema_names(doc, *schema, 0);
            if let Some(schemas) = schemas(doc) {
                let itself = json!({ "allOf": [reference(&name), { "type": "object" }] });
                schemas.insert(name, itself);
            }
        }
        Edit::Nest { at, depth, objects } => {
            let mut schema = json!({ "type": "string" });
            for _ in 0..(depth % 100) {
                schema = if *objects {
                    json!({ "type": "object", "properties": { "inner": schema } })
                } else {
                    json!({ "type": "array", "items": schema })
                };
            }
            let path = pick(doc, *at);
            set(doc, &path, schema);
        }
        Edit::HugeEnum { at, count, odd } => {
            let values: Vec<Value> = (0..usize::from(count % 5000))
                .map(|i| match ODD_NAMES.get(i) {
                    Some(name) if *odd => json!(name),
                    _ => json!(format!("value_{i}")),
                })
                .collect();
            let path = pick(doc, *at);
            set(doc, &path, json!({ "type": "string", "enum": values }));
        }
        Edit::Rename { at, odd, name } => {
            let path = pick(doc, *at);
            let new = name
                .clone()
                .unwrap_or_else(|| ODD_NAMES[usize::from(*odd) % ODD_NAMES.len()].to_owned());
            // Onto a sibling's name would only remove the sibling.
            if let Some((Step::Key(old), parent)) = path.split_last()
                && let Some(Value::Object(map)) = get_mut(doc, parent)
                && !map.contains_key(&new)
                && let Some(value) = map.shift_remove(old)
            {
                map.insert(new, value);
            }
        }
        Edit::WrongType { at, value } => {
            let new = match value {
                Scalar::Null => Value::Null,
                Scalar::Bool(b) => json!(b),
                Scalar::Integer(i) => json!(i),
                Scalar::Float(f) => json!(f),
                Scalar::Text(text) => json!(text),
                Scalar::EmptyList => json!([]),
                Scalar::EmptyObject => json!({}),
            };
            let path = pick(doc, *at);
            set(doc, &path, new);
        }
        Edit::Remove { at } => {
            let path = pick(doc, *at);
            let Some((step, parent)) = path.split_last() else {
                return;
            };
            match (get_mut(doc, parent), step) {
                (Some(Value::Object(map)), Step::Key(key)) => {
                    map.shift_remove(key);
                }
                (Some(Value::Array(items)), Step::Index(index)) => {
                    items.remove(*index);
                }
                _ => {}
            }
        }
        Edit::Copy { from, to } => {
            let (source, target) = (pick(doc, *from), pick(doc, *to));
            if target.starts_with(&source) {
                return;
            }
            if let Some(copied) = get_mut(doc, &source).map(|v| v.clone()) {
                set(doc, &target, copied);
            }
        }
    }
}

fuzz_target!(|input: Input| {
    let seeds = seeds();
    let mut doc = seeds[usize::from(input.seed) % seeds.len()].clone();
    for edit in input.edits.iter().take(8) {
        apply(&mut doc, edit);
    }
    // Refusing the spec is fine; panicking, hanging or exhausting memory is not.
    let _ = generator::generate_standalone_text(&doc.to_string(), Path::new("mutated.json"));
});
