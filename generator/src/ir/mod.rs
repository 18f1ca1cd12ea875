//! The typed intermediate representation between the OpenAPI document and the emitters.
//!
//! Lowering builds it from openapiv3 types; everything after lowering (naming, emitting)
//! sees only these types. Names here are *hints* and wire names: the Rust identifiers are
//! made once, by [`crate::names`].

use crate::error::JsonPointer;

mod census;
mod errors;
mod media;
mod streams;
mod walk;

pub use walk::Container;

pub use census::{Census, RawBody, Tally};
pub use errors::{error_body, error_code};
pub use media::{Encoding, Form, FormField, MediaKind, Multipart, Part, PartValue, accept, is_json};

/// One spec, lowered.
#[derive(Debug, Clone)]
pub struct Api {
    /// File stem of the spec; the module name is derived from it.
    pub stem: String,
    /// The spec file as given, for the `@generated` header and docs.
    pub source: String,
    pub title: String,
    pub version: String,
    pub docs: Docs,
    pub servers: Vec<Server>,
    /// The type arena; [`TypeId`] indexes it. Component schemas come first, in spec order.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    /// How calls authenticate, from `securitySchemes` and `security`.
    pub auth: Auth,
    /// The quota the API documents (`x-rate-limit`).
    pub quota: Option<Quota>,
    /// The header an idempotency key travels in on the calls that are not idempotent
    /// (`x-idempotency-key`).
    pub idempotency_key: Option<String>,
    /// Fallbacks taken where the spec could not be followed exactly.
    pub warnings: Vec<crate::error::Warning>,
    /// Per operation, the arguments of a call the spec allows: made only for a conformance
    /// program (see [`crate::sample::plan`]).
    pub calls: Option<Vec<Call>>,
}

/// The arguments of one call the spec allows, each as JSON text, or why none could be made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Call {
    /// Per parameter of the operation, in order; `None` for an optional one, left out.
    pub params: Vec<Option<Result<String, String>>>,
    /// The body, if the operation has one.
    pub body: Option<Result<String, String>>,
    /// Where some value above is the spec's own example: the same call with every value
    /// made from the schemas instead.
    pub made: Option<Box<Call>>,
}

/// At most `requests` calls in any `millis` milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub requests: u32,
    pub millis: u64,
}

/// The security schemes calls use and the sets of them a call may present.
#[derive(Debug, Clone, Default)]
pub struct Auth {
    pub schemes: Vec<Scheme>,
    /// Alternatives: each is a set of schemes sent together (indexes into `schemes`).
    pub requirements: Vec<Vec<usize>>,
}

#[derive(Debug, Clone)]
pub struct Scheme {
    /// The scheme's name in `components/securitySchemes`.
    pub name: String,
    pub kind: SchemeKind,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// A key in a header, its value `prefix` followed by the key (`x-value-prefix`).
    Header { name: String, prefix: String },
    /// A key in the query string.
    Query { name: String, prefix: String },
    /// A key in a cookie.
    Cookie { name: String },
    /// `Authorization: Bearer <token>` (http bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic ...` (http basic).
    Basic,
}

impl Api {
    /// The arguments of a call per operation, for a conformance program: `None` unless they
    /// were made, and there is an operation to call.
    pub fn conformance_calls(&self) -> Option<&[Call]> {
        self.calls.as_deref().filter(|_| !self.operations.is_empty())
    }

    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The type `id` stands for, through any aliases (see [`crate::shapes`]), with its id.
    pub fn definition(&self, id: TypeId) -> (TypeId, &TypeDef) {
        match TypeRef::Named(id).resolved_in(&self.types) {
            TypeRef::Named(target) => (*target, &self.types[target.0]),
            _ => (id, &self.types[id.0]),
        }
    }
}

/// Documentation carried from the spec (`summary`, `description`, notes we add).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Docs {
    pub paragraphs: Vec<String>,
    pub deprecated: bool,
}

