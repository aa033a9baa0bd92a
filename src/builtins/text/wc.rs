//! `wc`: count lines, words and bytes.
//!
//! Counts stream chunk by chunk, so input of any size takes constant memory. Counts print in
//! the fixed order lines, words, bytes, separated by one space (the Plan 9 way, not GNU's
//! padded columns), then the file name when there are operands, and a `total` line when there
//! are several. A line is a `\n`: a last line without one is not counted, as in GNU wc. A word
//! is a run of bytes other than ASCII white space, so any bytes count without panicking.

use std::io::{self, BufRead, Write};

use super::{Input, Visit};
use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};

pub const WC: Builtin = Builtin::new(
    "wc",
    "count lines, words and bytes (single-space separated, in that order)",
    run,
)
.flags(Spec::new(&[
    Flag::switch('l', "count lines"),
    Flag::switch('w', "count words"),
    Flag::switch('c', "count bytes"),
]))
.operands("[FILE...]")
.examples(&[
    Example {
        script: "echo one two | wc",
        output: "1 2 8\n",
    },
    Example {
        script: "seq 10 | wc -l",
        output: "10\n",
    },
]);

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
}

/// Which counts to print; all three when no flag picks any.
#[derive(Clone, Copy, Default)]
struct Selected {
    lines: bool,
    words: bool,
    bytes: bool,
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut selected = Selected::default();
    let first = args::parse(ctx, args, |flag, _| {
        match flag {
            'l' => selected.lines = true,
            'w' => selected.words = true,
            'c' => selected.bytes = true,
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    if !(selected.lines || selected.words || selected.bytes) {
        selected = Selected {
            lines: true,
            words: true,
            bytes: true,
        };
    }
    let operands = &args[first..];
    let named = !operands.is_empty();
    let mut total = Counts::default();
    let mut out = super::output(ctx);
    let visit = super::each_input(ctx, operands, first, false, |name, input| {
        let counts = count(input, selected)?;
        total.lines += counts.lines;
        total.words += counts.words;
        total.bytes += counts.bytes;
        write_counts(&mut out, counts, selected, named.then_some(name))?;
        Ok(true)
    })?;
    let Visit::Done { failed } = visit else {
        return Ok(Status::ok());
    };
    if operands.len() > 1
        && let Err(e) = write_counts(&mut out, total, selected, Some("total"))
    {
        return operands::output_error(ctx, e);
    }
    operands::finish(ctx, &mut out)?;
    Ok(operands::status(failed))
}

/// Counts what `selected` asks for (the others stay 0). Only words need a look at every
/// byte; lines alone are counted by a vectorised search for `\n`, bytes alone not at all.
fn count(input: &mut Input, selected: Selected) -> io::Result<Counts> {
    let mut counts = Counts::default();
    // Carried across chunks: a word may straddle two reads.
    let mut in_word = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(counts);
        }
        if selected.words {
            for &byte in chunk {
                let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
                counts.lines += u64::from(byte == b'\n');
                counts.words += u64::from(!space && !in_word);
                in_word = !space;
            }
        } else if selected.lines {
            counts.lines += super::lines::count_lines(chunk);
        }
        counts.bytes += chunk.len() as u64;
        let used = chunk.len();
        input.consume(used);
    }
}

fn write_counts(
    out: &mut impl Write,
    counts: Counts,
    selected: Selected,
    name: Option<&str>,
) -> io::Result<()> {
    let fields = [
        (selected.lines, counts.lines),
        (selected.words, counts.words),
        (selected.bytes, counts.bytes),
    ];
    let mut separator = "";
    for (_, n) in fields.iter().filter(|(on, _)| *on) {
        write!(out, "{separator}{n}")?;
        separator = " ";
    }
    match name {
        Some(name) => writeln!(out, " {name}"),
        None => writeln!(out),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;

    fn wc(args: &[&str], stdin: &str) -> String {
        let r = run(&WC, args, stdin.as_bytes());
        assert_eq!(r.status(), "", "wc {args:?}: {}", r.err);
        r.out()
    }

    #[test]
    fn counts_standard_input() {
        assert_eq!(wc(&[], "one two\nthree\n"), "2 3 14\n");
        assert_eq!(wc(&["-l"], "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"), "10\n");
        assert_eq!(wc(&["-w"], "  a\tb\r\nc  "), "3\n");
        assert_eq!(wc(&["-c"], "héllo"), "6\n");
        assert_eq!(wc(&["-cl"], "a\nb"), "1 3\n");
        assert_eq!(wc(&["-l", "-w", "-c"], ""), "0 0 0\n");
    }

    #[test]
    fn each_count_alone_agrees_with_all_three() {
        let text: String = (0..30_000).map(|i| format!("w{i} x\ty\n")).collect();
        let all = wc(&[], &text);
        let fields: Vec<&str> = all.split_whitespace().collect();
        assert_eq!(wc(&["-l"], &text).trim(), fields[0]);
        assert_eq!(wc(&["-w"], &text).trim(), fields[1]);
        assert_eq!(wc(&["-c"], &text).trim(), fields[2]);
        assert_eq!(fields, ["30000", "90000", text.len().to_string().as_str()]);
    }

    #[test]
    fn last_line_without_newline_is_not_a_line() {
        assert_eq!(wc(&["-l"], "a\nb"), "1\n");
        assert_eq!(wc(&["-l"], "no newline"), "0\n");
    }

    #[test]
    fn non_utf8_bytes_are_counted() {
        let r = run(&WC, &[], b"\xff\xfe x\n\x80");
        assert_eq!(r.out(), "1 3 6\n");
    }

    #[test]
    fn dash_names_standard_input() {
        assert_eq!(wc(&["-l", "-"], "a\n"), "1 -\n");
    }

    #[test]
    fn files_are_named_and_totalled() {
        let mut shell = shell_with(&[("/a", "x y\n"), ("/b", "1\n2\n")]);
        let r = run_in(&mut shell, &WC, &["/a", "/b"], b"");
        assert_eq!(r.out(), "1 2 4 /a\n2 2 4 /b\n3 4 8 total\n");
        let r = run_in(&mut shell, &WC, &["-l", "/a"], b"");
        assert_eq!(r.out(), "1 /a\n");
    }

    #[test]
    fn missing_files() {
        let mut shell = shell_with(&[("/a", "x\n")]);
        let r = run_in(&mut shell, &WC, &["-l", "/a", "/nope"], b"");
        assert_eq!(r.out(), "1 /a\n1 total\n");
        assert_eq!(r.status(), "1");
        assert!(r.err.starts_with("wc: /nope"), "{}", r.err);
        let r = run_in(&mut shell, &WC, &["/nope"], b"");
        assert!(r.status().starts_with("error: wc: /nope"), "{}", r.status());
    }

    #[test]
    fn bad_flag_and_gone_reader() {
        assert!(run(&WC, &["-x"], b"").status().contains("unknown flag -x"));
        assert_eq!(
            run_gone(&WC, &[], b"a b\n").map(|s| s.is_ok()).ok(),
            Some(true)
        );
    }
}
