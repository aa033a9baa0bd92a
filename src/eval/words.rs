//! Word expansion: a [`Word`] becomes a list of strings.
//!
//! rc's rules, each in one place: variables are never re-split; `^` pairs lists element by
//! element or distributes a single element, and is an error for an empty list or for two
//! lists of different lengths; `` `{cmd} `` splits its output on `$ifs`; globbing happens
//! after concatenation, and only on characters typed unquoted.

use std::io::Write;

use super::error::{Located, ShellError};
use super::glob::{self, Value};
use super::io::{Buffer, Fd, Io};
use super::shell::Shell;
use crate::lang::Span;
use crate::lang::ast::{Body, Word};

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
                .unwrap_or(&[])
                .iter()
                .map(|s| Value::literal(s.clone()))
                .collect()),
            Word::Var {
                name,
                index: Some(subs),
                span,
            } => {
                let subs = self.expand_strings(subs, io)?;
                let values = self.vars.get(name).unwrap_or(&[]).to_vec();
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
                        out.push(Value::literal(v.clone()));
                    }
                }
                Ok(out)
            }
            Word::Count { name, .. } => Ok(vec![Value::literal(
                self.vars.get(name).map_or(0, |v| v.len()).to_string(),
            )]),
            Word::Join { name, .. } => Ok(vec![Value::literal(
                self.vars.get(name).unwrap_or(&[]).join(" "),
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
            Word::CmdSub { body, .. } => {
                let out = self.capture(body, io)?;
                let ifs = self
                    .vars
                    .get("ifs")
                    .map(|v| v.join(""))
                    .unwrap_or_else(|| " \t\n".into());
                Ok(split_ifs(&String::from_utf8_lossy(&out), &ifs)
                    .map(Value::literal)
                    .collect())
            }
            Word::ProcSub { body, span } => {
                // rc runs `<{cmd}` alongside: it does not change $status.
                let saved_status = self.vars.get("status").map(<[String]>::to_vec);
                let out = self.capture(body, io)?;
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

    /// Runs `body` with its standard output collected.
    pub fn capture(&mut self, body: &Body, io: &Io) -> Result<Vec<u8>, Located> {
        let buffer = Buffer::new();
        let mut sub_io = io.clone();
        sub_io.set(1, Fd::writer(buffer.clone()));
        // rc: `{cmd} leaves cmd's status in $status (so `x=`{cmd}` can be tested).
        self.run_body(body, &sub_io)?;
        let _ = sub_io.stdout().flush();
        Ok(buffer.take())
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
                out.push_str(&shell.vars.get(&name).unwrap_or(&[]).join(" "));
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
