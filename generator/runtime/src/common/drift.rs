use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// What kind of value a response carried that the spec does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriftKind {
    /// A value of an enum that the spec does not list.
    EnumValue,
    /// A tag of a discriminated union that names none of its members.
    UnionTag,
    /// A key of an object that its type does not declare (its value is skipped).
    UndeclaredKey,
}

/// One unlisted value, before the client knows its place in the body.
struct Seen {
    kind: DriftKind,
    type_name: &'static str,
    value: String,
    /// The object keys from the body's root to the value (array indexes left out).
    keys: Vec<Cow<'static, str>>,
    /// How the value shows in the body.
    rule: Rule,
}

/// Where a noted value sits, relative to the node its keys lead to.
#[derive(Clone, Copy)]
enum Rule {
    /// The node is the value.
    Value,
    /// The node is an object whose property holds the value (a union's tag).
    Property(&'static str),
    /// The node is an object with the value as a key.
    Key,
}

/// One unlisted value and the JSON pointer of its first occurrence.
#[doc(hidden)]
#[derive(Debug)]
pub struct Found {
    pub kind: DriftKind,
    pub type_name: &'static str,
    pub value: String,
    pub pointer: String,
}

/// What one response's reading has noted so far.
#[derive(Default)]
struct Watch {
    /// The object keys from the body's root to the value being decoded.
    keys: Vec<Cow<'static, str>>,
    seen: Vec<Seen>,
    found: Vec<Found>,
}

thread_local! {
    /// Whether a client is reading a response on this thread: outside one, nothing is noted.
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static WATCH: RefCell<Watch> = RefCell::new(Watch::default());
}

/// Starts noting drift: a client is about to read one response. Not generic, so
/// a client's many operations share one copy of it.
#[doc(hidden)]
pub fn start_watch() {
    WATCH.with(|watch| *watch.borrow_mut() = Watch::default());
    WATCHING.with(|on| on.set(true));
}

/// Stops noting drift, and returns what the read found: each unlisted value once,
/// at its first occurrence.
#[doc(hidden)]
pub fn end_watch() -> Vec<Found> {
    WATCHING.with(|on| on.set(false));
    WATCH.with(|watch| std::mem::take(&mut *watch.borrow_mut()).found)
}

/// How much has been noted so far, for [`drift_rewind`].
#[doc(hidden)]
pub fn drift_mark() -> usize {
    WATCH.with(|watch| watch.borrow().seen.len())
}

/// Forgets what was noted since `mark`: it was noted while trying a reading that
/// was then dropped (a member of an untagged union that did not fit).
#[doc(hidden)]
pub fn drift_rewind(mark: usize) {
    WATCH.with(|watch| watch.borrow_mut().seen.truncate(mark));
}

/// Enters the value of object key `key`; `true` if a client is watching, and then
/// [`leave_key`] must follow.
#[doc(hidden)]
pub fn enter_key(key: &'static str) -> bool {
    enter(&|| Cow::Borrowed(key))
}

/// [`enter_key`] for a key read from the body (a map's), copied only if a client
/// is watching.
#[doc(hidden)]
pub fn enter_owned_key(key: &str) -> bool {
    enter(&|| Cow::Owned(key.to_owned()))
}

fn enter(key: &dyn Fn() -> Cow<'static, str>) -> bool {
    let watching = WATCHING.with(Cell::get);
    if watching {
        WATCH.with(|watch| watch.borrow_mut().keys.push(key()));
    }
    watching
}

/// Leaves the value [`enter_key`] entered, if it did.
#[doc(hidden)]
pub fn leave_key(entered: bool) {
    if entered {
        WATCH.with(|watch| watch.borrow_mut().keys.pop());
    }
}

/// Notes a value of enum `type_name` that the spec does not list.
#[doc(hidden)]
pub fn unlisted_value(type_name: &'static str, value: &dyn fmt::Display) {
    note(DriftKind::EnumValue, type_name, value, Rule::Value);
}

/// Notes a tag of union `type_name`, in its `property`, that names no member.
#[doc(hidden)]
pub fn unlisted_tag(type_name: &'static str, property: &'static str, tag: &str) {
    note(DriftKind::UnionTag, type_name, &tag, Rule::Property(property));
}

/// Notes a key of object `type_name` that it does not declare.
#[doc(hidden)]
pub fn undeclared_key(type_name: &'static str, key: &str) {
    note(DriftKind::UndeclaredKey, type_name, &key, Rule::Key);
}

fn note(kind: DriftKind, type_name: &'static str, value: &dyn fmt::Display, rule: Rule) {
    if !WATCHING.with(Cell::get) {
        return;
    }
    let value = value.to_string();
    WATCH.with(|watch| {
        let mut watch = watch.borrow_mut();
        let known = watch.seen.iter().any(|seen| {
            seen.kind == kind && seen.type_name == type_name && seen.value == value && seen.keys == watch.keys
        });
        if !known {
            let keys = watch.keys.clone();
            watch.seen.push(Seen {
                kind,
                type_name,
                value,
                keys,
                rule,
            });
        }
    });
}

/// Places what decoding `body` noted: the JSON pointer of the first occurrence of
/// each value. A value the body does not hold at its keys is not reported.
#[doc(hidden)]
pub fn place(body: &[u8]) {
    let seen = WATCH.with(|watch| std::mem::take(&mut watch.borrow_mut().seen));
    if seen.is_empty() {
        return;
    }
    let Ok(root) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let mut found = Vec::new();
    for seen in seen {
        let wanted = |node: &serde_json::Value| match seen.rule {
            Rule::Property(property) => {
                node.get(property).and_then(serde_json::Value::as_str) == Some(seen.value.as_str())
            }
            Rule::Key => node.get(seen.value.as_str()).is_some(),
            Rule::Value => match node {
                serde_json::Value::String(text) => *text == seen.value,
                serde_json::Value::Number(number) => number.to_string() == seen.value,
                _ => false,
            },
        };
        let mut at = Vec::new();
        let mut tried = HashSet::new();
        if find(&root, &seen.keys, &wanted, &mut at, &mut tried) {
            match seen.rule {
                Rule::Property(property) => at.push(escape(property)),
                Rule::Key => at.push(escape(&seen.value)),
                Rule::Value => {}
            }
            let pointer = at.iter().map(|segment| format!("/{segment}")).collect();
            found.push(Found {
                kind: seen.kind,
                type_name: seen.type_name,
                value: seen.value,
                pointer,
            });
        }
    }
    found.sort_by(|a, b| by_place(&a.pointer, &b.pointer));
    let mut reported: Vec<Found> = Vec::with_capacity(found.len());
    for one in found {
        let again = reported
            .iter()
            .any(|r| r.kind == one.kind && r.type_name == one.type_name && r.value == one.value);
        if !again {
            reported.push(one);
        }
    }
    WATCH.with(|watch| watch.borrow_mut().found.extend(reported));
}

/// Walks `node` along `keys`, through every array on the way (its indexes are not
/// among the keys) and, where a key is missing or the keys have run out, through
/// every member of an object (a map's keys, and the spelling an alias read, are not
/// among them either), to the first node `wanted` accepts.
fn find(
    node: &serde_json::Value,
    keys: &[Cow<'static, str>],
    wanted: &dyn Fn(&serde_json::Value) -> bool,
    at: &mut Vec<String>,
    tried: &mut HashSet<(usize, usize)>,
) -> bool {
    if !tried.insert((std::ptr::from_ref(node) as usize, keys.len())) {
        return false;
    }
    if keys.is_empty() && wanted(node) {
        return true;
    }
    let children: Vec<(String, &serde_json::Value, usize)> = match node {
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| (index.to_string(), item, 0))
            .collect(),
        serde_json::Value::Object(object) => match keys.first() {
            None => object
                .iter()
                .map(|(key, child)| (escape(key), child, 0))
                .collect(),
            Some(key) => match object.get(key.as_ref()) {
                Some(child) => {
                    std::vec![(escape(key), child, 1)]
                }
                None => object
                    .iter()
                    .flat_map(|(key, child)| [(escape(key), child, 1), (escape(key), child, 0)])
                    .collect(),
            },
        },
        _ => Vec::new(),
    };
    for (segment, child, used) in children {
        at.push(segment);
        if find(child, &keys[used..], wanted, at, tried) {
            return true;
        }
        at.pop();
    }
    false
}

/// The order of two JSON pointers in a document: segment by segment, array indexes
/// compared as numbers (`/items/2` before `/items/10`).
fn by_place(a: &str, b: &str) -> Ordering {
    let number = |segment: &str| segment.parse::<usize>().ok();
    for (x, y) in a.split('/').zip(b.split('/')) {
        let order = match (number(x), number(y)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.split('/').count().cmp(&b.split('/').count())
}

/// A JSON pointer segment: `~` and `/` escaped.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Something a response carried that the spec does not list yet: a new enum value or
/// union tag (decoding kept it, in the catch-all variant), or a key an object does not
/// declare (decoding skipped its value). Nothing failed; this says where it was, so
/// the spec can catch up. It holds names, keys and the unlisted value only, never
/// other text of the body, and never a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The operation (its `operationId`) whose response carried it.
    pub operation: &'static str,
    /// The status of that response.
    pub status: u16,
    /// Where in the body, as a JSON pointer, such as `/items/0/currency`; the first
    /// place it occurs.
    pub pointer: String,
    /// What is unlisted.
    pub kind: DriftKind,
    /// The generated type that does not list it.
    pub type_name: &'static str,
    /// The value, tag or key, as sent.
    pub value: String,
}

/// A function told about every [`Drift`] a client sees.
pub type DriftObserver = Arc<dyn Fn(&Drift) + Send + Sync>;

/// Tells `observer`, and `tracing` at warn level, about each of `found`.
#[doc(hidden)]
pub fn report_drift(
    observer: Option<&DriftObserver>,
    operation: &'static str,
    status: u16,
    found: Vec<Found>,
) {
    for found in found {
        let drift = Drift {
            operation,
            status,
            pointer: found.pointer,
            kind: found.kind,
            type_name: found.type_name,
            value: found.value,
        };
        tracing::warn!(
            operation = drift.operation, status = drift.status, pointer = % drift
            .pointer, kind = ? drift.kind, type_name = drift.type_name, value = % drift
            .value, "the response holds a value the spec does not list"
        );
        if let Some(observer) = observer {
            observer(&drift);
        }
    }
}
