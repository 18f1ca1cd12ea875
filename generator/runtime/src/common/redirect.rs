//! Redirects, followed by the runtime rather than by the HTTP client, so that the rule is the
//! same whatever client a caller hands in: credentials go to the API's own origin (the
//! scheme, host and port of the client's base URL) and nowhere else.
//!
//! Within that origin a redirect is followed as HTTP says (a 303, and a 301 or 302 of a
//! `POST`, turn into a `GET` without a body; a 307 or 308 keeps the method and the body).
//! To another origin it is followed only as a `GET` or `HEAD`, as a fresh request that
//! carries nothing of the call but its `Accept` and `User-Agent`: no credential, cookie,
//! header of the client's or of the call, and no body. That is what a download link to a
//! file store needs, and it leaks nothing. A 307 or 308 that would take another method (and
//! its body) to another origin is not followed, nor is anything past
//! [`MAX_REDIRECTS`]; the call then ends with `Error::Redirect`.

use std::fmt;

use reqwest::header::{
    ACCEPT, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, LOCATION, TRANSFER_ENCODING,
    USER_AGENT,
};
use reqwest::{Method, Request, Response, Url};

/// The most redirects one attempt follows in a row.
pub const MAX_REDIRECTS: u32 = 10;

/// Which redirects a client follows (see the module's rules for what each carries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Redirects {
    /// None: a redirect ends the call with `Error::Redirect`.
    Never,
    /// Those within the API's origin only.
    SameOrigin,
    /// Those within the API's origin, and those to another origin as a bare `GET` or `HEAD`.
    #[default]
    Anywhere,
}

/// Why a redirect was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectRefused {
    /// The client's [`Redirects`] does not follow it.
    Policy,
    /// It would take a call other than a `GET` or `HEAD` (and its body) to another origin.
    OtherOrigin,
    /// It is one more than [`MAX_REDIRECTS`] in a row.
    TooMany,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Policy => "the client's redirect policy does not follow it",
            Self::OtherOrigin => "only a GET or HEAD is sent to another origin",
            Self::TooMany => "too many redirects in a row",
        })
    }
}

/// How a client follows redirects: its policy, the API's base URL, and the query
/// parameters its credentials travel in, which a redirect within the origin keeps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Follow<'a> {
    pub policy: Redirects,
    pub base: &'a Url,
    pub carried_query: &'a [&'a str],
}

/// What comes after an answer.
#[derive(Debug)]
pub(crate) enum Next {
    /// It is the attempt's answer.
    Answer(Response),
    /// It is a redirect to follow with this request.
    Follow(Request),
    /// It is a redirect the client does not follow.
    Refuse {
        status: u16,
        location: Url,
        refused: RedirectRefused,
    },
}

/// Whether `url` is in the origin of `base`.
pub(crate) fn same_origin(url: &Url, base: &Url) -> bool {
    url.origin() == base.origin()
}

/// What follows `response` to the request sent to `at` (`sent` is a copy of it, if its body
/// could be copied), `hops` redirects in a row so far, as `follow` says.
pub(crate) fn next(
    follow: &Follow<'_>,
    at: &Url,
    sent: Option<Request>,
    response: Response,
    hops: u32,
) -> Next {
    let (policy, base) = (follow.policy, follow.base);
    let status = response.status().as_u16();
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return Next::Answer(response);
    }
    // A redirect without a readable `Location` is an answer like any other.
    let Some(location) = location(response.headers(), at) else {
        return Next::Answer(response);
    };
    let (Some(sent), true) = (sent, policy != Redirects::Never) else {
        return match policy {
            Redirects::Never => Next::Refuse {
                status,
                location,
                refused: RedirectRefused::Policy,
            },
            // A body that cannot be sent twice: the redirect is the answer.
            _ => Next::Answer(response),
        };
    };
    if hops >= MAX_REDIRECTS {
        return Next::Refuse {
            status,
            location,
            refused: RedirectRefused::TooMany,
        };
    }
    let method = sent.method().clone();
    // RFC 9110 15.4: a 303 is fetched with GET; browsers (and so servers) read a 301 or 302
    // of a POST the same way. A 307 or 308 repeats the request as it was.
    let keeps_body = match status {
        303 => method == Method::HEAD,
        301 | 302 => method != Method::POST,
        _ => true,
    };
    let method = if keeps_body || method == Method::HEAD {
        method
    } else {
        Method::GET
    };
    if !same_origin(&location, base) {
        let refused = match policy {
            Redirects::SameOrigin => Some(RedirectRefused::Policy),
            _ if method != Method::GET && method != Method::HEAD => Some(RedirectRefused::OtherOrigin),
            _ => None,
        };
        if let Some(refused) = refused {
            return Next::Refuse {
                status,
                location,
                refused,
            };
        }
        return Next::Follow(bare(&sent, method, location));
    }
    let mut request = sent;
    *request.url_mut() = carried(at, location, follow.carried_query);
    if !keeps_body {
        *request.method_mut() = method;
        *request.body_mut() = None;
        for name in [CONTENT_TYPE, CONTENT_LENGTH, CONTENT_ENCODING, TRANSFER_ENCODING] {
            request.headers_mut().remove(name);
        }
    }
    Next::Follow(request)
}

