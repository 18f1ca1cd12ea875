//! The command line: argument parsing, reports, exit codes. `main.rs` only calls [`run`].
//!
//! Exit codes: 0 done (or `--check` found `generated/` fresh), 1 `--check` found
//! differences, 2 bad input or usage (nothing written).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Errors, Warning};
use crate::write::{self, Change};

/// The arguments, parsed with clap's derive API.
#[derive(Debug, Default, PartialEq, Eq, clap::Parser)]
#[command(
    name = "generator",
    about = "Typed async Rust clients from OpenAPI 3.0 and 3.1 documents",
    long_about = "Without SPEC: reads every spec in ROOT/specs (default: the workspace root) and \
        rewrites the committed crate in ROOT/generated, touching only files that change.\n\
        With SPEC: turns that one document into a crate of its own at the --out directory.\n\n\
        Exit status: 0 done (or --check found nothing to change), 1 --check found changes, \
        2 bad input or usage (nothing written)."
)]
struct Args {
    /// The document to turn into a crate of its own (with --out).
    #[arg(requires = "out")]
    spec: Option<PathBuf>,
    /// Where the crate of SPEC goes.
    #[arg(long, value_name = "DIR", requires = "spec")]
    out: Option<PathBuf>,
    /// The workspace root (default: found from the current directory).
    #[arg(long, value_name = "DIR", conflicts_with = "spec")]
    root: Option<PathBuf>,
    /// Write nothing; exit 1 listing every file that would change, 0 if none.
    #[arg(long)]
    check: bool,
    /// Treat every warning as an error: report them all and write nothing.
    #[arg(long)]
    strict: bool,
    /// Show every warning, not the first few of each kind.
    #[arg(long)]
    verbose: bool,
    /// With SPEC: also write `examples/conformance.rs`, which calls every operation with
    /// arguments the spec allows against a server given as its argument (a mock of the spec)
    /// and prints each outcome.
    #[arg(long, requires = "spec")]
    conformance: bool,
    /// Write nothing; print every change of the generated API from the specs at git revision
    /// REV (default HEAD) to the working tree's, each with its class for callers, and the
    /// version bump they need.
    #[arg(long, value_name = "REV", num_args = 0..=1, default_missing_value = "HEAD", conflicts_with_all = ["spec", "check"])]
    diff: Option<String>,
    /// How --diff prints: `text`, or `markdown` for a pull request's description.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, requires = "diff")]
    format: ReportFormat,
}

/// The forms of the `--diff` report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    #[default]
    Text,
    Markdown,
}

/// How many warnings of one kind are shown without `--verbose`.
const SHOWN_PER_KIND: usize = 3;

/// Runs the generator with `args` (without the program name); returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let program = std::iter::once(OsString::from("generator"));
    let args = match <Args as clap::Parser>::try_parse_from(program.chain(args)) {
        Ok(args) => args,
        Err(error) => {
            let shown = error.render().to_string();
            return if error.use_stderr() {
                let _ = write!(stderr, "{shown}");
                2
            } else {
                let _ = write!(stdout, "{shown}");
                0
            };
        }
    };
    if let Some(rev) = &args.diff {
        let root = args.root.clone().unwrap_or_else(find_root);
        return match crate::diff_workspace(&root, rev) {
            Ok(changes) => {
                let markdown = args.format == ReportFormat::Markdown;
                let _ = write!(stdout, "{}", crate::diff::report(&changes, markdown));
                0
            }
            Err(errors) => fail(stderr, &errors),
        };
    }
    let started = Instant::now();
    let (generated, out) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) if args.conformance => {
            let generated = std::fs::read_to_string(spec)
                .map_err(|source| {
                    crate::error::Error::Read {
                        path: spec.clone(),
                        source,
                    }
                    .into()
                })
                .and_then(|text| crate::generate_conformance(&text, spec));
            (generated, out.clone())
        }
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
    let warnings: Vec<&Warning> = generated.specs.iter().flat_map(|spec| &spec.warnings).collect();
    if args.strict && !warnings.is_empty() {
        for warning in &warnings {
            let _ = writeln!(stderr, "{warning}\n");
        }
        let _ = writeln!(
            stderr,
            "error: {} warning(s), and --strict makes each an error; nothing was written",
            warnings.len()
        );
        return 2;
    }
    report_warnings(&warnings, args.verbose, stderr);
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
            "{:<12} {}: {} types, {} operations; {} files written, {} unchanged\n{:<12} {}",
            spec.module,
            spec.source,
            spec.types,
            spec.operations,
            written,
            spec.files.len() - written,
            "",
            spec.bodies
        );
        for raw in &spec.bodies.raw {
            let _ = writeln!(stdout, "{:<12}   as bytes: {raw}", "");
        }
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

