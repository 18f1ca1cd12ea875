//! The one table of what a change of the generated API means to the code that calls it:
//! each kind of change, where the type it touches is used, and the class that follows.

use std::fmt;

/// What a change means to callers, from the gravest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code that compiled may not compile any more.
    Breaking,
    /// Code compiles as before, but a value may come out differently (a call goes elsewhere,
    /// a value decodes into another variant, a default differs).
    Behaviour,
    /// Something is added; code that compiled compiles and behaves as before.
    Compatible,
    /// Only the documentation changes.
    Docs,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so a report can align the classes in a column.
        f.pad(match self {
            Class::Breaking => "breaking",
            Class::Behaviour => "behaviour change",
            Class::Compatible => "compatible",
            Class::Docs => "docs only",
        })
    }
}

/// The version bump a set of changes needs, for a crate at 1.0 or later and for one at 0.x
/// (where Cargo reads the minor number as the major one).
pub fn bump(classes: impl IntoIterator<Item = Class>) -> &'static str {
    match classes.into_iter().min() {
        Some(Class::Breaking) => "major (minor while the crate is 0.x)",
        Some(Class::Behaviour | Class::Compatible) => "minor (patch while the crate is 0.x)",
        Some(Class::Docs) => "patch",
        None => "none: the public API is unchanged",
    }
}

/// Where the type a change touches is used: what callers do with its values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Callers build values of it (a parameter or a request body holds it).
    pub built: bool,
    /// Callers read values of it (a response holds it).
    pub read: bool,
}

/// A kind of change of the generated API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A spec, so a module of the crate.
    ModuleAdded,
    ModuleRemoved,
    OperationAdded,
    OperationRemoved,
    /// The method or the path: the same Rust method calls another endpoint.
    OperationMoved,
    /// An argument of the method, or a field of its parameters struct.
    ParameterAdded,
    ParameterRemoved,
    ParameterTypeChanged,
    BodyAdded,
    BodyRemoved,
    BodyTypeChanged,
    /// The success type the method returns.
    ReturnChanged,
    /// A documented error status or success status with the same return type.
    StatusAdded,
    StatusRemoved,
    /// Which credentials the operation presents.
    AuthChanged,
    /// The quota the clients keep (`x-rate-limit`): calls may wait, or stop waiting.
    QuotaChanged,
    TypeAdded,
    TypeRemoved,
    /// A struct became an enum, an alias another type, ...
    TypeKindChanged,
    FieldAdded,
    FieldRemoved,
    /// Its Rust type: the schema's type, or its being required or nullable.
    FieldTypeChanged,
    /// A known value or a union variant: a value that decoded into the catch-all decodes
    /// into the new variant, and an exhaustive `match` misses it.
    VariantAdded,
    VariantRemoved,
    DefaultChanged,
    Deprecated,
    Undeprecated,
    DocsChanged,
}

/// The class of a change of `kind` to an item used as `usage` says (the table the README
/// documents).
pub fn class(kind: Kind, usage: Usage) -> Class {
    verdict(kind, usage).0
}

/// The class of a change, and why, in the words of someone who calls the crate.
pub fn verdict(kind: Kind, usage: Usage) -> (Class, &'static str) {
    use Class::{Behaviour, Breaking, Compatible, Docs};
    match kind {
        Kind::ModuleRemoved => (Breaking, "code that uses the module no longer compiles"),
        Kind::OperationRemoved => (Breaking, "calls of the method no longer compile"),
        Kind::ParameterAdded | Kind::ParameterRemoved | Kind::ParameterTypeChanged => (
            Breaking,
            "the method's arguments change, so its calls no longer compile",
        ),
        Kind::BodyAdded | Kind::BodyRemoved | Kind::BodyTypeChanged => (
            Breaking,
            "the method's body argument changes, so its calls no longer compile",
        ),
        Kind::ReturnChanged => (Breaking, "code that reads the result expects the old type"),
        Kind::TypeRemoved => (Breaking, "code that names the type no longer compiles"),
        Kind::TypeKindChanged => (Breaking, "code that builds or reads the type expects the old one"),
        Kind::FieldRemoved => (Breaking, "code that reads or sets the field no longer compiles"),
        Kind::FieldTypeChanged => (Breaking, "code that reads or sets the field expects the old type"),
        Kind::VariantAdded => (
            Breaking,
            "an exhaustive `match` misses it, and a value that decoded into the catch-all now \
             decodes into it",
        ),
        Kind::VariantRemoved => (Breaking, "code that names it no longer compiles"),
        // A struct literal must name every field: a field added to a type callers build
        // breaks them; one callers only read is new data.
        Kind::FieldAdded if usage.built => (
            Breaking,
            "callers build this type, and a struct literal names every field",
        ),
        Kind::FieldAdded => (Compatible, "callers only read this type: it is new data"),
        Kind::OperationMoved => (Behaviour, "the same method now calls another endpoint"),
        Kind::StatusRemoved => (Behaviour, "an answer with that status is now an error"),
        Kind::AuthChanged => (Behaviour, "the call presents other credentials"),
        Kind::QuotaChanged => (Behaviour, "calls may wait for the quota, or stop waiting"),
        Kind::DefaultChanged => (Behaviour, "`_or_default()` gives another value when none is sent"),
        Kind::ModuleAdded | Kind::OperationAdded | Kind::TypeAdded => (Compatible, "new"),
        Kind::StatusAdded => (Compatible, "documented now; the method returns the same type"),
        Kind::Undeprecated => (Compatible, "no more deprecation warning"),
        // `#[deprecated]` warns; it breaks only a build that denies warnings.
        Kind::Deprecated => (Compatible, "a warning where it is used, not an error"),
        Kind::DocsChanged => (Docs, "documentation only"),
    }
}
