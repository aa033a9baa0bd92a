//! The conventions every builtin that takes operands shares (the file tools in `fs`, the
//! text tools in `text`), written once.
//!
//! [`each_operand`] is the one loop over operands: an error about the only operand is the
//! command's error (the evaluator labels it), an error about one of several is a warning
//! without the command's name repeated and a status of 1 at the end; an output write failing with `BrokenPipe` means the reader
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

/// What the loop of [`each_operand`] does after an operand went well.
pub(crate) enum Next {
    /// On to the next operand.
    Go,
    /// No more operands (the command has what it needs, or its reader went away).
    Stop,
}

/// Runs `per_operand(index, operand)` for each of `operands`, the arguments from index
/// `first_arg` on, and returns whether one failed. The error about the only operand is the
/// command's; with several, each error is a warning and the loop goes on. `quiet` (grep `-s`)
/// fails without a word. A budget exceeded stops the loop whatever the operands: it stops the
/// whole top-level command.
pub(crate) fn each_operand(
    ctx: &Ctx<'_>,
    operands: &[String],
    first_arg: usize,
    quiet: bool,
    mut per_operand: impl FnMut(usize, &str) -> Result<Next, ShellError>,
) -> Result<bool, ShellError> {
    let only = operands.len() == 1;
    let mut failed = false;
    for (i, operand) in operands.iter().enumerate() {
        match per_operand(first_arg + i, operand) {
            Ok(Next::Go) => {}
            Ok(Next::Stop) => break,
            Err(e @ ShellError::Budget(_)) => return Err(e),
            Err(e) if only && !quiet => return Err(e),
            Err(e) => {
                failed = true;
                if !quiet {
                    warn_error(ctx, &e);
                }
            }
        }
    }
    Ok(failed)
}

/// Prints a per-operand error as a warning without repeating the command's name.
pub(crate) fn warn_error(ctx: &Ctx<'_>, e: &ShellError) {
    match e.unlocated() {
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
