//! The change of the generated public API between two versions of the specs, item by item,
//! each with its spec location, the Rust item and its class for callers ([`classes`]).

pub mod classes;
pub mod git;
mod report;
mod types;

pub use report::report;

use std::collections::BTreeMap;

use crate::error::JsonPointer;
use crate::ir::{Api, Encoding, Operation, TypeRef};
use crate::names::Names;
use classes::{Class, Kind, Usage, verdict};

/// One change of the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The spec file (as the new version names it) and the pointer of the changed part.
    pub source: String,
    pub at: JsonPointer,
    /// The Rust item, from the module down (`lucca::models::Purchase::title`).
    pub item: String,
    pub kind: Kind,
    /// What changed, in words.
    pub what: String,
    pub class: Class,
    /// Why the change has its class, in words.
    pub why: &'static str,
}

/// The changes from `old` to `new`, each a list of specs built to names; modules are
/// matched by name.
pub fn diff(old: &[(Api, Names)], new: &[(Api, Names)]) -> Vec<Change> {
    let mut changes = Vec::new();
    let old_modules: BTreeMap<&str, &(Api, Names)> = old.iter().map(|m| (m.1.module.as_str(), m)).collect();
    let whole = |(api, names): &(Api, Names), kind, what| {
        Change::new(
            &api.source,
            &JsonPointer::root(),
            names.module.clone(),
            kind,
            Usage::default(),
            what,
        )
    };
    for module in new {
        match old_modules.get(module.1.module.as_str()) {
            Some(before) => Side::compare(before, module, &mut changes),
            None => changes.push(whole(
                module,
                Kind::ModuleAdded,
                format!("module `{}` added", module.1.module),
            )),
        }
    }
    for (name, module) in &old_modules {
        if !new.iter().any(|m| m.1.module == *name) {
            changes.push(whole(
                module,
                Kind::ModuleRemoved,
                format!("module `{name}` removed"),
            ));
        }
    }
    changes
}

impl Change {
    /// A change of `kind` to `item`, used as `usage` says, with its class and why.
    fn new(source: &str, at: &JsonPointer, item: String, kind: Kind, usage: Usage, what: String) -> Self {
        let (class, why) = verdict(kind, usage);
        Change {
            source: source.to_owned(),
            at: at.clone(),
            item,
            kind,
            what,
            class,
            why,
        }
    }
}

/// One version of one module, with what its types are used for.
struct Side<'a> {
    api: &'a Api,
    names: &'a Names,
    usage: Vec<Usage>,
}

impl<'a> Side<'a> {
    fn new((api, names): &'a (Api, Names)) -> Self {
        Self {
            api,
            names,
            usage: usage(api),
        }
    }

    /// The Rust text of `ty` in this version (names, not ids, so versions compare).
    fn text(&self, ty: &TypeRef) -> String {
        crate::emit::type_text(self.names, ty)
    }

    fn compare(old: &'a (Api, Names), new: &'a (Api, Names), changes: &mut Vec<Change>) {
        let (old, new) = (Side::new(old), Side::new(new));
        let mut out = Out {
            source: &new.api.source,
            module: &new.names.module,
            changes,
        };
        if old.api.quota != new.api.quota {
            let text = |quota: Option<crate::ir::Quota>| match quota {
                Some(q) => format!("{} calls per {} s", q.requests, q.millis as f64 / 1000.0),
                None => "none".to_owned(),
            };
            let what = format!(
                "the clients' quota is {} (was {})",
                text(new.api.quota),
                text(old.api.quota)
            );
            let at = JsonPointer::root().push("x-rate-limit");
            out.push(&at, "Client", Kind::QuotaChanged, Usage::default(), what);
        }
        operations(&old, &new, &mut out);
        types::types(&old, &new, &mut out);
    }
}

/// Where changes are written, for one module.
struct Out<'a> {
    source: &'a str,
    module: &'a str,
    changes: &'a mut Vec<Change>,
}

impl Out<'_> {
    fn push(&mut self, at: &JsonPointer, item: &str, kind: Kind, usage: Usage, what: String) {
        let item = format!("{}::{item}", self.module);
        self.changes
            .push(Change::new(self.source, at, item, kind, usage, what));
    }
}

