//! Stage 3: lower a loaded, reference-checked spec into the IR. This is the last stage
//! that sees openapiv3 types.

mod all_of;
mod idempotency;
mod media;
mod operation;
mod pages;
mod quota;
mod schema;
mod security;
mod tags;
mod tuples;
mod unions;

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::error::{Error, Errors, JsonPointer, Warning};
use crate::ir::{Api, Docs, NameHint, PathPiece, Server, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;
use crate::resolve::Dangling;

pub(crate) struct Lowerer<'a> {
    spec: &'a Spec,
    types: Vec<TypeDef>,
    components: IndexMap<String, TypeId>,
    /// Components used only as members of discriminated unions on one property: they leave
    /// that property to the union (see [`tags`]).
    tag_properties: BTreeMap<TypeId, String>,
    /// The entry of `tag_properties` for the component being lowered, taken by its struct.
    dropped: Option<String>,
    /// The security schemes and requirements, lowered before the operations.
    auth: crate::ir::Auth,
    /// Fallbacks taken where the spec could not be followed exactly.
    warnings: Vec<crate::error::Warning>,
    /// Pointers of the schemas that write `allOf`, `oneOf` or `anyOf` beside a `type`,
    /// which openapiv3 drops (read again by [`Lowerer::sibling`]).
    compositions_beside_type: std::collections::BTreeSet<String>,
    /// Pointers of the schemas that write `prefixItems` (kept in the raw document by
    /// [`crate::openapi31`]; read by [`Lowerer::tuple`]).
    prefix_items: std::collections::BTreeSet<String>,
    /// The dangling `$ref`s a degrade already reported.
    read_dangling: std::collections::BTreeSet<JsonPointer>,
}

impl Lowerer<'_> {
    /// A located warning: the spec is followed as closely as it can be, and generation goes on.
    fn warn(&mut self, at: &JsonPointer, message: String) {
        let at = self.spec.at(at);
        self.warnings.push(crate::error::Warning { at, message });
    }

    /// What a schema use (at `at`) lowered to, or, where the generator cannot follow it,
    /// `any`, with a warning: one property, item, body or parameter degrades to any JSON
    /// value, not the type or operation that holds it.
    fn or_any<T>(&mut self, at: &JsonPointer, lowered: Result<T, Error>, any: T) -> T {
        lowered.unwrap_or_else(|error| {
            self.read_dangling.extend(dangling_at(&error));
            self.warn(at, format!("this schema is any JSON value: {}", degraded(&error)));
            any
        })
    }
}

/// The API lowered from a spec, and the `$ref`s to nothing that what it degraded read.
pub struct Lowered {
    pub api: Api,
    read_dangling: std::collections::BTreeSet<JsonPointer>,
}

impl Lowered {
    /// The API, with a warning for each of `dangling` (the `$ref`s that point to nothing,
    /// [`resolve::check_refs`]) that nothing read: what reads one degrades, and says so.
    pub fn with_dangling(mut self, spec: &Spec, dangling: &[Dangling]) -> Api {
        for unread in dangling.iter().filter(|d| !self.read_dangling.contains(&d.at)) {
            let message = format!("`$ref` points to nothing: `{}`; nothing reads it", unread.target);
            self.api.warnings.push(crate::error::Warning {
                at: spec.at(&unread.at),
                message,
            });
        }
        self.api
    }
}

