//! Contract tests against Prism, an independent OpenAPI implementation: each spec is served
//! by `prism mock` on loopback, which validates every request against the spec (a request
//! it finds invalid gets `422` and the violations) and answers with the spec's examples or
//! data generated from its schemas. Every operation of every vendor is called through the
//! generated client; each call must be accepted, and each answer must decode.
//!
//! Prism comes from `.ci/package.json` (`npm ci --prefix .ci`); `.ci/run` runs this suite
//! with `cargo test -p generator-tests --features contract --test contract`.

mod support;

use serde_json::json;
use support::calls::Calls;
use support::fixture;
use support::prism::Prism;
use vendor_clients::common::RetryPolicy;
use vendor_clients::{cegid, lagerkoll, lucca};

/// Fails with the call's name and the error, Prism's violations included.
fn accepted<T, E: std::fmt::Debug>(call: &str, result: Result<T, E>) -> T {
    result.unwrap_or_else(|error| panic!("{call}: {error:?}"))
}

#[tokio::test]
async fn every_lagerkoll_call_is_accepted_and_every_answer_decodes() {
    let prism = Prism::serve("lagerkoll.yaml", 4011);
    let calls = Calls::default();
    let client = lagerkoll::Client::new(&prism.url)
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_observer(calls.observer())
        .with_credentials(lagerkoll::Credentials::StoreApiKey {
            store: "1234".into(),
            api_key: "key".into(),
        });
    let params = lagerkoll::client::ListCostCentersParams { since: Some(0) };
    accepted("listCostCenters", client.list_cost_centers(&params).await);
    accepted("getCostCenter", client.get_cost_center(7).await);
    let create = lagerkoll::models::CostCenterCreate {
        name: "Workshop".into(),
        short_name: "WS".into(),
        active: Some(true),
    };
    accepted("createCostCenter", client.create_cost_center(&create).await);
    let update = serde_json::from_value(json!({"name": "Workshop", "active": false})).expect("a cost center");
    accepted("updateCostCenter", client.update_cost_center(7, &update).await);
    accepted("deleteCostCenter", client.delete_cost_center(7).await);
    calls.assert_every_operation_of("lagerkoll.yaml");
}

#[tokio::test]
async fn every_cegid_call_is_accepted_and_every_answer_decodes() {
    let prism = Prism::serve("cegid.yaml", 4012);
    let calls = Calls::default();
    let client = cegid::Client::new(&prism.url)
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_observer(calls.observer())
        .with_credentials(cegid::Credentials {
            api_key: "key".into(),
            subscription_key: "sub".into(),
        });
    let perso =
        serde_json::from_value(fixture("cegid/import-perso-request.json")).expect("an importPerso body");
    accepted("importPerso", client.import_perso(&perso).await);
    let fec = serde_json::from_value(json!({"codeIbs": "CEGID003", "URI": "142ae28e/FEC20201231.txt"}))
        .expect("an importFEC body");
    accepted("importFEC", client.import_fec(&fec).await);
    let deposit = cegid::client::GetFileUrlDepositParams {
        filename: "entries.txt".into(),
    };
    accepted("getFileUrlDeposit", client.get_file_url_deposit(&deposit).await);
    let status = cegid::client::GetStatusParams {
        accounting_import_request_id: "ca85671e-6f98-4c2e-b075-c5cd9fea57ed".parse().expect("a uuid"),
    };
    accepted("getStatus", client.get_status(&status).await);
    calls.assert_every_operation_of("cegid.yaml");
}

#[tokio::test]
async fn every_lucca_call_is_accepted_and_every_answer_decodes() {
    let prism = Prism::serve("lucca.yaml", 4013);
    let calls = Calls::default();
    let client = lucca::Client::new(&prism.url)
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_observer(calls.observer())
        .with_credentials(lucca::Credentials {
            lucca_api_key: "key".into(),
        });
    let import = serde_json::from_value(json!({
        "mode": "SkipInvalidItems",
        "items": [{"name": "Research", "code": "RD", "ownerId": 416, "state": "Enabled", "establishmentIds": [1]}]
    }))
    .expect("an import");
    accepted("importCostCenters", client.import_cost_centers(&import).await);
    let paging = lucca::client::ListCostCentersParams {
        fields_root: Some(vec![
            lucca::models::RootField::Next,
            lucca::models::RootField::Count,
        ]),
        page: Some("1".into()),
        limit: Some(100),
    };
    accepted("listCostCenters", client.list_cost_centers(&paging).await);
    accepted("getCostCenter", client.get_cost_center(3).await);
    let cost_center =
        serde_json::from_value(json!({"name": "Research", "code": "RD", "ownerId": 416, "state": "Enabled"}))
            .expect("a cost center");
    accepted(
        "updateCostCenter",
        client.update_cost_center(3, &cost_center).await,
    );
    let purchase =
        serde_json::from_value(fixture("lucca/purchase-create-request-guide.json")).expect("a purchase");
    accepted("createPurchase", client.create_purchase(&purchase).await);
    let purchases = lucca::client::ListPurchasesParams {
        fields_root: None,
        page: Some("1".into()),
        limit: Some(10),
    };
    accepted("listPurchases", client.list_purchases(&purchases).await);
    accepted("getPurchase", client.get_purchase(6655).await);
    let commitment =
        serde_json::from_value(fixture("lucca/commitment-one-time-request.json")).expect("a commitment");
    accepted(
        "createCommitment",
        client.create_commitment(6655, &commitment).await,
    );
    accepted(
        "createCommitmentRequest",
        client.create_commitment_request(54635).await,
    );
    let rates = lucca::client::ListVatRatesParams {
        date: "2025-01-01".parse().expect("a date"),
        territory_id: "FR".into(),
    };
    accepted("listVatRates", client.list_vat_rates(&rates).await);
    let suppliers = lucca::client::ListSuppliersParams {
        state: Some(lucca::models::SupplierState::Active),
        search_terms: Some("Amazon".into()),
        fields_root: None,
        page: None,
        limit: Some(50),
    };
    accepted("listSuppliers", client.list_suppliers(&suppliers).await);
    calls.assert_every_operation_of("lucca.yaml");
}

#[tokio::test]
async fn prism_refuses_what_the_spec_refuses() {
    // The suite is only as good as Prism's judgement: a call without credentials, and a
    // body the spec forbids, must be refused.
    let prism = Prism::serve("lagerkoll.yaml", 4014);
    let anonymous = lagerkoll::Client::new(&prism.url)
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    match anonymous.get_cost_center(7).await {
        Err(lagerkoll::Error::Status { status: 401, .. } | lagerkoll::Error::Api { status: 401, .. }) => {}
        other => panic!("expected 401, got {other:?}"),
    }
    let response = reqwest::Client::new()
        .post(format!("{}/costcenters/", prism.url))
        .header("store", "1")
        .header("api_key", "k")
        .header("content-type", "application/json")
        .body(r#"{"name": "no short name"}"#)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 422);
}
