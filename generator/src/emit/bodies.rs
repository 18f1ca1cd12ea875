//! A call's request body: the argument that carries it and how it is put on the request,
//! by its [`Encoding`].

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs;
use super::types::{Scope, ident, optional, ty};
use super::validate;
use crate::ir::{Api, ArrayStyle, Body, Encoding, Form, FormField, Multipart, PartValue, TypeRef};
use crate::names::{Names, OpNames};

/// The argument `name` of a call with `body`, the statements that check it (where the
/// client validates) and set it on `request`, and the type beside the client that the
/// argument is, if any: the struct of a multipart body's parts, or the enum of the media
/// types the body may be sent as (named in `op_names`; `method`, the call's, for their docs).
pub(super) fn body(
    api: &Api,
    names: &Names,
    marks: &[bool],
    body: &Body,
    (name, op_names): (&str, &OpNames),
    method: &Ident,
) -> (TokenStream, TokenStream, Option<TokenStream>) {
    let name = ident(name);
    let mut support = None;
    let media = &body.media_type;
    let by_ref = |inner: TokenStream| match body.required {
        true => quote!(&#inner),
        false => quote!(Option<&#inner>),
    };
    let (parts, choice) = (op_names.parts.as_ref(), op_names.choice.as_ref());
    let choice = choice.filter(|_| !body.choices.is_empty());
    let (arg_ty, attach, check) = if let Some((enum_name, variants)) = choice {
        let (def, choice_ty, attach) = choices(names, body, enum_name, variants, method, &name);
        support = Some(def);
        (by_ref(choice_ty), attach, None)
    } else {
        match &body.encoding {
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
                let attach = match (media.as_str(), &body.set_true) {
                    (media, Some(flag)) => {
                        quote!(crate::common::json_setting(request, #media, #name, #flag).map_err(Error::invalid)?)
                    }
                    ("application/json", None) => quote!(request.json(#name)),
                    (media, None) => {
                        quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).json(#name))
                    }
                };
                (arg_ty, attach, check)
            }
            Encoding::Form(Form { ty: form, fields }) => {
                let arg_ty = by_ref(ty(names, form, Scope::Client));
                let check = validation(api, form, body.required, &name, marks);
                let fields = form_fields(fields);
                let attach = quote!(crate::common::form_body(request, #media, #name, #fields).map_err(Error::invalid)?);
                (arg_ty, attach, check)
            }
            Encoding::Text => {
                let arg_ty = by_ref(quote!(str));
                let attach =
                    quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name.to_owned()));
                (arg_ty, attach, None)
            }
            // Bytes, or a stream (which is sent once, never again).
            // Events are answers only: a request of them is lowered as bytes.
            Encoding::Bytes | Encoding::Events(_) => {
                let arg_ty = match body.required {
                    true => quote!(impl Into<::reqwest::Body>),
                    false => quote!(Option<::reqwest::Body>),
                };
                let attach = quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name));
                (arg_ty, attach, None)
            }
            Encoding::Multipart(multipart) => {
                // `names` gives every multipart body its struct.
                let Some((struct_name, fields)) = parts else {
                    let set = quote!(let request = request.header(::reqwest::header::CONTENT_TYPE, #media).body(#name););
                    return (quote! { #name: Vec<u8> }, set, None);
                };
                let (form, attach) =
                    multipart_parts(api, names, multipart, struct_name, fields, method, &name);
                let form_name = ident(struct_name);
                let arg_ty = match body.required {
                    true => quote!(#form_name),
                    false => quote!(Option<#form_name>),
                };
                support = Some(form);
                (arg_ty, attach, None)
            }
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
    (arg, set, support)
}

/// The struct of a multipart body's parts (`struct_name`, a field per part named as
/// `fields` says), and the expression that puts the parts of `value` on `request` in their
/// order.
fn multipart_parts(
    api: &Api,
    names: &Names,
    multipart: &Multipart,
    struct_name: &str,
    fields: &[String],
    method: &Ident,
    value: &Ident,
) -> (TokenStream, TokenStream) {
    let struct_ident = ident(struct_name);
    let defs = multipart.parts.iter().zip(fields).map(|(part, field)| {
        let field = ident(field);
        let inner = match &part.value {
            PartValue::File => quote!(crate::common::FilePart),
            PartValue::Text(item) | PartValue::Json(item) => ty(names, item, Scope::Client),
        };
        let inner = match part.many {
            true => quote!(Vec<#inner>),
            false => inner,
        };
        let field_ty = match part.required {
            true => inner,
            false => quote!(Option<#inner>),
        };
        let doc = docs::attrs(&part.docs, &[]);
        quote! { #doc pub #field: #field_ty, }
    });
    let adds = multipart.parts.iter().zip(fields).map(|(part, field)| {
        let field = ident(field);
        let wire = &part.wire;
        let content_type = optional(part.content_type.as_deref());
        let add = match &part.value {
            PartValue::File => quote!(parts.file(#wire, part, #content_type)),
            PartValue::Text(item) => {
                let text = super::params::text(api, item, quote!(part));
                quote!(parts.text(#wire, #text, #content_type))
            }
            PartValue::Json(_) => quote!(parts.json(#wire, &part, #content_type)),
        };
        let add = quote!(#add.map_err(Error::invalid)?;);
        match (part.required, part.many) {
            (true, false) => quote! { let part = #value.#field; #add },
            (false, false) => quote! { if let Some(part) = #value.#field { #add } },
            (true, true) => quote! { for part in #value.#field { #add } },
            (false, true) => quote! { for part in #value.#field.into_iter().flatten() { #add } },
        }
    });
    // rustdoc cannot link to a raw identifier (`Client::r#type`).
    let doc = match method.to_string().strip_prefix("r#") {
        Some(raw) => format!(" The parts of the body of the `{raw}` method of [`Client`], in this order."),
        None => format!(" The parts of the body of [`Client::{method}`], in this order."),
    };
    let def = quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #struct_ident { #(#defs)* }
    };
    let attach = quote!({
        let mut parts = crate::common::Parts::new();
        #(#adds)*
        parts.attach(request)
    });
    (def, attach)
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

/// The `FormFields` of a form body whose properties `fields` are written other than by
/// default.
fn form_fields(fields: &[FormField]) -> TokenStream {
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
    quote!(crate::common::FormFields { styles: &[#(#styles),*], reserved: &[#(#reserved),*] })
}

/// The enum of the media types a body may be sent as (`enum_name`, a variant per choice
/// named as `variants` says), its type, and the expression that puts the chosen one on
/// `request`.
fn choices(
    names: &Names,
    body: &Body,
    enum_name: &str,
    variants: &[String],
    method: &Ident,
    value: &Ident,
) -> (TokenStream, TokenStream, TokenStream) {
    let enum_ident = ident(enum_name);
    let mut defs = Vec::new();
    let mut arms = Vec::new();
    for ((media, encoding), variant) in body.choices.iter().zip(variants) {
        let variant = ident(variant);
        let doc = format!(" Sent as `{media}`.");
        let (payload, attach) = match encoding {
            Encoding::Json(json) => (
                ty(names, json, Scope::Client),
                quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).json(value)),
            ),
            Encoding::Form(Form { ty: form, fields }) => {
                let fields = form_fields(fields);
                (
                    ty(names, form, Scope::Client),
                    quote!(crate::common::form_body(request, #media, value, #fields).map_err(Error::invalid)?),
                )
            }
            // Lowering offers JSON, forms and text alone as choices.
            _ => (
                quote!(String),
                quote!(request.header(::reqwest::header::CONTENT_TYPE, #media).body(value.clone())),
            ),
        };
        defs.push(quote! { #[doc = #doc] #variant(#payload), });
        arms.push(quote! { #enum_ident::#variant(value) => #attach, });
    }
    // rustdoc cannot link to a raw identifier (`Client::r#type`).
    let doc = match method.to_string().strip_prefix("r#") {
        Some(raw) => {
            format!(" The body of the `{raw}` method of [`Client`], in one of the media types it accepts.")
        }
        None => format!(" The body of [`Client::{method}`], in one of the media types it accepts."),
    };
    let def = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #enum_ident { #(#defs)* }
    };
    (def, quote!(#enum_ident), quote!(match #value { #(#arms)* }))
}
