//! The one place spec prose becomes doc comments. The output must satisfy rustdoc with
//! `-D warnings`: no bare URLs, no `[text]` read as a broken intra-doc link, no stray HTML
//! tags, and no code block that rustdoc would try to compile as a doctest.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::html;
use crate::ir::Docs;

/// The doc comment of `docs`, then `extra` paragraphs we add ourselves: one `#[doc = ...]`
/// attribute holding all its lines, as [`crate::format::DOC_LINES`] says, which the format
/// stage prints as a `///` line each.
pub fn attrs(docs: &Docs, extra: &[String]) -> TokenStream {
    let deprecated = docs.deprecated.then(|| "**Deprecated** in the spec.".to_owned());
    let lines = doc_lines(docs.paragraphs.iter().chain(extra).chain(&deprecated));
    if lines.is_empty() {
        return TokenStream::new();
    }
    let mut run = String::with_capacity(lines.iter().map(|line| line.len() + 3).sum::<usize>() + 3);
    run.push(crate::format::DOC_LINES);
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            run.push(crate::format::DOC_BREAK);
        }
        run.push_str(line);
    }
    let run = literal(&run);
    quote! { #[doc = #run] }
}

/// `#[deprecated]` where the spec deprecates the item. Only for items the generated code
/// itself never names (struct fields, which serde's derives may touch, and client methods):
/// on a type it would warn at every generated use.
pub fn deprecated(docs: &Docs) -> TokenStream {
    match docs.deprecated {
        true => quote!(#[deprecated = "deprecated in the spec"]),
        false => quote!(),
    }
}

/// Inner `//!` doc attributes for a module, one per line.
pub fn inner_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs).into_iter().map(|line| literal(&line));
    quote! { #( #![doc = #lines] )* }
}

/// The sanitized lines of `paragraphs`, a blank line between paragraphs (empty ones
/// skipped), each non-blank line with the space that follows `///`.
fn doc_lines<'a>(paragraphs: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        let paragraph = sanitize(paragraph);
        if paragraph.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            paragraph
                .into_iter()
                .map(|l| if l.is_empty() { l } else { format!(" {l}") }),
        );
    }
    lines
}

