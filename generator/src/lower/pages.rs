//! `x-pagination`: how an operation pages, checked against its parameters and its one
//! success response, and lowered once into [`Pagination`].

use super::Lowerer;
use crate::error::{Error, JsonPointer, Result};
use crate::ir::{Field, PageStyle, Pagination, Param, ParamIn, Response, TypeId, TypeKind, TypeRef};

/// The extension saying how an operation pages.
pub(super) const PAGINATION: &str = "x-pagination";

impl Lowerer<'_> {
    /// `x-pagination` at `at`: `{page, start, limit, items}` or `{cursor, next, items}`,
    /// naming query parameters of the operation and properties of its one success
    /// response, an object; lowered with every name resolved, so emitting it looks nothing up.
    pub(super) fn pagination(
        &self,
        value: &serde_json::Value,
        params: &[Param],
        responses: &[Response],
        at: &JsonPointer,
    ) -> Result<Pagination> {
        let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
        let param = |key: &str| -> Result<Option<usize>> {
            let Some(name) = text(key) else {
                return Ok(None);
            };
            params
                .iter()
                .position(|p| p.wire.0 == name && p.location == ParamIn::Query)
                .map(Some)
                .ok_or_else(|| self.bad_pagination(&at.push(key), &format!("no query parameter `{name}`")))
        };
        let items = text("items").ok_or_else(|| self.bad_pagination(at, "no `items` property named"))?;
        let (response, fields) = self.page_struct(responses, at)?;
        let field = |name: &str| fields.iter().position(|f| f.wire.0 == name);
        let (items, item) = match field(items).map(|index| (index, &fields[index].ty)) {
            Some((index, TypeRef::Vec(item))) => (index, (**item).clone()),
            _ => {
                return Err(self.bad_pagination(
                    &at.push("items"),
                    &format!("no array property `{items}` in the response"),
                ));
            }
        };
        let style = match (param("page")?, param("cursor")?, text("next")) {
            (Some(page), None, None) => {
                let limit = param("limit")?;
                if !matches!(params[page].ty, TypeRef::String | TypeRef::I32 | TypeRef::I64) {
                    return Err(self.bad_pagination(
                        &at.push("page"),
                        "a page parameter that is not a string or an integer",
                    ));
                }
                if limit.is_some_and(|limit| !matches!(params[limit].ty, TypeRef::I32 | TypeRef::I64)) {
                    return Err(
                        self.bad_pagination(&at.push("limit"), "a limit parameter that is not an integer")
                    );
                }
                let start = value
                    .get("start")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(1);
                PageStyle::Number { page, start, limit }
            }
            (None, Some(cursor), Some(next)) => {
                let Some(next) = field(next).filter(|&index| fields[index].ty == params[cursor].ty) else {
                    return Err(self.bad_pagination(
                        &at.push("next"),
                        &format!("no response property `{next}` of the cursor's type"),
                    ));
                };
                PageStyle::Cursor { cursor, next }
            }
            _ => return Err(self.bad_pagination(at, "neither `page` nor `cursor` with `next`")),
        };
        Ok(Pagination {
            style,
            response,
            items,
            item,
        })
    }

    /// The struct of the one success response, through aliases, as the pager reads it.
    fn page_struct(&self, responses: &[Response], at: &JsonPointer) -> Result<(TypeId, &[Field])> {
        let successes: Vec<&Response> = responses.iter().filter(|r| r.is_success()).collect();
        if let [only] = successes.as_slice() {
            let body = only.body.as_ref().and_then(|body| body.json());
            if let Some(TypeRef::Named(id)) = body.map(|body| body.resolved_in(&self.types)) {
                if let TypeKind::Struct(s) = &self.types[id.0].kind {
                    return Ok((*id, &s.fields));
                }
            }
        }
        Err(self.bad_pagination(at, "an operation whose one success response is not an object"))
    }

    pub(super) fn bad_pagination(&self, at: &JsonPointer, what: &str) -> Error {
        Error::Unsupported {
            at: self.spec.at(at),
            what: format!("`{PAGINATION}` with {what}"),
            help: "write `{page, start, limit, items}` or `{cursor, next, items}`, naming query parameters and response properties".into(),
        }
    }
}
