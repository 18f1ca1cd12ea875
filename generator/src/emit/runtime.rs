//! The part of `common.rs` every client shares: secrets that never print, the retry policy,
//! the observer hook, and `send`, which runs one call through its attempts.

use proc_macro2::TokenStream;
use quote::quote;

/// Tokens of the client runtime, emitted once per crate when some API has operations.
pub fn runtime() -> TokenStream {
    let secret = secret();
    let policy = policy();
    let send = send();
    quote! {
        #secret
        #policy
        #send
    }
}

fn secret() -> TokenStream {
    quote! {
        /// A credential. Its text never appears in `Debug` output, errors or logs; only
        /// [`Secret::expose`] gives it out, to put it on a request.
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct Secret(::std::string::String);

        impl Secret {
            /// Wraps `value`.
            pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(value.into())
            }

            /// The secret text.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Debug for Secret {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("Secret(***)")
            }
        }

        impl ::std::convert::From<::std::string::String> for Secret {
            fn from(value: ::std::string::String) -> Self {
                Self(value)
            }
        }

        impl ::std::convert::From<&str> for Secret {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        /// A user name and password for HTTP basic authentication.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct BasicCredentials {
            /// The user name.
            pub user: ::std::string::String,
            /// The password.
            pub password: Secret,
        }

        /// Checks a string against the constraints its field states: its length in
        /// characters and, for `luhn`, digits only with a valid Luhn check digit. The message
        /// names the field, not the value.
        #[doc(hidden)]
        pub fn check_text(
            field: &str,
            value: &str,
            min: ::std::option::Option<usize>,
            max: ::std::option::Option<usize>,
            luhn: bool,
        ) -> ::std::result::Result<(), ::std::string::String> {
            let length = value.chars().count();
            if min.is_some_and(|min| length < min) || max.is_some_and(|max| length > max) {
                return ::std::result::Result::Err(::std::format!(
                    "`{field}` has {length} characters; the spec allows {} to {}",
                    min.unwrap_or(0),
                    max.map_or_else(|| "any number".to_owned(), |max| max.to_string()),
                ));
            }
            if luhn {
                let digits: ::std::option::Option<::std::vec::Vec<u32>> = value.chars().map(|c| c.to_digit(10)).collect();
                let valid = digits.is_some_and(|digits| {
                    let sum: u32 = digits
                        .iter()
                        .rev()
                        .enumerate()
                        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
                        .sum();
                    !value.is_empty() && sum % 10 == 0
                });
                if !valid {
                    return ::std::result::Result::Err(::std::format!(
                        "`{field}` must be digits whose last one is a Luhn check digit"
                    ));
                }
            }
            ::std::result::Result::Ok(())
        }

        /// How a structured query parameter is written (its `style` and `explode`).
        #[doc(hidden)]
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy)]
        pub enum QueryStyle {
            /// form, explode: `a=1&b=2` for an object, `id=1&id=2` for an array.
            Form,
            /// form without explode (`,`), spaceDelimited, pipeDelimited: `obj=a,1,b,2`.
            Delimited(char),
            /// deepObject: `obj[a]=1&obj[b]=2`.
            DeepObject,
        }

        /// A scalar's text in a URL or header; `None` for `null`. Arrays and objects are
        /// written as compact JSON where no style says otherwise.
        fn scalar_text(value: &::serde_json::Value) -> ::std::option::Option<::std::string::String> {
            match value {
                ::serde_json::Value::Null => ::std::option::Option::None,
                ::serde_json::Value::String(text) => ::std::option::Option::Some(text.clone()),
                other => ::std::option::Option::Some(other.to_string()),
            }
        }

        /// The query string of a call, pair by pair in order; written to the URL at the end.
        #[doc(hidden)]
        #[derive(::std::default::Default)]
        pub struct QueryPairs(::std::vec::Vec<(::std::borrow::Cow<'static, str>, ::std::string::String)>);

        impl QueryPairs {
            /// Adds `name=value`.
            pub fn push(&mut self, name: &'static str, value: ::std::string::String) {
                self.0.push((::std::borrow::Cow::Borrowed(name), value));
            }

            /// Adds the pairs of parameter `name` with the JSON form `value`, as `style` says.
            pub fn push_json(&mut self, name: &'static str, value: &::serde_json::Value, style: QueryStyle) {
                match (value, style) {
                    (::serde_json::Value::Object(object), QueryStyle::Form) => {
                        for (key, item) in object {
                            if let ::std::option::Option::Some(text) = scalar_text(item) {
                                self.0.push((::std::borrow::Cow::Owned(key.clone()), text));
                            }
                        }
                    }
                    (::serde_json::Value::Object(object), QueryStyle::DeepObject) => {
                        let mut stack: ::std::vec::Vec<(::std::string::String, &::serde_json::Value)> =
                            object.iter().rev().map(|(key, item)| (::std::format!("{name}[{key}]"), item)).collect();
                        while let ::std::option::Option::Some((key, item)) = stack.pop() {
                            match item {
                                ::serde_json::Value::Object(inner) => {
                                    stack.extend(inner.iter().rev().map(|(k, v)| (::std::format!("{key}[{k}]"), v)));
                                }
                                ::serde_json::Value::Array(items) => {
                                    for item in items {
                                        if let ::std::option::Option::Some(text) = scalar_text(item) {
                                            self.0.push((::std::borrow::Cow::Owned(::std::format!("{key}[]")), text));
                                        }
                                    }
                                }
                                other => {
                                    if let ::std::option::Option::Some(text) = scalar_text(other) {
                                        self.0.push((::std::borrow::Cow::Owned(key), text));
                                    }
                                }
                            }
                        }
                    }
                    (::serde_json::Value::Object(object), QueryStyle::Delimited(separator)) => {
                        let parts: ::std::vec::Vec<::std::string::String> = object
                            .iter()
                            .filter_map(|(key, item)| scalar_text(item).map(|text| ::std::format!("{key}{separator}{text}")))
                            .collect();
                        self.push(name, parts.join(&separator.to_string()));
                    }
                    (::serde_json::Value::Array(items), QueryStyle::Delimited(separator)) => {
                        let parts: ::std::vec::Vec<::std::string::String> = items.iter().filter_map(scalar_text).collect();
                        self.push(name, parts.join(&separator.to_string()));
                    }
                    (::serde_json::Value::Array(items), _) => {
                        for item in items {
                            if let ::std::option::Option::Some(text) = scalar_text(item) {
                                self.push(name, text);
                            }
                        }
                    }
                    (other, _) => {
                        if let ::std::option::Option::Some(text) = scalar_text(other) {
                            self.push(name, text);
                        }
                    }
                }
            }

            /// Writes the pairs into `url`'s query string; with none, the URL gets no `?`.
            pub fn write_to(self, url: &mut ::reqwest::Url) {
                if !self.0.is_empty() {
                    url.query_pairs_mut().extend_pairs(self.0);
                }
            }
        }

        /// The `simple`-style text of a structured path or header value: `a,b` for an array,
        /// `k,v,k2,v2` for an object.
        #[doc(hidden)]
        pub fn simple_text(value: &::serde_json::Value) -> ::std::string::String {
            match value {
                ::serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).collect::<::std::vec::Vec<_>>().join(","),
                ::serde_json::Value::Object(object) => object
                    .iter()
                    .filter_map(|(key, item)| scalar_text(item).map(|text| ::std::format!("{key},{text}")))
                    .collect::<::std::vec::Vec<_>>()
                    .join(","),
                other => scalar_text(other).unwrap_or_default(),
            }
        }

        /// `value` as one path segment, or why it cannot be one: the empty string, `.` and
        /// `..` would change the path itself (URLs resolve them away), so they are refused.
        /// Every other value stays inside its segment, `/`, `?`, `#` and `%` percent-encoded.
        #[doc(hidden)]
        pub fn path_segment(value: &str) -> ::std::result::Result<&str, ::std::string::String> {
            match value {
                "" | "." | ".." => ::std::result::Result::Err(::std::format!(
                    "the path parameter value `{value}` cannot be sent as a path segment"
                )),
                _ => ::std::result::Result::Ok(value),
            }
        }

        /// A redirect policy that follows at most 10 redirects, and none to another origin
        /// (scheme, host and port): vendors send credentials in headers of their own
        /// (`api_key`, `x-apikey`), which reqwest does not know to drop on the way to another
        /// host. A redirect it does not follow comes back as the 3xx answer.
        pub fn same_origin_redirects() -> ::reqwest::redirect::Policy {
            ::reqwest::redirect::Policy::custom(|attempt| {
                let same_origin = attempt
                    .previous()
                    .first()
                    .is_some_and(|first| first.origin() == attempt.url().origin());
                if same_origin && attempt.previous().len() <= 10 {
                    attempt.follow()
                } else {
                    attempt.stop()
                }
            })
        }

        /// One `Cookie` header value for every `(name, secret)`, marked sensitive.
        #[doc(hidden)]
        pub fn secret_cookies(cookies: &[(&str, &Secret)]) -> ::std::result::Result<::reqwest::header::HeaderValue, ::std::string::String> {
            let text: ::std::vec::Vec<::std::string::String> =
                cookies.iter().map(|(name, secret)| ::std::format!("{name}={}", secret.expose())).collect();
            let mut value = ::reqwest::header::HeaderValue::from_str(&text.join("; "))
                .map_err(|_| "a cookie credential has characters HTTP does not allow".to_owned())?;
            value.set_sensitive(true);
            ::std::result::Result::Ok(value)
        }

        /// The header value `prefix` + `secret`, marked sensitive so that no `Debug` output
        /// shows it. The error names the header, never the value.
        #[doc(hidden)]
        pub fn secret_header(
            name: &str,
            prefix: &str,
            secret: &Secret,
        ) -> ::std::result::Result<::reqwest::header::HeaderValue, ::std::string::String> {
            let mut value = ::reqwest::header::HeaderValue::from_str(&::std::format!("{prefix}{}", secret.expose()))
                .map_err(|_| ::std::format!("the credential for `{name}` has characters HTTP does not allow"))?;
            value.set_sensitive(true);
            ::std::result::Result::Ok(value)
        }
    }
}

