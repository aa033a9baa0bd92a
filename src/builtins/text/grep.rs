//! `grep`: print lines matching a pattern, with the `regex` crate over bytes.
//!
//! Lines stream one at a time and match as bytes (`regex::bytes`), so any input, UTF-8 or
//! not, is searched without panicking or lossy conversion. Patterns are POSIX basic regular
//! expressions by default (`a\|b`, `\(x\)\{2\}`), extended with `-E`, fixed strings with `-F`;
//! [`translate`] maps the POSIX forms onto the `regex` crate's syntax, which has no
//! back-references (such a pattern is reported as a bad pattern). Lines are found a block at
//! a time (see [`search`]), not one call per line. Status: 0 when a line was
//! selected, 1 when none, 2 when an input could not be read (0 with `-q` and a match).

use std::io::{self, Write};
use std::iter::Peekable;
use std::ops::ControlFlow;
use std::str::Chars;

use regex::bytes::{Regex, RegexBuilder};

use super::Visit;
use search::Matcher;

mod search;
use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};

pub const GREP: Builtin = Builtin::new(
    "grep",
    "print lines that match a pattern (POSIX basic regex; -E extended, -F fixed)",
    run,
)
.flags(Spec::new(&[
    Flag::switch('v', "print the lines that do not match"),
    Flag::switch('i', "ignore case"),
    Flag::switch('c', "print how many lines match, not the lines"),
    Flag::switch('n', "put each line's number before it"),
    Flag::switch('l', "print only the names of files with a match"),
    Flag::switch('q', "print nothing: the status says whether a line matched"),
    Flag::switch('s', "say nothing about files that cannot be read"),
    Flag::switch('x', "match whole lines only"),
    Flag::switch('w', "match whole words only"),
    Flag::switch('F', "the patterns are fixed strings"),
    Flag::switch('E', "the patterns are extended regular expressions"),
    Flag::switch('h', "never put the file's name before a line"),
    Flag::switch('H', "always put the file's name before a line"),
    Flag::valued('e', "PAT", "a pattern (several -e: a line matching any)").repeated(),
]))
.operands("[PATTERN] [FILE...]")
.examples(&[
    Example {
        script: "seq 12 | grep 1",
        output: "1\n10\n11\n12\n",
    },
    Example {
        script: "seq 12 | grep -c -e 2 -e 3",
        output: "3\n",
    },
]);

#[derive(Default)]
struct Options {
    invert: bool,
    ignore_case: bool,
    count: bool,
    number: bool,
    files_only: bool,
    quiet: bool,
    silent: bool,
    whole_line: bool,
    whole_word: bool,
    fixed: bool,
    extended: bool,
    /// `-H` / `-h`; unset means "when there are several files".
    with_name: Option<bool>,
    patterns: Vec<String>,
}

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut o = Options::default();
    let mut first = args::parse(ctx, args, |flag, value| {
        match flag {
            'v' => o.invert = true,
            'i' => o.ignore_case = true,
            'c' => o.count = true,
            'n' => o.number = true,
            'l' => o.files_only = true,
            'q' => o.quiet = true,
            's' => o.silent = true,
            'x' => o.whole_line = true,
            'w' => o.whole_word = true,
            'F' => o.fixed = true,
            'E' => o.extended = true,
            'h' => o.with_name = Some(false),
            'H' => o.with_name = Some(true),
            'e' => o.patterns.push(value.unwrap_or_default().to_string()),
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    if o.patterns.is_empty() {
        let Some(pattern) = args.get(first) else {
            return Err(ctx.usage("missing pattern"));
        };
        o.patterns.push(pattern.clone());
        first += 1;
    }
    let regex = build(&o).map_err(|e| ctx.fail(format!("bad pattern: {e}")))?;
    let matcher = Matcher::new(regex, literal(&o));
    let files = &args[first..];
    let with_name = o.with_name.unwrap_or(files.len() > 1);
    let mut out = super::output(ctx);
    let mut selected_any = false;
    let max = super::buffer_budget(ctx);
    let visit = super::each_input(ctx, files, first, o.silent, |name, input| {
        let name = if name == "-" {
            "(standard input)"
        } else {
            name
        };
        let mut lines = Selected {
            o: &o,
            name: with_name.then_some(name),
            number: 0,
            count: 0,
        };
        let mut stop = Stop::No;
        super::lines::each_block(input, &mut out, max, |block, out| {
            stop = lines.block(&matcher, block, out)?;
            Ok(match stop {
                Stop::No => ControlFlow::Continue(()),
                Stop::Input | Stop::All => ControlFlow::Break(()),
            })
        })?;
        selected_any |= lines.count > 0;
        if stop == Stop::All {
            return Ok(false);
        }
        if o.files_only && lines.count > 0 {
            writeln!(out, "{name}")?;
        } else if o.count && !o.quiet && !o.files_only {
            lines.prefix(&mut out)?;
            writeln!(out, "{}", lines.count)?;
        }
        Ok(true)
    })?;
    let Visit::Done { failed } = visit else {
        return Ok(Status::ok());
    };
    operands::finish(ctx, &mut out)?;
    Ok(match (selected_any, failed) {
        (true, _) if o.quiet => Status::ok(),
        (_, true) => Status::code(2),
        (true, false) => Status::ok(),
        (false, false) => Status::code(1),
    })
}

/// What stops the reading of lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    No,
    /// This input has told all it can (`-l`: it has a match).
    Input,
    /// Every input has (`-q`: a match).
    All,
}

/// The lines one input selects, as they are found: counted, or printed.
struct Selected<'o> {
    o: &'o Options,
    /// The input's name, when lines carry it.
    name: Option<&'o str>,
    /// The number of the last line looked at.
    number: u64,
    /// How many lines were selected.
    count: u64,
}