/// Lowers `spec`; `stem` is the spec's file stem, from which the module is named. It reads
/// the raw document only, so the reference check can run beside it.
pub fn lower(spec: &Spec, stem: &str) -> Result<Lowered, Errors> {
    // One walk over the raw document for what openapiv3 does not keep or tell.
    let mut strippable = tags::Strippable::default();
    let mut compositions_beside_type = std::collections::BTreeSet::new();
    let mut prefix_items = std::collections::BTreeSet::new();
    crate::tree::visit_objects(&spec.raw, |object, trail| {
        strippable.visit(object);
        // The keys are scanned, not looked up: objects are small, and hashing each of
        // these names for every object of a large document costs more.
        let typed = object.keys().any(|key| key == "type");
        if typed
            && object
                .keys()
                .any(|key| matches!(key.as_str(), "allOf" | "oneOf" | "anyOf"))
        {
            compositions_beside_type.insert(trail.pointer().as_str().to_owned());
        }
        if object.keys().any(|key| key == tuples::PREFIX_ITEMS) {
            prefix_items.insert(trail.pointer().as_str().to_owned());
        }
    });
    let mut lowerer = Lowerer {
        spec,
        types: Vec::new(),
        components: IndexMap::new(),
        tag_properties: BTreeMap::new(),
        dropped: None,
        auth: crate::ir::Auth::default(),
        warnings: spec.warnings.clone(),
        compositions_beside_type,
        prefix_items,
        read_dangling: std::collections::BTreeSet::new(),
    };
    let schemas = spec.doc.components.as_ref().map(|c| &c.schemas);
    let base = JsonPointer::root().push("components").push("schemas");

    // Reserve an id per component schema first, so any `$ref` to one resolves at once.
    for (name, _) in schemas.into_iter().flatten() {
        let id = TypeId(lowerer.types.len());
        lowerer.types.push(TypeDef {
            hint: NameHint {
                words: vec![name.clone()],
                component: true,
            },
            origin: base.push(name),
            docs: Docs::default(),
            kind: TypeKind::Alias(TypeRef::Json),
        });
        lowerer.components.insert(name.clone(), id);
    }

    for (name, property) in strippable.finish() {
        if let Some(id) = lowerer.components.get(&name) {
            lowerer.tag_properties.insert(*id, property);
        }
    }

    let mut errors = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let id = lowerer.components[name];
        let at = base.push(name);
        // One schema the generator cannot follow does not cost the document: it stays any
        // JSON value (as reserved above), and the warning says why and where.
        if let Err(error) = lowerer.lower_component(id, schema, &at) {
            lowerer.types[id.0].kind = TypeKind::Alias(TypeRef::Json);
            lowerer.read_dangling.extend(dangling_at(&error));
            lowerer.warn(
                &at,
                format!("this schema is any JSON value: {}", degraded(&error)),
            );
        }
    }
    let mut warnings = tags::strip_tags(spec, &mut lowerer.types, &lowerer.tag_properties);

    // A ring of schemas that only name each other defines no type: any JSON value, said once.
    warnings.extend(alias_rings_to_any(spec, &mut lowerer.types, &lowerer.components));
    warnings.extend(unions::members_leading_back(spec, &mut lowerer.types));

    // Auth first: each operation names the requirements it accepts by their index.
    match lowerer.lower_auth() {
        Ok(auth) => lowerer.auth = auth,
        Err(error) => errors.push(error),
    }
    let mut operations = Vec::new();
    let mut seen_ids: BTreeMap<String, JsonPointer> = BTreeMap::new();
    for (at, result) in lowerer.lower_operations() {
        match result {
            Ok(op) => {
                if let Some(first) = seen_ids.get(&op.id) {
                    errors.push(Error::DuplicateOperationId {
                        at: spec.at(&op.origin.push("operationId")),
                        id: op.id.clone(),
                        first: first.push("operationId"),
                    });
                } else {
                    seen_ids.insert(op.id.clone(), op.origin.clone());
                    operations.push(op);
                }
            }
            // One operation the generator cannot follow does not cost the others: it is left
            // out, and the warning says why and where.
            Err(error) => {
                lowerer.read_dangling.extend(dangling_at(&error));
                lowerer.warn(&at, format!("this operation is left out: {}", degraded(&error)));
            }
        }
    }
    let auth = std::mem::take(&mut lowerer.auth);
    warnings.append(&mut lowerer.warnings);
    check_error_on_success(spec, &lowerer.types, &mut operations, &mut warnings);
    if !errors.is_empty() {
        return Err(Errors(errors));
    }

    let info = &spec.doc.info;
    let quota = quota::quota(spec, &mut warnings);
    let idempotency_key = idempotency::root(spec, &mut warnings);
    for op in &mut operations {
        op.idempotency_key = idempotency::of(op, idempotency_key.as_deref());
    }
    let servers = spec
        .doc
        .servers
        .iter()
        .enumerate()
        .map(|(index, server)| lower_server(spec, index, server, &mut warnings))
        .collect();
    let api = Api {
        stem: stem.to_owned(),
        // `/`-separated on every platform: it is written into generated code.
        source: spec.path.display().to_string().replace('\\', "/"),
        title: info.title.clone(),
        version: info.version.clone(),
        docs: Docs::from_parts([info.description.as_deref()]),
        servers,
        types: lowerer.types,
        operations,
        auth,
        quota,
        idempotency_key,
        warnings,
        calls: None,
    };
    Ok(Lowered {
        api,
        read_dangling: lowerer.read_dangling,
    })
}

/// Where the `$ref` to nothing that `error` reports is written, if it reports one.
fn dangling_at(error: &Error) -> Option<JsonPointer> {
    match error {
        Error::DanglingRef { at, .. } => Some(at.pointer.clone()),
        _ => None,
    }
}

