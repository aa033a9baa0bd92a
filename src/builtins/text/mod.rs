//! The small text tools (seq, wc, head, tail, grep, sort, tee) and the input loop they share.
//!
//! Every tool streams: it reads its inputs through [`each_input`], which opens each operand in
//! the namespace (no operands means standard input), and writes through one buffered
//! [`output`]. The conventions live here once: a missing file among several is a warning and a
//! failing status at the end, the only file missing is an error the evaluator labels, and an
//! output write failing with `BrokenPipe` means the reader went away, so the tool stops quietly
//! with a true status (the last two shared with the file tools in [`operands`]). Nothing here
//! may panic on input, whatever bytes it holds.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use super::operands::{self, Next};
use super::{Builtin, Ctx};
use crate::eval::budget::{self, Budget, BudgetError};
use crate::eval::{ShellError, Status};
use crate::proc::io::FdWriter;

mod follow;
mod grep;
mod head;
mod lines;
mod seq;
mod sort;
mod tail;
mod tee;
mod wc;

pub const BUILTINS: &[Builtin] = &[
    grep::GREP,
    head::HEAD,
    seq::SEQ,
    sort::SORT,
    tail::TAIL,
    tee::TEE,
    wc::WC,
];

/// An input being read: buffered, with read errors marked as the input's (see [`InputError`]).
type Input = BufReader<InputReader>;

/// Standard output, buffered: one locked write per 64 KiB rather than per line.
fn output(ctx: &Ctx<'_>) -> BufWriter<FdWriter> {
    BufWriter::with_capacity(crate::ns::stream::CHUNK, ctx.out())
}

/// Reads one line, with its `\n` if it has one, into `line`; false at end of input. A line
/// longer than `max` bytes (the `buffer` budget: `grep x /dev/zero` has one endless line) is
/// an error carrying the [`BudgetError`], which [`each_input`] turns into the diagnostic.
///
/// Before it would block for more input it flushes `out`, so the next stage of a pipeline sees
/// each line as soon as it is known instead of at end of input, while a fast input still gets
/// one write per buffer.
fn read_line<R: Read>(
    input: &mut BufReader<R>,
    line: &mut Vec<u8>,
    out: &mut impl Write,
    max: u64,
) -> io::Result<bool> {
    line.clear();
    if !input.buffer().contains(&b'\n') {
        out.flush()?;
    }
    let read = input
        .by_ref()
        .take(max.saturating_add(1))
        .read_until(b'\n', line)?;
    if line.len() as u64 > max {
        line.clear();
        return Err(over_budget(max, "a line is too long"));
    }
    Ok(read > 0)
}

/// The error a tool returns from its input loop when it would hold more than the `buffer`
/// budget (`max`) of one input.
fn over_budget(max: u64, what: &str) -> io::Error {
    io::Error::other(BudgetError {
        budget: Budget::Buffer,
        limit: max,
        what: what.to_string(),
    })
}

/// The `buffer` budget, as the tools that hold lines or whole inputs read it.
fn buffer_budget(ctx: &Ctx<'_>) -> u64 {
    ctx.shell.engines.budgets.get(Budget::Buffer)
}

/// How the input loop ended.
#[derive(Debug, PartialEq, Eq)]
enum Visit {
    /// Every input was visited (or the callback stopped early); `failed` if one could not be.
    Done { failed: bool },
    /// Standard output's reader went away: stop, with a true status.
    ReaderGone,
}

/// Calls `per_input(name, input)` for each operand (standard input, named `-`, when there are
/// none) until it returns `false`. `first_arg` is the operands' index in the argument list, so
/// an error about the only operand points at it; `quiet` suppresses warnings (grep `-s`).
fn each_input(
    ctx: &Ctx<'_>,
    operands: &[String],
    first_arg: usize,
    quiet: bool,
    mut per_input: impl FnMut(&str, &mut Input) -> io::Result<bool>,
) -> Result<Visit, ShellError> {
    let stdin = ["-".to_string()];
    let names = if operands.is_empty() {
        &stdin[..]
    } else {
        operands
    };
    // How the loop ended early, other than by a failed operand (which `each_operand` rules).
    let mut ended: Option<Result<Visit, ShellError>> = None;
    let failed = operands::each_operand(ctx, names, first_arg, quiet, |index, name| {
        let reader = ctx.open_read(name).map_err(|e| e.at_arg(index))?;
        let mut input = BufReader::with_capacity(crate::ns::stream::CHUNK, InputReader(reader));
        match per_input(name, &mut input) {
            Ok(true) => Ok(Next::Go),
            Ok(false) => Ok(Next::Stop),
            Err(e) => match budget::from_io(&e) {
                Some(over) => Err(ShellError::Budget(over)),
                None if is_input_error(&e) => Err(ctx.fail(input_message(name, &e))),
                None => {
                    ended = Some(if e.kind() == io::ErrorKind::BrokenPipe {
                        Ok(Visit::ReaderGone)
                    } else {
                        Err(ctx.fail(e.to_string()))
                    });
                    Ok(Next::Stop)
                }
            },
        }
    })?;
    ended.unwrap_or(Ok(Visit::Done { failed }))
}

