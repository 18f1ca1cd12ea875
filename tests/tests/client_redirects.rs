//! No credential reaches an origin other than the client's base URL, whatever HTTP client is
//! handed in and whatever redirect a server sends: the client follows redirects itself.
//! Within the API's origin a redirect is followed as HTTP says, credentials and all; to
//! another origin only as a bare `GET` (a download link to a file store), with nothing of the
//! call but its `Accept`; a redirect that would take a body elsewhere is not followed.
//! The hostile server here redirects to a second local server that records what reaches it.

mod support;

use std::time::{Duration, Instant};

use support::servers::{COST_CENTERS, quick_retries, refusing_address, workshop};
use vendor_clients::common::{Quota, RedirectRefused, Redirects, RetryPolicy};
use vendor_clients::lagerkoll::{Client, Credentials, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "REALKEY";

/// Headers that would give away the caller: credentials, cookies and the caller's own.
const PRIVATE: [&str; 6] = [
    "api_key",
    "store",
    "authorization",
    "cookie",
    "x-tenant",
    "user_id",
];

/// A client of `base` with Lagerkoll's credentials and a header of the caller's, built on
/// reqwest's defaults (whose own redirect policy follows any redirect) or on the crate's.
fn clients(base: &str) -> Vec<(&'static str, Client)> {
    let own = |client: Client| {
        client
            .with_retry(RetryPolicy::never())
            .with_credentials(Credentials::StoreApiKey {
                store: "1234".into(),
                api_key: KEY.into(),
            })
            .with_header("X-Tenant", "acme")
            .expect("a header")
    };
    vec![
        ("Client::new", own(Client::new(base).expect("a base URL"))),
        (
            "reqwest's defaults",
            own(Client::with_http_client(base, reqwest::Client::builder()).expect("a base URL")),
        ),
    ]
}

/// A server that sends every `verb` call to `location` with `status`.
async fn redirecting(verb: &str, status: u16, location: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location))
        .mount(&server)
        .await;
    server
}

/// A server that records what reaches it and answers Lagerkoll's cost centers.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(COST_CENTERS))
        .mount(&server)
        .await;
    server
}

/// The private headers `request` carries.
fn private(request: &Request) -> Vec<&'static str> {
    PRIVATE
        .into_iter()
        .filter(|name| request.headers.contains_key(*name))
        .collect()
}

#[tokio::test]
async fn a_get_redirected_to_another_origin_arrives_there_bare() {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = elsewhere().await;
        let server = redirecting("GET", status, &format!("{}/files/7?sig=abc", elsewhere.uri())).await;
        for (built, client) in clients(&server.uri()) {
            let answer = client
                .get_cost_center(7)
                .await
                .unwrap_or_else(|error| panic!("{status} over {built}: {error:?}"));
            assert_eq!(answer.since, Some(42), "{status} over {built}");
        }
        let received = elsewhere.received_requests().await.expect("recorded");
        assert_eq!(received.len(), 2, "{status}: one request per client");
        for request in &received {
            assert_eq!(request.method.as_str(), "GET");
            assert_eq!(request.url.query(), Some("sig=abc"));
            assert!(
                private(request).is_empty(),
                "{status}: {:?} arrived elsewhere",
                private(request)
            );
        }
    }
}

#[tokio::test]
async fn a_body_is_never_taken_to_another_origin() {
    for status in [307, 308] {
        let elsewhere = MockServer::start().await;
        let server = redirecting("POST", status, &format!("{}/stolen", elsewhere.uri())).await;
        for (built, client) in clients(&server.uri()) {
            match client.create_cost_center(&workshop()).await {
                Err(Error::Redirect {
                    status: said,
                    location,
                    refused: RedirectRefused::OtherOrigin,
                    ..
                }) => {
                    assert_eq!(said, status);
                    assert_eq!(location.as_str(), format!("{}/stolen", elsewhere.uri()));
                }
                other => panic!("{status} over {built}: expected a refused redirect, got {other:?}"),
            }
        }
        let received = elsewhere.received_requests().await.expect("recorded");
        assert!(
            received.is_empty(),
            "{status}: {} requests arrived elsewhere",
            received.len()
        );
    }
}

