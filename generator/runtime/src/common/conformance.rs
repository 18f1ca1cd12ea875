//! The half of a conformance program that is the same for every spec (`generator SPEC --out
//! DIR --conformance` writes the other half, `examples/conformance.rs`, one call per
//! operation): each call's outcome, a table of them and the summary line.
//!
//! A call is made with arguments the spec allows (its own examples, else values made to fit
//! its schemas) through the typed client, against a server that checks requests and answers
//! against the spec, such as `prism mock --errors`. Its outcome is one of: passed; refused
//! (the server found the request invalid: its reasons); not decoded (the answer does not fit
//! its type: where, and why); failed (anything else); not callable (no argument could be
//! made: why).

use std::fmt;
use std::process::ExitCode;

use serde::de::DeserializeOwned;

use super::client::Service;
use super::error::Error;

/// Why a call could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCallable(pub String);

/// The argument `what`, decoded from `json`, the value the generator made for it.
pub fn value<T: DeserializeOwned>(what: &str, json: &str) -> Result<T, NotCallable> {
    serde_json::from_str(json).map_err(|error| {
        NotCallable(format!(
            "the value made for {what} does not decode into its type: {error}"
        ))
    })
}

/// The bytes of a body made as the JSON `json`: a string's text, else the JSON itself.
pub fn bytes(json: &str) -> Vec<u8> {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::String(text)) => text.into_bytes(),
        _ => json.as_bytes().to_vec(),
    }
}

/// What became of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The server found the request invalid; its reasons.
    Refused(String),
    /// The answer does not fit its type.
    NotDecoded {
        /// Where in the answer, such as `items[2].amount`.
        at: String,
        why: String,
    },
    /// The spec's own example was refused (or does not fit its type) where values made from
    /// the schemas passed: the spec's defect. Why the example failed.
    BadExample(String),
    /// The server found its own answer invalid against the spec (the spec's example breaks
    /// its schema, or the mock made data that does): the spec's defect or the mock's, not
    /// the client's. Its reasons.
    BadAnswer(String),
    /// The mock could not answer at all (it cannot write the answer's media type, the
    /// operation documents no answer): its own limit. What it said.
    MockCannot(String),
    /// Anything else that ended the call.
    Failed(String),
    NotCallable(String),
}

/// The outcome of a call: its arguments could not be made, or it ended with a result.
pub fn outcome<T, S: Service>(call: Result<Result<T, Error<S>>, NotCallable>) -> Outcome {
    match call {
        Ok(result) => Outcome::of(result),
        Err(NotCallable(why)) => Outcome::NotCallable(why),
    }
}

impl Outcome {
    /// The outcome of a call that ended with `result`.
    pub fn of<T, S: Service>(result: Result<T, Error<S>>) -> Self {
        let error = match result {
            Ok(_) => return Outcome::Passed,
            Err(error) => error,
        };
        match &error {
            Error::Decode { path, source, .. } => Outcome::NotDecoded {
                at: if path.is_empty() {
                    ".".to_owned()
                } else {
                    path.clone()
                },
                why: source.to_string(),
            },
            Error::Status { status, body, .. } if (400..500).contains(status) => {
                Outcome::Refused(reasons(*status, body))
            }
            Error::Api { status, body, .. } if (400..500).contains(status) => {
                Outcome::Refused(format!("{status}: {body:?}"))
            }
            // The spec documents a redirect, and the mock answers one without a place to
            // go, or sends the call to a host of the example's, off the mock.
            Error::Status { status, .. } if (300..400).contains(status) => {
                Outcome::MockCannot(format!("a redirect ({status}) without a `Location` to follow"))
            }
            Error::Redirect {
                location,
                refused: super::redirect::RedirectRefused::TooMany,
                ..
            } if super::transport::server(location) == mock_server() => {
                Outcome::MockCannot("redirects back to itself, without end".to_owned())
            }
            Error::Transport { server, .. } if *server != mock_server() => Outcome::MockCannot(format!(
                "redirected off the mock, to {server}, which this program does not reach"
            )),
            Error::Status { status, body, .. } if *status >= 500 => match mock_problem(body) {
                Some(MockProblem::Answer) => Outcome::BadAnswer(reasons(*status, body)),
                Some(MockProblem::Cannot(title)) => Outcome::MockCannot(title),
                None => Outcome::Failed(format!("{error}: {}", reasons(*status, body))),
            },
            _ => Outcome::Failed(error.to_string()),
        }
    }

    /// Whether a call that ended so is worth making again with values made from the
    /// schemas, where its values were the spec's examples.
    pub fn retry(&self) -> bool {
        matches!(self, Outcome::Refused(_) | Outcome::NotCallable(_))
    }

