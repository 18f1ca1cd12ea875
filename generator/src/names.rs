//! Stage 4: every Rust identifier, made once. Casing by heck's word rules, characters Rust does not
//! allow stripped, leading digits prefixed, keywords escaped, collisions resolved by a
//! deterministic ladder (the name, the name with its context, then numbers).

use std::collections::BTreeSet;

use crate::ir::{Api, Encoding, ParamIn, TypeKind};

/// Keywords usable as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else",
    "enum", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try",
    "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (or read badly as one): they get a `_` suffix.
const SUFFIXED_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "extern", "_"];

/// Spells `raw` in ASCII (`Ünïcödé` as `Unicode`, `日本` as `Ri Ben`) and replaces
/// everything but letters and digits by word breaks.
fn words(raw: &str) -> String {
    let ascii = if raw.is_ascii() {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(raw))
    };
    ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn escape(name: String, digit_prefix: &str, fallback: &str) -> String {
    let name = if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    };
    if SUFFIXED_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// `UpperCamelCase` identifier for a type or variant.
pub fn camel(raw: &str, fallback: &str) -> String {
    escape(upper_camel_case(&words(raw)), "N", fallback)
}

/// `snake_case` identifier for a field, method, argument or module.
pub fn snake(raw: &str, fallback: &str) -> String {
    escape(snake_case(&words(raw)), "n", fallback)
}

/// The words of `text`, ASCII letters and digits broken by spaces as [`words`] leaves it,
/// where heck finds them: at each space, before an uppercase letter that follows a lowercase
/// one (`petOwner`), and before the last uppercase letter of a run followed by a lowercase one
/// (`HTTPServer`). heck casts every character through `char::to_lowercase` and a formatter;
/// on ASCII that is most of the time to name a large spec, and the same words come out.
fn split_words(text: &str) -> Vec<&str> {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        /// No letter since the last break.
        None,
        Lower,
        Upper,
    }
    let mut found = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = word.as_bytes();
        let (mut start, mut case) = (0, Case::None);
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                found.push(&word[start..]);
                break;
            };
            let with_c = match c {
                b'a'..=b'z' => Case::Lower,
                b'A'..=b'Z' => Case::Upper,
                _ => case,
            };
            if with_c == Case::Lower && next.is_ascii_uppercase() {
                found.push(&word[start..=i]);
                (start, case) = (i + 1, Case::None);
            } else if case == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                found.push(&word[start..i]);
                (start, case) = (i, Case::None);
            } else {
                case = with_c;
            }
        }
    }
    found
}

/// heck's `to_upper_camel_case` of ASCII letters, digits and spaces.
fn upper_camel_case(text: &str) -> String {
    let mut cased = String::with_capacity(text.len());
    for word in split_words(text) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            cased.push(first.to_ascii_uppercase());
            cased.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    cased
}

