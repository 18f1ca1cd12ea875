//! A tracing subscriber and logger that keep everything emitted, as text.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata};

/// Everything emitted, as text.
#[derive(Clone, Default)]
pub struct Capture(Arc<Mutex<String>>);

impl Capture {
    pub fn push(&self, text: &str) {
        self.0.lock().expect("capture").push_str(text);
    }

    pub fn text(&self) -> String {
        self.0.lock().expect("capture").clone()
    }
}

impl Visit for &Capture {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.push(&format!("{}={value:?} ", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut &*self);
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut &*self);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.push(&format!("{} ", event.metadata().level()));
        event.record(&mut &*self);
        self.push("\n");
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        self.push(&format!("{} {}\n", record.target(), record.args()));
    }

    fn flush(&self) {}
}
