//! What both benches share: their command line (where the corpus is, which of its specs a
//! run takes) and how they give up on a bad one, the median they report, and writing a
//! generated crate.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The median of `times` (sorted in place): the middle one, or the mean of the two middle
/// ones. Zero for no times.
pub fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

/// Writes `files` into `dir`, replacing what was there.
pub fn write(dir: &Path, files: &generator::write::Files) -> Result<(), String> {
    generator::write::sync(dir, files)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// `../shared/corpus`, beside the workspace.
fn default_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The specs in `corpus` whose file name contains one of `filters` (every spec when there
/// are none), by file name, in file-name order.
fn selected(corpus: &Path, filters: &[String]) -> Result<Vec<(String, PathBuf)>, String> {
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

/// The specs a bench run takes, by file name, in file-name order, from its command line:
/// `--corpus DIR`, the `NAME`s that select specs (every spec when none is named, unless
/// `names_needed`), and `--bench` (which cargo passes to every bench). `own` is offered
/// every other flag with the arguments after it, and says whether it was one of the bench's
/// own. A bad command line ends the process with a message and exit code 2.
pub fn from_args(
    bench: &str,
    names_needed: bool,
    mut own: impl FnMut(&str, &mut std::env::Args) -> Result<bool, String>,
) -> Vec<(String, PathBuf)> {
    let mut parse = || -> Result<Vec<(String, PathBuf)>, String> {
        let mut corpus = default_corpus();
        let mut filters = Vec::new();
        let mut args = std::env::args();
        args.next();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--corpus" => corpus = args.next().ok_or("--corpus needs a directory")?.into(),
                "--bench" => {}
                flag if flag.starts_with('-') => {
                    if !own(flag, &mut args)? {
                        return Err(format!("unknown option `{flag}`"));
                    }
                }
                name => filters.push(name.to_owned()),
            }
        }
        if names_needed && filters.is_empty() {
            return Err("name the specs to take, e.g. `nexus github.json`".into());
        }
        selected(&corpus, &filters)
    };
    parse().unwrap_or_else(|message| {
        eprintln!("{bench} bench: {message}");
        std::process::exit(2)
    })
}

/// The number after `flag`, at least 1.
pub fn count(flag: &str, args: &mut std::env::Args) -> Result<usize, String> {
    let text = args.next().ok_or_else(|| format!("{flag} needs a number"))?;
    match text.parse() {
        Ok(count) if count > 0 => Ok(count),
        _ => Err(format!("{flag} {text}: not a number of at least 1")),
    }
}