    /// The outcome of a call made with the spec's examples that ended as `self`, given the
    /// outcome `made` of the same call with values made from the schemas: if that one
    /// passed, the examples were at fault.
    pub fn or_made(self, made: Outcome) -> Outcome {
        match made {
            Outcome::Passed => Outcome::BadExample(self.to_string()),
            other => other,
        }
    }

    /// Whether the outcome is no fault of the client: it passed, or the spec or the mock
    /// is at fault.
    pub fn explained(&self) -> bool {
        matches!(
            self,
            Outcome::Passed | Outcome::BadExample(_) | Outcome::BadAnswer(_) | Outcome::MockCannot(_)
        )
    }

    fn word(&self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Refused(_) => "refused",
            Outcome::BadExample(_) => "bad example",
            Outcome::BadAnswer(_) => "bad answer",
            Outcome::MockCannot(_) => "mock cannot",
            Outcome::NotDecoded { .. } => "not decoded",
            Outcome::Failed(_) => "failed",
            Outcome::NotCallable(_) => "not callable",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Passed => Ok(()),
            Outcome::Refused(why)
            | Outcome::BadExample(why)
            | Outcome::BadAnswer(why)
            | Outcome::MockCannot(why)
            | Outcome::Failed(why)
            | Outcome::NotCallable(why) => f.write_str(why),
            Outcome::NotDecoded { at, why } => write!(f, "at {at}: {why}"),
        }
    }
}

/// What a mock's problem document with a 5xx status says of its own answer.
enum MockProblem {
    /// Every violation it lists is in the answer (`["response", ...]`): the answer it would
    /// give breaks the spec.
    Answer,
    /// It cannot answer: Prism's own error (its `type` under `stoplight.io/prism/errors`),
    /// with its title.
    Cannot(String),
}

fn mock_problem(body: &str) -> Option<MockProblem> {
    let problem = serde_json::from_str::<serde_json::Value>(body).ok()?;
    let violations = problem.get("validation").and_then(serde_json::Value::as_array);
    if let Some(violations) = violations.filter(|v| !v.is_empty()) {
        let in_answer = violations.iter().all(|violation| {
            violation
                .pointer("/location/0")
                .and_then(serde_json::Value::as_str)
                == Some("response")
        });
        return in_answer.then_some(MockProblem::Answer);
    }
    let kind = problem.get("type").and_then(serde_json::Value::as_str)?;
    let title = problem
        .get("title")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(kind);
    kind.starts_with("https://stoplight.io/prism/errors#")
        .then(|| MockProblem::Cannot(title.to_owned()))
}

