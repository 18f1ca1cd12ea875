//! The report of a diff: per module, each change with its class, Rust item and spec
//! location, then the version bump; as text or as Markdown.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Change;
use super::classes;

/// The report of `changes`: per module, each change (its class, Rust item and what changed,
/// why it has its class, and its spec location), then the version bump they need; Markdown (a pull request's description) when
/// `markdown`.
pub fn report(changes: &[Change], markdown: bool) -> String {
    let mut text = String::new();
    let mut by_module: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in changes {
        let module = change.item.split("::").next().unwrap_or_default();
        by_module.entry(module).or_default().push(change);
    }
    for (module, mut changes) in by_module {
        changes.sort_by_key(|c| (c.class, c.item.clone()));
        if markdown {
            let _ = writeln!(
                text,
                "### `{module}`\n\n| class | item | change | why | spec |\n|---|---|---|---|---|"
            );
            for c in changes {
                let _ = writeln!(
                    text,
                    "| {} | `{}` | {} | {} | `{}` `{}` |",
                    c.class, c.item, c.what, c.why, c.source, c.at
                );
            }
            text.push('\n');
        } else {
            let _ = writeln!(text, "{module}:");
            for c in changes {
                let _ = writeln!(
                    text,
                    "  {:<16} {}: {}\n  {:<16} {}\n  {:<16} at {} {}",
                    c.class, c.item, c.what, "", c.why, "", c.source, c.at
                );
            }
        }
    }
    let bump = classes::bump(changes.iter().map(|c| c.class));
    if markdown {
        let _ = writeln!(text, "**Version bump:** {bump}");
    } else {
        let _ = writeln!(text, "version bump: {bump}");
    }
    text
}
