//! Descriptions written in HTML (Stripe's `<p>`, `<code>`, `<a href>`) become the Markdown
//! rustdoc reads, through htmd; character references (`&nbsp;`, `&#39;`) in any
//! description become the characters they name. Called by [`super::docs::sanitize`], which
//! escapes what remains.

use std::borrow::Cow;
use std::sync::OnceLock;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BrStyle, BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};

/// The elements whose tags make a description HTML: those a description may hold (text,
/// lists, tables, code, links). Any other angle bracket is text (`Bearer <token>`,
/// TwiML's `<Say>`).
const ELEMENTS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
];

/// `text` as Markdown where it is HTML: it holds an element of [`ELEMENTS`], opened and
/// closed (`<p>...</p>`), or a `<br>` or `<hr>`. `None` where it is not, which is most prose
/// (a lone `<b>` in a value quoted in the docs is text).
///
/// A description that opens with a block (`<p>`, `<ul>`, `<table>`, as Stripe's do) is an
/// HTML document, converted whole; any other is Markdown with HTML inline (`a <b>bold</b>
/// word`), whose elements become their Markdown where they stand, the rest kept as written.
pub fn markdown(text: &str) -> Option<String> {
    let html = tags(text).any(|tag| {
        tag.known
            && !tag.closing
            && (matches!(tag.name.to_ascii_lowercase().as_str(), "br" | "hr")
                || tags(text).any(|other| other.closing && other.name.eq_ignore_ascii_case(tag.name)))
    });
    if !html {
        return None;
    }
    let first = tags(text).next().filter(|tag| text[..tag.at].trim().is_empty());
    let document = first.is_some_and(|tag| {
        BLOCKS.iter().any(|block| block.eq_ignore_ascii_case(tag.name)) && tag.known && !tag.closing
    });
    if !document {
        return Some(inline(text));
    }
    // Angle brackets that open no element of ours are text to the parser too.
    let mut html = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for Tag { at, known, .. } in tags(text) {
        if !known {
            html.push_str(&text[copied..at]);
            html.push_str("&lt;");
            copied = at + 1;
        }
    }
    html.push_str(&text[copied..]);
    converter().convert(&html).ok()
}

/// The elements that make a description an HTML document when it opens with one.
const BLOCKS: &[&str] = &[
    "blockquote",
    "div",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
];

/// Markdown `text` with each element of [`ELEMENTS`] in it made Markdown where it stands:
/// emphasis, code, absolute links and line breaks kept, other tags dropped with their text
/// kept.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut link: Option<String> = None;
    for tag in tags(text).filter(|tag| tag.known) {
        let Some(end) = text[tag.at..].find('>').map(|end| tag.at + end + 1) else {
            continue;
        };
        out.push_str(&text[copied..tag.at]);
        copied = end;
        let name = tag.name.to_ascii_lowercase();
        match (name.as_str(), tag.closing) {
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("code" | "tt" | "kbd", _) => out.push('`'),
            ("br", _) => out.push_str("\\\n"),
            ("p", _) => out.push_str("\n\n"),
            ("a", false) => {
                link = href(&text[tag.at..end])
                    .filter(|href| href.starts_with("https://") || href.starts_with("http://"));
                if link.is_some() {
                    out.push('[');
                }
            }
            ("a", true) => {
                if let Some(href) = link.take() {
                    out.push_str("](");
                    out.push_str(&href);
                    out.push(')');
                }
            }
            _ => {}
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The `href` of the tag `tag` (`<a href="...">`), quoted or not.
fn href(tag: &str) -> Option<String> {
    let at = tag.to_ascii_lowercase().find("href=")?;
    let value = &tag[at + 5..];
    let value = match value.chars().next()? {
        quote @ ('"' | '\'') => value[1..].split(quote).next()?,
        _ => value.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(value.to_owned())
}

/// A `<` that opens a tag.
struct Tag<'a> {
    at: usize,
    name: &'a str,
    /// `</name>`.
    closing: bool,
    /// Its element is one of [`ELEMENTS`].
    known: bool,
}

/// The places of `<` in `text` that open a tag.
fn tags(text: &str) -> impl Iterator<Item = Tag<'_>> + '_ {
    text.match_indices('<').filter_map(|(at, _)| {
        let after = &text[at + 1..];
        let (closing, rest) = match after.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, after),
        };
        let name_end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let ends = after.starts_with(['>', ' ', '/', '\n', '\t']);
        let known = ends && ELEMENTS.iter().any(|element| element.eq_ignore_ascii_case(name));
        Some(Tag {
            at,
            name,
            closing,
            known,
        })
    })
}

