//! Lucca's create-an-approved-order flow against a real Lucca domain.
//!
//! ```sh
//! LUCCA_HOST=acme.ilucca-test.net LUCCA_API_KEY=... cargo run -p generator-tests --example lucca_approved_order
//! ```
//!
//! It creates a purchase of 120 EUR before tax from the values of Lucca's own guide (owner
//! 35, nature 1, cost center 3, establishment 1, department 14, supplier 6): run it against a
//! test domain.

use generator_tests::flows::{Order, lucca_approved_order};
use vendor_clients::common::chrono::NaiveDate;
use vendor_clients::lucca::models::{DraftSupplier, PurchaseCreate};
use vendor_clients::lucca::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let host = std::env::var("LUCCA_HOST").map_err(|_| "set LUCCA_HOST, such as acme.ilucca-test.net")?;
    let key = std::env::var("LUCCA_API_KEY").map_err(|_| "set LUCCA_API_KEY")?;
    let client = Client::new(&Client::server_url(&host))?.with_credentials(Credentials {
        lucca_api_key: key.into(),
    });
    let order = Order {
        purchase: PurchaseCreate {
            owner_id: 35,
            nature_id: 1,
            cost_center_id: 3,
            establishment_id: 1,
            department_id: 14,
            supplier: DraftSupplier {
                id: Some(6),
                ..DraftSupplier::default()
            },
            title: "Purchase entry test".into(),
            axis_section_ids: None,
            r#type: None,
        },
        cost_date: NaiveDate::from_ymd_opt(2025, 4, 14).ok_or("a date")?,
        invoice_date: NaiveDate::from_ymd_opt(2025, 4, 14).ok_or("a date")?,
        amount: 120.into(),
        rate_name: "Normal".into(),
    };
    let request = lucca_approved_order(&client, &order).await?;
    println!("approval request {:?} is {:?}", request.id, request.state);
    Ok(())
}