impl Docs {
    pub fn from_parts<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        let paragraphs = parts
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        Docs {
            paragraphs,
            deprecated: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL with each server variable replaced by its default.
    pub url: String,
    /// The URL as written, with `{variable}` placeholders.
    pub template: String,
    /// The template split into text and variables (indexes into `variables`).
    pub pieces: Vec<PathPiece>,
    /// The variables the URL uses, in the order the spec lists them.
    pub variables: Vec<ServerVariable>,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub docs: Docs,
}

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A name as the spec spells it on the wire: a property, an enum value, a tag.
/// Never changed by renaming.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireName(pub String);

/// Where a generated name comes from: the words to case, most specific last
/// (`["Pet", "owner"]` becomes `PetOwner`), and the spec location it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHint {
    pub words: Vec<String>,
    /// Whether this is a component schema (named by the spec author) or inline.
    pub component: bool,
}

/// A named type to emit.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub hint: NameHint,
    pub origin: JsonPointer,
    pub docs: Docs,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum with a catch-all for values the spec does not list.
    StringEnum(Vec<EnumValue>),
    /// An integer enum with a catch-all for values the spec does not list.
    IntEnum(Vec<IntValue>),
    /// A string enum with a single value: a constant that accepts nothing else.
    Constant(WireName),
    /// `oneOf`/`anyOf` without a discriminator: the first variant that decodes wins.
    Untagged(Vec<Variant>),
    /// `oneOf` with a `discriminator`: the tag property picks the variant; unknown tags are
    /// kept whole.
    Tagged(Tagged),
    /// Another name for a type (`type X = ...`).
    Alias(TypeRef),
    /// A struct wrapping one type, serialised as that type. Set by [`crate::cycles`] for an
    /// alias that names itself (`type List = Vec<List>` is not valid Rust).
    Newtype(TypeRef),
    /// An array of a fixed length whose items each have a type of their own (JSON Schema's
    /// `prefixItems`): a tuple struct, sent as the array.
    Tuple(Vec<Element>),
}

/// One item of a [`TypeKind::Tuple`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Element {
    pub ty: TypeRef,
    /// Set by [`crate::cycles`]: the item sits on a reference cycle and must be boxed.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Type of `additionalProperties` values, if extra keys are allowed and typed.
    pub additional: Option<TypeRef>,
    /// `additionalProperties: false`: unknown keys are refused when decoding.
    pub closed: bool,
    /// The tag property this member of discriminated unions leaves to them (see
    /// [`TaggedVariant::keeps_tag`]): decoded on its own, the struct reads it and drops it.
    pub left_tag: Option<WireName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tagged {
    /// The discriminator property, as on the wire.
    pub property: WireName,
    /// One per `oneOf` member, in spec order.
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaggedVariant {
    /// The tag value that selects this variant.
    pub tag: WireName,
    pub ty: TypeRef,
    /// Whether the member type keeps the tag property as a field (it is used elsewhere too,
    /// so it must stand on its own); otherwise the union writes and reads the tag.
    pub keeps_tag: bool,
    /// Set by [`crate::cycles`]: the variant sits on a reference cycle and must be boxed.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub wire: WireName,
    /// Other keys the field is read from (`x-aliases`); it is always sent as `wire`.
    pub aliases: Vec<WireName>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Set by [`crate::cycles`]: the field sits on a reference cycle and must be boxed.
    pub boxed: bool,
    /// The value the spec says the server assumes when the field is absent.
    pub default: Option<serde_json::Value>,
    /// What a client can check about a string field before sending it.
    pub checks: Checks,
    pub docs: Docs,
}

/// Constraints on a string the client checks before sending (`minLength`, `maxLength`,
/// `x-checksum: luhn`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Checks {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// Digits only, the last a Luhn check digit.
    pub luhn: bool,
}

