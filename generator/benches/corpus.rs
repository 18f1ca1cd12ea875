//! Generation speed on real specs, against the floor of merely parsing them.
//!
//! For each spec of the corpus, in one run and on the same bytes in memory, it times:
//! - **floor**: the typed parse, serde_json or serde_yaml straight into `openapiv3::OpenAPI`
//!   (for a YAML spec that parse refuses, the YAML read and discarded, marked `untyped`);
//! - **generate**: our whole generation, from the text to formatted files in memory;
//! - **write**: writing those files into an empty directory.
//!
//! Each is the median of several runs, after one untimed run. The table it prints
//! (Markdown) is the one in `docs/corpus.md`.
//!
//! ```text
//! cargo bench -p generator --bench corpus -- [--corpus DIR] [--runs N] [NAME...]
//! ```
//!
//! `--corpus` defaults to `../shared/corpus` beside the workspace; `NAME`s keep only the specs
//! whose file name contains one of them; `--phases` also prints, on stderr, how long each
//! stage takes on one thread, formatting split into syn's parse and prettyplease.

mod support;

use std::path::Path;

/// The allocator of the `generator` binary, so both the floor and generation are timed as
/// the tool runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

struct Options {
    runs: usize,
    /// Also time each stage, one line per spec on stderr.
    phases: bool,
}

/// The median of `runs` timings of `job` (at least one run), and its last result. One
/// untimed run comes first, for the floor and the generation alike: the first run in a
/// process also grows its heap and starts what is started once, which is not what either
/// measures (with the default five runs, github.json's ratio moved by a fifth with it).
fn median<R>(runs: usize, mut job: impl FnMut() -> R) -> (Duration, R) {
    std::hint::black_box(job());
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let result = std::hint::black_box(job());
        times.push(start.elapsed());
        last = Some(result);
    }
    (support::median(&mut times), last.expect("at least one run"))
}

/// What the floor of a spec measured.
enum Floor {
    /// The typed parse into `openapiv3::OpenAPI`.
    Typed,
    /// The spec is one the typed parse refuses (OpenAI's integer beyond 64 bits, which
    /// serde_yaml cannot hand to openapiv3 nor to any tree): the YAML read and discarded
    /// (`IgnoredAny`), a lower floor than the typed one would be.
    Untyped,
}

/// The typed parse: what any tool reading the spec into openapiv3 pays at least.
fn floor(path: &Path, bytes: &[u8]) -> Result<Floor, String> {
    let json = path.extension().is_some_and(|e| e == "json");
    if json {
        return serde_json::from_slice::<openapiv3::OpenAPI>(bytes)
            .map(|_| Floor::Typed)
            .map_err(|e| e.to_string());
    }
    match serde_yaml::from_slice::<openapiv3::OpenAPI>(bytes) {
        Ok(_) => Ok(Floor::Typed),
        // Any tree type refuses the same integer; reading the YAML without keeping it is
        // the parse alone.
        Err(_) => serde_yaml::from_slice::<serde::de::IgnoredAny>(bytes)
            .map(|_| Floor::Untyped)
            .map_err(|e| e.to_string()),
    }
}

/// One timed pass through every stage, on one thread, printed on stderr: loading, the
/// stages of `generator::build_observed`, then for all the pieces of the module the
/// emitting of tokens, syn's parse of them and prettyplease's printing (which generation
/// runs on every core; here their sums show which costs most).
fn phases(path: &Path, text: &str) {
    let mut times: Vec<(&str, Duration)> = Vec::new();
    let mut last = Instant::now();
    let mut lap = |stage: &'static str| {
        times.push((stage, last.elapsed()));
        last = Instant::now();
    };
    let Ok(spec) = generator::load::parse(path, text) else {
        return;
    };
    lap("parse");
    let Ok((api, names)) = generator::build_observed(spec, path, &mut lap) else {
        return;
    };
    let module = generator::emit::Module::new(&api, &names);
    let (mut emit, mut parse, mut print) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for (_, piece) in module.pieces() {
        let started = Instant::now();
        let tokens = module.emit(&piece);
        let emitted = Instant::now();
        let Ok(file) = syn::parse2::<syn::File>(tokens) else {
            return;
        };
        let parsed = Instant::now();
        std::hint::black_box(prettyplease::unparse(&file));
        emit += emitted - started;
        parse += parsed - emitted;
        print += parsed.elapsed();
    }
    times.extend([("emit", emit), ("syn parse", parse), ("prettyplease", print)]);
    let stages: Vec<String> = times
        .iter()
        .map(|(stage, time)| format!("{stage} {} ms", millis(*time)))
        .collect();
    eprintln!(
        "{}: {} ({} types)",
        path.display(),
        stages.join(", "),
        names.types.len()
    );
}

