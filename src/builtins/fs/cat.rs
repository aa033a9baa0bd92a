//! `cat`: copy files (or standard input) to standard output, unchanged.
//!
//! It streams in 64 KiB chunks and flushes after each, so `cat` in a pipeline passes bytes on
//! as they come and never holds a whole file. Bytes are copied as they are: no decoding, no
//! line handling. When standard output's reader goes away it stops with a true status, as
//! Unix cat does on SIGPIPE. It must never read the host's files: `-` is standard input and
//! every other name is a namespace path.

use std::io::{self, Read, Write};

use super::CHUNK;
use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};

pub const CAT: Builtin = Builtin::new(
    "cat",
    "copy each file (standard input when none, or for -) to standard output",
    run,
)
.operands("[FILE...]")
.examples(&[Example {
    script: "echo a > /tmp/a; echo b | cat /tmp/a -",
    output: "a\nb\n",
}]);

/// Why copying one input stopped early.
enum Stop {
    /// The input could not be read.
    Input(io::Error),
    /// Standard output failed (a gone reader included).
    Output(io::Error),
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let first = args::none(ctx, args)?;
    let stdin = ["-".to_string()];
    let (names, first) = if first == args.len() {
        (&stdin[..], 0)
    } else {
        (args, first)
    };
    let mut out = ctx.out();
    let mut chunk = vec![0; CHUNK];
    let mut output_failure = None;
    let status = super::each_operand(ctx, names, first, names.len(), |index, name| {
        if output_failure.is_some() {
            return Ok(());
        }
        let mut input = ctx.open_read(name).map_err(|e| e.at_arg(index))?;
        match copy(&mut input, &mut out, &mut chunk) {
            Ok(()) => Ok(()),
            Err(Stop::Output(e)) => {
                output_failure = Some(e);
                Ok(())
            }
            Err(Stop::Input(e)) if name == "-" => Err(ctx.fail(format!("standard input: {e}"))),
            Err(Stop::Input(e)) => {
                let path = ctx.path(name).unwrap_or_else(|_| name.to_string());
                Err(super::ns_error_at(
                    ctx,
                    crate::ns::stream::ns_error(&e, &path),
                    index,
                ))
            }
        }
    })?;
    match output_failure {
        Some(e) => operands::output_error(ctx, e),
        None => Ok(status),
    }
}

fn copy(input: &mut impl Read, out: &mut impl Write, chunk: &mut [u8]) -> Result<(), Stop> {
    loop {
        let n = match input.read(chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Stop::Input(e)),
        };
        let written = chunk.get(..n).map_or(Ok(()), |bytes| out.write_all(bytes));
        written.and_then(|()| out.flush()).map_err(Stop::Output)?;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run_gone, run_in, shell_with, write};
    use super::*;

    #[test]
    fn concatenates_files_and_standard_input() {
        let mut shell = shell_with(&["/d/", "/d/a", "/b"]);
        shell.proc.cwd = "/d".into();
        let r = run_in(&mut shell, &CAT, &["a", "-", "/b"], b"in\n");
        assert_eq!((r.out(), r.status()), ("/d/ain\n/b".into(), String::new()));
        assert_eq!(
            run_in(&mut shell, &CAT, &[], b"only stdin").out(),
            "only stdin"
        );
        assert_eq!(run_in(&mut shell, &CAT, &["--", "-"], b"x").out(), "x");
    }

    #[test]
    fn copies_bytes_unchanged_across_chunks() {
        let mut shell = shell_with(&[]);
        let big: String = (0..CHUNK * 2 + 7)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        write(&shell, "/big", &big);
        let r = run_in(&mut shell, &CAT, &["/big"], b"");
        assert_eq!(r.out.len(), big.len());
        assert!(r.out == big.as_bytes());
        assert_eq!(
            run_in(&mut shell, &CAT, &[], b"\xff\x00\n").out,
            b"\xff\x00\n"
        );
    }

    #[test]
    fn a_missing_file_among_several_is_a_warning() {
        let mut shell = shell_with(&["/a", "/b"]);
        let r = run_in(&mut shell, &CAT, &["/a", "/nope", "/b"], b"");
        assert_eq!((r.out(), r.status()), ("/a/b".into(), "1".into()));
        assert_eq!(r.err, "cat: /nope: file does not exist\n");
    }

    #[test]
    fn the_only_file_missing_or_a_directory_is_an_error() {
        let mut shell = shell_with(&["/d/"]);
        let r = run_in(&mut shell, &CAT, &["/nope"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cat: /nope: file does not exist".into(), Some(0))
        );
        let r = run_in(&mut shell, &CAT, &["--", "/d"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cat: /d: is a directory".into(), Some(1))
        );
        assert!(
            run_in(&mut shell, &CAT, &["-u"], b"")
                .status()
                .contains("unknown flag -u")
        );
    }

    #[test]
    fn a_gone_reader_stops_quietly() {
        let mut shell = shell_with(&["/a", "/b"]);
        let r = run_gone(&mut shell, &CAT, &["/a", "/nope", "/b"]);
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
    }
}
