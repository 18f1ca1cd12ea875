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

/// One `Cookie` header value for every `(name, secret)`, marked sensitive.
#[doc(hidden)]
pub fn secret_cookies(cookies: &[(&str, &Secret)]) -> Result<reqwest::header::HeaderValue, String> {
    let text: Vec<String> = cookies
        .iter()
        .map(|(name, secret)| format!("{name}={}", secret.expose()))
        .collect();
    let mut value = reqwest::header::HeaderValue::from_str(&text.join("; "))
        .map_err(|_| "a cookie credential has characters HTTP does not allow".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
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