fn millis(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

struct Row {
    name: String,
    cells: Vec<String>,
}

fn measure(name: String, path: &Path, options: &Options, scratch: &Path) -> Row {
    let runs = options.runs;
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return failed(name, &format!("cannot read: {error}")),
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(error) => return failed(name, &format!("not UTF-8: {error}")),
    };
    if options.phases {
        // On a thread with the stack generation itself runs with.
        std::thread::scope(|scope| {
            let thread = std::thread::Builder::new()
                .stack_size(256 * 1024 * 1024)
                .spawn_scoped(scope, || phases(path, text));
            if let Err(error) = thread {
                eprintln!("{name}: no thread for --phases: {error}");
            }
        });
    }
    // A spec the typed parse refuses has no floor; its generation is still timed.
    let (floor_time, floor_result) = median(runs, || floor(path, &bytes));
    let (generate_time, generated) = median(runs, || generator::generate_standalone_text(text, path));
    let generated = match generated {
        Ok(generated) => generated,
        Err(errors) => {
            let first = errors.to_string().lines().next().unwrap_or_default().to_owned();
            return failed(name, &format!("generation refused it: {first}"));
        }
    };
    let out = scratch.join(&name);
    let (write_time, written) = median(runs, || -> Result<(), String> {
        // Into an empty directory each time: every file is created.
        let _ = std::fs::remove_dir_all(&out);
        support::write(&out, &generated.files)
    });
    if let Err(error) = written {
        return failed(name, &format!("writing failed: {error}"));
    }
    let report = &generated.specs[0];
    let lines = generated.rust_lines();
    let ratio = format!("{:.2}", generate_time.as_secs_f64() / floor_time.as_secs_f64());
    let (floor_cell, ratio) = match floor_result {
        Ok(Floor::Typed) => (millis(floor_time), ratio),
        Ok(Floor::Untyped) => (format!("{} (untyped)", millis(floor_time)), ratio),
        Err(error) => {
            eprintln!("{name}: no typed-parse floor: {error}");
            ("n/a".to_owned(), "n/a".to_owned())
        }
    };
    Row {
        name,
        cells: vec![
            format!("{:.1}", bytes.len() as f64 / 1e6),
            report.operations.to_string(),
            report.types.to_string(),
            lines.to_string(),
            floor_cell,
            millis(generate_time),
            ratio,
            millis(write_time),
            report.warnings.len().to_string(),
        ],
    }
}

fn failed(name: String, why: &str) -> Row {
    eprintln!("{name}: {why}");
    Row {
        name,
        cells: vec!["-".into(); 9],
    }
}

fn main() {
    let mut options = Options {
        runs: 5,
        phases: false,
    };
    let specs = support::from_args("corpus", false, |flag, args| {
        match flag {
            "--runs" => options.runs = support::count(flag, args)?,
            "--phases" => options.phases = true,
            _ => return Ok(false),
        }
        Ok(true)
    });
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-bench");
    println!(
        "| spec | MB | operations | types | generated lines | floor ms | generate ms | generate / floor | write ms | warnings |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (name, path) in specs {
        let row = measure(name, &path, &options, &scratch);
        println!("| {} | {} |", row.name, row.cells.join(" | "));
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
