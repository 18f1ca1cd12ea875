//! What a first real call to each vendor could trip on, where the vendors' documents leave the
//! wire open: each mock server here answers as the vendor may, and the client must still tell
//! success from failure. Lucca may answer `createCommitment` with 200 (its reference page) or
//! 201 (its guide); Cegid's import bodies spell the model key `modele`; Lagerkoll speaks XML
//! unless asked for JSON, may send its error body with a success status, and may answer a
//! create with 201.

mod support;

use serde_json::json;
use support::fixture;
use support::servers::{COST_CENTERS, cost_centers, workshop};
use vendor_clients::common::RetryPolicy;
use vendor_clients::{cegid, lagerkoll, lucca};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn lagerkoll_client(server: &MockServer) -> lagerkoll::Client {
    lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
}

#[tokio::test]
async fn lucca_create_commitment_succeeds_with_200_as_the_reference_page_shows_and_201_as_the_guide_says() {
    let server = MockServer::start().await;
    let request: lucca::models::Commitment =
        serde_json::from_value(fixture("lucca/commitment-one-time-request.json")).expect("a commitment");
    for (purchase, status) in [(6655, 200), (6656, 201)] {
        Mock::given(method("POST"))
            .and(path(format!(
                "/cleemy-procurement/api/purchases/{purchase}/commitment"
            )))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(fixture("lucca/commitment-one-time-response.json")),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never())
        .with_credentials(lucca::Credentials {
            lucca_api_key: "key".into(),
        });
    for purchase in [6655, 6656] {
        let created = client
            .create_commitment(purchase, &request)
            .await
            .unwrap_or_else(|error| panic!("purchase {purchase}: {error}"))
            .into_body();
        // The commitment id the approval request needs, whichever status carried it.
        let lucca::models::Commitment::OneTimeCommitment(created) = created else {
            panic!("decoded as {created:?}");
        };
        assert_eq!(created.id, Some(54635));
    }
}

