//! Word expansion: a [`Word`] becomes a list of strings.
//!
//! rc's rules, each in one place: variables are never re-split; `^` pairs lists element by
//! element or distributes a single element, and is an error for an empty list or for two
//! lists of different lengths; `` `{cmd} `` splits its output on `$ifs`; globbing happens
//! after concatenation, and only on characters typed unquoted.
//!
//! A list that becomes a value (an assignment, a `for` list) is built straight into a
//! compact [`WordList`] ([`Shell::expand_list`]), never as one string per word first, and a
//! `` `{cmd} `` keeps at most the `buffer` budget of output (see [`super::budget`]): past
//! that its command is stopped as a pipe whose reader left, and so is the command tree.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::budget::{Budget, BudgetError, Budgets};
use super::error::{Located, ShellError};
use super::glob::{self, Value};
use super::io::{Fd, Io};
use super::shell::Shell;
use crate::lang::ast::{Body, Word};
use crate::lang::{SourceFile, Span};
use crate::wordlist::WordList;

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
        for w in words {
            let span = w.span();
            for v in self.expand_word(w, io)? {
                if v.active.is_some() && v.is_pattern() {
                    out.extend(
                        glob::expand(&self.ns, &self.cwd, &v)
                            .into_iter()
                            .map(|text| Arg { text, span }),
                    );
                } else {
                    out.push(Arg { text: v.text, span });
                }
            }
        }
        Ok(out)
    }

    /// Expands words into one list (globbed), as an assignment or a `for` list takes them.
    /// The common shapes (a `` `{cmd} ``, a variable, a quoted word) go straight into the
    /// list; anything else through [`Shell::expand_word`] and globbing, as arguments do.
    pub fn expand_list(&mut self, words: &[Word], io: &Io) -> Result<WordList, Located> {
        let mut list = WordList::new();
        for word in words {
            self.expand_into(word, io, &mut list)?;
        }
        Ok(list)
    }

    fn expand_into(&mut self, word: &Word, io: &Io, list: &mut WordList) -> Result<(), Located> {
        match word {
            Word::CmdSub { body, span } => {
                let out = self.capture(body, *span, io)?;
                let text = String::from_utf8_lossy(&out);
                if list.is_empty() {
                    // The words are at most the output's bytes: one allocation for the text.
                    *list = WordList::with_capacity(text.len(), 0);
                }
                for word in split_ifs(&text, &self.ifs()) {
                    list.push(word);
                }
                list.shrink_to_fit();
            }
            Word::Var {
                name, index: None, ..
            } => list.extend_words(self.vars.get(name).unwrap_or_default()),
            Word::Lit {
                text, quoted: true, ..
            } => list.push(text),
            Word::List { items, .. } => {
                for item in items {
                    self.expand_into(item, io, list)?;
                }
            }
            other => {
                for v in self.expand_word(other, io)? {
                    if v.active.is_some() && v.is_pattern() {
                        for path in glob::expand(&self.ns, &self.cwd, &v) {
                            list.push(&path);
                        }
                    } else {
                        list.push(&v.text);
                    }
                }
            }
        }
        Ok(())
    }

    /// `$ifs` as one string of separator characters.
    fn ifs(&self) -> String {
        self.vars
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
                name, index: None, ..
            } => Ok(self
                .vars
                .get(name)
                .unwrap_or_default()
                .iter()
                .map(Value::literal)
                .collect()),
            Word::Var {
                name,
                index: Some(subs),
                span,
            } => {
                let subs = self.expand_strings(subs, io)?;
                let values = self.vars.get(name).unwrap_or_default();
                let mut out = Vec::new();
                for sub in subs {
                    let (lo, hi) = subscript(&sub, values.len()).ok_or_else(|| {
                        self.located(
                            ShellError::runtime(format!("bad subscript `{sub}`")),
                            *span,
                            "in this subscript",
                        )
                    })?;
                    for v in values.iter().take(hi).skip(lo.saturating_sub(1)) {
                        out.push(Value::literal(v));
                    }
                }
                Ok(out)
            }
            Word::Count { name, .. } => Ok(vec![Value::literal(
                self.vars.get(name).map_or(0, |v| v.len()).to_string(),
            )]),
            Word::Join { name, .. } => Ok(vec![Value::literal(
                self.vars.get(name).unwrap_or_default().join(" "),
            )]),
            Word::List { items, .. } => {
                let mut out = Vec::new();
                for item in items {
                    out.extend(self.expand_word(item, io)?);
                }
                Ok(out)
            }
            Word::Concat { left, right, span } => {
                let l = self.expand_word(left, io)?;
                let r = self.expand_word(right, io)?;
                concat(&l, &r).map_err(|m| {
                    self.located(ShellError::runtime(m), *span, "in this concatenation")
                })
            }
            Word::CmdSub { body, span } => {
                let out = self.capture(body, *span, io)?;
                Ok(split_ifs(&String::from_utf8_lossy(&out), &self.ifs())
                    .map(Value::literal)
                    .collect())
            }
            Word::ProcSub { body, span } => {
                // rc runs `<{cmd}` alongside: it does not change $status.
                let saved_status = self.vars.get("status").map(|w| w.to_list());
                let out = self.capture(body, *span, io)?;
                if let Some(s) = saved_status {
                    self.vars.set("status", s);
                }
                let path = self
                    .temp_file(&out)
                    .map_err(|e| self.located(e, *span, "while making this file"))?;
                Ok(vec![Value::literal(path)])
            }
        }
    }

    /// Runs `body` with its standard output collected, at most the `buffer` budget of it.
    /// Past that the command tree stops with a diagnostic at `span` (the substitution).
    pub fn capture(&mut self, body: &Body, span: Span, io: &Io) -> Result<Vec<u8>, Located> {
        let capture = Capture {
            bytes: Arc::default(),
            limit: self.budgets.get(Budget::Buffer),
            over: Arc::default(),
            budgets: Arc::clone(&self.budgets),
            place: Arc::new((self.file.clone(), span)),
        };
        let mut sub_io = io.clone();
        sub_io.set(1, Fd::writer(capture.clone()));
        // rc: `{cmd} leaves cmd's status in $status (so `x=`{cmd}` can be tested).
        let ran = self.run_body(body, &sub_io);
        let _ = sub_io.stdout().flush();
        drop(sub_io);
        if capture.over.load(Ordering::Acquire) {
            return Err(Located::bare(ShellError::Interrupted));
        }
        ran?;
        let mut bytes = capture.bytes.lock().unwrap_or_else(|e| e.into_inner());
        Ok(std::mem::take(&mut *bytes))
    }
}

