//! Every real vendor payload under `tests/fixtures/<vendor>/` is an `example` in its spec,
//! decodes into the generated type the spec gives it, and encodes back to the same JSON value:
//! numbers exactly as written (amounts are exact decimals), timestamps as the same instant
//! with the same offset. `SOURCES.md` beside the fixtures says where each payload comes from.
//! And no example in a spec is a documentation tool's filler, which a mock server would serve.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use vendor_clients::{cegid, lagerkoll, lucca};

/// One vendor payload: its file, the spec example it copies, and its generated type.
struct Fixture {
    file: &'static str,
    spec: &'static str,
    example: &'static str,
    round_trip: fn(&str) -> Result<Value, String>,
    /// Keys the client reads under the vendor's spelling but sends under another
    /// (`x-aliases`): `(in the payload, as sent)`.
    respelt: &'static [(&'static str, &'static str)],
}

/// Decodes `text` as `T` and encodes the result again, as a JSON value.
fn via<T: DeserializeOwned + Serialize>(text: &str) -> Result<Value, String> {
    let decoded: T = serde_json::from_str(text).map_err(|e| format!("decode: {e}"))?;
    let encoded = serde_json::to_string(&decoded).map_err(|e| format!("encode: {e}"))?;
    serde_json::from_str(&encoded).map_err(|e| format!("re-read: {e}"))
}

const FIXTURES: &[Fixture] = &[
    Fixture {
        file: "lucca/commitment-one-time-request.json",
        spec: "lucca.yaml",
        example: "/paths/~1cleemy-procurement~1api~1purchases~1{id}~1commitment/post/requestBody/content/application~1json/example",
        round_trip: via::<lucca::models::Commitment>,
        respelt: &[],
    },
    Fixture {
        file: "lucca/commitment-one-time-response.json",
        spec: "lucca.yaml",
        example: "/components/responses/CommitmentCreated/content/application~1json/example",
        round_trip: via::<lucca::models::Commitment>,
        respelt: &[],
    },
    Fixture {
        file: "lucca/purchase-create-request.json",
        spec: "lucca.yaml",
        example: "/paths/~1cleemy-procurement~1api~1purchases/post/requestBody/content/application~1json/examples/reference/value",
        round_trip: via::<lucca::models::PurchaseCreate>,
        respelt: &[],
    },
    Fixture {
        file: "lucca/purchase-create-request-guide.json",
        spec: "lucca.yaml",
        example: "/paths/~1cleemy-procurement~1api~1purchases/post/requestBody/content/application~1json/examples/guide/value",
        round_trip: via::<lucca::models::PurchaseCreate>,
        respelt: &[],
    },
    Fixture {
        file: "lucca/vat-rates.json",
        spec: "lucca.yaml",
        example: "/paths/~1cleemy-procurement~1taxes~1api~1rates/get/responses/200/content/application~1json/example",
        round_trip: via::<Vec<lucca::models::VatRate>>,
        respelt: &[],
    },
    Fixture {
        file: "lucca/problem-validation.json",
        spec: "lucca.yaml",
        example: "/components/responses/BadRequest/content/application~1problem+json/example",
        round_trip: via::<lucca::models::ProblemDetails>,
        respelt: &[],
    },
    Fixture {
        file: "lagerkoll/error-common.json",
        spec: "lagerkoll.yaml",
        example: "/components/schemas/LagerkollError/example",
        round_trip: via::<lagerkoll::models::LagerkollError>,
        respelt: &[],
    },
    Fixture {
        file: "cegid/import-perso-request.json",
        spec: "cegid.yaml",
        example: "/paths/~1importPerso/post/requestBody/content/application~1json/example",
        round_trip: via::<cegid::models::ImportPersoRequest>,
        respelt: &[("MODELE", "modele")],
    },
    Fixture {
        file: "cegid/import-fec-request.json",
        spec: "cegid.yaml",
        example: "/paths/~1importFEC/post/requestBody/content/application~1json/example",
        round_trip: via::<cegid::models::ImportFecRequest>,
        respelt: &[],
    },
    Fixture {
        file: "cegid/import-perso-response.json",
        spec: "cegid.yaml",
        example: "/paths/~1importPerso/post/responses/200/content/application~1json/example",
        round_trip: via::<cegid::models::AccountingImportRequest>,
        respelt: &[],
    },
    Fixture {
        file: "cegid/import-fec-response.json",
        spec: "cegid.yaml",
        example: "/paths/~1importFEC/post/responses/200/content/application~1json/example",
        round_trip: via::<cegid::models::AccountingImportRequest>,
        respelt: &[],
    },
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn fixture_text(fixture: &Fixture) -> String {
    read(&root().join("tests/fixtures").join(fixture.file))
}

/// Where `encoded` differs from `original`, if anywhere. Strings that are both RFC 3339
/// timestamps are equal when they name the same instant with the same offset (fractional
/// digits may be written differently); everything else must be equal as JSON values.
fn difference(original: &Value, encoded: &Value, at: &str) -> Option<String> {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|key| match (a.get(key), b.get(key)) {
                (Some(x), Some(y)) => difference(x, y, &format!("{at}/{key}")),
                (Some(_), None) => Some(format!("{at}/{key}: dropped when encoding")),
                (None, _) => Some(format!("{at}/{key}: added when encoding")),
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(index, (x, y))| difference(x, y, &format!("{at}/{index}"))),
        (Value::String(a), Value::String(b)) if a != b => {
            match (
                chrono::DateTime::parse_from_rfc3339(a),
                chrono::DateTime::parse_from_rfc3339(b),
            ) {
                (Ok(x), Ok(y)) if x == y && x.offset() == y.offset() => None,
                _ => Some(format!("{at}: {original} became {encoded}")),
            }
        }
        _ if original == encoded => None,
        _ => Some(format!("{at}: {original} became {encoded}")),
    }
}

