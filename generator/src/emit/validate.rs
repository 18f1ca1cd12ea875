//! `validate()` for the models whose values carry constraints a client can check before
//! sending (`minLength`, `maxLength`, `x-checksum: luhn`), directly or in what they hold.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{ident, optional};
use crate::ir::{Api, Container, Field, TypeDef, TypeKind, TypeRef};
use crate::names::Names;

/// Per type: whether it, or anything it holds, has a check. A fixed point over the type
/// graph, so recursive types settle.
pub(super) fn validating(api: &Api) -> Vec<bool> {
    let mut marks: Vec<bool> = api
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().any(|f| f.checks.any()),
            _ => false,
        })
        .collect();
    loop {
        let mut changed = false;
        for (index, def) in api.types.iter().enumerate() {
            if marks[index] {
                continue;
            }
            if def.kind.held().into_iter().any(|ty| needs(ty, &marks)) {
                marks[index] = true;
                changed = true;
            }
        }
        if !changed {
            return marks;
        }
    }
}

/// Whether a value of `ty` needs validating: it holds a type marked in `marks`.
pub(super) fn needs(ty: &TypeRef, marks: &[bool]) -> bool {
    ty.named().is_some_and(|id| marks[id.0])
}

/// `impl Name { fn validate }` for type `index`, if it validates.
pub(super) fn method(api: &Api, names: &Names, index: usize, marks: &[bool]) -> Option<TokenStream> {
    if !marks[index] {
        return None;
    }
    let name = ident(&names.types[index]);
    let members = &names.members[index];
    let body = match &api.types[index].kind {
        TypeKind::Struct(s) => {
            let steps = s
                .fields
                .iter()
                .zip(&members.each)
                .map(|(field, member)| field_steps(field, member, marks, &api.types));
            quote! { #(#steps)* Ok(()) }
        }
        TypeKind::Untagged(variants) => {
            let arms = variants.iter().zip(&members.each).map(|(variant, member)| {
                let variant_name = ident(member);
                arm(
                    &variant_name,
                    visit(quote!(value), &variant.ty, marks, &api.types),
                )
            });
            quote! { match self { #(#arms)* } }
        }
        TypeKind::Tagged(tagged) => {
            let arms = tagged
                .variants
                .iter()
                .zip(&members.each)
                .map(|(variant, member)| {
                    let variant_name = ident(member);
                    arm(
                        &variant_name,
                        visit(quote!(value), &variant.ty, marks, &api.types),
                    )
                });
            let other = ident(members.other());
            quote! { match self { #(#arms)* Self::#other(_) => Ok(()) } }
        }
        TypeKind::Newtype(ty) => {
            let check = visit(quote!(value), ty, marks, &api.types);
            quote! { let value = &self.0; #check Ok(()) }
        }
        TypeKind::Tuple(elements) => {
            let steps = elements.iter().enumerate().map(|(index, element)| {
                let check = visit(quote!(value), &element.ty, marks, &api.types);
                let index = proc_macro2::Literal::usize_unsuffixed(index);
                (!check.is_empty()).then(|| quote! { let value = &self.#index; #check })
            });
            quote! { #(#steps)* Ok(()) }
        }
        // An alias names another type, which has the method itself.
        _ => return None,
    };
    // It reads every field, deprecated ones included; the deprecation is meant for the code
    // that uses the struct.
    let allow = match &api.types[index].kind {
        TypeKind::Struct(s) if s.fields.iter().any(|f| f.docs.deprecated) => {
            Some(quote!(#[allow(deprecated)]))
        }
        _ => None,
    };
    Some(quote! {
        #allow
        impl #name {
            /// Checks what the spec constrains and a client can check before sending (string
            /// lengths, check digits); the message names the field that fails.
            pub fn validate(&self) -> Result<(), String> {
                #body
            }
        }
    })
}

/// The match arm of one union variant: its checks, or nothing to bind when it has none.
fn arm(variant: &proc_macro2::Ident, check: TokenStream) -> TokenStream {
    if check.is_empty() {
        quote! { Self::#variant(_) => Ok(()), }
    } else {
        quote! { Self::#variant(value) => { #check Ok(()) } }
    }
}

/// The checks of one field, on `self.<member>`.
fn field_steps(field: &Field, member: &str, marks: &[bool], types: &[TypeDef]) -> TokenStream {
    let member = ident(member);
    let wire = field.wire.0.as_str();
    let value = quote!(&self.#member);
    // Unwrap the field's own optionality first (`Option`, `Option<Option>`, boxes).
    let mut layers = 0;
    if !field.required {
        layers += 1;
    }
    if field.nullable {
        layers += 1;
    }
    let inner = if field.checks.any() {
        let min = optional(field.checks.min_length);
        let max = optional(field.checks.max_length);
        let luhn = field.checks.luhn;
        quote! { crate::common::check_text(#wire, value, #min, #max, #luhn)?; }
    } else {
        visit(quote!(value), &field.ty, marks, types)
    };
    if inner.is_empty() {
        return quote!();
    }
    // One pattern for all layers (`Some(Some(value))`), which clippy wants over nested `if`s.
    let mut pattern = quote!(value);
    for _ in 0..layers {
        pattern = quote!(Some(#pattern));
    }
    let body = if layers == 0 {
        inner
    } else {
        quote! { if let #pattern = value { #inner } }
    };
    quote! { { let value = #value; #body } }
}

/// Checks on `value` (a reference) of type `ty`, descending through containers, and through
/// aliases, which name a type without having a `validate` of their own.
pub(super) fn visit(value: TokenStream, ty: &TypeRef, marks: &[bool], types: &[TypeDef]) -> TokenStream {
    if !needs(ty, marks) {
        return quote!();
    }
    let ty = ty.resolved_in(types);
    // `needs` holds for a named type that validates, or a container of one.
    let Some(container) = ty.container() else {
        return quote! { #value.validate()?; };
    };
    match container {
        Container::Vec(inner) => {
            let check = visit(quote!(item), inner, marks, types);
            quote! { for item in #value { #check } }
        }
        Container::Map(inner) => {
            let check = visit(quote!(item), inner, marks, types);
            quote! { for item in #value.values() { #check } }
        }
        Container::Nullable(inner) => {
            let check = visit(quote!(item), inner, marks, types);
            quote! { if let Some(item) = #value { #check } }
        }
    }
}
