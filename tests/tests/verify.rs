//! The examples' `verify` mode, against a mock vendor: every read operation (each `GET` of
//! the spec) is called once, and what the spec does not foresee is reported: an undocumented status, a value it does
//! not list. A documented answer is just `ok`.

use std::collections::BTreeSet;
use std::path::Path;

use generator_tests::verify::{Finding, verify_cegid, verify_lagerkoll, verify_lucca};
use serde_json::json;
use vendor_clients::common::chrono::NaiveDate;
use vendor_clients::common::{Drift, DriftKind, RetryPolicy};
use vendor_clients::{cegid, lagerkoll, lucca};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The `operationId` of every `GET` of `specs/<spec>`: what a verification must call.
fn reads_of(spec: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(spec);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let document: serde_json::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let paths = document["paths"].as_object().expect("the spec has paths");
    paths
        .values()
        .filter_map(|item| item["get"]["operationId"].as_str())
        .map(str::to_owned)
        .collect()
}

/// The operations a verification called.
fn called(findings: &[Finding]) -> BTreeSet<String> {
    findings
        .iter()
        .filter_map(|finding| match finding {
            Finding::Answered { operation }
            | Finding::UndocumentedStatus { operation, .. }
            | Finding::Failed { operation, .. } => Some((*operation).to_owned()),
            Finding::Drift(_) => None,
        })
        .collect()
}

async fn answer(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_lucca_verification_calls_every_read_and_reports_the_unforeseen() {
    let server = MockServer::start().await;
    let api = "/cleemy-procurement/api";
    let archived = json!({"items": [{"id": 3, "name": "R&D", "code": "RD", "state": "Archived"}]});
    answer(
        &server,
        &format!("{api}/costcenters"),
        ResponseTemplate::new(200).set_body_json(archived),
    )
    .await;
    answer(
        &server,
        &format!("{api}/costcenters/3"),
        ResponseTemplate::new(203),
    )
    .await;
    let purchases = json!({"items": [{"id": 6655, "state": "Created"}]});
    answer(
        &server,
        &format!("{api}/purchases"),
        ResponseTemplate::new(200).set_body_json(purchases),
    )
    .await;
    let purchase = json!({"id": 6655, "state": "Created"});
    answer(
        &server,
        &format!("{api}/purchases/6655"),
        ResponseTemplate::new(200).set_body_json(purchase),
    )
    .await;
    answer(
        &server,
        "/cleemy-procurement/taxes/api/rates",
        ResponseTemplate::new(200).set_body_json(json!([])),
    )
    .await;
    answer(
        &server,
        &format!("{api}/suppliers"),
        ResponseTemplate::new(200).set_body_json(json!({"items": []})),
    )
    .await;
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    let day = NaiveDate::from_ymd_opt(2025, 4, 14).expect("a date");
    let findings = verify_lucca(client, "FR", day).await;
    let expected = [
        Finding::Drift(Drift {
            operation: "listCostCenters",
            status: 200,
            pointer: "/items/0/state".into(),
            kind: DriftKind::EnumValue,
            type_name: "CostCenterState",
            value: "Archived".into(),
        }),
        Finding::Answered {
            operation: "listCostCenters",
        },
        Finding::UndocumentedStatus {
            operation: "getCostCenter",
            status: 203,
        },
        Finding::Answered {
            operation: "listPurchases",
        },
        Finding::Answered {
            operation: "getPurchase",
        },
        Finding::Answered {
            operation: "listVatRates",
        },
        Finding::Answered {
            operation: "listSuppliers",
        },
    ];
    assert_eq!(findings, expected);
    assert_eq!(called(&findings), reads_of("lucca.yaml"));
    assert_eq!(
        findings[2].to_string(),
        "STATUS    getCostCenter: 203 is not documented; add it to the spec"
    );
}

#[tokio::test]
async fn lagerkoll_and_cegid_verifications_call_every_read() {
    let server = MockServer::start().await;
    let list = json!({"since": 9, "costCenters": [{"id": 7, "name": "Workshop"}]});
    answer(
        &server,
        "/costcenters/",
        ResponseTemplate::new(200).set_body_json(list.clone()),
    )
    .await;
    answer(
        &server,
        "/costcenters/7",
        ResponseTemplate::new(200).set_body_json(list),
    )
    .await;
    answer(
        &server,
        "/getFileUrlDeposit",
        ResponseTemplate::new(200).set_body_json(json!({"uri": "a/verify.txt"})),
    )
    .await;
    answer(
        &server,
        "/getstatus",
        ResponseTemplate::new(404).set_body_string("no such request"),
    )
    .await;
    let lagerkoll = lagerkoll::Client::new(&server.uri()).expect("a base URL");
    let findings = verify_lagerkoll(lagerkoll).await;
    assert_eq!(called(&findings), reads_of("lagerkoll.yaml"));
    assert_eq!(
        findings,
        [
            Finding::Answered {
                operation: "listCostCenters"
            },
            Finding::Answered {
                operation: "getCostCenter"
            },
        ]
    );
    let cegid = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    let request = "ca85671e-6f98-4c2e-b075-c5cd9fea57ed".parse().expect("a UUID");
    let findings = verify_cegid(cegid, "verify.txt", Some(request)).await;
    assert_eq!(called(&findings), reads_of("cegid.yaml"));
    assert_eq!(
        findings[0],
        Finding::Answered {
            operation: "getFileUrlDeposit"
        }
    );
    // Cegid documents its errors as `default`: a 404 is a documented failure, shown as is.
    let Finding::Failed { operation, error } = &findings[1] else {
        panic!("{findings:?}");
    };
    assert_eq!(*operation, "getStatus");
    assert!(error.contains("404"), "{error}");
}
