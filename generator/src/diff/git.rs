//! The specs of the workspace at a git revision, read with `git` into a scratch folder, so
//! that they load as the working tree's do (a document spread over files included).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::Error;

/// A folder holding `specs/` as it is at `rev`, removed when dropped.
#[derive(Debug)]
pub struct SpecsAt {
    pub dir: PathBuf,
}

impl Drop for SpecsAt {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `specs/` of the repository at `root` as of `rev`.
pub fn specs_at(root: &Path, rev: &str) -> Result<SpecsAt, Error> {
    let git = |args: &[&str]| -> Result<Vec<u8>, Error> {
        let output = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .map_err(|error| Error::Git {
                rev: rev.to_owned(),
                message: format!("cannot run git: {error}"),
            })?;
        if !output.status.success() {
            return Err(Error::Git {
                rev: rev.to_owned(),
                message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            });
        }
        Ok(output.stdout)
    };
    let listed = git(&["ls-tree", "-r", "--name-only", rev, "--", crate::SPECS_DIR])?;
    let at = SpecsAt {
        dir: std::env::temp_dir().join(format!(
            "generator-diff-{}-{}",
            std::process::id(),
            rev.replace(['/', '~', '^'], "_")
        )),
    };
    for path in String::from_utf8_lossy(&listed).lines() {
        let text = git(&["show", &format!("{rev}:{path}")])?;
        let target = at.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_owned(),
                source,
            })?;
        }
        std::fs::write(&target, text).map_err(|source| Error::Write { path: target, source })?;
    }
    Ok(at)
}
