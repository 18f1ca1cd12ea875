//! Stage 5: IR to tokens. Emitters see only the IR and the names; they never read openapiv3.

mod auth;
mod bodies;
mod client;
pub mod conformance;
mod docs;
mod enums;
mod html;
mod mocks;
mod models;
mod objects;
mod pages;
mod params;
mod responses;
mod types;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::names::Names;
use crate::runtime::Uses;

/// One Rust source file to format, by path relative to the crate root.
pub struct RustFile {
    pub path: String,
    pub tokens: TokenStream,
}

/// A part of one spec's module that is emitted and formatted on its own, so that parts can
/// run on separate threads (tokens cannot cross threads; text can). A file is its parts'
/// text, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// `mod.rs`: docs and re-exports.
    Root,
    /// The model types with these indexes; the piece at 0 also carries the module docs.
    Models(std::ops::Range<usize>),
    /// The operations with these indexes; the piece at 0 also carries the client itself and
    /// its error type, the last piece the helpers.
    Client(std::ops::Range<usize>),
}

/// Model types per [`Piece::Models`]: small enough to share work between threads, large
/// enough that a piece is worth a trip through the queue.
const TYPES_PER_PIECE: usize = 400;

/// Operations per [`Piece::Client`]: about as many lines as a models piece.
const OPERATIONS_PER_PIECE: usize = 160;

/// One spec's module (`src/{module}/mod.rs`, `models.rs`, `client.rs`) as pieces to emit.
pub struct Module<'a> {
    api: &'a Api,
    names: &'a Names,
    /// Which types get a `validate` method.
    marks: Vec<bool>,
}

impl<'a> Module<'a> {
    /// Whether some type of the module has a `validate` method.
    pub fn validates(&self) -> bool {
        self.marks.iter().any(|&marked| marked)
    }

    pub fn new(api: &'a Api, names: &'a Names) -> Self {
        Module {
            api,
            names,
            marks: validate::validating(api),
        }
    }

    /// Every piece with the file it belongs to, in file order.
    pub fn pieces(&self) -> Vec<(String, Piece)> {
        let dir = format!("src/{}", crate::names::unraw(&self.names.module));
        let mut pieces = vec![(format!("{dir}/mod.rs"), Piece::Root)];
        let models = format!("{dir}/models.rs");
        let client = format!("{dir}/client.rs");
        pieces.extend(
            chunks(self.api.types.len(), TYPES_PER_PIECE).map(|r| (models.clone(), Piece::Models(r))),
        );
        pieces.extend(
            chunks(self.api.operations.len(), OPERATIONS_PER_PIECE)
                .map(|r| (client.clone(), Piece::Client(r))),
        );
        pieces
    }

    pub fn emit(&self, piece: &Piece) -> TokenStream {
        let (api, names) = (self.api, self.names);
        match piece {
            Piece::Root => root(api),
            Piece::Models(range) => models::models(api, names, &self.marks, range.clone()),
            Piece::Client(range) => client::client(api, names, &self.marks, range.clone()),
        }
    }
}

/// The Rust text of `ty` as the models name it (`Vec<Purchase>`), for reports.
pub fn type_text(names: &Names, ty: &crate::ir::TypeRef) -> String {
    types::ty(names, ty, types::Scope::Models)
        .to_string()
        .replace(' ', "")
}

/// `0..count` in consecutive ranges of at most `size`; one empty range when `count` is 0.
fn chunks(count: usize, size: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let starts = (0..count.max(1)).step_by(size);
    starts.map(move |start| start..(start + size).min(count))
}

fn root(api: &Api) -> TokenStream {
    let mut paragraphs = vec![format!("{}.", docs::titled(api))];
    paragraphs.extend(api.docs.paragraphs.iter().cloned());
    paragraphs.push(format!("Generated from `{}`.", api.source));
    let module_docs = docs::inner_attrs(&paragraphs);
    let uses = if api.auth.requirements.is_empty() {
        quote!(
            pub use client::{Client, Error};
        )
    } else {
        quote!(
            pub use client::{Client, Credentials, Error};
        )
    };
    let mock = (!api.operations.is_empty()).then(|| {
        quote!(
            #[cfg(feature = "mock")]
            pub use client::MockServer;
        )
    });
    quote! {
        #module_docs
        pub mod client;
        pub mod models;
        #uses
        #mock
    }
}

/// How the crate around the modules is laid out.
pub enum CrateKind<'a> {
    /// The committed workspace crate: one feature per module.
    Workspace,
    /// A crate of its own for one spec, outside any workspace.
    Standalone { package: &'a str },
}

/// Crate name of the committed crate.
pub const WORKSPACE_PACKAGE: &str = "vendor-clients";

/// `src/common/mod.rs`, over the runtime parts the API modules share: `uses` of them all,
/// and `apis`, each API's feature and uses in a crate of one feature per API (else empty).
pub fn common(uses: &Uses, apis: &[(String, Uses)]) -> RustFile {
    RustFile {
        path: format!("src/{}/mod.rs", crate::names::SUPPORT_MODULE),
        tokens: uses.module(apis),
    }
}

