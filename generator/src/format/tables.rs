//! The tables of the runtime's table macros (`object!`, `string_enum!`, `int_enum!`,
//! `untagged!`, `stubs!`), printed a line per entry.
//!
//! prettyplease prints the input of a macro it does not know as one run of tokens wrapped
//! at the margin, with spaces around every `<` and `::` of a type. A model's table would
//! read as a paragraph, and adding one field would rewrap every line after it in a
//! review's diff. So [`take`] lifts each table out of the tokens before they are parsed,
//! leaving the invocation empty, and [`put_back`] prints it into the formatted text: the
//! name and each entry on a line of their own, types spaced as rustfmt spaces them. Tables
//! are also a large share of a models file, and printing them here is far cheaper than
//! parsing and printing them through syn and prettyplease.

use std::fmt::Write;

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};

use crate::error::Error;

/// The runtime's macros whose tables are printed here, token by token; each is invoked as
/// `crate::common::{name}! { ... }`.
const MACROS: [&str; 5] = ["object", "string_enum", "int_enum", "untagged", "stubs"];

/// A table taken out of the tokens: the macro it belongs to and its printed lines.
pub struct Table {
    name: &'static str,
    text: String,
}

/// The items of `tokens` with every `crate::common::{name}! { ... }` of a table macro among
/// them emptied, and the printed tables, in order.
pub fn take(tokens: TokenStream) -> (TokenStream, Vec<Table>) {
    let mut out: Vec<TokenTree> = Vec::new();
    let mut tables = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => match invoked(&out) {
                Some(name) => {
                    let mut text = String::new();
                    block(group.stream(), 1, &mut text);
                    tables.push(Table { name, text });
                    out.push(TokenTree::Group(Group::new(Delimiter::Brace, TokenStream::new())));
                }
                None => out.push(TokenTree::Group(group)),
            },
            tree => out.push(tree),
        }
    }
    (out.into_iter().collect(), tables)
}

/// `text` with each emptied invocation given its table back.
pub fn put_back(text: &str, tables: Vec<Table>, path: &str) -> Result<String, Error> {
    if tables.is_empty() {
        return Ok(text.to_owned());
    }
    let tables_len: usize = tables.iter().map(|table| table.text.len()).sum();
    let mut out = String::with_capacity(text.len() + tables_len);
    let mut tables = tables.into_iter();
    for line in text.lines() {
        match emptied(line) {
            Some(name) => {
                let table = tables
                    .next()
                    .filter(|table| table.name == name)
                    .ok_or_else(|| lost(path, name))?;
                out.push_str(&line[..line.len() - 1]);
                out.push('\n');
                out.push_str(&table.text);
                out.push_str("}\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    match tables.next() {
        Some(table) => Err(lost(path, table.name)),
        None => Ok(out),
    }
}

/// Whether `line` opens a table as [`put_back`] prints it (`crate::common::object! {`); the
/// table ends at the next line `}`.
pub fn opens(line: &str) -> bool {
    line.strip_prefix("crate::common::")
        .and_then(|rest| rest.strip_suffix("! {"))
        .is_some_and(|name| MACROS.contains(&name))
}

/// The table macro of `line` if the line is an invocation of it as prettyplease prints one
/// emptied (`crate::common::object! {}`), at the start of the line.
fn emptied(line: &str) -> Option<&'static str> {
    let name = line.strip_prefix("crate::common::")?.strip_suffix("! {}")?;
    MACROS.into_iter().find(|&known| known == name)
}

fn lost(path: &str, name: &str) -> Error {
    Error::Emit {
        file: path.to_owned(),
        message: format!("a `{name}!` table was not found where prettyplease printed its macro"),
    }
}

/// The table macro the tokens so far end with an invocation of (`crate::common::object!`).
fn invoked(tokens: &[TokenTree]) -> Option<&'static str> {
    // crate : : common : : name !
    let start = tokens.len().checked_sub(8)?;
    let tail = &tokens[start..];
    let word = |tree: &TokenTree, name: &str| matches!(tree, TokenTree::Ident(ident) if ident == name);
    let punct = |tree: &TokenTree, ch: char| matches!(tree, TokenTree::Punct(p) if p.as_char() == ch);
    let path = word(&tail[0], "crate")
        && punct(&tail[1], ':')
        && punct(&tail[2], ':')
        && word(&tail[3], "common")
        && punct(&tail[4], ':')
        && punct(&tail[5], ':')
        && punct(&tail[7], '!');
    if !path {
        return None;
    }
    MACROS.into_iter().find(|&name| word(&tail[6], name))
}

/// Prints `stream` at `depth` levels of indentation: a line ends at each `;`, after each
/// attribute and after each brace group, whose contents are a block of their own lines.
fn block(stream: TokenStream, depth: usize, out: &mut String) {
    let mut line = Line::default();
    let mut trees = stream.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                if group.stream().is_empty() {
                    line.push_text(Class::Word, "{}");
                } else {
                    line.push_text(Class::Word, "{");
                    line.end(depth, out);
                    block(group.stream(), depth + 1, out);
                    line.push_text(Class::Word, "}");
                }
                line.end(depth, out);
            }
            TokenTree::Punct(punct) if punct.as_char() == ';' => {
                line.push_text(Class::Semi, ";");
                line.end(depth, out);
            }
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                let bracketed = |tree: &TokenTree| matches!(tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket);
                match trees.next_if(bracketed) {
                    Some(TokenTree::Group(attribute)) => {
                        if !line.text.is_empty() {
                            line.end(depth, out);
                        }
                        print_attribute(attribute.stream(), depth, out);
                    }
                    _ => line.push(TokenTree::Punct(punct)),
                }
            }
            tree => line.push(tree),
        }
    }
    if !line.text.is_empty() {
        line.end(depth, out);
    }
}

