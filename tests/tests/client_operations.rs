//! Every operation of every vendor against a strict mock server: the method, the path, the
//! query, the credentials and the body must be exactly as documented for the mock to answer,
//! and each documented answer (several successes, no content, the vendor's error body, values
//! no spec lists yet) must come back as its type.

mod support;

use serde_json::json;
use support::calls::Calls;
use support::fixture;
use vendor_clients::common::RetryPolicy;
use vendor_clients::{cegid, lagerkoll, lucca};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts an expectation answered once: `verb path` with Lucca's credentials.
async fn lucca_expects(server: &MockServer, verb: &str, at: &str, answer: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(at))
        .and(header("Authorization", "lucca application=key"))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

fn lucca_client(server: &MockServer) -> lucca::Client {
    lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_credentials(lucca::Credentials {
            lucca_api_key: "key".into(),
        })
}

#[tokio::test]
async fn every_lucca_operation_sends_and_decodes_as_documented() {
    use lucca::models::{PurchaseState, SupplierState};
    let server = MockServer::start().await;
    let api = "/cleemy-procurement/api";
    let import = json!({"mode": "AllOrNothing", "items": [{"name": "R&D", "code": "RD", "ownerId": 416, "state": "Enabled", "establishmentIds": [1]}]});
    Mock::given(method("POST"))
        .and(path("/cleemy-procurement/services/imports/costcenters"))
        .and(body_json(&import))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "mode": "AllOrNothing", "imported": 1, "failedValidation": 0,
            "items": [{"result": {"id": 3, "name": "R&D", "code": "RD"}, "problem": null}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    lucca_expects(
        &server,
        "GET",
        &format!("{api}/costcenters"),
        ResponseTemplate::new(200).set_body_json(json!({"items": [{"name": "R&D", "code": "RD"}]})),
    )
    .await;
    lucca_expects(
        &server,
        "GET",
        &format!("{api}/costcenters/3"),
        ResponseTemplate::new(200)
            .set_body_json(json!({"id": 3, "name": "R&D", "code": "RD", "state": "Paused"})),
    )
    .await;
    lucca_expects(
        &server,
        "PUT",
        &format!("{api}/costcenters/3"),
        ResponseTemplate::new(200).set_body_json(json!({"id": 3, "name": "R&D", "code": "RD"})),
    )
    .await;
    lucca_expects(
        &server,
        "POST",
        &format!("{api}/purchases"),
        ResponseTemplate::new(201).set_body_json(json!({"id": 6655, "state": "Created"})),
    )
    .await;
    lucca_expects(
        &server,
        "GET",
        &format!("{api}/purchases"),
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": [{"id": 6655, "state": "Ongoing"}], "count": 1})),
    )
    .await;
    lucca_expects(
        &server,
        "GET",
        &format!("{api}/purchases/6655"),
        ResponseTemplate::new(200)
            .set_body_json(json!({"id": 6655, "state": "Archived", "commitment": null})),
    )
    .await;
    lucca_expects(
        &server,
        "POST",
        &format!("{api}/purchases/6655/commitment"),
        ResponseTemplate::new(201).set_body_json(fixture("lucca/commitment-one-time-response.json")),
    )
    .await;
    lucca_expects(
        &server,
        "POST",
        &format!("{api}/commitments/54635/requests"),
        ResponseTemplate::new(201).set_body_json(json!({"id": 1, "state": "Pending"})),
    )
    .await;
    lucca_expects(
        &server,
        "GET",
        "/cleemy-procurement/taxes/api/rates",
        ResponseTemplate::new(200).set_body_json(fixture("lucca/vat-rates.json")),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(format!("{api}/suppliers")))
        .and(query_param("state", "Active"))
        .and(query_param("search.terms", "Amazon"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [{"id": 6, "name": "Amazon", "state": "Active"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let calls = Calls::default();
    let client = lucca_client(&server).with_observer(calls.observer());

    let report = client
        .import_cost_centers(&serde_json::from_value(import).expect("an import"))
        .await
        .expect("importCostCenters");
    assert_eq!(report.imported, Some(1));
    let list = lucca::client::ListCostCentersParams {
        fields_root: None,
        page: None,
        limit: None,
    };
    assert_eq!(
        client
            .list_cost_centers(&list)
            .await
            .expect("listCostCenters")
            .items
            .len(),
        1
    );
    // A state no spec lists yet is kept.
    let state = client.get_cost_center(3).await.expect("getCostCenter").state;
    assert_eq!(state.map(|s| s.to_string()).as_deref(), Some("Paused"));
    let cost_center = serde_json::from_value(json!({"name": "R&D", "code": "RD"})).expect("a cost center");
    client
        .update_cost_center(3, &cost_center)
        .await
        .expect("updateCostCenter");
    let purchase = serde_json::from_value(fixture("lucca/purchase-create-request.json")).expect("a purchase");
    assert_eq!(
        client
            .create_purchase(&purchase)
            .await
            .expect("createPurchase")
            .id,
        Some(6655)
    );
    let purchases = lucca::client::ListPurchasesParams {
        fields_root: None,
        page: None,
        limit: None,
    };
    assert_eq!(
        client
            .list_purchases(&purchases)
            .await
            .expect("listPurchases")
            .count,
        Some(1)
    );
    let got = client.get_purchase(6655).await.expect("getPurchase");
    assert_eq!(
        (got.state, got.commitment),
        (Some(PurchaseState::Other("Archived".into())), Some(None))
    );
    let commitment =
        serde_json::from_value(fixture("lucca/commitment-one-time-request.json")).expect("a commitment");
    assert_eq!(
        client
            .create_commitment(6655, &commitment)
            .await
            .expect("createCommitment")
            .body()
            .tag(),
        Some("OneTimeCommitment")
    );
    assert_eq!(
        client
            .create_commitment_request(54635)
            .await
            .expect("createCommitmentRequest")
            .id,
        Some(1)
    );
    let rates = lucca::client::ListVatRatesParams {
        date: "2025-01-01".parse().expect("a date"),
        territory_id: "FR".into(),
    };
    assert_eq!(
        client.list_vat_rates(&rates).await.expect("listVatRates").len(),
        1
    );
    let suppliers = lucca::client::ListSuppliersParams {
        state: Some(SupplierState::Active),
        search_terms: Some("Amazon".into()),
        fields_root: None,
        page: None,
        limit: None,
    };
    assert_eq!(
        client
            .list_suppliers(&suppliers)
            .await
            .expect("listSuppliers")
            .items
            .len(),
        1
    );
    calls.assert_every_operation_of("lucca.yaml");
}

#[tokio::test]
async fn lucca_problem_details_are_typed_with_their_errors_map() {
    let server = MockServer::start().await;
    lucca_expects(
        &server,
        "GET",
        "/cleemy-procurement/api/costcenters/9",
        ResponseTemplate::new(400)
            .insert_header("content-type", "application/problem+json")
            .set_body_json(fixture("lucca/problem-validation.json")),
    )
    .await;
    match lucca_client(&server).get_cost_center(9).await {
        Err(lucca::Error::Api {
            status: 400, body, ..
        }) => {
            let errors = body.errors.expect("the errors map");
            assert_eq!(errors["Id"], ["The id field is required."]);
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn every_lagerkoll_operation_sends_and_decodes_as_documented() {
    let server = MockServer::start().await;
    let answer = json!({"id": 7, "name": "Workshop", "shortName": "WS", "externalId": null, "active": true});
    Mock::given(method("GET"))
        .and(path("/costcenters/"))
        .and(query_param("since", "1730000000"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"since": 1730000500, "costCenters": [&answer]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/costcenters/7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"since": 1730000500, "costCenters": [&answer]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/costcenters/"))
        .and(body_json(
            json!({"name": "Workshop", "shortName": "WS", "active": true}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/costcenters/7"))
        .and(body_json(json!({"name": "Workshop", "active": false})))
        .respond_with(ResponseTemplate::new(200).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/costcenters/7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/costcenters/8"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let calls = Calls::default();
    let client = lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_observer(calls.observer());
    let changed = lagerkoll::client::ListCostCentersParams {
        since: Some(1_730_000_000),
    };
    let listed = client.list_cost_centers(&changed).await.expect("listCostCenters");
    assert_eq!(
        (listed.since, listed.cost_centers.map(|c| c.len())),
        (Some(1_730_000_500), Some(1))
    );
    let one = client.get_cost_center(7).await.expect("getCostCenter");
    assert_eq!(
        one.cost_centers.and_then(|c| c.first().map(|c| c.id)),
        Some(Some(7))
    );
    let create = lagerkoll::models::CostCenterCreate {
        name: "Workshop".into(),
        short_name: "WS".into(),
        active: Some(true),
    };
    let created = client
        .create_cost_center(&create)
        .await
        .expect("createCostCenter");
    // The status stays in the variant; the body is the same whichever it was.
    use lagerkoll::client::CreateCostCenterResponse;
    assert!(matches!(created, CreateCostCenterResponse::Ok(_)), "{created:?}");
    // `externalId: null` is kept apart from an absent externalId.
    assert_eq!(created.into_body().external_id, Some(None));
    let update = serde_json::from_value(json!({"name": "Workshop", "active": false})).expect("a cost center");
    client
        .update_cost_center(7, &update)
        .await
        .expect("updateCostCenter");
    // Two documented successes without a body: each is its own variant.
    use lagerkoll::client::DeleteCostCenterResponse;
    assert_eq!(
        client.delete_cost_center(7).await.expect("204"),
        DeleteCostCenterResponse::NoContent
    );
    assert_eq!(
        client.delete_cost_center(8).await.expect("200"),
        DeleteCostCenterResponse::Ok
    );
    calls.assert_every_operation_of("lagerkoll.yaml");
}

#[tokio::test]
async fn every_cegid_operation_sends_and_decodes_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/importFEC"))
        .and(body_json(
            json!({"codeIbs": "CEGID003", "URL": "https://files.example/FEC.txt"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("cegid/import-fec-response.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/getFileUrlDeposit"))
        .and(query_param("filename", "FEC.txt"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"uri": "142ae28e/FEC.txt"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/getstatus"))
        .and(query_param(
            "accountingImportRequestId",
            "ca85671e-6f98-4c2e-b075-c5cd9fea57ed",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "Done"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/importPerso"))
        .respond_with(
            ResponseTemplate::new(400).set_body_string("Le dossier CEGID999 n'existe pas sur le domaine."),
        )
        .expect(1)
        .mount(&server)
        .await;
    let calls = Calls::default();
    let client = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_observer(calls.observer());
    let fec = serde_json::from_value(json!({"codeIbs": "CEGID003", "URL": "https://files.example/FEC.txt"}))
        .expect("an importFEC body");
    let recorded = client.import_fec(&fec).await.expect("importFEC");
    let status = cegid::client::GetStatusParams {
        accounting_import_request_id: recorded.accounting_import_request_id,
    };
    // Its shape is undocumented: whatever object comes back is kept whole.
    let state = client.get_status(&status).await.expect("getStatus");
    assert_eq!(state.get("state"), Some(&json!("Done")));
    let deposit = cegid::client::GetFileUrlDepositParams {
        filename: "FEC.txt".into(),
    };
    let place = client
        .get_file_url_deposit(&deposit)
        .await
        .expect("getFileUrlDeposit");
    assert_eq!(
        (place.deposit_url, place.uri.as_deref()),
        (None, Some("142ae28e/FEC.txt"))
    );
    // Cegid documents its errors only as messages: the raw text comes back as it is.
    let mut body = fixture("cegid/import-perso-request.json");
    body["codeIbs"] = json!("CEGID999");
    let request = serde_json::from_value(body).expect("an importPerso body");
    match client.import_perso(&request).await {
        Err(cegid::Error::Status {
            status: 400, body, ..
        }) => assert!(body.contains("CEGID999 n'existe pas")),
        other => panic!("expected Status, got {other:?}"),
    }
    calls.assert_every_operation_of("cegid.yaml");
}
