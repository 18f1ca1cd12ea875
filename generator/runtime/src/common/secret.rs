use std::fmt;

/// A credential. Its text never appears in `Debug` output, errors or logs; only
/// [`Secret::expose`] gives it out, to put it on a request.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// A user name and password for HTTP basic authentication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    /// The user name.
    pub user: String,
    /// The password.
    pub password: Secret,
}

/// `request` with a cookie for every `(name, secret)`, in its one `Cookie` header: after the
/// cookies the call set itself, if any (HTTP allows a request one such header), and marked
/// sensitive. The error says what is wrong, never a value.
#[doc(hidden)]
pub fn add_secret_cookies(
    request: reqwest::RequestBuilder,
    cookies: &[(&str, &Secret)],
) -> Result<reqwest::RequestBuilder, String> {
    let (client, built) = request.build_split();
    let mut built = built.map_err(|error| format!("the request cannot be built: {}", error.without_url()))?;
    let mut text: Vec<String> = Vec::with_capacity(cookies.len() + 1);
    if let Some(set) = built.headers().get(reqwest::header::COOKIE) {
        text.push(
            set.to_str()
                .map_err(|_| "a cookie has characters HTTP does not allow".to_owned())?
                .to_owned(),
        );
    }
    text.extend(
        cookies
            .iter()
            .map(|(name, secret)| format!("{name}={}", secret.expose())),
    );
    let mut value = reqwest::header::HeaderValue::from_str(&text.join("; "))
        .map_err(|_| "a cookie credential has characters HTTP does not allow".to_owned())?;
    value.set_sensitive(true);
    built.headers_mut().insert(reqwest::header::COOKIE, value);
    Ok(reqwest::RequestBuilder::from_parts(client, built))
}

/// The header value `prefix` + `secret`, marked sensitive so that no `Debug` output
/// shows it. The error names the header, never the value.
#[doc(hidden)]
pub fn secret_header(
    name: &str,
    prefix: &str,
    secret: &Secret,
) -> Result<reqwest::header::HeaderValue, String> {
    let mut value = reqwest::header::HeaderValue::from_str(&format!("{prefix}{}", secret.expose()))
        .map_err(|_| format!("the credential for `{name}` has characters HTTP does not allow"))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::{BasicCredentials, Secret, add_secret_cookies, secret_header};

    #[test]
    fn debug_output_never_shows_the_text() {
        let basic = BasicCredentials {
            user: "ada".into(),
            password: Secret::new("hunter2"),
        };
        let shown = format!("{basic:?} {:?}", Secret::from("s3cr3t"));
        assert!(!shown.contains("hunter2") && !shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("Secret(***)"));
    }

    #[test]
    fn a_header_carries_prefix_and_secret_marked_sensitive() {
        let value = secret_header("Authorization", "Bearer ", &Secret::from("tok")).unwrap();
        assert_eq!(value.to_str().unwrap(), "Bearer tok");
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("tok"));
    }

    #[test]
    fn a_header_refused_names_the_header_never_the_value() {
        let error = secret_header("x-key", "", &Secret::from("bad\nvalue")).unwrap_err();
        assert_eq!(
            error,
            "the credential for `x-key` has characters HTTP does not allow"
        );
    }

    #[test]
    fn cookies_travel_in_one_sensitive_header_after_those_the_call_set() {
        let (a, b) = (Secret::from("1"), Secret::from("2"));
        let http = reqwest::Client::new();
        let request = http
            .get("https://api.example/")
            .header(reqwest::header::COOKIE, "lang=fr");
        let request = add_secret_cookies(request, &[("session", &a), ("csrf", &b)]).unwrap();
        let built = request.build().unwrap();
        let cookies: Vec<_> = built.headers().get_all(reqwest::header::COOKIE).iter().collect();
        assert_eq!(cookies.len(), 1, "one Cookie header");
        assert_eq!(cookies[0].to_str().unwrap(), "lang=fr; session=1; csrf=2");
        assert!(cookies[0].is_sensitive());
    }
}
