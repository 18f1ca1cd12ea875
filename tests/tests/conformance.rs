//! Conformance programs against Prism: `generator SPEC --out DIR --conformance` writes a
//! program that calls every operation through the typed client with arguments the spec
//! allows; run against `prism mock --errors`, which checks each request and answer against
//! the spec, it prints a line per call. Prism answers from the spec's examples, then with
//! data it makes from the schemas (from a fixed seed).
//!
//! Our specs: every call passes, both ways. The public corpus (with the `corpus` feature):
//! each table is a snapshot, so a call that ends otherwise than before fails the test until
//! the snapshot is updated and `docs/corpus.md` says why. `.ci/run` runs both with `cargo
//! test -p generator-tests --features contract,corpus --test conformance`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::prism::{Answers, Prism};
use support::{scratch_target, workspace_root};

/// Generates the crate and conformance program of the spec at `spec` (named `source` in
/// what it writes) and builds the program, warnings denied; returns the program's path.
fn program(spec: &Path, source: &Path) -> PathBuf {
    let stem = spec.file_stem().expect("a stem").to_string_lossy().into_owned();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("conformance")
        .join(&stem);
    let text = std::fs::read_to_string(spec).unwrap_or_else(|e| panic!("read {}: {e}", spec.display()));
    let generated = generator::generate_conformance(&text, source)
        .unwrap_or_else(|errors| panic!("{} does not generate:\n{errors}", spec.display()));
    generator::write::sync(&root, &generated.files).expect("write the crate");
    let target = scratch_target();
    // `rustc` passes the flags to the program alone: it builds without a warning. Without
    // debug info, which nothing here reads: the largest programs build and link faster.
    let built = Command::new(env!("CARGO"))
        .args([
            "rustc",
            "--offline",
            "--example",
            "conformance",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        built.status.success(),
        "the program of {} does not build:\n{}",
        spec.display(),
        String::from_utf8_lossy(&built.stderr)
    );
    // The next program is built over this one: each keeps a copy.
    let copy = root.join("conformance");
    std::fs::copy(target.join("debug/examples/conformance"), &copy).expect("copy the program");
    copy
}

/// What `program` printed against Prism serving `spec` as `answers` says, and whether it
/// exited with success.
fn run(program: &Path, spec: &Path, port: u16, answers: Answers) -> (String, bool) {
    let prism = Prism::serve_file(spec, port, answers);
    let output = Command::new(program)
        .arg(&prism.url)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    // The mock's port, where a line names it, would make the line differ run to run.
    let table = String::from_utf8_lossy(&output.stdout).replace(&prism.url, "http://mock");
    println!(
        "{}, Prism answering from {}:\n{table}",
        spec.display(),
        answers.name()
    );
    (table, output.status.success())
}

/// What `program` printed against Prism serving `spec` answering from its examples (on
/// `port`) and from its schemas (on `port + 1`), both at once: each Prism is a process of
/// its own, and the two runs are most of the time this suite takes.
fn both_ways(program: &Path, spec: &Path, port: u16) -> [(Answers, String, bool); 2] {
    std::thread::scope(|scope| {
        let ways = [(Answers::Examples, port), (Answers::Dynamic, port + 1)]
            .map(|(answers, port)| scope.spawn(move || (answers, run(program, spec, port, answers))));
        ways.map(|way| {
            let (answers, (table, passed)) = way.join().expect("a run");
            (answers, table, passed)
        })
    })
}

#[test]
fn every_call_of_our_specs_passes_against_prism_both_ways() {
    for (spec, port) in [
        ("cegid.yaml", 4110),
        ("lagerkoll.yaml", 4112),
        ("lucca.yaml", 4114),
    ] {
        let path = workspace_root().join("specs").join(spec);
        let program = program(&path, &Path::new("specs").join(spec));
        for (answers, table, passed) in both_ways(&program, &path, port) {
            assert!(
                passed,
                "{spec} ({}): not every call passed:\n{table}",
                answers.name()
            );
        }
    }
}

/// The public specs Prism serves. It does not serve two: on Stripe's it had not started after
/// ten minutes, and on the 2021 GitHub document it stops at a `$ref` inside an example,
/// which it fetches from the network (see `docs/corpus.md`).
#[cfg(feature = "corpus")]
const CORPUS: &[&str] = &[
    "adyen-checkout-v71.json",
    "box.json",
    "buildomat.json",
    "github.json",
    "keeper.json",
    "nexus.json",
    "openai-2025-04.yaml",
    "petstore-expanded.yaml",
    "petstore.yaml",
    "propolis-server.json",
    "twilio-api-v2010.json",
];

#[cfg(feature = "corpus")]
#[test]
fn the_corpus_tables_are_as_docs_corpus_md_explains_them() {
    for (index, name) in CORPUS.iter().enumerate() {
        let path = support::corpus_dir().join(name);
        let program = program(&path, Path::new(name));
        let stem = Path::new(name)
            .file_stem()
            .expect("a stem")
            .to_string_lossy()
            .into_owned();
        let port = 4130 + 2 * u16::try_from(index).expect("a short list");
        for (answers, table, _) in both_ways(&program, &path, port) {
            insta::assert_snapshot!(format!("conformance_{stem}_{}", answers.name()), table);
        }
    }
}