/// The converter, built once: `-` bullets, hard breaks as a trailing backslash (trailing
/// spaces do not survive the docs), and links kept only where they lead somewhere from
/// rustdoc (an absolute `http(s)` URL; a relative one is its text).
fn converter() -> &'static HtmlToMarkdown {
    static CONVERTER: OnceLock<HtmlToMarkdown> = OnceLock::new();
    CONVERTER.get_or_init(|| {
        let options = Options {
            br_style: BrStyle::Backslash,
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        };
        HtmlToMarkdown::builder()
            .options(options)
            .skip_tags(vec!["script", "style", "img"])
            .add_handler(vec!["a"], |handlers: &dyn Handlers, element: Element| {
                let href = element
                    .attrs
                    .iter()
                    .find(|attr| &*attr.name.local == "href")
                    .map(|attr| attr.value.to_string());
                match href {
                    Some(href) if href.starts_with("https://") || href.starts_with("http://") => {
                        handlers.fallback(element)
                    }
                    _ => Some(HandlerResult::from(handlers.walk_children(element.node).content)),
                }
            })
            .build()
    })
}

/// `text` with the character references HTML and XML share, and the typographic ones
/// descriptions use, decoded (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&nbsp;`, dashes,
/// quotes, `&#233;`, `&#xE9;`). Any other `&` is left as written.
pub fn decode_references(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let character = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => '\u{a0}',
                "ndash" => '–',
                "mdash" => '—',
                "hellip" => '…',
                "lsquo" => '‘',
                "rsquo" => '’',
                "ldquo" => '“',
                "rdquo" => '”',
                "copy" => '©',
                "reg" => '®',
                "trade" => '™',
                _ => {
                    let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => name.strip_prefix('#').and_then(|decimal| decimal.parse().ok()),
                    };
                    code.and_then(char::from_u32)
                        .filter(|c| !c.is_control() || c.is_whitespace())?
                }
            };
            Some((character, end + 1))
        });
        match decoded {
            Some((character, length)) => {
                out.push(character);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{decode_references, markdown};

    #[test]
    fn stripe_descriptions_become_markdown() {
        let html = "<p>Creates a new customer object.</p>\n<p>See <a href=\"https://stripe.com/docs/api/expanding_objects\">\
                    expanding</a> and <a href=\"/docs/api/metadata\">metadata</a>; set <code>expand[]</code> to \
                    <strong>any</strong> field.</p>";
        assert_eq!(
            markdown(html).as_deref(),
            Some(
                "Creates a new customer object.\n\nSee [expanding](https://stripe.com/docs/api/expanding_objects) \
                 and metadata; set `expand[]` to **any** field."
            )
        );
    }

    #[test]
    fn lists_and_breaks_keep_their_shape() {
        let html =
            "<p>One of:</p><ul><li><code>none</code></li><li><code>exempt</code></li></ul><p>a<br>b</p>";
        assert_eq!(
            markdown(html).as_deref(),
            Some("One of:\n\n- `none`\n- `exempt`\n\na\\\nb")
        );
    }

    #[test]
    fn prose_with_angle_brackets_is_not_html() {
        for text in [
            "Authorization: Bearer <api_key>",
            "a TwiML document with `<Play>` or <Say> verbs",
            "projects/<NUM>/locations",
            "1 < 2 and 3 > 2",
            "The server assumes `\"`\\[Foo\\]` <b>\"` when it is absent.",
        ] {
            assert_eq!(markdown(text), None, "{text}");
        }
    }

    #[test]
    fn placeholders_inside_html_stay_text() {
        let html = "<p>Send <code>Authorization: Basic &lt;key&gt;</code> or Basic <api_key>.</p>";
        let converted = markdown(html).expect("HTML");
        assert!(converted.contains("`Authorization: Basic <key>`"), "{converted}");
        assert!(converted.contains("api\\_key"), "{converted}");
    }

    #[test]
    fn html_inside_markdown_is_made_markdown_where_it_stands() {
        let text = "Text with <b>tags</b>, <code>code</code> and a <a href=\"https://x.io/a\">link</a>.\n\n```json\n{\"a\": 1}\n```";
        assert_eq!(
            markdown(text).as_deref(),
            Some("Text with **tags**, `code` and a [link](https://x.io/a).\n\n```json\n{\"a\": 1}\n```")
        );
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(
            decode_references("a&nbsp;b &amp; c&#39;s &#xE9;t&eacute;"),
            "a\u{a0}b & c's ét&eacute;"
        );
        assert_eq!(decode_references("AT&T; R&D"), "AT&T; R&D");
        assert!(matches!(
            decode_references("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }
}