/// `src/lib.rs` over `modules` (module name, API title).
pub fn lib(kind: &CrateKind<'_>, modules: &[(String, String)]) -> RustFile {
    let items = modules.iter().map(|(module, title)| {
        let ident = types::ident(module);
        // Features and file names are spelt without `r#` (`box`, not `r#box`).
        let feature = crate::names::unraw(module);
        let doc = format!(" {title}.");
        match kind {
            CrateKind::Workspace => quote! {
                #[doc = #doc]
                #[cfg(feature = #feature)]
                #[rustfmt::skip]
                pub mod #ident;
            },
            CrateKind::Standalone { .. } => quote! {
                #[doc = #doc]
                #[rustfmt::skip]
                pub mod #ident;
            },
        }
    });
    let crate_docs = match kind {
        CrateKind::Workspace => docs::inner_attrs(&[
            "Typed async clients for the vendor APIs we integrate, one module per API, each \
             behind a cargo feature of the same name (all enabled by default)."
                .to_owned(),
            "Generated from the OpenAPI specs in `specs/`; do not edit by hand.".to_owned(),
        ]),
        CrateKind::Standalone { package } => docs::inner_attrs(&[format!(
            "Typed async client generated from an OpenAPI spec (`{package}`)."
        )]),
    };
    let common = types::ident(crate::names::SUPPORT_MODULE);
    // A large spec nests types deeper than the default limit (128) allows when rustdoc
    // works out auto traits (`RefUnwindSafe` through `Option<Box<...>>` chains: Stripe's
    // crate stops documenting); more costs nothing where it is not needed.
    RustFile {
        path: "src/lib.rs".into(),
        tokens: quote! {
            #crate_docs
            #![recursion_limit = "256"]

            /// Types and helpers shared by the API modules.
            #[rustfmt::skip]
            pub mod #common;

            #(#items)*
        },
    }
}

/// `Cargo.toml` of the generated crate.
pub fn manifest(kind: &CrateKind<'_>, modules: &[(String, String)], uses: &Uses) -> String {
    let (package, workspace) = match kind {
        CrateKind::Workspace => (WORKSPACE_PACKAGE, ""),
        CrateKind::Standalone { package } => (
            *package,
            "\n# A crate of its own, not part of any enclosing workspace.\n[workspace]\n",
        ),
    };
    let features: Vec<String> = modules
        .iter()
        .map(|(module, _)| format!("{} = []", crate::names::unraw(module)))
        .chain(
            crate::runtime::DECODER_FEATURES
                .iter()
                .map(|(feature, reqwest)| format!("{feature} = [\"reqwest/{reqwest}\"]")),
        )
        .chain(uses.features())
        .collect();
    let default: Vec<String> = modules
        .iter()
        .map(|(module, _)| format!("\"{}\"", crate::names::unraw(module)))
        .chain(std::iter::once(format!(
            "\"{}\"",
            crate::runtime::DECODER_FEATURES[0].0
        )))
        .collect();
    format!(
        "# @generated by the generator crate; do not edit by hand.\n\
         [package]\n\
         name = \"{package}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         rust-version = \"1.85\"\n\
         publish = false\n\
         description = \"Typed async API clients generated from OpenAPI specs\"\n\
         \n\
         # Named explicitly so cargo can still load the workspace (and the generator can run)\n\
         # when src/lib.rs has been deleted.\n\
         [lib]\n\
         path = \"src/lib.rs\"\n\
         \n\
         [features]\n\
         default = [{default}]\n\
         {features}\n\
         \n\
         [dependencies]\n\
         reqwest = {{ version = \"0.13\", default-features = false, features = [{reqwest}] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n\
         {extra}\
         {examples}\
         {workspace}",
        examples = if uses.conformance {
            "\n# The conformance program (`examples/conformance.rs`) runs on tokio.\n\
             [dev-dependencies]\n\
             tokio = { version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }\n"
        } else {
            ""
        },
        extra = uses.dependencies(),
        reqwest = uses
            .reqwest_features()
            .iter()
            .map(|feature| format!("\"{feature}\""))
            .collect::<Vec<_>>()
            .join(", "),
        default = default.join(", "),
        features = features.join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::chunks;

    /// The ranges as (start, end) pairs.
    fn bounds(count: usize, size: usize) -> Vec<(usize, usize)> {
        chunks(count, size).map(|r| (r.start, r.end)).collect()
    }

    #[test]
    fn pieces_cover_every_index_once_in_order() {
        assert_eq!(bounds(321, 160), [(0, 160), (160, 320), (320, 321)]);
        assert_eq!(bounds(160, 160), [(0, 160)]);
    }

    #[test]
    fn a_module_without_items_still_has_its_one_piece() {
        assert_eq!(bounds(0, 160), [(0, 0)]);
    }
}