impl Checks {
    pub fn any(&self) -> bool {
        self.min_length.is_some() || self.max_length.is_some() || self.luhn
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    pub wire: WireName,
    /// The variant name the spec gives (`x-enum-varnames`), if any.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IntValue {
    pub value: i64,
    /// The variant name the spec gives (`x-enum-varnames`), if any.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub hint: String,
    pub ty: TypeRef,
    /// Set by [`crate::cycles`]: the variant sits on a reference cycle and must be boxed.
    pub boxed: bool,
    pub docs: Docs,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// An exact decimal number (`format: decimal`), such as an amount of money.
    Decimal,
    /// A calendar date (`format: date`).
    Date,
    /// An instant with its UTC offset (`format: date-time`).
    DateTime,
    /// `format: uuid`.
    Uuid,
    /// Base64 text (`format: byte`), kept as sent, decoded on demand.
    Base64,
    /// Any JSON value.
    Json,
    Vec(Box<TypeRef>),
    /// A JSON object with string keys.
    Map(Box<TypeRef>),
    /// An array item or map value that may be `null` (fields carry their own flag).
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The type with aliases followed. The number of steps is bounded, so a ring of
    /// aliases (lowering makes each one any JSON value, with a warning) ends on one of them
    /// instead of looping forever.
    pub fn resolved_in<'a>(&'a self, types: &'a [TypeDef]) -> &'a TypeRef {
        let mut current = self;
        for _ in 0..=types.len() {
            match current {
                TypeRef::Named(id) => match &types[id.0].kind {
                    TypeKind::Alias(inner) => current = inner,
                    _ => break,
                },
                _ => break,
            }
        }
        current
    }

    /// Whether the type is any JSON value (`null` included), directly or through aliases.
    pub fn is_any_in(&self, types: &[TypeDef]) -> bool {
        *self.resolved_in(types) == TypeRef::Json
    }

    /// Whether the type can be written into a URL or header as text.
    pub fn is_scalar_in(&self, types: &[TypeDef]) -> bool {
        match self.resolved_in(types) {
            TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 => true,
            TypeRef::F32 | TypeRef::F64 | TypeRef::Decimal => true,
            TypeRef::Date | TypeRef::DateTime | TypeRef::Uuid | TypeRef::Base64 => true,
            TypeRef::Named(id) => matches!(
                types[id.0].kind,
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::Constant(_)
            ),
            TypeRef::Json | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Nullable(_) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Every method a path item may hold an operation under, in the order they are read.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// Whether a request of this method may be sent twice with the effect of once (RFC 9110
    /// 9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    /// The key of a path item that holds an operation of this method (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, or a name derived from method and path when the spec gives none.
    pub id: String,
    pub method: Method,
    /// The path template as written, e.g. `/pets/{petId}`.
    pub path: String,
    /// The template's segments after the leading `/`, each a run of literal text and path
    /// parameter values; every `{variable}` has its parameter (see lowering).
    pub segments: Vec<Vec<PathPiece>>,
    pub origin: JsonPointer,
    pub docs: Docs,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Documented responses, by status code, ascending; `default` excluded.
    pub responses: Vec<Response>,
    /// The `default` response: what any other status answers with.
    pub default: Option<Response>,
    /// The requirements of [`Auth::requirements`] the call accepts (its `security`, or the
    /// document's); empty when it needs no credentials.
    pub requirements: Vec<usize>,
    /// How the call pages through a collection (`x-pagination`), if it does.
    pub pagination: Option<Pagination>,
    /// The header its idempotency key travels in, if its method is not idempotent and the
    /// spec names one (`x-idempotency-key`, or an `Idempotency-Key` header parameter).
    pub idempotency_key: Option<String>,
}

/// A piece of a path segment or of a server URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    Text(String),
    /// The value at this index of [`Operation::params`] (a path parameter), or of
    /// [`Server::variables`].
    Param(usize),
}

/// How an operation pages, from `x-pagination`. Parameters are indexes into `params`; the
/// items are a field of the single success response's struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub style: PageStyle,
    /// The struct of the one success response (aliases followed), whose fields the
    /// indexes below are.
    pub response: TypeId,
    /// The field holding a page's items, an array.
    pub items: usize,
    /// The type of one item.
    pub item: TypeRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStyle {
    /// Page numbers from `start`, in parameter `page`; a page shorter than parameter `limit`
    /// (or empty) is the last.
    Number {
        page: usize,
        start: i64,
        limit: Option<usize>,
    },
    /// Parameter `cursor` takes the value of response field `next` (of the cursor's type); a
    /// page without items, or the same cursor again, is the last.
    Cursor { cursor: usize, next: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
    /// Sent in the call's one `Cookie` header, with any cookie credentials.
    Cookie,
}

/// How an array or object query parameter or form field is written (`style`/`explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArrayStyle {
    /// `?id=1&id=2`, `?a=1&b=2` (form, explode).
    Repeat,
    /// `?id=1,2`, `?obj=a,1,b,2` (form without explode; space- and pipe-delimited).
    Delimited(char),
    /// `?obj[a]=1&obj[b]=2` (deepObject).
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: WireName,
    pub location: ParamIn,
    pub ty: TypeRef,
    pub required: bool,
    pub style: ArrayStyle,
    /// An object, union or nested array: written from its JSON form, as `style` says.
    pub structured: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub media_type: String,
    pub encoding: Encoding,
    pub required: bool,
    pub docs: Docs,
    /// A boolean property of a JSON body the call sets to `true` whatever the caller's
    /// value: `stream`, in the streaming twin of a call that answers JSON or events.
    pub set_true: Option<String>,
    /// Where the call accepts several typed media types (JSON, forms, text): each, with
    /// its encoding, in the spec's order; the caller chooses one. Empty otherwise.
    pub choices: Vec<(String, Encoding)>,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub docs: Docs,
    /// The body, if the response documents one.
    pub body: Option<Encoding>,
    /// The media type of the body the client reads (JSON when the response offers it, else
    /// the first listed), as written; asked for in the call's `Accept` header.
    pub media_type: Option<String>,
    /// The type of each event where the response also offers `text/event-stream` beside
    /// the body the client reads (OpenAI's chat completions: JSON, or events when asked).
    pub events: Option<TypeRef>,
    /// Where `x-error-on-success` says this error body may also come with a success
    /// status: a success answer whose body decodes as it is this error, not a success.
    pub error_on_success: Option<JsonPointer>,
}

impl Response {
    /// Every type its answer may hold: the body's, and the events' offered beside it.
    pub fn types(&self) -> Vec<&TypeRef> {
        let mut types = self.body.as_ref().map(Encoding::types).unwrap_or_default();
        types.extend(&self.events);
        types
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// How an operation's parameters reach its method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamPassing {
    /// Every parameter is an argument.
    Positional,
    /// Path parameters are arguments; query and header parameters sit in one struct.
    PathAndStruct,
    /// Too many path parameters to stay readable: every parameter sits in the struct.
    AllInStruct,
}

/// Arguments a method may take besides `&self` before clippy's `too_many_arguments` fires.
pub const MAX_ARGS: usize = 6;

impl Operation {
    pub fn success_responses(&self) -> Vec<&Response> {
        self.responses.iter().filter(|r| r.is_success()).collect()
    }

    /// The responses that are not a success: 4xx, 5xx and `default`.
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses
            .iter()
            .filter(|r| !r.is_success())
            .chain(&self.default)
    }

    /// The body every success response carries, when they all hand out the same one (the
    /// same JSON type, text, or bytes whatever their media type): the response enum then also
    /// hands it out whatever the status.
    pub fn shared_success_body(&self) -> Option<&Encoding> {
        let successes = self.success_responses();
        let (first, rest) = successes.split_first()?;
        let body = first.body.as_ref()?;
        let same = |other: &Option<Encoding>| other.as_ref().is_some_and(|other| other.same_payload(body));
        rest.iter().all(|r| same(&r.body)).then_some(body)
    }

    /// The `Accept` header the call sends: the media type the client reads of each
    /// documented response (`default` included), once each, JSON first, wildcard ranges last
    /// at a lower weight so that a server choosing among its formats picks a named one;
    /// `None` when no response has a body. A format the client would not read (the XML
    /// beside a response's JSON) is never asked for.
    pub fn accept(&self) -> Option<String> {
        accept(self.responses.iter().chain(&self.default))
    }

    /// Whether an error body may come with a success status (`x-error-on-success` on one
    /// of its error responses).
    pub fn error_on_success(&self) -> bool {
        self.error_responses().any(|r| r.error_on_success.is_some())
    }

    pub fn param_passing(&self) -> ParamPassing {
        let path = self.params.iter().filter(|p| p.location == ParamIn::Path).count();
        let others = self.params.len() - path;
        let body = usize::from(self.body.is_some());
        if others == 0 && path + body <= MAX_ARGS {
            ParamPassing::Positional
        } else if path + body < MAX_ARGS {
            ParamPassing::PathAndStruct
        } else {
            ParamPassing::AllInStruct
        }
    }

    pub fn uses_params_struct(&self) -> bool {
        self.param_passing() != ParamPassing::Positional
    }

    /// Whether parameter `param` is passed inside the params struct.
    pub fn in_struct(&self, param: &Param) -> bool {
        match self.param_passing() {
            ParamPassing::Positional => false,
            ParamPassing::PathAndStruct => param.location != ParamIn::Path,
            ParamPassing::AllInStruct => true,
        }
    }
}