/// The warnings, grouped by kind (their text with the quoted names left out), each kind's
/// first few with their locations and a count of the rest, unless `verbose`.
fn report_warnings(warnings: &[&Warning], verbose: bool, stderr: &mut dyn Write) {
    let mut kinds: Vec<(String, Vec<&Warning>)> = Vec::new();
    for warning in warnings {
        let kind = kind_of(&warning.message);
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, members)) => members.push(warning),
            None => kinds.push((kind, vec![warning])),
        }
    }
    for (_, members) in &kinds {
        let shown = if verbose {
            members.len()
        } else {
            members.len().min(SHOWN_PER_KIND)
        };
        for warning in &members[..shown] {
            let _ = writeln!(stderr, "{warning}\n");
        }
        if shown < members.len() {
            let _ = writeln!(
                stderr,
                "... and {} more like the one above (--verbose shows them all)\n",
                members.len() - shown
            );
        }
    }
    if warnings.len() > SHOWN_PER_KIND {
        let _ = writeln!(stderr, "{} warning(s) of {} kind(s)", warnings.len(), kinds.len());
    }
}

/// A warning's kind: its text with every `quoted` part left out, so that the same defect at
/// two places, or of two names, is one kind.
fn kind_of(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .map(|(index, part)| if index % 2 == 0 { part } else { "_" })
        .collect()
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
        let program = std::iter::once("generator");
        <Args as clap::Parser>::try_parse_from(program.chain(list.iter().copied()))
            .map_err(|e| e.kind().to_string())
    }

    #[test]
    fn arguments_parse_or_explain() {
        assert_eq!(
            args(&["--check", "--strict"]),
            Ok(Args {
                check: true,
                strict: true,
                ..Args::default()
            })
        );
        assert_eq!(
            args(&["a.yaml", "--out", "x", "--verbose"]),
            Ok(Args {
                spec: Some("a.yaml".into()),
                out: Some("x".into()),
                verbose: true,
                ..Args::default()
            })
        );
        let missing = "one or more required arguments were not provided".to_owned();
        assert_eq!(args(&["a.yaml"]), Err(missing.clone()));
        assert_eq!(args(&["--out", "x"]), Err(missing));
        assert_eq!(args(&["--frobnicate"]), Err("unexpected argument found".into()));
        assert_eq!(
            args(&["a", "b", "--out", "x"]),
            Err("unexpected argument found".into())
        );
    }

    #[test]
    fn a_warning_kind_leaves_out_what_it_quotes() {
        assert_eq!(
            kind_of("`parameters` is `null` where a list stands"),
            kind_of("`required` is `null` where a list stands")
        );
        assert_ne!(
            kind_of("no `title` text"),
            kind_of("no `version` text; the docs give none")
        );
    }

    fn warning(message: &str, at: &str) -> Warning {
        let pointer = crate::error::JsonPointer::root().push(at);
        Warning {
            at: crate::error::Location::new(Path::new("a.yaml"), pointer),
            message: message.to_owned(),
        }
    }

    #[test]
    fn many_warnings_of_a_kind_show_the_first_few_and_a_count() {
        let many: Vec<Warning> = (0..5).map(|i| warning("`x` is odd", &i.to_string())).collect();
        let refs: Vec<&Warning> = many.iter().collect();
        let mut out = Vec::new();
        report_warnings(&refs, false, &mut out);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("warning: ").count(), 3, "{text}");
        assert!(text.contains("... and 2 more like the one above"), "{text}");
        assert!(text.ends_with("5 warning(s) of 1 kind(s)\n"), "{text}");
        let mut all = Vec::new();
        report_warnings(&refs, true, &mut all);
        assert_eq!(String::from_utf8(all).unwrap().matches("warning: ").count(), 5);
    }
}