/// The standard output of a `` `{cmd} ``: a shared buffer that takes at most `limit` bytes.
/// A write past that fails as a pipe whose reader left (so `cat /dev/zero` stops, as it
/// would on SIGPIPE) and stops the command tree with the `buffer` budget's diagnostic.
#[derive(Clone)]
struct Capture {
    bytes: Arc<Mutex<Vec<u8>>>,
    limit: u64,
    over: Arc<AtomicBool>,
    budgets: Arc<Budgets>,
    /// Where the substitution is, for the diagnostic.
    place: Arc<(Arc<SourceFile>, Span)>,
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        let total = bytes.len() as u64 + buf.len() as u64;
        if self.over.load(Ordering::Acquire) || total > self.limit {
            drop(bytes);
            if !self.over.swap(true, Ordering::AcqRel) {
                let error = BudgetError {
                    budget: Budget::Buffer,
                    limit: self.limit,
                    what: "the output of `{...}` is too long".into(),
                };
                let (file, span) = &*self.place;
                self.budgets.stop(Located::at(
                    ShellError::Budget(error),
                    file.clone(),
                    *span,
                    "this substitution",
                ));
            }
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Splits command output on any character of `ifs`, dropping empty fields.
fn split_ifs<'t>(text: &'t str, ifs: &str) -> impl Iterator<Item = &'t str> {
    // A table for ASCII separators (the usual case): output can be large, and a substring
    // search per character was most of a `for (i in `{seq 1 20000})` loop's time.
    let mut table = [false; 128];
    let ascii = ifs.is_ascii();
    if ascii {
        for b in ifs.bytes() {
            table[b as usize] = true;
        }
    }
    let ifs = ifs.to_string();
    text.split(move |c: char| {
        if ascii {
            (c as u32) < 128 && table[c as usize]
        } else {
            ifs.contains(c)
        }
    })
    .filter(|s| !s.is_empty())
}

/// rc's `^`: pairwise, or distributing a single element; errors for empty or mismatched lists.
pub fn concat(l: &[Value], r: &[Value]) -> Result<Vec<Value>, String> {
    if l.is_empty() || r.is_empty() {
        return Err("null list in concatenation".into());
    }
    if l.len() == 1 {
        return Ok(r.iter().map(|b| l[0].concat(b)).collect());
    }
    if r.len() == 1 {
        return Ok(l.iter().map(|a| a.concat(&r[0])).collect());
    }
    if l.len() != r.len() {
        return Err(format!(
            "mismatched list lengths in concatenation ({} and {})",
            l.len(),
            r.len()
        ));
    }
    Ok(l.iter().zip(r).map(|(a, b)| a.concat(b)).collect())
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
                out.push_str(&shell.vars.get(&name).unwrap_or_default().join(" "));
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
        assert!(concat(&vals(&[]), &vals(&["1"])).is_err());
        assert!(concat(&vals(&["a", "b"]), &vals(&["1", "2", "3"])).is_err());
    }

    #[test]
    fn heredoc_substitution() {
        let mut shell = Shell::new();
        shell.vars.set("x", vec!["a".into(), "b".into()]);
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
