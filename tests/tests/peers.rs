//! The test specs of other generators (`../shared/corpus-peers/`: hey-api/openapi-ts,
//! swagger-codegen, progenitor), small and awkward on purpose. Every root either generates
//! or ends in a located error, never a panic; at least [`FLOOR`] generate, and all that do
//! go into one crate, a module each, which must pass `cargo check` with warnings denied.
//! The outcome of each root is a snapshot, so a change in what the generator accepts shows
//! up as a diff.
//!
//! Opt-in (the specs live beside the repository): `.ci/run` runs
//! `cargo test -p generator-tests --features peers --test peers`.

mod support;

use std::path::{Path, PathBuf};

use support::{cargo_denying_warnings, peers_dir, scratch_target};

/// How many of the roots must generate; raised as the generator learns to read more.
const FLOOR: usize = 190;

/// The roots `ROOTS.txt` lists, relative to the peers folder.
fn roots() -> Vec<String> {
    let list = std::fs::read_to_string(peers_dir().join("ROOTS.txt")).expect("ROOTS.txt");
    list.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A name for `root` that is unique among the roots and makes a module name: its whole path
/// with every separator an underscore (`a/b.json` and `a/b.yaml` differ), then its
/// extension again, which says JSON or YAML.
fn source_name(root: &str) -> PathBuf {
    let extension = Path::new(root)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = root
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    PathBuf::from(format!("{stem}.{extension}"))
}

#[test]
fn peer_specs_generate_or_end_in_a_located_error_and_their_crate_checks_clean() {
    let mut outcomes = String::new();
    let mut built = Vec::new();
    for root in roots() {
        let file = peers_dir().join(&root);
        match generator::build(&file, &source_name(&root)) {
            Ok(result) => {
                // The warnings counted, so a change in the fallbacks taken shows in the diff.
                let warnings = result.0.warnings.len();
                outcomes.push_str(&format!("ok      {root} ({warnings} warnings)\n"));
                built.push(result);
            }
            Err(errors) => {
                let first = errors.to_string();
                let first = first.lines().next().unwrap_or_default().to_owned();
                assert!(first.starts_with("error"), "{root}: {errors}");
                outcomes.push_str(&format!("refused {root}: {first}\n"));
            }
        }
    }
    insta::assert_snapshot!(outcomes);
    assert!(
        built.len() >= FLOOR,
        "{} of the roots generate, fewer than {FLOOR}:\n{outcomes}",
        built.len()
    );

    let generated = generator::generate_crate("peers", &built).unwrap_or_else(|errors| panic!("{errors}"));
    // Kept between runs: files are rewritten only where they change.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("peers");
    generator::write::sync(&root, &generated.files).expect("write the crate");
    cargo_denying_warnings(&root, &scratch_target()).unwrap_or_else(|failure| panic!("{failure}"));
}
