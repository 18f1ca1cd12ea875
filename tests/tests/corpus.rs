//! The real public specs in `../shared/corpus/` (GitHub, Stripe, OpenAI, Twilio, Box, Adyen,
//! Oxide's samples, petstore) each generate a crate that passes `cargo clippy -D warnings`
//! and `cargo doc` with `-D warnings`, and each keeps a snapshot of what it produced
//! (operations, types, files and every fallback warning), so a change in what the generator
//! accepts shows up as a diff.
//!
//! The specs live beside the repository, not in it, so these tests are opt-in:
//! `.ci/run` runs them with `cargo test -p generator-tests --features corpus --test corpus`.

mod support;

use std::path::Path;

use support::{cargo, corpus_dir, scratch_target};

/// Specs whose crates type-check in seconds.
const SMALL: &[&str] = &[
    "buildomat.json",
    "keeper.json",
    "petstore-expanded.yaml",
    "petstore.yaml",
    "propolis-server.json",
];

/// Specs whose crates take from fifteen seconds (nexus) to four minutes (github.json).
const LARGE: &[&str] = &[
    "adyen-checkout-v71.json",
    "box.json",
    "github-2021.json",
    "github.json",
    "nexus.json",
    "openai-2025-04.yaml",
    "stripe-2022-04.json",
    "twilio-api-v2010.json",
];

#[test]
fn the_lists_name_every_spec_of_the_corpus() {
    let found: Vec<String> = generator::spec_files(&corpus_dir())
        .unwrap_or_else(|error| panic!("{error}"))
        .iter()
        .map(|path| file_name(path))
        .collect();
    let mut listed: Vec<String> = SMALL.iter().chain(LARGE).map(|name| name.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "add each new corpus spec to SMALL or LARGE");
}

#[test]
fn small_corpus_specs_build_clean_under_clippy_and_rustdoc() {
    generate_and_build("corpus-small", SMALL);
}

#[test]
fn large_corpus_specs_build_clean_under_clippy_and_rustdoc() {
    generate_and_build("corpus-large", LARGE);
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a spec file has a name")
        .to_string_lossy()
        .into_owned()
}

/// Generates each spec as a crate of its own under one scratch workspace, snapshots its
/// report, then type-checks and documents them all in one cargo run (both cores busy).
fn generate_and_build(workspace: &str, specs: &[&str]) {
    // Kept between runs: files are rewritten only where they change, so cargo checks
    // again only the crates that did.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(workspace);
    let members: Vec<String> = specs
        .iter()
        .map(|name| format!("{:?}", generate(&root, name)))
        .collect();
    let manifest = format!(
        "[workspace]\nmembers = [{}]\nresolver = \"3\"\n",
        members.join(", ")
    );
    let path = root.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(&path, manifest).expect("write the workspace manifest");
    }
    let clippy = cargo(
        &root,
        &scratch_target(),
        &["clippy", "--offline", "--workspace", "--", "-D", "warnings"],
    );
    let doc = cargo(
        &root,
        &scratch_target(),
        &["doc", "--offline", "--workspace", "--no-deps"],
    );
    let failures: Vec<String> = [clippy, doc].into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Generates `name` into a member directory of `root` and returns that directory's name.
fn generate(root: &Path, name: &str) -> String {
    let spec = corpus_dir().join(name);
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("read {}: {e}", spec.display()));
    // Named by file alone, so warnings and `@generated` headers are the same on every machine.
    let generated = generator::generate_standalone_text(&text, Path::new(name))
        .unwrap_or_else(|errors| panic!("{name} does not generate:\n{errors}"));
    let report = &generated.specs[0];
    let lines = generated.rust_lines();
    let mut summary = format!(
        "{} operations, {} types, {lines} lines in {}\n{}\n",
        report.operations,
        report.types,
        report.files.join(", "),
        report.bodies
    );
    for raw in &report.bodies.raw {
        summary.push_str(&format!("as bytes: {raw}\n"));
    }
    for warning in &report.warnings {
        summary.push_str(&format!("\n{warning}\n"));
    }
    let stem = Path::new(name)
        .file_stem()
        .expect("a stem")
        .to_string_lossy()
        .into_owned();
    insta::assert_snapshot!(format!("corpus_{stem}"), summary);
    let html: Vec<String> = generated
        .files
        .values()
        .flat_map(|text| doc_prose(text))
        .filter(|line| html_in_doc(line))
        .map(str::to_owned)
        .collect();
    assert!(
        html.is_empty(),
        "{name}: {} doc lines show HTML tags or character references, such as:\n{}",
        html.len(),
        html.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );

    let member = stem;
    let out = root.join(&member);
    let mut files = generated.files;
    let manifest = files.get_mut("Cargo.toml").expect("a manifest");
    // Generated as a workspace of its own; here it is a member of the scratch workspace.
    let own_workspace = "\n[workspace]\n";
    assert!(
        manifest.ends_with(own_workspace),
        "the standalone manifest ends with its own [workspace] table:\n{manifest}"
    );
    manifest.truncate(manifest.len() - own_workspace.len() + 1);
    generator::write::sync(&out, &files).expect("write the crate");
    member
}

/// The lines of `text` outside the code blocks of its doc comments (` ``` ` fences).
fn doc_prose(text: &str) -> Vec<&str> {
    let mut fenced = false;
    text.lines()
        .filter(|line| {
            let doc = line.trim_start().trim_start_matches(['/', '!']).trim_start();
            if doc.starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// Whether `line` is a doc comment whose prose (code spans aside) shows an HTML tag
/// (`<p>`, `</a>`) or a character reference (`&lt;`, `&#39;`) rather than what they mean.
fn html_in_doc(line: &str) -> bool {
    let Some(doc) = line
        .trim_start()
        .strip_prefix("///")
        .or_else(|| line.trim_start().strip_prefix("//!"))
    else {
        return false;
    };
    // Code spans are shown as written.
    let prose: String = doc.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    let bytes = prose.as_bytes();
    bytes.iter().enumerate().any(|(at, byte)| {
        let escaped = at > 0 && bytes[at - 1] == b'\\';
        // Only read after an ASCII byte, which ends a character.
        let rest = || &prose[at + 1..];
        match byte {
            b'<' if !escaped => {
                let rest = rest();
                let name = rest.strip_prefix('/').unwrap_or(rest);
                name.starts_with(|c: char| c.is_ascii_alphabetic()) && !name.starts_with("http")
            }
            b'&' => {
                let rest = rest();
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
                    .collect();
                name.len() >= 2 && rest[name.len()..].starts_with(';')
            }
            _ => false,
        }
    })
}

#[test]
fn a_doc_line_showing_html_is_told_from_one_that_does_not() {
    for shown in [
        "/// <p>Creates",
        "/// a &lt;b&gt;",
        "    //! see </a>",
        "/// it&#39;s",
    ] {
        assert!(html_in_doc(shown), "{shown}");
    }
    for rendered in [
        "/// a \\<b\\> c",
        "/// `<p>` and `&amp;`",
        "/// <https://x.io>",
        "/// AT&T; R&D",
        "let a = \"<p>\";",
    ] {
        assert!(!html_in_doc(rendered), "{rendered}");
    }
}
