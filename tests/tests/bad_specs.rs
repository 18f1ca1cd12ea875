//! A bad spec gets a located error (file, JSON pointer, line:column where the parser knows
//! it), exit status 2, no panic, and no file written. The messages are snapshots.

mod support;

use std::path::{Path, PathBuf};

use support::{files_under, generator, os, scratch};

/// Runs `generator SPEC --out DIR` on a fixture and checks the contract for bad input.
fn rejects(fixture: &str) -> String {
    rejects_spec(
        Path::new(&format!("fixtures/bad/{fixture}")),
        &scratch(&format!("bad-{fixture}")),
    )
}

/// Runs `generator SPEC --out OUT`, checks the contract for bad input (exit status 2, nothing
/// on stdout, nothing written, the spec file named) and returns stderr.
fn rejects_spec(spec: &Path, out: &Path) -> String {
    let run = generator(&[&os(spec), &os("--out"), &os(out)]);
    let name = spec.display().to_string();
    assert_eq!(run.code, 2, "exit status for {name}; stderr:\n{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing on stdout for {name}: {}",
        run.stdout
    );
    assert_eq!(files_under(out), Vec::<String>::new(), "{name} wrote files");
    assert!(
        run.stderr.contains(&name),
        "the error names the spec file:\n{}",
        run.stderr
    );
    run.stderr
}

macro_rules! bad_spec {
    ($test:ident, $fixture:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(rejects($fixture));
        }
    };
}

bad_spec!(a_missing_file_is_unreadable, "missing.yaml");
bad_spec!(invalid_yaml_names_line_and_column, "invalid-yaml.yaml");
bad_spec!(invalid_json_names_line_and_column, "invalid-json.json");
bad_spec!(swagger_2_is_named_as_such, "swagger-2.yaml");
bad_spec!(other_openapi_versions_are_refused, "openapi-4.yaml");
bad_spec!(a_document_must_be_an_object, "not-an-object.yaml");
bad_spec!(a_value_of_the_wrong_type_is_located, "wrong-type.yaml");
bad_spec!(a_reference_to_a_missing_file_is_located, "missing-file-ref.yaml");
bad_spec!(
    a_reference_to_a_remote_document_says_how_to_fetch_it,
    "remote-ref.yaml"
);
bad_spec!(
    an_error_in_another_file_names_it_and_the_references_that_lead_there,
    "external-chain.yaml"
);
bad_spec!(
    parts_of_other_files_that_only_refer_to_each_other_are_a_located_cycle,
    "external-cycle.yaml"
);
bad_spec!(
    duplicate_operation_ids_name_both_places,
    "duplicate-operation-id.yaml"
);
bad_spec!(a_json_key_given_twice_is_located, "duplicate-key.json");
bad_spec!(a_yaml_key_given_twice_is_located, "duplicate-key.yaml");
bad_spec!(
    openapi_31_keywords_without_a_30_counterpart_are_located,
    "openapi-31-dynamic-ref.yaml"
);

#[test]
fn one_bad_spec_stops_the_whole_run_before_anything_is_written() {
    let root = scratch("workspace-with-a-bad-spec");
    std::fs::create_dir_all(root.join("specs")).expect("specs dir");
    std::fs::copy("fixtures/bad/duplicate-key.yaml", root.join("specs/broken.yaml")).expect("copy");
    std::fs::copy(
        support::workspace_root().join("specs/lagerkoll.yaml"),
        root.join("specs/good.yaml"),
    )
    .expect("copy");
    let run = generator(&[&os("--root"), &os(&root)]);
    assert_eq!(run.code, 2, "stderr:\n{}", run.stderr);
    assert!(run.stderr.contains("specs/broken.yaml"), "{}", run.stderr);
    assert!(!root.join("generated").exists(), "output must be all or nothing");
}