impl Selected<'_> {
    /// Takes the selected lines of one block of whole lines.
    fn block(&mut self, matcher: &Matcher, block: &[u8], out: &mut dyn Write) -> io::Result<Stop> {
        let mut matches = matcher.search(block);
        let o = self.o;
        if o.count && !(o.invert || o.number || o.quiet || o.files_only) {
            // Only counted: nothing else to know about a line.
            self.count += matches.count() as u64;
            return Ok(Stop::No);
        }
        let mut at = 0;
        loop {
            let next = matches.next();
            let gap = &block[at..next.as_ref().map_or(block.len(), |line| line.start)];
            if self.o.invert {
                for line in super::lines::split(gap) {
                    self.number += 1;
                    let stop = self.take(line, out)?;
                    if stop != Stop::No {
                        return Ok(stop);
                    }
                }
            } else if self.o.number {
                self.number += super::lines::count_lines(gap);
            }
            let Some(line) = next else {
                return Ok(Stop::No);
            };
            self.number += 1;
            at = (line.end + 1).min(block.len());
            if !self.o.invert {
                let stop = self.take(&block[line], out)?;
                if stop != Stop::No {
                    return Ok(stop);
                }
            }
        }
    }

    /// Takes one selected line (without its `\n`).
    fn take(&mut self, line: &[u8], out: &mut dyn Write) -> io::Result<Stop> {
        self.count += 1;
        if self.o.quiet {
            return Ok(Stop::All);
        } else if self.o.files_only {
            return Ok(Stop::Input);
        } else if !self.o.count {
            self.prefix(out)?;
            if self.o.number {
                write!(out, "{}:", self.number)?;
            }
            out.write_all(line)?;
            out.write_all(b"\n")?;
        }
        Ok(Stop::No)
    }

    /// `name:` before a line or a count, when lines carry the input's name.
    fn prefix(&self, out: &mut dyn Write) -> io::Result<()> {
        match self.name {
            Some(name) => write!(out, "{name}:"),
            None => Ok(()),
        }
    }
}

/// The one plain string the patterns come to, if they do: then a substring search finds the
/// lines, and no regex runs.
fn literal(o: &Options) -> Option<&str> {
    const SPECIAL: &[char] = &[
        '\\', '.', '[', ']', '*', '^', '$', '+', '?', '(', ')', '{', '}', '|',
    ];
    let [pattern] = &o.patterns[..] else {
        return None;
    };
    let plain = o.fixed || !pattern.contains(SPECIAL);
    let simple = !(o.ignore_case || o.whole_line || o.whole_word || pattern.contains('\n'));
    (plain && simple).then_some(pattern.as_str())
}