/// The loop of `head` and `tail`: `per_input(input, out)` for each input, under GNU's
/// `==> name <==` header when there are several, then standard output flushed.
fn each_section(
    ctx: &Ctx<'_>,
    operands: &[String],
    first_arg: usize,
    mut per_input: impl FnMut(&mut Input, &mut BufWriter<FdWriter>) -> io::Result<()>,
) -> Result<Status, ShellError> {
    let mut out = output(ctx);
    let mut sections = 0u64;
    let visit = each_input(ctx, operands, first_arg, false, |name, input| {
        if operands.len() > 1 {
            write_header(&mut out, sections, name)?;
        }
        sections += 1;
        per_input(input, &mut out)?;
        Ok(true)
    })?;
    let Visit::Done { failed } = visit else {
        return Ok(Status::ok());
    };
    operands::finish(ctx, &mut out)?;
    Ok(operands::status(failed))
}

/// GNU's `==> name <==` before the section of one of several inputs, after a blank line
/// unless it is the first section.
fn write_header(out: &mut impl Write, sections_before: u64, name: &str) -> io::Result<()> {
    let gap = if sections_before > 0 { "\n" } else { "" };
    let name = if name == "-" { "standard input" } else { name };
    writeln!(out, "{gap}==> {name} <==")
}

/// Marks an error as the input's, so the loop can tell a bad file from a gone reader.
#[derive(Debug)]
struct InputError(io::Error);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
impl std::error::Error for InputError {}

/// A read error's message, naming the input unless the namespace already did.
fn input_message(name: &str, e: &io::Error) -> String {
    let message = e.to_string();
    match name {
        "-" => format!("standard input: {message}"),
        _ if message.contains(name) => message,
        _ => format!("{name}: {message}"),
    }
}

fn is_input_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<InputError>())
}

/// A namespace file or standard input whose read errors are tagged as [`InputError`].
struct InputReader(Box<dyn Read + Send>);

impl Read for InputReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // The kind is kept so `Interrupted` is still retried by the buffered reader.
        self.0
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), InputError(e)))
    }
}

/// The harness the tools' tests share: run a builtin on given standard input and files.
#[cfg(test)]
mod testing {
    use std::io::Cursor;

    use crate::builtins::Builtin;
    use crate::builtins::testing::{Gone, call};
    pub use crate::builtins::testing::{Run, run_in};
    use crate::eval::{Buffer, Fd, Io, Shell, ShellError, Status};
    use crate::ns::OpenFlags;

    /// A shell whose namespace holds `files` (path, contents).
    pub fn shell_with(files: &[(&str, &str)]) -> Shell {
        let shell = Shell::new();
        for (path, contents) in files {
            let made = shell
                .proc
                .ns
                .open(path, OpenFlags::write().create().truncate());
            let mut handle = made.unwrap_or_else(|e| panic!("fixture {path}: {e}"));
            handle
                .write(contents.as_bytes())
                .unwrap_or_else(|e| panic!("fixture {path}: {e}"));
            let _ = handle.close();
        }
        shell
    }

    /// Runs `builtin` with `args`, `stdin` on descriptor 0, in a fresh shell.
    pub fn run(builtin: &Builtin, args: &[&str], stdin: &[u8]) -> Run {
        run_in(&mut Shell::new(), builtin, args, stdin)
    }

    /// Runs `builtin` with a standard output that fails with `BrokenPipe`.
    pub fn run_gone(builtin: &Builtin, args: &[&str], stdin: &[u8]) -> Result<Status, ShellError> {
        let mut io = Io::buffers(Buffer::new(), Buffer::new());
        io.set(0, Fd::reader(Cursor::new(stdin.to_vec())));
        io.set(1, Fd::writer(Gone));
        call(&mut Shell::new(), builtin, args, io)
    }
}
