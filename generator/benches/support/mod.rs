//! What both benches share: where the corpus is and which of its specs a run takes.

use std::path::{Path, PathBuf};

/// `../shared/corpus`, beside the workspace.
pub fn default_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The specs in `corpus` whose file name contains one of `filters` (every spec when there
/// are none), by file name, in file-name order.
pub fn selected(corpus: &Path, filters: &[String]) -> Result<Vec<(String, PathBuf)>, String> {
    let specs = generator::spec_files(corpus).map_err(|error| error.to_string())?;
    Ok(specs
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, path)
        })
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect())
}
