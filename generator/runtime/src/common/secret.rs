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

/// Puts the header `name: prefix + secret` on `request`, in place of any header of that name
/// the call set (a header parameter of the same name, say): a credential is sent once. The
/// value is marked sensitive. The error names the header, never the value.
#[doc(hidden)]
pub fn put_secret_header(
    request: &mut reqwest::Request,
    name: &str,
    prefix: &str,
    secret: &Secret,
) -> Result<(), String> {
    let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not an HTTP header name"))?;
    let value = secret_header(name, prefix, secret)?;
    request.headers_mut().insert(header, value);
    Ok(())
}

/// Puts `name=prefix + secret` in the query string of `request`, in place of any parameter of
/// that name the call set.
#[doc(hidden)]
pub fn put_secret_query(request: &mut reqwest::Request, name: &str, prefix: &str, secret: &Secret) {
    let url = request.url_mut();
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(others)
        .append_pair(name, &format!("{prefix}{}", secret.expose()));
}

/// Puts `Authorization: Basic ...` for `credentials` on `request`, in place of any
/// `Authorization` the call set, marked sensitive.
#[doc(hidden)]
pub fn put_basic_auth(request: &mut reqwest::Request, credentials: &BasicCredentials) -> Result<(), String> {
    use base64::Engine as _;
    let pair = format!("{}:{}", credentials.user, credentials.password.expose());
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let value = secret_header("Authorization", "Basic ", &Secret(encoded))?;
    request
        .headers_mut()
        .insert(reqwest::header::AUTHORIZATION, value);
    Ok(())
}

/// Puts a cookie for every `(name, secret)` on `request`, in its one `Cookie` header: after the
/// cookies the call set itself, if any (HTTP allows a request one such header), in place of
/// one of the same name, and marked sensitive. The error says what is wrong, never a value.
#[doc(hidden)]
pub fn put_secret_cookies(request: &mut reqwest::Request, cookies: &[(&str, &Secret)]) -> Result<(), String> {
    let mut text: Vec<String> = Vec::with_capacity(cookies.len() + 1);
    if let Some(set) = request.headers().get(reqwest::header::COOKIE) {
        let set = set
            .to_str()
            .map_err(|_| "a cookie has characters HTTP does not allow".to_owned())?;
        let named = |pair: &str| pair.split('=').next().unwrap_or_default().trim().to_owned();
        text.extend(
            set.split(';')
                .map(str::trim)
                .filter(|pair| !pair.is_empty() && !cookies.iter().any(|(name, _)| named(pair) == *name))
                .map(str::to_owned),
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
    request.headers_mut().insert(reqwest::header::COOKIE, value);
    Ok(())
}

/// The header value `prefix` + `secret`, marked sensitive so that no `Debug` output
/// shows it. The error names the header, never the value.
fn secret_header(name: &str, prefix: &str, secret: &Secret) -> Result<reqwest::header::HeaderValue, String> {
    let mut value = reqwest::header::HeaderValue::from_str(&format!("{prefix}{}", secret.expose()))
        .map_err(|_| format!("the credential for `{name}` has characters HTTP does not allow"))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::{
        BasicCredentials, Secret, put_basic_auth, put_secret_cookies, put_secret_header, put_secret_query,
        secret_header,
    };

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

    /// A GET of `url` with the header `name: value` a call set itself.
    fn request(url: &str, name: &'static str, value: &'static str) -> reqwest::Request {
        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
        request
            .headers_mut()
            .insert(name, reqwest::header::HeaderValue::from_static(value));
        request
    }

    #[test]
    fn cookies_travel_in_one_sensitive_header_after_those_the_call_set() {
        let (a, b) = (Secret::from("1"), Secret::from("2"));
        let mut request = request(
            "https://api.example/",
            "cookie",
            "lang=fr; session=from-a-parameter",
        );
        put_secret_cookies(&mut request, &[("session", &a), ("csrf", &b)]).unwrap();
        let cookies: Vec<_> = request
            .headers()
            .get_all(reqwest::header::COOKIE)
            .iter()
            .collect();
        assert_eq!(cookies.len(), 1, "one Cookie header");
        assert_eq!(cookies[0].to_str().unwrap(), "lang=fr; session=1; csrf=2");
        assert!(cookies[0].is_sensitive());
    }

    #[test]
    fn a_credential_replaces_a_header_of_its_name_the_call_set() {
        let mut request = request("https://api.example/", "api_key", "from-a-parameter");
        put_secret_header(&mut request, "api_key", "", &Secret::from("k3y")).unwrap();
        let values: Vec<_> = request.headers().get_all("api_key").iter().collect();
        assert_eq!(values, ["k3y"]);
        assert!(values[0].is_sensitive());
    }

    #[test]
    fn a_query_credential_replaces_a_parameter_of_its_name_and_keeps_the_others() {
        let mut request = request("https://api.example/x?key=param&page=2", "accept", "*/*");
        put_secret_query(&mut request, "key", "", &Secret::from("k3y"));
        assert_eq!(request.url().query(), Some("page=2&key=k3y"));
    }

    #[test]
    fn basic_credentials_are_one_authorization_header() {
        let mut request = request("https://api.example/", "authorization", "Bearer other");
        let basic = BasicCredentials {
            user: "Aladdin".into(),
            password: Secret::from("open sesame"),
        };
        put_basic_auth(&mut request, &basic).unwrap();
        let values: Vec<_> = request.headers().get_all("authorization").iter().collect();
        // RFC 7617's example.
        assert_eq!(values, ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="]);
        assert!(values[0].is_sensitive());
    }
}
