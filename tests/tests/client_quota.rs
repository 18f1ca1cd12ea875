//! A client keeps the quota its spec documents (`x-rate-limit`), shared by its clones: a
//! burst waits for room instead of drawing 429s from a server that counts strictly.

mod support;

use std::time::Duration;

use support::quota::SlidingWindow;
use support::servers::COST_CENTERS;
use vendor_clients::common::{Quota, RetryPolicy};
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIMIT: u32 = 5;
const PER: Duration = Duration::from_millis(300);

/// A server allowing `LIMIT` requests in any `PER`, and its counter of refusals.
async fn strict_server() -> (MockServer, &'static SlidingWindow) {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_raw(COST_CENTERS, "application/json");
    let window: &'static SlidingWindow = Box::leak(Box::new(SlidingWindow::new(LIMIT as usize, PER, ok)));
    Mock::given(wiremock::matchers::any())
        .respond_with(window)
        .mount(&server)
        .await;
    (server, window)
}

/// `count` calls at once, half through `client` and half through a clone of it, each
/// tried once.
async fn burst(client: Client, count: usize) -> Vec<Result<(), Error>> {
    let client = client.with_retry(RetryPolicy::never());
    let clone = client.clone();
    let mut calls = tokio::task::JoinSet::new();
    for index in 0..count {
        let client = if index % 2 == 0 {
            client.clone()
        } else {
            clone.clone()
        };
        calls.spawn(async move { client.get_cost_center(7).await.map(drop) });
    }
    calls.join_all().await
}

#[tokio::test]
async fn a_burst_through_a_limited_client_and_its_clone_never_draws_a_429() {
    let (server, window) = strict_server().await;
    let client = Client::new(&server.uri())
        .expect("a base URL")
        .with_quota(Some(Quota {
            requests: LIMIT,
            per: PER,
        }));
    let results = burst(client, 4 * LIMIT as usize).await;
    let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(window.refused(), 0);
}

#[tokio::test]
async fn without_a_quota_the_same_burst_is_refused_past_the_limit() {
    let (server, window) = strict_server().await;
    let client = Client::new(&server.uri()).expect("a base URL").with_quota(None);
    let results = burst(client, 4 * LIMIT as usize).await;
    let limited = results
        .iter()
        .filter(|r| matches!(r, Err(Error::RateLimited { .. })))
        .count();
    assert!(limited > 0 && window.refused() == limited, "{results:?}");
}

#[test]
fn a_client_keeps_the_quota_its_spec_documents_unless_told_otherwise() {
    let client = Client::new(Client::DEFAULT_BASE_URL).expect("a base URL");
    let shown = format!("{client:?}");
    assert!(
        shown.contains("quota: Some(Quota { requests: 200, per: 60s })"),
        "Lagerkoll documents 200 requests per minute: {shown}"
    );
    let off = format!("{:?}", client.with_quota(None));
    assert!(off.contains("quota: None"), "{off}");
}
