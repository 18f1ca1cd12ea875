//! What the generated code costs its users to compile.
//!
//! For each named corpus spec it generates the crate, builds its dependencies first (a
//! warm-up crate with the same manifest and an empty library, in the same target
//! directory), then times `cargo build` of the generated crate from scratch and reads the
//! peak resident memory of that build (the largest process of the tree, which is rustc).
//! The profile is cargo's default `dev`, as a user's `cargo build` would have it.
//!
//! ```text
//! cargo bench -p generator --bench compile -- [--corpus DIR] [--release] [--runs N] NAME...
//! ```
//!
//! `NAME`s select specs whose file name contains them (`nexus`, `github.json`); the table it
//! prints (Markdown) is the one in `docs/corpus.md`. With `--runs N` each crate is cleaned
//! and built `N` times: the time is the median, followed by the fastest and slowest run,
//! and the memory the largest peak. Builds happen under the workspace's
//! `target/tmp/compile-cost/`, and the dependencies stay built there between runs.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Options {
    release: bool,
    runs: usize,
}

/// A finished build: its wall time and the peak resident memory of its process tree.
struct Build {
    elapsed: Duration,
    peak_bytes: u64,
}

/// Runs `cargo` with `args` in `dir` and waits for it with `wait4`, whose resource usage
/// covers every descendant cargo waited for: its `ru_maxrss` is the largest rustc's peak.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Result<Build, String> {
    let started = Instant::now();
    let child = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .spawn()
        .map_err(|e| format!("cargo {args:?}: {e}"))?;
    let pid = libc::pid_t::try_from(child.id()).map_err(|e| format!("pid: {e}"))?;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers are valid for writes.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    if waited != pid {
        return Err(format!(
            "wait for cargo {args:?}: {}",
            std::io::Error::last_os_error()
        ));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("cargo {args:?} in {} failed", dir.display()));
    }
    // Linux reports `ru_maxrss` in KiB.
    let peak_bytes = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    Ok(Build { elapsed, peak_bytes })
}

/// The package name a manifest declares.
fn package(manifest: &str) -> Option<&str> {
    let line = manifest.lines().find(|line| line.starts_with("name = "))?;
    Some(line.trim_start_matches("name = ").trim_matches('"'))
}

fn measure(name: &str, spec: &Path, options: &Options, scratch: &Path) -> Result<String, String> {
    let generated = generator::generate_standalone(spec).map_err(|errors| errors.to_string())?;
    let manifest = &generated.files["Cargo.toml"];
    let package = package(manifest).ok_or("the generated manifest names no package")?;

    let dir = scratch.join(package);
    let target = scratch.join("target");
    let profile: &[&str] = if options.release { &["--release"] } else { &[] };
    let offline = |command: &'static str| -> Vec<&'static str> {
        [command, "--offline", "--quiet"]
            .iter()
            .chain(profile)
            .copied()
            .collect()
    };

    // The warm-up crate: the same dependencies, nothing of ours to compile.
    let deps = dir.join("deps");
    let warm_up: generator::write::Files = [
        (
            "Cargo.toml".to_owned(),
            manifest.replacen(
                &format!("name = \"{package}\""),
                &format!("name = \"{package}-deps\""),
                1,
            ),
        ),
        ("src/lib.rs".to_owned(), String::new()),
    ]
    .into();
    support::write(&deps, &warm_up)?;
    cargo(&deps, &target, &offline("build"))?;

    let crate_dir = dir.join("crate");
    support::write(&crate_dir, &generated.files)?;
    let mut clean = vec!["clean", "--offline", "--quiet", "-p", package];
    clean.extend(profile);
    let mut builds = Vec::with_capacity(options.runs);
    for _ in 0..options.runs {
        cargo(&crate_dir, &target, &clean)?;
        builds.push(cargo(&crate_dir, &target, &offline("build"))?);
    }
    let peak = builds.iter().map(|b| b.peak_bytes).max().unwrap_or(0);
    let mut times: Vec<Duration> = builds.iter().map(|b| b.elapsed).collect();
    let median = support::median(&mut times).as_secs_f64();
    let time = match times.as_slice() {
        [_] => format!("{median:.1}"),
        [fastest, .., slowest] => format!(
            "{median:.1} ({:.1}–{:.1})",
            fastest.as_secs_f64(),
            slowest.as_secs_f64()
        ),
        [] => return Err("no build ran".into()),
    };
    Ok(format!("| {name} | {time} | {} |", peak / (1024 * 1024)))
}

fn main() {
    let mut options = Options {
        release: false,
        runs: 1,
    };
    let specs = support::from_args("compile", true, |flag, args| {
        match flag {
            "--release" => options.release = true,
            "--runs" => options.runs = support::count(flag, args)?,
            _ => return Ok(false),
        }
        Ok(true)
    });
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compile-cost");
    let profile = if options.release { "release" } else { "dev" };
    println!("| spec | `cargo build` ({profile}) s | peak rustc MiB |");
    println!("|---|---:|---:|");
    let mut failed = false;
    for (name, spec) in specs {
        match measure(&name, &spec, &options, &scratch) {
            Ok(row) => println!("{row}"),
            Err(why) => {
                eprintln!("{name}: {why}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
