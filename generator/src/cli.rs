//! The command line: argument parsing, reports, exit codes. `main.rs` only calls [`run`].
//!
//! Exit codes: 0 done (or `--check` found `generated/` fresh), 1 `--check` found
//! differences, 2 bad input or usage (nothing written).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Errors;
use crate::write::{self, Change};

pub const USAGE: &str = "\
usage: generator [--check] [--root DIR]
       generator SPEC --out DIR [--check]

Without SPEC: reads every spec in DIR/specs (default: the workspace root) and rewrites the
committed crate in DIR/generated, touching only files that change.
With SPEC: turns that one spec into a crate of its own at the --out directory.

  --check      write nothing; exit 1 listing every file that would change, 0 if none
  --root DIR   the workspace root (default: found from the current directory)
  --out DIR    where the standalone crate goes (with SPEC)
  -h, --help   this text
";

#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    check: bool,
    root: Option<PathBuf>,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    help: bool,
}

fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--check") => parsed.check = true,
            Some("-h" | "--help") => parsed.help = true,
            Some(flag @ ("--root" | "--out")) => {
                let value = args.next().ok_or_else(|| format!("{flag} needs a directory"))?;
                let slot = if flag == "--root" {
                    &mut parsed.root
                } else {
                    &mut parsed.out
                };
                *slot = Some(PathBuf::from(value));
            }
            Some(flag) if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ if parsed.spec.is_none() => parsed.spec = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{}`", arg.to_string_lossy())),
        }
    }
    match (&parsed.spec, &parsed.out) {
        (Some(_), None) => Err("a SPEC needs --out DIR".into()),
        (None, Some(_)) => Err("--out needs a SPEC".into()),
        _ => Ok(parsed),
    }
}

/// Runs the generator with `args` (without the program name); returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let args = match parse(args) {
        Ok(args) => args,
        Err(message) => {
            let _ = write!(stderr, "error: {message}\n\n{USAGE}");
            return 2;
        }
    };
    if args.help {
        let _ = write!(stdout, "{USAGE}");
        return 0;
    }
    let started = Instant::now();
    let (generated, out) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => (crate::generate_standalone(spec), out.clone()),
        _ => {
            let root = args.root.clone().unwrap_or_else(find_root);
            (crate::generate_workspace(&root), root.join(crate::GENERATED_DIR))
        }
    };
    let generated = match generated {
        Ok(generated) => generated,
        Err(errors) => return fail(stderr, &errors),
    };
    for warning in generated.specs.iter().flat_map(|spec| &spec.warnings) {
        let _ = writeln!(stderr, "{warning}\n");
    }
    let changes = match write::plan(&out, &generated.files) {
        Ok(changes) => changes,
        Err(error) => return fail(stderr, &error.into()),
    };
    if args.check {
        if changes.is_empty() {
            let _ = writeln!(
                stdout,
                "{} is up to date ({} files)",
                out.display(),
                generated.files.len()
            );
            return 0;
        }
        let _ = write!(stderr, "{}", write::report(&out, &generated.files, &changes));
        let (writes, deletes) = counts(&changes);
        let _ = writeln!(
            stderr,
            "{writes} of {} files out of date and {deletes} stale in {}; run `cargo run -p generator` and commit the result",
            generated.files.len(),
            out.display()
        );
        return 1;
    }
    if let Err(error) = write::apply(&out, &generated.files, &changes) {
        return fail(stderr, &error.into());
    }
    for spec in &generated.specs {
        let written = spec
            .files
            .iter()
            .filter(|f| changes.iter().any(|c| c.path() == f.as_str()))
            .count();
        let _ = writeln!(
            stdout,
            "{:<12} {}: {} types, {} operations; {} files written, {} unchanged",
            spec.module,
            spec.source,
            spec.types,
            spec.operations,
            written,
            spec.files.len() - written
        );
    }
    let deleted: Vec<&str> = changes
        .iter()
        .filter_map(|c| matches!(c, Change::Delete(_)).then_some(c.path()))
        .collect();
    if !deleted.is_empty() {
        let _ = writeln!(stdout, "deleted stale: {}", deleted.join(", "));
    }
    let (writes, deletes) = counts(&changes);
    let _ = writeln!(
        stdout,
        "{} spec(s) -> {} in {:.2?} ({writes} of {} files written, {deletes} stale deleted)",
        generated.specs.len(),
        out.display(),
        started.elapsed(),
        generated.files.len()
    );
    0
}

fn fail(stderr: &mut dyn Write, errors: &Errors) -> i32 {
    let _ = write!(stderr, "{errors}");
    let _ = writeln!(stderr, "nothing was written");
    2
}

/// The nearest ancestor of the current directory holding `specs/` and `generator/`; else
/// the workspace this binary was built in.
fn find_root() -> PathBuf {
    let is_root = |dir: &Path| dir.join(crate::SPECS_DIR).is_dir() && dir.join("generator").is_dir();
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(found) = cwd.ancestors().find(|dir| is_root(dir)) {
            return found.to_owned();
        }
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_owned()
}

/// Files to write and stale files to delete among `changes`.
fn counts(changes: &[Change]) -> (usize, usize) {
    let deletes = changes.iter().filter(|c| matches!(c, Change::Delete(_))).count();
    (changes.len() - deletes, deletes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse(list.iter().map(OsString::from))
    }

    #[test]
    fn arguments_parse_or_explain() {
        assert_eq!(
            args(&["--check"]),
            Ok(Args {
                check: true,
                ..Args::default()
            })
        );
        assert_eq!(
            args(&["a.yaml", "--out", "x"]),
            Ok(Args {
                spec: Some("a.yaml".into()),
                out: Some("x".into()),
                ..Args::default()
            })
        );
        assert_eq!(args(&["a.yaml"]), Err("a SPEC needs --out DIR".into()));
        assert_eq!(args(&["--out"]), Err("--out needs a directory".into()));
        assert_eq!(
            args(&["--frobnicate"]),
            Err("unknown option `--frobnicate`".into())
        );
        assert_eq!(
            args(&["a", "b", "--out", "x"]),
            Err("unexpected argument `b`".into())
        );
    }
}
