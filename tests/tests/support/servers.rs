//! What the client tests share: Lagerkoll's documented answers, a retry policy that waits
//! milliseconds, raw loopback servers that break HTTP in the ways real servers do, and the
//! causes behind an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vendor_clients::common::RetryPolicy;
use vendor_clients::lagerkoll::models::CostCenterCreate;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Lagerkoll's documented answer to `GET /costcenters/{id}`.
pub const COST_CENTERS: &str =
    r#"{"since": 42, "costCenters": [{"id": 7, "name": "Workshop", "shortName": "WS", "active": true}]}"#;

/// [`COST_CENTERS`] as JSON.
pub fn cost_centers() -> serde_json::Value {
    serde_json::from_str(COST_CENTERS).expect("the documented answer is JSON")
}

/// A cost center to create.
pub fn workshop() -> CostCenterCreate {
    CostCenterCreate {
        name: "Workshop".into(),
        short_name: "WS".into(),
        active: None,
    }
}

/// The default retry policy, with backoffs of milliseconds.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// A server answering the first `times` calls of `verb` with `first`, and every call after
/// them with `then` (a retry's answer).
pub async fn answering_after(
    verb: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(method(verb)).respond_with(then).mount(&server).await;
    server
}

/// The address of a loopback port that was free a moment ago and that nothing listens on
/// now: a connection to it is refused.
pub fn refusing_address() -> std::net::SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
}

/// A way to break an answer, committed on every connection by a [`faulty_server`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Announces [`COST_CENTERS`]'s length, sends its first 20 bytes and hangs up.
    CutShort,
    /// Sends the start of a body and resets the connection.
    Reset,
    /// Announces a body of a gigabyte and sends none of it.
    HugeLength,
    /// A chunked body that never ends.
    Endless,
    /// Reads the request and never answers, holding the connection open.
    Silent,
    /// Reads the request, then closes the connection without a word of an answer.
    Closed,
    /// Reads the request, then resets the connection.
    ResetAfterRequest,
}

/// A server on loopback that commits `fault` on every connection, and how many it accepted.
pub async fn faulty_server(fault: Fault) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(commit(fault, stream));
        }
    });
    (url, connections)
}

const JSON_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

/// Write errors are the client hanging up, which is what these faults provoke.
async fn commit(fault: Fault, mut stream: TcpStream) {
    match fault {
        Fault::Reset => {
            // The request is waited for but left unread: closing with unread data resets.
            let _ = stream.peek(&mut [0u8; 1]).await;
            let head = format!("{JSON_HEAD}Content-Length: 100000\r\n\r\n{{\"since\": 1,");
            let _ = stream.write_all(head.as_bytes()).await;
        }
        Fault::CutShort => {
            read_head(&mut stream).await;
            let head = format!("{JSON_HEAD}Content-Length: {}\r\n\r\n", COST_CENTERS.len());
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&COST_CENTERS.as_bytes()[..20]).await;
        }
        Fault::HugeLength => {
            read_head(&mut stream).await;
            let head = format!("{JSON_HEAD}Content-Length: 1073741824\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Fault::Endless => {
            read_head(&mut stream).await;
            let head = format!("{JSON_HEAD}Transfer-Encoding: chunked\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        }
        Fault::Silent => {
            read_head(&mut stream).await;
            // Until the client gives up: a read ends when it hangs up.
            let _ = stream.read(&mut [0u8; 1]).await;
        }
        Fault::Closed => read_head(&mut stream).await,
        Fault::ResetAfterRequest => {
            read_head(&mut stream).await;
            // Closing with a linger of zero sends a reset instead of a clean end.
            let _ = stream.set_zero_linger();
        }
    }
}

/// Reads the request head, up to the blank line.
async fn read_head(stream: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

/// The errors behind `error`, nearest first, as its `source()` chain gives them.
pub fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(error.source(), |cause| cause.source())
}
