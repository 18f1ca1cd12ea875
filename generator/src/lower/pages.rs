//! `x-pagination`: how an operation pages, checked against its parameters and its one
//! success response, and lowered once into [`Pagination`].

use super::Lowerer;
use crate::error::{Error, JsonPointer, Result};
use crate::ir::{PageStyle, Pagination, Param, ParamIn, Response, TypeRef, WireName};

/// The extension saying how an operation pages.
pub(super) const PAGINATION: &str = "x-pagination";

impl Lowerer<'_> {
    /// `x-pagination` at `at`: `{page, start, limit, items}` or `{cursor, next, items}`,
    /// naming query parameters of the operation and response properties.
    pub(super) fn pagination(
        &self,
        value: &serde_json::Value,
        params: &[Param],
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
        let style = match (param("page")?, param("cursor")?, text("next")) {
            (Some(page), None, None) => PageStyle::Number {
                page,
                start: value
                    .get("start")
                    .and_then(serde_json::Value::as_i64)
                    .unwrap_or(1),
                limit: param("limit")?,
            },
            (None, Some(cursor), Some(next)) => PageStyle::Cursor {
                cursor,
                next: WireName(next.to_owned()),
            },
            _ => return Err(self.bad_pagination(at, "neither `page` nor `cursor` with `next`")),
        };
        Ok(Pagination {
            style,
            items: WireName(items.to_owned()),
        })
    }

    /// The one success response is a struct with the items (an array) and, for a cursor,
    /// the next cursor of the cursor parameter's type.
    pub(super) fn check_pages(
        &self,
        pagination: &Pagination,
        params: &[Param],
        responses: &[Response],
        at: &JsonPointer,
    ) -> Result<()> {
        let successes: Vec<&Response> = responses.iter().filter(|r| r.is_success()).collect();
        let struct_fields = match successes.as_slice() {
            // Through aliases, as the pager the emitter writes reads it.
            [only] => match only.body.as_ref().map(|body| body.resolved_in(&self.types)) {
                Some(TypeRef::Named(id)) => match &self.types[id.0].kind {
                    crate::ir::TypeKind::Struct(s) => Some(&s.fields),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some(fields) = struct_fields else {
            return Err(self.bad_pagination(at, "an operation whose one success response is not an object"));
        };
        let field = |name: &WireName| fields.iter().find(|f| f.wire == *name);
        if !field(&pagination.items).is_some_and(|f| matches!(f.ty, TypeRef::Vec(_))) {
            return Err(self.bad_pagination(
                &at.push("items"),
                &format!("no array property `{}` in the response", pagination.items.0),
            ));
        }
        if let PageStyle::Cursor { cursor, next } = &pagination.style {
            if !field(next).is_some_and(|f| f.ty == params[*cursor].ty) {
                return Err(self.bad_pagination(
                    &at.push("next"),
                    &format!("no response property `{}` of the cursor's type", next.0),
                ));
            }
        }
        if let PageStyle::Number { page, limit, .. } = &pagination.style {
            if !matches!(params[*page].ty, TypeRef::String | TypeRef::I32 | TypeRef::I64) {
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
        }
        Ok(())
    }

    pub(super) fn bad_pagination(&self, at: &JsonPointer, what: &str) -> Error {
        Error::Unsupported {
            at: self.spec.at(at),
            what: format!("`{PAGINATION}` with {what}"),
            help: "write `{page, start, limit, items}` or `{cursor, next, items}`, naming query parameters and response properties".into(),
        }
    }
}
