//! Helpers shared by the test files: running the generator in-process, scratch folders, and
//! (in `servers`) what the client tests share.

#![allow(dead_code)] // each test file uses a different subset

pub mod calls;
pub mod capture;
pub mod prism;
pub mod quota;
pub mod servers;
pub mod spans;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What one generator run did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the generator's command line in-process, exactly as `main` does.
pub fn generator(args: &[&OsString]) -> Run {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let code = generator::cli::run(args.iter().map(|a| (*a).clone()), &mut stdout, &mut stderr);
    Run {
        code,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

pub fn os(text: impl AsRef<std::ffi::OsStr>) -> OsString {
    text.as_ref().to_owned()
}

/// The workspace root (this package sits in `tests/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// A fresh, empty scratch folder under cargo's per-target temporary directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear scratch folder");
    }
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

/// The target directory of the crates the tests generate and build, kept between runs
/// beside the test binaries so their dependencies are built once. The workspace's own
/// target directory is locked while the tests run.
pub fn scratch_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates-target")
}

/// The public specs beside the workspace, in `../shared/corpus/`.
pub fn corpus_dir() -> PathBuf {
    workspace_root().join("../shared/corpus")
}

/// The peer suites' specs beside the workspace, in `../shared/corpus-peers/`.
pub fn peers_dir() -> PathBuf {
    workspace_root().join("../shared/corpus-peers")
}

/// Type-checks the library of the crate in `dir`, every feature on (the typed stubs of the
/// `mock` feature included), with every warning an error (the flag reaches that crate
/// alone, so its dependencies stay built as they are).
pub fn cargo_denying_warnings(dir: &Path, target: &Path) -> Result<(), String> {
    cargo(
        dir,
        target,
        &[
            "rustc",
            "--offline",
            "--all-features",
            "--lib",
            "--profile",
            "check",
            "--",
            "-D",
            "warnings",
        ],
    )
}

/// Type-checks the library of `package` (or of the crate in `dir`) once per set of cargo
/// features in `subsets` (`None`: the defaults), the crate's defaults off, with every warning
/// an error (for that crate alone); returns the output of each build that failed.
pub fn feature_subsets_denying_warnings(
    dir: &Path,
    target: &Path,
    package: Option<&str>,
    subsets: &[Option<Vec<&str>>],
) -> Vec<String> {
    subsets
        .iter()
        .filter_map(|subset| {
            let mut args = vec!["rustc", "--offline", "--lib", "--profile", "check"];
            if let Some(package) = package {
                args.extend(["-p", package]);
            }
            let features = subset.as_ref().map(|features| features.join(","));
            if let Some(features) = &features {
                args.extend(["--no-default-features", "--features", features]);
            }
            args.extend(["--", "-D", "warnings"]);
            cargo(dir, target, &args).err().map(|failure| {
                format!(
                    "features {:?}: {failure}",
                    features.as_deref().unwrap_or("default")
                )
            })
        })
        .collect()
}

/// Runs `cargo` with `args` in `dir` and `target` as its target directory, with rustdoc
/// warnings as errors; returns the output on failure.
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<(), String> {
    let output = std::process::Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo {args:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {args:?} in {} failed:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Every file under `dir`, relative and sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap_or(&path).display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// `json` as a value of a generated type, which must accept it.
pub fn value<T: serde::de::DeserializeOwned>(json: serde_json::Value) -> T {
    serde_json::from_value(json).expect("a value of the generated type")
}

/// The vendor payload `name` under `tests/fixtures/`, as JSON.
pub fn fixture(name: &str) -> serde_json::Value {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is JSON: {e}", file.display()))
}