#[test]
fn usage_errors_exit_with_status_2() {
    let run = generator(&[&os("spec.yaml")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: the following required arguments were not provided:\n  --out <DIR>"),
        "{}",
        run.stderr
    );
}

/// `text` saved as `name` in a scratch folder of its own; the spec's path and an output
/// folder beside it.
fn saved(name: &str, text: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(&format!("hostile-{name}"));
    let spec = dir.join(name);
    std::fs::write(&spec, text).expect("write the spec");
    (spec, dir.join("out"))
}

/// [`rejects_spec`] on `text` saved as `name`.
fn rejects_text(name: &str, text: &str) -> String {
    let (spec, out) = saved(name, text);
    rejects_spec(&spec, &out)
}

/// `head`, then `leaf` inside `levels` levels of `open` .. `close`, then `tail`.
fn nested(head: &str, levels: usize, (open, close): (&str, &str), leaf: &str, tail: &str) -> String {
    format!(
        "{head}{}{leaf}{}{tail}\n",
        open.repeat(levels),
        close.repeat(levels)
    )
}

const STRING: &str = r#"{"type": "string"}"#;

const TOO_DEEP: &str = "error: unsupported: a document nested more than 128 levels deep";

#[test]
fn json_nested_ten_thousand_levels_deep_is_refused_at_the_parsers_limit() {
    let head = r#"{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "components": {"schemas": {"Deep": "#;
    let text = nested(
        head,
        10_000,
        (r#"{"type": "array", "items": "#, "}"),
        STRING,
        "}}}",
    );
    let stderr = rejects_text("deep.json", &text);
    assert!(stderr.starts_with(TOO_DEEP), "{stderr}");
    assert!(
        stderr.contains("deep.json:1:"),
        "located by line and column:\n{stderr}"
    );
}

#[test]
fn yaml_flow_collections_ten_thousand_levels_deep_are_refused_before_parsing() {
    // The YAML scanner takes time in the square of this depth: seconds at 10,000 levels.
    let head =
        "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep: ";
    let text = nested(head, 10_000, ("{type: array, items: ", "}"), STRING, "");
    let stderr = rejects_text("deep.yaml", &text);
    assert!(stderr.starts_with(TOO_DEEP), "{stderr}");
    assert!(
        stderr.contains("deep.yaml:6:"),
        "located on the line that nests:\n{stderr}"
    );
}

#[test]
fn yaml_blocks_nested_past_the_parsers_limit_are_refused() {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep:\n",
    );
    for level in 0..1_000 {
        text.push_str(&format!("{}items:\n", "  ".repeat(3 + level)));
    }
    let stderr = rejects_text("deep-blocks.yaml", &text);
    assert!(stderr.starts_with(TOO_DEEP), "{stderr}");
}

#[test]
fn a_yaml_alias_bomb_is_refused_without_expanding_it() {
    // Nine levels of nine aliases each: 9^9 (387 million) strings if expanded.
    let mut text = String::from("openapi: 3.0.3\ninfo:\n  title: Laughs\n  version: '1'\n  x-lol:\n");
    text.push_str("    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let aliases = vec![format!("*l{}", level - 1); 9].join(", ");
        text.push_str(&format!("    l{level}: &l{level} [{aliases}]\n"));
    }
    text.push_str("paths: {}\n");
    let stderr = rejects_text("alias-bomb.yaml", &text);
    assert!(
        stderr
            .starts_with("error: unsupported: YAML aliases that expand to far more than the document itself"),
        "{stderr}"
    );
    assert!(stderr.contains("share schemas with `$ref`"), "{stderr}");
}

#[test]
fn brackets_in_prose_do_not_count_as_nesting() {
    let many = "[".repeat(300);
    let text = format!(
        "openapi: 3.0.3\ninfo:\n  title: Brackets\n  version: '1'\n  description: |\n    {many}\npaths: {{}}\n"
    );
    let (spec, out) = saved("prose.yaml", &text);
    let run = generator(&[&os(spec), &os("--out"), &os(out)]);
    assert_eq!(run.code, 0, "stderr:\n{}", run.stderr);
}

#[test]
fn a_bad_value_under_forty_levels_of_inline_schemas_is_found_at_once() {
    // Found by fuzzing: the OpenAPI reader alone retries every form of every schema above a bad
    // value, in time exponential in the levels (minutes at 30).
    let head = r#"{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "components": {"schemas": {"Deep": "#;
    let open = (r#"{"type": "object", "properties": {"inner": "#, "}}");
    let text = nested(head, 40, open, r#"{"type": "string", "minLength": "x"}"#, "}}}");
    let stderr = rejects_text("deep-bad-value.json", &text);
    assert!(
        stderr.starts_with(
            "error: not a valid OpenAPI 3.0 document here: invalid type: string \"x\", expected usize"
        ),
        "{stderr}"
    );
    let pointer = format!("#/components/schemas/Deep{}\n", "/properties/inner".repeat(40));
    assert!(
        stderr.contains(&pointer),
        "located at the bad schema itself:\n{stderr}"
    );
}

#[test]
fn a_bad_value_under_forty_levels_in_a_vendor_extension_a_ref_names_is_found_at_once() {
    // Found by fuzzing: loading checks the deep schemas of the document's own places, and a
    // `$ref` into an extension reached one it had not checked.
    let head = r##"{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "components": {"schemas": {"Deep": {"$ref": "#/x-shapes/deep"}}}, "x-shapes": {"deep": "##;
    let open = (r#"{"type": "object", "properties": {"inner": "#, "}}");
    let text = nested(head, 40, open, r#"{"type": "string", "minLength": "x"}"#, "}}");
    let (spec, out) = saved("deep-extension.json", &text);
    let run = generator(&[&os(spec), &os("--out"), &os(out)]);
    assert_eq!(
        run.code, 0,
        "the schema degrades, the document generates:\n{}",
        run.stderr
    );
    let pointer = format!("#/x-shapes/deep{}`", "/properties/inner".repeat(40));
    assert!(
        run.stderr.contains("this schema is any JSON value") && run.stderr.contains(&pointer),
        "located at the bad schema itself:\n{}",
        run.stderr
    );
}
