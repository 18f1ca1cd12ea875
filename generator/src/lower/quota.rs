//! `x-rate-limit` at the document's root: the quota the API documents, which its clients
//! keep (see the runtime's `limiter.rs`).

use serde_json::Value;

use crate::error::{JsonPointer, Warning};
use crate::ir::Quota;
use crate::load::Spec;

/// The extension, and its two keys.
const RATE_LIMIT: &str = "x-rate-limit";

/// The quota `x-rate-limit` declares: `requests` (a positive integer) in every `seconds` (a
/// positive number). One that says anything else is ignored with a warning.
pub(super) fn quota(spec: &Spec, warnings: &mut Vec<Warning>) -> Option<Quota> {
    let declared = spec.raw.get(RATE_LIMIT)?;
    let requests = declared
        .get("requests")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0);
    let millis = declared
        .get("seconds")
        .and_then(Value::as_f64)
        .map(|seconds| (seconds * 1000.0).round())
        .filter(|millis| *millis >= 1.0 && *millis <= u64::MAX as f64)
        .map(|millis| millis as u64);
    match (requests, millis) {
        (Some(requests), Some(millis)) => Some(Quota { requests, millis }),
        _ => {
            warnings.push(Warning {
                at: spec.at(&JsonPointer::root().push(RATE_LIMIT)),
                message: format!(
                    "`{RATE_LIMIT}` needs `requests`, a positive integer, and `seconds`, a positive \
                     number; ignored, and the clients keep no quota"
                ),
            });
            None
        }
    }
}