/// One regex for all the patterns (each `-e`, and each line of a pattern, is an alternative).
fn build(o: &Options) -> Result<Regex, regex::Error> {
    let alternatives: Vec<String> = o
        .patterns
        .iter()
        .flat_map(|p| p.split('\n'))
        .map(|p| match (o.fixed, o.extended) {
            (true, _) => regex::escape(p),
            (false, extended) => translate(p, !extended),
        })
        .map(|p| format!("(?:{p})"))
        .collect();
    let any = alternatives.join("|");
    let pattern = if o.whole_line {
        format!("^(?:{any})$")
    } else if o.whole_word {
        // Like GNU: the match must be preceded and followed by a non-word character or an end.
        // `[^\w\n]` is `\W` on a line; in a block it keeps the match inside the line.
        format!(r"(?:^|[^\w\n])(?:{any})(?:[^\w\n]|$)")
    } else {
        any
    };
    // Multi-line: `^` and `$` match at every line's ends, so a block of lines is searched
    // at once (see `search`); on one line alone it is the same.
    RegexBuilder::new(&pattern)
        .case_insensitive(o.ignore_case)
        .multi_line(true)
        .build()
}

/// A POSIX regular expression (basic when `basic`, else extended) in `regex` crate syntax.
///
/// Basic: `\( \) \{ \} \| \+ \?` are the operators and the bare characters are literal, as
/// are `^` and `$` away from the ends. Both: bracket expressions keep their POSIX meaning (`\`
/// and `[` literal inside, `]` first is a member) and a `*` with nothing to repeat is literal.
fn translate(pattern: &str, basic: bool) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    // True where an expression starts: the beginning, after a group opens, after `|`.
    let mut at_start = true;
    while let Some(c) = chars.next() {
        let was_start = std::mem::replace(&mut at_start, false);
        match c {
            '\\' => match chars.next() {
                Some(op @ ('(' | ')' | '{' | '}' | '|' | '+' | '?')) if basic => {
                    out.push(op);
                    at_start = matches!(op, '(' | '|');
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '(' | ')' | '{' | '}' | '|' | '+' | '?' if basic => {
                out.push('\\');
                out.push(c);
            }
            '(' | '|' => {
                out.push(c);
                at_start = true;
            }
            '*' if was_start => out.push_str(r"\*"),
            '^' if basic && !was_start => out.push_str(r"\^"),
            '$' if basic && !ends_expression(&chars) => out.push_str(r"\$"),
            '[' => bracket(&mut chars, &mut out),
            _ => {
                out.push(c);
                at_start = c == '^';
            }
        }
    }
    out
}

/// Whether a basic expression ends here (at the end, `\)` or `\|`): a `$` is then an anchor.
fn ends_expression(rest: &Peekable<Chars<'_>>) -> bool {
    let mut ahead = rest.clone();
    matches!(
        (ahead.next(), ahead.next()),
        (None, _) | (Some('\\'), Some(')' | '|'))
    )
}

/// Copies a POSIX bracket expression after its `[`, escaping what the `regex` crate would read
/// as its own syntax (escapes, nested classes, set operators).
fn bracket(chars: &mut Peekable<Chars<'_>>, out: &mut String) {
    out.push('[');
    if chars.next_if_eq(&'^').is_some() {
        out.push('^');
    }
    if chars.next_if_eq(&']').is_some() {
        out.push_str(r"\]");
    }
    while let Some(c) = chars.next() {
        match c {
            ']' => {
                out.push(']');
                return;
            }
            '[' if chars.peek() == Some(&':') => {
                // A class name such as [:alpha:], which both syntaxes share.
                out.push('[');
                for n in chars.by_ref() {
                    out.push(n);
                    if n == ']' {
                        break;
                    }
                }
            }
            '[' | '\\' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // Unterminated: left for the regex crate to report.
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_gone, run_in, shell_with};
    use super::*;

    const TEXT: &str = "apple pie\nBanana split\ncherry\napple\n";

    /// Output and status of `grep args` on `stdin`.
    fn grep(args: &[&str], stdin: &str) -> (String, String) {
        let r = run(&GREP, args, stdin.as_bytes());
        (r.out(), r.status())
    }

    fn ok(out: &str) -> (String, String) {
        (out.to_string(), String::new())
    }

    #[test]
    fn selects_matching_lines() {
        assert_eq!(grep(&["apple"], TEXT), ok("apple pie\napple\n"));
        assert_eq!(grep(&["zebra"], TEXT), (String::new(), "1".into()));
        assert_eq!(grep(&["x"], ""), (String::new(), "1".into()));
        assert_eq!(grep(&["", "-"], "a\n\nb"), ok("a\n\nb\n"));
    }

    #[test]
    fn flags_that_select() {
        assert_eq!(grep(&["-v", "apple"], TEXT), ok("Banana split\ncherry\n"));
        assert_eq!(grep(&["-i", "banana"], TEXT), ok("Banana split\n"));
        assert_eq!(grep(&["-x", "apple"], TEXT), ok("apple\n"));
        assert_eq!(
            grep(&["-w", "pie"], "pie\npiece\napple pie.\n_pie\n"),
            ok("pie\napple pie.\n")
        );
        assert_eq!(
            grep(&["-e", "cherry", "-e", "split"], TEXT),
            ok("Banana split\ncherry\n")
        );
        assert_eq!(grep(&["cherry\nsplit"], TEXT), ok("Banana split\ncherry\n"));
        assert_eq!(grep(&["-F", "a.b"], "a.b\naxb\n"), ok("a.b\n"));
        assert_eq!(
            grep(&["-vx", "-e", "cherry", "-e", "apple"], TEXT),
            ok("apple pie\nBanana split\n")
        );
    }

    #[test]
    fn flags_that_shape_output() {
        assert_eq!(grep(&["-n", "apple"], TEXT), ok("1:apple pie\n4:apple\n"));
        assert_eq!(grep(&["-c", "apple"], TEXT), ok("2\n"));
        assert_eq!(grep(&["-c", "zebra"], TEXT), ("0\n".into(), "1".into()));
        assert_eq!(grep(&["-l", "apple"], TEXT), ok("(standard input)\n"));
        assert_eq!(grep(&["-q", "apple"], TEXT), ok(""));
        assert_eq!(grep(&["-q", "zebra"], TEXT), (String::new(), "1".into()));
        assert_eq!(
            grep(&["-H", "-n", "cherry"], TEXT),
            ok("(standard input):3:cherry\n")
        );
        assert_eq!(grep(&["-Hc", "cherry"], TEXT), ok("(standard input):1\n"));
    }

    #[test]
    fn basic_and_extended_syntax() {
        assert_eq!(
            grep(&["cherry\\|split"], TEXT),
            ok("Banana split\ncherry\n")
        );
        assert_eq!(grep(&["a|b"], "a|b\na\n"), ok("a|b\n"));
        assert_eq!(grep(&["-E", "a|b"], "a|b\nc\n"), ok("a|b\n"));
        assert_eq!(grep(&["x\\{2\\}"], "x\nxx\n"), ok("xx\n"));
        assert_eq!(grep(&["-E", "^(ab)+$"], "abab\naba\n"), ok("abab\n"));
        assert_eq!(grep(&["a+"], "a+\naa\n"), ok("a+\n"));
        assert_eq!(grep(&["*a"], "*a\na\n"), ok("*a\n"));
        assert_eq!(grep(&["a^b$c"], "a^b$c\n"), ok("a^b$c\n"));
        assert_eq!(grep(&["[]x]"], "]\ny\n"), ok("]\n"));
        assert_eq!(grep(&["[[:digit:]\\]"], "a\\\n7\nz\n"), ok("a\\\n7\n"));
        assert_eq!(grep(&["\\<pie\\>"], "pie\npiece\n"), ok("pie\n"));
    }

    #[test]
    fn translation() {
        assert_eq!(translate(r"\(a\|b\)*c+$", true), r"(a|b)*c\+$");
        assert_eq!(translate(r"(a|b)$x", false), r"(a|b)$x");
        assert_eq!(translate(r"[^a\[]", true), r"[^a\\\[]");
    }

    #[test]
    fn non_utf8_and_unterminated_lines() {
        let r = run(&GREP, &["b"], b"\xff\xfeb\nnope\nlast b");
        assert_eq!(r.out, b"\xff\xfeb\nlast b\n");
        assert_eq!(r.status(), "");
    }

    #[test]
    fn errors() {
        let (_, status) = grep(&["a\\(b"], "");
        assert!(status.starts_with("error: grep: bad pattern:"), "{status}");
        assert!(grep(&["\\(a\\)\\1"], "").1.contains("bad pattern"));
        assert!(grep(&[], "").1.contains("missing pattern"));
        assert!(grep(&["-z", "a"], "").1.contains("unknown flag -z"));
        assert!(grep(&["-e"], "").1.contains("needs a value"));
    }

    #[test]
    fn files() {
        let mut shell = shell_with(&[("/a", "one\ntwo\n"), ("/b", "two\nthree\n")]);
        let mut grep_in = |args: &[&str]| {
            let r = run_in(&mut shell, &GREP, args, b"");
            (r.out(), r.status(), r.err)
        };
        assert_eq!(grep_in(&["two", "/a", "/b"]).0, "/a:two\n/b:two\n");
        assert_eq!(grep_in(&["-h", "two", "/a", "/b"]).0, "two\ntwo\n");
        assert_eq!(grep_in(&["-n", "three", "/a", "/b"]).0, "/b:2:three\n");
        assert_eq!(grep_in(&["-c", "o", "/a", "/b"]).0, "/a:2\n/b:1\n");
        assert_eq!(grep_in(&["-l", "t", "/a", "/b"]).0, "/a\n/b\n");
        assert_eq!(grep_in(&["one", "/a"]).0, "one\n");
        let (out, status, err) = grep_in(&["one", "/nope", "/a"]);
        assert_eq!((out.as_str(), status.as_str()), ("/a:one\n", "2"));
        assert!(err.starts_with("grep: /nope"), "{err}");
        let (_, status, err) = grep_in(&["-s", "one", "/nope", "/a"]);
        assert_eq!((status.as_str(), err.as_str()), ("2", ""));
        assert_eq!(grep_in(&["-q", "one", "/nope", "/a"]).1, "");
        assert_eq!(grep_in(&["-s", "one", "/nope"]).1, "2");
        assert!(
            grep_in(&["one", "/nope"])
                .1
                .starts_with("error: grep: /nope")
        );
    }

    #[test]
    fn lines_cut_by_the_input_buffer_match_as_whole_lines() {
        // Over 64 KiB, so blocks end inside lines; each expected figure by a plain count.
        let lines: Vec<String> = (0..40_000).map(|i| format!("row {i} of many")).collect();
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let with = |needle: &str| lines.iter().filter(|l| l.contains(needle)).count();
        let count = |args: &[&str]| grep(args, &text).0;
        assert_eq!(count(&["-c", "7"]), format!("{}\n", with("7")));
        assert_eq!(count(&["-c", "77"]), format!("{}\n", with("77")));
        assert_eq!(
            count(&["-vc", "7"]),
            format!("{}\n", lines.len() - with("7"))
        );
        assert_eq!(count(&["-c", "^row 3.*9 of"]), {
            let n = lines
                .iter()
                .filter(|l| l.starts_with("row 3") && l.contains("9 of"));
            format!("{}\n", n.count())
        });
        let numbered = count(&["-n", "-x", "row 3999 .*"]);
        assert_eq!(numbered, "4000:row 3999 of many\n");
        let last = count(&["-n", "row 39999 "]);
        assert_eq!(last, "40000:row 39999 of many\n");
    }

    #[test]
    fn a_gone_reader_is_success() {
        assert_eq!(
            run_gone(&GREP, &["a"], TEXT.as_bytes())
                .map(|s| s.is_ok())
                .ok(),
            Some(true)
        );
    }
}
