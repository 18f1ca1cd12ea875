//! The `Credentials` type of a client module, from the spec's security schemes: a struct
//! when calls present one set of them, an enum to choose from when there are alternatives
//! (Lagerkoll: `store` with `api_key`, or `store` with `user_id` and `user_token`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::ident;
use crate::ir::{Api, SchemeKind};
use crate::names::Names;

/// The `Credentials` type and its `apply`, or nothing when the spec asks for none.
pub(super) fn credentials(api: &Api, names: &Names) -> Option<TokenStream> {
    let auth = &api.auth;
    if auth.requirements.is_empty() {
        return None;
    }
    // `pub` for struct fields; enum variant fields take the enum's visibility.
    let field = |index: usize, public: bool| {
        let scheme = &auth.schemes[index];
        let name = ident(&names.credentials.fields[index]);
        let ty = match scheme.kind {
            SchemeKind::Basic => quote!(crate::common::BasicCredentials),
            _ => quote!(crate::common::Secret),
        };
        let doc = docs::attrs(&scheme.docs, &[format!("Sent as {}.", sent_as(&scheme.kind))]);
        let vis = public.then(|| quote!(pub));
        (quote!(#doc #vis #name: #ty), name)
    };
    let apply = |index: usize, value: &proc_macro2::Ident| apply_scheme(&auth.schemes[index].kind, value);
    let summary = format!(
        " The credentials calls to {} present. Their text never shows in `Debug` output.",
        api.title
    );
    let body = if let [only] = auth.requirements.as_slice() {
        let (fields, idents): (Vec<_>, Vec<_>) = only.iter().map(|&i| field(i, true)).unzip();
        let steps = only.iter().zip(&idents).map(|(&i, name)| apply(i, name));
        quote! {
            #[doc = #summary]
            #[derive(::std::fmt::Debug, ::std::clone::Clone)]
            pub struct Credentials {
                #(#fields,)*
            }

            impl Credentials {
                /// Puts the credentials on `request`.
                fn apply(&self, request: ::reqwest::RequestBuilder) -> ::std::result::Result<::reqwest::RequestBuilder, Error> {
                    let Self { #(#idents),* } = self;
                    #(#steps)*
                    ::std::result::Result::Ok(request)
                }
            }
        }
    } else {
        let variants = auth
            .requirements
            .iter()
            .zip(&names.credentials.variants)
            .map(|(set, variant)| {
                let variant = ident(variant);
                let fields = set.iter().map(|&i| field(i, false).0);
                let schemes: Vec<String> = set
                    .iter()
                    .map(|&i| format!("`{}`", auth.schemes[i].name))
                    .collect();
                let doc = format!(" {} together.", schemes.join(", "));
                quote! { #[doc = #doc] #variant { #(#fields,)* } }
            });
        let arms = auth.requirements.iter().zip(&names.credentials.variants).map(|(set, variant)| {
            let variant = ident(variant);
            let idents: Vec<_> = set.iter().map(|&i| field(i, false).1).collect();
            let steps = set.iter().zip(&idents).map(|(&i, name)| apply(i, name));
            quote! { Self::#variant { #(#idents),* } => { #(#steps)* ::std::result::Result::Ok(request) } }
        });
        quote! {
            #[doc = #summary]
            ///
            /// The spec accepts any one of these sets of credentials.
            #[derive(::std::fmt::Debug, ::std::clone::Clone)]
            pub enum Credentials {
                #(#variants,)*
            }

            impl Credentials {
                /// Puts the credentials on `request`.
                fn apply(&self, request: ::reqwest::RequestBuilder) -> ::std::result::Result<::reqwest::RequestBuilder, Error> {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    };
    Some(body)
}

/// How a scheme's credential travels, for its docs.
fn sent_as(kind: &SchemeKind) -> String {
    match kind {
        SchemeKind::Header { name, prefix } if prefix.is_empty() => format!("the `{name}` header"),
        SchemeKind::Header { name, prefix } => format!("the `{name}` header, after `{prefix}`"),
        SchemeKind::Query { name, .. } => format!("the `{name}` query parameter"),
        SchemeKind::Cookie { name } => format!("the `{name}` cookie"),
        SchemeKind::Bearer => "`Authorization: Bearer`".into(),
        SchemeKind::Basic => "`Authorization: Basic`".into(),
    }
}

/// The step that puts one credential, bound to `value`, on `request`.
fn apply_scheme(kind: &SchemeKind, value: &proc_macro2::Ident) -> TokenStream {
    let header = |name: &str, prefix: &str| {
        quote! {
            let request = request.header(#name, crate::common::secret_header(#name, #prefix, #value).map_err(Error::InvalidRequest)?);
        }
    };
    match kind {
        SchemeKind::Header { name, prefix } => header(name, prefix),
        SchemeKind::Cookie { name } => header("Cookie", &format!("{name}=")),
        SchemeKind::Bearer => header("Authorization", "Bearer "),
        SchemeKind::Query { name, prefix } => quote! {
            let request = request.query(&[(#name, ::std::format!("{}{}", #prefix, #value.expose()))]);
        },
        SchemeKind::Basic => quote! {
            let request = request.basic_auth(&#value.user, ::std::option::Option::Some(#value.password.expose()));
        },
    }
}