/// Prints the attribute `#[stream]` on a line of its own at `depth`; a doc attribute as the
/// `///` comment it stands for where prettyplease prints one so (one line that does not
/// start with `/`, without its trailing spaces).
fn print_attribute(stream: TokenStream, depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    if let Some(text) = doc_text(&stream).filter(|text| !text.contains('\n') && !text.starts_with('/')) {
        super::push_doc(out, &indent, &text);
        return;
    }
    let mut line = Line::default();
    for tree in stream {
        line.push(tree);
    }
    out.push_str(&indent);
    out.push_str("#[");
    out.push_str(&line.text);
    out.push_str("]\n");
}

/// The text of a doc attribute's input (`doc = "text"`), or `None` for another attribute.
fn doc_text(stream: &TokenStream) -> Option<String> {
    let mut trees = stream.clone().into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(literal)), None) =
        (trees.next(), trees.next(), trees.next(), trees.next())
    else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' {
        return None;
    }
    let repr = literal.to_string();
    // A raw literal (as docs are emitted) is its text between the quotes; another is
    // unescaped by syn.
    if let Some(raw) = repr.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let text = raw.get(hashes + 1..raw.len().checked_sub(hashes + 1)?)?;
        return Some(text.to_owned());
    }
    match syn::Lit::new(literal) {
        syn::Lit::Str(text) => Some(text.value()),
        _ => None,
    }
}

/// What a token is, for the spaces around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// An identifier, a literal or a closing bracket.
    Word,
    /// A `:` on its own, after a member.
    Colon,
    /// The first `:` of a `::`.
    PathStart,
    /// The second `:` of a `::`.
    PathEnd,
    /// `<`, `&`, `'`, a sign or an opening bracket: what follows sticks to it.
    Open,
    /// `>`.
    Close,
    /// `,` or `;`.
    Semi,
    /// `=`, `|` and other operators, spaced on both sides.
    Operator,
}

/// The line being printed.
#[derive(Default)]
struct Line {
    text: String,
    last: Option<Class>,
}

