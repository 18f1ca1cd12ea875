//! Name-value pairs from a value's JSON form, as OpenAPI's `style` says: the one encoder of
//! query strings and of `application/x-www-form-urlencoded` bodies.

use std::fmt::Write as _;

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;
use serde_json::{Map, Value};

/// How a structured value is written: a query parameter's or a form field's `style` and
/// `explode`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// form, explode: `a=1&b=2` for an object, `id=1&id=2` for an array.
    Form,
    /// form without explode (`,`), spaceDelimited, pipeDelimited: `obj=a,1,b,2`.
    Delimited(char),
    /// deepObject: `obj[a]=1&obj[b]=2`.
    DeepObject,
}

/// A scalar's text in a URL, a header or a form; `None` for `null`. Arrays and objects are
/// written as compact JSON where no style says otherwise.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// Appends to `out` the pairs of `name` whose value has the JSON form `value`, as `style`
/// says. `null` writes nothing, and neither does an empty list or object.
///
/// Where a value holds objects or lists within it, they are written in brackets, the form
/// PHP, Rack, Express's `qs` and Stripe read: `meta[key]=v` for an object, `ids[]=1` for a
/// list of scalars, `items[0][price]=p` for a list of anything else.
#[doc(hidden)]
pub fn pairs(name: &str, value: &Value, style: Style, out: &mut Vec<(String, String)>) {
    match (value, style) {
        (Value::Object(object), Style::Form) => {
            for (key, item) in by_name(object) {
                brackets(key.clone(), item, out);
            }
        }
        (Value::Array(items), Style::Form) => {
            for (index, item) in items.iter().enumerate() {
                match item {
                    Value::Object(_) | Value::Array(_) => brackets(format!("{name}[{index}]"), item, out),
                    scalar => out.extend(scalar_text(scalar).map(|text| (name.to_owned(), text))),
                }
            }
        }
        (Value::Object(object), Style::Delimited(separator)) => {
            let parts: Vec<String> = by_name(object)
                .into_iter()
                .filter_map(|(key, item)| scalar_text(item).map(|text| format!("{key}{separator}{text}")))
                .collect();
            if !parts.is_empty() {
                out.push((name.to_owned(), parts.join(&separator.to_string())));
            }
        }
        (Value::Array(items), Style::Delimited(separator)) => {
            let parts: Vec<String> = items.iter().filter_map(scalar_text).collect();
            if !parts.is_empty() {
                out.push((name.to_owned(), parts.join(&separator.to_string())));
            }
        }
        (value, Style::DeepObject) => brackets(name.to_owned(), value, out),
        (scalar, _) => out.extend(scalar_text(scalar).map(|text| (name.to_owned(), text))),
    }
}

/// The pairs of `value` under `key`, nested values in brackets (see [`pairs`]).
fn brackets(key: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (name, item) in by_name(object) {
                brackets(format!("{key}[{name}]"), item, out);
            }
        }
        Value::Array(items) if items.iter().all(|item| !item.is_object() && !item.is_array()) => {
            let key = format!("{key}[]");
            out.extend(
                items
                    .iter()
                    .filter_map(scalar_text)
                    .map(|text| (key.clone(), text)),
            );
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                brackets(format!("{key}[{index}]"), item, out);
            }
        }
        scalar => out.extend(scalar_text(scalar).map(|text| (key, text))),
    }
}

/// The properties of `object` in name order, whichever order the map keeps (serde_json's
/// `preserve_order` feature, which any crate of a build may turn on, keeps insertion order):
/// the same value is written the same way in every build.
fn by_name(object: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut properties: Vec<(&String, &Value)> = object.iter().collect();
    properties.sort_unstable_by_key(|(name, _)| *name);
    properties
}

/// How the properties of a form body are written, from its media type's `encoding`: the
/// style of each property written other than in the `form` style, exploded, and the
/// properties whose values keep RFC 3986's reserved characters (`:/?[]@!$'(),;`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct FormFields {
    pub styles: &'static [(&'static str, Style)],
    pub reserved: &'static [&'static str],
}

/// `value` as an `application/x-www-form-urlencoded` body, its properties written as
/// `fields` says, in name order (as the keys of every JSON object here). `Err` says why it
/// cannot be one: only an object has properties.
#[doc(hidden)]
pub fn form_text<T: Serialize + ?Sized>(value: &T, fields: FormFields) -> Result<String, String> {
    let value =
        serde_json::to_value(value).map_err(|error| format!("the form body cannot be written: {error}"))?;
    let Value::Object(object) = value else {
        return Err("a form body is an object; this value is not one".to_owned());
    };
    let mut text = String::new();
    let mut written = Vec::new();
    for (name, item) in by_name(&object) {
        let style = fields
            .styles
            .iter()
            .find(|(field, _)| field == name)
            .map_or(Style::Form, |(_, style)| *style);
        let allow_reserved = fields.reserved.contains(&name.as_str());
        written.clear();
        pairs(name, item, style, &mut written);
        for (key, value) in &written {
            if !text.is_empty() {
                text.push('&');
            }
            encode(&mut text, key, false);
            text.push('=');
            encode(&mut text, value, allow_reserved);
        }
    }
    Ok(text)
}

/// `request` with the form body of `value` (see [`form_text`]), sent as `media`.
#[doc(hidden)]
pub fn form_body<T: Serialize + ?Sized>(
    request: RequestBuilder,
    media: &'static str,
    value: &T,
    fields: FormFields,
) -> Result<RequestBuilder, String> {
    let text = form_text(value, fields)?;
    Ok(request.header(CONTENT_TYPE, media).body(text))
}

