//! The tests of the generator and the generated crate live in `tests/`. This library holds
//! the vendors' documented flows written against the generated clients ([`flows`], run by
//! `examples/` and `tests/flows.rs`), their read-only verification passes ([`verify`], the
//! examples' `verify` mode), and compiles the README's Rust examples as doctests,
//! so the consumer quick start stays true.
#![doc = include_str!("../../README.md")]

pub mod diff_edits;
pub mod flows;
pub mod verify;