/// `text` as a raw string literal (`r"..."`, with as many `#` as it needs). Docs are most of
/// a generated file's text, and this is their cheap form: an escaped literal is escaped
/// char by char here, then unescaped char by char by syn when it parses it and again when
/// prettyplease prints it as `///`, where a raw one is only copied. A carriage return,
/// which a raw literal may not hold alone, takes the escaped form.
fn literal(text: &str) -> Literal {
    if text.contains('\r') {
        return Literal::string(text);
    }
    // One `#` more than the longest run that follows a quote in the text.
    let mut hashes = 0;
    for (at, _) in text.match_indices('"') {
        let run = text[at + 1..].bytes().take_while(|&b| b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// Rewrites markdown so rustdoc renders it as written and never compiles it; a description
/// written in HTML is first made Markdown, and character references the characters they
/// name (see [`html`]).
pub fn sanitize(text: &str) -> Vec<String> {
    let markdown = html::markdown(text);
    let text = html::decode_references(markdown.as_deref().unwrap_or(text));
    // Tabs render unpredictably (and clippy refuses them in docs): four spaces each. The
    // characters that mark a run of doc lines mean nothing in prose: replaced.
    let text = text
        .replace('\t', "    ")
        .replace([crate::format::DOC_LINES, crate::format::DOC_BREAK], "\u{FFFD}");
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut list_indent: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = fence.clone() {
            if trimmed.starts_with(marker.as_str()) {
                fence = None;
                out.push(marker);
            } else {
                out.push(line.trim_end().to_owned());
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
            // Whatever the language, a fence in a spec is an illustration, not a test.
            out.push(format!("{marker}text"));
            fence = Some(marker);
            continue;
        }
        // Leading indentation would turn prose into an indented code block (a doctest);
        // a list item's continuation lines are indented to the item's text instead.
        let line = inline(trimmed.trim_end());
        if line.is_empty() {
            list_indent = None;
        } else if let Some(width) = list_marker(&line) {
            list_indent = Some(width);
        } else if let Some(width) = list_indent {
            out.push(format!("{}{line}", " ".repeat(width)));
            continue;
        }
        out.push(line);
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    out
}

/// Width of a markdown list marker (`- `, `* `, `+ `, `1. `, `2) `) starting `line`, with the
/// spaces after it: the column where the item's text starts, to which its continuation lines
/// are indented (CommonMark: one to four spaces; from five on, one, the rest being code).
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    let marker = match (digits, rest.chars().next()) {
        (0, Some('-' | '*' | '+')) => 1,
        (1..=9, Some('.' | ')')) => digits + 1,
        _ => return None,
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Escapes one line of prose outside code spans.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        // Text up to the next character that may start something escaped or kept whole (a
        // code span, a link, a URL, a bracket, an angle bracket) is copied as it is.
        let plain = rest
            .find(['`', '[', ']', '<', '>', 'h', '\\'])
            .unwrap_or(rest.len());
        if plain > 0 {
            out.push_str(&rest[..plain]);
            rest = &rest[plain..];
            continue;
        }
        // A backslash escape stays one (Markdown made from HTML escapes its own text).
        if let Some(escaped) = rest.strip_prefix('\\').and_then(|after| after.chars().next()) {
            out.push('\\');
            if escaped.is_ascii_punctuation() {
                out.push(escaped);
                rest = &rest[1 + escaped.len_utf8()..];
            } else {
                rest = &rest[1..];
            }
            continue;
        }
        // An autolink stays one.
        if let Some(link) = autolink(rest) {
            out.push_str(&rest[..link]);
            rest = &rest[link..];
            continue;
        }
        if rest.starts_with('`') {
            let ticks: String = rest.chars().take_while(|c| *c == '`').collect();
            if let Some(end) = rest[ticks.len()..].find(ticks.as_str()) {
                let span = ticks.len() * 2 + end;
                out.push_str(&rest[..span]);
                rest = &rest[span..];
                continue;
            }
            out.push_str(&ticks.replace('`', "\\`"));
            rest = &rest[ticks.len()..];
            continue;
        }
        if let Some(link) = markdown_link(rest) {
            // The link's text is prose like any other (`[<Pay> Connectors](https://...)`).
            let close = rest[..link].find("](").unwrap_or_default();
            out.push('[');
            out.push_str(&inline(&rest[1..close]));
            out.push_str(&rest[close..link]);
            rest = &rest[link..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '`')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        match c {
            '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            // Escaped, so that no angle bracket reads as an HTML tag.
            '<' => out.push_str("\\<"),
            '>' => out.push_str("\\>"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Length of an autolink (`<https://...>`) at the start of `text`, kept verbatim.
fn autolink(text: &str) -> Option<usize> {
    let url = text.strip_prefix('<')?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    let end = url.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    url[end..].starts_with('>').then_some(end + 2)
}

/// Length of a `[text](http...)` link at the start of `text`, kept verbatim.
fn markdown_link(text: &str) -> Option<usize> {
    if !text.starts_with('[') {
        return None;
    }
    let close = text.find("](")?;
    if text[1..close].contains(['[', ']']) {
        return None;
    }
    let target = &text[close + 2..];
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let end = target.find(')')?;
    if target[..end].contains(char::is_whitespace) {
        return None;
    }
    Some(close + 2 + end + 1)
}

/// The API's title with its version, as the docs name it: `Shop API (version 2)`, or the
/// title alone when the spec gives no version.
pub fn titled(api: &crate::ir::Api) -> String {
    match api.version.as_str() {
        "" => api.title.clone(),
        version => format!("{} (version {version})", api.title),
    }
}

#[cfg(test)]
mod tests {
    use super::{literal, sanitize};

    #[test]
    fn the_characters_that_mark_a_doc_comment_never_come_from_prose() {
        let prose = format!("a{}b{}c", crate::format::DOC_LINES, crate::format::DOC_BREAK);
        assert_eq!(sanitize(&prose), vec!["a\u{FFFD}b\u{FFFD}c".to_owned()]);
    }

    #[test]
    fn a_doc_comment_is_one_attribute_of_its_lines() {
        let docs = crate::ir::Docs::from_parts([Some("Two\n\nparagraphs.")]);
        let attrs = super::attrs(&docs, &["Extra.".to_owned()]);
        let text = format!(
            "{}{}{}{}{}{}{}{}",
            crate::format::DOC_LINES,
            " Two",
            crate::format::DOC_BREAK,
            "",
            crate::format::DOC_BREAK,
            " paragraphs.",
            crate::format::DOC_BREAK,
            "",
        ) + &format!("{} Extra.", crate::format::DOC_BREAK);
        let attr: syn::Attribute = syn::parse_quote!(#attrs);
        let syn::Meta::NameValue(meta) = attr.meta else {
            panic!("a name-value attribute")
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(value),
            ..
        }) = meta.value
        else {
            panic!("a string")
        };
        assert_eq!(value.value(), text);
        assert!(super::attrs(&crate::ir::Docs::default(), &[]).is_empty());
    }

    #[test]
    fn doc_literals_read_back_as_written() {
        let cases = [
            ("", "r\"\""),
            (" plain prose", "r\" plain prose\""),
            (
                " a \\ backslash and a \"quote\"",
                "r#\" a \\ backslash and a \"quote\"\"#",
            ),
            (" \"## after a quote", "r###\" \"## after a quote\"###"),
            (" unicode: é – ✓", "r\" unicode: é – ✓\""),
            (" a lone \r return", "\" a lone \\r return\""),
        ];
        for (text, written) in cases {
            let literal = literal(text);
            assert_eq!(literal.to_string(), written, "{text:?}");
            let read: syn::LitStr = syn::parse2(quote::quote!(#literal)).expect("a string literal");
            assert_eq!(read.value(), text);
        }
    }

    #[test]
    fn prose_is_escaped_for_rustdoc() {
        let cases = [
            ("See https://example.com/docs.", "See <https://example.com/docs>."),
            ("a [note] here", "a \\[note\\] here"),
            (
                "keep [the docs](https://x.io/a) as a link",
                "keep [the docs](https://x.io/a) as a link",
            ),
            ("a <string> value", "a \\<string\\> value"),
            ("an <https://x.io/a> autolink", "an <https://x.io/a> autolink"),
            (
                "[<Pay> Connectors](https://x.io/pay)",
                "[\\<Pay\\> Connectors](https://x.io/pay)",
            ),
            ("kept \\[escapes\\] and \\d", "kept \\[escapes\\] and \\d"),
            ("AT&amp;T&nbsp;Inc", "AT&T\u{a0}Inc"),
            ("code `Vec<[u8]>` stays", "code `Vec<[u8]>` stays"),
            ("    indented", "indented"),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), vec![expected.to_owned()], "{input:?}");
        }
    }

    #[test]
    fn list_continuations_are_indented() {
        let input = "Codes:\n- 900101: a field\nis invalid\n10. ten\nmore\n*   wide\ntext\n-      code\nnext\n\nafter";
        let expected = [
            "Codes:",
            "- 900101: a field",
            "  is invalid",
            "10. ten",
            "    more",
            "*   wide",
            "    text",
            "-      code",
            "  next",
            "",
            "after",
        ];
        assert_eq!(sanitize(input), expected);
    }

    #[test]
    fn code_fences_never_become_doctests() {
        let input = "Example:\n```\nlet x = 1;\n```\n```rust\nfn main() {}\n```\n```json\n{\"a\": [1]}";
        let expected = [
            "Example:",
            "```text",
            "let x = 1;",
            "```",
            "```text",
            "fn main() {}",
            "```",
            "```text",
            "{\"a\": [1]}",
            "```",
        ];
        assert_eq!(sanitize(input), expected);
    }
}
