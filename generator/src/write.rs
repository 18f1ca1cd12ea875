//! Stage 7: compare the generated files with what is on disk, then write only what changed
//! and delete what is stale, or (in check mode) report the differences.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Generated files by path relative to the output directory (`/`-separated).
pub type Files = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create(String),
    Update(String),
    Delete(String),
}

impl Change {
    pub fn path(&self) -> &str {
        match self {
            Change::Create(p) | Change::Update(p) | Change::Delete(p) => p,
        }
    }
}

/// Build artefacts that a `cargo build` of the output leaves at its top level: not ours to
/// compare or delete.
const BUILD_ARTEFACTS: &[&str] = &["target", "Cargo.lock"];

/// What writing `files` into `out` would change. Every file under `out` belongs to the
/// generator, except the [`BUILD_ARTEFACTS`] at its top level.
pub fn plan(out: &Path, files: &Files) -> Result<Vec<Change>, Error> {
    let existing = list(out)?;
    let mut changes = Vec::new();
    for (path, contents) in files {
        match std::fs::read(out.join(path)) {
            Ok(current) if current == contents.as_bytes() => {}
            Ok(_) => changes.push(Change::Update(path.clone())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                changes.push(Change::Create(path.clone()))
            }
            Err(source) => {
                return Err(Error::Read {
                    path: out.join(path),
                    source,
                });
            }
        }
    }
    for path in existing {
        if !files.contains_key(&path) {
            changes.push(Change::Delete(path));
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(changes)
}

/// Every file under `dir`, relative and `/`-separated, sorted.
fn list(dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let entries = match std::fs::read_dir(dir.join(&relative)) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::Read {
                    path: dir.join(&relative),
                    source,
                });
            }
        };
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read {
                path: dir.join(&relative),
                source,
            })?;
            let name = entry.file_name();
            let child = relative.join(&name);
            let file_type = entry.file_type().map_err(|source| Error::Read {
                path: dir.join(&child),
                source,
            })?;
            let artefact =
                relative.as_os_str().is_empty() && BUILD_ARTEFACTS.iter().any(|a| name.as_os_str() == *a);
            if artefact {
                continue;
            }
            if file_type.is_dir() {
                stack.push(child);
            } else {
                let parts: Vec<String> = child.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Carries out `changes`. Files are written to a temporary name and renamed into place, so
/// a reader never sees half a file.
pub fn apply(out: &Path, files: &Files, changes: &[Change]) -> Result<(), Error> {
    for change in changes {
        let target = out.join(change.path());
        match change {
            Change::Create(path) | Change::Update(path) => {
                let contents = files.get(path).map(String::as_str).unwrap_or_default();
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                        path: parent.to_owned(),
                        source,
                    })?;
                }
                let temporary = target.with_extension("generator-tmp");
                std::fs::write(&temporary, contents).map_err(|source| Error::Write {
                    path: temporary.clone(),
                    source,
                })?;
                std::fs::rename(&temporary, &target).map_err(|source| Error::Write {
                    path: target.clone(),
                    source,
                })?;
            }
            Change::Delete(_) => {
                std::fs::remove_file(&target).map_err(|source| Error::Write {
                    path: target.clone(),
                    source,
                })?;
                remove_empty_parents(out, &target);
            }
        }
    }
    Ok(())
}

/// Brings `out` to `files`: [`plan`], then [`apply`]; returns what changed.
pub fn sync(out: &Path, files: &Files) -> Result<Vec<Change>, Error> {
    let changes = plan(out, files)?;
    apply(out, files, &changes)?;
    Ok(changes)
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == out || std::fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

/// Time each file's diff may take to be minimal.
const DIFF_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// A readable account of `changes`, with a short diff for each changed file.
pub fn report(out: &Path, files: &Files, changes: &[Change]) -> String {
    const CONTEXT_LINES: usize = 2;
    const MAX_DIFF_LINES: usize = 20;
    let mut text = String::new();
    for change in changes {
        let path = out.join(change.path());
        match change {
            Change::Create(_) => {
                let _ = writeln!(text, "would create {}", path.display());
            }
            Change::Delete(_) => {
                let _ = writeln!(text, "would delete {} (no spec generates it)", path.display());
            }
            Change::Update(relative) => {
                let _ = writeln!(text, "would change {}", path.display());
                let old = std::fs::read_to_string(&path).unwrap_or_default();
                let new = files.get(relative).map(String::as_str).unwrap_or_default();
                // A bounded search: past it the diff is still correct, only less minimal, so a
                // check against a large, much changed file reports in time.
                let diff = similar::TextDiff::configure()
                    .timeout(DIFF_TIME)
                    .diff_lines(old.as_str(), new);
                let unified = diff.unified_diff().context_radius(CONTEXT_LINES).to_string();
                let lines: Vec<&str> = unified.lines().collect();
                for line in lines.iter().take(MAX_DIFF_LINES) {
                    let _ = writeln!(text, "    {line}");
                }
                if lines.len() > MAX_DIFF_LINES {
                    let _ = writeln!(text, "    ... {} more diff lines", lines.len() - MAX_DIFF_LINES);
                }
            }
        }
    }
    text
}
