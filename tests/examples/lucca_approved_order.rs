//! Lucca's create-an-approved-order flow against a real Lucca domain.
//!
//! ```sh
//! LUCCA_HOST=acme.ilucca-test.net LUCCA_API_KEY=... cargo run -p generator-tests --example lucca_approved_order
//! ```
//!
//! It creates a purchase of 120 EUR before tax from the values of Lucca's own guide (owner
//! 35, nature 1, cost center 3, establishment 1, department 14, supplier 6): run it against a
//! test domain. With `verify` instead, it calls every read operation once (the VAT rates of
//! France today) and prints what the spec did not foresee (undocumented statuses, unlisted
//! values), changing nothing.

use generator_tests::flows::{Order, lucca_approved_order};
use generator_tests::verify::verify_lucca;
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
    if std::env::args().nth(1).as_deref() == Some("verify") {
        let days = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs()
            / 86_400;
        let today = NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|epoch| epoch.checked_add_days(vendor_clients::common::chrono::Days::new(days)))
            .ok_or("today's date")?;
        for finding in verify_lucca(client, "FR", today).await {
            println!("{finding}");
        }
        return Ok(());
    }
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
