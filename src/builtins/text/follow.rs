//! `tail -f`: print a file's tail, then what is appended to it, as it is appended.
//!
//! Following waits on the open handle ([`FileHandle::wait_for_more`]): a `logs` log wakes
//! its followers on every append, any other file is read again every [`POLL`]. It ends when
//! the shell is interrupted (checked at least every [`POLL`], so Ctrl-C is never waiting on
//! a quiet file), when the reader of standard output goes away, or, with `-m N`, once N
//! lines have been printed in all (the initial tail included): how scripts and tests follow
//! a log without hanging. A file that shrinks is not read again from its top: a following
//! handle keeps its offset. It must never busy-wait, and never keep more than one chunk of
//! the file in memory while following.

use std::io::{self, BufReader, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::builtins::{Ctx, operands};
use crate::eval::{ShellError, Status};
use crate::ns::stream::CHUNK;
use crate::ns::{FileHandle, NsError, OpenFlags};

/// How long a follower waits before it looks at the interrupt flag (and, for a file that
/// cannot wake it, at the file) again.
pub(super) const POLL: Duration = Duration::from_millis(100);

/// An open file as `Read`, keeping the namespace's error so it can be told from an output
/// error and reported as it was.
pub(super) struct HandleInput<'h> {
    handle: &'h mut dyn FileHandle,
    error: Option<NsError>,
    /// Reading the initial tail of an endless file must still stop on Ctrl-C.
    interrupt: &'h AtomicBool,
}

impl Read for HandleInput<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.interrupt.load(Ordering::Relaxed) {
            return Err(io::Error::other("interrupted"));
        }
        self.handle.read(buf).map_err(|e| {
            self.error = Some(e.clone());
            io::Error::other(e)
        })
    }
}

/// An output that lets through at most `left` lines (all of them when `None`) and
/// swallows the rest, so `-m N` can cut a chunk in the middle.
pub(super) struct LineLimit<W> {
    inner: W,
    left: Option<u64>,
}

impl<W> LineLimit<W> {
    fn done(&self) -> bool {
        self.left == Some(0)
    }
}

impl<W: Write> Write for LineLimit<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(left) = self.left else {
            return self.inner.write(buf);
        };
        if left == 0 {
            return Ok(buf.len());
        }
        let mut newlines = buf.iter().enumerate().filter(|(_, byte)| **byte == b'\n');
        match newlines.nth(usize::try_from(left - 1).unwrap_or(usize::MAX)) {
            Some((at, _)) => {
                self.inner.write_all(&buf[..=at])?;
                self.left = Some(0);
            }
            None => {
                self.inner.write_all(buf)?;
                let seen = buf.iter().filter(|byte| **byte == b'\n').count() as u64;
                self.left = Some(left - seen);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Why following stopped before `-m` was reached.
enum Stop {
    Interrupted,
    Input(NsError),
    Output(io::Error),
}

/// Follows the one file in `operands`, first printing what `initial` makes of its current
/// contents; `most` is `-m`'s count.
pub(super) fn follow<F>(
    ctx: &Ctx<'_>,
    operands: &[String],
    first_arg: usize,
    most: Option<u64>,
    initial: F,
) -> Result<Status, ShellError>
where
    F: FnOnce(&mut BufReader<HandleInput<'_>>, &mut dyn Write) -> io::Result<()>,
{
    let [name] = operands else {
        return Err(ctx.usage("-f follows exactly one FILE"));
    };
    if name == "-" {
        return Err(ctx.usage("-f follows a file, not standard input"));
    }
    let path = ctx.path(name).map_err(|e| e.at_arg(first_arg))?;
    let mut handle = ctx
        .shell
        .proc
        .ns
        .open(&path, OpenFlags::read())
        .map_err(|e| ctx.ns_error(e).at_arg(first_arg))?;
    let mut out = LineLimit {
        inner: super::output(ctx),
        left: most,
    };
    let ended = follow_handle(
        &mut *handle,
        &mut out,
        ctx.shell.proc.control.flag(),
        initial,
    );
    let _ = handle.close();
    match ended {
        Ok(()) => {
            operands::finish(ctx, &mut out)?;
            Ok(Status::ok())
        }
        Err(Stop::Interrupted) => Err(ShellError::Interrupted),
        Err(Stop::Input(e)) => Err(ctx.ns_error(e.at(&path))),
        Err(Stop::Output(e)) => operands::output_error(ctx, e),
    }
}

fn follow_handle<W, F>(
    handle: &mut dyn FileHandle,
    out: &mut LineLimit<W>,
    interrupt: &AtomicBool,
    initial: F,
) -> Result<(), Stop>
where
    W: Write,
    F: FnOnce(&mut BufReader<HandleInput<'_>>, &mut dyn Write) -> io::Result<()>,
{
    // Output through the shell's descriptors fails once Ctrl-C was pressed: that is an
    // interrupt, not a broken output.
    let output_stop = |e: io::Error| match interrupt.load(Ordering::Relaxed) {
        true => Stop::Interrupted,
        false => Stop::Output(e),
    };
    {
        let mut input = BufReader::with_capacity(
            CHUNK,
            HandleInput {
                handle: &mut *handle,
                error: None,
                interrupt,
            },
        );
        if let Err(e) = initial(&mut input, out) {
            return Err(match input.into_inner().error {
                Some(ns) => Stop::Input(ns),
                None => output_stop(e),
            });
        }
        // `initial` read to the end of what there was, so nothing is left in the buffer.
    }
    let mut chunk = vec![0; CHUNK];
    while !out.done() {
        if interrupt.load(Ordering::Relaxed) {
            return Err(Stop::Interrupted);
        }
        let n = handle.read(&mut chunk).map_err(Stop::Input)?;
        if n > 0 {
            out.write_all(&chunk[..n]).map_err(output_stop)?;
            continue;
        }
        // Idle: show what we have before waiting for more.
        out.flush().map_err(output_stop)?;
        handle.wait_for_more(POLL).map_err(Stop::Input)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limited(left: Option<u64>, writes: &[&str]) -> (String, bool) {
        let mut out = LineLimit {
            inner: Vec::new(),
            left,
        };
        for w in writes {
            assert_eq!(out.write(w.as_bytes()).unwrap(), w.len());
        }
        let done = out.done();
        (String::from_utf8(out.inner).unwrap(), done)
    }

    #[test]
    fn a_line_limit_cuts_after_the_last_wanted_line() {
        assert_eq!(
            limited(Some(2), &["a\nb\nc\n"]),
            ("a\nb\n".to_string(), true)
        );
        assert_eq!(
            limited(Some(2), &["a", "\nb", "\n", "c\n"]),
            ("a\nb\n".to_string(), true)
        );
        assert_eq!(limited(Some(3), &["a\n"]), ("a\n".to_string(), false));
        assert_eq!(limited(Some(0), &["a\n"]), (String::new(), true));
        assert_eq!(limited(None, &["a\nb\n"]), ("a\nb\n".to_string(), false));
    }
}
