//! Stage 1, continued: a document spread over several files becomes one.
//!
//! Every `$ref` to another file (YAML or JSON, with or without a fragment, relative to the
//! file that holds it) is replaced, and so is every reference inside the parts it brings in:
//!
//! - a schema is copied once into `components/schemas`, under a name of its own (the name it
//!   has in its file, else the file's; on a clash, the file's name is added, then a number:
//!   the ladder every other name takes), and every reference to it points there, so schemas
//!   that refer to each other across files stay one type each, cycles included;
//! - anything else (a path item, parameter, response, request body, header, ...) is copied
//!   where it is referred to, the summary and description written beside the `$ref` kept.
//!
//! Later stages see one document. [`Origins`] remembers what each copy was copied from, so
//! every diagnostic about it names its own file, the pointer in that file and the chain of
//! `$ref`s from the root file that led there.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::error::{Error, JsonPointer, Location, Result, Via};
use crate::load::{Format, parse_raw};
use crate::names::Namespace;

/// Where the copied parts of a bundled document came from.
#[derive(Debug, Default)]
pub struct Origins {
    /// The root file, as reports name it.
    root: PathBuf,
    /// Each copy's pointer in the bundled document, and where it was copied from.
    parts: BTreeMap<JsonPointer, Location>,
}

impl Origins {
    /// Moves `at`, a location in the bundled document, to where it was written: the file,
    /// the pointer in that file and the `$ref`s that lead there. Locations outside every
    /// copy (in the root file as written) stay as they are.
    pub fn relocate(&self, at: &mut Location) {
        if self.parts.is_empty() || at.file != self.root {
            return;
        }
        let mut prefix = at.pointer.clone();
        let mut below = Vec::new();
        loop {
            if let Some(origin) = self.parts.get(&prefix) {
                let pointer = below
                    .iter()
                    .rev()
                    .fold(origin.pointer.clone(), |pointer, token: &String| {
                        pointer.push(token)
                    });
                *at = Location {
                    pointer,
                    ..origin.clone()
                };
                return;
            }
            match prefix.tokens().last() {
                Some(token) => below.push(token),
                None => return,
            }
            prefix = prefix.parent();
        }
    }
}

/// Replaces every reference to another file in `raw`, the root document read from `shown`
/// (as reports name it) at `real` (where files it refers to are read relative to). Returns
/// where the copies came from. Reading the document told whether it `refers_to_other_files`
/// ([`crate::tree::Parsed`]); one that does not is left as it is.
pub fn bundle(raw: &mut Value, refers_to_other_files: bool, shown: &Path, real: &Path) -> Result<Origins> {
    let mut origins = Origins {
        root: shown.to_owned(),
        parts: BTreeMap::new(),
    };
    if !refers_to_other_files {
        return Ok(origins);
    }
    let root = Rc::new(File {
        real: std::fs::canonicalize(real).unwrap_or_else(|_| real.to_owned()),
        shown: shown.to_owned(),
    });
    let taken: Vec<String> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
    let mut bundler = Bundler {
        root: Rc::clone(&root),
        files: HashMap::new(),
        trees: HashMap::new(),
        names: Namespace::with_reserved(&taken),
        schemas: HashMap::new(),
        pending: VecDeque::new(),
        inlining: Vec::new(),
        parts: BTreeMap::new(),
    };
    let place = Place {
        file: root,
        via: Via::default(),
    };
    let here = JsonPointer::root();
    bundler.walk(raw, &place, &here, &here, Slot::Structure { named: false })?;
    let mut hoisted = Map::new();
    while let Some(Hoist { name, target, via }) = bundler.pending.pop_front() {
        let mut schema = bundler.part(&target, &via)?;
        let site = JsonPointer::root().push("components").push("schemas").push(&name);
        let place = Place {
            file: Rc::clone(&target.file),
            via,
        };
        bundler.walk(&mut schema, &place, &target.pointer, &site, Slot::Schema)?;
        bundler.parts.insert(site, place.at(&target.pointer));
        hoisted.insert(name, schema);
    }
    if !hoisted.is_empty() {
        schemas_of(raw).extend(hoisted);
    }
    origins.parts = bundler.parts;
    Ok(origins)
}

