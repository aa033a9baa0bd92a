//! Syntax errors: a message, a label at the offending token, and whether more input could fix it.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use super::source::SourceFile;

/// A syntax error: where it is, what was expected, and whether more input could complete it.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(oash::syntax))]
pub struct ParseError {
    /// The message, e.g. `syntax error: unexpected ')'`.
    pub message: String,
    /// The source, so the diagnostic can show the line.
    #[source_code]
    pub src: Arc<SourceFile>,
    /// What to underline.
    #[label("{label}")]
    pub span: SourceSpan,
    /// The text under the underline.
    pub label: String,
    /// A hint for the help line, where one helps (an unclosed quote, a missing `}`).
    #[help]
    pub help: Option<String>,
    /// The input ended inside an open `{`, `(`, quote or here document: more lines could
    /// complete it (the REPL reads on instead of reporting).
    pub incomplete: bool,
}
