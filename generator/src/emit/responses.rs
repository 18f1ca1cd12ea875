//! What an operation returns: its success type (an enum when it documents several), and
//! the match arms that decode each documented success status.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Scope, ident, ty};
use crate::ir::{Operation, TypeRef};
use crate::names::{Names, OpNames};

/// The return type, the match arms on the status code (each `Some` of the call's result; an
/// undocumented status falls through to `send`), and the response enum if any.
pub(super) fn responses(
    names: &Names,
    op: &Operation,
    op_names: &OpNames,
) -> (TokenStream, TokenStream, Option<TokenStream>) {
    let successes = op.success_responses();
    let decode = |body: &Option<TypeRef>| match body {
        Some(TypeRef::Bytes) => quote!(Ok(reply.body)),
        Some(body) => {
            let body = ty(names, body, Scope::Client);
            quote!(decode::<#body>(&reply))
        }
        None => quote!(Ok(())),
    };
    let payload = |body: &Option<TypeRef>| match body {
        Some(body) => ty(names, body, Scope::Client),
        None => quote!(()),
    };
    match (successes.as_slice(), &op_names.response_enum) {
        ([], _) => (quote!(()), quote!(200..=299 => Ok(()),), None),
        (_, None) => {
            let body = op.shared_success_body().flatten().cloned();
            let statuses = successes
                .iter()
                .map(|r| proc_macro2::Literal::u16_unsuffixed(r.status));
            let decode = decode(&body);
            (payload(&body), quote!(#(#statuses)|* => #decode,), None)
        }
        (many, Some(enum_name)) => {
            let enum_name = ident(enum_name);
            let variants: Vec<Ident> = op_names.response_variants.iter().map(|v| ident(v)).collect();
            let arms = many.iter().zip(&variants).map(|(response, variant)| {
                let status = proc_macro2::Literal::u16_unsuffixed(response.status);
                let decode = decode(&response.body);
                // Decoded payloads are boxed, so no variant makes the enum large.
                match &response.body {
                    Some(TypeRef::Bytes) => quote!(#status => Ok(#enum_name::#variant(reply.body)),),
                    Some(_) => quote!(#status => #decode.map(|body| #enum_name::#variant(Box::new(body))),),
                    None => quote!(#status => Ok(#enum_name::#variant),),
                }
            });
            let defs = many.iter().zip(&variants).map(|(response, variant)| {
                let doc = docs::attrs(&response.docs, &[format!("Status {}.", response.status)]);
                match &response.body {
                    Some(TypeRef::Bytes) => {
                        let payload = payload(&response.body);
                        quote!(#doc #variant(#payload),)
                    }
                    Some(_) => {
                        let payload = payload(&response.body);
                        quote!(#doc #variant(Box<#payload>),)
                    }
                    None => quote!(#doc #variant,),
                }
            });
            let doc = format!(" The documented success responses of `{}`.", op.id);
            let def = quote! {
                #[doc = #doc]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #enum_name { #(#defs)* }
            };
            (quote!(#enum_name), quote!(#(#arms)*), Some(def))
        }
    }
}
