//! `examples/conformance.rs`: a program that calls every operation of one API through its
//! typed client, with the arguments [`crate::sample::plan`] made, and reports each outcome
//! with the runtime's `conformance` part (`generator SPEC --out DIR --conformance`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::client::Passed;
use super::types::ident;
use crate::ir::{Api, Call, Encoding, Multipart, Operation, PartValue, SchemeKind, TypeRef};
use crate::names::{Names, OpNames};

/// Where the program goes in the crate.
pub const PATH: &str = "examples/conformance.rs";

/// The program for `api` (named `names`) in the crate `package`; `None` when no arguments
/// were made for it, or it has no operation to call.
pub fn program(api: &Api, names: &Names, package: &str) -> Option<TokenStream> {
    let calls = api.conformance_calls()?;
    let krate = ident(&crate::names::raw_if_keyword(&package.replace('-', "_")));
    let module = ident(&names.module);
    let title = format!(
        " Calls every operation of {} through its typed client, with arguments the spec allows,",
        api.title
    );
    let (fields, clients) = credential_sets(api, names, &krate);
    let (pushes, functions): (Vec<_>, Vec<_>) = api
        .operations
        .iter()
        .zip(&names.ops)
        .zip(calls)
        .map(|((op, op_names), call)| one_call(op, op_names, call, &krate))
        .unzip();
    let api_name = crate::names::unraw(&names.module);
    Some(quote! {
        #![doc = #title]
        //! against the server whose URL is the first argument: a mock that checks requests and
        //! answers against the spec, such as `prism mock --errors SPEC`. Prints a line per call
        //! and a summary; exits with failure unless every outcome is no fault of the client.
        //!
        //! Run with `cargo run --example conformance -- URL`.
        #![allow(deprecated)]

        use #krate::common::conformance::{self, Outcome};
        use #krate::#module as api;

        /// The clients the calls use: one without credentials, one per set of credentials
        /// an operation asks for.
        struct Clients {
            #(#fields: api::Client,)*
        }

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> ::std::process::ExitCode {
            let url = conformance::base_url();
            let client = match api::Client::new(&url) {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("{error}");
                    return ::std::process::ExitCode::FAILURE;
                }
            };
            let clients = Clients {
                #clients
            };
            let mut report = conformance::Report::new(#api_name);
            #(#pushes)*
            report.finish()
        }

        #(#functions)*
    })
}

