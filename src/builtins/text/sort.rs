//! `sort`: sort lines, stably, by the whole line or by fields, as text or as numbers.
//!
//! Sorting needs every line, so this is the one tool that reads all its input before writing;
//! lines are kept as ranges into one buffer and each key is found once, not per comparison.
//! Comparison is bytewise (the C locale), numbers compare exactly as decimal strings (no float
//! rounding, any length), and lines equal by their keys fall back to the whole line, as in GNU
//! sort; `-u` keeps the first line of each run of equal keys. A last line without `\n` gets
//! one. It never panics on bytes that are not UTF-8: nothing here decodes text.

use std::cmp::Ordering;
use std::io::{Read, Write};
use std::ops::Range;

use super::Visit;
use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};

pub const SORT: Builtin = Builtin::new(
    "sort",
    "sort lines (stable; -n numeric, -k N[,M] fields, -t separator)",
    run,
)
.flags(Spec::new(&[
    Flag::switch('r', "reverse the order"),
    Flag::switch('n', "compare as numbers"),
    Flag::switch('u', "keep one of each run of equal lines"),
    Flag::switch('f', "fold lower case to upper case when comparing"),
    Flag::valued(
        'k',
        "N[,M]",
        "compare fields N to M (counted from 1; M: to the end)",
    )
    .repeated(),
    Flag::valued(
        't',
        "SEP",
        "fields are separated by the one character SEP (blanks unless told)",
    ),
]))
.operands("[FILE...]")
.examples(&[
    Example {
        script: "{echo 10; echo 9; echo 100} | sort -n",
        output: "9\n10\n100\n",
    },
    Example {
        script: "seq 3 | sort -r",
        output: "3\n2\n1\n",
    },
]);

/// A value of `-k` or `-t` that sort cannot use.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SortFlagError {
    #[error("-k: expected a field N or N,M (counted from 1), not '{0}'")]
    Key(String),
    #[error("-t: the separator must be one character, not '{0}'")]
    Separator(String),
}

#[derive(Default)]
struct Options {
    reverse: bool,
    numeric: bool,
    unique: bool,
    fold: bool,
    /// Fields `start..=end` (1-based); `end: None` runs to the end of the line, as in GNU.
    keys: Vec<(usize, Option<usize>)>,
    separator: Option<Vec<u8>>,
}

