//! `tail`: print the last lines of each input, or everything from line N on.
//!
//! `-n N` keeps a ring of the last N lines, reusing their buffers, so memory follows N and the
//! line length, never the input size; the ring grows as lines come, so a huge N on a small
//! input allocates nothing up front. `-n +N` streams from line N. Several inputs get GNU's
//! `==> name <==` headers. Bytes are copied unchanged, a missing last `\n` included. `-f`
//! prints one file's tail and then follows it as it grows ([`super::follow`]); `-m N` ends
//! the following once N lines were printed in all.

use std::collections::VecDeque;
use std::io::{self, BufReader, Read, Write};

use crate::builtins::{Builtin, Ctx, Example, Form, args};
use crate::eval::{ShellError, Status};
use crate::flags::{self, Flag, Spec, Undeclared};

pub const TAIL: Builtin = Builtin::new(
    "tail",
    "print the last lines (10 unless told) of each input, or from line +N on; -f follows a file",
    run,
)
.flags(
    Spec::new(&[
        Flag::switch('f', "follow the file as it grows, until Ctrl-C (or -m)"),
        Flag::valued('m', "N", "with -f: stop once N lines were printed in all"),
        Flag::valued(
            'n',
            "N",
            "the last N lines (-N says the same); +N: from line N on",
        ),
    ])
    .with_count('n'),
)
.forms(&[
    Form {
        required: "",
        optional: "n",
        operands: "[FILE...]",
    },
    Form {
        required: "f",
        optional: "mn",
        operands: "FILE",
    },
])
.examples(&[
    Example {
        script: "seq 5 | tail -n 2",
        output: "4\n5\n",
    },
    Example {
        script: "seq 5 | tail -n +4",
        output: "4\n5\n",
    },
]);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Take {
    /// The last N lines.
    Last(u64),
    /// Everything from line N (1-based; GNU treats +0 as +1).
    From(u64),
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut take = Take::Last(10);
    let (mut follow, mut most) = (false, None);
    let first = args::parse(ctx, args, |flag, value| {
        match (flag, value.and_then(|v| v.strip_prefix('+'))) {
            ('f', _) => follow = true,
            ('m', _) => most = Some(flags::count(flag, value)?),
            ('n', Some(from)) => take = Take::From(flags::count(flag, Some(from))?),
            ('n', None) => take = Take::Last(flags::count(flag, value)?),
            (other, _) => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let max = super::buffer_budget(ctx);
    if follow {
        return super::follow::follow(ctx, &args[first..], first, most, |input, mut out| {
            match take {
                // Following from the end: skip what is there now.
                Take::Last(0) => io::copy(input, &mut io::sink()).map(drop),
                Take::Last(n) => last_lines(input, &mut out, n, max),
                Take::From(n) => from_line(input, &mut out, n, max),
            }
        });
    }
    if most.is_some() {
        return Err(ctx.usage("-m counts the lines -f follows: it needs -f"));
    }
    super::each_section(ctx, &args[first..], first, |input, out| match take {
        Take::Last(n) => last_lines(input, out, n, max),
        Take::From(n) => from_line(input, out, n, max),
    })
}

/// The last `n` lines; together they may hold at most `max` bytes (the `buffer` budget),
/// each line counted with its own buffer's bookkeeping.
/// What a kept line costs besides its bytes: its buffer's header and allocation.
const LINE_COST: u64 = 48;

fn last_lines<R: Read>(
    input: &mut BufReader<R>,
    out: &mut impl Write,
    n: u64,
    max: u64,
) -> io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    let mut ring: VecDeque<Vec<u8>> = VecDeque::new();
    let mut line = Vec::new();
    let mut held = 0u64;
    // Nothing is written while reading, so there is nothing to flush to a reader downstream.
    while super::read_line(input, &mut line, &mut io::sink(), max)? {
        held += line.len() as u64 + LINE_COST;
        if ring.len() as u64 >= n
            && let Some(mut oldest) = ring.pop_front()
        {
            held -= oldest.len() as u64 + LINE_COST;
            // Reuse the oldest line's buffer for the newest line.
            std::mem::swap(&mut oldest, &mut line);
            ring.push_back(oldest);
        } else {
            ring.push_back(std::mem::take(&mut line));
        }
        if held > max {
            return Err(super::over_budget(max, "the last lines are too long"));
        }
    }
    for kept in &ring {
        out.write_all(kept)?;
    }
    Ok(())
}

fn from_line<R: Read>(
    input: &mut BufReader<R>,
    out: &mut impl Write,
    n: u64,
    max: u64,
) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0u64;
    while super::read_line(input, &mut line, out, max)? {
        number += 1;
        if number >= n {
            out.write_all(&line)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::thread::{self, JoinHandle};
    use std::time::{Duration, Instant};

    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;
    use crate::eval::Shell;
    use crate::ns::OpenFlags;

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
            run(&TAIL, &["-x"], b"")
                .status()
                .contains("unknown flag -x")
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

    fn appender(
        shell: &Shell,
        path: &'static str,
        records: &'static [&'static str],
    ) -> JoinHandle<()> {
        let ns = shell.proc.ns.clone();
        thread::spawn(move || {
            for record in records {
                thread::sleep(Duration::from_millis(30));
                let mut handle = ns
                    .open(path, OpenFlags::write().create().append())
                    .expect("opens for appending");
                handle.write(record.as_bytes()).expect("appends");
                let _ = handle.close();
            }
        })
    }

    #[test]
    fn follows_a_log_as_records_arrive() {
        let mut shell = shell_with(&[]);
        crate::nsops::mount(&mut shell, "logs", &[], "/n", Default::default()).unwrap();
        // An empty log, so the follower can open it before the first record.
        let made = shell.proc.ns.open("/n/x", OpenFlags::write().create());
        made.and_then(|mut h| h.close()).unwrap();
        let writer = appender(&shell, "/n/x", &["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]);
        thread::sleep(Duration::from_millis(10));
        let r = run_in(
            &mut shell,
            &TAIL,
            &["-f", "-n", "+1", "-m", "3", "/n/x"],
            b"",
        );
        writer.join().unwrap();
        assert_eq!(r.status(), "", "{}", r.err);
        let seqs: Vec<String> = r
            .out()
            .lines()
            .map(|line| line.split(',').next().unwrap_or("").to_string())
            .collect();
        assert_eq!(seqs, ["{\"seq\":1", "{\"seq\":2", "{\"seq\":3"]);
        assert!(r.out().ends_with(",\"n\":3}\n"), "{}", r.out());
    }

    #[test]
    fn follows_a_plain_file_by_polling() {
        let mut shell = shell_with(&[("/tmp/f", "old\n")]);
        let writer = appender(&shell, "/tmp/f", &["new 1\n", "new 2\n"]);
        let r = run_in(
            &mut shell,
            &TAIL,
            &["-f", "-n", "0", "-m", "2", "/tmp/f"],
            b"",
        );
        writer.join().unwrap();
        assert_eq!(
            (r.out(), r.status()),
            ("new 1\nnew 2\n".to_string(), String::new())
        );
    }

    #[test]
    fn dash_m_also_cuts_the_initial_tail() {
        let mut shell = shell_with(&[("/t", TWELVE)]);
        let r = run_in(&mut shell, &TAIL, &["-f", "-n5", "-m2", "/t"], b"");
        assert_eq!((r.out(), r.status()), ("8\n9\n".to_string(), String::new()));
    }

    #[test]
    fn an_interrupt_ends_following() {
        let mut shell = shell_with(&[("/t", "a\n")]);
        let ctrl_c = shell.engines.front_interrupter();
        let pressed = thread::spawn(move || {
            thread::sleep(Duration::from_millis(150));
            ctrl_c.fire();
        });
        let started = Instant::now();
        let r = run_in(&mut shell, &TAIL, &["-f", "/t"], b"");
        pressed.join().unwrap();
        assert!(
            matches!(r.result, Err(ShellError::Interrupted)),
            "{}",
            r.status()
        );
        assert_eq!(r.out(), "a\n");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn follow_usage_errors() {
        let mut shell = shell_with(&[("/a", "a\n"), ("/b", "b\n")]);
        let cases: [(&[&str], &str); 4] = [
            (&["-f", "/a", "/b"], "-f follows exactly one FILE"),
            (&["-f"], "-f follows exactly one FILE"),
            (&["-f", "-"], "-f follows a file, not standard input"),
            (
                &["-m", "2", "/a"],
                "-m counts the lines -f follows: it needs -f",
            ),
        ];
        for (args, message) in cases {
            let r = run_in(&mut shell, &TAIL, args, b"");
            assert!(r.status().contains(message), "{args:?}: {}", r.status());
        }
        let r = run_in(&mut shell, &TAIL, &["-f", "/nope"], b"");
        assert!(
            r.status().contains("/nope: file does not exist"),
            "{}",
            r.status()
        );
        assert_eq!(r.arg(), Some(1));
    }
}
