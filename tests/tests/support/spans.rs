//! A tracing subscriber that keeps every span and event with its fields and its parent, to
//! check what a service exporting its traces would see.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata};

/// One span: its name, its fields as text, and the span it is inside.
#[derive(Debug, Clone)]
pub struct Span {
    pub id: u64,
    pub name: &'static str,
    pub parent: Option<u64>,
    pub fields: BTreeMap<String, String>,
}

/// One event: its level, its fields as text, and the span it happened in.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub level: tracing::Level,
    pub parent: Option<u64>,
    pub fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct Seen {
    spans: Vec<Span>,
    events: Vec<Occurrence>,
}

/// Every span and event, kept; install it with `tracing::subscriber::set_default`.
#[derive(Clone, Default)]
pub struct Spans {
    seen: Arc<Mutex<Seen>>,
    next: Arc<AtomicU64>,
}

thread_local! {
    /// The spans entered on this thread, innermost last.
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Fields as text: strings as they are, other values as `Debug` writes them.
struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Spans {
    pub fn spans(&self) -> Vec<Span> {
        self.seen.lock().expect("spans").spans.clone()
    }

    pub fn events(&self) -> Vec<Occurrence> {
        self.seen.lock().expect("spans").events.clone()
    }

    /// Every name, field name and value seen, as one text.
    pub fn text(&self) -> String {
        let seen = self.seen.lock().expect("spans");
        let spans = seen.spans.iter().map(|s| format!("{} {:?}", s.name, s.fields));
        let events = seen.events.iter().map(|e| format!("{:?}", e.fields));
        spans.chain(events).collect::<Vec<_>>().join("\n")
    }

    /// The span something new is inside: the one it names, else, if it takes the
    /// context, the innermost span entered on this thread.
    fn parent(explicit: Option<&Id>, contextual: bool) -> Option<u64> {
        match explicit {
            Some(parent) => Some(parent.into_u64()),
            None if contextual => ENTERED.with(|entered| entered.borrow().last().copied()),
            None => None,
        }
    }
}

impl tracing::Subscriber for Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let parent = Self::parent(attributes.parent(), attributes.is_contextual());
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        let name = attributes.metadata().name();
        let span = Span {
            id,
            name,
            parent,
            fields,
        };
        self.seen.lock().expect("spans").spans.push(span);
        Id::from_u64(id)
    }

    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut seen = self.seen.lock().expect("spans");
        if let Some(span) = seen.spans.iter_mut().find(|s| s.id == id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let parent = Self::parent(event.parent(), event.is_contextual());
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let level = *event.metadata().level();
        self.seen.lock().expect("spans").events.push(Occurrence {
            level,
            parent,
            fields,
        });
    }

    fn enter(&self, id: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(id.into_u64()));
    }

    fn exit(&self, id: &Id) {
        ENTERED.with(|entered| {
            let mut entered = entered.borrow_mut();
            if let Some(at) = entered.iter().rposition(|e| *e == id.into_u64()) {
                entered.remove(at);
            }
        });
    }
}
