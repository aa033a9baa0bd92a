//! The rc-style language: source text → tokens → syntax tree.
//!
//! `lexer` turns text into tokens (inserting rc's free carets), `parser` builds the
//! [`ast`], and every node keeps its [`Span`] so the evaluator can point into the source.

pub mod ast;
pub mod error;
pub(crate) mod lexer;
pub(crate) mod parser;
#[cfg(test)]
mod proptests;
pub mod source;

pub use error::ParseError;
pub use parser::parse;
pub use source::{SourceFile, Span};
// Quoting belongs to the language (it is the inverse of the lexer's word rules); it still
// lives beside `whatis`, its first user, until it moves here.
pub use crate::builtins::info::quote;
