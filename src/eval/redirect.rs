//! Redirections: `<`, `>`, `>>`, `<>`, `>[n=m]`, `>[n=]` and here documents, applied to a
//! copy of a command's descriptor table.
//!
//! A file opened for writing (`>`, `>>`, or both ways with `<>`) is closed when the last copy
//! of its descriptor goes, and for a control file closing is when it acts (see
//! [`crate::services::func`]), so its answer matters: [`ClosingHandle`] keeps a close's error
//! for the shell, which reports it as the command's failure once the command is done
//! ([`Shell::take_close_error`]). A redirection that cannot be made at all is one of rc's own
//! errors and stops the script.

use std::io::{Cursor, Read, Write};
use std::sync::{Arc, Mutex, PoisonError};

use super::error::{Located, ShellError};
use super::shell::Shell;
use super::words::substitute_heredoc;
use crate::lang::Span;
use crate::lang::ast::{Redir, RedirOp, Word};
use crate::ns::{HandleReader, HandleStream, NsError, OpenFlags};
use crate::proc::io::{Fd, Io};

/// Where the shell collects the errors of closing redirected files.
pub type CloseErrors = Arc<Mutex<Vec<NsError>>>;

/// A redirected file open for writing (and, for `<>`, reading); closing it reports into the
/// shell's [`CloseErrors`].
struct ClosingHandle {
    stream: Option<HandleStream>,
    errors: CloseErrors,
}

impl ClosingHandle {
    fn new(stream: HandleStream, errors: &CloseErrors) -> ClosingHandle {
        ClosingHandle {
            stream: Some(stream),
            errors: Arc::clone(errors),
        }
    }
}

impl Read for ClosingHandle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.stream {
            Some(stream) => stream.read(buf),
            None => Ok(0),
        }
    }
}

impl Write for ClosingHandle {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.stream {
            Some(stream) => stream.write(buf),
            None => Ok(0),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for ClosingHandle {
    fn drop(&mut self) {
        if let Some(Err(e)) = self.stream.take().map(HandleStream::finish) {
            self.errors
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(e);
        }
    }
}

impl Shell {
    /// A copy of `io` with `redirs` applied, in order.
    pub fn redirect(&mut self, redirs: &[Redir], io: &Io) -> Result<Io, Located> {
        if redirs.is_empty() {
            return Ok(io.clone());
        }
        self.env_out();
        let mut out = io.clone();
        for r in redirs {
            let fd = r.fd as usize;
            let fd_value = match &r.op {
                RedirOp::Dup(to) => out.get(*to as usize),
                RedirOp::Close => Fd::Closed,
                RedirOp::HereDoc { body, quoted } => {
                    let text = if *quoted {
                        body.clone()
                    } else {
                        substitute_heredoc(self, body)
                    };
                    Fd::reader(Cursor::new(text.into_bytes()))
                }
                RedirOp::Write(w)
                | RedirOp::Append(w)
                | RedirOp::Read(w)
                | RedirOp::ReadWrite(w) => {
                    let target = self.redirect_target(w, r.span, io)?;
                    let path = crate::ns::path::resolve(&self.proc.cwd, &target).map_err(|e| {
                        self.located(ShellError::ns("redirection", e), w.span(), "bad file name")
                    })?;
                    let flags = match &r.op {
                        RedirOp::Write(_) => OpenFlags::write().create().truncate(),
                        RedirOp::Append(_) => OpenFlags::write().create().append(),
                        // As in rc: the file must exist, and is neither created nor truncated.
                        RedirOp::ReadWrite(_) => OpenFlags::read_write(),
                        _ => OpenFlags::read(),
                    };
                    let handle = self.proc.ns.open(&path, flags).map_err(|e| {
                        self.located(
                            ShellError::ns("redirection", e),
                            w.span(),
                            "cannot open this file",
                        )
                    })?;
                    let errors = &self.frame.close_errors;
                    match (flags.read, flags.write) {
                        (true, false) => Fd::reader(HandleReader::new(handle)),
                        (false, _) => {
                            Fd::writer(ClosingHandle::new(HandleStream::new(handle), errors))
                        }
                        (true, true) => {
                            Fd::read_writer(ClosingHandle::new(HandleStream::new(handle), errors))
                        }
                    }
                }
            };
            out.set(fd, fd_value);
        }
        Ok(out)
    }

    fn redirect_target(&mut self, w: &Word, span: Span, io: &Io) -> Result<String, Located> {
        let mut v = self.expand_strings(std::slice::from_ref(w), io)?;
        if v.len() != 1 {
            let e = ShellError::failed(
                "redirection",
                format!("needs exactly one file name, got {}", v.len()),
            );
            return Err(self.located(e, span, "this redirection"));
        }
        Ok(v.remove(0))
    }

    /// The first error from closing a redirected file since the last call, if any.
    pub(crate) fn take_close_error(&mut self) -> Option<NsError> {
        let mut errors = self
            .frame
            .close_errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        errors.drain(..).next()
    }

    /// After a command whose descriptors are now closed: a failed close (a control file
    /// refusing what it was sent) fails the command, reported at `span`.
    pub(crate) fn check_closes(
        &mut self,
        result: Result<crate::proc::status::Status, Located>,
        span: Span,
        io: &Io,
    ) -> Result<crate::proc::status::Status, Located> {
        match (self.take_close_error(), result) {
            (Some(e), Ok(_)) => {
                let located = self.located(
                    ShellError::ns("redirection", e),
                    span,
                    "when closing its file",
                );
                self.soften(located, io)
            }
            (_, result) => result,
        }
    }
}

#[cfg(test)]
mod tests;
