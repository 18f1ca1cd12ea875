//! Stage 3: lower a loaded, reference-checked spec into the IR. This is the last stage
//! that sees openapiv3 types.

mod operation;
mod schema;

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::error::{Error, Errors, JsonPointer};
use crate::ir::{Api, Docs, NameHint, Server, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;

pub(crate) struct Lowerer<'a> {
    spec: &'a Spec,
    types: Vec<TypeDef>,
    components: IndexMap<String, TypeId>,
    /// Per component: discriminator properties it must not declare as fields, because the
    /// discriminated union that holds it carries the tag.
    tag_properties: BTreeMap<TypeId, Vec<String>>,
    /// The entry of `tag_properties` for the component being lowered, taken by its struct.
    dropped: Option<Vec<String>>,
}

/// Lowers `spec`; `stem` is the spec's file stem, from which the module is named.
pub fn lower(spec: &Spec, stem: &str) -> Result<Api, Errors> {
    let mut lowerer = Lowerer {
        spec,
        types: Vec::new(),
        components: IndexMap::new(),
        tag_properties: BTreeMap::new(),
        dropped: None,
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

    for schema in schemas.into_iter().flatten().map(|(_, schema)| schema) {
        if let openapiv3::ReferenceOr::Item(schema) = schema {
            for (target, property) in tagged_members(schema) {
                if let Some(id) = lowerer.components.get(&target) {
                    lowerer.tag_properties.entry(*id).or_default().push(property);
                }
            }
        }
    }

    let mut errors = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let id = lowerer.components[name];
        if let Err(error) = lowerer.lower_component(id, schema, &base.push(name)) {
            errors.push(error);
        }
    }
    errors.extend(strip_tags(spec, &mut lowerer.types));

    // A ring of aliases poisons every use of it: report it alone, not its consequences.
    let rings = alias_cycles(spec, &lowerer.types, &lowerer.components);
    if !rings.is_empty() {
        errors.extend(rings);
        return Err(Errors(errors));
    }

    let mut operations = Vec::new();
    let mut seen_ids: BTreeMap<String, JsonPointer> = BTreeMap::new();
    for result in lowerer.lower_operations() {
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
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }

    let info = &spec.doc.info;
    let servers = spec
        .doc
        .servers
        .iter()
        .map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            Server {
                url,
                docs: Docs::from_parts([server.description.as_deref()]),
            }
        })
        .collect();
    Ok(Api {
        stem: stem.to_owned(),
        // `/`-separated on every platform: it is written into generated code.
        source: spec.path.display().to_string().replace('\\', "/"),
        title: info.title.clone(),
        version: info.version.clone(),
        docs: Docs::from_parts([info.description.as_deref()]),
        servers,
        types: lowerer.types,
        operations,
    })
}

/// Component schemas named as members of a discriminated union `schema`, with the tag
/// property each must leave to the union.
fn tagged_members(schema: &openapiv3::Schema) -> Vec<(String, String)> {
    let Some(discriminator) = &schema.schema_data.discriminator else {
        return Vec::new();
    };
    let parts = match &schema.schema_kind {
        openapiv3::SchemaKind::OneOf { one_of } => one_of,
        openapiv3::SchemaKind::AnyOf { any_of } => any_of,
        _ => return Vec::new(),
    };
    parts
        .iter()
        .filter_map(|part| match part {
            openapiv3::ReferenceOr::Reference { reference } => crate::resolve::component_schema(reference),
            openapiv3::ReferenceOr::Item(_) => None,
        })
        .map(|name| (name, discriminator.property_name.clone()))
        .collect()
}

/// Removes the tag property from the members of every discriminated union (those not
/// already handled while lowering components) and checks that each member is a struct.
fn strip_tags(spec: &Spec, types: &mut [TypeDef]) -> Vec<Error> {
    let mut members = Vec::new();
    for def in types.iter() {
        if let TypeKind::Tagged(tagged) = &def.kind {
            for variant in &tagged.variants {
                if let TypeRef::Named(id) = &variant.ty {
                    members.push((*id, tagged.property.clone(), def.origin.clone()));
                }
            }
        }
    }
    let mut errors = Vec::new();
    for (id, property, union) in members {
        let mut target = id;
        for _ in 0..types.len() {
            match &types[target.0].kind {
                TypeKind::Alias(TypeRef::Named(next)) => target = *next,
                _ => break,
            }
        }
        match &mut types[target.0].kind {
            TypeKind::Struct(s) => s.fields.retain(|f| f.wire != property),
            _ => errors.push(Error::Unsupported {
                at: spec.at(&types[target.0].origin),
                what: format!("a member of the discriminated union at {union} that is not an object schema"),
                help: "members of a `oneOf` with a `discriminator` must be object schemas".into(),
            }),
        }
    }
    errors
}

/// Component schemas that are only references to each other in a ring name no type at all.
fn alias_cycles(spec: &Spec, types: &[TypeDef], components: &IndexMap<String, TypeId>) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut reported = std::collections::BTreeSet::new();
    for &start in components.values() {
        let mut chain = vec![start];
        let mut current = start;
        while let TypeKind::Alias(TypeRef::Named(next)) = &types[current.0].kind {
            if *next == start {
                if chain.iter().all(|id| reported.insert(*id)) {
                    let names: Vec<String> = chain.iter().map(|id| types[id.0].origin.to_string()).collect();
                    errors.push(Error::RefCycle {
                        at: spec.at(&types[start.0].origin.push("$ref")),
                        chain: format!("{} -> {}", names.join(" -> "), types[start.0].origin),
                    });
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
    errors
}
