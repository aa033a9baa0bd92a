//! `tail`: print the last lines of each input, or everything from line N on.
//!
//! `-n N` keeps a ring of the last N lines, reusing their buffers, so memory follows N and the
//! line length, never the input size; the ring grows as lines come, so a huge N on a small
//! input allocates nothing up front. `-n +N` streams from line N. Several inputs get GNU's
//! `==> name <==` headers. Bytes are copied unchanged, a missing last `\n` included.

use std::collections::VecDeque;
use std::io::{self, Write};

use super::Input;
use crate::builtins::args::{self, Spec};
use crate::builtins::{Builtin, Ctx};
use crate::eval::{ShellError, Status};

pub const TAIL: Builtin = Builtin {
    name: "tail",
    synopsis: "print the last lines (10 unless told) of each input, or from line +N on",
    usage: "tail [-n N | -n +N | -N] [FILE...]",
    run,
};

const SPEC: Spec = Spec {
    switches: "",
    valued: "n",
    count: Some('n'),
    negative_numbers: false,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Take {
    /// The last N lines.
    Last(u64),
    /// Everything from line N (1-based; GNU treats +0 as +1).
    From(u64),
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut take = Take::Last(10);
    let first = args::parse(ctx, args, &SPEC, |flag, value| {
        take = match value.and_then(|v| v.strip_prefix('+')) {
            Some(from) => Take::From(args::count(flag, Some(from))?),
            None => Take::Last(args::count(flag, value)?),
        };
        Ok(())
    })?;
    super::each_section(ctx, &args[first..], first, |input, out| match take {
        Take::Last(n) => last_lines(input, out, n),
        Take::From(n) => from_line(input, out, n),
    })
}

fn last_lines(input: &mut Input, out: &mut impl Write, n: u64) -> io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    let mut ring: VecDeque<Vec<u8>> = VecDeque::new();
    let mut line = Vec::new();
    // Nothing is written while reading, so there is nothing to flush to a reader downstream.
    while super::read_line(input, &mut line, &mut io::sink())? {
        if ring.len() as u64 >= n
            && let Some(mut oldest) = ring.pop_front()
        {
            // Reuse the oldest line's buffer for the newest line.
            std::mem::swap(&mut oldest, &mut line);
            ring.push_back(oldest);
        } else {
            ring.push_back(std::mem::take(&mut line));
        }
    }
    for kept in &ring {
        out.write_all(kept)?;
    }
    Ok(())
}

fn from_line(input: &mut Input, out: &mut impl Write, n: u64) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0u64;
    while super::read_line(input, &mut line, out)? {
        number += 1;
        if number >= n {
            out.write_all(&line)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;

    const TWELVE: &str = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";

    fn tail(args: &[&str], stdin: &str) -> String {
        let r = run(&TAIL, args, stdin.as_bytes());
        assert_eq!(r.status(), "", "tail {args:?}: {}", r.err);
        r.out()
    }

    #[test]
    fn last_ten_by_default() {
        assert_eq!(tail(&[], TWELVE), "3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n");
        assert_eq!(tail(&[], ""), "");
    }

    #[test]
    fn count_forms() {
        assert_eq!(tail(&["-n", "2"], TWELVE), "11\n12\n");
        assert_eq!(tail(&["-n1"], TWELVE), "12\n");
        assert_eq!(tail(&["-3"], TWELVE), "10\n11\n12\n");
        assert_eq!(tail(&["-n", "0"], TWELVE), "");
        assert_eq!(tail(&["-n", "1000000000000"], "a\nb\n"), "a\nb\n");
    }

    #[test]
    fn from_line_n() {
        assert_eq!(tail(&["-n", "+11"], TWELVE), "11\n12\n");
        assert_eq!(tail(&["-n+12"], TWELVE), "12\n");
        assert_eq!(tail(&["-n", "+0"], "a\nb\n"), "a\nb\n");
        assert_eq!(tail(&["-n", "+5"], "a\nb\n"), "");
    }

    #[test]
    fn last_line_keeps_its_missing_newline() {
        assert_eq!(tail(&["-n", "2"], "a\nb\nc"), "b\nc");
        assert_eq!(tail(&["-n", "+2"], "a\nb"), "b");
    }

    #[test]
    fn bad_counts_and_flags_are_usage_errors() {
        assert!(
            run(&TAIL, &["-n", "x"], b"")
                .status()
                .contains("not a count")
        );
        assert!(
            run(&TAIL, &["-n", "+"], b"")
                .status()
                .contains("not a count")
        );
        assert!(
            run(&TAIL, &["-f"], b"")
                .status()
                .contains("unknown flag -f")
        );
    }

    #[test]
    fn several_files_get_headers() {
        let mut shell = shell_with(&[("/a", "a1\na2\n"), ("/b", "b1\n")]);
        let r = run_in(&mut shell, &TAIL, &["-n1", "/a", "/b"], b"");
        assert_eq!(r.out(), "==> /a <==\na2\n\n==> /b <==\nb1\n");
    }

    #[test]
    fn missing_files() {
        let mut shell = shell_with(&[("/a", "a\n")]);
        let r = run_in(&mut shell, &TAIL, &["/a", "/nope"], b"");
        assert_eq!(
            (r.out(), r.status()),
            ("==> /a <==\na\n".to_string(), "1".to_string())
        );
        assert!(r.err.contains("tail: /nope"), "{}", r.err);
        assert!(run_in(&mut shell, &TAIL, &["/nope"], b"").result.is_err());
    }

    #[test]
    fn a_gone_reader_is_success() {
        assert_eq!(
            run_gone(&TAIL, &[], TWELVE.as_bytes())
                .map(|s| s.is_ok())
                .ok(),
            Some(true)
        );
        assert_eq!(
            run_gone(&TAIL, &["-n+1"], TWELVE.as_bytes())
                .map(|s| s.is_ok())
                .ok(),
            Some(true)
        );
    }
}