/// A client per set of credentials some operation asks for first (`signed_0`, ...), each
/// presenting made-up values: a mock checks that they are there, not what they are. The
/// names of the fields of [`Clients`], and their values.
fn credential_sets(api: &Api, names: &Names, krate: &Ident) -> (Vec<Ident>, TokenStream) {
    let auth = &api.auth;
    let single = auth.requirements.len() == 1;
    let used = |index: &usize| {
        api.operations
            .iter()
            .any(|op| op.requirements.first() == Some(index))
    };
    let mut fields = Vec::new();
    let sets: Vec<TokenStream> = auth
        .requirements
        .iter()
        .enumerate()
        .filter(|(index, _)| used(index))
        .map(|(index, set)| {
            let client = signed(index);
            fields.push(client.clone());
            let values = set.iter().map(|&scheme| {
                let field = ident(&names.credentials.fields[scheme]);
                match auth.schemes[scheme].kind {
                    SchemeKind::Basic => quote! {
                        #field: #krate::common::BasicCredentials {
                            user: "conformance".to_owned(),
                            password: "conformance-secret".into(),
                        }
                    },
                    _ => quote!(#field: "conformance-secret".into()),
                }
            });
            let credentials = if single {
                quote!(api::Credentials { #(#values),* })
            } else {
                let variant = ident(&names.credentials.variants[index]);
                quote!(api::Credentials::#variant { #(#values),* })
            };
            quote!(#client: client.clone().with_credentials(#credentials),)
        })
        .collect();
    // The client without credentials, where some operation asks for none; last, as the
    // others are made from it.
    if api.operations.iter().any(|op| op.requirements.is_empty()) {
        fields.push(format_ident!("client"));
        return (fields, quote!(#(#sets)* client,));
    }
    (fields, quote!(#(#sets)*))
}

fn signed(index: usize) -> Ident {
    format_ident!("signed_{index}")
}

/// The statement of `main` that makes one call and records its outcome, and the function
/// that makes it: again with values made from the schemas where the first call used the
/// spec's examples and was refused. Each call is a function of its own, its future boxed,
/// so `main`'s stays small however many operations the spec has.
fn one_call(op: &Operation, op_names: &OpNames, call: &Call, krate: &Ident) -> (TokenStream, TokenStream) {
    let id = op.id.as_str();
    let route = format!("{} {}", op.method.as_str(), op.path);
    let function = format_ident!("call_{}", crate::names::unraw(&op_names.method));
    let (first, mut calls) = attempt(op, op_names, call, krate);
    let body = match call.made.as_ref() {
        Some(made) => {
            let (made, made_calls) = attempt(op, op_names, made, krate);
            calls |= made_calls;
            quote! {
                let outcome = #first;
                if outcome.retry() { outcome.or_made(#made) } else { outcome }
            }
        }
        None => first,
    };
    let clients = if calls { quote!(clients) } else { quote!(_clients) };
    let doc = format!(" `{id}`: `{route}`.");
    (
        quote!(report.push(#id, #route, Box::pin(#function(&clients)).await);),
        quote! {
            #[doc = #doc]
            async fn #function(#clients: &Clients) -> Outcome {
                #body
            }
        },
    )
}

/// An expression: the outcome of calling `op` with the arguments of `call`, and whether it
/// calls (else the arguments could not be made).
fn attempt(op: &Operation, op_names: &OpNames, call: &Call, krate: &Ident) -> (TokenStream, bool) {
    let not_callable = |why: String| (quote!(Outcome::NotCallable(#why.to_owned())), false);
    let client = match op.requirements.first() {
        Some(&set) => {
            let client = signed(set);
            quote!(clients.#client)
        }
        None => quote!(clients.client),
    };
    let method = ident(&op_names.method);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut fields = Vec::new();
    for ((param, arg), value) in op.params.iter().zip(&op_names.args).zip(&call.params) {
        let name = ident(arg);
        let what = format!("`{}`", param.wire.0);
        let made = match value {
            Some(Ok(json)) => quote!(conformance::value(#what, #json)?),
            Some(Err(why)) => return not_callable(format!("no value for {what}: {why}")),
            None => quote!(None),
        };
        if op.in_struct(param) {
            fields.push(quote!(#name: #made));
        } else {
            match super::client::passed(&param.ty) {
                Passed::Str => {
                    lets.push(quote!(let #name: String = #made;));
                    args.push(quote!(&#name));
                }
                Passed::Value => {
                    lets.push(quote!(let #name = #made;));
                    args.push(quote!(#name));
                }
                Passed::Ref => {
                    lets.push(quote!(let #name = #made;));
                    args.push(quote!(&#name));
                }
            }
        }
    }
    if let Some(params) = &op_names.params_struct {
        let params = ident(params);
        lets.push(quote!(let params = api::client::#params { #(#fields),* };));
        args.push(quote!(&params));
    }
    if let (Some(body), Some(made)) = (&op.body, &call.body) {
        let json = match made {
            Ok(json) => json,
            Err(why) => return not_callable(format!("no value for the body: {why}")),
        };
        let value = quote!(conformance::value("the body", #json)?);
        // Of several media types, the one the value was made for.
        if let Some((choice, variants)) = op_names.choice.as_ref().filter(|_| !body.choices.is_empty()) {
            let Some(index) = body
                .choices
                .iter()
                .position(|(media, _)| *media == body.media_type)
            else {
                return not_callable(format!("no choice of media type is `{}`", body.media_type));
            };
            let (choice, variant) = (ident(choice), ident(&variants[index]));
            lets.push(quote!(let body = api::client::#choice::#variant(#value);));
            args.push(if body.required {
                quote!(&body)
            } else {
                quote!(Some(&body))
            });
            return called(lets, args, client, method);
        }
        let (bind, arg) = match &body.encoding {
            Encoding::Json(TypeRef::Vec(_)) => (quote!(let body: Vec<_> = #value;), quote!(&body[..])),
            Encoding::Json(_) | Encoding::Form(_) => (quote!(let body = #value;), quote!(&body)),
            Encoding::Text => (quote!(let body: String = #value;), quote!(&body)),
            Encoding::Bytes | Encoding::Events(_) => {
                (quote!(let body = conformance::bytes(#json);), quote!(body))
            }
            Encoding::Multipart(multipart) => match (&op_names.parts, form(multipart, json, krate)) {
                (Some((name, fields)), Some(values)) => {
                    let name = ident(name);
                    let fields = fields.iter().map(|field| ident(field));
                    (
                        quote!(let body = api::client::#name { #(#fields: #values),* };),
                        quote!(body),
                    )
                }
                _ => {
                    return not_callable(format!(
                        "a multipart body without a value for each part it requires: {json}"
                    ));
                }
            },
        };
        lets.push(bind);
        args.push(match (body.required, &body.encoding) {
            (true, _) => arg,
            (false, Encoding::Bytes | Encoding::Events(_)) => quote!(Some(::reqwest::Body::from(body))),
            (false, _) => quote!(Some(#arg)),
        });
    }
    called(lets, args, client, method)
}

/// The outcome of calling `method` of `client` with `args`, once `lets` made them.
fn called(
    lets: Vec<TokenStream>,
    args: Vec<TokenStream>,
    client: TokenStream,
    method: Ident,
) -> (TokenStream, bool) {
    let call = quote! {
        conformance::outcome(async {
            #(#lets)*
            Ok::<_, conformance::NotCallable>(#client.#method(#(#args),*).await)
        }.await)
    };
    (call, true)
}

/// The value of each field of a multipart body's struct, in the order of its parts, from
/// `json`, the body made as one object: a file's bytes are its value's text; `None` if the
/// value is not an object or lacks a part the body requires.
fn form(multipart: &Multipart, json: &str, krate: &Ident) -> Option<Vec<TokenStream>> {
    let serde_json::Value::Object(fields) = serde_json::from_str(json).ok()? else {
        return None;
    };
    let values = multipart.parts.iter().map(|part| {
        let Some(value) = fields.get(&part.wire) else {
            return match (part.required, part.many) {
                (false, _) => Some(quote!(None)),
                (true, true) => Some(quote!(Vec::new())),
                (true, false) => None,
            };
        };
        let one = |value: &serde_json::Value| match part.value {
            PartValue::File => {
                let bytes = value.to_string();
                quote!(#krate::common::FilePart::bytes(conformance::bytes(#bytes)).file_name("conformance.txt"))
            }
            PartValue::Text(_) | PartValue::Json(_) => {
                let (what, json) = (format!("`{}`", part.wire), value.to_string());
                quote!(conformance::value(#what, #json)?)
            }
        };
        let made = match (part.many, value) {
            (true, serde_json::Value::Array(items)) => {
                let items = items.iter().map(one);
                quote!(vec![#(#items),*])
            }
            (true, single) => {
                let item = one(single);
                quote!(vec![#item])
            }
            (false, value) => one(value),
        };
        Some(if part.required { made } else { quote!(Some(#made)) })
    });
    values.collect()
}