/// The reasons a mock gave for refusing a request: Prism's problem document lists each
/// violation with where it is (`["query", "limit"]`) and what is wrong; any other body is
/// shown as it came, cut short.
fn reasons(status: u16, body: &str) -> String {
    let listed = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|problem| {
            let violations = problem.get("validation")?.as_array()?;
            let lines: Vec<String> = violations
                .iter()
                .map(|violation| {
                    let location: Vec<&str> = violation
                        .get("location")
                        .and_then(serde_json::Value::as_array)
                        .map(|steps| steps.iter().filter_map(serde_json::Value::as_str).collect())
                        .unwrap_or_default();
                    let message = violation
                        .get("message")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("invalid");
                    format!("{}: {message}", location.join("."))
                })
                .collect();
            (!lines.is_empty()).then(|| lines.join("; "))
        });
    match listed {
        Some(listed) => format!("{status}: {listed}"),
        None => {
            let shown: String = body.chars().take(300).collect();
            format!("{status}: {shown}")
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    operation: &'static str,
    route: &'static str,
    outcome: Outcome,
}

/// The outcomes of every call to one API.
#[derive(Debug)]
pub struct Report {
    api: &'static str,
    rows: Vec<Row>,
}

impl Report {
    pub fn new(api: &'static str) -> Self {
        Self {
            api,
            rows: Vec::new(),
        }
    }

    /// Records the call `operation` (`route`, such as `GET /pets/{id}`) and how it ended.
    pub fn push(&mut self, operation: &'static str, route: &'static str, outcome: Outcome) {
        self.rows.push(Row {
            operation,
            route,
            outcome,
        });
    }

    /// The table, one line per call, then the summary line.
    pub fn table(&self) -> String {
        let width = self.rows.iter().map(|row| row.operation.len()).max().unwrap_or(0);
        let mut out = String::new();
        for row in &self.rows {
            let line = format!(
                "{:<12} {:<width$}  {}",
                row.outcome.word(),
                row.operation,
                row.route
            );
            let detail = row.outcome.to_string();
            if detail.is_empty() {
                out.push_str(&format!("{line}\n"));
            } else {
                out.push_str(&format!("{line}: {detail}\n"));
            }
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// `API: N operations, P passed, ...`, each kind of outcome counted.
    pub fn summary(&self) -> String {
        let count = |word: &str| self.rows.iter().filter(|row| row.outcome.word() == word).count();
        let explained = self.rows.iter().filter(|row| row.outcome.explained()).count();
        format!(
            "{}: {} operations, {} passed; {} explained ({} bad examples, {} bad answers, {} the mock cannot answer); \
             {} refused, {} not decoded, {} failed, {} not callable",
            self.api,
            self.rows.len(),
            count("passed"),
            explained - count("passed"),
            count("bad example"),
            count("bad answer"),
            count("mock cannot"),
            count("refused"),
            count("not decoded"),
            count("failed"),
            count("not callable"),
        )
    }

    /// Prints the table; success if every outcome is no fault of the client.
    pub fn finish(self) -> ExitCode {
        print!("{}", self.table());
        if self.rows.iter().all(|row| row.outcome.explained()) {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

/// The server's base URL: the program's first argument.
pub fn base_url() -> String {
    std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:4010".to_owned())
}

/// The mock's `host:port`, as [`Error::Transport`] names a server.
fn mock_server() -> String {
    reqwest::Url::parse(&base_url())
        .map(|url| super::transport::server(&url))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{MockProblem, NotCallable, Outcome, Report, bytes, mock_problem, reasons, value};

    #[test]
    fn a_value_that_does_not_fit_its_type_makes_the_call_not_callable() {
        assert_eq!(value::<i32>("`id`", "17"), Ok(17));
        let NotCallable(why) = value::<i32>("`id`", "\"x\"").unwrap_err();
        assert!(
            why.starts_with("the value made for `id` does not decode into its type: invalid type"),
            "{why}"
        );
    }

    #[test]
    fn a_body_of_bytes_is_a_strings_text_else_the_json() {
        assert_eq!(bytes("\"hello\""), b"hello");
        assert_eq!(bytes("{\"a\": 1}"), b"{\"a\": 1}");
    }

    #[test]
    fn prisms_violations_are_the_reasons_of_a_refusal() {
        let body = r#"{"type": "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY", "status": 422,
            "validation": [{"location": ["query", "limit"], "severity": "Error", "message": "must be integer"},
                           {"location": ["body"], "message": "must have required property 'name'"}]}"#;
        assert_eq!(
            reasons(422, body),
            "422: query.limit: must be integer; body: must have required property 'name'"
        );
        assert_eq!(reasons(400, "no such thing"), "400: no such thing");
        assert!(mock_problem(body).is_none());
        let answer = r#"{"status": 500, "validation": [{"location": ["response", "body", "uri"], "message": "must match format \"uri\""}]}"#;
        assert!(matches!(mock_problem(answer), Some(MockProblem::Answer)));
        assert_eq!(
            reasons(500, answer),
            "500: response.body.uri: must match format \"uri\""
        );
        let cannot = r#"{"type": "https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT", "title": "Cannot serialise complex objects as text", "status": 500}"#;
        assert!(
            matches!(mock_problem(cannot), Some(MockProblem::Cannot(title)) if title == "Cannot serialise complex objects as text")
        );
        assert!(mock_problem(r#"{"title": "Internal error", "status": 500}"#).is_none());
    }

    #[test]
    fn an_example_refused_where_made_values_pass_is_the_specs_defect() {
        let refused = Outcome::Refused("422: body.Url: must match format \"uri\"".into());
        assert!(refused.retry());
        assert_eq!(
            refused.clone().or_made(Outcome::Passed),
            Outcome::BadExample("422: body.Url: must match format \"uri\"".into())
        );
        let failed = Outcome::Failed("reset".into());
        assert_eq!(refused.or_made(failed.clone()), failed);
        assert!(!Outcome::Passed.retry());
    }

    #[test]
    fn the_table_lists_each_call_and_counts_each_outcome() {
        let mut report = Report::new("pets");
        report.push("getPet", "GET /pets/{id}", Outcome::Passed);
        report.push(
            "listPets",
            "GET /pets",
            Outcome::NotDecoded {
                at: "items[0].id".into(),
                why: "invalid type: string \"7\", expected i64".into(),
            },
        );
        report.push(
            "upload",
            "POST /files",
            Outcome::NotCallable("a body of bytes".into()),
        );
        report.push(
            "stream",
            "GET /stream",
            Outcome::MockCannot("Cannot serialise complex objects as text".into()),
        );
        assert_eq!(
            report.table(),
            "passed       getPet    GET /pets/{id}\n\
             not decoded  listPets  GET /pets: at items[0].id: invalid type: string \"7\", expected i64\n\
             not callable upload    POST /files: a body of bytes\n\
             mock cannot  stream    GET /stream: Cannot serialise complex objects as text\n\
             pets: 4 operations, 1 passed; 1 explained (0 bad examples, 0 bad answers, 1 the mock cannot answer); \
             0 refused, 1 not decoded, 0 failed, 1 not callable\n"
        );
    }
}
