//! `` `{cmd} `` and `<{cmd}`: running a body with its standard output collected, at most the
//! `buffer` budget of it (see [`super::budget`]).
//!
//! Past the budget the collecting descriptor fails as a pipe whose reader left, so the
//! producer (`cat /dev/zero`, a `while` loop of `echo`) stops as it would on SIGPIPE, and the
//! command tree is stopped with the budget's diagnostic pointing at the substitution. This
//! file must never split or interpret the output: that is word expansion's job.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::budget::{Budget, BudgetError, Budgets};
use super::error::{Located, ShellError};
use super::shell::Shell;
use crate::lang::ast::Body;
use crate::lang::{SourceFile, Span};
use crate::proc::io::{Fd, Io};

impl Shell {
    /// Runs `body` with its standard output collected, at most the `buffer` budget of it.
    /// Past that the command tree stops with a diagnostic at `span` (the substitution).
    pub fn capture(&mut self, body: &Body, span: Span, io: &Io) -> Result<Vec<u8>, Located> {
        let capture = Capture {
            bytes: Arc::default(),
            limit: self.engines.budgets.get(Budget::Buffer),
            over: Arc::default(),
            budgets: Arc::clone(&self.engines.budgets),
            place: Arc::new((self.frame.file.clone(), span)),
        };
        let mut sub_io = io.clone();
        sub_io.set(1, Fd::writer(capture.clone()));
        // rc: `{cmd} leaves cmd's status in $status (so `x=`{cmd}` can be tested).
        let ran = self.run_body(body, &sub_io);
        let _ = sub_io.stdout().flush();
        drop(sub_io);
        if capture.over.load(Ordering::Acquire) {
            return Err(Located::bare(ShellError::Interrupted));
        }
        ran?;
        let mut bytes = capture.bytes.lock().unwrap_or_else(|e| e.into_inner());
        Ok(std::mem::take(&mut *bytes))
    }
}

/// The standard output of a `` `{cmd} ``: a shared buffer that takes at most `limit` bytes.
/// A write past that fails as a pipe whose reader left (so `cat /dev/zero` stops, as it
/// would on SIGPIPE) and stops the command tree with the `buffer` budget's diagnostic.
#[derive(Clone)]
struct Capture {
    bytes: Arc<Mutex<Vec<u8>>>,
    limit: u64,
    over: Arc<AtomicBool>,
    budgets: Arc<Budgets>,
    /// Where the substitution is, for the diagnostic.
    place: Arc<(Arc<SourceFile>, Span)>,
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        let total = bytes.len() as u64 + buf.len() as u64;
        if self.over.load(Ordering::Acquire) || total > self.limit {
            drop(bytes);
            if !self.over.swap(true, Ordering::AcqRel) {
                let error = BudgetError {
                    budget: Budget::Buffer,
                    limit: self.limit,
                    what: "the output of `{...}` is too long".into(),
                };
                let (file, span) = &*self.place;
                self.budgets.stop(Located::at(
                    ShellError::Budget(error),
                    file.clone(),
                    *span,
                    "this substitution",
                ));
            }
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