/// heck's `to_snake_case` of ASCII letters, digits and spaces.
fn snake_case(text: &str) -> String {
    let mut cased = String::with_capacity(text.len() + text.len() / 4);
    for (index, word) in split_words(text).into_iter().enumerate() {
        if index > 0 {
            cased.push('_');
        }
        cased.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    cased
}

/// `name`, a valid identifier but perhaps a keyword (a crate's name in code, say), as Rust
/// reads it: raw if it is a keyword that may be.
pub fn raw_if_keyword(name: &str) -> String {
    if RAW_KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The identifier without a raw prefix: what serde sees as the field's name.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A set of identifiers in one Rust namespace.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `base`, else `base` + `context`, else the first free numbered form.
    pub fn claim(&mut self, base: &str, context: &str) -> String {
        if self.taken.insert(unraw(base).to_owned()) {
            return base.to_owned();
        }
        // Only a name already taken is joined with its context.
        if !context.is_empty() {
            let candidate = join(base, context);
            if self.taken.insert(unraw(&candidate).to_owned()) {
                return candidate;
            }
        }
        let stem = unraw(base).trim_end_matches('_');
        let separator = if stem.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

/// Appends a context word to a name, in the name's own casing.
fn join(base: &str, context: &str) -> String {
    let base = unraw(base).trim_end_matches('_');
    if base.starts_with(|c: char| c.is_ascii_lowercase()) {
        format!("{base}_{}", snake_case(&words(context)))
    } else {
        format!("{base}{}", upper_camel_case(&words(context)))
    }
}

/// Reason-phrase names for the status codes that commonly have a success body.
pub fn status_variant(status: u16) -> String {
    let known = match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        _ => "",
    };
    if known.is_empty() {
        format!("Status{status}")
    } else {
        known.to_owned()
    }
}

/// Every identifier of one generated module.
#[derive(Debug)]
pub struct Names {
    pub module: String,
    pub types: Vec<String>,
    /// Per type, the names inside it.
    pub members: Vec<Members>,
    pub ops: Vec<OpNames>,
    /// Field per security scheme, variant per requirement, of the `Credentials` type.
    pub credentials: CredentialNames,
    /// Argument per variable of the first server, for `Client::server_url`.
    pub server_args: Vec<String>,
}

/// Identifiers of the `Credentials` type.
#[derive(Debug, Default)]
pub struct CredentialNames {
    /// One per scheme, in order.
    pub fields: Vec<String>,
    /// One per requirement, in order (used when there are several).
    pub variants: Vec<String>,
}

/// The identifiers inside one type, each beside what it names.
#[derive(Debug, Default)]
pub struct Members {
    /// One per struct field, enum value or union variant, in the definition's order.
    pub each: Vec<String>,
    /// The struct's field of additional properties, if it has them.
    pub additional: Option<String>,
    /// The catch-all variant of an enum or discriminated union, for what the spec does not
    /// list.
    pub other: Option<String>,
}

impl Members {
    /// The catch-all variant; every enum and discriminated union has one.
    pub fn other(&self) -> &str {
        self.other.as_deref().unwrap_or("Other")
    }
}

/// Identifiers belonging to one operation.
#[derive(Debug)]
pub struct OpNames {
    /// The `Client` method.
    pub method: String,
    /// One per parameter, in order.
    pub args: Vec<String>,
    /// The request body's argument, if the operation has a body.
    pub body: Option<String>,
    /// The struct holding query and header parameters, if the operation has any.
    pub params_struct: Option<String>,
    /// The enum of success responses, if there are several.
    pub response_enum: Option<String>,
    /// The page helper's method and struct, if the operation pages.
    pub pages: Option<(String, String)>,
    /// Variant per success response, in order.
    pub response_variants: Vec<String>,
    /// The enum of the media types a body may be sent as, and its variants, where the call
    /// accepts several (see [`crate::ir::Body::choices`]).
    pub choice: Option<(String, Vec<String>)>,
    /// The method of the call's streaming twin, if it has one (see
    /// [`crate::ir::Operation::streaming_twin`]).
    pub stream: Option<String>,
    /// The struct of a multipart body's parts and its fields (one per part), if the body
    /// is multipart.
    pub parts: Option<(String, Vec<String>)>,
}

/// The crate-root module with the types every API module shares (exact decimals, null helpers).
pub const SUPPORT_MODULE: &str = "common";
/// Items every client module defines; operation-derived types must not clash with them.
pub const CLIENT_ITEMS: &[&str] = &["Api", "Client", "Credentials", "Error"];
/// Local names of every operation method besides its arguments (the parameters struct is
/// `params`, the request builder's context `call`): an argument of one of these names would
/// be shadowed by it.
pub const METHOD_LOCALS: &[&str] = &[
    "call", "cookies", "pairs", "params", "parts", "reply", "request", "url",
];
/// Methods a client module adds besides the operations (the runtime's own are
/// [`crate::runtime::client_methods`]).
pub const MODULE_METHODS: &[&str] = &["DEFAULT_BASE_URL", "server_url"];

/// Names the generated code uses bare, from Rust's prelude: a spec type cannot take them.
pub const PRELUDE: &[&str] = &[
    "Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec",
];

pub fn assign(api: &Api) -> Names {
    // The crate root also holds the shared support module; a spec cannot take its name.
    // Nor the name of a feature of the runtime: each module is a feature of the same name.
    let [gzip, deflate, brotli, zstd] = crate::runtime::DECODER_FEATURES.map(|(feature, _)| feature);
    let reserved = [
        SUPPORT_MODULE,
        crate::runtime::MOCK_FEATURE,
        gzip,
        deflate,
        brotli,
        zstd,
    ];
    let module = Namespace::with_reserved(&reserved).claim(&snake(&api.stem, "api"), "api");
    let mut type_space = Namespace::with_reserved(PRELUDE);
    let mut types = Vec::with_capacity(api.types.len());
    for def in &api.types {
        let name = camel(&def.hint.words.join(" "), "Unnamed");
        let context = if def.hint.component && !PRELUDE.contains(&name.as_str()) {
            ""
        } else {
            "Type"
        };
        types.push(type_space.claim(&name, context));
    }
    // Each type's members are a namespace of their own: named on every core.
    let members = crate::parallel::in_parallel(&api.types, |def| member_names(&def.kind));

    let mut method_space = Namespace::with_reserved(MODULE_METHODS);
    for name in crate::runtime::client_methods() {
        method_space.claim(name, "");
    }
    let mut item_space = Namespace::with_reserved(CLIENT_ITEMS);
    let mut ops = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let method = method_space.claim(&snake(&op.id, "call"), "operation");
        let type_base = camel(&op.id, "Operation");
        let mut arg_space = Namespace::with_reserved(METHOD_LOCALS);
        let args: Vec<String> = op
            .params
            .iter()
            .map(|p| arg_space.claim(&snake(&p.wire.0, "param"), location_word(p.location)))
            .collect();
        let body = op.body.as_ref().map(|_| arg_space.claim("body", "request"));
        let params_struct = op
            .uses_params_struct()
            .then(|| item_space.claim(&format!("{type_base}Params"), "Args"));
        let successes = op.success_responses();
        let response_enum =
            (successes.len() > 1).then(|| item_space.claim(&format!("{type_base}Response"), "Status"));
        let mut variant_space = Namespace::default();
        let response_variants = successes
            .iter()
            .map(|r| variant_space.claim(&status_variant(r.status), "Status"))
            .collect();
        let parts = match op.body.as_ref().map(|body| &body.encoding) {
            Some(Encoding::Multipart(multipart)) => {
                let mut field_space = Namespace::default();
                let fields = multipart
                    .parts
                    .iter()
                    .map(|part| field_space.claim(&snake(&part.wire, "part"), "part"))
                    .collect();
                Some((item_space.claim(&format!("{type_base}Form"), "Parts"), fields))
            }
            _ => None,
        };
        let choice = op
            .body
            .as_ref()
            .filter(|body| !body.choices.is_empty())
            .map(|body| {
                let mut variant_space = Namespace::default();
                let variants = body
                    .choices
                    .iter()
                    .map(|(media, _)| {
                        let essence = media
                            .split(';')
                            .next()
                            .unwrap_or(media)
                            .trim()
                            .to_ascii_lowercase();
                        let words = essence
                            .strip_prefix("application/")
                            .unwrap_or(&essence)
                            .to_owned();
                        variant_space.claim(&camel(&words, "Media"), "Media")
                    })
                    .collect();
                (item_space.claim(&format!("{type_base}Body"), "Choice"), variants)
            });
        let stream = op
            .events()
            .map(|_| method_space.claim(&snake(&format!("{} stream", op.id), "call"), "operation"));
        let pages = op.pagination.as_ref().map(|_| {
            (
                method_space.claim(&snake(&format!("{} pages", op.id), "call"), "operation"),
                item_space.claim(&format!("{type_base}Pages"), "Pager"),
            )
        });
        ops.push(OpNames {
            method,
            args,
            body,
            params_struct,
            response_enum,
            response_variants,
            pages,
            stream,
            parts,
            choice,
        });
    }
    let mut field_space = Namespace::default();
    let mut variant_space = Namespace::default();
    let credentials = CredentialNames {
        fields: api
            .auth
            .schemes
            .iter()
            .map(|s| field_space.claim(&snake(&s.name, "credential"), "credential"))
            .collect(),
        variants: api
            .auth
            .requirements
            .iter()
            .map(|set| {
                let words: Vec<&str> = set.iter().map(|&i| api.auth.schemes[i].name.as_str()).collect();
                variant_space.claim(&camel(&words.join(" "), "Credentials"), "Credentials")
            })
            .collect(),
    };
    let mut arg_space = Namespace::default();
    let server_args = api
        .servers
        .first()
        .map(|server| {
            server
                .variables
                .iter()
                .map(|v| arg_space.claim(&snake(&v.name, "variable"), "variable"))
                .collect()
        })
        .unwrap_or_default();
    Names {
        module,
        types,
        members,
        ops,
        credentials,
        server_args,
    }
}

fn location_word(location: ParamIn) -> &'static str {
    match location {
        ParamIn::Path => "path",
        ParamIn::Query => "query",
        ParamIn::Header => "header",
        ParamIn::Cookie => "cookie",
    }
}

