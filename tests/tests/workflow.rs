//! The review workflow around `generated/`: write only what changed, delete what is stale,
//! and `--check` names every difference without writing anything.

mod support;

use std::path::Path;

use support::{Run, files_under, generator, os, scratch, workspace_root};

/// A scratch workspace with the real specs, generated once.
fn workspace(name: &str) -> std::path::PathBuf {
    let root = scratch(name);
    std::fs::create_dir_all(root.join("specs")).expect("specs dir");
    for spec in generator::spec_files(&workspace_root().join("specs")).expect("specs") {
        std::fs::copy(&spec, root.join("specs").join(spec.file_name().expect("name"))).expect("copy");
    }
    let run = generate(&root, false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    root
}

fn generate(root: &Path, check: bool) -> Run {
    let mut args = vec![os("--root"), os(root)];
    if check {
        args.push(os("--check"));
    }
    generator(&args.iter().collect::<Vec<_>>())
}

/// `--check` must exit 1 and report `would {verb} ...{file}` on one line.
fn assert_check_reports(root: &Path, verb: &str, file: &str) -> Run {
    let run = generate(root, true);
    assert_eq!(run.code, 1, "stderr:\n{}", run.stderr);
    let expected = format!("would {verb} ");
    assert!(
        run.stderr
            .lines()
            .any(|line| line.starts_with(&expected) && line.contains(file)),
        "expected `{expected}...{file}` in:\n{}",
        run.stderr
    );
    run
}

fn snapshot(root: &Path) -> Vec<(String, Vec<u8>)> {
    let generated = root.join("generated");
    files_under(&generated)
        .into_iter()
        .map(|file| {
            let bytes = std::fs::read(generated.join(&file)).expect("read");
            (file, bytes)
        })
        .collect()
}

#[test]
fn a_second_run_writes_nothing_and_gives_identical_bytes() {
    let root = workspace("second-run");
    let before = snapshot(&root);
    let run = generate(&root, false);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("(0 of"), "nothing changed:\n{}", run.stdout);
    assert_eq!(snapshot(&root), before);
}

#[test]
fn check_passes_on_fresh_output() {
    let root = workspace("check-fresh");
    let run = generate(&root, true);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("is up to date"), "{}", run.stdout);
}

#[test]
fn check_names_an_edited_file_and_writes_nothing() {
    let root = workspace("check-edited");
    let models = root.join("generated/src/lagerkoll/models.rs");
    let edited = std::fs::read_to_string(&models)
        .expect("read")
        .replace("pub struct", "pub(crate) struct");
    std::fs::write(&models, &edited).expect("edit");
    let run = assert_check_reports(&root, "change", "src/lagerkoll/models.rs");
    assert!(
        run.stderr
            .lines()
            .any(|line| line.trim_start().starts_with('-') && line.contains("pub(crate) struct")),
        "shows a diff:\n{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&models).expect("read"),
        edited,
        "check wrote nothing"
    );
}

#[test]
fn check_names_a_deleted_file() {
    let root = workspace("check-deleted");
    std::fs::remove_file(root.join("generated/src/lib.rs")).expect("delete");
    assert_check_reports(&root, "create", "src/lib.rs");
}

#[test]
fn check_names_a_file_no_spec_generates() {
    let root = workspace("check-extra");
    std::fs::write(root.join("generated/src/notes.rs"), "// hand-written\n").expect("write");
    assert_check_reports(&root, "delete", "src/notes.rs");
}

#[test]
fn renaming_a_spec_leaves_no_stale_module() {
    let root = workspace("rename");
    std::fs::rename(
        root.join("specs/lagerkoll.yaml"),
        root.join("specs/cost-centers.yaml"),
    )
    .expect("rename");
    assert_check_reports(&root, "delete", "src/lagerkoll/models.rs");
    let run = generate(&root, false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("deleted stale"), "{}", run.stdout);
    let files = files_under(&root.join("generated"));
    assert!(
        files.iter().any(|f| f.starts_with("src/cost_centers/")),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.contains("lagerkoll")), "{files:?}");
    assert!(
        !root.join("generated/src/lagerkoll").exists(),
        "empty folder removed"
    );
}

