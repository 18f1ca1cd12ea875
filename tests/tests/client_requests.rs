//! What the generated clients put on the wire: bodies exactly as the vendors document them,
//! query parameters in their `style`, and request bodies checked before anything is sent
//! (Cegid's SIRET must pass its Luhn check).

mod support;

use serde_json::json;
use support::fixture;
use vendor_clients::{cegid, lucca};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn import_body(siret: &str) -> cegid::models::ImportPersoRequest {
    let mut body = fixture("cegid/import-perso-request.json");
    body["SIRET"] = json!(siret);
    serde_json::from_value(body).expect("an importPerso body")
}

#[tokio::test]
async fn the_vendor_example_goes_out_as_documented_with_its_model_key_spelt_modele() {
    let server = MockServer::start().await;
    let documented = fixture("cegid/import-perso-request.json");
    let mut sent = json!({});
    for (key, value) in documented.as_object().expect("an object") {
        let key = if key == "MODELE" { "modele" } else { key };
        sent[key] = value.clone();
    }
    Mock::given(method("POST"))
        .and(path("/importPerso"))
        .and(body_json(sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("cegid/import-perso-response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = cegid::Client::new(&server.uri()).expect("a base URL");
    let answer = client
        .import_perso(&import_body("07955542100027"))
        .await
        .expect("accepted");
    assert_eq!(
        answer.accounting_import_request_id.to_string(),
        "ca85671e-6f98-4c2e-b075-c5cd9fea57ed"
    );
}

#[tokio::test]
async fn a_siret_failing_its_checks_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = cegid::Client::new(&server.uri()).expect("a base URL");
    for siret in ["07955542100028", "0795554210002", "0795554210002A"] {
        match client.import_perso(&import_body(siret)).await {
            Err(cegid::Error::InvalidRequest { message, .. }) => {
                assert!(message.contains("`SIRET`"), "{message}")
            }
            other => panic!("{siret}: expected InvalidRequest, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn validation_can_be_left_to_the_server() {
    let server = MockServer::start().await;
    // A SIRET that fails the Luhn check, as some of La Poste's (SIREN 356000000) do.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("cegid/import-perso-response.json")))
        .expect(1)
        .mount(&server)
        .await;
    let client = cegid::Client::new(&server.uri())
        .expect("a base URL")
        .with_validation(false);
    client
        .import_perso(&import_body("35600000000049"))
        .await
        .expect("sent as it is");
}

#[tokio::test]
async fn lucca_paging_parameters_follow_their_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cleemy-procurement/api/costcenters"))
        .and(query_param("fields.root", "next,count"))
        .and(query_param("page", "2"))
        .and(query_param("limit", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [], "count": 0})))
        .expect(1)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let params = lucca::client::ListCostCentersParams {
        fields_root: Some(vec![
            lucca::models::RootField::Next,
            lucca::models::RootField::Count,
        ]),
        page: Some("2".into()),
        limit: Some(100),
    };
    let page = client.list_cost_centers(&params).await.expect("a page");
    assert_eq!(page.count, Some(0));
}

#[tokio::test]
async fn a_commitment_goes_out_with_its_tag_and_comes_back_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cleemy-procurement/api/purchases/6655/commitment"))
        .and(body_json(fixture("lucca/commitment-one-time-request.json")))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(fixture("lucca/commitment-one-time-response.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let body =
        serde_json::from_value(fixture("lucca/commitment-one-time-request.json")).expect("a commitment");
    match client
        .create_commitment(6655, &body)
        .await
        .expect("created")
        .into_body()
    {
        lucca::models::Commitment::OneTimeCommitment(created) => assert_eq!(created.id, Some(54635)),
        other => panic!("expected a one-time commitment, got {other:?}"),
    }
}

#[test]
fn lucca_server_urls_are_built_from_the_host() {
    assert_eq!(
        lucca::Client::server_url("acme.ilucca.net"),
        "https://acme.ilucca.net"
    );
    assert_eq!(lucca::Client::DEFAULT_BASE_URL, "https://example.ilucca.net");
    let client = lucca::Client::new(&lucca::Client::server_url("acme.ilucca-test.net")).expect("a base URL");
    assert_eq!(client.base_url().as_str(), "https://acme.ilucca-test.net/");
}

#[tokio::test]
async fn the_user_agent_is_the_crates_or_the_callers() {
    use wiremock::matchers::header;
    let server = MockServer::start().await;
    Mock::given(header("User-Agent", "billing-service/2.1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"since": 1, "costCenters": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header(
        "User-Agent",
        vendor_clients::lagerkoll::Client::USER_AGENT,
    ))
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"since": 1, "costCenters": []})))
    .expect(1)
    .mount(&server)
    .await;
    let plain = vendor_clients::lagerkoll::Client::new(&server.uri()).expect("a base URL");
    plain.get_cost_center(1).await.expect("the crate's user agent");
    let named = plain
        .with_user_agent("billing-service/2.1")
        .expect("a valid user agent");
    named.get_cost_center(1).await.expect("the caller's user agent");
    assert!(named.with_user_agent("bad\r\nagent").is_err());
}
