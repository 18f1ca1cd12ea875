//! The runtime of generated crates, as ordinary Rust.
//!
//! Every crate the generator writes carries a `common` module made of the files of
//! [`common`], copied verbatim (their `tests` modules left out), and only those its specs
//! need: a crate without decimals has no `decimal.rs`. This crate builds all of them
//! together so they are formatted, linted and unit-tested where they are written. Its
//! layout is the generated crates' own: `crate::common::Name` is the same path here and
//! there, so the files need no change on the way.

pub mod common;
