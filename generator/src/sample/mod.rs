//! Values a server accepts, for the calls that prove a spec (see [`crate::emit::conformance`]):
//! the spec's own example where it gives one, else a value made to satisfy the schema: its
//! type, format, `enum`, `pattern`, length, range and number of items, the properties it
//! requires, one member of a union (its tag set), every member of an `allOf`.
//!
//! It reads the raw document (after bundling, mending and the 3.1 rewrite), where every
//! keyword is still as written.

use serde_json::{Value, json};

use crate::error::JsonPointer;
use crate::ir::{Api, Call, Operation, ParamIn};
use crate::load::Spec;

mod pattern;
mod schema;

/// Per operation of `api`, lowered from `spec`, the arguments of a call: each required
/// parameter's and the body's value (optional parameters are left out), as JSON text. Where
/// a value is the spec's own example, the call also gets a twin whose values are all made
/// from the schemas: an example the server refuses is the spec's defect, told apart so.
pub fn plan(spec: &Spec, api: &Api) -> Vec<Call> {
    let examples = Sampler::new(&spec.raw);
    let schemas = Sampler {
        examples: false,
        ..Sampler::new(&spec.raw)
    };
    api.operations
        .iter()
        .map(|op| {
            let mut first = call(&examples, op);
            let made = call(&schemas, op);
            if made != first {
                first.made = Some(Box::new(made));
            }
            first
        })
        .collect()
}

fn call(sampler: &Sampler<'_>, op: &Operation) -> Call {
    let text = |made: Made| {
        made.map(|value| value.to_string())
            .map_err(|unmade| format!("{}: {}", unmade.at, unmade.why))
    };
    let params = op
        .params
        .iter()
        .map(|param| {
            param.required.then(
                || match sampler.parameter(&op.origin, &param.wire.0, param.location) {
                    Some(at) => text(sampler.of_holder(&at)),
                    // A variable of the path template that no parameter describes (lowering
                    // warned of it): any text.
                    None if param.location == ParamIn::Path => Ok(json!("sample").to_string()),
                    None => Err(format!(
                        "{}: the parameter `{}` is not written here",
                        op.origin, param.wire.0
                    )),
                },
            )
        })
        .collect();
    let body = op.body.as_ref().map(|body| {
        let content = op.origin.push("requestBody");
        match sampler.follow(&content) {
            Ok((_, at)) => {
                let media = at.push("content").push(&body.media_type);
                let made = sampler.of_holder(&media);
                // A form's example may be written as the form sends it, every value text.
                let form = matches!(
                    body.encoding,
                    crate::ir::Encoding::Form(_) | crate::ir::Encoding::Multipart(_)
                );
                text(match (form, sampler.follow(&media)) {
                    (true, Ok((_, media))) => {
                        made.map(|value| sampler.as_typed(value, &media.push("schema"), 0))
                    }
                    _ => made,
                })
            }
            Err(unmade) => text(Err(unmade)),
        }
    });
    Call {
        params,
        body,
        made: None,
    }
}

/// Why no value could be made, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmade {
    pub at: JsonPointer,
    pub why: String,
}

type Made = Result<Value, Unmade>;

/// How deep a value is made before a schema that requires itself is given up on.
const MAX_DEPTH: usize = 12;

/// Makes values for the schemas of one document.
pub struct Sampler<'a> {
    raw: &'a Value,
    /// Whether the spec's examples are taken where it gives them; else every value is made.
    examples: bool,
}

impl<'a> Sampler<'a> {
    pub fn new(raw: &'a Value) -> Self {
        Self { raw, examples: true }
    }

    /// A value for a request of the schema at `at`: its example, else one made to fit.
    /// Properties the server sets (`readOnly`) are left out.
    pub fn value(&self, at: &JsonPointer) -> Made {
        let schema = self
            .raw
            .pointer(at.as_str())
            .ok_or_else(|| unmade(at, "no schema here"))?;
        self.make(schema, at, 0)
    }

    /// A value for the parameter, media type or header object at `at`: its `example`, its
    /// first `examples` entry, else a value for its `schema`.
    pub fn of_holder(&self, at: &JsonPointer) -> Made {
        let (holder, at) = self.follow(at)?;
        if let Some(example) = holder.get("example").filter(|_| self.examples) {
            return Ok(example.clone());
        }
        if let Some(Value::Object(examples)) = holder.get("examples").filter(|_| self.examples)
            && let Some((name, _)) = examples.iter().next()
        {
            let (example, _) = self.follow(&at.push("examples").push(name))?;
            if let Some(value) = example.get("value") {
                return Ok(value.clone());
            }
        }
        self.value(&at.push("schema"))
    }

