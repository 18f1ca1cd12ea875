//! `client.rs`: the error type, the client, and one async method per operation.

use std::ops::Range;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::params::{headers, path_segments, query};
use super::responses::{self, responses};
use super::types::{Scope, ident, optional, ty};
use super::{auth, bodies, docs, mocks, pages};
use crate::ir::{Api, Docs, Operation, Param, PathPiece, TypeRef};
use crate::names::{Names, OpNames};

/// The operations in `ops` as methods of `Client`, with their parameter structs and pagers.
/// The piece starting at operation 0 also names the API, its error type and its client.
/// `marks` says which types validate (see [`validate::validating`]).
pub fn client(api: &Api, names: &Names, marks: &[bool], ops: Range<usize>) -> TokenStream {
    let (methods, support) = operations(api, names, marks, ops.clone());
    let stubs = (!api.operations.is_empty()).then(|| mocks::stubs(api, names, ops.clone()));
    if ops.start > 0 {
        return quote! {
            impl Client {
                #(#methods)*
            }

            #stubs

            #(#support)*
        };
    }
    let module_docs = docs::inner_attrs(&[format!("HTTP client for {}.", api.title)]);
    let default_url = api.servers.first().map(|server| {
        let url = &server.url;
        let doc = format!(" The first server the spec lists: `{url}`.");
        let server_url = (!server.variables.is_empty()).then(|| {
            let args: Vec<_> = names.server_args.iter().map(|a| ident(a)).collect();
            // Each variable as often and where the URL uses it.
            let mut format = String::new();
            let mut values = Vec::new();
            for piece in &server.pieces {
                match piece {
                    PathPiece::Text(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
                    PathPiece::Param(index) => {
                        format.push_str("{}");
                        values.push(&args[*index]);
                    }
                }
            }
            let lines: Vec<String> = server
                .variables
                .iter()
                .zip(&names.server_args)
                .map(|(v, arg)| {
                    let about = v
                        .docs
                        .paragraphs
                        .first()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    let wire = if *arg == v.name {
                        String::new()
                    } else {
                        format!("`{}`, ", v.name)
                    };
                    format!("- `{arg}` ({wire}default `{}`){about}", v.default)
                })
                .collect();
            let doc = docs::attrs(
                &Docs::default(),
                &[
                    format!(
                        "The first server the spec lists, `{}`, with its variables filled in.",
                        server.template
                    ),
                    lines.join("\n"),
                ],
            );
            quote! {
                #doc
                pub fn server_url(#(#args: &str),*) -> String {
                    format!(#format, #(#values),*)
                }
            }
        });
        quote! {
            #[doc = #doc]
            pub const DEFAULT_BASE_URL: &'static str = #url;

            #server_url
        }
    });
    let server_list: Vec<String> = api
        .servers
        .iter()
        .map(|s| {
            format!(
                "- `{}`{}",
                s.url,
                s.docs
                    .paragraphs
                    .first()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let client_docs = docs::attrs(
        &Docs::default(),
        &[
            format!("Client for {}.", docs::titled(api)),
            if server_list.is_empty() {
                String::new()
            } else {
                format!("Servers in the spec:\n{}", server_list.join("\n"))
            },
            "Cloning is cheap: clones share one connection pool.".to_owned(),
        ],
    );
    let error = crate::ir::error_body(&api.operations);
    let error_code = error
        .as_ref()
        .map(|body| crate::ir::error_code(&api.types, body))
        .unwrap_or_default();
    let error_body = error.map(|body| ty(names, &body, Scope::Client));
    let error_body = error_body.unwrap_or_else(|| quote!(crate::common::NoErrorBody));
    let (credential_headers, credential_query) = auth::carriers(api);
    let idempotency_key = optional(api.idempotency_key.as_deref());
    let (credentials, credentials_type, authorize) = match auth::credentials(api, names) {
        Some(auth::Credentials {
            definition,
            authorize,
        }) => (
            Some(definition),
            quote!(Credentials),
            quote! {
                /// Puts `credentials` on `request`, if the operation accepts them (`accepted`
                /// lists the requirements it accepts, by their place in `Credentials`).
                fn authorize(
                    credentials: &Credentials,
                    request: &mut ::reqwest::Request,
                    accepted: &[usize],
                ) -> Result<(), Error> {
                    #authorize
                }
            },
        ),
        None => (
            None,
            quote!(crate::common::NoCredentials),
            quote! {
                /// There are no credentials to put on a request.
                fn authorize(
                    credentials: &crate::common::NoCredentials,
                    _: &mut ::reqwest::Request,
                    _: &[usize],
                ) -> Result<(), Error> {
                    match *credentials {}
                }
            },
        ),
    };
    let credential_sets = (0..api.auth.requirements.len()).map(proc_macro2::Literal::usize_suffixed);
    let quota = match api.quota {
        Some(crate::ir::Quota { requests, millis }) => {
            let per = if millis % 1000 == 0 {
                let seconds = millis / 1000;
                quote!(::std::time::Duration::from_secs(#seconds))
            } else {
                quote!(::std::time::Duration::from_millis(#millis))
            };
            quote!(Some(crate::common::Quota { requests: #requests, per: #per }))
        }
        None => quote!(None),
    };
    let service_doc = format!(
        " {}, as the shared [`Client`](crate::common::Client) knows it: the credentials its \
         operations accept and the error body they document.",
        api.title
    );
    let client_impl = (default_url.is_some() || !methods.is_empty()).then(|| {
        quote! {
            impl Client {
                #default_url

                #(#methods)*
            }
        }
    });
    quote! {
        #module_docs

        #[doc = #service_doc]
        #[derive(Debug)]
        pub enum Api {}

        impl crate::common::Service for Api {
            type Credentials = #credentials_type;
            type ErrorBody = #error_body;
            const CREDENTIAL_SETS: &'static [usize] = &[#(#credential_sets),*];
            const CREDENTIAL_HEADERS: &'static [&'static str] = &[#(#credential_headers),*];
            const CREDENTIAL_QUERY: &'static [&'static str] = &[#(#credential_query),*];
            const QUOTA: Option<crate::common::Quota> = #quota;
            const ERROR_CODE: &'static [&'static str] = &[#(#error_code),*];
            const IDEMPOTENCY_KEY: Option<&'static str> = #idempotency_key;

            #authorize
        }

        /// Everything a call can fail with. No variant holds a credential.
        pub type Error = crate::common::Error<Api>;

        #credentials

        #client_docs
        pub type Client = crate::common::Client<Api>;

        #client_impl

        #stubs

        #(#support)*
    }
}

/// Each operation in `ops` as a method, and the items it needs beside the client.
fn operations(
    api: &Api,
    names: &Names,
    marks: &[bool],
    ops: Range<usize>,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut support = Vec::new();
    let methods = api.operations[ops.clone()]
        .iter()
        .zip(&names.ops[ops])
        .map(|(op, op_names)| {
            let method = &op_names.method;
            let (tokens, items) = operation(api, names, marks, op, &ident(method), op_names);
            support.push(items);
            // The twin shares the call's parameter and part structs.
            let twin = op_names
                .stream
                .as_ref()
                .zip(op.streaming_twin(&api.types))
                .map(|(name, twin)| operation(api, names, marks, &twin, &ident(name), op_names).0);
            let tokens = quote! { #tokens #twin };
            match pages::pages(api, names, op, method, op_names) {
                Some((pages_method, pager)) => {
                    support.push(pager);
                    quote! { #tokens #pages_method }
                }
                None => tokens,
            }
        })
        .collect();
    (methods, support)
}

fn operation(
    api: &Api,
    names: &Names,
    marks: &[bool],
    op: &Operation,
    method: &Ident,
    op_names: &OpNames,
) -> (TokenStream, TokenStream) {
    let http_method = ident(op.method.as_str());
    let mut extra = vec![format!("`{} {}`", op.method.as_str(), op.path)];
    for response in &op.responses {
        let what = response.docs.paragraphs.first().cloned().unwrap_or_default();
        extra.push(format!("- {}: {}", response.status, what));
    }
    let doc = docs::attrs(&op.docs, &[extra.join("\n")]);
    let deprecated = docs::deprecated(&op.docs);

    // Arguments: positional parameters, the params struct, the body.
    let mut args = Vec::new();
    let mut struct_fields = Vec::new();
    for (param, arg) in op.params.iter().zip(&op_names.args) {
        let name = ident(arg);
        if op.in_struct(param) {
            let field_ty = owned_param_type(names, param);
            let doc = docs::attrs(&param.docs, &[]);
            struct_fields.push(quote! { #doc pub #name: #field_ty, });
        } else {
            let arg_ty = borrowed_param_type(names, &param.ty);
            args.push(quote! { #name: #arg_ty });
        }
    }
    let params_struct = op_names.params_struct.as_ref().map(|s| {
        let struct_name = ident(s);
        // rustdoc cannot link to a raw identifier (`Client::r#type`), so such a method is
        // named in code next to a link to the client.
        let doc = match method.to_string().strip_prefix("r#") {
            Some(raw) => format!(" Parameters of the `{raw}` method of [`Client`]."),
            None => format!(" Parameters of [`Client::{method}`]."),
        };
        let all_optional = op.params.iter().filter(|p| op.in_struct(p)).all(|p| !p.required);
        let default = all_optional.then(|| quote!(Default,));
        args.push(quote! { params: &#struct_name });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #struct_name {
                #(#struct_fields)*
            }
        }
    });
    let mut multipart = None;
    let body = op.body.as_ref().zip(op_names.body.as_ref()).map(|(body, name)| {
        let (arg, set, parts) = bodies::body(api, names, marks, body, (name, op_names), method);
        args.push(arg);
        multipart = parts;
        set
    });

    let segments = path_segments(api, op, &op_names.args);
    let query = query(api, op, &op_names.args, &segments);
    let headers = headers(api, op, &op_names.args);
    let (ret, dispatch, response_enum) = responses(names, op, op_names);

    let method_name = op.method.as_str();
    let op_id = op.id.as_str();
    let accept = optional(op.accept());
    let accepted = &op.requirements;
    let request = quote!(call.request(::reqwest::Method::#http_method, url));
    // The request as it is, or with the headers and body set on it.
    let request = match (headers.is_empty(), &body) {
        (true, None) => quote!(Ok(#request)),
        _ => quote! {
            let request = #request;
            #headers
            #body
            Ok(request)
        },
    };
    let path_template = &op.path;
    // The closure's argument is typed by `send`'s signature.
    let build = quote! {
        move |call| {
            #query
            #request
        }
    };
    let send = responses::send(op, build, dispatch);
    let idempotency_key = optional(op.idempotency_key.as_deref());
    let method_tokens = quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> impl ::std::future::Future<Output = Result<#ret, Error>> {
            let operation = crate::common::Operation {
                id: #op_id,
                method: #method_name,
                path: #path_template,
                accept: #accept,
                accepted: &[#(#accepted),*],
                idempotency_key: #idempotency_key,
            };
            #send
        }
    };
    (method_tokens, quote! { #params_struct #multipart #response_enum })
}

fn owned_param_type(names: &Names, param: &Param) -> TokenStream {
    let inner = ty(names, &param.ty, Scope::Client);
    if param.required {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// How a positional argument (always a required path parameter) is passed.
pub(super) enum Passed {
    /// As `&str`.
    Str,
    /// By value: a number or a boolean.
    Value,
    /// By reference to its type.
    Ref,
}

pub(super) fn passed(param_ty: &TypeRef) -> Passed {
    match param_ty {
        TypeRef::String => Passed::Str,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => Passed::Value,
        _ => Passed::Ref,
    }
}

fn borrowed_param_type(names: &Names, param_ty: &TypeRef) -> TokenStream {
    let inner = ty(names, param_ty, Scope::Client);
    match passed(param_ty) {
        Passed::Str => quote!(&str),
        Passed::Value => inner,
        Passed::Ref => quote!(&#inner),
    }
}
