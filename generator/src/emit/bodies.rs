//! A call's request body: the argument that carries it and how it is put on the request,
//! by its [`Encoding`].

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::{Scope, ident, ty};
use super::validate;
use crate::ir::{Api, ArrayStyle, Body, Encoding, Form, TypeRef};
use crate::names::Names;

/// The argument `name` of a call with `body`, and the statements that check it (where the
/// client validates) and set it on `request`.
pub(super) fn body(
    api: &Api,
    names: &Names,
    marks: &[bool],
    body: &Body,
    name: &str,
) -> (TokenStream, TokenStream) {
    let name = ident(name);
    let media = &body.media_type;
    let by_ref = |inner: TokenStream| match body.required {
        true => quote!(&#inner),
        false => quote!(Option<&#inner>),
    };
    let (arg_ty, attach, check) = match &body.encoding {
        Encoding::Json(json) => {
            // A list is borrowed as a slice, which a `Vec` and an array both give.
            let arg_ty = match json {
                TypeRef::Vec(item) => {
                    let item = ty(names, item, Scope::Client);
                    by_ref(quote!([#item]))
                }
                other => by_ref(ty(names, other, Scope::Client)),
            };
            let check = validation(api, json, body.required, &name, marks);
            // `json` sets `application/json` only where the call set no `Content-Type`.
            let attach = match media.as_str() {
                "application/json" => quote!(request.json(#name)),
                media => quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).json(#name)),
            };
            (arg_ty, attach, check)
        }
        Encoding::Form(Form { ty: form, fields }) => {
            let arg_ty = by_ref(ty(names, form, Scope::Client));
            let check = validation(api, form, body.required, &name, marks);
            let styles = fields
                .iter()
                .filter(|field| field.style != ArrayStyle::Repeat)
                .map(|field| {
                    let wire = &field.wire;
                    let style = super::params::style(field.style);
                    quote!((#wire, #style))
                });
            let reserved = fields
                .iter()
                .filter(|field| field.allow_reserved)
                .map(|field| &field.wire);
            let fields =
                quote!(crate::common::FormFields { styles: &[#(#styles),*], reserved: &[#(#reserved),*] });
            let attach =
                quote!(crate::common::form_body(request, #media, #name, #fields).map_err(Error::invalid)?);
            (arg_ty, attach, check)
        }
        Encoding::Text => {
            let arg_ty = by_ref(quote!(str));
            let attach =
                quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name.to_owned()));
            (arg_ty, attach, None)
        }
        // Bytes, or a stream (which is sent once, never again).
        Encoding::Bytes => {
            let arg_ty = match body.required {
                true => quote!(impl Into<::reqwest::Body>),
                false => quote!(Option<::reqwest::Body>),
            };
            let attach = quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name));
            (arg_ty, attach, None)
        }
        // Not typed yet: the caller's bytes, sent as the media type says.
        Encoding::Multipart => {
            let arg_ty = match body.required {
                true => quote!(Vec<u8>),
                false => quote!(Option<Vec<u8>>),
            };
            let attach = quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name));
            (arg_ty, attach, None)
        }
    };
    let arg = quote! { #name: #arg_ty };
    let set = if body.required {
        quote! { #check let request = #attach; }
    } else {
        quote! {
            #check
            let request = match #name {
                Some(#name) => #attach,
                None => request,
            };
        }
    };
    (arg, set)
}

/// The check of a typed request body `name` of type `body`, when the client validates and
/// the type holds something to check: a model has `validate`; a list or map of them is
/// checked item by item.
fn validation(
    api: &Api,
    body: &TypeRef,
    required: bool,
    name: &Ident,
    marks: &[bool],
) -> Option<TokenStream> {
    if !validate::needs(body, marks) {
        return None;
    }
    // An alias of a list or map has no `validate`: what it names is checked item by item.
    let validate = |value: TokenStream| match body.resolved_in(&api.types) {
        TypeRef::Named(_) => quote!(#value.validate()),
        ty => {
            let steps = validate::visit(quote!(value), ty, marks, &api.types);
            quote! {
                (|| -> Result<(), String> {
                    let value = #value;
                    #steps
                    Ok(())
                })()
            }
        }
    };
    Some(if required {
        let validate = validate(quote!(#name));
        quote! {
            if call.validates() {
                #validate.map_err(Error::invalid)?;
            }
        }
    } else {
        let validate = validate(quote!(body));
        quote! {
            if let (true, Some(body)) = (call.validates(), #name) {
                #validate.map_err(Error::invalid)?;
            }
        }
    })
}
