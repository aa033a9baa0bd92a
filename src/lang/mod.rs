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
mod quote;
mod rhai_block;
pub mod source;

pub use error::ParseError;
pub use parser::{KEYWORDS, parse};
pub use quote::quote;
pub use source::{SourceFile, Span};
