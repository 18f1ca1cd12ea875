//! The tests of the generator and the generated crate live in `tests/`. This library only
//! compiles the README's Rust examples as doctests, so the consumer quick start stays true.
#![doc = include_str!("../../README.md")]
