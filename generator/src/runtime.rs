//! The runtime a generated crate carries: the files of `generator/runtime/src/common/`,
//! ordinary Rust that is formatted, linted and unit-tested where it is written. A crate
//! gets a copy of each part its specs use (without the part's `tests` module), a
//! `common/mod.rs` that lists them, and the dependencies they need. The client's own method
//! names are read from the same source, so no spec operation can take one.

use std::sync::OnceLock;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, Encoding, TypeKind, TypeRef};

/// Where the parts live, relative to the workspace root: what a copy's header names.
pub const SOURCE_DIR: &str = "generator/runtime/src/common";

/// One file of the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// The module name, which is also the file name without `.rs`.
    pub name: &'static str,
    source: &'static str,
    /// `[dependencies]` lines of what it uses beyond reqwest, serde and serde_json.
    dependencies: &'static [&'static str],
    /// Defines a `macro_rules!` the models invoke, re-exported within the crate only.
    macros: bool,
    /// The cargo feature it is built under (its dependencies are optional and that feature
    /// turns them on); `None` for a part always built.
    pub feature: Option<&'static str>,
}

const TOKIO: &str = "tokio = { version = \"1\", default-features = false, features = [\"sync\", \"time\"] }";
const TRACING: &str = "tracing = { version = \"0.1\", default-features = false, features = [\"std\"] }";

macro_rules! part {
    ($name:literal, [$($dependency:expr),*], $macros:literal) => {
        Part {
            name: $name,
            source: include_str!(concat!("../runtime/src/common/", $name, ".rs")),
            dependencies: &[$($dependency),*],
            macros: $macros,
            feature: None,
        }
    };
}

const BASE64: Part = part!(
    "base64",
    ["base64 = { version = \"0.23\", default-features = false, features = [\"std\"] }"],
    false
);
const CHECK: Part = part!("check", [], false);
const CLIENT: Part = part!("client", ["serde_path_to_error = \"0.1\""], false);
/// The fixed half of a conformance program (`--conformance`), which only such a crate has.
const CONFORMANCE: Part = part!("conformance", [], false);
const CONSTANT: Part = part!("constant", [], true);
const DECIMAL: Part = part!(
    "decimal",
    ["rust_decimal = { version = \"1\", default-features = false, features = [\"std\"] }"],
    false
);
const DRIFT: Part = part!("drift", [TRACING], false);
const ERROR: Part = part!("error", [], false);
/// Server-sent events, read from a byte stream.
const EVENTS: Part = part!(
    "events",
    [
        "futures-util = { version = \"0.3\", default-features = false }",
        "serde_path_to_error = \"0.1\""
    ],
    false
);
const INT_ENUM: Part = part!("int_enum", [], true);
const LIMITER: Part = part!("limiter", [TOKIO], false);
/// The feature the typed stubs for consumers' tests are built under.
pub const MOCK_FEATURE: &str = "mock";

/// The encodings of answers a generated crate can decode, each a cargo feature turning on
/// reqwest's decoder of that encoding (which then asks for it in `Accept-Encoding`): gzip
/// by default, as nearly every server that compresses speaks it; the others cost a
/// service's build more (zstd builds its C library).
pub const DECODER_FEATURES: [(&str, &str); 4] = [
    ("gzip", "gzip"),
    ("deflate", "deflate"),
    ("brotli", "brotli"),
    ("zstd", "zstd"),
];

