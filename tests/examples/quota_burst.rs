//! The quota target, measured: a burst of 200 concurrent calls through one client that keeps
//! Lucca's documented quota (50 requests in any 60 s), against a local server that counts
//! strictly (a sliding window) and answers 429 past it.
//!
//! ```sh
//! cargo run --release -p generator-tests --example quota_burst            # Lucca's 60 s window: about 3 minutes
//! cargo run --release -p generator-tests --example quota_burst -- 6      # the same quota in a 6 s window
//! ```
//!
//! It prints how many calls succeeded, how many 429s the client saw and the server sent, and
//! the wall time against the least the quota allows: the 200th call cannot start before 3
//! full windows have passed.

#[path = "../tests/support/quota.rs"]
mod quota;

use std::time::{Duration, Instant};

use quota::SlidingWindow;
use vendor_clients::common::{Quota, RetryPolicy};
use vendor_clients::lucca::{Client, Error};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CALLS: u32 = 200;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let seconds: u64 = std::env::args().nth(1).as_deref().unwrap_or("60").parse()?;
    let documented = Client::new("https://example.ilucca.net")?;
    let per = Duration::from_secs(seconds);
    // Lucca's quota from its spec, in the window asked for.
    let requests = format!("{documented:?}")
        .contains("quota: Some(Quota { requests: 50, per: 60s })")
        .then_some(50)
        .ok_or("the Lucca client no longer keeps the documented 50 requests per 60 s")?;
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_json(serde_json::json!([]));
    let window: &'static SlidingWindow = Box::leak(Box::new(SlidingWindow::new(requests as usize, per, ok)));
    Mock::given(wiremock::matchers::any())
        .respond_with(window)
        .mount(&server)
        .await;
    let client = Client::new(&server.uri())?
        .with_quota(Some(Quota { requests, per }))
        .with_retry(RetryPolicy::never())
        // The burst queues for minutes behind the quota: longer than a call's default deadline.
        .with_deadline(None);
    let params = vendor_clients::lucca::client::ListVatRatesParams {
        date: "2026-01-01".parse()?,
        territory_id: "FR".into(),
    };
    let started = Instant::now();
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..CALLS {
        let (client, params) = (client.clone(), params.clone());
        calls.spawn(async move { client.list_vat_rates(&params).await.map(drop) });
    }
    let results = calls.join_all().await;
    let wall = started.elapsed();
    let succeeded = results.iter().filter(|r| r.is_ok()).count();
    let limited = results
        .iter()
        .filter(|r| matches!(r, Err(Error::RateLimited { .. })))
        .count();
    let minimum = per * (CALLS.div_ceil(requests) - 1);
    println!("calls: {CALLS}, quota: {requests} per {seconds} s");
    println!(
        "succeeded: {succeeded}, 429s seen by the client: {limited}, sent by the server: {}",
        window.refused()
    );
    println!(
        "wall time: {:.2} s, least the quota allows: {:.2} s, ratio {:.3}",
        wall.as_secs_f64(),
        minimum.as_secs_f64(),
        wall.as_secs_f64() / minimum.as_secs_f64()
    );
    Ok(())
}
