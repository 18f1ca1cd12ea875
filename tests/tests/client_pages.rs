//! Page helpers from `x-pagination`: Lucca's numbered pages stop at the first short page,
//! Lagerkoll's `since` cursor stops when nothing new comes back, and an error ends the pages;
//! the same pages as streams of pages or of items follow the same rules.

use futures_util::{StreamExt as _, TryStreamExt as _};
use serde_json::json;
use vendor_clients::common::RetryPolicy;
use vendor_clients::{lagerkoll, lucca};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn cost_centers(codes: &[&str]) -> serde_json::Value {
    let items: Vec<_> = codes
        .iter()
        .map(|code| json!({"name": code, "code": code}))
        .collect();
    json!({ "items": items })
}

async fn lucca_page(server: &MockServer, page: &str, codes: &[&str]) {
    Mock::given(method("GET"))
        .and(path("/cleemy-procurement/api/costcenters"))
        .and(query_param("page", page))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers(codes)))
        .expect(1)
        .mount(server)
        .await;
}

fn lucca_params() -> lucca::client::ListCostCentersParams {
    lucca::client::ListCostCentersParams {
        fields_root: None,
        page: None,
        limit: Some(2),
    }
}

#[tokio::test]
async fn numbered_pages_run_until_a_short_page() {
    let server = MockServer::start().await;
    lucca_page(&server, "1", &["A", "B"]).await;
    lucca_page(&server, "2", &["C", "D"]).await;
    lucca_page(&server, "3", &["E"]).await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let mut pages = client.list_cost_centers_pages(lucca_params());
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        sizes.push(page.expect("a page").len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert!(pages.next_page().await.is_none(), "the pages stay finished");
}

#[tokio::test]
async fn all_gathers_every_item_and_an_empty_collection_has_no_pages() {
    let server = MockServer::start().await;
    lucca_page(&server, "1", &["A", "B"]).await;
    lucca_page(&server, "2", &[]).await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let all = client
        .list_cost_centers_pages(lucca_params())
        .all()
        .await
        .expect("every page");
    let codes: Vec<_> = all.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, ["A", "B"]);
}

#[tokio::test]
async fn an_error_ends_the_pages() {
    let server = MockServer::start().await;
    lucca_page(&server, "1", &["A", "B"]).await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    let mut pages = client.list_cost_centers_pages(lucca_params());
    assert!(matches!(pages.next_page().await, Some(Ok(items)) if items.len() == 2));
    assert!(matches!(
        pages.next_page().await,
        Some(Err(lucca::Error::Status { status: 500, .. }))
    ));
    assert!(pages.next_page().await.is_none());
}

#[tokio::test]
async fn the_since_cursor_follows_the_answers_until_nothing_is_new() {
    let server = MockServer::start().await;
    let page = |since: i64, ids: &[i64]| {
        let items: Vec<_> = ids
            .iter()
            .map(|id| json!({"id": id, "name": format!("cc{id}")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"since": since, "costCenters": items}))
    };
    Mock::given(query_param("since", "0"))
        .respond_with(page(5, &[1, 2]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("since", "5"))
        .respond_with(page(9, &[3]))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("since", "9"))
        .respond_with(page(9, &[]))
        .expect(1)
        .mount(&server)
        .await;
    let client = lagerkoll::Client::new(&server.uri()).expect("a base URL");
    let params = lagerkoll::client::ListCostCentersParams { since: Some(0) };
    let all = client
        .list_cost_centers_pages(params)
        .all()
        .await
        .expect("every page");
    let ids: Vec<_> = all.iter().map(|c| c.id).collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3)]);
}

#[tokio::test]
async fn a_server_repeating_itself_does_not_page_forever() {
    let server = MockServer::start().await;
    // Every page number gets the same full page.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers(&["A", "B"])))
        .expect(2)
        .mount(&server)
        .await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let all = client
        .list_cost_centers_pages(lucca_params())
        .all()
        .await
        .expect("pages");
    assert_eq!(all.len(), 2);
    // A cursor that goes round in circles: 1, 2, 1, ...
    let cycle = MockServer::start().await;
    let page = |since: i64| {
        ResponseTemplate::new(200).set_body_json(json!({"since": since, "costCenters": [{"id": since}]}))
    };
    Mock::given(query_param("since", "0"))
        .respond_with(page(1))
        .expect(1)
        .mount(&cycle)
        .await;
    Mock::given(query_param("since", "1"))
        .respond_with(page(2))
        .expect(1)
        .mount(&cycle)
        .await;
    Mock::given(query_param("since", "2"))
        .respond_with(page(1))
        .expect(1)
        .mount(&cycle)
        .await;
    let client = lagerkoll::Client::new(&cycle.uri()).expect("a base URL");
    let params = lagerkoll::client::ListCostCentersParams { since: Some(0) };
    assert_eq!(
        client
            .list_cost_centers_pages(params)
            .all()
            .await
            .expect("pages")
            .len(),
        3
    );
}

#[tokio::test]
async fn numbered_pages_stream_as_pages_or_as_items_fetched_when_wanted() {
    let server = MockServer::start().await;
    lucca_page(&server, "1", &["A", "B"]).await;
    lucca_page(&server, "2", &["C", "D"]).await;
    lucca_page(&server, "3", &["E"]).await;
    let client = lucca::Client::new(&server.uri()).expect("a base URL");
    let sizes: Vec<usize> = client
        .list_cost_centers_pages(lucca_params())
        .pages()
        .map_ok(|page| page.len())
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(sizes, [2, 2, 1]);
    // Three items need two pages: the third page is never asked for.
    let lazy = MockServer::start().await;
    lucca_page(&lazy, "1", &["A", "B"]).await;
    lucca_page(&lazy, "2", &["C", "D"]).await;
    Mock::given(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(cost_centers(&["E"])))
        .expect(0)
        .mount(&lazy)
        .await;
    let client = lucca::Client::new(&lazy.uri()).expect("a base URL");
    let first: Vec<String> = client
        .list_cost_centers_pages(lucca_params())
        .items()
        .take(3)
        .map_ok(|cost_center| cost_center.code)
        .try_collect()
        .await
        .expect("three items");
    assert_eq!(first, ["A", "B", "C"]);
}

#[tokio::test]
async fn the_since_cursor_streams_its_items_and_an_error_is_the_last() {
    let server = MockServer::start().await;
    Mock::given(query_param("since", "0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"since": 5, "costCenters": [{"id": 1}, {"id": 2}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(query_param("since", "5"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let client = lagerkoll::Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(RetryPolicy::never());
    let params = lagerkoll::client::ListCostCentersParams { since: Some(0) };
    let seen: Vec<Result<Option<i64>, lagerkoll::Error>> = client
        .list_cost_centers_pages(params)
        .items()
        .map_ok(|cost_center| cost_center.id)
        .collect()
        .await;
    assert_eq!(seen.len(), 3, "two items, then the error, then nothing: {seen:?}");
    assert!(matches!(seen[..2], [Ok(Some(1)), Ok(Some(2))]), "{seen:?}");
    assert!(
        matches!(seen[2], Err(lagerkoll::Error::Status { status: 500, .. })),
        "{seen:?}"
    );
}