/// Typed stubs for consumers' tests, only under the `mock` feature.
const MOCK: Part = Part {
    feature: Some(MOCK_FEATURE),
    ..part!(
        "mock",
        ["wiremock = { version = \"0.6\", optional = true }"],
        false
    )
};
/// Multipart bodies, written by reqwest's encoder (its `multipart` feature).
const MULTIPART: Part = part!("multipart", [], false);
const OBJECT: Part = part!("object", [], true);
const OBJECTS: Part = part!("objects", [], false);
const PAIRS: Part = part!("pairs", [], false);
const PAGER: Part = part!(
    "pager",
    ["futures-util = { version = \"0.3\", default-features = false }"],
    false
);
const QUERY: Part = part!("query", [], false);
const RAW: Part = part!("raw", [], false);
const REDIRECT: Part = part!("redirect", [], false);
/// Basic credentials are base64 text: the version reqwest itself depends on.
const SECRET: Part = part!(
    "secret",
    ["base64 = { version = \"0.23\", default-features = false, features = [\"std\"] }"],
    false
);
/// Answers handed out as they arrive: the chunk type reqwest itself uses.
const STREAM: Part = part!(
    "stream",
    [
        "bytes = \"1\"",
        "futures-util = { version = \"0.3\", default-features = false }",
        TOKIO,
        TRACING
    ],
    false
);
const STRING_ENUM: Part = part!("string_enum", [], true);
const TAGGED: Part = part!("tagged", [], false);
const TELEMETRY: Part = part!("telemetry", [TRACING], false);
const TRANSPORT: Part = part!("transport", ["httpdate = \"1\"", TOKIO, TRACING], false);
const UNTAGGED: Part = part!("untagged", [], true);

/// Every part, in file-name order.
pub const PARTS: &[Part] = &[
    BASE64,
    CHECK,
    CLIENT,
    CONFORMANCE,
    CONSTANT,
    DECIMAL,
    DRIFT,
    ERROR,
    EVENTS,
    INT_ENUM,
    LIMITER,
    MOCK,
    MULTIPART,
    OBJECT,
    OBJECTS,
    PAGER,
    PAIRS,
    QUERY,
    RAW,
    REDIRECT,
    SECRET,
    STREAM,
    STRING_ENUM,
    TAGGED,
    TELEMETRY,
    TRANSPORT,
    UNTAGGED,
];

impl Part {
    /// The file as a generated crate gets it: the source up to its `tests` module.
    pub fn text(&self) -> &'static str {
        match self.source.find(TESTS) {
            Some(end) => self.source[..end].trim_end_matches('\n'),
            None => self.source.trim_end_matches('\n'),
        }
    }

    /// Its path in a generated crate.
    pub fn path(&self) -> String {
        format!("src/{}/{}.rs", crate::names::SUPPORT_MODULE, self.name)
    }

    /// Its path in this workspace, for the copy's header.
    pub fn source_path(&self) -> String {
        format!("{SOURCE_DIR}/{}.rs", self.name)
    }
}

/// Where a part's unit tests begin; they stay with the source.
const TESTS: &str = "\n#[cfg(test)]\nmod tests {";

/// What the APIs of one crate need of the runtime and of dependencies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Uses {
    pub decimal: bool,
    pub base64: bool,
    pub chrono: bool,
    pub uuid: bool,
    /// Some type is decoded from an object one key at a time.
    pub objects: bool,
    /// Some type is a discriminated union.
    pub tagged: bool,
    /// Some type is a union without a discriminator.
    pub untagged: bool,
    pub string_enum: bool,
    pub int_enum: bool,
    pub constant: bool,
    /// Some type checks its strings (`validate`).
    pub check: bool,
    /// Some operation has a parameter.
    pub params: bool,
    /// Some operation sends a form body.
    pub forms: bool,
    /// Some operation sends a multipart body.
    pub multipart: bool,
    /// Some operation answers with events.
    pub events: bool,
    /// Some operation hands out an answer as it arrives.
    pub streams: bool,
    /// Some operation sends a body of the caller's bytes, which may be a stream.
    pub uploads: bool,
    /// Some operation has a pager.
    pub pages: bool,
    /// Some API has credentials.
    pub secrets: bool,
    /// The crate carries a conformance program.
    pub conformance: bool,
}

