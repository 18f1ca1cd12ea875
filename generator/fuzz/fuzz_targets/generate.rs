//! Any bytes through the whole generator: load, check, lower, name, emit and format. A spec
//! may be refused, with an error; it may never panic, hang or run out of memory.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    // A JSON document is also YAML, but the JSON reader is the one its seeds went through.
    let source = if text.trim_start().starts_with('{') {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    // Refusing the spec is fine; panicking, hanging or exhausting memory is not.
    let _ = generator::generate_standalone_text(text, Path::new(source));
});
