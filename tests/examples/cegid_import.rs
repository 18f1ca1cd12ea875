//! Cegid Loop's custom-format import of a file against the real API.
//!
//! ```sh
//! CEGID_API_KEY=... CEGID_SUBSCRIPTION_KEY=... \
//!   cargo run -p generator-tests --example cegid_import -- CEGID003 IMPORTPERSO entries.txt
//! ```

use generator_tests::flows::cegid_import;
use vendor_clients::cegid::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let api_key = std::env::var("CEGID_API_KEY").map_err(|_| "set CEGID_API_KEY")?;
    let subscription_key =
        std::env::var("CEGID_SUBSCRIPTION_KEY").map_err(|_| "set CEGID_SUBSCRIPTION_KEY")?;
    let mut args = std::env::args().skip(1);
    let (Some(dossier), Some(model), Some(path)) = (args.next(), args.next(), args.next()) else {
        return Err("usage: cegid_import DOSSIER MODEL FILE".into());
    };
    let name = std::path::Path::new(&path)
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("a file name")?
        .to_owned();
    let client = Client::new(Client::DEFAULT_BASE_URL)?.with_credentials(Credentials {
        api_key: api_key.into(),
        subscription_key: subscription_key.into(),
    });
    let (id, status) = cegid_import(&client, &dossier, &model, &name, std::fs::read(&path)?).await?;
    println!("import {id}: {status:?}");
    Ok(())
}
