//! cargo-semver-checks as an independent oracle over the diff table (`src/diff_edits.rs`):
//! for each spec edit, the crate generated before and after it is compared by
//! cargo-semver-checks, and its verdict (a semver violation found or not) is set beside the
//! class `generator --diff` gives.
//!
//! ```sh
//! cargo install --locked cargo-semver-checks
//! cargo run -p generator-tests --example semver_oracle
//! ```
//!
//! The crates' rustdoc JSON is built with one shared target folder, so the dependencies are
//! documented once. `CARGO_SEMVER_CHECKS` names the binary if it is not on `PATH`.

use std::path::Path;
use std::process::Command;

use generator::diff::classes::Class;
use generator_tests::diff_edits::{EDITS, SHOP};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Generates the crate of `spec` into `dir` and returns the path of its rustdoc JSON,
/// copied to `json`.
fn rustdoc_json(spec: &str, dir: &Path, target: &Path, json: &Path) -> Result<(), Failure> {
    let generated =
        generator::generate_standalone_text(spec, Path::new("shop.yaml")).map_err(|e| e.to_string())?;
    generator::write::sync(dir, &generated.files)?;
    let status = Command::new(env!("CARGO"))
        .args([
            "rustdoc",
            "--quiet",
            "--offline",
            "--lib",
            "--",
            "-Z",
            "unstable-options",
            "--output-format",
            "json",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // rustdoc's JSON output is unstable; cargo-semver-checks reads it the same way.
        .env("RUSTC_BOOTSTRAP", "1")
        .status()?;
    if !status.success() {
        return Err(format!("rustdoc JSON of {} failed", dir.display()).into());
    }
    std::fs::copy(target.join("doc/shop.json"), json)?;
    Ok(())
}

fn main() -> Result<(), Failure> {
    let checker = std::env::var("CARGO_SEMVER_CHECKS").unwrap_or_else(|_| "cargo-semver-checks".into());
    // Beside the workspace's own target folder, which the run does not lock.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = manifest.parent().unwrap_or(manifest).join("target/semver-oracle");
    let target = scratch.join("target");
    let baseline = scratch.join("baseline.json");
    rustdoc_json(SHOP, &scratch.join("baseline"), &target, &baseline)?;
    let mut disagreements = 0;
    println!("| edit | --diff | cargo-semver-checks |\n|---|---|---|");
    for (index, (edit, from, to, _, class)) in EDITS.iter().enumerate() {
        let current = scratch.join(format!("edit-{index}.json"));
        rustdoc_json(
            &SHOP.replacen(from, to, 1),
            &scratch.join("edit"),
            &target,
            &current,
        )?;
        let output = Command::new(&checker)
            .args(["semver-checks", "--baseline-rustdoc"])
            .arg(&baseline)
            .arg("--current-rustdoc")
            .arg(&current)
            .output()?;
        let verdict = if output.status.success() {
            "no violation"
        } else {
            "violation"
        };
        // A violation found means breaking; none, any other class.
        let violation = !output.status.success();
        let agrees = (*class == Class::Breaking) == violation;
        if !agrees {
            disagreements += 1;
        }
        println!(
            "| {edit} | {class} | {verdict}{} |",
            if agrees { "" } else { " (differs)" }
        );
    }
    println!("\n{disagreements} of {} edits classed differently", EDITS.len());
    Ok(())
}
