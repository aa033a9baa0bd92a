//! Where evaluation stands: the source being run, how deep, the last `if`, the files a
//! command made for `<{ }`.
//!
//! A [`super::Shell`]'s frame changes with every command it runs and is never shared: a fork
//! starts from a copy (so the recursion limit and error locations carry across a pipeline)
//! with an empty list of close errors, which belong to the command that opened the files.
//! Nothing here outlives a command tree or belongs to the process's visible state.

use std::sync::Arc;

use super::redirect::CloseErrors;
use crate::lang::SourceFile;

/// The evaluation frame of one shell.
pub(crate) struct Frame {
    /// The outcome of the most recent `if` at this level, for `if not`.
    pub(crate) last_if: Option<bool>,
    /// The source being run, for locating errors.
    pub(crate) file: Arc<SourceFile>,
    /// Files made for `<{cmd}`, removed when the command that used them ends.
    pub(crate) temp_files: Vec<String>,
    /// How many function calls (and `.`/`eval` sources) deep we are.
    pub(crate) depth: usize,
    /// How deep `run_cmd` calls are nested right now (for the stack check).
    pub(crate) nesting: usize,
    /// Errors from closing redirected files, for the command that made them.
    pub(crate) close_errors: CloseErrors,
}

impl Frame {
    /// The frame of a new shell, before any source runs.
    pub(crate) fn new() -> Frame {
        Frame {
            last_if: None,
            file: Arc::new(SourceFile::new("oash", "")),
            temp_files: Vec::new(),
            depth: 0,
            nesting: 0,
            close_errors: CloseErrors::default(),
        }
    }

    /// The frame a fork starts with: a copy, with close errors of its own.
    pub(crate) fn fork(&self) -> Frame {
        Frame {
            last_if: self.last_if,
            file: Arc::clone(&self.file),
            temp_files: self.temp_files.clone(),
            depth: self.depth,
            nesting: self.nesting,
            close_errors: CloseErrors::default(),
        }
    }

    /// The frame of the same process seen from another thread: a copy sharing the close
    /// errors, which belong to the command both run for.
    pub(crate) fn view(&self) -> Frame {
        Frame {
            close_errors: std::sync::Arc::clone(&self.close_errors),
            ..self.fork()
        }
    }
}
