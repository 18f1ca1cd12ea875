//! The default deadline, measured: a GET through a client made by `Client::new` with nothing
//! changed, to a local server that accepts the connection, reads the request and never
//! answers. It prints how long the call took and how it ended (the README quotes it).
//!
//! ```sh
//! cargo run -p generator-tests --example deadline    # about a minute
//! ```

use std::time::Instant;

use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use vendor_clients::lagerkoll::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            // Read what comes, answer nothing, until the client hangs up.
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                while matches!(stream.read(&mut buffer).await, Ok(read) if read > 0) {}
            });
        }
    });
    let client = Client::new(&url)?;
    println!(
        "deadline {:?}, attempt timeout {:?}",
        Client::DEFAULT_DEADLINE,
        Client::DEFAULT_TIMEOUT
    );
    let started = Instant::now();
    let outcome = client.get_cost_center(7).await;
    println!(
        "ended after {:.1} s: {outcome:?}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