/// What sort holds for each line besides its bytes: its range and its place in the order.
const LINE_COST: u64 = 24;

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut o = Options::default();
    let first = args::parse(ctx, args, |flag, value| {
        let value = value.unwrap_or_default();
        match flag {
            'r' => o.reverse = true,
            'n' => o.numeric = true,
            'u' => o.unique = true,
            'f' => o.fold = true,
            'k' => o.keys.push(parse_key(value)?),
            't' if value.chars().count() == 1 => o.separator = Some(value.as_bytes().to_vec()),
            't' => return Err(SortFlagError::Separator(value.to_string()).into()),
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let mut data = Vec::new();
    // Sorting holds all the input and an index of its lines: at most the `buffer` budget
    // of both, each line counted with its place in the index.
    let max = super::buffer_budget(ctx);
    let mut lines = 0u64;
    let visit = super::each_input(ctx, &args[first..], first, false, |_, input| {
        let before = data.len();
        let room = max.saturating_sub(data.len() as u64 + lines * LINE_COST);
        input.take(room.saturating_add(1)).read_to_end(&mut data)?;
        // Checked before counting lines too: an endless input (/dev/zero) is refused at once.
        let over = |lines: u64| data.len() as u64 + lines * LINE_COST > max;
        if !over(lines) {
            lines += super::lines::count_lines(&data[before..]) + 1;
        }
        if over(lines) {
            data = Vec::new();
            return Err(super::over_budget(max, "sort's input is too long"));
        }
        // Each file's last line ends at its file, newline or not.
        if data.last().is_some_and(|&b| b != b'\n') {
            data.push(b'\n');
        }
        Ok(true)
    })?;
    let Visit::Done { failed } = visit else {
        return Ok(Status::ok());
    };
    if o.keys.is_empty() && !o.numeric && !o.fold {
        return write_whole_lines(ctx, &data, &o, failed);
    }
    let lines = split_lines(&data);
    let keys: Vec<Range<usize>> = lines
        .iter()
        .flat_map(|line| {
            o.keys
                .iter()
                .map(|&key| field_range(&data, line.clone(), key, o.separator.as_deref()))
        })
        .collect();
    let keys_of = |i: usize| -> &[Range<usize>] {
        if o.keys.is_empty() {
            std::slice::from_ref(&lines[i])
        } else {
            &keys[i * o.keys.len()..][..o.keys.len()]
        }
    };
    let compare_keys = |a: usize, b: usize| -> Ordering {
        let ordering = keys_of(a)
            .iter()
            .zip(keys_of(b))
            .map(|(ka, kb)| compare(&data[ka.clone()], &data[kb.clone()], &o))
            .find(|ord| ord.is_ne())
            .unwrap_or(Ordering::Equal);
        if o.reverse {
            ordering.reverse()
        } else {
            ordering
        }
    };
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| {
        let by_keys = compare_keys(a, b);
        if by_keys.is_ne() || o.unique {
            return by_keys;
        }
        let whole = data[lines[a].clone()].cmp(&data[lines[b].clone()]);
        if o.reverse { whole.reverse() } else { whole }
    });
    let mut out = super::output(ctx);
    let mut previous: Option<usize> = None;
    for &i in &order {
        if o.unique && previous.is_some_and(|p| compare_keys(p, i).is_eq()) {
            continue;
        }
        previous = Some(i);
        let written = out
            .write_all(&data[lines[i].clone()])
            .and_then(|()| out.write_all(b"\n"));
        if let Err(e) = written {
            return operands::output_error(ctx, e);
        }
    }
    operands::finish(ctx, &mut out)?;
    Ok(operands::status(failed))
}

/// The common case, whole lines compared as bytes: lines equal by that key are the same
/// bytes, so an unstable sort of the lines themselves gives what the stable sort of their
/// indexes gives. Each line carries its first eight bytes as a big-endian number, which
/// orders as the bytes do (a shorter line padded with zeros, a tie then settled by the
/// whole lines): most comparisons are one of integers, without following a pointer.
fn write_whole_lines(
    ctx: &Ctx<'_>,
    data: &[u8],
    o: &Options,
    failed: bool,
) -> Result<Status, ShellError> {
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    let mut lines: Vec<(u64, &[u8])> = if data.is_empty() {
        Vec::new()
    } else {
        body.split(|&b| b == b'\n')
            .map(|line| (prefix(line), line))
            .collect()
    };
    let order = |a: &(u64, &[u8]), b: &(u64, &[u8])| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1));
    if o.reverse {
        lines.sort_unstable_by(|a, b| order(b, a));
    } else {
        lines.sort_unstable_by(order);
    }
    if o.unique {
        lines.dedup_by(|a, b| a.1 == b.1);
    }
    let mut out = super::output(ctx);
    for (_, line) in lines {
        let written = out.write_all(line).and_then(|()| out.write_all(b"\n"));
        if let Err(e) = written {
            return operands::output_error(ctx, e);
        }
    }
    operands::finish(ctx, &mut out)?;
    Ok(operands::status(failed))
}

/// The first eight bytes of `line` as a big-endian number, zeros past its end.
fn prefix(line: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    let n = line.len().min(8);
    bytes[..n].copy_from_slice(&line[..n]);
    u64::from_be_bytes(bytes)
}

/// `N` or `N,M`, fields counted from 1.
fn parse_key(text: &str) -> Result<(usize, Option<usize>), SortFlagError> {
    let field = |s: &str| s.parse::<usize>().ok().filter(|&n| n > 0);
    let bad = || SortFlagError::Key(text.to_string());
    match text.split_once(',') {
        None => Ok((field(text).ok_or_else(bad)?, None)),
        Some((start, end)) => Ok((
            field(start).ok_or_else(bad)?,
            Some(field(end).ok_or_else(bad)?),
        )),
    }
}

/// Each line's bytes, without its `\n` (the data ends with one unless it is empty).
fn split_lines(data: &[u8]) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', data) {
        lines.push(start..i);
        start = i + 1;
    }
    lines
}

/// The bytes of fields `start..=end` of `line`. Without a separator a field is a run of
/// non-blanks and the blanks before it are not part of the key (GNU's `-b`).
fn field_range(
    data: &[u8],
    line: Range<usize>,
    (start, end): (usize, Option<usize>),
    separator: Option<&[u8]>,
) -> Range<usize> {
    let bytes = &data[line.clone()];
    let fields = fields(bytes, separator);
    let Some(first) = fields.get(start - 1) else {
        return line.end..line.end;
    };
    let last_end = match end {
        Some(end) if end >= start => fields
            .get(end - 1)
            .or(fields.last())
            .map_or(first.end, |f| f.end),
        Some(_) => first.start,
        None => bytes.len(),
    };
    line.start + first.start..line.start + last_end.max(first.start)
}

