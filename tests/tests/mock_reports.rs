//! The typed mock servers tell a service's test what went wrong: a request no stub matches is
//! answered with the reason for each stub of its method and path; a stub can match a path
//! value; an operation with two success statuses can be stubbed with either; a stub called
//! other than as often as it expects fails the test with a report that says why (the client's
//! retries) and holds no credential.

mod support;

use serde_json::json;
use support::value;
use vendor_clients::{lagerkoll, lucca};

const KEY: &str = "k3y-not-for-reports";

#[tokio::test]
async fn a_request_no_stub_matches_is_told_which_matcher_refused_it() {
    let mock = lagerkoll::MockServer::start().await;
    mock.list_cost_centers()
        .query("since", "41")
        .respond(&value(json!({"since": 57, "costCenters": []})))
        .await;
    let params = lagerkoll::client::ListCostCentersParams { since: Some(42) };
    match mock.client().list_cost_centers(&params).await {
        Err(lagerkoll::Error::Status {
            status: 404, body, ..
        }) => assert!(
            body.contains("- `list_cost_centers` (GET /costcenters/): query `since` is `42`, not `41`"),
            "{body}"
        ),
        other => panic!("expected the mock's 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stub_can_match_the_value_of_a_path_parameter() {
    let mock = lucca::MockServer::start().await;
    mock.get_purchase()
        .path("id", 12)
        .respond(&value(json!({"id": 12, "title": "Office chairs"})))
        .expect(1)
        .await;
    let client = mock.client();
    let purchase = client.get_purchase(12).await.expect("stubbed");
    assert_eq!(purchase.id, Some(12));
    match client.get_purchase(13).await {
        Err(lucca::Error::Status {
            status: 404, body, ..
        }) => {
            assert!(body.contains("path `{id}` is `13`, not `12`"), "{body}")
        }
        other => panic!("expected the mock's 404, got {other:?}"),
    }
}

#[tokio::test]
async fn an_operation_with_two_success_statuses_can_be_stubbed_with_either() {
    let mock = lucca::MockServer::start().await;
    let commitment: lucca::models::Commitment =
        value(support::fixture("lucca/commitment-one-time-response.json"));
    mock.create_commitment()
        .respond_as(201, &commitment)
        .expect(1)
        .await;
    let answer = mock
        .client()
        .create_commitment(6655, &commitment)
        .await
        .expect("stubbed");
    assert!(
        matches!(answer, lucca::client::CreateCommitmentResponse::Created(_)),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_stub_called_more_often_than_expected_says_the_client_retried_and_shows_no_credential() {
    let mock = lagerkoll::MockServer::start().await;
    mock.get_cost_center().respond_status(503).expect(1).await;
    let client = mock
        .client()
        .with_retry(support::servers::quick_retries())
        .with_credentials(lagerkoll::Credentials::StoreApiKey {
            store: "1234".into(),
            api_key: KEY.into(),
        });
    client.get_cost_center(7).await.expect_err("a 503");
    let verified = tokio::spawn(async move { mock.verify().await }).await;
    let panic = verified.expect_err("the expectation fails").into_panic();
    let report = panic.downcast_ref::<String>().expect("a report").clone();
    assert!(
        report.contains(
            "- `get_cost_center` (GET /costcenters/{cost_center}), answering 503: expected 1 call(s), got 3. \
             The client retries a 503"
        ),
        "{report}"
    );
    assert!(
        report.contains("requests received (3):\n- GET /costcenters/7 (headers: "),
        "{report}"
    );
    assert!(report.contains("api_key"), "the header's name is shown: {report}");
    assert!(!report.contains(KEY), "never its value: {report}");
    assert!(!report.contains("1234"), "nor the store's: {report}");
}