/// What a warning says of the error that made a schema or an operation degrade: the error,
/// where, and what to do.
fn degraded(error: &Error) -> String {
    let location = error
        .location()
        .map(|l| format!(" (at `{}`)", l.pointer))
        .unwrap_or_default();
    format!("{error}{location}; {}", error.help())
}

/// Component schemas that are only references to each other in a ring name no type at all:
/// each becomes any JSON value, with one warning per ring.
fn alias_rings_to_any(
    spec: &Spec,
    types: &mut [TypeDef],
    components: &IndexMap<String, TypeId>,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut reported = std::collections::BTreeSet::new();
    for &start in components.values() {
        let mut chain = vec![start];
        let mut current = start;
        while let TypeKind::Alias(TypeRef::Named(next)) = &types[current.0].kind {
            if *next == start {
                if chain.iter().all(|id| reported.insert(*id)) {
                    let names: Vec<String> = chain.iter().map(|id| types[id.0].origin.to_string()).collect();
                    warnings.push(Warning {
                        at: spec.at(&types[start.0].origin.push("$ref")),
                        message: format!(
                            "`$ref` chain never reaches a definition (`{} -> {}`); each is any JSON value",
                            names.join(" -> "),
                            types[start.0].origin
                        ),
                    });
                    for id in &chain {
                        types[id.0].kind = TypeKind::Alias(TypeRef::Json);
                    }
                }
                break;
            }
            if chain.contains(next) || chain.len() > types.len() {
                break;
            }
            chain.push(*next);
            current = *next;
        }
    }
    warnings
}

/// A server with its URL template split once: the default URL and `server_url()` are both
/// written from the pieces. A variable the URL never uses is left out, with a warning.
fn lower_server(
    spec: &Spec,
    index: usize,
    server: &openapiv3::Server,
    warnings: &mut Vec<crate::error::Warning>,
) -> Server {
    let listed: Vec<(&String, &openapiv3::ServerVariable)> = server.variables.iter().flatten().collect();
    let pieces = operation::pieces(&server.url);
    let used = |name: &str| {
        pieces
            .iter()
            .any(|piece| matches!(piece, operation::Template::Variable(v) if *v == name))
    };
    let mut variables = Vec::new();
    for (name, variable) in listed {
        if used(name) {
            variables.push(crate::ir::ServerVariable {
                name: name.clone(),
                default: variable.default.clone(),
                docs: Docs::from_parts([variable.description.as_deref()]),
            });
        } else {
            let at = JsonPointer::root()
                .push("servers")
                .push(index.to_string())
                .push("variables")
                .push(name);
            warnings.push(crate::error::Warning {
                at: spec.at(&at),
                message: format!(
                    "server variable `{name}` is not in the URL `{}`; it is left out",
                    server.url
                ),
            });
        }
    }
    let pieces: Vec<PathPiece> = pieces
        .iter()
        .map(|piece| match piece {
            operation::Template::Text(text) => PathPiece::Text((*text).to_owned()),
            operation::Template::Variable(name) => match variables.iter().position(|v| v.name == *name) {
                Some(i) => PathPiece::Param(i),
                // Not a variable the spec lists: kept as written.
                None => PathPiece::Text(format!("{{{name}}}")),
            },
        })
        .collect();
    let url = pieces
        .iter()
        .map(|piece| match piece {
            PathPiece::Text(text) => text.as_str(),
            PathPiece::Param(i) => variables[*i].default.as_str(),
        })
        .collect();
    Server {
        url,
        template: server.url.clone(),
        pieces,
        variables,
        docs: Docs::from_parts([server.description.as_deref()]),
    }
}

/// `x-error-on-success` is honoured only where it can be: the operations' error responses
/// share one JSON body (the client's `Error::Api`), an object that requires a property (so
/// that no success body reads as it). Elsewhere the flag is dropped with a located warning.
fn check_error_on_success(
    spec: &Spec,
    types: &[TypeDef],
    operations: &mut [crate::ir::Operation],
    warnings: &mut Vec<crate::error::Warning>,
) {
    let problem = match crate::ir::error_body(operations) {
        None => "the operations' error responses do not share one JSON body",
        Some(body) => match body.resolved_in(types) {
            TypeRef::Named(id) if matches!(&types[id.0].kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.required)) =>
            {
                return;
            }
            _ => {
                "the error body is not an object that requires a property, so a success body could read as it"
            }
        },
    };
    let responses = operations
        .iter_mut()
        .flat_map(|op| op.responses.iter_mut().chain(&mut op.default));
    for flag in responses.filter_map(|r| r.error_on_success.take()) {
        warnings.push(crate::error::Warning {
            at: spec.at(&flag),
            message: format!("`x-error-on-success` is ignored: {problem}"),
        });
    }
}