impl Line {
    fn push(&mut self, tree: TokenTree) {
        match tree {
            TokenTree::Ident(ident) => self.push_display(Class::Word, &ident),
            TokenTree::Literal(literal) => self.push_display(Class::Word, &literal),
            TokenTree::Punct(punct) => {
                let class = match punct.as_char() {
                    ':' if self.last == Some(Class::PathStart) => Class::PathEnd,
                    ':' if punct.spacing() == Spacing::Joint => Class::PathStart,
                    ':' => Class::Colon,
                    '<' | '&' | '\'' => Class::Open,
                    // A sign after `=`: it sticks to its number.
                    '-' if self.last == Some(Class::Operator) => Class::Open,
                    '>' => Class::Close,
                    ',' | ';' => Class::Semi,
                    _ => Class::Operator,
                };
                self.push_display(class, &punct.as_char());
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                self.push_text(Class::Open, open);
                let mut inner = Line::default();
                for tree in group.stream() {
                    inner.push(tree);
                }
                self.text.push_str(&inner.text);
                self.text.push_str(close);
                self.last = Some(Class::Word);
            }
        }
    }

    /// [`Line::push_text`] of what `text` displays as, written in place.
    fn push_display(&mut self, class: Class, text: &impl std::fmt::Display) {
        self.space_before(class);
        // Writing into a `String` cannot fail.
        let _ = write!(self.text, "{text}");
    }

    fn space_before(&mut self, class: Class) {
        if let Some(last) = self.last {
            if space_between(last, class) {
                self.text.push(' ');
            }
        }
        self.last = Some(class);
    }

    fn push_text(&mut self, class: Class, text: &str) {
        self.space_before(class);
        self.text.push_str(text);
    }

    /// Writes the line at `depth` and starts the next.
    fn end(&mut self, depth: usize, out: &mut String) {
        for _ in 0..depth {
            out.push_str("    ");
        }
        out.push_str(&self.text);
        out.push('\n');
        *self = Line::default();
    }
}

