//! What an operation returns: its success type (an enum when it documents several, which
//! also hands out the body they share, if they share one), and the match arms that decode
//! each documented success status.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Scope, ident, ty};
use crate::ir::{Encoding, Operation};
use crate::names::{Names, OpNames};

/// The return type, the match arms on the status code (each `Some` of the call's result; an
/// undocumented status falls through to `send`), and the response enum if any.
pub(super) fn responses(
    names: &Names,
    op: &Operation,
    op_names: &OpNames,
) -> (TokenStream, TokenStream, Option<TokenStream>) {
    let successes = op.success_responses();
    let decode = |body: &Option<Encoding>| match body {
        Some(Encoding::Json(body)) => {
            let body = ty(names, body, Scope::Client);
            quote!(crate::common::decode::<#body, _>(&reply))
        }
        Some(Encoding::Text) => quote!(crate::common::decode_text(reply)),
        Some(Encoding::Bytes) => quote!(Ok(crate::common::ByteStream::new(reply))),
        Some(Encoding::Events(_)) => quote!(Ok(crate::common::EventStream::new(reply))),
        Some(Encoding::Form(_) | Encoding::Multipart(_)) => quote!(Ok(reply.body)),
        None => quote!(Ok(())),
    };
    let payload = |body: &Option<Encoding>| match body {
        Some(body) => payload(names, body),
        None => quote!(()),
    };
    match (successes.as_slice(), &op_names.response_enum) {
        ([], _) => (quote!(()), quote!(200..=299 => Ok(()),), None),
        ([only], _) => {
            let status = proc_macro2::Literal::u16_unsuffixed(only.status);
            let decode = decode(&only.body);
            (payload(&only.body), quote!(#status => #decode,), None)
        }
        (many, Some(enum_name)) => {
            let enum_name = ident(enum_name);
            let variants: Vec<Ident> = op_names.response_variants.iter().map(|v| ident(v)).collect();
            let arms = many.iter().zip(&variants).map(|(response, variant)| {
                let status = proc_macro2::Literal::u16_unsuffixed(response.status);
                let decode = decode(&response.body);
                // Decoded payloads are boxed, so no variant makes the enum large.
                match &response.body {
                    Some(Encoding::Json(_)) => {
                        quote!(#status => #decode.map(|body| #enum_name::#variant(Box::new(body))),)
                    }
                    Some(Encoding::Text) => quote!(#status => #decode.map(#enum_name::#variant),),
                    Some(Encoding::Bytes) => {
                        quote!(#status => Ok(#enum_name::#variant(crate::common::ByteStream::new(reply))),)
                    }
                    Some(Encoding::Events(_)) => {
                        quote!(#status => Ok(#enum_name::#variant(crate::common::EventStream::new(reply))),)
                    }
                    Some(_) => quote!(#status => Ok(#enum_name::#variant(reply.body)),),
                    None => quote!(#status => Ok(#enum_name::#variant),),
                }
            });
            let defs = many.iter().zip(&variants).map(|(response, variant)| {
                let doc = docs::attrs(&response.docs, &[format!("Status {}.", response.status)]);
                let payload = payload(&response.body);
                match &response.body {
                    Some(Encoding::Json(_)) => quote!(#doc #variant(Box<#payload>),),
                    Some(_) => quote!(#doc #variant(#payload),),
                    None => quote!(#doc #variant,),
                }
            });
            let doc = format!(" The documented success responses of `{}`.", op.id);
            let shared = shared_body(names, op, &enum_name, &variants);
            // A body still arriving can be neither copied nor compared.
            let derives = match op.streamed_statuses().is_empty() {
                true => quote!(#[derive(Debug, Clone, PartialEq)]),
                false => quote!(#[derive(Debug)]),
            };
            let def = quote! {
                #[doc = #doc]
                #derives
                pub enum #enum_name { #(#defs)* }
                #shared
            };
            (quote!(#enum_name), quote!(#(#arms)*), Some(def))
        }
        // `names` gives every operation with several successes its enum.
        (_, None) => (quote!(()), quote!(), None),
    }
}

/// `body()` and `into_body()` on a response enum whose statuses all carry the same body
/// (Lucca's 200 and 201 of a commitment): the status stays in the variant, the body is one
/// call away.
fn shared_body(names: &Names, op: &Operation, enum_name: &Ident, variants: &[Ident]) -> Option<TokenStream> {
    let body = op.shared_success_body()?;
    let payload = payload(names, body);
    let unboxed = match body {
        Encoding::Json(_) => quote!(*body),
        _ => quote!(body),
    };
    Some(quote! {
        impl #enum_name {
            /// The body, whichever documented status carried it.
            pub fn body(&self) -> &#payload {
                match self { #(Self::#variants(body))|* => body }
            }

            /// The body, whichever documented status carried it.
            pub fn into_body(self) -> #payload {
                match self { #(Self::#variants(body))|* => #unboxed }
            }
        }
    })
}

/// The call that sends `op`, its request made by the closure `build`, and reads its answer
/// with the match `arms` of [`responses`]: the runtime's shorthand for one documented
/// success with a JSON body or none, else `send` with the match. Lowering keeps the
/// error-on-success flag only where the module has a typed error body to try.
pub(super) fn send(op: &Operation, build: TokenStream, arms: TokenStream) -> TokenStream {
    let successes = op.success_responses();
    if let ([only], false) = (successes.as_slice(), op.error_on_success()) {
        let status = proc_macro2::Literal::u16_unsuffixed(only.status);
        match &only.body {
            Some(Encoding::Json(_)) => {
                return quote!(crate::common::send_json(self, operation, #status, #build));
            }
            None => return quote!(crate::common::send_empty(self, operation, #status, #build)),
            Some(_) => {}
        }
    }
    let dispatch = quote! {
        |reply| match reply.status {
            #arms
            _ => Err(crate::common::failure(reply)),
        }
    };
    let dispatch = match op.error_on_success() {
        true => quote!(|reply| crate::common::error_on_success(reply).and_then(#dispatch)),
        false => dispatch,
    };
    let streams: Vec<_> = op
        .streamed_statuses()
        .into_iter()
        .map(proc_macro2::Literal::u16_unsuffixed)
        .collect();
    match streams.is_empty() {
        true => quote!(crate::common::send(self, operation, #build, #dispatch)),
        false => quote!(crate::common::send_streaming(self, operation, &[#(#streams),*], #build, #dispatch)),
    }
}

/// The Rust type a body of `encoding` is handed out as.
fn payload(names: &Names, encoding: &Encoding) -> TokenStream {
    match encoding {
        Encoding::Json(body) => ty(names, body, Scope::Client),
        Encoding::Text => quote!(String),
        Encoding::Bytes => quote!(crate::common::ByteStream<Api>),
        Encoding::Events(item) => {
            let item = ty(names, item, Scope::Client);
            quote!(crate::common::EventStream<#item, Api>)
        }
        Encoding::Form(_) | Encoding::Multipart(_) => quote!(Vec<u8>),
    }
}
