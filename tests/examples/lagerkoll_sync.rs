//! Lagerkoll's incremental sync of cost centers against the real API.
//!
//! ```sh
//! LAGERKOLL_STORE=1234 LAGERKOLL_API_KEY=... cargo run -p generator-tests --example lagerkoll_sync -- 0
//! ```
//!
//! The argument is the sync point stored from the last run (0 for everything); the new one
//! is printed last. With `verify` instead, it calls every read operation once and prints
//! what the spec did not foresee (undocumented statuses, unlisted values), changing nothing.

use generator_tests::flows::lagerkoll_sync;
use generator_tests::verify::verify_lagerkoll;
use vendor_clients::lagerkoll::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let store = std::env::var("LAGERKOLL_STORE").map_err(|_| "set LAGERKOLL_STORE")?;
    let key = std::env::var("LAGERKOLL_API_KEY").map_err(|_| "set LAGERKOLL_API_KEY")?;
    let client = Client::new(Client::DEFAULT_BASE_URL)?.with_credentials(Credentials::StoreApiKey {
        store: store.into(),
        api_key: key.into(),
    });
    let argument = std::env::args().nth(1);
    if argument.as_deref() == Some("verify") {
        for finding in verify_lagerkoll(client).await {
            println!("{finding}");
        }
        return Ok(());
    }
    let since: i64 = argument.as_deref().unwrap_or("0").parse()?;
    let (changed, next) = lagerkoll_sync(&client, since).await?;
    for cost_center in &changed {
        println!("{:?} {:?}", cost_center.id, cost_center.name);
    }
    println!("next sync point: {next}");
    Ok(())
}
