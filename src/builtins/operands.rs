//! The conventions every builtin that takes operands shares (the file tools in `fs`, the
//! text tools in `text`), written once.
//!
//! An error about one of several operands is a warning without the command's name repeated
//! and a status of 1 at the end; an output write failing with `BrokenPipe` means the reader
//! went away, so the command stops quietly with a true status. Only a gone reader may be
//! swallowed here: every other error reaches the user.

use std::io::{self, Write};

use super::Ctx;
use crate::eval::{ShellError, Status};

/// True is the empty status; a failure along the way is status 1.
pub(crate) fn status(failed: bool) -> Status {
    if failed {
        Status::code(1)
    } else {
        Status::ok()
    }
}

/// Prints a per-operand error as a warning without repeating the command's name.
pub(crate) fn warn_error(ctx: &Ctx<'_>, e: &ShellError) {
    match e {
        ShellError::Ns { source, .. } => ctx.warn(source),
        ShellError::Failed { message, .. } => ctx.warn(message),
        other => ctx.warn(other),
    }
}

/// Turns an output error into the command's result: a reader that went away is success,
/// and a budget the command exceeded is that budget's error.
pub(crate) fn output_error(ctx: &Ctx<'_>, e: io::Error) -> Result<Status, ShellError> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(Status::ok())
    } else if let Some(over) = crate::eval::budget::from_io(&e) {
        Err(ShellError::Budget(over))
    } else {
        Err(ctx.fail(e.to_string()))
    }
}

/// Flushes standard output at the end of a command; a reader that went away is not an error.
pub(crate) fn finish(ctx: &Ctx<'_>, out: &mut impl Write) -> Result<(), ShellError> {
    out.flush().or_else(|e| output_error(ctx, e).map(drop))
}
