//! Word expansion: a [`Word`] becomes a list of strings.
//!
//! rc's rules, each in one place: variables are never re-split; `^` pairs lists element by
//! element or distributes a single element, and is an error for one empty list (two make
//! the empty list) or for two lists of different lengths; `` `{cmd} `` splits its output
//! on `$ifs`; globbing happens after concatenation, and only on characters typed unquoted;
//! `$$x` names a variable by the value of another.
//!
//! Expansion is held to the shell's budgets (see [`super::budget`]). A list that becomes a
//! value (an assignment, a `for` list) is built straight into a compact [`WordList`]
//! ([`Shell::expand_list`]) and stops growing at the `var` budget; words expanded one string
//! each (arguments, patterns, concatenations) are counted with their bookkeeping,
//! [`EXPANDED_WORD_COST`] bytes a word, against the `buffer` budget before they are made.

use super::budget::Budget;
use super::error::{Located, ShellError};
use super::glob::{self, Value};
use super::shell::Shell;
use crate::lang::Span;
use crate::lang::ast::{VarForm, Word};
use crate::proc::io::Io;
use crate::wordlist::WordList;

/// What one word costs while it is expanded besides its text: a string's header and
/// allocation, and its span or pattern marks. Counted so that `echo $x`, with ten million
/// words in `x`, meets the `buffer` budget instead of taking gigabytes.
pub const EXPANDED_WORD_COST: u64 = 64;

/// An expanded argument and the word it came from (for error labels).
#[derive(Clone, Debug)]
pub struct Arg {
    pub text: String,
    pub span: Span,
}

impl Shell {
    /// Expands words into arguments, globbing over the namespace.
    pub fn expand_args(&mut self, words: &[Word], io: &Io) -> Result<Vec<Arg>, Located> {
        let mut out = Vec::with_capacity(words.len());
        let mut bytes = 0;
        for w in words {
            let span = w.span();
            if let Word::Var {
                name, index: None, ..
            } = w
            {
                // The common `$x`, straight from the variable: its words are never patterns.
                let value = self.proc.vars.get(name).unwrap_or_default();
                bytes += value.text_len();
                self.check_expansion(out.len() + value.len(), bytes, span)?;
                out.extend(value.iter().map(|text| Arg {
                    text: text.to_string(),
                    span,
                }));
                continue;
            }
            for v in self.expand_word(w, io)? {
                if v.active.is_some() && v.is_pattern() {
                    for text in glob::expand(&self.proc.ns, &self.proc.cwd, &v) {
                        bytes += text.len();
                        out.push(Arg { text, span });
                    }
                } else {
                    bytes += v.text.len();
                    out.push(Arg { text: v.text, span });
                }
            }
            self.check_expansion(out.len(), bytes, span)?;
        }
        Ok(out)
    }

    /// Refuses to hold `count` expanded words of `bytes` bytes when they would cost more
    /// than the `buffer` budget: the command tree stops, pointing at `span`.
    fn check_expansion(&self, count: usize, bytes: usize, span: Span) -> Result<(), Located> {
        let cost = (count as u64)
            .saturating_mul(EXPANDED_WORD_COST)
            .saturating_add(bytes as u64);
        self.engines
            .budgets
            .check(Budget::Buffer, cost, || {
                format!("this expands to {count} words ({bytes} bytes), too many to hold")
            })
            .map_err(|e| self.stop(self.located(e.into(), span, "this word")))
    }

    /// Expands words into one list (globbed), as an assignment or a `for` list takes them;
    /// `None` when it would hold more than `limit` bytes (`WordList::size`), where it
    /// stops growing. The common shapes (a `` `{cmd} ``, a variable, a quoted word) go
    /// straight into the list; anything else through [`Shell::expand_word`] and globbing,
    /// as arguments do.
    pub fn expand_list(
        &mut self,
        words: &[Word],
        io: &Io,
        limit: u64,
    ) -> Result<Option<WordList>, Located> {
        let mut list = self.proc.vars.take_spare();
        for word in words {
            if !self.expand_into(word, io, &mut list, limit)? {
                return Ok(None);
            }
        }
        Ok(Some(list))
    }