/// Which types callers build (reachable from parameters and request bodies) and read
/// (reachable from responses).
fn usage(api: &Api) -> Vec<Usage> {
    let mut usage = vec![Usage::default(); api.types.len()];
    let mut mark = |roots: Vec<&TypeRef>, built: bool| {
        let mut stack: Vec<&TypeRef> = roots;
        let mut seen = vec![false; api.types.len()];
        while let Some(ty) = stack.pop() {
            for layer in ty.layers() {
                if let TypeRef::Named(id) = layer {
                    if !std::mem::replace(&mut seen[id.0], true) {
                        let entry = &mut usage[id.0];
                        if built {
                            entry.built = true
                        } else {
                            entry.read = true
                        }
                        stack.extend(api.types[id.0].kind.children());
                    }
                }
            }
        }
    };
    let built: Vec<&TypeRef> = api
        .operations
        .iter()
        .flat_map(|op| {
            op.params
                .iter()
                .map(|p| &p.ty)
                .chain(op.body.iter().flat_map(crate::ir::Body::types))
        })
        .collect();
    mark(built, true);
    let read: Vec<&TypeRef> = api
        .operations
        .iter()
        .flat_map(|op| op.responses.iter().chain(&op.default))
        .flat_map(crate::ir::Response::types)
        .collect();
    mark(read, false);
    usage
}

fn operations(old: &Side<'_>, new: &Side<'_>, out: &mut Out<'_>) {
    let method = |side: &Side<'_>, index: usize| side.names.ops[index].method.clone();
    let by_id = |side: &Side<'_>| -> BTreeMap<String, usize> {
        side.api
            .operations
            .iter()
            .enumerate()
            .map(|(i, op)| (op.id.clone(), i))
            .collect()
    };
    let (before, after) = (by_id(old), by_id(new));
    let none = Usage::default();
    for (id, &index) in &after {
        let op = &new.api.operations[index];
        let item = format!("Client::{}", method(new, index));
        let Some(&was) = before.get(id) else {
            let what = format!("operation `{id}` added: {} {}", op.method.as_str(), op.path);
            out.push(&op.origin, &item, Kind::OperationAdded, none, what);
            continue;
        };
        let prev = &old.api.operations[was];
        if (prev.method, &prev.path) != (op.method, &op.path) {
            let what = format!(
                "`{id}` now calls {} {} (was {} {})",
                op.method.as_str(),
                op.path,
                prev.method.as_str(),
                prev.path
            );
            out.push(&op.origin, &item, Kind::OperationMoved, none, what);
        }
        parameters(old, new, prev, op, &item, out);
        bodies(old, new, prev, op, &item, out);
        if return_text(old, prev) != return_text(new, op) {
            let what = format!(
                "`{id}` returns `{}` (was `{}`)",
                return_text(new, op),
                return_text(old, prev)
            );
            out.push(
                &op.origin.push("responses"),
                &item,
                Kind::ReturnChanged,
                none,
                what,
            );
        }
        let statuses = |o: &Operation| -> Vec<u16> { o.responses.iter().map(|r| r.status).collect() };
        let (was_statuses, statuses) = (statuses(prev), statuses(op));
        for status in statuses.iter().filter(|s| !was_statuses.contains(s)) {
            let what = format!("`{id}` documents status {status}");
            out.push(
                &op.origin.push("responses").push(status.to_string()),
                &item,
                Kind::StatusAdded,
                none,
                what,
            );
        }
        for status in was_statuses.iter().filter(|s| !statuses.contains(s)) {
            let what = format!("`{id}` no longer documents status {status}");
            out.push(
                &op.origin.push("responses"),
                &item,
                Kind::StatusRemoved,
                none,
                what,
            );
        }
        if prev.requirements != op.requirements {
            let what = format!("`{id}` presents other credentials");
            out.push(&op.origin.push("security"), &item, Kind::AuthChanged, none, what);
        }
        docs(&prev.docs, &op.docs, &op.origin, &item, none, out);
    }
    for (id, &index) in &before {
        if !after.contains_key(id) {
            let op = &old.api.operations[index];
            let item = format!("Client::{}", method(old, index));
            let what = format!("operation `{id}` removed: {} {}", op.method.as_str(), op.path);
            out.push(&op.origin, &item, Kind::OperationRemoved, Usage::default(), what);
        }
    }
}

