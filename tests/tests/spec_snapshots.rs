//! The committed crate is what the specs generate, every time: a reviewer reads each change
//! to the output as a diff of `generated/` itself, which these tests keep in step.

mod support;

use support::workspace_root;

#[test]
fn the_committed_crate_is_what_the_specs_generate() {
    let root = workspace_root();
    let generated = generator::generate_workspace(&root).unwrap_or_else(|errors| panic!("{errors}"));
    let changes = generator::write::plan(&root.join(generator::GENERATED_DIR), &generated.files)
        .expect("generated/ is readable");
    assert!(
        changes.is_empty(),
        "generated/ is stale, run `cargo run -p generator`:\n{}",
        generator::write::report(&root.join(generator::GENERATED_DIR), &generated.files, &changes)
    );
}

#[test]
fn generation_is_deterministic() {
    let root = workspace_root();
    let first = generator::generate_workspace(&root).unwrap_or_else(|errors| panic!("{errors}"));
    let second = generator::generate_workspace(&root).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(first.files, second.files);
}