impl Uses {
    /// What `api` uses; `validates` says whether some type of its has a `validate`.
    pub fn of(api: &Api, validates: bool) -> Uses {
        let mut uses = Uses {
            check: validates,
            secrets: !api.auth.schemes.is_empty(),
            conformance: api.conformance_calls().is_some(),
            params: api.operations.iter().any(|op| !op.params.is_empty()),
            forms: api.operations.iter().any(|op| {
                matches!(
                    op.body.as_ref().map(|body| &body.encoding),
                    Some(Encoding::Form(_))
                )
            }),
            pages: api.operations.iter().any(|op| op.pagination.is_some()),
            events: api.operations.iter().any(|op| {
                op.events().is_some()
                    || op
                        .success_responses()
                        .iter()
                        .any(|r| matches!(r.body, Some(Encoding::Events(_))))
            }),
            multipart: api.operations.iter().any(|op| {
                matches!(
                    op.body.as_ref().map(|body| &body.encoding),
                    Some(Encoding::Multipart(_))
                )
            }),
            streams: api
                .operations
                .iter()
                .any(|op| !op.streamed_statuses().is_empty() || op.events().is_some()),
            uploads: api
                .operations
                .iter()
                .any(|op| matches!(op.body.as_ref().map(|body| &body.encoding), Some(Encoding::Bytes))),
            ..Uses::default()
        };
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct(_) => uses.objects = true,
                TypeKind::Tagged(_) => uses.tagged = true,
                TypeKind::StringEnum(_) => uses.string_enum = true,
                TypeKind::IntEnum(_) => uses.int_enum = true,
                TypeKind::Constant(_) => uses.constant = true,
                TypeKind::Untagged(_) => uses.untagged = true,
                TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Tuple(_) => {}
            }
            def.kind.children().into_iter().for_each(|ty| uses.add(ty));
        }
        api.operation_types().for_each(|ty| uses.add(ty));
        uses
    }

    fn add(&mut self, ty: &TypeRef) {
        for layer in ty.layers() {
            self.decimal |= *layer == TypeRef::Decimal;
            self.chrono |= matches!(layer, TypeRef::Date | TypeRef::DateTime);
            self.uuid |= *layer == TypeRef::Uuid;
            self.base64 |= *layer == TypeRef::Base64;
        }
    }

    /// What either of `self` and `other` uses.
    pub fn merge(&mut self, other: &Uses) {
        let Uses {
            decimal,
            base64,
            chrono,
            uuid,
            objects,
            tagged,
            untagged,
            string_enum,
            int_enum,
            constant,
            check,
            params,
            forms,
            multipart,
            events,
            streams,
            uploads,
            pages,
            secrets,
            conformance,
        } = other;
        self.decimal |= decimal;
        self.base64 |= base64;
        self.chrono |= chrono;
        self.uuid |= uuid;
        self.objects |= objects;
        self.tagged |= tagged;
        self.untagged |= untagged;
        self.string_enum |= string_enum;
        self.int_enum |= int_enum;
        self.constant |= constant;
        self.check |= check;
        self.params |= params;
        self.forms |= forms;
        self.multipart |= multipart;
        self.events |= events;
        self.streams |= streams;
        self.uploads |= uploads;
        self.pages |= pages;
        self.secrets |= secrets;
        self.conformance |= conformance;
    }

    /// The parts these uses need, in file-name order. Every crate has a client, and the
    /// client reads answers in a span, so the client, its transport, drift and telemetry are
    /// always there.
    pub fn parts(&self) -> Vec<Part> {
        let wanted = [
            (BASE64, self.base64),
            (CHECK, self.check),
            (CLIENT, true),
            (CONFORMANCE, self.conformance),
            (CONSTANT, self.constant),
            (DECIMAL, self.decimal),
            (DRIFT, true),
            (ERROR, true),
            (EVENTS, self.events),
            (INT_ENUM, self.int_enum),
            (LIMITER, true),
            (MOCK, true),
            (MULTIPART, self.multipart),
            (OBJECT, self.objects),
            (OBJECTS, self.objects),
            (PAGER, self.pages),
            (PAIRS, self.params || self.forms),
            (QUERY, self.params),
            (RAW, true),
            (REDIRECT, true),
            (SECRET, self.secrets),
            (STREAM, self.streams || self.events),
            (STRING_ENUM, self.string_enum),
            (TAGGED, self.tagged),
            (TELEMETRY, true),
            (TRANSPORT, true),
            (UNTAGGED, self.untagged),
        ];
        wanted
            .into_iter()
            .filter(|(_, used)| *used)
            .map(|(part, _)| part)
            .collect()
    }

    /// `[features]` lines of the parts built under a feature: each turns on the optional
    /// dependencies of its part.
    pub fn features(&self) -> Vec<String> {
        self.parts()
            .iter()
            .filter_map(|part| {
                let feature = part.feature?;
                let crates: Vec<String> = part
                    .dependencies
                    .iter()
                    .filter_map(|line| line.split_whitespace().next())
                    .map(|name| format!("\"dep:{name}\""))
                    .collect();
                Some(format!("{feature} = [{}]", crates.join(", ")))
            })
            .collect()
    }

    /// The features of reqwest the crate turns on: TLS and JSON always, and streamed
    /// request bodies (`reqwest::Body::wrap_stream`, a file) where a call uploads bytes.
    pub fn reqwest_features(&self) -> Vec<&'static str> {
        let mut features = vec!["rustls", "json"];
        if self.multipart {
            features.push("multipart");
        }
        if self.uploads {
            features.push("stream");
        }
        features
    }

    /// `[dependencies]` lines beyond reqwest, serde and serde_json, sorted, each once.
    pub fn dependencies(&self) -> String {
        let mut lines: Vec<&str> = self
            .parts()
            .iter()
            .flat_map(|p| p.dependencies.iter().copied())
            .collect();
        if self.chrono {
            lines.push(
                "chrono = { version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }",
            );
        }
        if self.uuid {
            lines.push(
                "uuid = { version = \"1\", default-features = false, features = [\"std\", \"serde\"] }",
            );
        }
        lines.sort_unstable();
        lines.dedup();
        lines.iter().map(|line| format!("{line}\n")).collect()
    }

    /// Tokens of `src/common/mod.rs`: the parts, each re-exported whole, and the crates
    /// behind the generated types, so callers build values without adding them. `apis` are
    /// the cargo features of the crate's APIs with what each uses: each part is built only
    /// under the features of the APIs that use it, so that a crate built with some of its
    /// APIs has no item without a use (and no warning). A crate without such features
    /// (`apis` empty) builds every part.
    pub fn module(&self, apis: &[(String, Uses)]) -> TokenStream {
        let users = |used: &dyn Fn(&Uses) -> bool| -> Option<Vec<&str>> {
            (!apis.is_empty()).then(|| {
                apis.iter()
                    .filter(|(_, uses)| used(uses))
                    .map(|(feature, _)| feature.as_str())
                    .collect()
            })
        };
        let chrono = self.chrono.then(|| {
            let gate = gate(None, users(&|uses| uses.chrono));
            quote!(
                #gate
                pub use ::chrono;
            )
        });
        let uuid = self.uuid.then(|| {
            let gate = gate(None, users(&|uses| uses.uuid));
            quote!(
                #gate
                pub use ::uuid;
            )
        });
        let parts = self.parts();
        let gates: Vec<Option<TokenStream>> = parts
            .iter()
            .map(|part| gate(part.feature, users(&|uses| uses.parts().contains(part))))
            .collect();
        let modules = parts.iter().zip(&gates).map(|(part, gate)| {
            let name = format_ident!("{}", part.name);
            if part.macros {
                quote!(#gate mod #name;)
            } else {
                quote!(#gate pub mod #name;)
            }
        });
        let exports = parts.iter().zip(&gates).map(|(part, gate)| {
            let name = format_ident!("{}", part.name);
            if part.macros {
                quote!(#gate pub(crate) use self::#name::*;)
            } else {
                quote!(#gate pub use self::#name::*;)
            }
        });
        quote! {
            //! Types and helpers shared by the API modules.
            #(#modules)*
            #chrono
            #uuid
            #(#exports)*
        }
    }
}

/// The `cfg` of an item built under the cargo feature `own` (if it has one), and only where
/// one of the features `users` is on (if the crate has such features).
fn gate(own: Option<&str>, users: Option<Vec<&str>>) -> Option<TokenStream> {
    let users = users.map(|users| match users.as_slice() {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    });
    match (own, users) {
        (None, None) => None,
        (Some(own), None) => Some(quote!(#[cfg(feature = #own)])),
        (None, Some(users)) => Some(quote!(#[cfg(#users)])),
        (Some(own), Some(users)) => Some(quote!(#[cfg(all(feature = #own, #users))])),
    }
}

/// The methods and associated constants of the runtime's `Client` and `MockServer`, in
/// whichever part they are written, which every API's client and mock server have: an
/// operation is a method of both, so it may take none of these names.
pub fn client_methods() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        // The sources are part of this binary, and its unit tests parse every one. Only
        // those that can hold such an impl are parsed (a `Client<` or `MockServer<` in
        // their text), without their tests: parsing costs a run of the command line.
        let parts = PARTS
            .iter()
            .map(Part::text)
            .filter(|text| text.contains("Client<") || text.contains("MockServer<"));
        methods_of(parts)
    })
}

/// The methods and associated constants of the `Client` and `MockServer` impls in `sources`,
/// sorted.
fn methods_of<'a>(sources: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names = Vec::new();
    let items = sources
        .filter_map(|source| syn::parse_file(source).ok())
        .flat_map(|file| file.items);
    for item in items {
        let syn::Item::Impl(block) = item else { continue };
        let is_client = matches!(&*block.self_ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|s| s.ident == "Client" || s.ident == "MockServer"));
        if !is_client || block.trait_.is_some() {
            continue;
        }
        for item in block.items {
            match item {
                syn::ImplItem::Fn(f) => names.push(f.sig.ident.to_string()),
                syn::ImplItem::Const(c) => names.push(c.ident.to_string()),
                _ => {}
            }
        }
    }
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_left_unparsed_hold_no_client_method() {
        let every = methods_of(PARTS.iter().map(|part| part.source));
        assert_eq!(client_methods(), every.as_slice());
    }

    #[test]
    fn the_client_names_come_from_the_runtime_source() {
        let names = client_methods();
        for name in [
            "new",
            "with_max_body",
            "with_drift_observer",
            "http_client",
            "DEFAULT_MAX_BODY",
            "with_header",
            // Written in a part of its own, not in client.rs.
            "raw",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} missing from {names:?}");
        }
    }

    #[test]
    fn a_copy_leaves_the_unit_tests_behind_and_nothing_else() {
        let with_tests = PARTS.iter().filter(|p| p.source.contains(TESTS)).count();
        assert!(with_tests > 0);
        for part in PARTS {
            assert!(!part.text().contains("#[cfg(test)]"), "{}", part.name);
            assert!(syn::parse_file(part.text()).is_ok(), "{}", part.name);
            // What is left behind is the tests module alone: it is the file's last item.
            let left = part.source[part.text().len()..].trim();
            if !left.is_empty() {
                let items = syn::parse_file(left).expect("the tests module parses").items;
                let only_tests = matches!(items.as_slice(), [syn::Item::Mod(m)] if m.ident == "tests");
                assert!(only_tests, "{}: items after its tests module", part.name);
            }
        }
    }

    #[test]
    fn every_file_of_the_runtime_is_a_part() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src/common");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "mod.rs")
            .collect();
        files.sort();
        let parts: Vec<String> = PARTS.iter().map(|p| format!("{}.rs", p.name)).collect();
        assert_eq!(files, parts);
        // The runtime crate builds, lints and tests a part only if its module list has it.
        let listed = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
        for part in PARTS {
            assert!(
                listed.contains(&format!("pub mod {};", part.name)),
                "mod.rs lacks `{}`",
                part.name
            );
        }
    }

    #[test]
    fn a_crate_without_decimals_gets_no_decimal_part_nor_its_crate() {
        let uses = Uses::default();
        let names: Vec<&str> = uses.parts().iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "client",
                "drift",
                "error",
                "limiter",
                "mock",
                "raw",
                "redirect",
                "telemetry",
                "transport"
            ]
        );
        assert!(!uses.dependencies().contains("rust_decimal"));
        let decimal = Uses {
            decimal: true,
            ..Uses::default()
        };
        assert!(decimal.dependencies().contains("rust_decimal"));
    }
}
