//! Parameters on the wire: path segments, the query string and headers, each value written
//! as the spec's `style` says.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::ident;
use crate::ir::{Api, ArrayStyle, Operation, ParamIn, PathPiece, TypeRef};

/// The path template's segments; a parameter's value becomes its text, escaped to stay in
/// its segment.
pub(super) fn path_segments(api: &Api, op: &Operation, args: &[String]) -> Vec<TokenStream> {
    op.segments
        .iter()
        .map(|segment| {
            let mut format = String::new();
            let mut values = Vec::new();
            for piece in segment {
                match piece {
                    PathPiece::Text(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
                    PathPiece::Param(index) => {
                        format.push_str("{}");
                        let arg = ident(&args[*index]);
                        values.push((quote!(#arg), &op.params[*index]));
                    }
                }
            }
            if values.is_empty() {
                let literal = format.replace("{{", "{").replace("}}", "}");
                quote!(#literal)
            } else if let ([(value, param)], "{}") = (values.as_slice(), format.as_str()) {
                let text = match param.structured {
                    true => {
                        let text = structured_text(&param.wire.0, value.clone());
                        quote!(&#text)
                    }
                    false => borrowed_text(api, &param.ty, value.clone()),
                };
                quote!(crate::common::path_segment(#text).map_err(Error::InvalidRequest)?)
            } else {
                // `format!` takes anything `Display`; only date-times need their own text.
                let values = values.iter().map(|(v, param)| match param.structured {
                    true => structured_text(&param.wire.0, v.clone()),
                    false if *param.ty.resolved_in(&api.types) == TypeRef::DateTime => {
                        text(api, &param.ty, v.clone())
                    }
                    false => v.clone(),
                });
                quote!(
                    crate::common::path_segment(&format!(#format, #(#values),*))
                        .map_err(Error::InvalidRequest)?
                )
            }
        })
        .collect()
}

/// The JSON form of a structured parameter's `value`, or the call's `InvalidRequest` error.
fn json_form(wire: &str, value: TokenStream) -> TokenStream {
    quote! {
        ::serde_json::to_value(#value).map_err(|error| Error::InvalidRequest(format!("`{}`: {error}", #wire)))?
    }
}

/// The `simple`-style text of a structured parameter (`a,1,b,2` for an object).
fn structured_text(wire: &str, value: TokenStream) -> TokenStream {
    let json = json_form(wire, value);
    quote!(crate::common::simple_text(&#json))
}

/// The text of a parameter `value` of type `ty` as it goes into a URL or header, as an owned
/// `String`. Date-times are written as RFC 3339 (their `Display` is not); everything else
/// uses `Display`.
fn text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty.resolved_in(&api.types) {
        TypeRef::DateTime => quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true)),
        _ => quote!(#value.to_string()),
    }
}

/// The text of `value` as a `&str`: borrowed where the type already holds its text
/// (strings, base64), else a borrow of [`text`].
fn borrowed_text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty.resolved_in(&api.types) {
        TypeRef::String | TypeRef::Base64 => quote!(::std::convert::AsRef::<str>::as_ref(#value)),
        _ => {
            let text = text(api, ty, value);
            quote!(&#text)
        }
    }
}

/// Builds `url`: the path, then the query string.
pub(super) fn query(api: &Api, op: &Operation, args: &[String], segments: &[TokenStream]) -> TokenStream {
    let pairs: Vec<TokenStream> = op
        .params
        .iter()
        .zip(args)
        .filter(|(p, _)| p.location == ParamIn::Query)
        .map(|(param, arg)| {
            let name = ident(arg);
            let wire = &param.wire.0;
            let push = match (&param.ty, param.style) {
                _ if param.structured => {
                    let style = match param.style {
                        ArrayStyle::Repeat => quote!(crate::common::QueryStyle::Form),
                        ArrayStyle::Delimited(separator) => quote!(crate::common::QueryStyle::Delimited(#separator)),
                        ArrayStyle::DeepObject => quote!(crate::common::QueryStyle::DeepObject),
                    };
                    let json = json_form(wire, quote!(value));
                    quote!(pairs.push_json(#wire, &#json, #style);)
                }
                (TypeRef::Vec(item_ty), ArrayStyle::Delimited(separator)) => {
                    let separator = separator.to_string();
                    let item = text(api, item_ty, quote!(item));
                    quote!(pairs.push(#wire, value.iter().map(|item| #item).collect::<Vec<_>>().join(#separator));)
                }
                (TypeRef::Vec(item_ty), _) => {
                    let item = text(api, item_ty, quote!(item));
                    quote! { for item in value { pairs.push(#wire, #item); } }
                }
                (ty, _) => {
                    let value = text(api, ty, quote!(value));
                    quote!(pairs.push(#wire, #value);)
                }
            };
            if param.required {
                quote! { { let value = #name; #push } }
            } else {
                quote! { if let Some(value) = #name { #push } }
            }
        })
        .collect();
    if pairs.is_empty() {
        return quote!(let url = call.url(&[#(#segments),*]););
    }
    quote! {
        let mut url = call.url(&[#(#segments),*]);
        let mut pairs = crate::common::QueryPairs::default();
        #(#pairs)*
        pairs.write_to(&mut url);
    }
}

/// Header parameters, each its own header, and cookie parameters, together in one `Cookie`
/// header (HTTP allows no second one; cookie credentials join it when the call is sent).
pub(super) fn headers(api: &Api, op: &Operation, args: &[String]) -> TokenStream {
    let cookies = each_param(op, args, ParamIn::Cookie, |param, wire| {
        let text = param_text(api, param, wire);
        quote! { cookies.push(format!("{}={}", #wire, #text)); }
    });
    let cookies = (!cookies.is_empty()).then(|| {
        quote! {
            let mut cookies: Vec<String> = Vec::new();
            #(#cookies)*
            if !cookies.is_empty() {
                request = request.header(
                    ::reqwest::header::COOKIE,
                    crate::common::header_value("Cookie", &cookies.join("; "))?,
                );
            }
        }
    });
    let sets = each_param(op, args, ParamIn::Header, |param, wire| {
        let text = param_text(api, param, wire);
        quote! { request = request.header(#wire, crate::common::header_value(#wire, #text)?); }
    });
    if sets.is_empty() && cookies.is_none() {
        return quote!();
    }
    quote! {
        let mut request = request;
        #(#sets)*
        #cookies
    }
}

/// For each parameter of `op` in `location`, the step `write` makes of it (with `value`
/// bound to a reference to the argument), run only when an optional one is given.
fn each_param(
    op: &Operation,
    args: &[String],
    location: ParamIn,
    write: impl Fn(&crate::ir::Param, &str) -> TokenStream,
) -> Vec<TokenStream> {
    op.params
        .iter()
        .zip(args)
        .filter(|(p, _)| p.location == location)
        .map(|(param, arg)| {
            let name = ident(arg);
            let step = write(param, &param.wire.0);
            if param.required {
                quote! { { let value = #name; #step } }
            } else {
                quote! { if let Some(value) = #name { #step } }
            }
        })
        .collect()
}

/// The text of a header or cookie parameter's `value` (a reference): `simple` style, a
/// list's items joined with commas.
fn param_text(api: &Api, param: &crate::ir::Param, wire: &str) -> TokenStream {
    match &param.ty {
        _ if param.structured => {
            let text = structured_text(wire, quote!(value));
            quote!(&#text)
        }
        TypeRef::Vec(item_ty) => {
            let item = text(api, item_ty, quote!(item));
            quote! { &value.iter().map(|item| #item).collect::<Vec<_>>().join(",") }
        }
        ty => borrowed_text(api, ty, quote!(value)),
    }
}
