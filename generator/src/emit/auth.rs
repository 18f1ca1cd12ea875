//! The `Credentials` type of a client module, from the spec's security schemes: a struct
//! when calls present one set of them, an enum to choose from when there are alternatives
//! (Lagerkoll: `store` with `api_key`, or `store` with `user_id` and `user_token`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::types::ident;
use crate::ir::{Api, SchemeKind};
use crate::names::Names;

/// The `Credentials` type of a module, and the body of its API's `Service::authorize`.
pub(super) struct Credentials {
    pub definition: TokenStream,
    /// Puts `credentials` on `request` if `accepted` holds their requirement.
    pub authorize: TokenStream,
}

/// The headers (lowercase, as HTTP compares them) and query parameters the API's credentials
/// travel in, each once, in the order of the schemes.
pub(super) fn carriers(api: &Api) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut query) = (Vec::new(), Vec::new());
    for scheme in &api.auth.schemes {
        let (list, name) = match &scheme.kind {
            SchemeKind::Header { name, .. } => (&mut headers, name.to_ascii_lowercase()),
            SchemeKind::Bearer | SchemeKind::Basic => (&mut headers, "authorization".to_owned()),
            SchemeKind::Cookie { .. } => (&mut headers, "cookie".to_owned()),
            SchemeKind::Query { name, .. } => (&mut query, name.clone()),
        };
        if !list.contains(&name) {
            list.push(name);
        }
    }
    (headers, query)
}

/// The `Credentials` type and how it authorizes a request, or nothing when the spec asks for none.
pub(super) fn credentials(api: &Api, names: &Names) -> Option<Credentials> {
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

    let summary = format!(
        " The credentials calls to {} present. Their text never shows in `Debug` output.",
        api.title
    );
    let (item, authorize) = if let [only] = auth.requirements.as_slice() {
        let (fields, idents): (Vec<_>, Vec<_>) = only.iter().map(|&i| field(i, true)).unzip();
        let steps = apply_set(auth, only, &idents);
        let item = quote! {
            #[derive(Debug, Clone)]
            pub struct Credentials { #(#fields,)* }
        };
        let authorize = quote! {
            if !accepted.contains(&0) {
                return Ok(());
            }
            let Credentials { #(#idents),* } = credentials;
            #steps
            Ok(())
        };
        (item, authorize)
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
        let arms = auth.requirements.iter().zip(&names.credentials.variants).enumerate().map(|(index, (set, variant))| {
            let variant = ident(variant);
            let idents: Vec<_> = set.iter().map(|&i| field(i, false).1).collect();
            let steps = apply_set(auth, set, &idents);
            quote! { Credentials::#variant { #(#idents),* } if accepted.contains(&#index) => { #steps Ok(()) } }
        });
        let item = quote! {
            ///
            /// The spec accepts any one of these sets of credentials.
            #[derive(Debug, Clone)]
            pub enum Credentials { #(#variants,)* }
        };
        let authorize = quote! {
            match credentials {
                #(#arms)*
                _ => Ok(()),
            }
        };
        (item, authorize)
    };
    let definition = quote! {
        #[doc = #summary]
        #item
    };
    Some(Credentials {
        definition,
        authorize,
    })
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

/// The steps that put one set of credentials, bound to `values`, on `request`, each in place
/// of a header or query parameter of its name. Cookies of the set travel in one `Cookie`
/// header, as HTTP requires.
fn apply_set(auth: &crate::ir::Auth, set: &[usize], values: &[proc_macro2::Ident]) -> TokenStream {
    let header = |name: &str, prefix: &str, value: &proc_macro2::Ident| {
        quote! {
            crate::common::put_secret_header(request, #name, #prefix, #value).map_err(Error::invalid)?;
        }
    };
    let mut steps = Vec::new();
    let mut cookies = Vec::new();
    for (&index, value) in set.iter().zip(values) {
        match &auth.schemes[index].kind {
            SchemeKind::Header { name, prefix } => steps.push(header(name, prefix, value)),
            SchemeKind::Bearer => steps.push(header("Authorization", "Bearer ", value)),
            SchemeKind::Cookie { name } => cookies.push(quote!((#name, #value))),
            SchemeKind::Query { name, prefix } => steps.push(quote! {
                crate::common::put_secret_query(request, #name, #prefix, #value);
            }),
            SchemeKind::Basic => steps.push(quote! {
                crate::common::put_basic_auth(request, #value).map_err(Error::invalid)?;
            }),
        }
    }
    if !cookies.is_empty() {
        steps.push(quote! {
            crate::common::put_secret_cookies(request, &[#(#cookies),*]).map_err(Error::invalid)?;
        });
    }
    quote! { #(#steps)* }
}
