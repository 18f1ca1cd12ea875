//! The error body of an API, and where its code is: what `Error::Api` of the client carries,
//! and what it prints.

use super::{Operation, TypeDef, TypeKind, TypeRef};

/// The body type every error response of `operations` documents (`default` included), if
/// they all document the same JSON type (Lucca's problem details, Lagerkoll's error object):
/// the client's typed `Error::Api`. `None` when they differ or carry raw text.
pub fn error_body(operations: &[Operation]) -> Option<TypeRef> {
    let mut bodies = operations
        .iter()
        .flat_map(|op| op.error_responses().filter_map(|r| r.body.as_ref()));
    let first = bodies.next()?;
    let uniform = bodies.all(|body| body == first);
    uniform.then(|| first.json().cloned()).flatten()
}

/// The names an error body gives its code, in the order they are preferred, compared in
/// lowercase without `_` and `-`: `code`, `errorCode`, then `type` (an RFC 9457 problem's
/// kind, Stripe's `card_error`), then a problem's `title`, which names its kind for people
/// and does not change from one occurrence to the next (only beside a `type`).
const CODE_NAMES: [&str; 3] = ["code", "errorcode", "type"];

/// JSON pointers to the code of the error body `body`, tried in order: its scalar
/// properties named as [`CODE_NAMES`] says, then those of an object it holds as `error`
/// (Stripe's and OpenAI's `{"error": {"code": ...}}`). Nothing else of an error body is a
/// code: free text, such as a message, may hold personal data, so it is never printed.
pub fn error_code(types: &[TypeDef], body: &TypeRef) -> Vec<String> {
    let Some(outer) = fields(types, body) else {
        return Vec::new();
    };
    let mut pointers = codes(types, outer, "");
    for field in outer {
        if normal(&field.wire.0) == "error" {
            if let Some(inner) = fields(types, &field.ty) {
                let prefix = format!("/{}", escape(&field.wire.0));
                pointers.extend(codes(types, inner, &prefix));
            }
        }
    }
    pointers
}

/// The fields of the struct `ty` is, aliases followed.
fn fields<'a>(types: &'a [TypeDef], ty: &'a TypeRef) -> Option<&'a [super::Field]> {
    match ty.resolved_in(types) {
        TypeRef::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(object) => Some(&object.fields),
            _ => None,
        },
        _ => None,
    }
}

/// Pointers, under `prefix`, to the scalar `fields` that name a code.
fn codes(types: &[TypeDef], fields: &[super::Field], prefix: &str) -> Vec<String> {
    let scalar = |name: &str| {
        fields
            .iter()
            .find(|field| normal(&field.wire.0) == name && field.ty.is_scalar_in(types))
    };
    let mut named: Vec<&super::Field> = CODE_NAMES.iter().filter_map(|name| scalar(name)).collect();
    if scalar("type").is_some() {
        named.extend(scalar("title"));
    }
    named
        .into_iter()
        .map(|field| format!("{prefix}/{}", escape(&field.wire.0)))
        .collect()
}

/// `name` in lowercase, without `_` and `-`.
fn normal(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `name` as a JSON pointer token (RFC 6901).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::JsonPointer;
    use crate::ir::{Checks, Docs, Field, NameHint, Struct, TypeId, WireName};

    /// A field `wire` of type `ty`.
    fn field(wire: &str, ty: TypeRef) -> Field {
        Field {
            wire: WireName(wire.into()),
            aliases: Vec::new(),
            ty,
            required: false,
            nullable: false,
            boxed: false,
            default: None,
            checks: Checks::default(),
            docs: Docs::default(),
        }
    }

    /// A struct of `fields`, as a type of the arena.
    fn object(fields: Vec<Field>) -> TypeDef {
        TypeDef {
            hint: NameHint {
                words: vec!["Error".into()],
                component: true,
            },
            origin: JsonPointer::root(),
            docs: Docs::default(),
            kind: TypeKind::Struct(Struct {
                fields,
                additional: None,
                closed: false,
                left_tag: None,
            }),
        }
    }

    fn pointers(types: &[TypeDef]) -> Vec<String> {
        error_code(types, &TypeRef::Named(TypeId(0)))
    }

    #[test]
    fn a_code_property_is_the_code_whatever_its_case() {
        let types = [object(vec![
            field("message", TypeRef::String),
            field("error_code", TypeRef::I32),
        ])];
        assert_eq!(pointers(&types), ["/error_code"]);
        let types = [object(vec![field("errorCode", TypeRef::String)])];
        assert_eq!(pointers(&types), ["/errorCode"]);
    }

    #[test]
    fn a_problem_is_known_by_its_type_then_its_title() {
        let types = [object(vec![
            field("type", TypeRef::String),
            field("title", TypeRef::String),
            field("detail", TypeRef::String),
        ])];
        assert_eq!(pointers(&types), ["/type", "/title"]);
        let titled = [object(vec![field("title", TypeRef::String)])];
        assert!(pointers(&titled).is_empty(), "a title alone is free text");
    }

    #[test]
    fn an_error_object_inside_the_body_is_looked_into() {
        let types = [
            object(vec![field("error", TypeRef::Named(TypeId(1)))]),
            object(vec![
                field("message", TypeRef::String),
                field("type", TypeRef::String),
                field("code", TypeRef::String),
            ]),
        ];
        assert_eq!(pointers(&types), ["/error/code", "/error/type"]);
    }

    #[test]
    fn free_text_and_structured_values_are_never_a_code() {
        let types = [object(vec![
            field("message", TypeRef::String),
            field("code", TypeRef::Vec(Box::new(TypeRef::String))),
        ])];
        assert!(pointers(&types).is_empty());
        assert!(error_code(&types, &TypeRef::String).is_empty());
    }
}