#[test]
fn a_standalone_crate_has_its_own_manifest_and_workspace() {
    let out = scratch("standalone");
    let spec = workspace_root().join("specs/lagerkoll.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"lagerkoll\""), "{manifest}");
    assert!(
        manifest.contains("\n[workspace]\n"),
        "builds outside any workspace:\n{manifest}"
    );
    assert_eq!(
        files_under(&out),
        [
            "Cargo.toml",
            "src/common/client.rs",
            "src/common/drift.rs",
            "src/common/error.rs",
            "src/common/int_enum.rs",
            "src/common/limiter.rs",
            "src/common/mock.rs",
            "src/common/mod.rs",
            "src/common/object.rs",
            "src/common/objects.rs",
            "src/common/pager.rs",
            "src/common/pairs.rs",
            "src/common/query.rs",
            "src/common/raw.rs",
            "src/common/redirect.rs",
            "src/common/secret.rs",
            "src/common/telemetry.rs",
            "src/common/transport.rs",
            "src/lagerkoll/client.rs",
            "src/lagerkoll/mod.rs",
            "src/lagerkoll/models.rs",
            "src/lib.rs"
        ]
    );
}

#[test]
fn build_artefacts_of_a_standalone_crate_are_left_alone() {
    let out = scratch("standalone-built");
    let spec = workspace_root().join("specs/lagerkoll.yaml");
    assert_eq!(generator(&[&os(&spec), &os("--out"), &os(&out)]).code, 0);
    std::fs::write(out.join("Cargo.lock"), "# written by cargo\n").expect("lock");
    std::fs::create_dir_all(out.join("target/debug")).expect("target");
    std::fs::write(out.join("target/debug/artefact"), "").expect("artefact");
    let check = generator(&[&os(&spec), &os("--out"), &os(&out), &os("--check")]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(generator(&[&os(&spec), &os("--out"), &os(&out)]).code, 0);
    assert!(out.join("Cargo.lock").exists() && out.join("target/debug/artefact").exists());
}

#[test]
fn a_spec_named_after_a_feature_of_the_runtime_gets_a_module_of_another_name() {
    let root = scratch("feature-names");
    std::fs::create_dir_all(root.join("specs")).expect("specs dir");
    let lagerkoll = workspace_root().join("specs/lagerkoll.yaml");
    for stem in ["zstd", "mock", "gzip"] {
        std::fs::copy(&lagerkoll, root.join("specs").join(format!("{stem}.yaml"))).expect("copy");
    }
    let run = generate(&root, false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).expect("manifest");
    for line in [
        "zstd = [\"reqwest/zstd\"]",
        "zstd_api = []",
        "mock_api = []",
        "gzip_api = []",
    ] {
        assert_eq!(manifest.matches(line).count(), 1, "`{line}` once in:\n{manifest}");
    }
}

#[test]
fn a_type_only_the_events_of_an_answer_hold_brings_its_crate() {
    // The only date-time of the document is the payload of an event stream.
    let spec = r#"{
        "openapi": "3.0.3",
        "info": {"title": "Clock", "version": "1"},
        "paths": {"/ticks": {"get": {
            "operationId": "watchTicks",
            "responses": {"200": {
                "description": "The time, each second.",
                "content": {"text/event-stream": {"schema": {"type": "string", "format": "date-time"}}}
            }}
        }}}
    }"#;
    let generated = ::generator::generate_standalone_text(spec, Path::new("clock.json")).expect("generates");
    let manifest = &generated.files["Cargo.toml"];
    assert!(manifest.contains("\nchrono = "), "{manifest}");
    let client = &generated.files["src/clock/client.rs"];
    assert!(
        client.contains("crate::common::EventStream<::chrono::DateTime<::chrono::FixedOffset>, Api>"),
        "{client}"
    );
}

#[test]
fn conformance_adds_a_program_that_calls_every_operation_and_nothing_else_has_one() {
    let out = scratch("workflow-conformance");
    let spec = workspace_root().join("specs/lagerkoll.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out), &os("--conformance")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let program = std::fs::read_to_string(out.join("examples/conformance.rs")).expect("the program");
    assert_eq!(
        program.matches(".push(").count(),
        5,
        "a call per operation:\n{program}"
    );
    for operation in [
        "listCostCenters",
        "createCostCenter",
        "getCostCenter",
        "updateCostCenter",
        "deleteCostCenter",
    ] {
        assert!(
            program.contains(&format!("\"{operation}\",")),
            "`{operation}` is called:\n{program}"
        );
    }
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("[dev-dependencies]\ntokio = "), "{manifest}");
    assert!(out.join("src/common/conformance.rs").exists());
    // Without the flag: no program, no part, no tokio to build for it.
    let plain = scratch("workflow-no-conformance");
    let run = generator(&[&os(&spec), &os("--out"), &os(&plain)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!plain.join("examples").exists());
    assert!(!plain.join("src/common/conformance.rs").exists());
    let manifest = std::fs::read_to_string(plain.join("Cargo.toml")).expect("a manifest");
    assert!(!manifest.contains("[dev-dependencies]"), "{manifest}");
}
