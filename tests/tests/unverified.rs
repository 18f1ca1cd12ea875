//! `specs/UNVERIFIED.md`, the checklist for the first sandbox call, lists exactly the places
//! the specs mark `[inferred]` or `[contested]`, each by a JSON pointer that exists; and an
//! operation with a mark in its own part of the spec (its path item or operation) says so
//! first in its docs (`x-unverified`). Marks on shared components (a schema, a response
//! every call refers to) are in the checklist only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

const SPECS: [&str; 3] = ["cegid.yaml", "lagerkoll.yaml", "lucca.yaml"];
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .join("specs")
}

fn read(name: &str) -> String {
    let path = specs_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key a block-mapping line opens, unquoted, and the text after its colon.
fn key_of(text: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(quoted) = text.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        (&quoted[..end], quoted[end + 1..].strip_prefix(':')?)
    } else {
        let colon = text.find(": ").or_else(|| text.strip_suffix(':').map(str::len))?;
        (&text[..colon], &text[colon + 1..])
    };
    (!key.is_empty() && !key.starts_with(['#', '{', '['])).then(|| (key.to_owned(), rest.trim()))
}

/// The JSON pointer of every line of a block-style YAML document that carries `[inferred]`
/// or `[contested]`: the node the line opens, or for a comment on a line of its own the
/// mapping it sits in. Comments before the first key (the file's header) are about the
/// convention, not a place.
fn marked_pointers(yaml: &str) -> BTreeSet<String> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut items: BTreeMap<(String, usize), usize> = BTreeMap::new();
    let mut block_scalar: Option<usize> = None;
    let mut marks = BTreeSet::new();
    let path = |stack: &[(usize, String)], below: usize| -> String {
        stack
            .iter()
            .filter(|(at, _)| *at < below)
            .map(|(_, segment)| format!("/{segment}"))
            .collect()
    };
    for line in yaml.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let at = indent(line);
        if let Some(scalar) = block_scalar {
            if at > scalar {
                continue;
            }
            block_scalar = None;
        }
        let marked = line.contains("[inferred]") || line.contains("[contested]");
        let mut text = line.trim();
        if !text.starts_with('#') {
            // A comment after the value is not part of it.
            text = text.split(" #").next().unwrap_or_default().trim_end();
        }
        if text.starts_with('#') {
            if marked && !stack.is_empty() {
                marks.insert(path(&stack, at));
            }
            continue;
        }
        while stack.last().is_some_and(|(open, _)| *open >= at) {
            stack.pop();
        }
        let mut key_at = at;
        if let Some(item) = text.strip_prefix("- ") {
            let counter = items.entry((path(&stack, at), at)).or_default();
            stack.push((at, counter.to_string()));
            *counter += 1;
            text = item.trim_start();
            key_at = at + 2;
        }
        if let Some((key, rest)) = key_of(text) {
            stack.push((key_at, escape(&key)));
            if rest.starts_with(['|', '>']) {
                block_scalar = Some(key_at);
            }
        }
        if marked {
            marks.insert(path(&stack, usize::MAX));
        }
    }
    marks
}

/// The checklist's entries, by spec file: the pointer in backticks of each `- [ ]` line
/// under a `## <file>` heading.
fn checklist() -> BTreeMap<String, BTreeSet<String>> {
    let mut entries: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut file = None;
    for line in read("UNVERIFIED.md").lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            file = heading.split(':').next().map(str::to_owned);
        } else if let Some(entry) = line.strip_prefix("- [ ] `#") {
            let file = file.clone().expect("an entry sits under a spec's heading");
            let pointer = entry.split('`').next().unwrap_or_default().to_owned();
            assert!(
                entries.entry(file.clone()).or_default().insert(pointer.clone()),
                "{file}#{pointer} is listed twice"
            );
        }
    }
    entries
}

#[test]
fn the_checklist_lists_exactly_the_marked_places_of_each_spec() {
    let listed = checklist();
    let mut failures = Vec::new();
    for spec in SPECS {
        let marked = marked_pointers(&read(spec));
        let entries = listed.get(spec).cloned().unwrap_or_default();
        for pointer in marked.difference(&entries) {
            failures.push(format!("{spec}#{pointer} is marked but not in the checklist"));
        }
        for pointer in entries.difference(&marked) {
            failures.push(format!("{spec}#{pointer} is in the checklist but not marked"));
        }
        let document: Value = serde_yaml::from_str(&read(spec)).expect("the spec is YAML");
        for pointer in &entries {
            if document.pointer(pointer).is_none() {
                failures.push(format!("{spec}#{pointer} names nothing in the spec"));
            }
        }
    }
    assert!(
        listed.keys().all(|file| SPECS.contains(&file.as_str())),
        "{listed:?}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_operation_with_a_mark_of_its_own_says_so_first_in_its_docs() {
    let mut failures = Vec::new();
    for spec in SPECS {
        let marked = marked_pointers(&read(spec));
        let document: Value = serde_yaml::from_str(&read(spec)).expect("the spec is YAML");
        let paths = document["paths"].as_object().expect("the spec has paths");
        for (path, item) in paths {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let pointer = format!("/paths/{}/{method}", escape(path));
                let whole_path = format!("/paths/{}", escape(path));
                let rests = marked
                    .iter()
                    .any(|mark| *mark == whole_path || mark.starts_with(&pointer));
                if rests && !operation.get("x-unverified").is_some_and(Value::is_string) {
                    failures.push(format!(
                        "{spec}#{pointer} rests on a mark but has no x-unverified"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn marks_are_found_where_the_yaml_puts_them() {
    let yaml = "\
# a header that names [inferred] is not a place
info:
  version: v1 # [inferred]
paths:
  /a/{id}:
    get:
      description: |
        text with [inferred] in a block is
        still the description's
      parameters:
        - name: id # [inferred]: a colon in a comment
        - Week # [inferred]: a scalar item
        - name: other
          schema:
            type: integer # [contested]
      # about get's responses [inferred]
      responses:
        '200': # [inferred]
          description: ok
";
    let expected = [
        "/info/version",
        "/paths/~1a~1{id}/get",
        "/paths/~1a~1{id}/get/parameters/0/name",
        "/paths/~1a~1{id}/get/parameters/1",
        "/paths/~1a~1{id}/get/parameters/2/schema/type",
        "/paths/~1a~1{id}/get/responses/200",
    ];
    let found = marked_pointers(yaml);
    assert_eq!(found.iter().map(String::as_str).collect::<Vec<_>>(), expected);
}
