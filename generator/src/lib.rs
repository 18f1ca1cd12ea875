//! OpenAPI 3.0 to Rust: typed models and async clients.
//!
//! The pipeline, one module per stage: [`load`] (read, parse, check the version; a document
//! spread over files made one by [`bundle`]; 3.1 through [`openapi31`]; defects with one
//! faithful reading mended by [`repair`]) ->
//! [`resolve`] (check every `$ref`) -> [`lower`] (into the typed [`ir`]) -> [`shapes`] (one
//! definition per shape) -> [`cycles`] (box what recursion needs) -> [`names`] (every
//! identifier, once) -> [`emit`] (tokens) -> [`format`] (source text, on every core) ->
//! [`write`] (only what changed). This file only sequences them; [`parallel`] is where
//! threads are started.

pub mod bundle;
pub mod cli;
pub mod cycles;
pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod names;
pub mod openapi31;
pub mod parallel;
pub mod repair;
pub mod resolve;
pub mod runtime;
pub mod sample;
pub mod shapes;
pub mod tree;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use emit::CrateKind;
pub use error::{Error, Errors};

/// The directory of specs, relative to the workspace root.
pub const SPECS_DIR: &str = "specs";
/// The generated crate, relative to the workspace root.
pub const GENERATED_DIR: &str = "generated";

/// What one spec produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecReport {
    pub source: String,
    pub module: String,
    pub types: usize,
    pub operations: usize,
    /// How its bodies are typed, and which are left as bytes.
    pub bodies: ir::Census,
    /// The files of its module, relative to the crate root.
    pub files: Vec<String>,
    /// Fallbacks taken where the spec could not be followed exactly.
    pub warnings: Vec<error::Warning>,
}

/// Everything a run generates, in memory: nothing is written until every spec succeeded.
#[derive(Debug)]
pub struct Generated {
    pub specs: Vec<SpecReport>,
    pub files: write::Files,
}

impl Generated {
    /// Lines of Rust generated, the size the corpus table reports.
    pub fn rust_lines(&self) -> usize {
        self.files
            .iter()
            .filter(|(path, _)| path.ends_with(".rs"))
            .map(|(_, text)| text.lines().count())
            .sum()
    }
}

/// One spec through every stage up to naming. `file` is read; `source` names it in errors
/// and in the generated code.
pub fn build(file: &Path, source: &Path) -> Result<(ir::Api, names::Names), Errors> {
    build_spec(load::load(file, source)?, source)
}

fn build_spec(spec: load::Spec, source: &Path) -> Result<(ir::Api, names::Names), Errors> {
    build_observed(spec, source, &mut |_| {})
}

/// The stages after loading, up to naming, in order; `done` is told the name of each stage
/// as it finishes (the corpus benchmark's `--phases` times them).
pub fn build_observed(
    spec: load::Spec,
    source: &Path,
    done: &mut dyn FnMut(&'static str),
) -> Result<(ir::Api, names::Names), Errors> {
    build_stages(spec, source, false, done)
}

fn build_stages(
    spec: load::Spec,
    source: &Path,
    calls: bool,
    done: &mut dyn FnMut(&'static str),
) -> Result<(ir::Api, names::Names), Errors> {
    let relocated = |Errors(mut errors): Errors| {
        for at in errors.iter_mut().filter_map(Error::location_mut) {
            spec.origins.relocate(at);
        }
        Errors(errors)
    };
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The reference check's errors come first: with them, lowering's are not reported.
    let (dangling, lowered) = parallel::join(|| resolve::check_refs(&spec), || lower::lower(&spec, &stem));
    let dangling = dangling.map_err(relocated)?;
    let mut api = lowered.map_err(relocated)?.with_dangling(&spec, &dangling);
    for warning in &mut api.warnings {
        spec.origins.relocate(&mut warning.at);
    }
    done("resolve and lower");
    if calls {
        api.calls = Some(sample::plan(&spec, &api));
    }
    let names = parallel::drop_beside(spec, || {
        shapes::share(&mut api);
        cycles::break_cycles(&mut api);
        names::assign(&api)
    });
    done("shapes, cycles and names");
    Ok((api, names))
}

/// The spec files of a directory, sorted by name.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Read {
                path: dir.to_owned(),
                source,
            })?
            .path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["yaml", "yml", "json"].contains(&e.to_ascii_lowercase().as_str()));
        if is_spec && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::NoSpecs { dir: dir.to_owned() });
    }
    Ok(files)
}

/// Generates the committed crate from every spec under `root/specs`.
pub fn generate_workspace(root: &Path) -> Result<Generated, Errors> {
    parallel::with_stack(|| workspace(root))
}

fn workspace(root: &Path) -> Result<Generated, Errors> {
    let specs = spec_files(&root.join(SPECS_DIR))?;
    let mut built = Vec::new();
    let mut errors = Vec::new();
    for file in &specs {
        let source = Path::new(SPECS_DIR).join(file.file_name().unwrap_or_default());
        match build(file, &source) {
            Ok(result) => built.push(result),
            Err(Errors(mut found)) => errors.append(&mut found),
        }
    }
    errors.extend(module_collisions(&built));
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    assemble(&CrateKind::Workspace, &built)
}

/// The changes of the generated API from the specs at git revision `rev` to those of the
/// working tree under `root` (`generator --diff REV`).
pub fn diff_workspace(root: &Path, rev: &str) -> Result<Vec<diff::Change>, Errors> {
    let before = diff::git::specs_at(root, rev)?;
    parallel::with_stack(|| {
        let built = |dir: &Path| -> Result<Vec<(ir::Api, names::Names)>, Errors> {
            let files = match spec_files(&dir.join(SPECS_DIR)) {
                Ok(files) => files,
                Err(Error::NoSpecs { .. }) => Vec::new(),
                Err(error) => return Err(error.into()),
            };
            files
                .iter()
                .map(|file| {
                    build(
                        file,
                        &Path::new(SPECS_DIR).join(file.file_name().unwrap_or_default()),
                    )
                })
                .collect()
        };
        Ok(diff::diff(&built(&before.dir)?, &built(root)?))
    })
}

