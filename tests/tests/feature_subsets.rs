//! A service builds `vendor-clients` with only the APIs it calls (`default-features = false,
//! features = ["lagerkoll"]`, as the README shows), often with `-D warnings`: every such
//! build must be free of warnings, not only the one with every feature on. The runtime parts
//! each API uses are built under its feature alone, so an API left out leaves nothing unused.

mod support;

use support::{feature_subsets_denying_warnings, scratch_target, workspace_root};

#[test]
fn the_generated_crate_builds_warning_free_with_each_api_alone_none_the_defaults_and_all() {
    let subsets: Vec<Option<Vec<&str>>> = vec![
        Some(vec![]),
        Some(vec!["cegid"]),
        Some(vec!["lagerkoll"]),
        Some(vec!["lucca"]),
        Some(vec!["lagerkoll", "mock"]),
        Some(vec!["mock"]),
        None,
        Some(vec![
            "cegid",
            "lagerkoll",
            "lucca",
            "gzip",
            "deflate",
            "brotli",
            "zstd",
            "mock",
        ]),
    ];
    let failures = feature_subsets_denying_warnings(
        &workspace_root(),
        &scratch_target(),
        Some("vendor-clients"),
        &subsets,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
