use std::borrow::Cow;
use std::fmt::Display;

use super::client::Service;
use super::error::Error;
use super::pairs::{Style, pairs, scalar_text};

/// The query string of a call, pair by pair in order; written to the URL at the end.
#[doc(hidden)]
#[derive(Default)]
pub struct QueryPairs(Vec<(Cow<'static, str>, String)>);

impl QueryPairs {
    /// Adds `name=value`.
    pub fn push(&mut self, name: &'static str, value: String) {
        self.0.push((Cow::Borrowed(name), value));
    }

    /// Adds `name=value` for each of `values` as its `Display` writes it: the value of an
    /// `Option` that has one, each item of a list (a `form` array, exploded).
    pub fn push_each<T: Display>(&mut self, name: &'static str, values: impl IntoIterator<Item = T>) {
        for value in values {
            self.push(name, value.to_string());
        }
    }

    /// Adds the pairs of parameter `name` with the JSON form `value`, as `style` says
    /// (see [`pairs`]).
    pub fn push_json(&mut self, name: &'static str, value: &serde_json::Value, style: Style) {
        let mut written = Vec::new();
        pairs(name, value, style, &mut written);
        self.0
            .extend(written.into_iter().map(|(key, text)| (Cow::Owned(key), text)));
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

/// `value` as one path segment, or the invalid request it would make: the empty string,
/// `.` and `..` would change the path itself (URLs resolve them away), so they are
/// refused. Every other value stays inside its segment, `/`, `?`, `#` and `%`
/// percent-encoded.
#[doc(hidden)]
pub fn path_segment<S: Service, T: AsRef<str> + ?Sized>(value: &T) -> Result<&str, Error<S>> {
    match value.as_ref() {
        value @ ("" | "." | "..") => Err(Error::invalid(format!(
            "the path parameter value `{value}` cannot be sent as a path segment"
        ))),
        value => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{QueryPairs, path_segment, simple_text};
    use crate::common::Style;
    use crate::common::testing::Plain;

    /// The query string `pairs` write.
    fn written(pairs: QueryPairs) -> Option<String> {
        let mut url = reqwest::Url::parse("https://api.example/v1/items").unwrap();
        pairs.write_to(&mut url);
        url.query().map(str::to_owned)
    }

    fn one(name: &'static str, value: serde_json::Value, style: Style) -> Option<String> {
        let mut pairs = QueryPairs::default();
        pairs.push_json(name, &value, style);
        written(pairs)
    }

    #[test]
    fn no_pairs_write_no_question_mark() {
        assert_eq!(written(QueryPairs::default()), None);
    }

    #[test]
    fn pairs_are_percent_encoded_in_the_url() {
        let query = one("f", json!({"a": {"b": 1}, "c": [1, 2]}), Style::DeepObject).unwrap();
        assert_eq!(query, "f%5Ba%5D%5Bb%5D=1&f%5Bc%5D%5B%5D=1&f%5Bc%5D%5B%5D=2");
    }

    #[test]
    fn null_is_left_out_and_strings_are_sent_without_quotes() {
        assert_eq!(one("q", json!(null), Style::Form), None);
        assert_eq!(
            one("q", json!("a b&c"), Style::Form).as_deref(),
            Some("q=a+b%26c")
        );
    }

    #[test]
    fn simple_text_joins_arrays_and_object_pairs_with_commas() {
        assert_eq!(simple_text(&json!([1, "a"])), "1,a");
        assert_eq!(simple_text(&json!({"k": 1, "v": true})), "k,1,v,true");
        assert_eq!(simple_text(&json!("plain")), "plain");
    }

    #[test]
    fn path_segments_that_would_change_the_path_are_refused() {
        for value in ["", ".", ".."] {
            let refused = path_segment::<Plain, _>(value);
            assert!(
                matches!(&refused, Err(crate::common::Error::InvalidRequest { message, .. }) if message.contains("path segment")),
                "{value:?}: {refused:?}"
            );
        }
        assert_eq!(path_segment::<Plain, _>("a/b").ok(), Some("a/b"));
        assert_eq!(path_segment::<Plain, _>(&String::from("..a")).ok(), Some("..a"));
    }

    #[test]
    fn push_each_writes_every_value_and_nothing_for_none() {
        // As operations call it: over an `Option` field and a list field, borrowed.
        let (state, label, ids) = (Some("open".to_owned()), None::<String>, vec![1, 2]);
        let mut pairs = QueryPairs::default();
        pairs.push_each("state", state.iter());
        pairs.push_each("label", label.iter());
        pairs.push_each("id", ids.iter());
        pairs.push_each("page", [3]);
        assert_eq!(written(pairs).as_deref(), Some("state=open&id=1&id=2&page=3"));
    }
}
