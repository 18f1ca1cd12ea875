//! Where a spec cannot be followed exactly, generation goes on with a documented fallback
//! and says so: a located warning on stderr, exit status 0, and code that builds.

mod support;

use support::{generator, os, scratch, workspace_root};

#[test]
fn a_discriminated_union_with_a_non_object_member_generates_with_a_located_warning() {
    let out = scratch("warning-scalar-member");
    let spec = workspace_root().join("tests/fixtures/warnings/discriminator-scalar-member.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("warning: "), "{}", run.stderr);
    assert!(run.stderr.contains("#/components/schemas/Name"), "{}", run.stderr);
    assert!(out.join("src/lib.rs").exists());
}