/// `location` with the query parameters named `names` that `at` has and it lacks: a
/// credential in the query stays with a redirect within the API's origin.
fn carried(at: &Url, mut location: Url, names: &[&str]) -> Url {
    let has = |url: &Url, name: &str| url.query_pairs().any(|(key, _)| key == name);
    let missing: Vec<(String, String)> = at
        .query_pairs()
        .filter(|(key, _)| names.contains(&key.as_ref()) && !has(&location, key))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if !missing.is_empty() {
        location.query_pairs_mut().extend_pairs(missing);
    }
    location
}

/// The `Location` of an answer to `url`, resolved against it.
fn location(headers: &HeaderMap, url: &Url) -> Option<Url> {
    let value = headers.get(LOCATION)?.to_str().ok()?;
    url.join(value.trim()).ok()
}

/// A request of `method` to `url` with only `sent`'s `Accept`, `User-Agent` and timeout.
fn bare(sent: &Request, method: Method, url: Url) -> Request {
    let mut request = Request::new(method, url);
    for name in [ACCEPT, USER_AGENT] {
        if let Some(value) = sent.headers().get(&name) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    *request.timeout_mut() = sent.timeout().copied();
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    /// An answer of `status` sending the call to `location`.
    fn redirect(status: u16, location: &str) -> Response {
        let answer = http::Response::builder()
            .status(status)
            .header("location", location)
            .body(Vec::<u8>::new())
            .unwrap();
        Response::from(answer)
    }

    /// A POST to `at` with a JSON body, credentials and a header of the caller's.
    fn post(at: &str) -> Request {
        let mut request = Request::new(Method::POST, url(at));
        let headers = request.headers_mut();
        headers.insert("api_key", "REALKEY".parse().unwrap());
        headers.insert("x-tenant", "acme".parse().unwrap());
        headers.insert(ACCEPT, "application/json".parse().unwrap());
        headers.insert(CONTENT_TYPE, "application/json".parse().unwrap());
        *request.body_mut() = Some("{}".into());
        request
    }

    const BASE: &str = "https://api.example/v1/";

    /// How a client of [`BASE`] with a query credential `key` follows under `policy`.
    fn follow(policy: Redirects) -> Follow<'static> {
        static BASE_URL: std::sync::LazyLock<Url> = std::sync::LazyLock::new(|| url(BASE));
        Follow {
            policy,
            base: &BASE_URL,
            carried_query: &["key"],
        }
    }
    /// Where the calls below are sent.
    const A: &str = "https://api.example/v1/a";

    #[test]
    fn a_307_within_the_origin_repeats_the_request_whole() {
        let response = redirect(307, "/v1/b");
        match next(&follow(Redirects::Anywhere), &url(A), Some(post(A)), response, 0) {
            Next::Follow(request) => {
                assert_eq!(request.method(), Method::POST);
                assert_eq!(request.url().as_str(), "https://api.example/v1/b");
                assert!(request.body().is_some());
                assert_eq!(request.headers()["api_key"], "REALKEY");
            }
            other => panic!("expected to follow, got {other:?}"),
        }
    }

    #[test]
    fn a_303_within_the_origin_is_a_get_without_the_body() {
        let response = redirect(303, "https://api.example/v1/status/1");
        match next(&follow(Redirects::Anywhere), &url(A), Some(post(A)), response, 0) {
            Next::Follow(request) => {
                assert_eq!(request.method(), Method::GET);
                assert!(request.body().is_none());
                assert!(!request.headers().contains_key(CONTENT_TYPE));
                assert_eq!(request.headers()["api_key"], "REALKEY");
            }
            other => panic!("expected to follow, got {other:?}"),
        }
    }

    #[test]
    fn a_get_to_another_origin_goes_bare() {
        let mut get = post(A);
        *get.method_mut() = Method::GET;
        *get.body_mut() = None;
        let response = redirect(302, "https://files.example/f?sig=1");
        match next(&follow(Redirects::Anywhere), &url(A), Some(get), response, 0) {
            Next::Follow(request) => {
                assert_eq!(request.url().as_str(), "https://files.example/f?sig=1");
                let names: Vec<&str> = request.headers().keys().map(|name| name.as_str()).collect();
                assert_eq!(names, ["accept"]);
            }
            other => panic!("expected to follow, got {other:?}"),
        }
    }

    #[test]
    fn a_body_is_never_taken_to_another_origin() {
        for (status, policy, refused) in [
            (307, Redirects::Anywhere, RedirectRefused::OtherOrigin),
            (308, Redirects::Anywhere, RedirectRefused::OtherOrigin),
            (302, Redirects::SameOrigin, RedirectRefused::Policy),
            (302, Redirects::Never, RedirectRefused::Policy),
        ] {
            let response = redirect(status, "http://evil.example:8080/");
            match next(&follow(policy), &url(A), Some(post(A)), response, 0) {
                Next::Refuse {
                    status: said,
                    location,
                    refused: why,
                } => {
                    assert_eq!((said, why), (status, refused));
                    assert_eq!(location.as_str(), "http://evil.example:8080/");
                }
                other => panic!("{status} {policy:?}: expected a refusal, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_query_credential_stays_with_a_redirect_within_the_origin_and_only_there() {
        let mut get = post(A);
        *get.method_mut() = Method::GET;
        *get.url_mut() = url("https://api.example/v1/a?key=k3y&page=2");
        let at = get.url().clone();
        let within = redirect(302, "/v1/b?page=3");
        match next(&follow(Redirects::Anywhere), &at, get.try_clone(), within, 0) {
            Next::Follow(request) => {
                assert_eq!(request.url().as_str(), "https://api.example/v1/b?page=3&key=k3y")
            }
            other => panic!("expected to follow, got {other:?}"),
        }
        let elsewhere = redirect(302, "https://files.example/f");
        match next(&follow(Redirects::Anywhere), &at, Some(get), elsewhere, 0) {
            Next::Follow(request) => assert_eq!(request.url().as_str(), "https://files.example/f"),
            other => panic!("expected to follow, got {other:?}"),
        }
    }

    #[test]
    fn the_scheme_and_port_are_part_of_the_origin() {
        let base = url("https://api.example/");
        assert!(same_origin(&url("https://api.example:443/x"), &base));
        assert!(!same_origin(&url("http://api.example/x"), &base));
        assert!(!same_origin(&url("https://api.example:8443/x"), &base));
        assert!(!same_origin(&url("https://api.example.evil/x"), &base));
    }

    #[test]
    fn a_chain_ends_after_the_last_redirect_allowed() {
        let response = redirect(302, "/v1/a");
        let sent = Some(post(A));
        assert!(matches!(
            next(
                &follow(Redirects::Anywhere),
                &url(A),
                sent,
                response,
                MAX_REDIRECTS
            ),
            Next::Refuse {
                refused: RedirectRefused::TooMany,
                ..
            }
        ));
    }

    #[test]
    fn an_answer_that_is_no_redirect_or_has_no_location_is_the_answer() {
        let response = redirect(200, "/elsewhere");
        let sent = Some(post(A));
        assert!(matches!(
            next(&follow(Redirects::Anywhere), &url(A), sent, response, 0),
            Next::Answer(_)
        ));
        let mut response = redirect(302, "/x");
        response.headers_mut().remove(LOCATION);
        let sent = Some(post(A));
        assert!(matches!(
            next(&follow(Redirects::Anywhere), &url(A), sent, response, 0),
            Next::Answer(_)
        ));
    }
}
