//! The `Error` type of each client module.

use proc_macro2::TokenStream;
use quote::quote;

/// The module's `Error` type.
pub(super) fn error_type() -> TokenStream {
    quote! {
        /// Everything a call can fail with.
        #[derive(::std::fmt::Debug)]
        #[non_exhaustive]
        pub enum Error {
            /// The request could not be built: a bad base URL, or a header value with
            /// characters HTTP does not allow (such as CR or LF). Nothing was sent.
            InvalidRequest(::std::string::String),
            /// The request could not be sent, or the response could not be read.
            Transport(::reqwest::Error),
            /// The server answered with a status the operation does not document as success.
            Status {
                /// The HTTP status code.
                status: u16,
                /// The response body, as text.
                body: ::std::string::String,
            },
            /// A documented success response whose body does not match its schema.
            Decode {
                /// The HTTP status code.
                status: u16,
                /// The response body, as text.
                body: ::std::string::String,
                /// What did not match, with line and column.
                source: ::serde_json::Error,
            },
        }

        impl ::std::fmt::Display for Error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::InvalidRequest(message) => ::std::write!(f, "invalid request: {message}"),
                    Self::Transport(error) => ::std::write!(f, "transport error: {error}"),
                    Self::Status { status, .. } => ::std::write!(f, "the server answered with status {status}"),
                    Self::Decode { status, source, .. } => {
                        ::std::write!(f, "the body of a {status} response does not match the spec: {source}")
                    }
                }
            }
        }

        impl ::std::error::Error for Error {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Transport(error) => ::std::option::Option::Some(error),
                    Self::Decode { source, .. } => ::std::option::Option::Some(source),
                    Self::InvalidRequest(_) | Self::Status { .. } => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<::reqwest::Error> for Error {
            fn from(error: ::reqwest::Error) -> Self {
                Self::Transport(error)
            }
        }
    }
}