/// Appends `text` percent-encoded as `application/x-www-form-urlencoded` says: letters,
/// digits and `*-._` as they are, a space as `+`, every other byte as `%XX`; with
/// `allow_reserved`, RFC 3986's reserved characters stay too, except the four that would
/// change how the body is read (`&`, `=`, `+`, `#`).
fn encode(out: &mut String, text: &str, allow_reserved: bool) {
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            b':' | b'/' | b'?' | b'[' | b']' | b'@' | b'!' | b'$' | b'\'' | b'(' | b')' | b',' | b';'
                if allow_reserved =>
            {
                out.push(char::from(byte))
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{FormFields, Style, form_text, pairs};

    fn written(name: &str, value: Value, style: Style) -> Vec<String> {
        let mut out = Vec::new();
        pairs(name, &value, style, &mut out);
        out.into_iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect()
    }

    #[test]
    fn form_explodes_lists_into_repeated_names_and_objects_into_their_properties() {
        assert_eq!(written("id", json!([1, 2]), Style::Form), ["id=1", "id=2"]);
        assert_eq!(
            written("f", json!({"a": 1, "b": "x"}), Style::Form),
            ["a=1", "b=x"]
        );
    }

    #[test]
    fn delimited_styles_join_with_their_separator() {
        assert_eq!(written("id", json!([1, 2]), Style::Delimited(',')), ["id=1,2"]);
        assert_eq!(
            written("id", json!(["a", "b"]), Style::Delimited('|')),
            ["id=a|b"]
        );
        assert_eq!(
            written("o", json!({"a": 1, "b": 2}), Style::Delimited(',')),
            ["o=a,1,b,2"]
        );
        assert!(written("id", json!([]), Style::Delimited(',')).is_empty());
    }

    #[test]
    fn deep_objects_nest_keys_in_brackets() {
        assert_eq!(
            written("f", json!({"a": {"b": 1}, "c": [1, 2]}), Style::DeepObject),
            ["f[a][b]=1", "f[c][]=1", "f[c][]=2"]
        );
    }

    #[test]
    fn lists_of_objects_are_indexed() {
        let items = json!([{"price": "p_1", "quantity": 2}, {"price": "p_2"}]);
        assert_eq!(
            written("items", items.clone(), Style::DeepObject),
            [
                "items[0][price]=p_1",
                "items[0][quantity]=2",
                "items[1][price]=p_2"
            ]
        );
        assert_eq!(
            written("items", items, Style::Form),
            [
                "items[0][price]=p_1",
                "items[0][quantity]=2",
                "items[1][price]=p_2"
            ]
        );
    }

    #[test]
    fn null_is_left_out_and_strings_are_written_without_quotes() {
        assert!(written("q", json!(null), Style::Form).is_empty());
        assert_eq!(
            written("q", json!({"a": null, "b": ""}), Style::DeepObject),
            ["q[b]="]
        );
        assert_eq!(written("q", json!("a b"), Style::Form), ["q=a b"]);
        assert_eq!(written("q", json!(true), Style::DeepObject), ["q=true"]);
    }

    #[derive(serde::Serialize)]
    struct Customer {
        email: &'static str,
        metadata: serde_json::Map<String, Value>,
        expand: Vec<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        phone: Option<&'static str>,
        tags: Vec<&'static str>,
    }

    #[test]
    fn form_bodies_write_each_property_as_its_encoding_says() {
        let customer = Customer {
            email: "jenny.rosen@example.com",
            metadata: json!({"order_id": "6735", "note": "a&b=c"})
                .as_object()
                .unwrap()
                .clone(),
            expand: vec!["tax", "invoice_settings.default_payment_method"],
            phone: None,
            tags: vec!["new", "vip"],
        };
        let fields = FormFields {
            styles: &[("metadata", Style::DeepObject), ("expand", Style::DeepObject)],
            reserved: &[],
        };
        let text = form_text(&customer, fields).unwrap();
        assert_eq!(
            text,
            "email=jenny.rosen%40example.com\
             &expand%5B%5D=tax&expand%5B%5D=invoice_settings.default_payment_method\
             &metadata%5Bnote%5D=a%26b%3Dc&metadata%5Border_id%5D=6735\
             &tags=new&tags=vip"
        );
    }

    #[test]
    fn the_encoding_is_the_one_urls_use_for_their_query() {
        let text = "a b&c=d+e/f?g[h]é~'";
        let mut url = reqwest::Url::parse("https://api.example/").unwrap();
        url.query_pairs_mut().append_pair("q", text);
        assert_eq!(
            form_text(&json!({"q": text}), FormFields::default()).unwrap(),
            url.query().unwrap()
        );
        // Reserved characters stay where allowed, but not those that would split the pair.
        let reserved = FormFields {
            styles: &[],
            reserved: &["q"],
        };
        assert_eq!(
            form_text(&json!({"q": text}), reserved).unwrap(),
            "q=a+b%26c%3Dd%2Be/f?g[h]%C3%A9%7E'"
        );
    }

    #[test]
    fn only_an_object_is_a_form_body() {
        let refused = form_text(&json!(["a"]), FormFields::default()).unwrap_err();
        assert!(refused.contains("a form body is an object"), "{refused}");
    }
}
