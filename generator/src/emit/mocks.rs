//! The typed stubs of the `mock` feature: one method per operation on the module's
//! `MockServer`, named as the client's, whose answer is the operation's success type.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Scope, ident, ty};
use crate::ir::{Api, Encoding};
use crate::names::Names;

/// A stub per operation in `ops`, under the `mock` feature: the table of the runtime's
/// `stubs!`. The piece starting at operation 0 also names the type.
pub fn stubs(api: &Api, names: &Names, ops: std::ops::Range<usize>) -> TokenStream {
    let alias = (ops.start == 0).then(|| {
        quote! {
            /// A local mock server of this API with a typed stub per operation, for the tests of
            /// the code that uses [`Client`] (the `mock` feature).
            #[cfg(feature = "mock")]
            pub type MockServer = crate::common::MockServer<Api>;
        }
    });
    let methods = api.operations[ops.clone()]
        .iter()
        .zip(&names.ops[ops])
        .map(|(op, op_names)| {
            let method = ident(&op_names.method);
            let successes = op.success_responses();
            let first = successes.first();
            let status = first.map_or(200, |response| response.status);
            // The answer `respond` takes: the first success's JSON body; one without a JSON
            // body is answered with `respond_status`. `respond_as` takes the statuses whose
            // answer has the same body.
            let json = |response: &crate::ir::Response| match &response.body {
                Some(Encoding::Json(body)) => Some(body.clone()),
                _ => None,
            };
            let first_body = first.and_then(|response| json(response));
            let body = match &first_body {
                Some(body) => ty(names, body, Scope::Client),
                None => quote!(()),
            };
            let statuses: Vec<proc_macro2::Literal> = match first {
                Some(_) => successes
                    .iter()
                    .filter(|response| json(response) == first_body)
                    .map(|response| proc_macro2::Literal::u16_unsuffixed(response.status))
                    .collect(),
                None => vec![proc_macro2::Literal::u16_unsuffixed(status)],
            };
            let verb = op.method.as_str();
            let path = &op.path;
            let others: Vec<String> = statuses.iter().skip(1).map(ToString::to_string).collect();
            let answering = match others.as_slice() {
                [] => format!("answering {status}"),
                others => format!("answering {status} ({} with `respond_as`)", others.join(", ")),
            };
            let doc = match op_names.method.strip_prefix("r#") {
                Some(raw) => format!(" A stub of the `{raw}` operation: `{verb} {path}`, {answering}."),
                None => format!(
                    " A stub of [`Client::{}`]: `{verb} {path}`, {answering}.",
                    op_names.method
                ),
            };
            quote! {
                #[doc = #doc]
                #method(#verb, #path, [#(#statuses),*]): #body;
            }
        });
    // The runtime's `stubs!` writes each line as a method of the API's mock server.
    quote! {
        #alias

        #[cfg(feature = "mock")]
        crate::common::stubs! {
            Api {
                #(#methods)*
            }
        }
    }
}