/// Generates a crate of its own for one spec (`generator SPEC --out DIR`).
pub fn generate_standalone(spec: &Path) -> Result<Generated, Errors> {
    parallel::with_stack(|| standalone(spec))
}

/// [`generate_standalone`] from spec text in memory; `source` names the spec and decides
/// between JSON and YAML by its extension.
pub fn generate_standalone_text(text: &str, source: &Path) -> Result<Generated, Errors> {
    parallel::with_stack(|| {
        let built = build_spec(load::parse(source, text)?, source)?;
        standalone_crate(built)
    })
}

/// One crate named `package` of its own (outside any workspace) with a module for each of
/// `built`, the specs [`build`] returned; their module names must differ.
pub fn generate_crate(package: &str, built: &[(ir::Api, names::Names)]) -> Result<Generated, Errors> {
    let collisions = module_collisions(built);
    if !collisions.is_empty() {
        return Err(Errors(collisions));
    }
    parallel::with_stack(|| assemble(&CrateKind::Standalone { package }, built))
}

/// An error for each spec whose module name an earlier one took.
fn module_collisions(built: &[(ir::Api, names::Names)]) -> Vec<Error> {
    let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
    let mut errors = Vec::new();
    for (api, names) in built {
        if let Some(first) = modules.insert(&names.module, &api.source) {
            errors.push(Error::ModuleCollision {
                module: names.module.clone(),
                first: first.into(),
                second: api.source.clone().into(),
            });
        }
    }
    errors
}

fn standalone(spec: &Path) -> Result<Generated, Errors> {
    standalone_crate(build(spec, spec)?)
}

/// [`generate_standalone_text`], with a conformance program: `examples/conformance.rs`
/// calls every operation with arguments the spec allows (see [`sample::plan`]) and reports
/// each outcome (`generator SPEC --out DIR --conformance`).
pub fn generate_conformance(text: &str, source: &Path) -> Result<Generated, Errors> {
    parallel::with_stack(|| {
        let built = build_stages(load::parse(source, text)?, source, true, &mut |_| {})?;
        standalone_crate(built)
    })
}

fn standalone_crate(built: (ir::Api, names::Names)) -> Result<Generated, Errors> {
    let package = heck::ToKebabCase::to_kebab_case(names::unraw(&built.1.module));
    assemble(&CrateKind::Standalone { package: &package }, &[built])
}

fn assemble(kind: &CrateKind<'_>, built: &[(ir::Api, names::Names)]) -> Result<Generated, Errors> {
    let mut files = write::Files::new();
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    // What each API uses of the runtime, under its feature where it has one.
    let mut apis: Vec<(String, runtime::Uses)> = Vec::new();
    for (api, names) in built {
        let module = emit::Module::new(api, names);
        let feature = names::unraw(&names.module).to_owned();
        apis.push((feature, runtime::Uses::of(api, module.validates())));
        let pieces = module.pieces();
        let texts = parallel::in_parallel(&pieces, |(path, piece)| format::body(module.emit(piece), path));
        let mut paths: Vec<String> = Vec::new();
        for ((path, _), text) in pieces.iter().zip(texts) {
            match text {
                Ok(text) => {
                    if paths.last() != Some(path) {
                        paths.push(path.clone());
                        files.insert(path.clone(), format::header(&api.source));
                    }
                    files.entry(path.clone()).or_default().push_str(&text);
                }
                Err(error) => errors.push(error),
            }
        }
        specs.push(SpecReport {
            source: api.source.clone(),
            module: names.module.clone(),
            types: api.types.len(),
            operations: api.operations.len(),
            bodies: ir::Census::of(api),
            files: paths,
            warnings: api.warnings.clone(),
        });
    }
    let modules: Vec<(String, String)> = built
        .iter()
        .map(|(api, names)| (names.module.clone(), api.title.clone()))
        .collect();
    let mut uses = runtime::Uses::default();
    for (_, used) in &apis {
        uses.merge(used);
    }
    if matches!(kind, CrateKind::Standalone { .. }) {
        apis.clear();
    }
    for part in uses.parts() {
        let text = format!("{}{}\n", format::header(&part.source_path()), part.text());
        files.insert(part.path(), text);
    }
    let common = emit::common(&uses, &apis);
    match format::format(&common, "the specs") {
        Ok(text) => {
            files.insert(common.path, text);
        }
        Err(error) => errors.push(error),
    }
    if let CrateKind::Standalone { package } = kind {
        for (api, names) in built {
            let Some(tokens) = emit::conformance::program(api, names, package) else {
                continue;
            };
            let program = emit::RustFile {
                path: emit::conformance::PATH.into(),
                tokens,
            };
            match format::format(&program, &api.source) {
                Ok(text) => {
                    files.insert(program.path, text);
                }
                Err(error) => errors.push(error),
            }
        }
    }
    let lib = emit::lib(kind, &modules);
    let sources: Vec<&str> = built.iter().map(|(api, _)| api.source.as_str()).collect();
    match format::format(&lib, &sources.join(", ")) {
        Ok(text) => {
            files.insert(lib.path, text);
        }
        Err(error) => errors.push(error),
    }
    files.insert("Cargo.toml".into(), emit::manifest(kind, &modules, &uses));
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    Ok(Generated { specs, files })
}
