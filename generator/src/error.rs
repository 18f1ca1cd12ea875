//! Located errors: every failure names the spec file, the JSON pointer inside it and,
//! where the parser knows it, the line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// An RFC 6901 JSON pointer into a spec, rendered as a URI fragment (`#/paths/~1pets/get`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The pointer to the document root.
    pub fn root() -> Self {
        Self::default()
    }

    /// Parses a local `$ref` such as `#/components/schemas/Pet`; `None` if it is not local.
    pub fn from_fragment(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        Some(Self(percent_decode(rest)))
    }

    /// The pointer one level deeper, escaping `~` and `/` in `token`.
    pub fn push(&self, token: impl AsRef<str>) -> Self {
        let token = token.as_ref();
        let mut pointer = String::with_capacity(self.0.len() + 1 + token.len());
        pointer.push_str(&self.0);
        pointer.push('/');
        for piece in token.split_inclusive(['~', '/']) {
            match piece.strip_suffix('~') {
                Some(before) => pointer.extend([before, "~0"]),
                None => match piece.strip_suffix('/') {
                    Some(before) => pointer.extend([before, "~1"]),
                    None => pointer.push_str(piece),
                },
            }
        }
        Self(pointer)
    }

    /// The pointer one level up (the root stays the root).
    pub fn parent(&self) -> Self {
        match self.0.rfind('/') {
            Some(slash) => Self(self.0[..slash].to_owned()),
            None => Self::root(),
        }
    }

    /// The unescaped reference tokens, from the root down.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(|token| match token.contains('~') {
            true => token.replace("~1", "/").replace("~0", "~"),
            false => token.to_owned(),
        })
    }

    /// The pointer text without the leading `#`, as `serde_json::Value::pointer` expects.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// `$ref` fragments and file paths may percent-encode characters (RFC 3986; RFC 6901
/// section 6).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied(), bytes.get(i + 2).copied()) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push(((hex(h).unwrap_or(0) << 4) | hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Where in which spec something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub pointer: JsonPointer,
    /// 1-based line and column, when the parser reported them (see [`line_col`]).
    pub line_col: Option<(u32, u32)>,
    /// In a document spread over several files, the `$ref`s that lead from the root file
    /// to this one; none in the root file.
    pub via: Via,
}

/// A 1-based line and column as a [`Location`] keeps them: saturated at `u32::MAX`, which no
/// spec reaches, to keep every error small.
pub fn line_col((line, column): (usize, usize)) -> (u32, u32) {
    let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (narrow(line), narrow(column))
}

/// The `$ref`s that lead from a document's root file to another file, root first. Behind
/// one pointer, as most locations have none and every error carries a location.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Via(Option<Box<Steps>>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Steps(Vec<Location>);

impl Via {
    /// The `$ref`s, root first.
    pub fn steps(&self) -> &[Location] {
        self.0.as_deref().map_or(&[], |steps| steps.0.as_slice())
    }

    /// The same chain, one `$ref` longer.
    pub fn then(&self, step: Location) -> Via {
        let mut steps = self.steps().to_vec();
        steps.push(step);
        Via(Some(Box::new(Steps(steps))))
    }

    /// The chain without its last `$ref`, and that `$ref`.
    pub fn split_last(&self) -> Option<(Via, &Location)> {
        let (last, before) = self.steps().split_last()?;
        let before = (!before.is_empty()).then(|| Box::new(Steps(before.to_vec())));
        Some((Via(before), last))
    }
}

impl Location {
    pub fn new(file: &Path, pointer: JsonPointer) -> Self {
        Self {
            file: file.to_owned(),
            pointer,
            line_col: None,
            via: Via::default(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, " {}", self.pointer)?;
        let steps = self.via.steps();
        for (i, step) in steps.iter().enumerate() {
            let word = if i == 0 { " (via" } else { " ->" };
            write!(f, "{word} {} {}", step.file.display(), step.pointer)?;
        }
        if !steps.is_empty() {
            write!(f, ")")?;
        }
        Ok(())
    }
}

/// Something generated, but not as the spec asked: the fallback taken, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub at: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}\n  --> {}", self.message, self.at)
    }
}

