//! Which operations a test called, checked against every operation its spec lists: a test
//! that means to call them all fails when the spec gains one it does not call.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use vendor_clients::common::Attempt;

/// `(METHOD, path template)`, as the client's observer reports a call.
type Call = (String, String);

/// The calls a client made, recorded through its observer.
#[derive(Clone, Default)]
pub struct Calls(Arc<Mutex<BTreeSet<Call>>>);

impl Calls {
    /// An observer to give the client (`with_observer`).
    pub fn observer(&self) -> impl Fn(&Attempt) + Send + Sync + 'static {
        let calls = Arc::clone(&self.0);
        move |attempt| {
            let call = (attempt.method.to_owned(), attempt.path.to_owned());
            calls.lock().expect("the calls").insert(call);
        }
    }

    /// Fails unless the calls are exactly the operations of `specs/{spec}`.
    pub fn assert_every_operation_of(&self, spec: &str) {
        let called = self.0.lock().expect("the calls").clone();
        let listed = spec_operations(spec);
        let missed: Vec<&Call> = listed.difference(&called).collect();
        let unknown: Vec<&Call> = called.difference(&listed).collect();
        assert!(
            missed.is_empty() && unknown.is_empty(),
            "specs/{spec}: operations never called {missed:?}; calls the spec does not list {unknown:?}"
        );
    }
}

/// Every operation of `specs/{spec}`, as `(METHOD, path template)`.
pub fn spec_operations(spec: &str) -> BTreeSet<Call> {
    let path = super::workspace_root().join("specs").join(spec);
    let text = std::fs::read_to_string(&path).expect("the spec");
    let document: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec's YAML");
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut operations = BTreeSet::new();
    for (template, item) in document["paths"].as_mapping().expect("paths") {
        let template = template.as_str().expect("a path template");
        for method in methods {
            if item.get(method).is_some() {
                operations.insert((method.to_uppercase(), template.to_owned()));
            }
        }
    }
    operations
}
