//! The vendors' documented flows (`src/flows.rs`, also run by `examples/`) against each API's
//! typed mock server (the generated crate's `mock` feature), as a service that uses the
//! clients tests its own code: each call goes out as the vendor documents it, in order, the
//! stubs answer with the generated types (so no answer can be one the client would refuse),
//! and the flow ends with what the vendor answers.

mod support;

use generator_tests::flows::{Order, cegid_import, lagerkoll_sync, lucca_approved_order};
use serde::de::DeserializeOwned;
use serde_json::json;
use support::value;
use vendor_clients::common::chrono::NaiveDate;
use vendor_clients::{cegid, lagerkoll, lucca};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, ResponseTemplate};

/// A fixture as the type the generated client reads it into.
fn typed<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(support::fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The order of Lucca's guide: its purchase, 120 EUR at the Normal rate, on 14 April 2025.
fn guide_order() -> Order {
    let day = NaiveDate::from_ymd_opt(2025, 4, 14).expect("a date");
    Order {
        purchase: typed("lucca/purchase-create-request-guide.json"),
        cost_date: day,
        invoice_date: day,
        amount: 120.into(),
        rate_name: "Normal".into(),
    }
}

#[tokio::test]
async fn lucca_creates_an_approved_order_in_three_calls() {
    let mock = lucca::MockServer::start().await;
    mock.list_vat_rates()
        .query("date", "2025-04-14")
        .query("territoryId", "FR")
        .respond(&typed("lucca/vat-rates.json"))
        .expect(1)
        .await;
    mock.create_purchase()
        .body(&support::fixture("lucca/purchase-create-request-guide.json"))
        .respond(&value(json!({"id": 6655, "title": "Purchase entry test"})))
        .expect(1)
        .await;
    // The documented one-time commitment, taxed at the Normal rate (20 %) of the rates above.
    mock.create_commitment()
        .body(&json!({
            "type": "OneTimeCommitment", "costDate": "2025-04-14", "invoiceDate": "2025-04-14",
            "amountIncludingTaxes": {
                "excludingTaxes": {"value": 120, "currency": "EUR"},
                "taxes": [{"rateTypeId": 45, "value": 24.0, "currency": "EUR"}]
            },
            "attachmentIds": [], "state": "Created", "paymentMethod": null
        }))
        .respond(&typed("lucca/commitment-one-time-response.json"))
        .expect(1)
        .await;
    mock.create_commitment_request()
        .header("Authorization", "lucca application=key")
        .respond(&value(
            json!({"id": 901, "state": "Pending", "workflowId": "qsd5q1c2xv"}),
        ))
        .expect(1)
        .await;
    let client = mock.client().with_credentials(lucca::Credentials {
        lucca_api_key: "key".into(),
    });
    let order = guide_order();
    let request = lucca_approved_order(&client, &order)
        .await
        .expect("the flow succeeds");
    assert_eq!(
        (request.id, request.state),
        (Some(901), Some(lucca::models::CommitmentRequestState::Pending))
    );
}

#[tokio::test]
async fn lucca_refusing_the_purchase_ends_the_flow_with_its_problem() {
    let mock = lucca::MockServer::start().await;
    mock.list_vat_rates()
        .respond(&typed("lucca/vat-rates.json"))
        .await;
    mock.create_purchase()
        .respond_error(422, &typed("lucca/problem-validation.json"))
        .expect(1)
        .await;
    mock.create_commitment().expect(0).await;
    let client = mock.client().with_credentials(lucca::Credentials {
        lucca_api_key: "key".into(),
    });
    let order = guide_order();
    let error = lucca_approved_order(&client, &order).await.expect_err("refused");
    let refused = error.downcast_ref::<lucca::Error>();
    assert!(
        matches!(refused, Some(lucca::Error::Api { status: 422, body, .. }) if body.errors.is_some()),
        "{error:?}"
    );
}

#[tokio::test]
async fn lagerkoll_sync_returns_the_changes_and_the_next_sync_point() {
    let mock = lagerkoll::MockServer::start().await;
    mock.list_cost_centers()
        .query("since", "41")
        .respond(&value(json!({
            "since": 57, "costCenters": [{"id": 7, "name": "Workshop", "shortName": "WS", "active": true}]
        })))
        .expect(1)
        .await;
    let client = mock
        .client()
        .with_credentials(lagerkoll::Credentials::StoreApiKey {
            store: "1".into(),
            api_key: "k".into(),
        });
    let (changed, next) = lagerkoll_sync(&client, 41).await.expect("the flow succeeds");
    assert_eq!((changed.len(), next), (1, 57));
}

#[tokio::test]
async fn cegid_uploads_the_file_then_imports_it_from_loops_storage() {
    let mock = cegid::MockServer::start().await;
    let upload = format!("{}/blob/005e3c2d/entries.txt?sig=abc", mock.uri());
    mock.get_file_url_deposit()
        .query("filename", "entries.txt")
        .respond(&value(
            json!({"depositUrl": upload, "uri": "005e3c2d/entries.txt"}),
        ))
        .expect(1)
        .await;
    // The upload goes to the storage URL the API handed out, not to the API.
    Mock::given(method("PUT"))
        .and(path("/blob/005e3c2d/entries.txt"))
        .and(header("x-ms-blob-type", "BlockBlob"))
        .and(body_string("JOURNAL;DATE;AMOUNT"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(mock.server())
        .await;
    mock.import_perso()
        .body(&json!({"codeIbs": "CEGID003", "URI": "005e3c2d/entries.txt", "modele": "IMPORTPERSO"}))
        .respond(&typed("cegid/import-perso-response.json"))
        .expect(1)
        .await;
    mock.get_status()
        .query(
            "accountingImportRequestId",
            "ca85671e-6f98-4c2e-b075-c5cd9fea57ed",
        )
        .respond(&value(json!({"state": "Pending"})))
        .expect(1)
        .await;
    let client = mock.client().with_credentials(cegid::Credentials {
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