/// Everything that can go wrong, each with a location and a hint on what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },

    #[error("no OpenAPI spec (*.yaml, *.yml, *.json) in {}", dir.display())]
    NoSpecs { dir: PathBuf },

    #[error("not valid {format}: {message}")]
    Syntax {
        at: Location,
        format: &'static str,
        message: String,
    },

    #[error("unsupported OpenAPI version {found}")]
    Version { at: Location, found: String },

    #[error("not a valid OpenAPI 3.0 document here: {message}")]
    Shape { at: Location, message: String },

    #[error("`$ref` points to nothing: `{target}`")]
    DanglingRef { at: Location, target: String },

    #[error("`$ref` chain never reaches a definition: {chain}")]
    RefCycle { at: Location, chain: String },

    #[error("cannot read {}, which a `$ref` names: {source}", file.display())]
    RefFile {
        at: Location,
        file: PathBuf,
        source: std::io::Error,
    },

    #[error("operationId `{id}` is used twice (first at {first})")]
    DuplicateOperationId {
        at: Location,
        id: String,
        first: JsonPointer,
    },

    #[error("unsupported: {what}")]
    Unsupported {
        at: Location,
        what: String,
        help: String,
    },

    #[error("two specs map to the module `{module}`: {} and {}", first.display(), second.display())]
    ModuleCollision {
        module: String,
        first: PathBuf,
        second: PathBuf,
    },

    #[error("internal error: generated `{file}` is not valid Rust: {message}")]
    Emit { file: String, message: String },

    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },

    #[error("cannot start a thread to generate on: {source}")]
    Thread { source: std::io::Error },

    #[error("cannot read the specs at `{rev}`: {message}")]
    Git { rev: String, message: String },
}

/// The `at` of an error that has one, borrowed as the error is.
macro_rules! location_of {
    ($error:expr) => {
        match $error {
            Error::Syntax { at, .. }
            | Error::Version { at, .. }
            | Error::Shape { at, .. }
            | Error::DanglingRef { at, .. }
            | Error::RefCycle { at, .. }
            | Error::RefFile { at, .. }
            | Error::DuplicateOperationId { at, .. }
            | Error::Unsupported { at, .. } => Some(at),
            Error::Read { .. }
            | Error::NoSpecs { .. }
            | Error::ModuleCollision { .. }
            | Error::Emit { .. }
            | Error::Write { .. }
            | Error::Thread { .. }
            | Error::Git { .. } => None,
        }
    };
}

impl Error {
    /// The location in a spec, for errors that have one.
    pub fn location(&self) -> Option<&Location> {
        location_of!(self)
    }

    /// [`Error::location`], to move it (see [`crate::bundle::Origins::relocate`]).
    pub fn location_mut(&mut self) -> Option<&mut Location> {
        location_of!(self)
    }

    /// What the reader can do about it.
    pub fn help(&self) -> String {
        match self {
            Error::Read { .. } => "check that the path exists and is a readable file".into(),
            Error::NoSpecs { .. } => "add an OpenAPI 3.0 spec to the directory".into(),
            Error::Syntax { .. } => "fix the syntax at the position shown".into(),
            Error::Version { .. } => {
                "this generator reads OpenAPI 3.0.x (`openapi: 3.0.3`); convert Swagger 2.0 \
                 or other versions first"
                    .into()
            }
            Error::Shape { .. } => {
                "compare the value with the OpenAPI 3.0.3 specification for this position".into()
            }
            Error::DanglingRef { .. } => "define the target or correct the reference".into(),
            Error::RefCycle { .. } => "make one `$ref` in the chain point to a definition".into(),
            Error::RefFile { .. } => {
                "check the path: a `$ref` to a file is relative to the file that holds the `$ref`".into()
            }
            Error::DuplicateOperationId { .. } => {
                "operationId must be unique across the spec; rename one of them".into()
            }
            Error::Unsupported { help, .. } => help.clone(),
            Error::ModuleCollision { .. } => "rename one of the spec files".into(),
            Error::Emit { .. } => "this is a generator bug; please report it with the spec".into(),
            Error::Write { .. } => "check permissions and free space on the output path".into(),
            Error::Thread { .. } => {
                "the system is out of threads or memory; try again with fewer running".into()
            }
            Error::Git { .. } => {
                "run it in a git checkout, with a revision `git rev-parse` knows (a branch, a tag, a commit)"
                    .into()
            }
        }
    }

    /// A multi-line report: what, where, what to do.
    pub fn report(&self) -> String {
        let mut out = format!("error: {self}\n");
        if let Some(at) = self.location() {
            out.push_str(&format!("  --> {at}\n"));
        }
        out.push_str(&format!("  = help: {}\n", self.help()));
        out
    }
}

/// Several errors at once: a run reports all it found, not just the first.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors(vec![error])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", error.report())?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::JsonPointer;

    #[test]
    fn a_pushed_token_escapes_tilde_and_slash_and_reads_back_as_written() {
        let tokens = ["paths", "/pets/{id}", "~a~/b", "", "plain"];
        let pointer = tokens
            .iter()
            .fold(JsonPointer::root(), |at, token| at.push(token));
        assert_eq!(pointer.as_str(), "/paths/~1pets~1{id}/~0a~0~1b//plain");
        assert_eq!(pointer.tokens().collect::<Vec<_>>(), tokens);
    }
}
