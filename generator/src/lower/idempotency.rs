//! Idempotency keys: the header in which a call that is not idempotent carries a key that
//! makes the server carry it out once however often it arrives, so that the client may
//! retry it (see the runtime's `client.rs`).

use crate::error::{JsonPointer, Warning};
use crate::ir::{Operation, ParamIn};
use crate::load::Spec;

/// The extension at the document's root naming the header of every such call.
const EXTENSION: &str = "x-idempotency-key";

/// The header field the IETF's draft names (`draft-ietf-httpapi-idempotency-key-header`): a
/// header parameter of this name is the operation's key, whatever the root says.
const STANDARD: &str = "Idempotency-Key";

/// The header `x-idempotency-key` names, if the root has one; one that is not a header name
/// is ignored with a warning.
pub(super) fn root(spec: &Spec, warnings: &mut Vec<Warning>) -> Option<String> {
    let declared = spec.raw.get(EXTENSION)?;
    match declared.as_str().filter(|name| is_header_name(name)) {
        Some(name) => Some(name.to_owned()),
        None => {
            warnings.push(Warning {
                at: spec.at(&JsonPointer::root().push(EXTENSION)),
                message: format!(
                    "`{EXTENSION}` must be the name of the header a key travels in (such as \
                     `Idempotency-Key`); ignored, and calls carry no key"
                ),
            });
            None
        }
    }
}

/// The header of `op`'s idempotency key: none for an idempotent method (which may be sent
/// twice as it is); else its own `Idempotency-Key` header parameter, or the root's header.
pub(super) fn of(op: &Operation, root: Option<&str>) -> Option<String> {
    if op.method.is_idempotent() {
        return None;
    }
    let parameter = op
        .params
        .iter()
        .find(|param| param.location == ParamIn::Header && param.wire.0.eq_ignore_ascii_case(STANDARD));
    match parameter {
        Some(param) => Some(param.wire.0.clone()),
        None => root.map(str::to_owned),
    }
}

/// Whether `name` is an HTTP field name (RFC 9110 5.1: a token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_header_name;

    #[test]
    fn a_header_name_is_a_token() {
        assert!(is_header_name("Idempotency-Key"));
        assert!(is_header_name("x_once"));
        assert!(!is_header_name(""));
        assert!(!is_header_name("Idempotency Key"));
        assert!(!is_header_name("key:"));
    }
}