#[tokio::test]
async fn within_the_origin_a_redirect_is_followed_credentials_and_all() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/costcenters/"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/v2/costcenters/"))
        .mount(&server)
        .await;
    let created = r#"{"id": 9, "name": "Workshop", "shortName": "WS", "active": true}"#;
    Mock::given(method("POST"))
        .and(path("/v2/costcenters/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(created))
        .mount(&server)
        .await;
    let (_, client) = clients(&server.uri()).remove(0);
    client
        .create_cost_center(&workshop())
        .await
        .expect("followed within the origin");
    let received = server.received_requests().await.expect("recorded");
    let moved = &received[1];
    assert_eq!(moved.url.path(), "/v2/costcenters/");
    assert_eq!(moved.method.as_str(), "POST", "a 307 keeps the method");
    assert!(!moved.body.is_empty(), "and the body");
    assert_eq!(
        moved.headers.get("api_key").map(|v| v.as_bytes()),
        Some(KEY.as_bytes())
    );
}

#[tokio::test]
async fn a_client_can_follow_fewer_redirects_or_none() {
    let elsewhere = elsewhere().await;
    let server = redirecting("GET", 302, &format!("{}/files/7", elsewhere.uri())).await;
    for redirects in [Redirects::SameOrigin, Redirects::Never] {
        let (_, client) = clients(&server.uri()).remove(0);
        let error = client
            .with_redirects(redirects)
            .get_cost_center(7)
            .await
            .expect_err("not followed");
        assert!(
            matches!(
                error,
                Error::Redirect {
                    status: 302,
                    refused: RedirectRefused::Policy,
                    ..
                }
            ),
            "{redirects:?}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!(
                "getCostCenter (GET /costcenters/{{cost_center}}): redirected (302) to {}, not followed: \
                 the client's redirect policy does not follow it",
                elsewhere.uri()
            )
        );
    }
    let received = elsewhere.received_requests().await.expect("recorded");
    assert!(received.is_empty());
}

#[tokio::test]
async fn a_redirect_loop_ends_after_ten_redirects() {
    let server = redirecting("GET", 302, "/costcenters/7").await;
    let client = Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(quick_retries());
    let error = client.get_cost_center(7).await.expect_err("a loop");
    assert!(
        matches!(
            error,
            Error::Redirect {
                refused: RedirectRefused::TooMany,
                ..
            }
        ),
        "{error:?}"
    );
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 11, "the call and ten redirects, tried once");
}

#[tokio::test]
async fn a_redirect_within_the_origin_takes_one_slot_of_the_quota_at_a_time() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/costcenters/7"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/costcenters/8"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/costcenters/8"))
        .respond_with(ResponseTemplate::new(200).set_body_string(COST_CENTERS))
        .mount(&server)
        .await;
    // One request per 300 ms: the redirect's request waits for the slot of the first.
    let quota = Quota {
        requests: 1,
        per: Duration::from_millis(300),
    };
    let client = Client::new(&server.uri())
        .expect("a base URL")
        .with_quota(Some(quota))
        .with_deadline(Duration::from_secs(3));
    let started = Instant::now();
    client
        .get_cost_center(7)
        .await
        .expect("followed within the quota");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "took {took:?}"
    );
}

#[tokio::test]
async fn a_post_a_redirect_answered_is_never_sent_again() {
    let closed = refusing_address();
    let server = redirecting("POST", 303, &format!("http://{closed}/costcenters/9")).await;
    let client = Client::new(&server.uri())
        .expect("a base URL")
        .with_retry(quick_retries());
    let error = client
        .create_cost_center(&workshop())
        .await
        .expect_err("the redirect leads nowhere");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(
        received.len(),
        1,
        "the POST the server answered is not sent again"
    );
}
