//! Syntax errors: a message, a label at the offending token, and whether more input could fix it.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use super::source::SourceFile;

#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(oash::syntax))]
pub struct ParseError {
    pub message: String,
    #[source_code]
    pub src: Arc<SourceFile>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    /// The input ended inside an open `{`, `(`, quote or here document: more lines could
    /// complete it (the REPL reads on instead of reporting).
    pub incomplete: bool,
}