/// Whether a space goes between a token of class `last` and one of class `next`.
fn space_between(last: Class, next: Class) -> bool {
    use Class::*;
    match (last, next) {
        (_, Semi | Colon | Close | PathEnd) => false,
        (Open | PathStart | PathEnd, _) => false,
        (Word | Close, Open | PathStart) => false,
        (_, Operator) | (Operator, _) => true,
        (Colon | Semi, _) => true,
        (Word | Close, Word) => true,
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{put_back, take};

    fn printed(table: proc_macro2::TokenStream) -> String {
        let (emptied, tables) = take(quote!(crate::common::object! { #table }));
        assert_eq!(emptied.to_string(), "crate :: common :: object ! { }");
        put_back("crate::common::object! {}\n", tables, "models.rs").unwrap()
    }

    #[test]
    fn a_table_is_printed_a_line_per_field_with_types_spaced_as_rustfmt_does() {
        let table = quote! {
            Repository {
                required id: i64 = "id";
                optional r#type: Option<::chrono::DateTime<::chrono::FixedOffset>> = "type" | "kind";
                present labels: Option<Option<Vec<Box<super::models::Label>>>> = "a;b {c}";
            }
            keep extra: ::std::collections::BTreeMap<String, (i64, [u8; 4], &'static str)>;
        };
        let expected = r#"crate::common::object! {
    Repository {
        required id: i64 = "id";
        optional r#type: Option<::chrono::DateTime<::chrono::FixedOffset>> = "type" | "kind";
        present labels: Option<Option<Vec<Box<super::models::Label>>>> = "a;b {c}";
    }
    keep extra: ::std::collections::BTreeMap<String, (i64, [u8; 4], &'static str)>;
}
"#;
        assert_eq!(printed(table), expected);
    }

    #[test]
    fn a_struct_without_fields_keeps_its_braces_on_its_line() {
        let expected = "crate::common::object! {\n    Anything {}\n    skip;\n}\n";
        assert_eq!(printed(quote!(Anything {} skip;)), expected);
    }

    #[test]
    fn an_enum_table_is_printed_a_line_per_value() {
        let tokens = quote! {
            crate::common::string_enum! { Status { Active = "active"; OnHold = "on hold"; } other Other; }
            crate::common::int_enum! { Level { Low = 1; Below = -1; } other Other; }
        };
        let (emptied, tables) = take(tokens);
        assert_eq!(
            emptied.to_string(),
            "crate :: common :: string_enum ! { } crate :: common :: int_enum ! { }"
        );
        let text = "crate::common::string_enum! {}\n\ncrate::common::int_enum! {}\n";
        let expected = "crate::common::string_enum! {\n    Status {\n        Active = \"active\";\n        OnHold = \"on hold\";\n    }\n    other Other;\n}\n\ncrate::common::int_enum! {\n    Level {\n        Low = 1;\n        Below = -1;\n    }\n    other Other;\n}\n";
        assert_eq!(put_back(text, tables, "models.rs").unwrap(), expected);
    }

    #[test]
    fn attributes_get_lines_of_their_own_and_docs_print_as_comments() {
        let (raw, quoted, escaped) = (
            proc_macro2::Literal::string(" plain"),
            "r#\" a \"quote\"\"#".parse::<proc_macro2::Literal>().unwrap(),
            proc_macro2::Literal::string(" a\rreturn"),
        );
        let raw: proc_macro2::Literal = format!("r{raw}").parse().unwrap();
        let table = quote! {
            #[doc = #raw]
            #[derive(Debug, Clone)]
            pub struct Pet {
                #[doc = #quoted]
                #[doc = #escaped]
                #[deprecated = "deprecated in the spec"]
                required name: String = "name";
            }
            report;
        };
        let expected = "crate::common::object! {\n    /// plain\n    #[derive(Debug, Clone)]\n    pub struct Pet {\n        /// a \"quote\"\n        /// a\rreturn\n        #[deprecated = \"deprecated in the spec\"]\n        required name: String = \"name\";\n    }\n    report;\n}\n";
        assert_eq!(printed(table), expected);
    }

    #[test]
    fn a_doc_prettyplease_would_not_print_as_a_line_comment_stays_an_attribute() {
        let table = quote! {
            #[doc = "/starts with a slash"]
            #[doc = "two\nlines"]
            #[doc = " trailing spaces  "]
            pub struct A {}
            skip;
        };
        let expected = "crate::common::object! {\n    #[doc = \"/starts with a slash\"]\n    #[doc = \"two\\nlines\"]\n    /// trailing spaces\n    pub struct A {}\n    skip;\n}\n";
        assert_eq!(printed(table), expected);
    }

    #[test]
    fn a_table_put_back_under_another_macro_is_an_error() {
        let (_, tables) = take(quote!(crate::common::string_enum! { A {} other Other; }));
        assert!(put_back("crate::common::object! {}\n", tables, "models.rs").is_err());
    }

    #[test]
    fn other_items_and_macros_are_left_as_they_are() {
        let tokens = quote! {
            pub struct A {}
            crate::common::constant!(A);
            crate::common::other! { A {} }
            other::object! { A {} }
        };
        let (emptied, tables) = take(tokens.clone());
        assert_eq!(emptied.to_string(), tokens.to_string());
        assert!(tables.is_empty());
    }

    #[test]
    fn prettyplease_leaves_the_emptied_invocation_where_the_table_goes_back() {
        let tokens = quote! {
            pub struct Pet { pub name: String }
            crate::common::object! { Pet { required name: String = "name"; } refuse; }
            impl Pet {}
        };
        let expected = "pub struct Pet {\n    pub name: String,\n}\n\ncrate::common::object! {\n    Pet {\n        required name: String = \"name\";\n    }\n    refuse;\n}\n\nimpl Pet {}\n";
        assert_eq!(super::super::body(tokens, "models.rs").unwrap(), expected);
    }

    #[test]
    fn a_table_left_unplaced_is_an_error() {
        let (_, tables) = take(quote!(crate::common::object! { A {} skip; }));
        assert!(put_back("pub struct A {}\n", tables, "models.rs").is_err());
    }
}
