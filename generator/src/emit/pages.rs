//! Page helpers for operations that page through a collection (`x-pagination`): a method
//! that returns a pager, and the pager, which fetches one page per `next_page` call.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Scope, ident, ty};
use crate::ir::{Api, Operation, PageStyle, TypeKind, TypeRef};
use crate::names::{Names, OpNames};

/// The `Client` method (first) and the pager type (second) for `op`, if it pages.
pub(super) fn pages(
    api: &Api,
    names: &Names,
    op: &Operation,
    method: &str,
    op_names: &OpNames,
) -> Option<(TokenStream, TokenStream)> {
    let pagination = op.pagination.as_ref()?;
    let (pages_method, pages_struct) = op_names.pages.as_ref()?;
    let params_struct = ident(op_names.params_struct.as_ref()?);
    // Sharing shapes may have made the response struct an alias of one of the same fields.
    let (response_id, response_def) = api.definition(pagination.response);
    let TypeKind::Struct(fields) = &response_def.kind else {
        return None;
    };
    let member = |index: usize| {
        (
            &fields.fields[index],
            ident(&names.members[response_id.0].each[index]),
        )
    };
    let (items_field, items_member) = member(pagination.items);
    let item = ty(names, &pagination.item, Scope::Client);
    let items = if items_field.required && !items_field.nullable {
        quote!(page.#items_member)
    } else if items_field.required || !items_field.nullable {
        quote!(page.#items_member.unwrap_or_default())
    } else {
        quote!(page.#items_member.flatten().unwrap_or_default())
    };
    let method = ident(method);
    let pages_method = ident(pages_method);
    let pages_struct = ident(pages_struct);
    let arg = |index: usize| ident(&op_names.args[index]);

    // The pager reads the response's items (and next cursor) even where the spec deprecates them.
    let mut reads_deprecated = items_field.docs.deprecated;
    let (state, init, before, after, how) = match &pagination.style {
        PageStyle::Number { page, start, limit } => {
            let page_arg = arg(*page);
            let page_value = match op.params[*page].ty {
                TypeRef::String => quote!(self.page.to_string()),
                TypeRef::I32 => quote!(i32::try_from(self.page).unwrap_or(i32::MAX)),
                _ => quote!(self.page),
            };
            let set = if op.params[*page].required {
                quote!(self.params.#page_arg = #page_value;)
            } else {
                quote!(self.params.#page_arg = Some(#page_value);)
            };
            let short = limit.map(|limit| {
                let limit_arg = arg(limit);
                let limit_value = if op.params[limit].required {
                    quote!(Some(self.params.#limit_arg))
                } else {
                    quote!(self.params.#limit_arg)
                };
                quote! {
                    if let Some(limit) = #limit_value {
                        self.done |= i64::try_from(items.len()).unwrap_or(i64::MAX) < i64::from(limit);
                    }
                }
            });
            let how = format!(
                " Pages are numbered from {start} in `{}`; a page shorter than `limit`, or empty, is the last.",
                op.params[*page].wire.0
            );
            (
                quote!(page: i64, previous: Option<Vec<#item>>,),
                quote!(page: #start, previous: None,),
                set,
                quote! {
                    self.page += 1;
                    #short
                    // A server that answers every page number with the same page would
                    // otherwise never end.
                    if self.previous.as_ref() == Some(&items) {
                        self.done = true;
                        return None;
                    }
                    self.previous = Some(items.clone());
                },
                how,
            )
        }
        PageStyle::Cursor { cursor, next } => {
            let cursor_arg = arg(*cursor);
            let (next_field, next_member) = member(*next);
            reads_deprecated |= next_field.docs.deprecated;
            let required = op.params[*cursor].required;
            let cursor_ty = ty(names, &op.params[*cursor].ty, Scope::Client);
            // The next cursor as an `Option`, whatever the response field's optionality.
            let next_value = match (next_field.required, next_field.nullable) {
                (true, false) => quote!(Some(page.#next_member)),
                (false, true) => quote!(page.#next_member.flatten()),
                _ => quote!(page.#next_member),
            };
            let current = if required {
                quote!(Some(&self.params.#cursor_arg))
            } else {
                quote!(self.params.#cursor_arg.as_ref())
            };
            let store = if required {
                quote!(next)
            } else {
                quote!(Some(next))
            };
            let how = format!(
                " Each page sets `{}` to the `{}` of the one before; a page without items, or the same `{}` again, is the last.",
                op.params[*cursor].wire.0, next_field.wire.0, next_field.wire.0
            );
            (
                quote!(seen: Vec<#cursor_ty>,),
                quote!(seen: Vec::new(),),
                quote!(),
                quote! {
                    // A cursor seen before means the server is going round in circles.
                    match #next_value {
                        Some(next)
                            if #current != Some(&next) && !self.seen.contains(&next) =>
                        {
                            self.seen.push(::std::clone::Clone::clone(&next));
                            self.params.#cursor_arg = #store;
                        }
                        _ => self.done = true,
                    }
                },
                how,
            )
        }
    };
    let read_next = match &pagination.style {
        PageStyle::Number { .. } => quote! { let items = #items; #after },
        PageStyle::Cursor { .. } => quote! { #after let items = #items; },
    };
    let method_doc =
        format!(" The pages of [`Client::{method}`], one call per [`{pages_struct}::next_page`].");
    let struct_doc = format!(" The pages of [`Client::{method}`], fetched one at a time.");
    let client_method = quote! {
        #[doc = #method_doc]
        pub fn #pages_method(&self, params: #params_struct) -> #pages_struct<'_> {
            #pages_struct { client: self, params, #init done: false }
        }
    };
    let allow = reads_deprecated.then(|| quote!(#[allow(deprecated)]));
    let pager = quote! {
        #[doc = #struct_doc]
        ///
        #[doc = #how]
        #[derive(Debug)]
        pub struct #pages_struct<'a> {
            client: &'a Client,
            params: #params_struct,
            #state
            done: bool,
        }

        #allow
        impl #pages_struct<'_> {
            /// The next page's items; `None` once the last page has been returned. An error
            /// ends the pages.
            pub async fn next_page(&mut self) -> Option<Result<Vec<#item>, Error>> {
                if self.done {
                    return None;
                }
                #before
                let page = match self.client.#method(&self.params).await {
                    Ok(page) => page,
                    Err(error) => {
                        self.done = true;
                        return Some(Err(error));
                    }
                };
                #read_next
                if items.is_empty() {
                    self.done = true;
                    return None;
                }
                Some(Ok(items))
            }

            /// Every remaining item, page after page.
            pub async fn all(mut self) -> Result<Vec<#item>, Error> {
                let mut all = Vec::new();
                while let Some(page) = self.next_page().await {
                    all.extend(page?);
                }
                Ok(all)
            }

            /// The remaining pages, as a stream; an error is its last item.
            pub fn pages(self) -> impl ::futures_util::Stream<Item = Result<Vec<#item>, Error>> + Send {
                crate::common::pages(self)
            }

            /// The remaining items, page after page, as a stream; a page is fetched when the
            /// items before it have been taken, and an error is the last item.
            pub fn items(self) -> impl ::futures_util::Stream<Item = Result<#item, Error>> + Send {
                crate::common::items(self)
            }
        }

        impl crate::common::Pager for #pages_struct<'_> {
            type Item = #item;
            type Error = Error;

            fn next_page(
                &mut self,
            ) -> impl ::std::future::Future<Output = Option<Result<Vec<#item>, Error>>> + Send {
                #pages_struct::next_page(self)
            }
        }
    };
    Some((client_method, pager))
}
