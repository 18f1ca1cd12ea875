//! The vendors' documented flows (`src/flows.rs`, also run by `examples/`) against a mock
//! server: each call goes out as the vendor documents it, in order, and the flow ends with
//! what the vendor answers.

mod support;

use generator_tests::flows::{Order, cegid_import, lagerkoll_sync, lucca_approved_order};
use serde_json::json;
use support::fixture;
use vendor_clients::common::chrono::NaiveDate;
use vendor_clients::{cegid, lagerkoll, lucca};
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn lucca_creates_an_approved_order_in_three_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cleemy-procurement/taxes/api/rates"))
        .and(query_param("date", "2025-04-14"))
        .and(query_param("territoryId", "FR"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("lucca/vat-rates.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cleemy-procurement/api/purchases"))
        .and(body_json(fixture("lucca/purchase-create-request-guide.json")))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": 6655, "title": "Purchase entry test"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // The documented one-time commitment, taxed at the Normal rate (20 %) of the rates above.
    Mock::given(method("POST"))
        .and(path("/cleemy-procurement/api/purchases/6655/commitment"))
        .and(body_json(json!({
            "type": "OneTimeCommitment", "costDate": "2025-04-14", "invoiceDate": "2025-04-14",
            "amountIncludingTaxes": {
                "excludingTaxes": {"value": 120, "currency": "EUR"},
                "taxes": [{"rateTypeId": 45, "value": 24.0, "currency": "EUR"}]
            },
            "attachmentIds": [], "state": "Created", "paymentMethod": null
        })))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture("lucca/commitment-one-time-response.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/cleemy-procurement/api/commitments/54635/requests"))
        .and(header("Authorization", "lucca application=key"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": 901, "state": "Pending", "workflowId": "qsd5q1c2xv"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(lucca::Credentials {
            lucca_api_key: "key".into(),
        });
    let order = Order {
        purchase: serde_json::from_value(fixture("lucca/purchase-create-request-guide.json"))
            .expect("a purchase"),
        cost_date: NaiveDate::from_ymd_opt(2025, 4, 14).expect("a date"),
        invoice_date: NaiveDate::from_ymd_opt(2025, 4, 14).expect("a date"),
        amount: 120.into(),
        rate_name: "Normal".into(),
    };
    let request = lucca_approved_order(&client, &order)
        .await
        .expect("the flow succeeds");
    assert_eq!(
        (request.id, request.state),
        (Some(901), Some(lucca::models::CommitmentRequestState::Pending))
    );
}

#[tokio::test]
async fn lagerkoll_sync_returns_the_changes_and_the_next_sync_point() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/"))
        .and(query_param("since", "41"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "since": 57, "costCenters": [{"id": 7, "name": "Workshop", "shortName": "WS", "active": true}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(lagerkoll::Credentials::StoreApiKey {
            store: "1".into(),
            api_key: "k".into(),
        });
    let (changed, next) = lagerkoll_sync(&client, 41).await.expect("the flow succeeds");
    assert_eq!((changed.len(), next), (1, 57));
}

#[tokio::test]
async fn cegid_uploads_the_file_then_imports_it_from_loops_storage() {
    let server = MockServer::start().await;
    let upload = format!("{}/blob/005e3c2d/entries.txt?sig=abc", server.uri());
    Mock::given(method("GET"))
        .and(path("/getFileUrlDeposit"))
        .and(query_param("filename", "entries.txt"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"depositUrl": upload, "uri": "005e3c2d/entries.txt"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/blob/005e3c2d/entries.txt"))
        .and(header("x-ms-blob-type", "BlockBlob"))
        .and(body_string("JOURNAL;DATE;AMOUNT"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/importPerso"))
        .and(body_json(
            json!({"codeIbs": "CEGID003", "URI": "005e3c2d/entries.txt", "modele": "IMPORTPERSO"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("cegid/import-perso-response.json")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/getstatus"))
        .and(query_param(
            "accountingImportRequestId",
            "ca85671e-6f98-4c2e-b075-c5cd9fea57ed",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "Pending"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_credentials(cegid::Credentials {
            api_key: "k".into(),
            subscription_key: "s".into(),
        });
    let file = b"JOURNAL;DATE;AMOUNT".to_vec();
    let (id, status) = cegid_import(&client, "CEGID003", "IMPORTPERSO", "entries.txt", file)
        .await
        .expect("the flow succeeds");
    assert_eq!(id.to_string(), "ca85671e-6f98-4c2e-b075-c5cd9fea57ed");
    assert_eq!(status["state"], json!("Pending"));
}
