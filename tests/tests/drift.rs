//! Nothing a server sends is lost, and nothing new goes unnoticed: a response with values the
//! spec does not list (a currency, a payment method, a commitment type, a key) still decodes and
//! keeps each value, and the client reports each one once, with the operation, the status and
//! the JSON pointer of its first occurrence, to its drift observer and as a `tracing` warning
//! that holds names and the unlisted value only.

mod support;

use std::sync::{Arc, Mutex};

use serde_json::json;
use support::capture::Capture;
use vendor_clients::common::{Drift, DriftKind, RetryPolicy};
use vendor_clients::{lagerkoll, lucca};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Purchases with a key the spec does not declare, whose commitments carry an unlisted
/// currency (twice, `XBT`), an unlisted payment method, and an unlisted commitment type; and
/// free text that happens to spell the same.
fn purchases_ahead_of_the_spec() -> serde_json::Value {
    json!({"items": [
        {"id": 1, "title": "XBT", "state": "Created", "budgetCode": "B-12", "commitment": {
            "type": "OneTimeCommitment",
            "comment": "Crypto",
            "amountIncludingTaxes": {
                "excludingTaxes": {"value": 120, "currency": "XBT"},
                "taxes": [{"value": 24, "currency": "XBT"}]
            },
            "paymentMethod": "Crypto"
        }},
        {"id": 2, "state": "Created", "commitment": {"type": "MilestoneCommitment", "milestones": [30, 70]}},
        {"id": 3, "state": "Created", "commitment": {
            "type": "OneTimeCommitment",
            "amountIncludingTaxes": {"excludingTaxes": {"value": 5, "currency": "EUR"}},
            "paymentMethod": "Crypto"
        }}
    ]})
}

/// A drift observer that keeps what it is told.
fn recorder() -> (Arc<Mutex<Vec<Drift>>>, impl Fn(&Drift) + Send + Sync + 'static) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |drift: &Drift| {
        sink.lock().expect("drift log").push(drift.clone())
    })
}

/// A Lagerkoll client of `server` whose drift reports are kept.
fn watched_lagerkoll(server: &MockServer) -> (Arc<Mutex<Vec<Drift>>>, lagerkoll::Client) {
    let (seen, observer) = recorder();
    let client = lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_drift_observer(observer);
    (seen, client)
}

fn drift(pointer: &str, kind: DriftKind, type_name: &'static str, value: &str) -> Drift {
    Drift {
        operation: "listPurchases",
        status: 200,
        pointer: pointer.to_owned(),
        kind,
        type_name,
        value: value.to_owned(),
    }
}

#[tokio::test]
async fn unlisted_values_decode_are_kept_and_are_each_reported_once_where_they_first_occur() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cleemy-procurement/api/purchases"))
        .respond_with(ResponseTemplate::new(200).set_body_json(purchases_ahead_of_the_spec()))
        .expect(1)
        .mount(&server)
        .await;
    let (seen, observer) = recorder();
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_drift_observer(observer);
    let capture = Capture::default();
    let listed = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        let params = lucca::client::ListPurchasesParams {
            fields_root: None,
            page: None,
            limit: None,
        };
        client.list_purchases(&params).await.expect("decodes")
    };

    // Every value is kept.
    use lucca::models::{Commitment, Currency, PaymentMethod};
    let Some(Some(Commitment::OneTimeCommitment(first))) = &listed.items[0].commitment else {
        panic!("decoded as {:?}", listed.items[0].commitment);
    };
    let amount = first.amount_including_taxes.as_ref().expect("an amount");
    let excluding = amount.excluding_taxes.as_ref().expect("before taxes");
    assert_eq!(excluding.currency, Some(Currency::Other("XBT".into())));
    assert_eq!(
        first.payment_method,
        Some(Some(PaymentMethod::Other("Crypto".into())))
    );
    let Some(Some(Commitment::Other(second))) = &listed.items[1].commitment else {
        panic!("decoded as {:?}", listed.items[1].commitment);
    };
    assert_eq!(second["milestones"], json!([30, 70]));
    let encoded = serde_json::to_value(&listed).expect("encodes");
    assert_eq!(encoded["items"][1]["commitment"]["type"], "MilestoneCommitment");

    // Each unlisted value once, at its first occurrence, not at free text that spells it.
    let expected = [
        drift(
            "/items/0/budgetCode",
            DriftKind::UndeclaredKey,
            "Purchase",
            "budgetCode",
        ),
        drift(
            "/items/0/commitment/amountIncludingTaxes/excludingTaxes/currency",
            DriftKind::EnumValue,
            "Currency",
            "XBT",
        ),
        drift(
            "/items/0/commitment/paymentMethod",
            DriftKind::EnumValue,
            "PaymentMethod",
            "Crypto",
        ),
        drift(
            "/items/1/commitment/type",
            DriftKind::UnionTag,
            "Commitment",
            "MilestoneCommitment",
        ),
    ];
    assert_eq!(*seen.lock().expect("drift log"), expected);

    // And as warnings, with names and values only.
    let emitted = capture.text();
    let warnings: Vec<&str> = emitted.lines().filter(|line| line.starts_with("WARN ")).collect();
    assert_eq!(warnings.len(), 4, "{emitted}");
    assert!(warnings[1].contains("operation=\"listPurchases\""), "{emitted}");
    assert!(
        warnings[1].contains("pointer=/items/0/commitment/amountIncludingTaxes/excludingTaxes/currency"),
        "{emitted}"
    );
    assert!(warnings[3].contains("value=MilestoneCommitment"), "{emitted}");
    assert!(
        !emitted.contains("B-12"),
        "a skipped value is never shown:\n{emitted}"
    );
}

#[tokio::test]
async fn a_response_the_spec_fully_describes_reports_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::servers::cost_centers()))
        .mount(&server)
        .await;
    let (seen, client) = watched_lagerkoll(&server);
    // Lagerkoll's client also tries its error body on every success answer
    // (`x-error-on-success`): what that attempt notes about the list is not drift.
    client
        .list_cost_centers(&Default::default())
        .await
        .expect("decodes");
    assert!(seen.lock().expect("drift log").is_empty());
}

#[tokio::test]
async fn an_unlisted_error_code_in_an_error_body_is_reported_too() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/costcenters/7"))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"errorCode": 900915, "errorMessage": "in use"})),
        )
        .mount(&server)
        .await;
    let (seen, client) = watched_lagerkoll(&server);
    let error = client.delete_cost_center(7).await.expect_err("refused");
    assert!(
        matches!(error, lagerkoll::Error::Api { status: 409, .. }),
        "{error:?}"
    );
    let seen = seen.lock().expect("drift log");
    assert_eq!(
        *seen,
        [Drift {
            operation: "deleteCostCenter",
            status: 409,
            pointer: "/errorCode".into(),
            kind: DriftKind::EnumValue,
            type_name: "ErrorCode",
            value: "900915".into(),
        }]
    );
}
