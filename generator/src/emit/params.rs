//! Parameters on the wire: path segments, the query string and headers, each value written
//! as the spec's `style` says.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::ident;
use crate::ir::{Api, ArrayStyle, Operation, Param, ParamIn, PathPiece, TypeRef};

/// How the body of a call names a parameter's value.
enum Value {
    /// A positional argument: a reference, or a number or `bool` by value.
    Arg(Ident),
    /// A field of the params struct, which owns it.
    Field(Ident),
}

impl Value {
    /// Parameter `index` of `op`, whose argument or field is named `args[index]`.
    fn of(op: &Operation, index: usize, args: &[String]) -> Value {
        let name = ident(&args[index]);
        match op.in_struct(&op.params[index]) {
            true => Value::Field(name),
            false => Value::Arg(name),
        }
    }

    /// The value as an expression to borrow from or call methods on: `id`, `params.id`.
    fn place(&self) -> TokenStream {
        match self {
            Value::Arg(name) => quote!(#name),
            Value::Field(name) => quote!(params.#name),
        }
    }

    /// The value as a reference (or a copy): `id`, `&params.id`.
    fn reference(&self) -> TokenStream {
        match self {
            Value::Arg(name) => quote!(#name),
            Value::Field(name) => quote!(&params.#name),
        }
    }
}

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
                        values.push((Value::of(op, *index, args), &op.params[*index]));
                    }
                }
            }
            if values.is_empty() {
                let literal = format.replace("{{", "{").replace("}}", "}");
                quote!(#literal)
            } else if let ([(value, param)], "{}") = (values.as_slice(), format.as_str()) {
                let text = match param.structured {
                    true => {
                        let text = structured_text(&param.wire.0, value.reference());
                        quote!(&#text)
                    }
                    false => borrowed_text(api, &param.ty, value),
                };
                quote!(crate::common::path_segment(#text)?)
            } else {
                // `format!` takes anything `Display`; only date-times need their own text.
                let values = values.iter().map(|(v, param)| match param.structured {
                    true => structured_text(&param.wire.0, v.reference()),
                    false if *param.ty.resolved_in(&api.types) == TypeRef::DateTime => {
                        text(api, &param.ty, v.place())
                    }
                    false => v.place(),
                });
                quote!(crate::common::path_segment(&format!(#format, #(#values),*))?)
            }
        })
        .collect()
}

/// The JSON form of a structured parameter's `value`, or the call's `InvalidRequest` error.
fn json_form(wire: &str, value: TokenStream) -> TokenStream {
    quote! {
        ::serde_json::to_value(#value).map_err(|error| Error::invalid(format!("`{}`: {error}", #wire)))?
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
pub(super) fn text(api: &Api, ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty.resolved_in(&api.types) {
        TypeRef::DateTime => quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true)),
        _ => quote!(#value.to_string()),
    }
}

/// The text of `value` as a `&str` (or a `&String`): borrowed where the type already holds
/// its text (strings, base64), else a borrow of [`text`].
fn borrowed_text(api: &Api, ty: &TypeRef, value: &Value) -> TokenStream {
    match ty.resolved_in(&api.types) {
        TypeRef::String => value.reference(),
        TypeRef::Base64 => {
            let value = value.reference();
            quote!(::std::convert::AsRef::<str>::as_ref(#value))
        }
        _ => {
            let text = text(api, ty, value.place());
            quote!(&#text)
        }
    }
}

/// Builds `url`: the path, then the query string. Query parameters are always fields of
/// the params struct.
pub(super) fn query(api: &Api, op: &Operation, args: &[String], segments: &[TokenStream]) -> TokenStream {
    let pairs: Vec<TokenStream> = op
        .params
        .iter()
        .zip(args)
        .filter(|(p, _)| p.location == ParamIn::Query)
        .map(|(param, arg)| query_pairs(api, param, &ident(arg)))
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

/// The pairs of query parameter `param`, the field `name` of the params struct.
fn query_pairs(api: &Api, param: &Param, name: &Ident) -> TokenStream {
    let wire = &param.wire.0;
    // What `Display` writes as it is: one pair per value, none for `None`.
    let displayed = |ty: &TypeRef| !param.structured && *ty.resolved_in(&api.types) != TypeRef::DateTime;
    match (&param.ty, param.style) {
        (TypeRef::Vec(item_ty), ArrayStyle::Repeat) if displayed(item_ty) => match param.required {
            true => quote!(pairs.push_each(#wire, params.#name.iter());),
            false => quote!(pairs.push_each(#wire, params.#name.iter().flatten());),
        },
        (TypeRef::Vec(_), _) => each_value(param, name, query_push(api, param)),
        (ty, _) if displayed(ty) => match param.required {
            true => quote!(pairs.push(#wire, params.#name.to_string());),
            false => quote!(pairs.push_each(#wire, params.#name.iter());),
        },
        _ => each_value(param, name, query_push(api, param)),
    }
}

/// The runtime's `Style` of `style`, shared by query parameters and form fields.
pub(super) fn style(style: ArrayStyle) -> TokenStream {
    match style {
        ArrayStyle::Repeat => quote!(crate::common::Style::Form),
        ArrayStyle::Delimited(separator) => quote!(crate::common::Style::Delimited(#separator)),
        ArrayStyle::DeepObject => quote!(crate::common::Style::DeepObject),
    }
}

/// The step that adds the pairs of query parameter `param` with `value` bound to a
/// reference to its value.
fn query_push(api: &Api, param: &Param) -> TokenStream {
    let wire = &param.wire.0;
    match (&param.ty, param.style) {
        _ if param.structured => {
            let style = style(param.style);
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
    }
}

/// `step` run with `value` bound to a reference to the field `name` of the params struct:
/// once for a required parameter, if it has one for an optional one.
fn each_value(param: &Param, name: &Ident, step: TokenStream) -> TokenStream {
    if param.required {
        quote! { { let value = &params.#name; #step } }
    } else {
        quote! { if let Some(value) = &params.#name { #step } }
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

/// For each parameter of `op` in `location` (a field of the params struct), the step
/// `write` makes of it, with `value` bound to a reference to its value, run only when an
/// optional one is given.
fn each_param(
    op: &Operation,
    args: &[String],
    location: ParamIn,
    write: impl Fn(&Param, &str) -> TokenStream,
) -> Vec<TokenStream> {
    op.params
        .iter()
        .zip(args)
        .filter(|(p, _)| p.location == location)
        .map(|(param, arg)| each_value(param, &ident(arg), write(param, &param.wire.0)))
        .collect()
}

/// The text of a header or cookie parameter's `value` (a reference): `simple` style, a
/// list's items joined with commas.
fn param_text(api: &Api, param: &Param, wire: &str) -> TokenStream {
    match &param.ty {
        _ if param.structured => {
            let text = structured_text(wire, quote!(value));
            quote!(&#text)
        }
        TypeRef::Vec(item_ty) => {
            let item = text(api, item_ty, quote!(item));
            quote! { &value.iter().map(|item| #item).collect::<Vec<_>>().join(",") }
        }
        ty => borrowed_text(api, ty, &Value::Arg(ident("value"))),
    }
}