    /// Where the parameter `name` in `location` of the operation at `op` is defined: in the
    /// operation's `parameters`, else in its path item's, through any `$ref`.
    fn parameter(&self, op: &JsonPointer, name: &str, location: ParamIn) -> Option<JsonPointer> {
        let place = match location {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        };
        for list in [op.push("parameters"), op.parent().push("parameters")] {
            let Some(Value::Array(items)) = self.raw.pointer(list.as_str()) else {
                continue;
            };
            for index in 0..items.len() {
                let Ok((param, at)) = self.follow(&list.push(index.to_string())) else {
                    continue;
                };
                let named = param
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name));
                if named && param.get("in").and_then(Value::as_str) == Some(place) {
                    return Some(at);
                }
            }
        }
        None
    }

    /// `schema`, written at `at`, or what its `$ref`s name, and where that is. A schema made
    /// here (an `allOf` merged) holds the `$ref`s of its parts as written, so a `$ref` is
    /// followed by what it says, not by where it stands.
    fn deref<'s>(&'s self, schema: &'s Value, at: &JsonPointer) -> Result<(&'s Value, JsonPointer), Unmade> {
        match schema.get("$ref").and_then(Value::as_str) {
            None => Ok((schema, at.clone())),
            Some(reference) => {
                let target = JsonPointer::from_fragment(reference)
                    .ok_or_else(|| unmade(at, "a reference that is not a local JSON pointer"))?;
                self.follow(&target)
            }
        }
    }

    /// The object at `at`, through any `$ref`s, and where it is.
    fn follow(&self, at: &JsonPointer) -> Result<(&'a Value, JsonPointer), Unmade> {
        let mut at = at.clone();
        for _ in 0..MAX_DEPTH {
            let value = self
                .raw
                .pointer(at.as_str())
                .ok_or_else(|| unmade(&at, "nothing here"))?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    at = JsonPointer::from_fragment(reference)
                        .ok_or_else(|| unmade(&at, "a reference that is not a local JSON pointer"))?;
                }
                None => return Ok((value, at)),
            }
        }
        Err(unmade(&at, "a chain of references that does not end"))
    }

    /// `value`, an example of the schema at `at` written as a form sends it, with the text of
    /// each boolean and number read as one and a single value where a list stands made a
    /// list of it: the JSON its typed value has.
    pub fn as_typed(&self, value: Value, at: &JsonPointer, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return value;
        }
        let Ok((schema, at)) = self.follow(at) else {
            return value;
        };
        let Value::Object(object) = schema else {
            return value;
        };
        match (schema::kind(object), value) {
            (Some("boolean"), Value::String(text)) if text == "true" || text == "false" => {
                Value::Bool(text == "true")
            }
            (Some("integer" | "number"), Value::String(text)) => {
                match serde_json::from_str::<serde_json::Number>(&text) {
                    Ok(number) => Value::Number(number),
                    Err(_) => Value::String(text),
                }
            }
            (Some("array"), Value::Array(items)) => Value::Array(
                items
                    .into_iter()
                    .map(|item| self.as_typed(item, &at.push("items"), depth + 1))
                    .collect(),
            ),
            (Some("array"), single) => {
                Value::Array(vec![self.as_typed(single, &at.push("items"), depth + 1)])
            }
            (Some("object"), Value::Object(fields)) => Value::Object(
                fields
                    .into_iter()
                    .map(|(name, field)| {
                        let field = self.as_typed(field, &at.push("properties").push(&name), depth + 1);
                        (name, field)
                    })
                    .collect(),
            ),
            (_, value) => value,
        }
    }
}

fn unmade(at: &JsonPointer, why: &str) -> Unmade {
    Unmade {
        at: at.clone(),
        why: why.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Sampler;
    use crate::error::JsonPointer;

    #[test]
    fn a_form_example_written_as_text_is_read_as_the_values_it_stands_for() {
        let document = json!({"components": {"schemas": {
            "Flag": {"type": "boolean"},
            "Call": {"type": "object", "properties": {
                "Record": {"$ref": "#/components/schemas/Flag"},
                "Price": {"type": "number"},
                "Events": {"type": "array", "items": {"type": "string"}},
                "To": {"type": "string"}
            }}
        }}});
        let at = JsonPointer::from_fragment("#/components/schemas/Call").expect("a pointer");
        let example = json!({"Record": "true", "Price": "12.00", "Events": "ringing", "To": "+15558675310"});
        assert_eq!(
            Sampler::new(&document).as_typed(example, &at, 0),
            json!({"Record": true, "Price": 12.00, "Events": ["ringing"], "To": "+15558675310"})
        );
    }
}
