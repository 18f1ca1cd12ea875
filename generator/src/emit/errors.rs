//! The `Error` type of each client module, and how an answer that is not a documented success
//! becomes one.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Scope, ty};
use crate::ir::Api;
use crate::names::Names;

/// The module's `Error` type and `failure`, which turns an answer that is not a documented
/// success into one.
pub(super) fn error_type(api: &Api, names: &Names) -> TokenStream {
    let body = crate::ir::error_body(&api.operations).map(|body| ty(names, &body, Scope::Client));
    let api_variant = body.as_ref().map(|body| {
        quote! {
            /// The server refused the call with the error body the spec documents.
            Api {
                /// The HTTP status code.
                status: u16,
                /// The error the server sent.
                body: Box<#body>,
            },
        }
    });
    let api_display = body.as_ref().map(|_| {
        quote! {
            Self::Api { status, body } => ::std::write!(f, "the server refused the call with status {status}: {body:?}"),
        }
    });
    let api_source = body.as_ref().map(|_| quote!(| Self::Api { .. }));
    let typed = body.as_ref().map(|body| {
        quote! {
            /// The answer as the documented error body, if it is one.
            fn api_error(reply: &crate::common::Reply) -> Option<Error> {
                let noted = crate::common::drift_mark();
                if let Ok(parsed) = ::serde_json::from_slice::<#body>(&reply.body) {
                    crate::common::place(&reply.body);
                    return Some(Error::Api { status: reply.status, body: Box::new(parsed) });
                }
                // Not the error body: what trying it noted is not drift.
                crate::common::drift_rewind(noted);
                None
            }
        }
    });
    // Only a client or server error is the vendor's error body; an undocumented success
    // keeps its raw body in `Status`.
    let typed_failure = body.as_ref().map(|_| {
        quote! {
            if reply.status >= 400 {
                if let Some(error) = api_error(&reply) {
                    return error;
                }
            }
        }
    });
    // `x-error-on-success`: the vendor's error body is an error whatever status it comes with.
    let on_success = (body.is_some() && api.operations.iter().any(|op| op.error_on_success())).then(|| {
        quote! {
            /// A success answer whose body is the documented error body is that error: the
            /// spec says this API may send its errors with a success status.
            fn error_on_success(reply: crate::common::Reply) -> Result<crate::common::Reply, Error> {
                if (200..300).contains(&reply.status) {
                    if let Some(error) = api_error(&reply) {
                        return Err(error);
                    }
                }
                Ok(reply)
            }
        }
    });
    // Only a module with operations reads answers.
    let helpers = (!api.operations.is_empty()).then(|| {
        quote! {
            /// The error for an answer that is not a documented success.
            fn failure(reply: crate::common::Reply) -> Error {
                if reply.status == 429 {
                    return Error::RateLimited { retry_after: reply.retry_after, body: text(&reply.body) };
                }
                #typed_failure
                Error::Status { status: reply.status, body: text(&reply.body) }
            }

            #typed

            /// The body as text, for error reports.
            fn text(bytes: &[u8]) -> String {
                String::from_utf8_lossy(bytes).into_owned()
            }

            #on_success
        }
    });
    quote! {
        /// Everything a call can fail with. No variant holds a credential.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            /// The request could not be built: a bad base URL, or a header value with
            /// characters HTTP does not allow (such as CR or LF). Nothing was sent.
            InvalidRequest(String),
            /// The request could not be sent, or the answer could not be read.
            Transport(::reqwest::Error),
            /// No answer came within the timeout.
            Timeout(::reqwest::Error),
            /// The answer's body is longer than the client's limit (see `Client::with_max_body`);
            /// the rest of it was not read.
            BodyTooLarge {
                /// The HTTP status code.
                status: u16,
                /// The limit, in bytes.
                limit: u64,
            },
            /// The server answered `429 Too Many Requests`, and the retry policy did not
            /// allow waiting any longer.
            RateLimited {
                /// The wait the server asked for, if it said.
                retry_after: Option<::std::time::Duration>,
                /// The response body, as text.
                body: String,
            },
            #api_variant
            /// The server answered with a status the operation does not document as success,
            /// and a body that is not the documented error.
            Status {
                /// The HTTP status code.
                status: u16,
                /// The response body, as text.
                body: String,
            },
            /// A documented success response whose body does not match its schema.
            Decode {
                /// The HTTP status code.
                status: u16,
                /// The response body, as text.
                body: String,
                /// Where in the body decoding failed, such as `items[2].amount`.
                path: String,
                /// What did not match.
                source: ::serde_json::Error,
            },
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::InvalidRequest(message) => ::std::write!(f, "invalid request: {message}"),
                    Self::Transport(error) => ::std::write!(f, "transport error: {error}"),
                    Self::Timeout(error) => ::std::write!(f, "timed out: {error}"),
                    Self::BodyTooLarge { status, limit } => {
                        ::std::write!(f, "the body of a {status} response is longer than the limit of {limit} bytes")
                    }
                    Self::RateLimited { retry_after: Some(wait), .. } => {
                        ::std::write!(f, "rate limited; the server asks to wait {} s", wait.as_secs())
                    }
                    Self::RateLimited { .. } => ::std::write!(f, "rate limited"),
                    #api_display
                    Self::Status { status, .. } => ::std::write!(f, "the server answered with status {status}"),
                    Self::Decode { status, path, source, .. } => {
                        ::std::write!(f, "the body of a {status} response does not match the spec at `{path}`: {source}")
                    }
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Transport(error) | Self::Timeout(error) => Some(error),
                    Self::Decode { source, .. } => Some(source),
                    Self::InvalidRequest(_) | Self::BodyTooLarge { .. } | Self::RateLimited { .. } | Self::Status { .. } #api_source => {
                        None
                    }
                }
            }
        }

        impl ::std::convert::From<::reqwest::Error> for Error {
            /// The URL is left out: a query string may hold a credential.
            fn from(error: ::reqwest::Error) -> Self {
                let error = error.without_url();
                if error.is_timeout() { Self::Timeout(error) } else { Self::Transport(error) }
            }
        }

        impl ::std::convert::From<crate::common::Failure> for Error {
            fn from(failure: crate::common::Failure) -> Self {
                match failure {
                    crate::common::Failure::Http(error) => error.into(),
                    crate::common::Failure::TooLarge { status, limit } => Self::BodyTooLarge { status, limit },
                }
            }
        }

        #helpers
    }
}