fn fields(line: &[u8], separator: Option<&[u8]>) -> Vec<Range<usize>> {
    let mut fields = Vec::new();
    match separator {
        Some(sep) => {
            let mut start = 0;
            let mut i = 0;
            while i + sep.len() <= line.len() {
                if line[i..].starts_with(sep) {
                    fields.push(start..i);
                    i += sep.len();
                    start = i;
                } else {
                    i += 1;
                }
            }
            fields.push(start..line.len());
        }
        None => {
            let blank = |b: &u8| matches!(b, b' ' | b'\t');
            let mut i = 0;
            while let Some(offset) = line[i..].iter().position(|b| !blank(b)) {
                let start = i + offset;
                let len = line[start..]
                    .iter()
                    .position(blank)
                    .unwrap_or(line.len() - start);
                fields.push(start..start + len);
                i = start + len;
            }
        }
    }
    fields
}

fn compare(a: &[u8], b: &[u8], o: &Options) -> Ordering {
    if o.numeric {
        compare_numbers(a, b)
    } else if o.fold {
        a.iter()
            .map(u8::to_ascii_uppercase)
            .cmp(b.iter().map(u8::to_ascii_uppercase))
    } else {
        a.cmp(b)
    }
}

/// GNU `-n`: leading blanks, an optional `-`, digits, an optional fraction; anything else is 0.
fn compare_numbers(a: &[u8], b: &[u8]) -> Ordering {
    let (a_negative, a_whole, a_fraction) = number(a);
    let (b_negative, b_whole, b_fraction) = number(b);
    let magnitude = (a_whole.len().cmp(&b_whole.len()))
        .then(a_whole.cmp(b_whole))
        .then(a_fraction.cmp(b_fraction));
    match (a_negative, b_negative) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// Sign, whole digits without leading zeros, fraction digits without trailing zeros.
fn number(text: &[u8]) -> (bool, &[u8], &[u8]) {
    let text = &text[text
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()..];
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = &text[..digits(text)];
    let whole = &whole[whole.iter().take_while(|&&b| b == b'0').count()..];
    let rest = &text[digits(text)..];
    let fraction = match rest.split_first() {
        Some((b'.', rest)) => &rest[..digits(rest)],
        _ => &[],
    };
    let fraction =
        &fraction[..fraction.len() - fraction.iter().rev().take_while(|&&b| b == b'0').count()];
    // -0 and -0.0 are zero, which has no sign.
    (
        negative && !(whole.is_empty() && fraction.is_empty()),
        whole,
        fraction,
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;

    fn sort(args: &[&str], stdin: &str) -> String {
        let r = run(&SORT, args, stdin.as_bytes());
        assert_eq!(r.status(), "", "sort {args:?}: {}", r.err);
        r.out()
    }

    #[test]
    fn bytewise_and_reversed() {
        assert_eq!(sort(&[], "b\na\nB\nc"), "B\na\nb\nc\n");
        assert_eq!(sort(&["-r"], "b\na\nc\n"), "c\nb\na\n");
        assert_eq!(sort(&[], ""), "");
        assert_eq!(sort(&[], "\n\n"), "\n\n");
    }

    #[test]
    fn numeric() {
        assert_eq!(
            sort(&["-n"], "10\n9\n-1\n1.5\nx\n0\n"),
            "-1\n0\nx\n1.5\n9\n10\n"
        );
        assert_eq!(sort(&["-n"], "  2\n-0\n007\n"), "-0\n  2\n007\n");
        assert_eq!(sort(&["-rn"], "2\n10\n1\n"), "10\n2\n1\n");
        let big = "123456789012345678901234567890";
        assert_eq!(
            sort(&["-n"], &format!("{big}1\n{big}\n")),
            format!("{big}\n{big}1\n")
        );
        assert_eq!(
            sort(&["-n"], "0.5\n0.05\n-0.5\n-0.05\n"),
            "-0.5\n-0.05\n0.05\n0.5\n"
        );
    }

    #[test]
    fn unique_and_fold() {
        assert_eq!(sort(&["-u"], "b\na\nb\na\n"), "a\nb\n");
        assert_eq!(sort(&["-f"], "b\nA\na\nB\n"), "A\na\nB\nb\n");
        assert_eq!(sort(&["-fu"], "b\na\nA\n"), "a\nb\n");
        assert_eq!(sort(&["-nu"], "1\n01\n2\n"), "1\n2\n");
    }

    #[test]
    fn keys_and_separators() {
        let table = "x 3 b\ny 1 c\nz 2 a\n";
        assert_eq!(sort(&["-k", "2"], table), "y 1 c\nz 2 a\nx 3 b\n");
        assert_eq!(sort(&["-k3"], table), "z 2 a\nx 3 b\ny 1 c\n");
        assert_eq!(sort(&["-k", "2,2", "-r"], table), "x 3 b\nz 2 a\ny 1 c\n");
        assert_eq!(sort(&["-n", "-k", "2"], "a  10\nb 9\n"), "b 9\na  10\n");
        assert_eq!(
            sort(&["-t", ":", "-k", "2", "-n"], "a:3\nb:1\nc:2\n"),
            "b:1\nc:2\na:3\n"
        );
        assert_eq!(sort(&["-t:", "-k2,2"], "a::z\nb:x:y\n"), "a::z\nb:x:y\n");
        assert_eq!(sort(&["-k", "5"], "b\na\n"), "a\nb\n");
        assert_eq!(
            sort(&["-k2,2", "-k3,3"], "a 1 z\nb 1 y\n"),
            "b 1 y\na 1 z\n"
        );
    }

    #[test]
    fn stable_for_equal_keys() {
        assert_eq!(sort(&["-k", "2,2", "-u"], "b 1\na 1\nc 0\n"), "c 0\nb 1\n");
        assert_eq!(sort(&["-f", "-u"], "B\nb\n"), "B\n");
    }

    #[test]
    fn whole_lines_sort_as_the_general_path_does() {
        // `-k 1` takes the general path (by fields) but orders by the whole line too.
        let text = "b\na\tx\na\n\nab\na b\nA\na\n";
        for flags in [&[][..], &["-r"], &["-u"], &["-ru"]] {
            let general: Vec<&str> = flags
                .iter()
                .copied()
                .chain(["-t", "\u{1}", "-k", "1"])
                .collect();
            assert_eq!(sort(flags, text), sort(&general, text), "{flags:?}");
        }
        assert_eq!(sort(&[], "a\t\na\n"), "a\na\t\n");
        // Ties of the first eight bytes, and a zero byte against a shorter line.
        let long = "abcdefgh2\nabcdefgh10\nabcdefgh\nabcdefg\nabcdefgh\u{0}\nabcdefgh1\n";
        assert_eq!(
            sort(&[], long),
            "abcdefg\nabcdefgh\nabcdefgh\u{0}\nabcdefgh1\nabcdefgh10\nabcdefgh2\n"
        );
        assert_eq!(sort(&["-r"], "a\u{0}\na\n"), "a\u{0}\na\n");
    }

    #[test]
    fn non_utf8_is_sorted_as_bytes() {
        assert_eq!(run(&SORT, &[], b"\xff\n\x80\na\n").out, b"a\n\x80\n\xff\n");
    }

    #[test]
    fn errors() {
        for (args, message) in [
            (&["-k", "0"][..], "-k: expected a field"),
            (&["-k", "1.2"], "-k: expected"),
            (&["-t", "ab"], "one character"),
            (&["-x"], "unknown flag -x"),
            (&["-t"], "needs a value"),
        ] {
            let status = run(&SORT, args, b"").status();
            assert!(status.contains(message), "{args:?}: {status}");
        }
    }

    #[test]
    fn files() {
        let mut shell = shell_with(&[("/a", "c\na"), ("/b", "b\n")]);
        assert_eq!(
            run_in(&mut shell, &SORT, &["/a", "/b"], b"").out(),
            "a\nb\nc\n"
        );
        let r = run_in(&mut shell, &SORT, &["/a", "/nope"], b"");
        assert_eq!(
            (r.out(), r.status()),
            ("a\nc\n".to_string(), "1".to_string())
        );
        assert!(r.err.contains("sort: /nope"), "{}", r.err);
        assert!(run_in(&mut shell, &SORT, &["/nope"], b"").result.is_err());
    }

    #[test]
    fn a_gone_reader_is_success() {
        assert_eq!(
            run_gone(&SORT, &[], b"b\na\n").map(|s| s.is_ok()).ok(),
            Some(true)
        );
    }
}
