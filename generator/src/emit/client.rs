//! `client.rs`: the error type, the client, and one async method per operation.

use std::ops::Range;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::params::{headers, path_segments, query};
use super::responses::{self, responses};
use super::types::{Scope, ident, ty};
use super::{auth, docs, errors, pages, validate};
use crate::ir::{Api, Docs, Operation, Param, PathPiece, TypeRef};
use crate::names::{Names, OpNames};

/// The operations in `ops` as methods of `Client`, with their parameter structs and pagers.
/// The piece starting at operation 0 also holds the error type and the client itself; the
/// piece ending at the last operation, the helpers. `marks` says which types validate (see
/// [`validate::validating`]).
pub fn client(api: &Api, names: &Names, marks: &[bool], ops: Range<usize>) -> TokenStream {
    let (methods, support) = operations(api, names, marks, ops.clone());
    let helpers = (ops.end == api.operations.len()).then(|| responses::helpers(api));
    if ops.start > 0 {
        return quote! {
            impl Client {
                #(#methods)*
            }

            #(#support)*

            #helpers
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
            format!("Client for {} (version {}).", api.title, api.version),
            if server_list.is_empty() {
                String::new()
            } else {
                format!("Servers in the spec:\n{}", server_list.join("\n"))
            },
            "Cloning is cheap: clones share one connection pool.".to_owned(),
        ],
    );
    let error_type = errors::error_type(api, names);
    let validates = api
        .operations
        .iter()
        .filter_map(|op| op.body.as_ref())
        .any(|body| validate::needs(&body.ty, marks));
    let validation_field = validates.then(|| quote!(validation: bool,));
    let validation_init = validates.then(|| quote!(validation: true,));
    let validation_debug = validates.then(|| quote!(.field("validation", &self.validation)));
    let with_validation = validates.then(|| {
        quote! {
            /// This client checking request bodies against what the spec constrains (string
            /// lengths, check digits) before sending, and refusing them with
            /// `Error::InvalidRequest` (on by default). Turn it off to let the server judge,
            /// for instance for a SIRET of La Poste, which does not pass the Luhn check.
            pub fn with_validation(mut self, on: bool) -> Self {
                self.validation = on;
                self
            }
        }
    });
    let credentials = auth::credentials(api, names);
    let authenticates = credentials.is_some();
    let credentials_field = authenticates.then(|| quote!(credentials: Option<Credentials>,));
    let credentials_init = authenticates.then(|| quote!(credentials: None,));
    let credentials_debug = authenticates.then(|| quote!(.field("credentials", &self.credentials.is_some())));
    let with_credentials = authenticates.then(|| {
        quote! {
            /// This client presenting `credentials` on every call the spec secures.
            pub fn with_credentials(mut self, credentials: Credentials) -> Self {
                self.credentials = Some(credentials);
                self
            }
        }
    });
    let authorize = authenticates.then(|| {
        quote! {
            let request = match &self.credentials {
                Some(credentials) => credentials.apply(request, accepted)?,
                None => request,
            };
        }
    });
    let accepted_param = authenticates.then(|| quote!(accepted: &[usize],));
    let url_helper = (!api.operations.is_empty()).then(|| {
        quote! {
            /// Sends the request `build` makes as `method` `path`, with this client's
            /// timeout, retry policy and observer, and reads the last answer with `dispatch`.
            /// The one `async` body of the client: an operation only hands its two closures
            /// here, so the compiler checks one state machine, not one per operation.
            async fn send<T>(
                &self,
                operation: &'static str,
                method: &'static str,
                path: &'static str,
                #accepted_param
                build: impl FnOnce() -> Result<::reqwest::RequestBuilder, Error>,
                dispatch: impl FnOnce(crate::common::Reply) -> Result<T, Error>,
            ) -> Result<T, Error> {
                let request = build()?;
                #authorize
                let request = match &self.user_agent {
                    Some(agent) => request.header(::reqwest::header::USER_AGENT, agent.clone()),
                    None => request,
                };
                let request = match self.timeout {
                    Some(timeout) => request.timeout(timeout),
                    None => request,
                };
                let call = crate::common::Call { method, path, policy: &self.retry, observer: self.observer.as_ref(), max_body: self.max_body };
                let reply = crate::common::send(call, request).await?;
                let status = reply.status;
                crate::common::start_watch();
                let result = dispatch(reply);
                crate::common::report_drift(self.drift_observer.as_ref(), operation, status, crate::common::end_watch());
                result
            }

            /// The base URL followed by `segments`, each percent-encoded so that no value can
            /// leave its path segment.
            fn url(&self, segments: &[&str]) -> ::reqwest::Url {
                let mut url = self.base_url.clone();
                if let Ok(mut path) = url.path_segments_mut() {
                    path.pop_if_empty().extend(segments);
                }
                url
            }
        }
    });
    quote! {
        #module_docs

        #error_type

        #credentials

        #client_docs
        #[derive(Clone)]
        pub struct Client {
            base_url: ::reqwest::Url,
            http: ::reqwest::Client,
            retry: crate::common::RetryPolicy,
            observer: Option<crate::common::Observer>,
            drift_observer: Option<crate::common::DriftObserver>,
            timeout: Option<::std::time::Duration>,
            user_agent: Option<::reqwest::header::HeaderValue>,
            max_body: u64,
            #credentials_field
            #validation_field
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url.as_str())
                    .field("retry", &self.retry)
                    .field("timeout", &self.timeout)
                    .field("user_agent", &self.user_agent)
                    .field("max_body", &self.max_body)
                    .field("observer", &self.observer.is_some())
                    .field("drift_observer", &self.drift_observer.is_some())
                    #credentials_debug
                    #validation_debug
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            #default_url

            /// The `User-Agent` of a client made by [`Client::new`].
            pub const USER_AGENT: &'static str = ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION"));

            /// A client for the API at `base_url` with its own HTTP client (rustls, this
            /// crate's user agent, a 10 s connect timeout, redirects followed only within the
            /// same origin, so credentials never travel to another host), a 30 s timeout per
            /// attempt and the default [`RetryPolicy`](crate::common::RetryPolicy).
            pub fn new(base_url: &str) -> Result<Self, Error> {
                let http = ::reqwest::Client::builder()
                    .user_agent(Self::USER_AGENT)
                    .connect_timeout(::std::time::Duration::from_secs(10))
                    .redirect(crate::common::same_origin_redirects())
                    .build()?;
                let client = Self::with_http_client(base_url, http)?;
                Ok(client.with_timeout(::std::time::Duration::from_secs(30)))
            }

            /// A client using the caller's HTTP client, so proxies, default headers,
            /// timeouts and middleware configured on it apply to every call. It adds no
            /// timeout of its own and retries by the default
            /// [`RetryPolicy`](crate::common::RetryPolicy). Its redirect policy applies as it
            /// is: reqwest's default follows redirects to other hosts, and drops only the
            /// standard credential headers on the way, so give it
            /// [`same_origin_redirects`](crate::common::same_origin_redirects) when the API's
            /// credentials travel in headers of their own.
            pub fn with_http_client(base_url: &str, http: ::reqwest::Client) -> Result<Self, Error> {
                let base_url = ::reqwest::Url::parse(base_url)
                    .map_err(|error| Error::InvalidRequest(format!("base URL `{base_url}`: {error}")))?;
                if base_url.cannot_be_a_base() {
                    return Err(Error::InvalidRequest(format!("base URL `{base_url}` cannot take a path")));
                }
                Ok(Self {
                    base_url,
                    http,
                    retry: crate::common::RetryPolicy::default(),
                    observer: None,
                    drift_observer: None,
                    timeout: None,
                    user_agent: None,
                    max_body: Self::DEFAULT_MAX_BODY,
                    #credentials_init
                    #validation_init
                })
            }

            /// This client with `policy` deciding when calls are tried again
            /// ([`RetryPolicy::never`](crate::common::RetryPolicy::never) turns retrying off).
            pub fn with_retry(mut self, policy: crate::common::RetryPolicy) -> Self {
                self.retry = policy;
                self
            }

            #with_credentials

            #with_validation

            /// This client sending `user_agent` as its `User-Agent`, instead of the HTTP
            /// client's. Refused if HTTP does not allow the text in a header.
            pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, Error> {
                let value = ::reqwest::header::HeaderValue::from_str(user_agent)
                    .map_err(|_| Error::InvalidRequest(format!("the user agent `{user_agent}` has characters HTTP does not allow")))?;
                self.user_agent = Some(value);
                Ok(self)
            }

            /// The longest response body a client reads unless told otherwise: 32 MiB.
            pub const DEFAULT_MAX_BODY: u64 = 32 * 1024 * 1024;

            /// This client refusing, with [`Error::BodyTooLarge`], any response body longer
            /// than `bytes`, before reading past it: a faulty or hostile server cannot make a
            /// call hold more memory than that.
            pub fn with_max_body(mut self, bytes: u64) -> Self {
                self.max_body = bytes;
                self
            }

            /// This client with a timeout for each attempt of each call.
            pub fn with_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// This client telling `observer` about every attempt: method, path template,
            /// attempt number, status and time taken (never a credential or parameter value).
            /// Each attempt is also a `tracing` event at debug level.
            pub fn with_observer(
                mut self,
                observer: impl ::std::ops::Fn(&crate::common::Attempt) + ::std::marker::Send + ::std::marker::Sync + 'static,
            ) -> Self {
                self.observer = Some(::std::sync::Arc::new(observer));
                self
            }

            /// This client telling `observer` about everything a response carries that the
            /// spec does not list (a new enum value or union tag, a key an object does not
            /// declare), once per response, with the operation, the status and the JSON
            /// pointer of its first occurrence. Nothing fails for it; this is how the spec
            /// learns it is behind.
            /// Each is also a `tracing` event at warn level.
            pub fn with_drift_observer(
                mut self,
                observer: impl ::std::ops::Fn(&crate::common::Drift) + ::std::marker::Send + ::std::marker::Sync + 'static,
            ) -> Self {
                self.drift_observer = Some(::std::sync::Arc::new(observer));
                self
            }

            /// The base URL every path is joined to.
            pub fn base_url(&self) -> &::reqwest::Url {
                &self.base_url
            }

            /// The underlying HTTP client.
            pub fn http_client(&self) -> &::reqwest::Client {
                &self.http
            }

            #url_helper

            #(#methods)*
        }

        #(#support)*

        #helpers
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
        .zip(&names.methods[ops.clone()])
        .zip(&names.ops[ops])
        .map(|((op, method), op_names)| {
            let (tokens, items) = operation(api, names, marks, op, &ident(method), op_names);
            support.push(items);
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
    let mut bind = Vec::new();
    for (param, arg) in op.params.iter().zip(&op_names.args) {
        let name = ident(arg);
        if op.in_struct(param) {
            let field_ty = owned_param_type(names, param);
            let doc = docs::attrs(&param.docs, &[]);
            struct_fields.push(quote! { #doc pub #name: #field_ty, });
            bind.push(quote! { let #name = &params.#name; });
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
    let body = op.body.as_ref().map(|body| {
        let name = ident(op_names.args.last().map_or("body", String::as_str));
        let body_ty = ty(names, &body.ty, Scope::Client);
        let arg_ty = match (&body.ty, body.required) {
            (TypeRef::Bytes, true) => quote!(Vec<u8>),
            (TypeRef::Bytes, false) => quote!(Option<Vec<u8>>),
            (_, true) => quote!(&#body_ty),
            (_, false) => quote!(Option<&#body_ty>),
        };
        args.push(quote! { #name: #arg_ty });
        let media = &body.media_type;
        let attach = if body.ty == TypeRef::Bytes {
            quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name))
        } else {
            quote!(request.json(#name))
        };
        let check = validate::needs(&body.ty, marks).then(|| {
            // A model has `validate`; a list or map of them is checked item by item.
            let validate = |value: TokenStream| match &body.ty {
                TypeRef::Named(_) => quote!(#value.validate()),
                ty => {
                    let steps = validate::visit(quote!(value), ty, marks);
                    quote! {
                        (|| -> Result<(), String> {
                            let value = #value;
                            #steps
                            Ok(())
                        })()
                    }
                }
            };
            if body.required {
                let validate = validate(quote!(#name));
                quote! {
                    if self.validation {
                        #validate.map_err(Error::InvalidRequest)?;
                    }
                }
            } else {
                let validate = validate(quote!(body));
                quote! {
                    if let (true, Some(body)) = (self.validation, #name) {
                        #validate.map_err(Error::InvalidRequest)?;
                    }
                }
            }
        });
        if body.required {
            quote! { #check let request = #attach; }
        } else {
            quote! {
                #check
                let request = match #name {
                    Some(#name) => #attach,
                    None => request,
                };
            }
        }
    });

    let segments = path_segments(api, op, &op_names.args);
    let query = query(api, op, &op_names.args, &segments);
    let headers = headers(api, op, &op_names.args);
    let (ret, dispatch, response_enum) = responses(names, op, op_names);

    let method_name = op.method.as_str();
    let op_id = op.id.as_str();
    let dispatch = quote! {
        |reply| match reply.status {
            #dispatch
            _ => Err(failure(reply)),
        }
    };
    // Lowering keeps the flag only where the module has a typed error body to try.
    let dispatch = if op.error_on_success() {
        quote!(|reply| error_on_success(reply).and_then(#dispatch))
    } else {
        dispatch
    };
    let accept = op
        .accept()
        .map(|accept| quote!(let request = request.header(::reqwest::header::ACCEPT, #accept);));
    let accepted = (!api.auth.requirements.is_empty()).then(|| {
        let accepted = &op.requirements;
        quote!(&[#(#accepted),*],)
    });
    let path_template = &op.path;
    let method_tokens = quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> impl ::std::future::Future<Output = Result<#ret, Error>> {
            let build = move || {
                #(#bind)*
                #query
                let request = self.http.request(::reqwest::Method::#http_method, url);
                #accept
                #headers
                #body
                Ok(request)
            };
            self.send(#op_id, #method_name, #path_template, #accepted build, #dispatch)
        }
    };
    (method_tokens, quote! { #params_struct #response_enum })
}

fn owned_param_type(names: &Names, param: &Param) -> TokenStream {
    let inner = ty(names, &param.ty, Scope::Client);
    if param.required {
        inner
    } else {
        quote!(Option<#inner>)
    }
}

/// Positional arguments are always required path parameters.
fn borrowed_param_type(names: &Names, param_ty: &TypeRef) -> TokenStream {
    match param_ty {
        TypeRef::String => quote!(&str),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => {
            ty(names, param_ty, Scope::Client)
        }
        other => {
            let inner = ty(names, other, Scope::Client);
            quote!(&#inner)
        }
    }
}
