//! The diff of a spec with itself, and what a change says of where it is; the table of 30
//! kinds of spec edit is in the tests crate (`tests/tests/diff_table.rs`).

use std::path::Path;

use super::{Change, diff};

const SHOP: &str = include_str!("../../../tests/fixtures/diff/shop.yaml");

/// The changes from the shop spec to the shop spec with `from` replaced by `to`.
fn changes(from: &str, to: &str) -> Vec<Change> {
    assert!(SHOP.contains(from), "the shop spec has no `{from}`");
    let edited = SHOP.replacen(from, to, 1);
    let build = |text: &str| {
        let path = Path::new("specs/shop.yaml");
        let spec = crate::load::parse(path, text).unwrap_or_else(|e| panic!("{e}"));
        crate::build_spec(spec, path).unwrap_or_else(|e| panic!("{e}"))
    };
    diff(&[build(SHOP)], &[build(&edited)])
}

#[test]
fn the_same_spec_has_no_change_and_needs_no_bump() {
    let changes = changes("", "");
    assert_eq!(changes, []);
    assert_eq!(super::classes::bump([]), "none: the public API is unchanged");
}

#[test]
fn a_change_names_its_spec_location_and_rust_item() {
    let changes = changes(
        "      enum: [open, paid, shipped]",
        "      enum: [open, paid, shipped, refunded]",
    );
    let [change] = changes.as_slice() else {
        panic!("{changes:#?}")
    };
    assert_eq!(change.item, "shop::models::OrderStatus");
    assert_eq!(change.at.to_string(), "#/components/schemas/OrderStatus/enum");
    assert_eq!(change.what, "value `refunded` added");
    let report = super::report(&changes, false);
    assert!(report.contains("version bump: major"), "{report}");
}