fn policy() -> TokenStream {
    quote! {
        /// When a call is tried again, and how long it may wait in all.
        ///
        /// A `429 Too Many Requests` is retried after the wait its `Retry-After` header asks
        /// for (seconds or an HTTP date), or after a backoff if it gives none. A 5xx answer or
        /// a failed connection is retried with exponential backoff and jitter, but only for
        /// idempotent methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`), which the server
        /// may safely see twice. A wait longer than `max_wait`, or one that would take the
        /// call past `max_total_wait`, ends the call with the last answer instead.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct RetryPolicy {
            /// Attempts in all, the first included; 1 turns retrying off.
            pub max_attempts: u32,
            /// The longest single wait, whatever `Retry-After` asks.
            pub max_wait: ::std::time::Duration,
            /// The most a call may spend waiting between its attempts.
            pub max_total_wait: ::std::time::Duration,
            /// The first backoff; it doubles with each attempt, and each wait is drawn at
            /// random between half of it and all of it.
            pub backoff: ::std::time::Duration,
            /// Whether a `429` is retried.
            pub on_rate_limit: bool,
            /// Whether 5xx answers and failed connections are retried (idempotent methods only).
            pub on_server_error: bool,
        }

        impl ::std::default::Default for RetryPolicy {
            /// Up to 3 attempts, waits of at most 30 s each and 60 s in all, from 250 ms of
            /// backoff.
            fn default() -> Self {
                Self {
                    max_attempts: 3,
                    max_wait: ::std::time::Duration::from_secs(30),
                    max_total_wait: ::std::time::Duration::from_secs(60),
                    backoff: ::std::time::Duration::from_millis(250),
                    on_rate_limit: true,
                    on_server_error: true,
                }
            }
        }

        impl RetryPolicy {
            /// One attempt per call: nothing is retried.
            pub fn never() -> Self {
                Self {
                    max_attempts: 1,
                    ..Self::default()
                }
            }

            /// The backoff before attempt `next` (2 or more), with jitter.
            fn backoff_before(&self, next: u32) -> ::std::time::Duration {
                use ::std::hash::BuildHasher as _;
                let doubled = self.backoff.saturating_mul(1u32 << next.saturating_sub(2).min(16));
                // A fresh random hasher key is the standard library's own source of randomness.
                let random = ::std::collections::hash_map::RandomState::new().hash_one(next);
                let fraction = (random % 1000) as u32;
                doubled / 2 + doubled / 2 * fraction / 1000
            }
        }

        /// One attempt at a call, as an observer sees it. It holds nothing secret: the path
        /// is the template from the spec, without parameter values.
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        pub struct Attempt {
            /// The HTTP method.
            pub method: &'static str,
            /// The path template, such as `/costcenters/{cost_center}`.
            pub path: &'static str,
            /// 1 for the first attempt.
            pub attempt: u32,
            /// The status answered, or `None` if no answer came.
            pub status: ::std::option::Option<u16>,
            /// Time from the start of this attempt to its end.
            pub elapsed: ::std::time::Duration,
        }

        /// A function told about every attempt of every call.
        pub type Observer = ::std::sync::Arc<dyn ::std::ops::Fn(&Attempt) + ::std::marker::Send + ::std::marker::Sync>;
    }
}

