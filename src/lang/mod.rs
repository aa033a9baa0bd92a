//! The rc-style language: source text → tokens → syntax tree.
//!
//! `lexer` turns text into tokens (inserting rc's free carets), `parser` builds the
//! [`ast`], and every node keeps its [`Span`] so the evaluator can point into the source.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod parser;
#[cfg(test)]
mod proptests;
pub mod source;

pub use error::ParseError;
pub use parser::parse;
pub use source::{SourceFile, Span};
