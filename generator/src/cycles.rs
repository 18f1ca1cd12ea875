//! A pass over the IR's reference graph: a field or variant that holds a named type by value
//! and closes a cycle (`struct Node { next: Option<Node> }`) must be boxed, or the Rust type
//! would have infinite size. `Vec` and maps already allocate, so they break cycles.
//!
//! Boxes exactly the edges inside one strongly connected component (Tarjan's algorithm).

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// The named type a value of `ty` contains inline, if any: through `Option`, not through
/// a `Vec` or a map, which allocate.
fn inline_target(ty: &TypeRef) -> Option<TypeId> {
    let core = ty.layers().find(|layer| !matches!(layer, TypeRef::Nullable(_)))?;
    core.named().filter(|_| core.inner().is_none())
}

/// The named types a value of type `id` contains inline (a map or list allocates).
fn edges(api: &Api, id: TypeId) -> Vec<TypeId> {
    api.ty(id)
        .kind
        .children()
        .into_iter()
        .filter_map(inline_target)
        .collect()
}

/// Component number of every type; types on a common cycle share one.
fn components(api: &Api) -> Vec<usize> {
    let graph: Vec<Vec<usize>> = (0..api.types.len())
        .map(|i| edges(api, TypeId(i)).into_iter().map(|t| t.0).collect())
        .collect();
    tarjan(&graph)
}

/// Strongly connected components of `graph` (adjacency lists): the component number of
/// every node.
fn tarjan(graph: &[Vec<usize>]) -> Vec<usize> {
    struct State {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        component: Vec<usize>,
        next_index: usize,
        next_component: usize,
    }
    let n = graph.len();
    let mut st = State {
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        component: vec![usize::MAX; n],
        next_index: 0,
        next_component: 0,
    };
    // Iterative Tarjan: (node, next edge to look at).
    for root in 0..n {
        if st.index[root].is_some() {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && st.index[node].is_none() {
                st.index[node] = Some(st.next_index);
                st.low[node] = st.next_index;
                st.next_index += 1;
                st.stack.push(node);
                st.on_stack[node] = true;
            }
            if let Some(&next) = graph[node].get(*edge) {
                *edge += 1;
                match st.index[next] {
                    None => work.push((next, 0)),
                    Some(index) if st.on_stack[next] => st.low[node] = st.low[node].min(index),
                    Some(_) => {}
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                st.low[parent] = st.low[parent].min(st.low[node]);
            }
            if Some(st.low[node]) == st.index[node] {
                while let Some(member) = st.stack.pop() {
                    st.on_stack[member] = false;
                    st.component[member] = st.next_component;
                    if member == node {
                        break;
                    }
                }
                st.next_component += 1;
            }
        }
    }
    st.component
}

/// Rust expands aliases eagerly, so an alias may not name itself even through a `Vec` or a
/// map. Each alias on such a ring of aliases becomes a newtype.
fn alias_rings_to_newtypes(api: &mut Api) {
    let n = api.types.len();
    let graph: Vec<Vec<usize>> = (0..n)
        .map(|i| match &api.types[i].kind {
            TypeKind::Alias(ty) => ty
                .named()
                .map(|id| id.0)
                .filter(|&t| matches!(api.types[t].kind, TypeKind::Alias(_)))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let component = tarjan(&graph);
    let mut size = vec![0usize; n];
    for &c in &component {
        size[c] += 1;
    }
    for i in 0..n {
        let on_ring = graph[i].contains(&i) || size[component[i]] > 1;
        if on_ring {
            if let TypeKind::Alias(ty) = &api.types[i].kind {
                api.types[i].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

/// Marks every field and variant that must be boxed, after turning self-naming aliases
/// into newtypes.
pub fn break_cycles(api: &mut Api) {
    alias_rings_to_newtypes(api);
    let component = components(api);
    let on_cycle =
        |from: usize, ty: &TypeRef| inline_target(ty).is_some_and(|to| component[to.0] == component[from]);
    for (from, def) in api.types.iter_mut().enumerate() {
        for (ty, boxed) in def.kind.boxable_mut() {
            *boxed = on_cycle(from, ty);
        }
    }
}
