//! Every spec in `specs/` has a snapshot of the code generated from it, so a reviewer sees
//! each change to the output as a diff.

mod support;

use support::workspace_root;

#[test]
fn every_spec_has_a_snapshot_of_its_module() {
    let root = workspace_root();
    let generated = generator::generate_workspace(&root).unwrap_or_else(|errors| panic!("{errors}"));
    assert!(!generated.specs.is_empty(), "specs/ holds no spec");
    for spec in &generated.specs {
        let mut text = String::new();
        for path in &spec.files {
            text.push_str(&format!("==> {path} <==\n{}\n", generated.files[path]));
        }
        insta::assert_snapshot!(spec.module.as_str(), text);
    }
}

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