    /// Appends what `word` expands to; false once `list` is over `limit`.
    fn expand_into(
        &mut self,
        word: &Word,
        io: &Io,
        list: &mut WordList,
        limit: u64,
    ) -> Result<bool, Located> {
        let fits = |list: &WordList| list.size() as u64 <= limit;
        match word {
            Word::CmdSub { body, span } => {
                let out = self.capture(body, *span, io)?;
                let text = output_text(&out);
                if list.is_empty() {
                    // The words are at most the output's bytes: one allocation for the text.
                    *list = WordList::with_capacity(text.len(), 0);
                }
                for word in split_ifs(&text, &self.ifs()) {
                    list.push(word);
                    if !fits(list) {
                        return Ok(false);
                    }
                }
                list.shrink_to_fit();
            }
            Word::Var {
                name, index: None, ..
            } => {
                let value = self.proc.vars.get(name).unwrap_or_default();
                let more = value.text_len() + value.len() * size_of::<usize>();
                if (list.size() + more) as u64 > limit {
                    return Ok(false);
                }
                list.extend_words(value);
            }
            Word::Lit {
                text, quoted: true, ..
            } => list.push(text),
            Word::List { items, .. } => {
                for item in items {
                    if !self.expand_into(item, io, list, limit)? {
                        return Ok(false);
                    }
                }
            }
            other => {
                for v in self.expand_word(other, io)? {
                    if v.active.is_some() && v.is_pattern() {
                        for path in glob::expand(&self.proc.ns, &self.proc.cwd, &v) {
                            list.push(&path);
                        }
                    } else {
                        list.push(&v.text);
                    }
                    if !fits(list) {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(fits(list))
    }

    /// `$ifs` as one string of separator characters.
    fn ifs(&self) -> String {
        self.proc
            .vars
            .get("ifs")
            .map(|v| v.join(""))
            .unwrap_or_else(|| " \t\n".into())
    }

    /// Expands words into strings (globbed), without spans.
    pub fn expand_strings(&mut self, words: &[Word], io: &Io) -> Result<Vec<String>, Located> {
        Ok(self
            .expand_args(words, io)?
            .into_iter()
            .map(|a| a.text)
            .collect())
    }

    /// Expands one word into values that still know which characters are patterns.
    pub fn expand_word(&mut self, word: &Word, io: &Io) -> Result<Vec<Value>, Located> {
        match word {
            Word::Lit {
                text, quoted: true, ..
            } => Ok(vec![Value::literal(text.clone())]),
            Word::Lit {
                text,
                quoted: false,
                ..
            } => Ok(vec![Value::unquoted(text)]),
            Word::Var {
                name,
                index: None,
                span,
            } => {
                let value = self.proc.vars.get(name).unwrap_or_default();
                self.check_expansion(value.len(), value.text_len(), *span)?;
                Ok(value.iter().map(Value::literal).collect())
            }
            Word::Var {
                name,
                index: Some(subs),
                span,
            } => self.subscripted(name, subs, *span, io),
            Word::Count { name, .. } => Ok(vec![self.count(name)]),
            Word::Join { name, .. } => Ok(vec![self.joined(name)]),
            Word::Indirect {
                form,
                name,
                index,
                span,
            } => {
                let name = self.indirect_name(name, *span, io)?;
                match (form, index) {
                    (VarForm::Value, Some(subs)) => self.subscripted(&name, subs, *span, io),
                    (VarForm::Value, None) => {
                        let value = self.proc.vars.get(&name).unwrap_or_default();
                        self.check_expansion(value.len(), value.text_len(), *span)?;
                        Ok(value.iter().map(Value::literal).collect())
                    }
                    (VarForm::Count, _) => Ok(vec![self.count(&name)]),
                    (VarForm::Join, _) => Ok(vec![self.joined(&name)]),
                }
            }
            Word::List { items, span } => {
                let mut out = Vec::new();
                let mut bytes = 0;
                for item in items {
                    let more = self.expand_word(item, io)?;
                    bytes += more.iter().map(|v| v.text.len()).sum::<usize>();
                    out.extend(more);
                    self.check_expansion(out.len(), bytes, *span)?;
                }
                Ok(out)
            }
            Word::Concat { left, right, span } => {
                let l = self.expand_word(left, io)?;
                let r = self.expand_word(right, io)?;
                let (count, bytes) = concat_size(&l, &r);
                self.check_expansion(count, bytes, *span)?;
                concat(&l, &r).map_err(|e| {
                    let error = ShellError::runtime(e.to_string());
                    self.located(error, *span, "in this concatenation")
                })
            }
            Word::CmdSub { body, span } => {
                let out = self.capture(body, *span, io)?;
                let text = output_text(&out);
                let ifs = self.ifs();
                let count = split_ifs(&text, &ifs).count();
                self.check_expansion(count, text.len(), *span)?;
                Ok(split_ifs(&text, &ifs).map(Value::literal).collect())
            }
            Word::ProcSub { body, span } => {
                // rc runs `<{cmd}` alongside: it does not change $status.
                let saved_status = self.proc.vars.get("status").map(|w| w.to_list());
                let out = self.capture(body, *span, io)?;
                if let Some(s) = saved_status {
                    self.proc.vars.set("status", s);
                }
                let path = self
                    .temp_file(&out)
                    .map_err(|e| self.located(e, *span, "while making this file"))?;
                Ok(vec![Value::literal(path)])
            }
        }
    }

    /// `$name(subs)`: the elements the subscripts pick, in the subscripts' order.
    fn subscripted(
        &mut self,
        name: &str,
        subs: &[Word],
        span: Span,
        io: &Io,
    ) -> Result<Vec<Value>, Located> {
        let subs = self.expand_strings(subs, io)?;
        let values = self.proc.vars.get(name).unwrap_or_default();
        let mut ranges = Vec::with_capacity(subs.len());
        for sub in subs {
            let (lo, hi) = subscript(&sub, values.len()).ok_or_else(|| {
                self.located(
                    ShellError::runtime(format!("bad subscript `{sub}`")),
                    span,
                    "in this subscript",
                )
            })?;
            ranges.push(values.range(lo.saturating_sub(1), hi));
        }
        let count = ranges.iter().map(|r| r.len()).sum();
        let bytes = ranges.iter().map(|r| r.text_len()).sum();
        self.check_expansion(count, bytes, span)?;
        Ok(ranges
            .iter()
            .flat_map(|r| r.iter().map(Value::literal))
            .collect())
    }

    /// `$#name`: how many elements it has (0 when unset).
    fn count(&self, name: &str) -> Value {
        Value::literal(self.proc.vars.get(name).map_or(0, |v| v.len()).to_string())
    }

    /// `$"name`: its elements joined with spaces.
    fn joined(&self, name: &str) -> Value {
        Value::literal(self.proc.vars.get(name).unwrap_or_default().join(" "))
    }

    /// The name an indirection (`$$x`, `$'x'`) refers to: the value of `word`, which must
    /// be exactly one string (rc: "variable name not singleton!").
    fn indirect_name(&mut self, word: &Word, span: Span, io: &Io) -> Result<String, Located> {
        let mut values = self.expand_word(word, io)?;
        if values.len() == 1
            && let Some(value) = values.pop()
        {
            return Ok(value.text);
        }
        let error = ShellError::runtime(match values.len() {
            0 => "a variable name must be one word, not the empty list".to_string(),
            n => format!("a variable name must be one word, not a list of {n}"),
        });
        Err(self.located(error, span, "this names the variable"))
    }
}

/// Splits command output on any character of `ifs`, dropping empty fields.
fn split_ifs<'t>(text: &'t str, ifs: &str) -> Box<dyn Iterator<Item = &'t str> + 't> {
    if !ifs.is_ascii() {
        let ifs = ifs.to_string();
        return Box::new(
            text.split(move |c: char| ifs.contains(c))
                .filter(|s| !s.is_empty()),
        );
    }
    // ASCII separators (the usual case) are found by a byte table, without decoding
    // characters: output can be large, and this was most of a `for (i in `{seq 1 20000})`
    // loop's time. A byte below 128 is never inside a multi-byte character, so the cuts
    // fall on character boundaries.
    let mut separator = [false; 256];
    for b in ifs.bytes() {
        separator[b as usize] = true;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    Box::new(std::iter::from_fn(move || {
        while at < bytes.len() && separator[bytes[at] as usize] {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !separator[bytes[at] as usize] {
            at += 1;
        }
        text.get(start..at).filter(|word| !word.is_empty())
    }))
}

/// Command output as text: as it is when it is UTF-8 (checked far faster than a lossy
/// decoding walks it), else with U+FFFD for each invalid sequence.
fn output_text(out: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(out) {
        Ok(text) => text.into(),
        Err(_) => String::from_utf8_lossy(out),
    }
}

/// Why rc's `^` cannot join two lists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConcatError {
    /// One side is the empty list.
    #[error("null list in concatenation")]
    NullList,
    /// Both sides have more than one element, and not the same number.
    #[error("mismatched list lengths in concatenation ({left} and {right})")]
    Mismatched {
        /// How many elements the left side has.
        left: usize,
        /// How many elements the right side has.
        right: usize,
    },
}

/// rc's `^`: pairwise, or distributing a single element; errors for one empty list or
/// mismatched lists. Two empty lists make the empty list (rc: `$x^$y` with both unset).
pub fn concat(l: &[Value], r: &[Value]) -> Result<Vec<Value>, ConcatError> {
    if l.is_empty() && r.is_empty() {
        return Ok(Vec::new());
    }
    if l.is_empty() || r.is_empty() {
        return Err(ConcatError::NullList);
    }
    if l.len() == 1 {
        return Ok(r.iter().map(|b| l[0].concat(b)).collect());
    }
    if r.len() == 1 {
        return Ok(l.iter().map(|a| a.concat(&r[0])).collect());
    }
    if l.len() != r.len() {
        return Err(ConcatError::Mismatched {
            left: l.len(),
            right: r.len(),
        });
    }
    Ok(l.iter().zip(r).map(|(a, b)| a.concat(b)).collect())
}

/// How many words `concat(l, r)` makes and about how many bytes they hold (each side's
/// bytes once per word it is pasted to), for the budget, before any is made.
fn concat_size(l: &[Value], r: &[Value]) -> (usize, usize) {
    let bytes = |side: &[Value]| side.iter().map(|v| v.text.len()).sum::<usize>();
    let count = l.len().max(r.len());
    let pasted = |one: &[Value], many: &[Value]| {
        one.first()
            .map_or(0, |v| v.text.len())
            .saturating_mul(many.len())
            .saturating_add(bytes(many))
    };
    let size = match (l.len(), r.len()) {
        (1, _) => pasted(l, r),
        (_, 1) => pasted(r, l),
        _ => bytes(l).saturating_add(bytes(r)),
    };
    (count, size)
}

/// A subscript `n`, `n-m` or `n-` as a 1-based inclusive range; `None` if malformed.
fn subscript(sub: &str, len: usize) -> Option<(usize, usize)> {
    let num = |s: &str| s.parse::<usize>().ok();
    match sub.split_once('-') {
        None => {
            let n = num(sub)?;
            Some((n.max(1), if n == 0 { 0 } else { n }))
        }
        // rc prints nothing for `$x(-1)`: an empty range, not an error.
        Some(("", _)) => Some((1, 0)),
        Some((a, "")) => Some((num(a)?.max(1), len)),
        Some((a, b)) => Some((num(a)?.max(1), num(b)?)),
    }
}

/// Here-document substitution: `$name` (then an optional `^` that is consumed), `$$` for `$`.
/// As in rc, a `$` followed by no name is dropped (`$#x` gives `#x`).
pub fn substitute_heredoc(shell: &Shell, body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => {
                chars.next();
                out.push('$');
            }
            Some(&n) if crate::lang::lexer::is_name_char(n) => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if !crate::lang::lexer::is_name_char(n) {
                        break;
                    }
                    name.push(n);
                    chars.next();
                }
                out.push_str(&shell.proc.vars.get(&name).unwrap_or_default().join(" "));
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(v: &[&str]) -> Vec<Value> {
        v.iter().map(|s| Value::literal(*s)).collect()
    }
    fn texts(v: Vec<Value>) -> Vec<String> {
        v.into_iter().map(|v| v.text).collect()
    }

    #[test]
    fn concat_rules() {
        assert_eq!(
            texts(concat(&vals(&["a", "b"]), &vals(&["1", "2"])).unwrap_or_default()),
            ["a1", "b2"]
        );
        assert_eq!(
            texts(concat(&vals(&["x"]), &vals(&["1", "2"])).unwrap_or_default()),
            ["x1", "x2"]
        );
        assert_eq!(
            concat(&vals(&[]), &vals(&["1"])).err(),
            Some(ConcatError::NullList)
        );
        assert_eq!(
            concat(&vals(&["1"]), &vals(&[])).err(),
            Some(ConcatError::NullList)
        );
        assert!(concat(&vals(&[]), &vals(&[])).is_ok_and(|v| v.is_empty()));
        assert_eq!(
            concat(&vals(&["a", "b"]), &vals(&["1", "2", "3"])).err(),
            Some(ConcatError::Mismatched { left: 2, right: 3 })
        );
    }

    #[test]
    fn heredoc_substitution() {
        let mut shell = Shell::new();
        shell.proc.vars.set("x", vec!["a".into(), "b".into()]);
        assert_eq!(
            substitute_heredoc(&shell, "[$x] $x^s $$x $#x $\n"),
            "[a b] a bs $x #x \n"
        );
    }

    #[test]
    fn backquote_sets_status_and_proc_sub_does_not() {
        let out = |s: &str| crate::harness::run_script("t", s).stdout;
        assert_eq!(
            out("x=`{false}; echo $status; true; x=`{true}; echo [$status]"),
            "1\n[]\n"
        );
        assert_eq!(out("false; x=<{true}; echo $status"), "1\n");
    }

    #[test]
    fn ifs_splitting() {
        let v: Vec<&str> = split_ifs("a  b\n\nc\t", " \t\n").collect();
        assert_eq!(v, ["a", "b", "c"]);
        let v: Vec<&str> = split_ifs("a:b::c", ":").collect();
        assert_eq!(v, ["a", "b", "c"]);
        let v: Vec<&str> = split_ifs("aébéc", "é").collect();
        assert_eq!(v, ["a", "b", "c"]);
    }

    #[test]
    fn subscripts() {
        assert_eq!(subscript("2", 3), Some((2, 2)));
        assert_eq!(subscript("2-", 3), Some((2, 3)));
        assert_eq!(subscript("1-2", 3), Some((1, 2)));
        assert_eq!(subscript("-1", 3), Some((1, 0)));
        assert_eq!(subscript("x", 3), None);
    }
}
