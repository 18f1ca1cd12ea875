//! The focused specs in `tests/fixtures/models/` each exercise one family of schema shapes
//! (unions, nullability, formats, names, recursion, maps, docs, enums, allOf). Each has a
//! snapshot of the code generated from it, and all of them together must build into a crate
//! that passes `cargo clippy -D warnings` and `cargo doc` with `-D warnings` (and builds
//! without a warning with each module alone, and none), and whose types and clients behave
//! as the test files beside them (`behaviour.rs`, `bodies.rs`) say.

mod support;

use std::path::{Path, PathBuf};

use support::{cargo, feature_subsets_denying_warnings, scratch, scratch_target, workspace_root};

fn shapes_dir() -> PathBuf {
    workspace_root().join("tests/fixtures/models")
}

fn shape_specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(shapes_dir())
        .expect("tests/fixtures/models exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// Copies the directory `from`, and every directory under it, to `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("a fixture directory") {
        let path = entry.expect("directory entry").path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy a fixture file");
        }
    }
}

#[test]
fn every_shape_spec_has_a_snapshot_of_its_module() {
    let specs = shape_specs();
    assert!(specs.len() >= 5, "expected the focused specs, found {specs:?}");
    for spec in specs {
        // Relative to this package (the tests' working directory), so the `@generated`
        // header in the snapshot is the same on every machine.
        let spec = Path::new("fixtures/models").join(spec.file_name().expect("a file name"));
        let generated = generator::generate_standalone(&spec).unwrap_or_else(|errors| panic!("{errors}"));
        let module = &generated.specs[0];
        let mut text = String::new();
        for path in &module.files {
            text.push_str(&format!("==> {path} <==\n{}\n", generated.files[path]));
        }
        insta::assert_snapshot!(format!("shape_{}", generator::names::unraw(&module.module)), text);
    }
}

#[test]
fn an_operation_is_named_after_every_method_a_client_already_has() {
    let text = std::fs::read_to_string(shapes_dir().join("client-names.yaml")).expect("client-names.yaml");
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    let ids: Vec<String> = spec["paths"]
        .as_mapping()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_mapping().expect("a path item").values())
        .map(|op| generator::names::snake(op["operationId"].as_str().expect("an operationId"), ""))
        .collect();
    let methods = generator::runtime::client_methods().iter().map(String::as_str);
    for method in methods.chain(generator::names::MODULE_METHODS.iter().copied()) {
        let method = generator::names::snake(method, "");
        assert!(
            ids.contains(&method),
            "no operation of client-names.yaml is named `{method}`"
        );
    }
}

#[test]
fn all_shape_specs_build_into_a_crate_clean_under_clippy_and_rustdoc() {
    let root = scratch("model-shapes");
    std::fs::create_dir_all(root.join("specs")).expect("create specs/");
    for spec in shape_specs() {
        let name = spec.file_name().expect("a file name");
        std::fs::copy(&spec, root.join("specs").join(name)).expect("copy a shape spec");
    }
    // The files a spec spread over several refers to, beside it.
    copy_dir(&shapes_dir().join("multi-file"), &root.join("specs/multi-file"));
    let generated = generator::generate_workspace(&root).unwrap_or_else(|errors| panic!("{errors}"));
    let out = root.join(generator::GENERATED_DIR);
    generator::write::sync(&out, &generated.files).expect("write the crate");
    // The behaviour tests of the shapes (every `.rs` beside them) run as the generated
    // crate's own tests, with a mock server for the client shapes.
    std::fs::create_dir_all(out.join("tests")).expect("create tests/");
    let mut manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("the manifest");
    manifest.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\"] }\nwiremock = \"0.6\"\nurl = \"2\"\nfutures-util = \"0.3\"\nreqwest = { version = \"0.13\", default-features = false, features = [\"stream\"] }\n",
    );
    std::fs::write(out.join("Cargo.toml"), manifest).expect("add the test dependencies");
    for entry in std::fs::read_dir(shapes_dir()).expect("tests/fixtures/models exists") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, out.join("tests").join(name)).expect("copy the behaviour tests");
        }
    }
    // A workspace of its own, so the generated crate builds outside this repository's.
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"generated\"]\nresolver = \"3\"\n",
    )
    .expect("write the workspace manifest");
    let target = scratch_target();
    let clippy = cargo(
        &root,
        &target,
        &[
            "clippy",
            "--offline",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    let doc = cargo(
        &root,
        &target,
        &["doc", "--offline", "--no-deps", "--all-features"],
    );
    let behaviour = cargo(&root, &target, &["test", "--offline", "--tests"]);
    // A crate built with some of its modules (one feature each) is warning-free too.
    let modules: Vec<&str> = generated
        .specs
        .iter()
        .map(|spec| generator::names::unraw(&spec.module))
        .collect();
    let mut subsets: Vec<Option<Vec<&str>>> = vec![Some(vec![]), Some(vec!["mock"])];
    subsets.extend(modules.iter().map(|module| Some(vec![*module])));
    let subsets = feature_subsets_denying_warnings(&out, &target, None, &subsets);
    let failures: Vec<String> = [clippy, doc, behaviour]
        .into_iter()
        .filter_map(Result::err)
        .chain(subsets)
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
