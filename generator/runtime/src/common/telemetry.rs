//! One `tracing` span per call, named and described as OpenTelemetry's semantic conventions
//! for HTTP clients say, so a service that exports its spans (`tracing-opentelemetry`, say)
//! gets its calls to the vendors with no code of its own. Each attempt is an event inside it
//! (see [`super::transport::exchange`]). Neither holds a parameter value, a body or a
//! credential: the path is the template from the spec, and the server is its host and port.

use tracing::Span;
use tracing::field::Empty;

use super::client::Service;
use super::error::Error;

/// The span of one call, at info level: `otel.name` is `{method} {url.template}`, and
/// `otel.kind` is `client`. It carries `http.request.method`, `url.template`,
/// `server.address` and `server.port`; [`end_call`] records `http.response.status_code`
/// and, for a call that failed, `error.type` and `otel.status_code`.
#[doc(hidden)]
pub fn call_span(method: &'static str, template: &'static str, base_url: &reqwest::Url) -> Span {
    tracing::info_span!(
        "http.client",
        otel.name = %format_args!("{method} {template}"),
        otel.kind = "client",
        otel.status_code = Empty,
        http.request.method = method,
        url.template = template,
        server.address = base_url.host_str().unwrap_or_default(),
        server.port = base_url.port_or_known_default(),
        http.response.status_code = Empty,
        error.type = Empty,
    )
}

/// Records on `span` how the call ended: the status of its last answer, if one came (a
/// body too large to read, or a redirect not followed, has one too), and for a failure the
/// kind of error ([`error_type`]).
#[doc(hidden)]
pub fn end_call<T, S: Service>(span: &Span, status: Option<u16>, outcome: &Result<T, Error<S>>) {
    let status = match outcome {
        Err(error) => error.status().or(status),
        Ok(_) => status,
    };
    if let Some(status) = status {
        span.record("http.response.status_code", status);
    }
    if let Err(error) = outcome {
        span.record("error.type", error_type(error));
        span.record("otel.status_code", "ERROR");
    }
}

/// `error.type` of a failed call: the status code of an answer that is an error, else a
/// short name for what went wrong. Few values, as the conventions ask, and none from the
/// answer's body.
pub fn error_type<S: Service>(error: &Error<S>) -> String {
    match error {
        Error::Api { status, .. } | Error::Status { status, .. } => status.to_string(),
        Error::RateLimited { .. } => "429".into(),
        Error::Timeout { .. } => "timeout".into(),
        Error::Transport { source, .. } if source.is_connect() => "connect".into(),
        Error::Transport { .. } => "transport".into(),
        Error::BodyTooLarge { .. } => "body_too_large".into(),
        Error::UnsupportedEncoding { .. } => "unsupported_encoding".into(),
        Error::Redirect { .. } => "redirect".into(),
        Error::Decode { .. } => "decode".into(),
        Error::InvalidRequest { .. } => "invalid_request".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::testing::Plain;

    #[test]
    fn an_error_answer_is_its_status_and_other_failures_a_short_name() {
        let endpoint = crate::common::Endpoint {
            operation: Some("listItems"),
            method: "GET",
            path: "/items",
        };
        let status: Error<Plain> = Error::Status {
            endpoint,
            status: 503,
            retry_after: None,
            body: "{\"secret\": \"in the body\"}".into(),
        };
        assert_eq!(error_type(&status), "503");
        let limited: Error<Plain> = Error::RateLimited {
            endpoint,
            retry_after: None,
            body: String::new(),
        };
        assert_eq!(error_type(&limited), "429");
        let large: Error<Plain> = Error::BodyTooLarge {
            endpoint,
            status: 200,
            limit: 10,
        };
        assert_eq!(error_type(&large), "body_too_large");
        let invalid: Error<Plain> = Error::invalid("header `x-key` has CR");
        assert_eq!(error_type(&invalid), "invalid_request");
    }
}