#[tokio::test]
async fn cegid_imports_send_the_model_as_modele_and_read_the_vendor_example_spelt_modele_in_capitals() {
    let server = MockServer::start().await;
    // The vendor's own example, `"MODELE": "IMPORTPERSO"`, decodes...
    let example = fixture("cegid/import-perso-request.json");
    assert_eq!(example["MODELE"], "IMPORTPERSO");
    let request: cegid::models::ImportPersoRequest =
        serde_json::from_value(example.clone()).expect("the vendor example decodes");
    // ...and goes on the wire as `modele`, the spelling a case-sensitive server binds too.
    let mut sent = example;
    let object = sent.as_object_mut().expect("an object");
    let model = object.remove("MODELE").expect("the vendor spelling");
    object.insert("modele".into(), model);
    Mock::given(method("POST"))
        .and(path("/importPerso"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("cegid/import-perso-response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    client.import_perso(&request).await.expect("importPerso");
    // Both spellings decode; a body giving the key twice is refused rather than guessed at.
    let lower = r#"{"codeIbs":"CEGID003","URI":"a/b.txt","modele":"IMPORTPERSO"}"#;
    serde_json::from_str::<cegid::models::ImportPersoRequest>(lower).expect("modele decodes");
    let both = r#"{"codeIbs":"CEGID003","URI":"a/b.txt","modele":"A","MODELE":"B"}"#;
    assert!(serde_json::from_str::<cegid::models::ImportPersoRequest>(both).is_err());
}

/// Matches a request whose `Accept` header is exactly `expected`.
fn accepts(expected: &'static str) -> impl Fn(&Request) -> bool {
    move |request: &Request| {
        request
            .headers
            .get("accept")
            .is_some_and(|value| value == expected)
    }
}

/// Answers as a server that speaks XML unless `Accept` asks for JSON.
fn json_only_when_asked(request: &Request) -> ResponseTemplate {
    let accept = request
        .headers
        .get("accept")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if accept
        .split(',')
        .any(|range| range.trim().starts_with("application/json"))
    {
        ResponseTemplate::new(200).set_body_raw(COST_CENTERS, "application/json")
    } else {
        ResponseTemplate::new(200).set_body_raw(
            "<CostCentersResponse><since>42</since></CostCentersResponse>",
            "application/xml",
        )
    }
}

#[tokio::test]
async fn every_call_asks_for_the_media_types_its_responses_declare_json_first() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/"))
        .respond_with(json_only_when_asked)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/costcenters/7"))
        // Bodyless successes, but errors come as JSON.
        .and(accepts("application/json"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/cleemy-procurement/api/costcenters/3"))
        .and(accepts("application/json, application/problem+json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 3, "name": "R&D", "code": "RD"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/getFileUrlDeposit"))
        // Cegid's errors are of any media type: asked for last, at a lower weight.
        .and(accepts("application/json, */*;q=0.1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"uri": "005e3c2d/entries.txt"})))
        .expect(1)
        .mount(&server)
        .await;

    let lagerkoll = lagerkoll_client(&server);
    let list = lagerkoll
        .list_cost_centers(&Default::default())
        .await
        .expect("JSON, because the call asked for it");
    assert_eq!(list.since, Some(42));
    lagerkoll.delete_cost_center(7).await.expect("deleteCostCenter");
    let lucca = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    lucca.get_cost_center(3).await.expect("Lucca getCostCenter");
    let cegid = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    cegid
        .get_file_url_deposit(&cegid::client::GetFileUrlDepositParams {
            filename: "entries.txt".into(),
        })
        .await
        .expect("getFileUrlDeposit");
}

#[tokio::test]
async fn a_lagerkoll_error_body_sent_with_a_success_status_is_an_error() {
    let server = MockServer::start().await;
    let error = fixture("lagerkoll/error-common.json");
    for (verb, at) in [
        ("GET", "/costcenters/"),
        ("POST", "/costcenters/"),
        ("DELETE", "/costcenters/7"),
    ] {
        Mock::given(method(verb))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_json(&error))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = lagerkoll_client(&server);
    let outcomes = [
        client.list_cost_centers(&Default::default()).await.map(drop),
        client.create_cost_center(&workshop()).await.map(drop),
        client.delete_cost_center(7).await.map(drop),
    ];
    for outcome in outcomes {
        match outcome {
            Err(lagerkoll::Error::Api {
                status: 200, body, ..
            }) => {
                assert_eq!(body.error_code, lagerkoll::models::ErrorCode::CommonError);
                assert_eq!(
                    body.error_message.as_deref(),
                    Some("Something went wrong on the server")
                );
            }
            other => panic!("expected the vendor's error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_lagerkoll_success_body_is_never_taken_for_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/costcenters/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"since": 0, "costCenters": []})))
        .expect(1)
        .mount(&server)
        .await;
    let client = lagerkoll_client(&server);
    let one = client.get_cost_center(7).await.expect("a cost center");
    assert_eq!(one.cost_centers.map(|list| list.len()), Some(1));
    let none = client
        .list_cost_centers(&Default::default())
        .await
        .expect("an empty list");
    assert_eq!(none.cost_centers, Some(Vec::new()));
}

#[tokio::test]
async fn lagerkoll_create_and_update_succeed_with_200_or_201() {
    let server = MockServer::start().await;
    let stored = json!({"id": 7, "name": "Workshop", "shortName": "WS", "externalId": null, "active": true});
    for (verb, at, status) in [
        ("POST", "/costcenters/", 201),
        ("PUT", "/costcenters/7", 201),
        ("PUT", "/costcenters/8", 200),
    ] {
        Mock::given(method(verb))
            .and(path(at))
            .respond_with(ResponseTemplate::new(status).set_body_json(&stored))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = lagerkoll_client(&server);
    let created = client
        .create_cost_center(&workshop())
        .await
        .expect("201 from create");
    assert!(matches!(
        created,
        lagerkoll::client::CreateCostCenterResponse::Created(_)
    ));
    assert_eq!(created.into_body().id, Some(7));
    let change: lagerkoll::models::CostCenter =
        serde_json::from_value(json!({"name": "Workshop", "active": true})).expect("a cost center");
    for id in [7, 8] {
        let updated = client.update_cost_center(id, &change).await.expect("update");
        assert_eq!(updated.body().short_name.as_deref(), Some("WS"));
    }
}