#[test]
fn every_fixture_decodes_and_encodes_back_to_the_same_json() {
    let mut failures = Vec::new();
    for fixture in FIXTURES {
        let text = fixture_text(fixture);
        let mut original: Value = serde_json::from_str(&text).expect("fixtures are JSON");
        for (vendor, sent) in fixture.respelt {
            let object = original.as_object_mut().expect("a respelt fixture is an object");
            let value = object
                .remove(*vendor)
                .expect("the fixture has the vendor's spelling");
            object.insert((*sent).to_owned(), value);
        }
        match (fixture.round_trip)(&text) {
            Ok(encoded) => {
                if let Some(diff) = difference(&original, &encoded, "") {
                    failures.push(format!("{}: {diff}", fixture.file));
                }
            }
            Err(error) => failures.push(format!("{}: {error}", fixture.file)),
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures that do not round-trip:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_is_the_example_its_spec_carries() {
    let mut failures = Vec::new();
    for fixture in FIXTURES {
        let spec: Value = serde_yaml::from_str(&read(&root().join("specs").join(fixture.spec)))
            .unwrap_or_else(|e| panic!("{} is YAML: {e}", fixture.spec));
        let fixture_value: Value = serde_json::from_str(&fixture_text(fixture)).expect("fixtures are JSON");
        match spec.pointer(fixture.example) {
            Some(example) if *example == fixture_value => {}
            Some(_) => failures.push(format!(
                "{}: differs from {}#{}",
                fixture.file, fixture.spec, fixture.example
            )),
            None => failures.push(format!(
                "{}: no example at {}#{}",
                fixture.file, fixture.spec, fixture.example
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures out of step with their specs:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_file_is_listed_here() {
    let listed: Vec<&str> = FIXTURES.iter().map(|f| f.file).collect();
    let mut unlisted = Vec::new();
    for vendor in ["lucca", "lagerkoll", "cegid"] {
        let dir = root().join("tests/fixtures").join(vendor);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let name = entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let file = format!("{vendor}/{name}");
            if name.ends_with(".json") && !listed.contains(&file.as_str()) {
                unlisted.push(file);
            }
        }
    }
    assert!(unlisted.is_empty(), "fixtures without a round trip: {unlisted:?}");
}

#[test]
fn a_one_time_commitment_decodes_into_its_variant_with_exact_amounts() {
    let text = read(&root().join("tests/fixtures/lucca/commitment-one-time-response.json"));
    let commitment: lucca::models::Commitment = serde_json::from_str(&text).expect("decodes");
    assert_eq!(commitment.tag(), Some("OneTimeCommitment"));
    let lucca::models::Commitment::OneTimeCommitment(one_time) = commitment else {
        panic!("decoded as {commitment:?}");
    };
    let amount = one_time.amount_including_taxes.expect("amount present");
    let excluding = amount.excluding_taxes.expect("amount before taxes present");
    assert_eq!(excluding.value.map(|v| v.to_string()).as_deref(), Some("120"));
    assert_eq!(excluding.currency, Some(lucca::models::Currency::Eur));
    // `"paymentMethod": null` is kept apart from an absent payment method.
    assert_eq!(one_time.payment_method, Some(None));
}

#[test]
fn the_cegid_example_names_its_file_by_url_and_keeps_the_empty_uri() {
    let text = read(&root().join("tests/fixtures/cegid/import-perso-request.json"));
    let request: cegid::models::ImportPersoRequest = serde_json::from_str(&text).expect("decodes");
    let cegid::models::ImportPersoRequest::ImportPersoFromUrl(by_url) = request else {
        panic!("decoded as {request:?}");
    };
    assert!(
        by_url
            .url
            .starts_with("https://looptestcabinetrdd.blob.core.windows.net/")
    );
    assert!(by_url.uri.is_some(), "the empty URI the vendor sends is kept");
}

#[test]
fn a_cegid_import_naming_both_a_uri_and_a_url_or_neither_is_refused() {
    let both =
        r#"{"codeIbs":"CEGID003","URI":"a/b.txt","URL":"https://example.com/b.txt","MODELE":"IMPORTPERSO"}"#;
    let neither = r#"{"codeIbs":"CEGID003","MODELE":"IMPORTPERSO"}"#;
    for body in [both, neither] {
        let error = serde_json::from_str::<cegid::models::ImportPersoRequest>(body)
            .expect_err(&format!("{body} was accepted"));
        // The error says why each form failed.
        let message = error.to_string();
        assert!(
            message.contains("ImportPersoFromUri:") && message.contains("ImportPersoFromUrl:"),
            "{message}"
        );
    }
}

/// Every example a spec document carries, with its JSON pointer: the value of each `example`
/// and of each `examples/<name>/value`.
fn examples<'a>(value: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(object) => object.iter().map(|(key, child)| (key.clone(), child)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, item)| (index.to_string(), item))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
        if key == "example" {
            out.push((here.clone(), child));
        } else if key == "examples" {
            for (name, named) in child.as_object().into_iter().flatten() {
                if let Some(example) = named.get("value") {
                    out.push((format!("{here}/{name}/value"), example));
                }
            }
        }
        examples(child, &here, out);
    }
}

/// Where `value` holds a documentation tool's filler: a string equal to its own key
/// (`"name": "name"`, Lagerkoll's renderer) or Mintlify's `"<string>"`.
fn placeholders(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                let here = format!("{at}/{key}");
                if child
                    .as_str()
                    .is_some_and(|text| text == key || text == "<string>")
                {
                    out.push(here.clone());
                }
                placeholders(child, &here, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                placeholders(item, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn no_spec_example_is_a_documentation_tools_placeholder() {
    let mut found = Vec::new();
    for spec in ["cegid.yaml", "lagerkoll.yaml", "lucca.yaml"] {
        let document: Value = serde_yaml::from_str(&read(&root().join("specs").join(spec)))
            .unwrap_or_else(|e| panic!("{spec} is YAML: {e}"));
        let mut all = Vec::new();
        examples(&document, "", &mut all);
        assert!(!all.is_empty(), "{spec} has examples");
        for (pointer, example) in all {
            placeholders(example, &format!("{spec}#{pointer}"), &mut found);
        }
    }
    assert!(
        found.is_empty(),
        "placeholders served as examples:\n{}",
        found.join("\n")
    );
}
