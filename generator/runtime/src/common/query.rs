use std::borrow::Cow;

/// How a structured query parameter is written (its `style` and `explode`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum QueryStyle {
    /// form, explode: `a=1&b=2` for an object, `id=1&id=2` for an array.
    Form,
    /// form without explode (`,`), spaceDelimited, pipeDelimited: `obj=a,1,b,2`.
    Delimited(char),
    /// deepObject: `obj[a]=1&obj[b]=2`.
    DeepObject,
}

/// A scalar's text in a URL or header; `None` for `null`. Arrays and objects are
/// written as compact JSON where no style says otherwise.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// The query string of a call, pair by pair in order; written to the URL at the end.
#[doc(hidden)]
#[derive(Default)]
pub struct QueryPairs(Vec<(Cow<'static, str>, String)>);

impl QueryPairs {
    /// Adds `name=value`.
    pub fn push(&mut self, name: &'static str, value: String) {
        self.0.push((Cow::Borrowed(name), value));
    }

    /// Adds the pairs of parameter `name` with the JSON form `value`, as `style` says.
    pub fn push_json(&mut self, name: &'static str, value: &serde_json::Value, style: QueryStyle) {
        match (value, style) {
            (serde_json::Value::Object(object), QueryStyle::Form) => {
                for (key, item) in object {
                    if let Some(text) = scalar_text(item) {
                        self.0.push((Cow::Owned(key.clone()), text));
                    }
                }
            }
            (serde_json::Value::Object(object), QueryStyle::DeepObject) => {
                let mut stack: Vec<(String, &serde_json::Value)> = object
                    .iter()
                    .rev()
                    .map(|(key, item)| (format!("{name}[{key}]"), item))
                    .collect();
                while let Some((key, item)) = stack.pop() {
                    match item {
                        serde_json::Value::Object(inner) => {
                            stack.extend(inner.iter().rev().map(|(k, v)| (format!("{key}[{k}]"), v)));
                        }
                        serde_json::Value::Array(items) => {
                            for item in items {
                                if let Some(text) = scalar_text(item) {
                                    self.0.push((Cow::Owned(format!("{key}[]")), text));
                                }
                            }
                        }
                        other => {
                            if let Some(text) = scalar_text(other) {
                                self.0.push((Cow::Owned(key), text));
                            }
                        }
                    }
                }
            }
            (serde_json::Value::Object(object), QueryStyle::Delimited(separator)) => {
                let parts: Vec<String> = object
                    .iter()
                    .filter_map(|(key, item)| scalar_text(item).map(|text| format!("{key}{separator}{text}")))
                    .collect();
                self.push(name, parts.join(&separator.to_string()));
            }
            (serde_json::Value::Array(items), QueryStyle::Delimited(separator)) => {
                let parts: Vec<String> = items.iter().filter_map(scalar_text).collect();
                self.push(name, parts.join(&separator.to_string()));
            }
            (serde_json::Value::Array(items), _) => {
                for item in items {
                    if let Some(text) = scalar_text(item) {
                        self.push(name, text);
                    }
                }
            }
            (other, _) => {
                if let Some(text) = scalar_text(other) {
                    self.push(name, text);
                }
            }
        }
    }

    /// Writes the pairs into `url`'s query string; with none, the URL gets no `?`.
    pub fn write_to(self, url: &mut reqwest::Url) {
        if !self.0.is_empty() {
            url.query_pairs_mut().extend_pairs(self.0);
        }
    }
}

/// The `simple`-style text of a structured path or header value: `a,b` for an array,
/// `k,v,k2,v2` for an object.
#[doc(hidden)]
pub fn simple_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","),
        serde_json::Value::Object(object) => object
            .iter()
            .filter_map(|(key, item)| scalar_text(item).map(|text| format!("{key},{text}")))
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(other).unwrap_or_default(),
    }
}

/// `value` as one path segment, or why it cannot be one: the empty string, `.` and
/// `..` would change the path itself (URLs resolve them away), so they are refused.
/// Every other value stays inside its segment, `/`, `?`, `#` and `%` percent-encoded.
#[doc(hidden)]
pub fn path_segment(value: &str) -> Result<&str, String> {
    match value {
        "" | "." | ".." => Err(format!(
            "the path parameter value `{value}` cannot be sent as a path segment"
        )),
        _ => Ok(value),
    }
}
