//! Cegid Loop's custom-format import of a file against the real API.
//!
//! ```sh
//! CEGID_API_KEY=... CEGID_SUBSCRIPTION_KEY=... \
//!   cargo run -p generator-tests --example cegid_import -- CEGID003 IMPORTPERSO entries.txt
//! ```
//!
//! With `verify [IMPORT-ID]` instead, it calls every read operation once (a deposit location
//! for a file it does not upload, and the status of the import given, if any) and prints
//! what the spec did not foresee (undocumented statuses, unlisted values).

use generator_tests::flows::cegid_import;
use generator_tests::verify::verify_cegid;
use vendor_clients::cegid::{Client, Credentials};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let api_key = std::env::var("CEGID_API_KEY").map_err(|_| "set CEGID_API_KEY")?;
    let subscription_key =
        std::env::var("CEGID_SUBSCRIPTION_KEY").map_err(|_| "set CEGID_SUBSCRIPTION_KEY")?;
    let client = Client::new(Client::DEFAULT_BASE_URL)?.with_credentials(Credentials {
        api_key: api_key.into(),
        subscription_key: subscription_key.into(),
    });
    let mut args = std::env::args().skip(1);
    let first = args.next();
    if first.as_deref() == Some("verify") {
        let request = args.next().map(|id| id.parse()).transpose()?;
        for finding in verify_cegid(client, "verify.txt", request).await {
            println!("{finding}");
        }
        return Ok(());
    }
    let (Some(dossier), Some(model), Some(path)) = (first, args.next(), args.next()) else {
        return Err("usage: cegid_import DOSSIER MODEL FILE, or cegid_import verify [IMPORT-ID]".into());
    };
    let name = std::path::Path::new(&path)
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("a file name")?
        .to_owned();
    let (id, status) = cegid_import(&client, &dossier, &model, &name, std::fs::read(&path)?).await?;
    println!("import {id}: {status:?}");
    Ok(())
}