/// The Rust text of what an operation returns on success.
fn return_text(side: &Side<'_>, op: &Operation) -> String {
    let successes = op.success_responses();
    let bodies: Vec<String> = successes
        .iter()
        .map(|r| match &r.body {
            Some(Encoding::Json(ty)) => side.text(ty),
            Some(Encoding::Text) => "String".to_owned(),
            Some(Encoding::Bytes) => "ByteStream".to_owned(),
            Some(_) => "Vec<u8>".to_owned(),
            None => "()".to_owned(),
        })
        .collect();
    match bodies.as_slice() {
        [] => "()".to_owned(),
        [one] => one.clone(),
        several => format!("one of {}", several.join(", ")),
    }
}

fn parameters(
    old: &Side<'_>,
    new: &Side<'_>,
    prev: &Operation,
    op: &Operation,
    item: &str,
    out: &mut Out<'_>,
) {
    let key = |p: &crate::ir::Param| (p.wire.0.clone(), p.location);
    let none = Usage::default();
    for (index, param) in op.params.iter().enumerate() {
        let at = op.origin.push("parameters").push(index.to_string());
        let name = &param.wire.0;
        match prev.params.iter().find(|p| key(p) == key(param)) {
            None => {
                let required = if param.required { "required" } else { "optional" };
                let what = format!("`{}` takes the {required} parameter `{name}`", op.id);
                out.push(&at, item, Kind::ParameterAdded, none, what);
            }
            Some(was) => {
                let (before, after) = (old.text(&was.ty), new.text(&param.ty));
                if before != after || was.required != param.required {
                    let what = format!(
                        "parameter `{name}` of `{}` is {}`{after}` (was {}`{before}`)",
                        op.id,
                        if param.required { "" } else { "optional " },
                        if was.required { "" } else { "optional " },
                    );
                    out.push(&at, item, Kind::ParameterTypeChanged, none, what);
                }
                docs(&was.docs, &param.docs, &at, &format!("{item}::{name}"), none, out);
            }
        }
    }
    for was in prev
        .params
        .iter()
        .filter(|was| !op.params.iter().any(|p| key(p) == key(was)))
    {
        let what = format!("`{}` no longer takes the parameter `{}`", op.id, was.wire.0);
        out.push(
            &op.origin.push("parameters"),
            item,
            Kind::ParameterRemoved,
            none,
            what,
        );
    }
}

fn bodies(old: &Side<'_>, new: &Side<'_>, prev: &Operation, op: &Operation, item: &str, out: &mut Out<'_>) {
    let at = op.origin.push("requestBody");
    let text = |side: &Side<'_>, o: &Operation| {
        o.body.as_ref().map(|b| match b.encoding.typed() {
            Some(ty) => format!("{}{}", if b.required { "" } else { "optional " }, side.text(ty)),
            None => format!("{} bytes", b.media_type),
        })
    };
    let none = Usage::default();
    match (text(old, prev), text(new, op)) {
        (None, Some(body)) => out.push(
            &at,
            item,
            Kind::BodyAdded,
            none,
            format!("`{}` sends a body: {body}", op.id),
        ),
        (Some(body), None) => out.push(
            &at,
            item,
            Kind::BodyRemoved,
            none,
            format!("`{}` no longer sends a body ({body})", op.id),
        ),
        (Some(before), Some(after)) if before != after => {
            let what = format!("`{}` sends `{after}` (was `{before}`)", op.id);
            out.push(&at, item, Kind::BodyTypeChanged, none, what);
        }
        _ => {}
    }
}

fn docs(
    before: &crate::ir::Docs,
    after: &crate::ir::Docs,
    at: &JsonPointer,
    item: &str,
    usage: Usage,
    out: &mut Out<'_>,
) {
    match (before.deprecated, after.deprecated) {
        (false, true) => out.push(at, item, Kind::Deprecated, usage, "deprecated".into()),
        (true, false) => out.push(at, item, Kind::Undeprecated, usage, "no longer deprecated".into()),
        _ => {}
    }
    if before.paragraphs != after.paragraphs {
        out.push(at, item, Kind::DocsChanged, usage, "description changed".into());
    }
}

#[cfg(test)]
mod tests;