fn member_names(kind: &TypeKind) -> Members {
    let mut space = Namespace::default();
    match kind {
        TypeKind::Struct(s) => Members {
            each: s
                .fields
                .iter()
                .map(|f| space.claim(&snake(&f.wire.0, "field"), "field"))
                .collect(),
            additional: s
                .additional
                .as_ref()
                .map(|_| space.claim("additional_properties", "extra")),
            other: None,
        },
        TypeKind::StringEnum(values) => Members {
            each: values
                .iter()
                .map(|v| space.claim(&camel(v.name.as_deref().unwrap_or(&v.wire.0), "Value"), "Value"))
                .collect(),
            additional: None,
            other: Some(space.claim("Other", "Value")),
        },
        TypeKind::IntEnum(values) => Members {
            each: values
                .iter()
                .map(|v| {
                    let spelled = match v.value {
                        n if n < 0 => format!("minus {}", n.unsigned_abs()),
                        n => n.to_string(),
                    };
                    space.claim(&camel(v.name.as_deref().unwrap_or(&spelled), "Value"), "Value")
                })
                .collect(),
            additional: None,
            other: Some(space.claim("Other", "Value")),
        },
        TypeKind::Untagged(variants) => Members {
            each: variants
                .iter()
                .map(|v| space.claim(&camel(&v.hint, "Variant"), "Variant"))
                .collect(),
            additional: None,
            other: None,
        },
        TypeKind::Tagged(tagged) => Members {
            each: tagged
                .variants
                .iter()
                .map(|v| space.claim(&camel(&v.tag.0, "Variant"), "Variant"))
                .collect(),
            additional: None,
            other: Some(space.claim("Other", "Variant")),
        },
        // A tuple's items are `.0`, `.1`, ...: no names to make.
        TypeKind::Constant(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Tuple(_) => {
            Members::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string of up to five characters from lower- and uppercase letters, a digit and
    /// a space, which covers each transition the word rules look at.
    fn every_short_text() -> Vec<String> {
        let alphabet = ['a', 'b', 'A', 'B', '1', ' '];
        let mut texts = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        texts
    }

    #[test]
    fn casing_finds_the_words_heck_finds() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        let mut texts = every_short_text();
        texts.extend(
            [
                "HTTPServer",
                "petOwner2Go",
                "X509Certificate",
                "already_snake",
                "a  b",
                " lead",
                "ABCdef",
            ]
            .map(words),
        );
        for text in &texts {
            assert_eq!(snake_case(text), text.to_snake_case(), "snake case of {text:?}");
            assert_eq!(
                upper_camel_case(text),
                text.to_upper_camel_case(),
                "camel case of {text:?}"
            );
        }
    }

    #[test]
    fn identifiers_are_cased_and_escaped() {
        let cases = [
            ("pet_owner", "PetOwner", "pet_owner"),
            ("HTTPServer", "HttpServer", "http_server"),
            ("fields.root", "FieldsRoot", "fields_root"),
            ("@type", "Type", "r#type"),
            ("$ref", "Ref", "r#ref"),
            ("self", "Self_", "self_"),
            ("Self", "Self_", "self_"),
            ("super", "Super", "super_"),
            ("crate", "Crate", "crate_"),
            ("extern", "Extern", "extern_"),
            ("1st place", "N1stPlace", "n1st_place"),
            ("größe", "Grosse", "grosse"),
            ("Ünïcödé", "Unicode", "unicode"),
            ("日本", "RiBen", "ri_ben"),
            ("🦀", "Crab", "crab"),
            ("\u{200b}", "Value", "field"),
            ("", "Value", "field"),
            ("_", "Value", "field"),
            ("async", "Async", "r#async"),
            ("gen", "Gen", "r#gen"),
        ];
        for (raw, upper, lower) in cases {
            assert_eq!(camel(raw, "Value"), upper, "camel of {raw:?}");
            assert_eq!(snake(raw, "field"), lower, "snake of {raw:?}");
        }
    }

    #[test]
    fn collisions_take_the_context_then_a_number() {
        let mut space = Namespace::default();
        assert_eq!(space.claim("Pet", "Type"), "Pet");
        assert_eq!(space.claim("Pet", "Type"), "PetType");
        assert_eq!(space.claim("Pet", "Type"), "Pet2");
        assert_eq!(space.claim("Pet2", ""), "Pet2_2");
        let mut fields = Namespace::default();
        assert_eq!(fields.claim("r#type", "field"), "r#type");
        assert_eq!(fields.claim("r#type", "field"), "type_field");
        assert_eq!(fields.claim("r#type", "field"), "type2");
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let mut space = Namespace::with_reserved(CLIENT_ITEMS);
        assert_eq!(space.claim("Client", "Type"), "ClientType");
        assert_eq!(space.claim("Error", ""), "Error2");
    }
}
