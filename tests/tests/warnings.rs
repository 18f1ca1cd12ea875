//! Where a spec cannot be followed exactly, generation goes on with a documented fallback
//! and says so: a located warning on stderr, exit status 0, and code that builds.

mod support;

use support::{generator, os, scratch, workspace_root};

#[test]
fn a_discriminated_union_with_a_non_object_member_generates_with_a_located_warning() {
    let out = scratch("warning-scalar-member");
    let spec = workspace_root().join("tests/fixtures/warnings/discriminator-scalar-member.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("warning: "), "{}", run.stderr);
    assert!(run.stderr.contains("#/components/schemas/Name"), "{}", run.stderr);
    assert!(out.join("src/lib.rs").exists());
}

/// The warnings of a run's stderr, one per blank-line-separated report.
fn warnings_of(stderr: &str) -> Vec<&str> {
    stderr
        .split("\n\n")
        .filter(|w| w.starts_with("warning: "))
        .collect()
}

#[test]
fn an_accept_parameter_and_an_x_error_on_success_that_cannot_hold_are_ignored_with_located_warnings() {
    let out = scratch("warning-accept-parameter");
    let spec = workspace_root().join("tests/fixtures/models/responses.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = warnings_of(&run.stderr);
    let expected = [
        (
            "a header parameter named `Accept` is ignored, as OpenAPI says: the call sets the header \
             from its documented responses",
            "#/paths/~1reports~1{id}/get/parameters/0",
        ),
        (
            "`x-error-on-success` is ignored: the operations' error responses do not share one JSON body",
            "#/paths/~1things/post/responses/default/x-error-on-success",
        ),
    ];
    assert_eq!(warnings.len(), expected.len(), "{}", run.stderr);
    for (warning, (message, pointer)) in warnings.iter().zip(expected) {
        assert!(warning.contains(message), "{warning}");
        assert!(warning.contains(pointer), "{warning}");
    }
    let client = std::fs::read_to_string(out.join("src/responses/client.rs")).expect("the client");
    assert!(
        !client.contains("accept: Option<String>"),
        "the parameter is not taken"
    );
    assert!(
        !client.contains("fn error_on_success"),
        "the flag is not honoured"
    );
}

#[test]
fn path_parameters_and_server_variables_that_disagree_with_their_template_are_repaired_with_located_warnings()
{
    let out = scratch("warning-path-parameters");
    let spec = workspace_root().join("tests/fixtures/models/parameters.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = warnings_of(&run.stderr);
    let expected = [
        (
            "path parameter `cert_id` is not in the path `/certificates/{certificate_id}`; \
             it fills `{certificate_id}`, the one variable of the path without a parameter",
            "#/paths/~1certificates~1{certificate_id}/get/parameters",
        ),
        (
            "path parameter `extra` is not in the path `/projects/{project_id}/certificates/{certificate_id}`; \
             the call does not take it",
            "#/paths/~1projects~1{project_id}~1certificates~1{certificate_id}/post/parameters",
        ),
        (
            "path parameter `unused` is not in the path `/projects/{project_id}/certificates/{certificate_id}`; \
             the call does not take it",
            "#/paths/~1projects~1{project_id}~1certificates~1{certificate_id}/post/parameters",
        ),
        (
            "the path `/projects/{project_id}/certificates/{certificate_id}` has a variable `{project_id}` \
             without a path parameter; the call takes it as a required string",
            "#/paths/~1projects~1{project_id}~1certificates~1{certificate_id}/post/parameters",
        ),
        (
            "server variable `unused` is not in the URL `https://{region}.example.com/{version}/{region}`; \
             it is left out",
            "#/servers/0/variables/unused",
        ),
    ];
    assert_eq!(warnings.len(), expected.len(), "{}", run.stderr);
    for ((warning, (message, pointer)), n) in warnings.iter().zip(expected).zip(1..) {
        assert!(
            warning.starts_with(&format!("warning: {message}\n")),
            "warning {n}: {warning}"
        );
        assert!(warning.trim_end().ends_with(pointer), "warning {n}: {warning}");
    }
}

#[test]
fn defects_with_one_faithful_reading_are_mended_with_located_warnings() {
    let (warnings, files) = warned("mended-defects.yaml");
    insta::assert_snapshot!(warnings);
    let client = &files["src/mended_defects/client.rs"];
    assert!(
        client.contains("pub fn ping(&self)"),
        "the operation without responses is kept"
    );
    assert!(
        client.contains("/// Client for mended-defects (version 2)."),
        "named from the file"
    );
    assert!(
        client.contains("\"X-Stock-Key\""),
        "the requirement whose scopes are `null` still sends its key:\n{client}"
    );
}

#[test]
fn a_quota_that_does_not_say_how_long_is_ignored_with_a_located_warning() {
    let (warnings, files) = warned("rate-limit.yaml");
    insta::assert_snapshot!(warnings);
    let client = module_client(&files);
    assert!(
        client.contains("const QUOTA: Option<crate::common::Quota> = None;"),
        "{client}"
    );
}

#[test]
fn strict_makes_every_warning_an_error_and_writes_nothing() {
    let out = scratch("warning-strict");
    let spec = workspace_root().join("tests/fixtures/warnings/mended-defects.yaml");
    let run = generator(&[&os(&spec), &os("--out"), &os(&out), &os("--strict")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(warnings_of(&run.stderr).len(), 8, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: 8 warning(s), and --strict makes each an error; nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!out.join("src/lib.rs").exists(), "nothing is written");
}

#[test]
fn an_all_of_no_rust_type_can_be_is_any_json_value_with_a_located_warning() {
    let (warnings, files) = warned("unmergeable-all-of.yaml");
    insta::assert_snapshot!(warnings);
    let models = &files["src/unmergeable_all_of/models.rs"];
    assert!(
        models.contains("pub type Never = ::serde_json::Value;"),
        "{models}"
    );
    assert!(
        models.contains("pub type Mixed = ::serde_json::Value;"),
        "{models}"
    );
    assert!(models.contains("pub type Same = String;"), "{models}");
}

#[test]
fn security_a_client_cannot_follow_exactly_is_read_with_located_warnings() {
    let (warnings, files) = warned("security-defects.yaml");
    insta::assert_snapshot!(warnings);
    let client = &files["src/security_defects/client.rs"];
    assert!(
        client.contains("crate::common::put_secret_header(request, \"Authorization\", \"digest \", digest)"),
        "an unknown HTTP scheme sends `Authorization: <scheme> <credential>`:\n{client}"
    );
}

#[test]
fn openapi_31_keywords_that_only_validate_are_left_out_with_located_warnings() {
    let (warnings, files) = warned("openapi-31-validation.yaml");
    insta::assert_snapshot!(warnings);
    let models = &files["src/openapi_31_validation/models.rs"];
    assert!(
        models.contains("keep additional_properties: ::std::collections::BTreeMap<String, i64>;"),
        "`unevaluatedProperties` types the other keys:\n{models}"
    );
    let shipment = &models[models.find("pub struct Shipment {").expect("Shipment's table")..];
    let shipment = &shipment[..shipment.find("\n}\n").unwrap_or(shipment.len())];
    assert!(
        shipment.ends_with("\n    report;"),
        "beside `then`, `unevaluatedProperties: false` does not close the object:\n{shipment}"
    );
    assert!(
        models.contains("pub type Route = Vec<::serde_json::Value>;"),
        "a `prefixItems` array of no fixed length holds any values:\n{models}"
    );
}

#[test]
fn union_members_that_lead_back_to_their_union_are_left_out_with_located_warnings() {
    let (warnings, files) = warned("union-leads-back.yaml");
    insta::assert_snapshot!(warnings);
    let models = &files["src/union_leads_back/models.rs"];
    let quantity = &models[models.find("pub enum Quantity {").expect("Quantity")..];
    let quantity = &quantity[..quantity.find('}').expect("its end")];
    assert!(
        quantity.contains("(String);") && quantity.contains("(i64);") && !quantity.contains("Amount>"),
        "Quantity takes Amount's integer, and not Amount:\n{quantity}"
    );
    let pet = &models[models.find("pub enum Pet {").expect("Pet")..];
    let pet = &pet[..pet.find('}').expect("its end")];
    assert!(
        !pet.contains("Cat"),
        "the member that is Pet again is left out:\n{pet}"
    );
}

/// The located warnings of generating `fixtures/warnings/{fixture}`, and its files. The path
/// is relative to this package, so the locations read the same on every machine.
fn warned(fixture: &str) -> (String, generator::write::Files) {
    let spec = std::path::PathBuf::from(format!("fixtures/warnings/{fixture}"));
    let generated = generator::generate_standalone(&spec).unwrap_or_else(|errors| panic!("{errors}"));
    let warnings: Vec<String> = generated.specs[0]
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect();
    (warnings.join("\n\n"), generated.files)
}

/// The client of the one API module among `files` (not the runtime's `common/client.rs`).
fn module_client(files: &generator::write::Files) -> &str {
    let (_, text) = files
        .iter()
        .find(|(path, _)| path.ends_with("/client.rs") && !path.starts_with("src/common/"))
        .expect("a module client");
    text
}

#[test]
fn an_x_pagination_that_cannot_hold_leaves_the_call_without_a_pager() {
    for (fixture, call) in [
        ("pagination-unknown-parameter.yaml", "pub fn list_things"),
        ("pagination-request-body.yaml", "pub fn search_things"),
    ] {
        let (warnings, files) = warned(fixture);
        insta::assert_snapshot!(fixture, warnings);
        let client = module_client(&files);
        assert!(!client.contains("fn next_page"), "{fixture}: no pager");
        assert!(client.contains(call), "{fixture}: the call itself stays");
    }
}

#[test]
fn an_operation_the_generator_cannot_follow_is_left_out_and_the_others_stay() {
    let (warnings, files) = warned("unfollowable-operation.yaml");
    insta::assert_snapshot!(warnings);
    assert!(warnings.contains("this operation is left out"), "{warnings}");
    let client = module_client(&files);
    assert!(
        !client.contains("get_session"),
        "the operation with a `content` parameter is left out:\n{client}"
    );
    assert!(
        client.contains("pub fn search_sessions"),
        "an operation with one parameter schema it cannot follow stays:\n{client}"
    );
    assert!(
        client.contains("pub exclude: Option<::serde_json::Value>,"),
        "and that parameter is any JSON value:\n{client}"
    );
    assert!(
        client.contains("pub fn get_health"),
        "the other operation stays:\n{client}"
    );
}

#[test]
fn schemas_nested_beyond_the_limit_keep_their_levels_down_to_it() {
    let (warnings, files) = warned("nesting-too-deep.yaml");
    insta::assert_snapshot!(warnings);
    assert!(warnings.contains("this schema is any JSON value"), "{warnings}");
    let models = &files["src/nesting_too_deep/models.rs"];
    let deep = &models[models.find("pub type Deep = ").expect("Deep")..];
    let deep = &deep[..deep.find(';').expect("the end of Deep")];
    let levels = deep.matches("Vec<").count();
    // The schema itself, then its items down to the 64th level of nesting.
    assert_eq!(levels, 65, "arrays down to the limit:\n{deep}");
    assert!(deep.contains("::serde_json::Value"), "then any value:\n{deep}");
}

#[test]
fn schemas_that_only_name_each_other_are_any_json_value_with_one_warning() {
    let (warnings, files) = warned("ref-cycle.yaml");
    insta::assert_snapshot!(warnings);
    let models = &files["src/ref_cycle/models.rs"];
    assert!(
        models.contains("pub type Chicken = ::serde_json::Value;"),
        "{models}"
    );
    assert!(models.contains("pub type Egg = ::serde_json::Value;"), "{models}");
    assert!(
        models.contains(" chicken: Option<Chicken> = \"chicken\";"),
        "{models}"
    );
    assert!(models.contains(" eggs: Option<Vec<Egg>> = \"eggs\";"), "{models}");
    assert!(
        models.contains("pub struct Brood"),
        "an allOf with the ring as a member is the rest:\n{models}"
    );
}

#[test]
fn a_schema_the_generator_cannot_follow_is_any_json_value_and_the_rest_generates() {
    for (fixture, schema) in [
        ("not-schema.yaml", "NotAString"),
        ("all-of-includes-itself.yaml", "Loop"),
        ("discriminator-inline-member.yaml", "Pet"),
        ("discriminator-duplicate-tag.yaml", "Pet"),
        ("discriminator-mapping-missing.yaml", "Pet"),
    ] {
        let (warnings, files) = warned(fixture);
        insta::assert_snapshot!(fixture, warnings);
        assert!(
            warnings.contains("this schema is any JSON value"),
            "{fixture}: {warnings}"
        );
        let (_, models) = files
            .iter()
            .find(|(path, _)| path.ends_with("/models.rs"))
            .expect("the models");
        let alias = format!("pub type {schema} = ::serde_json::Value;");
        assert!(models.contains(&alias), "{fixture}: `{alias}` in\n{models}");
    }
}

#[test]
fn enum_names_of_the_wrong_length_are_ignored_and_the_values_name_the_variants() {
    let (warnings, files) = warned("enum-varnames-mismatch.yaml");
    insta::assert_snapshot!(warnings);
    let models = &files["src/enum_varnames_mismatch/models.rs"];
    assert!(models.contains("pub enum Level {"), "still an enum:\n{models}");
}

#[test]
fn a_warning_about_a_part_in_another_file_names_that_file_and_the_refs_that_lead_there() {
    let (warnings, files) = warned("external-file.yaml");
    insta::assert_snapshot!(warnings);
    let reports: Vec<&str> = warnings.split("\n\n").collect();
    let expected = [
        "--> fixtures/warnings/external-file/alerts.yaml #/get/responses/200/description (via \
         fixtures/warnings/external-file.yaml #/paths/~1alerts/$ref)",
        "--> fixtures/warnings/external-file/schemas.yaml #/Level/x-enum-varnames (via \
         fixtures/warnings/external-file.yaml #/paths/~1alerts/$ref -> ",
    ];
    assert_eq!(reports.len(), expected.len(), "{warnings}");
    for (report, at) in reports.iter().zip(expected) {
        assert!(report.contains(at), "{report}");
    }
    let models = &files["src/external_file/models.rs"];
    assert!(
        models.contains("pub enum Level {"),
        "the copied schema is generated:\n{models}"
    );
}

#[test]
fn a_ref_to_nothing_degrades_what_uses_it_and_nothing_else() {
    let (warnings, files) = warned("dangling-ref.yaml");
    insta::assert_snapshot!(warnings);
    for target in ["Pett", "Animal", "Nowhere"] {
        let said = warnings
            .matches(&format!("`#/components/schemas/{target}`"))
            .count();
        assert_eq!(said, 1, "the `$ref` to {target} is reported once:\n{warnings}");
    }
    let client = module_client(&files);
    assert!(
        client.contains("pub fn list_pets"),
        "the operation that reads it stays:\n{client}"
    );
    assert!(
        client.contains("Vec<::serde_json::Value>"),
        "its items are any value:\n{client}"
    );
    let models = &files["src/dangling_ref/models.rs"];
    assert!(
        models.contains("present pet: Option<::serde_json::Value> = \"pet\";"),
        "the property that reads it is any value, and its struct stays:\n{models}"
    );
}

#[test]
fn bodies_whose_schema_cannot_hold_their_media_type_are_bytes_with_located_warnings() {
    let (warnings, files) = warned("bodies-not-objects.yaml");
    insta::assert_snapshot!(warnings);
    let client = module_client(&files);
    assert!(
        client.contains("pub fn add_tags"),
        "the form call stays:\n{client}"
    );
    assert!(
        client.contains("pub fn upload_scan"),
        "the multipart call stays:\n{client}"
    );
    assert!(
        client.contains("pub attachment: Option<crate::common::FilePart>,"),
        "the part with a header it cannot send still has its siblings:\n{client}"
    );
}
