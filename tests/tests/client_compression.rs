//! Compressed answers: a call asks for the encodings its build decodes (gzip by default;
//! deflate, brotli and zstd behind features, all on in these tests) and reads an answer in
//! any of them; the body limit counts the decoded bytes, so a small bomb is refused at the
//! limit; an encoding the build cannot decode is an error that says so.

mod support;

use std::io::Write as _;
use std::time::Duration;

use support::servers::COST_CENTERS;
use vendor_clients::lagerkoll::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Bytes as an encoder writes them.
type Encoder = fn(&[u8]) -> Vec<u8>;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams::default();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("in memory");
    out
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(bytes, 3).expect("in memory")
}

/// A server answering every GET with `body`, sent as `encoding`.
async fn serving(encoding: &str, body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", encoding)
                .set_body_raw(body, "application/json"),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_call_asks_for_every_encoding_it_decodes_and_reads_each() {
    let encoders: [(&str, Encoder); 4] = [
        ("gzip", gzip),
        ("deflate", deflate),
        ("br", brotli),
        ("zstd", zstd),
    ];
    for (encoding, encode) in encoders {
        let server = serving(encoding, encode(COST_CENTERS.as_bytes())).await;
        let client = Client::new(&server.uri()).expect("a base URL");
        let answer = client
            .get_cost_center(7)
            .await
            .unwrap_or_else(|error| panic!("{encoding}: {error:?}"));
        assert_eq!(answer.since, Some(42), "{encoding}");
        let received = server.received_requests().await.expect("recorded");
        let asked = received[0]
            .headers
            .get("accept-encoding")
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .unwrap_or_default();
        for offered in ["gzip", "deflate", "br", "zstd"] {
            assert!(
                asked.contains(offered),
                "Accept-Encoding `{asked}` lacks {offered}"
            );
        }
    }
}

#[tokio::test]
async fn a_compressed_bomb_is_refused_once_its_decoded_bytes_reach_the_limit() {
    // 512 MiB of zeros in 512 zstd frames of 1 MiB each: a few kilobytes on the wire. And
    // 64 MiB of zeros in one gzip member, a little more.
    let frame = zstd(&vec![0u8; 1024 * 1024]);
    let bombs = [
        ("zstd", frame.repeat(512)),
        ("gzip", gzip(&vec![0u8; 64 * 1024 * 1024])),
    ];
    let limit = 4 * 1024 * 1024;
    for (encoding, bomb) in bombs {
        assert!(
            (bomb.len() as u64) < limit,
            "{encoding}: the bomb itself is under the limit"
        );
        let server = serving(encoding, bomb).await;
        let client = Client::new(&server.uri())
            .expect("a base URL")
            .with_max_body(limit);
        let call = client.get_cost_center(7);
        let error = tokio::time::timeout(Duration::from_secs(20), call)
            .await
            .expect("refused long before the whole bomb is decoded")
            .expect_err("too large");
        assert!(
            matches!(
                error,
                Error::BodyTooLarge {
                    status: 200,
                    limit: 4_194_304,
                    ..
                }
            ),
            "{encoding}: {error:?}"
        );
    }
}

#[tokio::test]
async fn an_encoding_the_build_cannot_decode_is_named_in_the_error() {
    let server = serving("compress", b"\x1f\x9d\x90".to_vec()).await;
    let client = Client::new(&server.uri()).expect("a base URL");
    let error = client.get_cost_center(7).await.expect_err("undecodable");
    match &error {
        Error::UnsupportedEncoding {
            status: 200,
            encoding,
            ..
        } => assert_eq!(encoding, "compress"),
        other => panic!("expected UnsupportedEncoding, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "getCostCenter (GET /costcenters/{cost_center}): the body of a 200 response is encoded as \
         `compress`, which this build does not decode"
    );
}
