//! `head`: print the first lines of each input.
//!
//! It stops reading an input as soon as it has its lines, so `head` on an endless producer
//! ends, and it passes lines on as they arrive. Several inputs get GNU's `==> name <==`
//! headers. It copies bytes unchanged: a last line without `\n` stays without one. `-c N`
//! counts bytes instead of lines, so `cat /dev/zero | head -c 10` ends though no line does.

use std::io::{self, BufRead, Write};

use super::Input;
use crate::builtins::{Builtin, Ctx, Example, args};
use crate::eval::{ShellError, Status};
use crate::flags::{self, Flag, Spec, Undeclared};

pub const HEAD: Builtin = Builtin::new(
    "head",
    "print the first lines (10 unless told), or -c N bytes, of each input",
    run,
)
.flags(
    Spec::new(&[
        Flag::valued('n', "N", "print the first N lines (-N says the same)"),
        Flag::valued('c', "N", "print the first N bytes instead of lines"),
    ])
    .with_count('n'),
)
.operands("[FILE...]")
.examples(&[
    Example {
        script: "seq 5 | head -n 2",
        output: "1\n2\n",
    },
    Example {
        script: "echo hello | head -c 4; echo",
        output: "hell\n",
    },
]);

/// What each input is cut to.
#[derive(Clone, Copy)]
enum Limit {
    Lines(u64),
    Bytes(u64),
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut limit = Limit::Lines(10);
    let first = args::parse(ctx, args, |flag, value| {
        let n = flags::count(flag, value)?;
        limit = match flag {
            'c' => Limit::Bytes(n),
            'n' => Limit::Lines(n),
            other => return Err(Undeclared(other).into()),
        };
        Ok(())
    })?;
    let max = super::buffer_budget(ctx);
    super::each_section(ctx, &args[first..], first, |input, out| match limit {
        Limit::Lines(n) => copy_lines(input, out, n, max),
        Limit::Bytes(n) => copy_bytes(input, out, n),
    })
}

fn copy_lines(input: &mut Input, out: &mut impl Write, limit: u64, max: u64) -> io::Result<()> {
    let mut line = Vec::new();
    for _ in 0..limit {
        if !super::read_line(input, &mut line, out, max)? {
            break;
        }
        out.write_all(&line)?;
    }
    Ok(())
}

/// Copies the first `limit` bytes, reading no more than it needs beyond one buffer.
fn copy_bytes(input: &mut Input, out: &mut impl Write, limit: u64) -> io::Result<()> {
    let mut left = limit;
    while left > 0 {
        let available = input.fill_buf()?;
        if available.is_empty() {
            break;
        }
        let take = available
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        out.write_all(&available[..take])?;
        input.consume(take);
        left -= take as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;

    const TWELVE: &str = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";

    fn head(args: &[&str], stdin: &str) -> String {
        let r = run(&HEAD, args, stdin.as_bytes());
        assert_eq!(r.status(), "", "head {args:?}: {}", r.err);
        r.out()
    }

    #[test]
    fn ten_lines_by_default() {
        assert_eq!(head(&[], TWELVE), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
        assert_eq!(head(&[], ""), "");
    }

    #[test]
    fn count_forms() {
        assert_eq!(head(&["-n", "2"], TWELVE), "1\n2\n");
        assert_eq!(head(&["-n3"], TWELVE), "1\n2\n3\n");
        assert_eq!(head(&["-1"], TWELVE), "1\n");
        assert_eq!(head(&["-n", "0"], TWELVE), "");
        assert_eq!(head(&["-n", "50"], "a\nb"), "a\nb");
    }

    #[test]
    fn last_line_keeps_its_missing_newline() {
        assert_eq!(head(&["-n", "2"], "a\nb"), "a\nb");
    }

    #[test]
    fn bad_counts_and_flags_are_usage_errors() {
        assert!(
            run(&HEAD, &["-n", "x"], b"")
                .status()
                .contains("not a count")
        );
        assert!(
            run(&HEAD, &["-n", "-3"], b"")
                .status()
                .contains("not a count")
        );
        assert!(run(&HEAD, &["-n"], b"").status().contains("needs a value"));
        assert!(
            run(&HEAD, &["-v"], b"")
                .status()
                .contains("unknown flag -v")
        );
    }

    #[test]
    fn dash_c_counts_bytes() {
        assert_eq!(head(&["-c", "3"], "ab\ncd\n"), "ab\n");
        assert_eq!(head(&["-c5"], "abc"), "abc");
        assert_eq!(head(&["-c", "0"], "abc"), "");
        let many = "x".repeat(200_000);
        assert_eq!(head(&["-c", "70000"], &many).len(), 70_000);
        assert!(
            run(&HEAD, &["-c", "x"], b"")
                .status()
                .contains("not a count")
        );
    }

    #[test]
    fn several_files_get_headers() {
        let mut shell = shell_with(&[("/a", "a1\na2\n"), ("/b", "b1\n")]);
        let r = run_in(&mut shell, &HEAD, &["-n1", "/a", "-", "/b"], b"s1\ns2\n");
        assert_eq!(
            r.out(),
            "==> /a <==\na1\n\n==> standard input <==\ns1\n\n==> /b <==\nb1\n"
        );
    }

    #[test]
    fn missing_files() {
        let mut shell = shell_with(&[("/a", "a\n")]);
        let r = run_in(&mut shell, &HEAD, &["/nope", "/a"], b"");
        assert_eq!(
            (r.out(), r.status()),
            ("==> /a <==\na\n".to_string(), "1".to_string())
        );
        assert!(r.err.contains("head: /nope"), "{}", r.err);
        assert!(run_in(&mut shell, &HEAD, &["/nope"], b"").result.is_err());
    }

    #[test]
    fn a_gone_reader_is_success() {
        assert_eq!(
            run_gone(&HEAD, &[], TWELVE.as_bytes())
                .map(|s| s.is_ok())
                .ok(),
            Some(true)
        );
    }
}