fn send() -> TokenStream {
    quote! {
        /// The answer a call ended with.
        #[doc(hidden)]
        #[derive(::std::fmt::Debug)]
        pub struct Reply {
            pub status: u16,
            /// The wait `Retry-After` asked for, if it was readable.
            pub retry_after: ::std::option::Option<::std::time::Duration>,
            pub body: ::std::vec::Vec<u8>,
        }

        /// What one call is, for [`send`].
        #[doc(hidden)]
        pub struct Call<'a> {
            pub method: &'static str,
            pub path: &'static str,
            pub policy: &'a RetryPolicy,
            pub observer: ::std::option::Option<&'a Observer>,
            /// The longest body read, in bytes.
            pub max_body: u64,
        }

        /// Why [`send`] has no answer to give.
        #[doc(hidden)]
        #[derive(::std::fmt::Debug)]
        pub enum Failure {
            /// Sending, or reading the answer, failed.
            Http(::reqwest::Error),
            /// The body is longer than the limit; the rest was not read.
            TooLarge { status: u16, limit: u64 },
        }

        /// The body of `response`, refused as soon as it is known to be longer than `limit`
        /// bytes: by its `Content-Length`, or once that much has arrived.
        async fn read_body(mut response: ::reqwest::Response, limit: u64) -> ::std::result::Result<::std::vec::Vec<u8>, Failure> {
            let status = response.status().as_u16();
            let too_large = Failure::TooLarge { status, limit };
            if response.content_length().is_some_and(|length| length > limit) {
                return ::std::result::Result::Err(too_large);
            }
            let mut body = ::std::vec::Vec::new();
            while let ::std::option::Option::Some(chunk) = response.chunk().await.map_err(Failure::Http)? {
                if (body.len() + chunk.len()) as u64 > limit {
                    return ::std::result::Result::Err(too_large);
                }
                body.extend_from_slice(&chunk);
            }
            ::std::result::Result::Ok(body)
        }

        /// `Retry-After` as a wait: delta seconds, or an HTTP date (a date in the past is no
        /// wait). Anything else is unreadable.
        #[doc(hidden)]
        pub fn retry_after(value: &str) -> ::std::option::Option<::std::time::Duration> {
            let value = value.trim();
            if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                // Too many seconds to count is as good as forever.
                let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
                return ::std::option::Option::Some(::std::time::Duration::from_secs(seconds));
            }
            let at = ::httpdate::parse_http_date(value).ok()?;
            ::std::option::Option::Some(at.duration_since(::std::time::SystemTime::now()).unwrap_or_default())
        }

        /// Sends `request`, trying again as `call.policy` allows, and returns the last answer.
        #[doc(hidden)]
        pub async fn send(call: Call<'_>, request: ::reqwest::RequestBuilder) -> ::std::result::Result<Reply, Failure> {
            let idempotent = ::std::matches!(call.method, "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS");
            let mut waited = ::std::time::Duration::ZERO;
            let mut attempt = 1;
            let mut current = request;
            loop {
                // A copy for the next attempt; a body that cannot be copied is sent once only.
                let next = if attempt < call.policy.max_attempts { current.try_clone() } else { ::std::option::Option::None };
                let started = ::std::time::Instant::now();
                let outcome = match current.send().await {
                    ::std::result::Result::Ok(response) => {
                        let status = response.status().as_u16();
                        let retry_after = response
                            .headers()
                            .get(::reqwest::header::RETRY_AFTER)
                            .and_then(|value| value.to_str().ok())
                            .and_then(retry_after);
                        read_body(response, call.max_body).await.map(|body| Reply { status, retry_after, body })
                    }
                    ::std::result::Result::Err(error) => ::std::result::Result::Err(Failure::Http(error)),
                };
                let seen = Attempt {
                    method: call.method,
                    path: call.path,
                    attempt,
                    status: outcome.as_ref().ok().map(|reply| reply.status),
                    elapsed: started.elapsed(),
                };
                ::tracing::debug!(
                    method = seen.method,
                    path = seen.path,
                    attempt = seen.attempt,
                    status = seen.status,
                    elapsed_ms = seen.elapsed.as_millis() as u64,
                    "attempt"
                );
                if let ::std::option::Option::Some(observer) = call.observer {
                    observer(&seen);
                }
                let ::std::option::Option::Some(next) = next else {
                    return outcome;
                };
                let wait = match &outcome {
                    ::std::result::Result::Ok(reply) if reply.status == 429 && call.policy.on_rate_limit => {
                        reply.retry_after.or_else(|| ::std::option::Option::Some(call.policy.backoff_before(attempt + 1)))
                    }
                    ::std::result::Result::Ok(reply)
                        if ::std::matches!(reply.status, 500 | 502 | 503 | 504) && call.policy.on_server_error && idempotent =>
                    {
                        reply.retry_after.or_else(|| ::std::option::Option::Some(call.policy.backoff_before(attempt + 1)))
                    }
                    // No answer, or one cut off before its end (reqwest reports a body that
                    // stops short while read in chunks as a decode error).
                    ::std::result::Result::Err(Failure::Http(error))
                        if (error.is_connect() || error.is_timeout() || error.is_body() || error.is_decode())
                            && call.policy.on_server_error
                            && idempotent =>
                    {
                        ::std::option::Option::Some(call.policy.backoff_before(attempt + 1))
                    }
                    _ => ::std::option::Option::None,
                };
                match wait {
                    ::std::option::Option::Some(wait)
                        if wait <= call.policy.max_wait && waited + wait <= call.policy.max_total_wait =>
                    {
                        ::tokio::time::sleep(wait).await;
                        waited += wait;
                        attempt += 1;
                        current = next;
                    }
                    _ => return outcome,
                }
            }
        }
    }
}
