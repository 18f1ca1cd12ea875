//! A bad spec gets a located error (file, JSON pointer, line:column where the parser knows
//! it), exit status 2, no panic, and no file written. The messages are snapshots.

mod support;

use support::{files_under, generator, os, scratch};

/// Runs `generator SPEC --out DIR` on a fixture and checks the contract for bad input.
fn rejects(fixture: &str) -> String {
    let spec = format!("fixtures/bad/{fixture}");
    let out = scratch(&format!("bad-{fixture}"));
    let run = generator(&[&os(&spec), &os("--out"), &os(&out)]);
    assert_eq!(run.code, 2, "exit status for {fixture}; stderr:\n{}", run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing on stdout for {fixture}: {}",
        run.stdout
    );
    assert_eq!(files_under(&out), Vec::<String>::new(), "{fixture} wrote files");
    assert!(
        run.stderr.contains(&spec),
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
bad_spec!(every_dangling_ref_is_reported, "dangling-ref.yaml");
bad_spec!(external_refs_are_unsupported, "external-ref.yaml");
bad_spec!(refs_that_only_name_each_other_are_a_cycle, "ref-cycle.yaml");
bad_spec!(
    duplicate_operation_ids_name_both_places,
    "duplicate-operation-id.yaml"
);
bad_spec!(not_schemas_are_unsupported, "not-schema.yaml");
bad_spec!(cookie_parameters_are_unsupported, "cookie-parameter.yaml");
bad_spec!(
    an_all_of_that_includes_itself_is_refused,
    "all-of-includes-itself.yaml"
);
bad_spec!(
    a_discriminated_union_needs_named_members,
    "discriminator-inline-member.yaml"
);
bad_spec!(enum_names_must_match_the_values, "enum-varnames-mismatch.yaml");
bad_spec!(
    a_discriminated_union_needs_one_tag_per_member,
    "discriminator-duplicate-tag.yaml"
);
bad_spec!(nesting_beyond_the_limit_is_refused, "nesting-too-deep.yaml");
bad_spec!(
    an_all_of_of_an_object_and_a_scalar_is_refused,
    "all-of-object-and-scalar.yaml"
);
bad_spec!(
    a_discriminator_mapping_to_nothing_is_located,
    "discriminator-mapping-missing.yaml"
);
bad_spec!(
    openapi_31_keywords_without_a_30_counterpart_are_located,
    "openapi-31-prefix-items.yaml"
);
bad_spec!(
    pagination_must_name_a_query_parameter,
    "pagination-unknown-parameter.yaml"
);
bad_spec!(
    pagination_cannot_repeat_a_call_with_a_body,
    "pagination-request-body.yaml"
);

#[test]
fn one_bad_spec_stops_the_whole_run_before_anything_is_written() {
    let root = scratch("workspace-with-a-bad-spec");
    std::fs::create_dir_all(root.join("specs")).expect("specs dir");
    std::fs::copy("fixtures/bad/dangling-ref.yaml", root.join("specs/broken.yaml")).expect("copy");
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
        run.stderr.starts_with("error: a SPEC needs --out DIR"),
        "{}",
        run.stderr
    );
}
