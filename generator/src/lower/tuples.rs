//! Arrays whose items each have a type of their own (JSON Schema's `prefixItems`, kept in the
//! raw document by [`crate::openapi31`], which the typed view does not read).

use openapiv3::{ArrayType, ReferenceOr, Schema};
use serde_json::Value;

use super::Lowerer;
use super::schema::{or_null, with};
use crate::error::{JsonPointer, Result};
use crate::ir::{Element, TypeKind, TypeRef};
use crate::load::decode_at;

pub(super) const PREFIX_ITEMS: &str = "prefixItems";

impl Lowerer<'_> {
    /// What the `prefixItems` of the array schema at `at` make of it, if it has them: a tuple
    /// where the length is fixed (`minItems` and `maxItems` both the number of items, or
    /// `items: false`), else an array of any JSON values, with a warning.
    pub(super) fn tuple(
        &mut self,
        array: &ArrayType,
        at: &JsonPointer,
        words: &[String],
        depth: usize,
    ) -> Result<Option<TypeKind>> {
        // Looked up in the raw document only where lowering's walk saw the keyword.
        if !self.prefix_items.contains(at.as_str()) {
            return Ok(None);
        }
        let raw = self.spec.raw.pointer(at.as_str());
        let Some(Value::Array(items)) = raw.and_then(|schema| schema.get(PREFIX_ITEMS)) else {
            return Ok(None);
        };
        let count = items.len();
        if array.min_items != Some(count) || array.max_items != Some(count) {
            self.warn(
                &at.push(PREFIX_ITEMS),
                format!(
                    "`{PREFIX_ITEMS}` of an array whose length is not fixed (a tuple needs \
                     `minItems` and `maxItems` both {count}); read as an array of any JSON values"
                ),
            );
            return Ok(Some(TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Json)))));
        }
        let mut elements = Vec::with_capacity(count);
        for index in 0..count {
            let at = at.push(PREFIX_ITEMS).push(index.to_string());
            let item: ReferenceOr<Schema> = decode_at(self.spec, &at)?;
            let ty = self.lower(&item, &at, &with(words, &(index + 1).to_string()), depth + 1)?;
            elements.push(Element {
                ty: or_null(ty, self.nullable(&item, &at)?),
                boxed: false,
            });
        }
        Ok(Some(TypeKind::Tuple(elements)))
    }
}
