//! Every edit of the table in `src/diff_edits.rs` gets its class from `generator --diff`'s
//! engine, and nothing graver.

mod support;

use generator_tests::diff_edits::{EDITS, SHOP};
use support::scratch;

/// The changes from the shop spec to the shop spec with `from` replaced by `to`.
fn changes(from: &str, to: &str) -> Vec<generator::diff::Change> {
    assert!(SHOP.contains(from), "the shop spec has no `{from}`");
    let dir = scratch("diff-table");
    let build = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).expect("the spec");
        generator::build(&file, std::path::Path::new("specs/shop.yaml")).unwrap_or_else(|e| panic!("{e}"))
    };
    let before = build("before.yaml", SHOP);
    let after = build("after.yaml", &SHOP.replacen(from, to, 1));
    generator::diff::diff(&[before], &[after])
}

#[test]
fn every_edit_of_the_table_gets_its_class_and_nothing_graver() {
    assert!(EDITS.len() >= 25);
    for (edit, from, to, kind, class) in EDITS {
        let changes = changes(from, to);
        assert!(
            changes.iter().any(|c| c.kind == *kind && c.class == *class),
            "{edit}: no {kind:?} change classed {class}: {changes:#?}"
        );
        let gravest = changes.iter().map(|c| c.class).min();
        assert_eq!(gravest, Some(*class), "{edit}: {changes:#?}");
    }
}
