//! Lagerkoll's incremental sync of cost centers against the real API.
//!
//! ```sh
//! LAGERKOLL_STORE=1234 LAGERKOLL_API_KEY=... cargo run -p generator-tests --example lagerkoll_sync -- 0
//! ```
//!
//! The argument is the sync point stored from the last run (0 for everything); the new one
//! is printed last.

use generator_tests::flows::lagerkoll_sync;
use vendor_clients::lagerkoll::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let store = std::env::var("LAGERKOLL_STORE").map_err(|_| "set LAGERKOLL_STORE")?;
    let key = std::env::var("LAGERKOLL_API_KEY").map_err(|_| "set LAGERKOLL_API_KEY")?;
    let since: i64 = std::env::args().nth(1).as_deref().unwrap_or("0").parse()?;
    let client = Client::new(Client::DEFAULT_BASE_URL)?.with_credentials(Credentials::StoreApiKey {
        store: store.into(),
        api_key: key.into(),
    });
    let (changed, next) = lagerkoll_sync(&client, since).await?;
    for cost_center in &changed {
        println!("{:?} {:?}", cost_center.id, cost_center.name);
    }
    println!("next sync point: {next}");
    Ok(())
}
