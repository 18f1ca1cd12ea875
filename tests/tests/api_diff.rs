//! `generator --diff REV`: the change of the generated API from the specs at a git revision
//! to the working tree's, as a review reads it first.

mod support;

use std::path::Path;
use std::process::Command;

use support::{generator, os, scratch, workspace_root};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Reviewer", "-c", "user.email=reviewer@localhost"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A repository whose one commit holds the shop spec of the diff table.
fn repository(name: &str) -> std::path::PathBuf {
    let root = scratch(name);
    std::fs::create_dir_all(root.join("specs")).expect("specs/");
    let shop = workspace_root().join("tests/fixtures/diff/shop.yaml");
    std::fs::copy(shop, root.join("specs/shop.yaml")).expect("the shop spec");
    git(&root, &["init", "-q"]);
    git(&root, &["add", "specs"]);
    git(&root, &["commit", "-q", "-m", "The shop spec"]);
    root
}

#[test]
fn an_edit_of_a_committed_spec_is_reported_with_its_place_its_class_and_the_bump() {
    let root = repository("api-diff");
    let spec = root.join("specs/shop.yaml");
    let text = std::fs::read_to_string(&spec).expect("the spec");
    let edited = text.replace(
        "enum: [open, paid, shipped]",
        "enum: [open, paid, shipped, refunded]",
    );
    std::fs::write(&spec, edited).expect("the edit");

    let run = generator(&[&os("--root"), &os(&root), &os("--diff")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "shop:\n  breaking         shop::models::OrderStatus: value `refunded` added\n                   an exhaustive `match` misses it, and a value that decoded into the catch-all now decodes into it\n                   at specs/shop.yaml #/components/schemas/OrderStatus/enum\nversion bump: major (minor while the crate is 0.x)\n"
    );
    let markdown = generator(&[
        &os("--root"),
        &os(&root),
        &os("--diff"),
        &os("HEAD"),
        &os("--format"),
        &os("markdown"),
    ]);
    assert!(
        markdown.stdout.contains("| breaking | `shop::models::OrderStatus` | value `refunded` added | an exhaustive `match` misses it, and a value that decoded into the catch-all now decodes into it | `specs/shop.yaml` `#/components/schemas/OrderStatus/enum` |"),
        "{}",
        markdown.stdout
    );
    assert!(!root.join("generated").exists(), "--diff writes nothing");
}

#[test]
fn an_unchanged_tree_needs_no_bump_and_an_unknown_revision_is_an_error() {
    let root = repository("api-diff-same");
    let same = generator(&[&os("--root"), &os(&root), &os("--diff")]);
    assert_eq!(same.stdout, "version bump: none: the public API is unchanged\n");
    let unknown = generator(&[&os("--root"), &os(&root), &os("--diff"), &os("no-such-branch")]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .starts_with("error: cannot read the specs at `no-such-branch`"),
        "{}",
        unknown.stderr
    );
}