/// `components/schemas` of the root document, made where it is missing.
fn schemas_of(raw: &mut Value) -> &mut Map<String, Value> {
    let mut at = raw;
    for key in ["components", "schemas"] {
        let Value::Object(map) = at else {
            unreachable!("the document and its components are objects here")
        };
        let child = map.entry(key).or_insert(Value::Null);
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        at = child;
    }
    match at {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}

/// One file of the document.
#[derive(Debug, PartialEq, Eq)]
struct File {
    /// Where it is read from, canonical, so two spellings of one path are one file.
    real: PathBuf,
    /// As reports name it: the root as given, the others relative to it.
    shown: PathBuf,
}

/// Where the walk is: the file the part being walked was read from, and the `$ref`s that
/// led there from the root file.
struct Place {
    file: Rc<File>,
    via: Via,
}

impl Place {
    fn at(&self, pointer: &JsonPointer) -> Location {
        Location {
            via: self.via.clone(),
            ..Location::new(&self.file.shown, pointer.clone())
        }
    }

    /// The place of a part that the `$ref` at `at` (in this place) brings in from `file`.
    fn enter(&self, file: &Rc<File>, at: &JsonPointer) -> Place {
        Place {
            file: Rc::clone(file),
            via: self.via.then(Location::new(&self.file.shown, at.clone())),
        }
    }
}

/// What a `$ref` names: a file and a pointer in it.
#[derive(Clone)]
struct Target {
    file: Rc<File>,
    pointer: JsonPointer,
}

/// A schema to copy into `components/schemas`, once the walk that named it is done.
struct Hoist {
    name: String,
    target: Target,
    /// The `$ref`s that led to it, the last one naming it.
    via: Via,
}

/// What stands at a point of the walk.
#[derive(Clone, Copy)]
enum Slot {
    Schema,
    /// A map of names to schemas (`components/schemas`, `definitions`).
    Schemas,
    /// Any other spec object; `named` when it is a map of names the author chose.
    Structure {
        named: bool,
    },
}

struct Bundler {
    root: Rc<File>,
    /// Every file read, by its canonical path.
    files: HashMap<PathBuf, Rc<File>>,
    trees: HashMap<PathBuf, Value>,
    /// The component schema keys, the root's own included.
    names: Namespace,
    /// The key each copied schema took, by file and pointer.
    schemas: HashMap<(PathBuf, JsonPointer), String>,
    pending: VecDeque<Hoist>,
    /// The parts being copied in place, to refuse one that contains itself.
    inlining: Vec<(Rc<File>, JsonPointer)>,
    parts: BTreeMap<JsonPointer, Location>,
}

impl Bundler {
    /// Walks `value`, read from `place` at `from` and standing at `site` in the bundled
    /// document, replacing the references it holds.
    fn walk(
        &mut self,
        value: &mut Value,
        place: &Place,
        from: &JsonPointer,
        site: &JsonPointer,
        slot: Slot,
    ) -> Result<()> {
        let named = matches!(slot, Slot::Schemas | Slot::Structure { named: true });
        match value {
            Value::Object(map) if !named && matches!(map.get("$ref"), Some(Value::String(_))) => {
                self.reference(value, place, from, site, matches!(slot, Slot::Schema))
            }
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let Some(child_slot) = child_slot(slot, key, child) else {
                        continue;
                    };
                    let (from, site) = (from.push(key), site.push(key));
                    if key == "discriminator" {
                        self.mapping(child, place, &from)?;
                    } else if let (Slot::Schema, Value::Array(items)) = (child_slot, &mut *child) {
                        for (index, item) in items.iter_mut().enumerate() {
                            let index = index.to_string();
                            self.walk(item, place, &from.push(&index), &site.push(&index), Slot::Schema)?;
                        }
                    } else {
                        self.walk(child, place, &from, &site, child_slot)?;
                    }
                }
                Ok(())
            }
            Value::Array(items) if matches!(slot, Slot::Structure { .. }) => {
                for (index, item) in items.iter_mut().enumerate() {
                    let index = index.to_string();
                    let (from, site) = (from.push(&index), site.push(&index));
                    self.walk(item, place, &from, &site, Slot::Structure { named: false })?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Replaces the reference object `value`: a schema by a reference to its copy in
    /// `components/schemas`, anything else by a copy of what it names.
    fn reference(
        &mut self,
        value: &mut Value,
        place: &Place,
        from: &JsonPointer,
        site: &JsonPointer,
        schema: bool,
    ) -> Result<()> {
        let Value::Object(map) = value else {
            return Ok(());
        };
        let at = from.push("$ref");
        let Some(Value::String(text)) = map.get("$ref").cloned() else {
            return Ok(());
        };
        if place.file == self.root && text.starts_with('#') {
            return Ok(());
        }
        let target = self.target(&text, place, &at)?;
        if target.file == self.root {
            map.insert("$ref".into(), Value::String(target.pointer.to_string()));
        } else if schema {
            let name = self.schema_name(target, place.enter(&place.file, &at).via);
            map.insert("$ref".into(), Value::String(schema_ref(&name)));
        } else {
            let key = (Rc::clone(&target.file), target.pointer.clone());
            if self.inlining.contains(&key) {
                let chain = self
                    .inlining
                    .iter()
                    .chain([&key])
                    .map(|(file, pointer)| format!("{} {pointer}", file.shown.display()));
                return Err(Error::RefCycle {
                    at: place.at(&at),
                    chain: chain.collect::<Vec<_>>().join(" -> "),
                });
            }
            let inner = place.enter(&target.file, &at);
            let mut part = self.part(&target, &inner.via)?;
            self.inlining.push(key);
            self.walk(
                &mut part,
                &inner,
                &target.pointer,
                site,
                Slot::Structure { named: false },
            )?;
            self.inlining.pop();
            if let Value::Object(copy) = &mut part {
                for key in ["summary", "description"] {
                    if let Some(beside) = map.get(key) {
                        copy.insert(key.into(), beside.clone());
                    }
                }
            }
            // A chain of references keeps where its last link led.
            self.parts
                .entry(site.clone())
                .or_insert_with(|| inner.at(&target.pointer));
            *value = part;
        }
        Ok(())
    }

    /// Points the discriminator's mapping values that name schemas in other files (or, in
    /// another file, in that file) at their copies; bare schema names stay as written.
    fn mapping(&mut self, discriminator: &mut Value, place: &Place, from: &JsonPointer) -> Result<()> {
        let Some(Value::Object(mapping)) = discriminator.get_mut("mapping") else {
            return Ok(());
        };
        let from = from.push("mapping");
        for (tag, value) in mapping.iter_mut() {
            let Value::String(text) = value else { continue };
            let local = text.starts_with('#') && place.file == self.root;
            let bare =
                !text.contains(['#', '/']) && ![".yaml", ".yml", ".json"].iter().any(|e| text.ends_with(e));
            if local || bare {
                continue;
            }
            let at = from.push(tag);
            let target = self.target(text, place, &at)?;
            *text = if target.file == self.root {
                target.pointer.to_string()
            } else {
                schema_ref(&self.schema_name(target, place.enter(&place.file, &at).via))
            };
        }
        Ok(())
    }

    /// The key in `components/schemas` of the schema at `target`, claimed on first sight.
    fn schema_name(&mut self, target: Target, via: Via) -> String {
        let key = (target.file.real.clone(), target.pointer.clone());
        if let Some(name) = self.schemas.get(&key) {
            return name.clone();
        }
        let stem = stem(&target.file.shown);
        let name = self.names.claim(&base_name(&target.pointer, &stem), &stem);
        self.schemas.insert(key, name.clone());
        self.pending.push_back(Hoist {
            name: name.clone(),
            target,
            via,
        });
        name
    }

    /// The file and pointer the reference `text`, written in `place` at `at`, names.
    fn target(&mut self, text: &str, place: &Place, at: &JsonPointer) -> Result<Target> {
        let (path, fragment) = text.split_once('#').unwrap_or((text, ""));
        let remote = path.starts_with("//") || path.contains("://") || path.starts_with("urn:");
        if remote {
            let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("part.yaml");
            let fragment = if fragment.is_empty() {
                String::new()
            } else {
                format!("#{fragment}")
            };
            return Err(Error::Unsupported {
                at: place.at(at),
                what: format!("a reference to a remote document, `{text}`"),
                help: format!(
                    "the generator reads no network: download the document next to the file \
                     that refers to it (`curl -o {name} {path}`) and write `$ref: {name}{fragment}`"
                ),
            });
        }
        let Some(pointer) = JsonPointer::from_fragment(&format!("#{fragment}")) else {
            return Err(Error::Unsupported {
                at: place.at(at),
                what: format!("the reference `{text}`, whose fragment is not a JSON pointer"),
                help: "write the fragment as a JSON pointer, such as `#/components/schemas/Pet`".into(),
            });
        };
        if path.is_empty() {
            let file = Rc::clone(&place.file);
            return Ok(Target { file, pointer });
        }
        let relative = crate::error::percent_decode(path);
        let beside = |file: &Path| file.parent().unwrap_or(Path::new("")).join(&relative);
        let shown = normal(&beside(&place.file.shown));
        let real = std::fs::canonicalize(beside(&place.file.real)).map_err(|source| Error::RefFile {
            at: place.at(at),
            file: shown.clone(),
            source,
        })?;
        let file = match self.files.get(&real) {
            Some(file) => Rc::clone(file),
            None if real == self.root.real => Rc::clone(&self.root),
            None => {
                let file = Rc::new(File {
                    real: real.clone(),
                    shown,
                });
                self.files.insert(real, Rc::clone(&file));
                file
            }
        };
        Ok(Target { file, pointer })
    }

    /// A copy of the part `target` names, reading its file on first use; `via` leads there.
    fn part(&mut self, target: &Target, via: &Via) -> Result<Value> {
        let file = &target.file;
        if !self.trees.contains_key(&file.real) {
            let located = |mut error: Error| {
                if let Some(at) = error.location_mut() {
                    at.via = via.clone();
                }
                error
            };
            let text = std::fs::read_to_string(&file.real).map_err(|source| {
                located(Error::RefFile {
                    at: Location::new(&file.shown, JsonPointer::root()),
                    file: file.shown.clone(),
                    source,
                })
            })?;
            let tree = parse_raw(&file.shown, &text, Format::of(&file.real))
                .map_err(located)?
                .value;
            self.trees.insert(file.real.clone(), tree);
        }
        match self.trees[&file.real].pointer(target.pointer.as_str()) {
            Some(part) => Ok(part.clone()),
            None => {
                let at = match via.split_last() {
                    Some((before, last)) => Location {
                        via: before,
                        ..last.clone()
                    },
                    None => Location::new(&file.shown, target.pointer.clone()),
                };
                Err(Error::DanglingRef {
                    at,
                    target: format!("{}{}", file.shown.display(), target.pointer),
                })
            }
        }
    }
}

/// What stands under `key` of an object in `slot`, if it can hold references.
fn child_slot(slot: Slot, key: &str, child: &Value) -> Option<Slot> {
    match slot {
        Slot::Schema => match key {
            "items"
            | "not"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "prefixItems" => Some(Slot::Schema),
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                child.is_object().then_some(Slot::Schemas)
            }
            // Data holds no references; any other keyword is walked as spec structure, so
            // that no reference to another file is left behind.
            _ => crate::tree::child_kind(key, false).map(|named| Slot::Structure { named }),
        },
        Slot::Schemas => Some(Slot::Schema),
        Slot::Structure { named } => {
            let names = crate::tree::child_kind(key, named)?;
            Some(match key {
                "schema" if !named => Slot::Schema,
                "schemas" | "definitions" | "$defs" if !named => Slot::Schemas,
                _ => Slot::Structure { named: names },
            })
        }
    }
}

/// The reference to the component schema `name`.
fn schema_ref(name: &str) -> String {
    JsonPointer::root()
        .push("components")
        .push("schemas")
        .push(name)
        .to_string()
}

/// A file's name without its directory or extensions: `Pet` for `schemas/Pet.v2.yaml`.
fn stem(file: &Path) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.split('.').next().unwrap_or_default().to_owned()
}

/// The name a schema copied from `pointer` of a file named `stem` asks for: its name in
/// that file's schemas and the names of the properties down to it, else the file's name.
fn base_name(pointer: &JsonPointer, stem: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "components",
        "schemas",
        "definitions",
        "$defs",
        "properties",
        "patternProperties",
        "additionalProperties",
        "items",
        "prefixItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
    ];
    let words: Vec<String> = pointer
        .tokens()
        .filter(|t| !KEYWORDS.contains(&t.as_str()))
        .collect();
    if words.is_empty() {
        stem.to_owned()
    } else {
        words.join("_")
    }
}

/// `path` with `.` and `dir/..` steps taken out, without touching the file system.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{base_name, normal, stem};
    use crate::error::JsonPointer;

    fn pointer(text: &str) -> JsonPointer {
        JsonPointer::from_fragment(text).expect("a fragment")
    }

    #[test]
    fn a_copied_schema_is_named_by_its_place_in_its_file_else_by_the_file() {
        assert_eq!(base_name(&pointer("#/components/schemas/Pet"), "common"), "Pet");
        assert_eq!(base_name(&pointer("#/definitions/Pet"), "common"), "Pet");
        assert_eq!(
            base_name(
                &pointer("#/components/schemas/Pet/properties/owner/properties/id"),
                "common"
            ),
            "Pet_owner_id"
        );
        assert_eq!(base_name(&pointer("#"), "pet"), "pet");
        assert_eq!(stem(Path::new("schemas/Pet.v2.yaml")), "Pet");
    }

    #[test]
    fn paths_are_shown_without_dot_steps() {
        assert_eq!(
            normal(Path::new("specs/./a/../b/c.yaml")),
            Path::new("specs/b/c.yaml")
        );
        assert_eq!(normal(Path::new("../x/../y.yaml")), Path::new("../y.yaml"));
    }
}
