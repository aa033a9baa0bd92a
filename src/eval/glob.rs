//! rc patterns: `*`, `?`, `[chars]`, `[a-z]`, `[~chars]`, and globbing over the namespace.
//!
//! A pattern character is active only if it was typed unquoted in the source; text from a
//! variable's value or a quote is always literal. [`Value`] carries that per-character mark
//! through concatenation, so `x='*'; echo $x` prints `*` while `echo *` lists the directory.
//! Globbing reads directories through the namespace only, never the host.

use crate::ns::{FileKind, Namespace, path};

/// One word during expansion: its text, and which of its characters are active pattern
/// characters (`None` when none are, the common case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub active: Option<Vec<bool>>,
}

impl Value {
    pub fn literal(text: impl Into<String>) -> Value {
        Value {
            text: text.into(),
            active: None,
        }
    }
    /// Unquoted source text: `*`, `?` and `[` are active.
    pub fn unquoted(text: &str) -> Value {
        if text.contains(['*', '?', '[']) {
            let active = text
                .chars()
                .map(|c| matches!(c, '*' | '?' | '[' | ']' | '-' | '~'))
                .collect();
            Value {
                text: text.to_string(),
                active: Some(active),
            }
        } else {
            Value::literal(text)
        }
    }
    pub fn concat(&self, other: &Value) -> Value {
        let mut text = String::with_capacity(self.text.len() + other.text.len());
        text.push_str(&self.text);
        text.push_str(&other.text);
        let active = match (&self.active, &other.active) {
            (None, None) => None,
            (a, b) => {
                let mut v = a
                    .clone()
                    .unwrap_or_else(|| vec![false; self.text.chars().count()]);
                v.extend(
                    b.clone()
                        .unwrap_or_else(|| vec![false; other.text.chars().count()]),
                );
                Some(v)
            }
        };
        Value { text, active }
    }
    pub fn is_pattern(&self) -> bool {
        self.active.as_ref().is_some_and(|a| {
            a.iter()
                .zip(self.text.chars())
                .any(|(on, c)| *on && matches!(c, '*' | '?' | '['))
        })
    }
    fn chars(&self) -> Vec<(char, bool)> {
        match &self.active {
            None => self.text.chars().map(|c| (c, false)).collect(),
            Some(a) => self.text.chars().zip(a.iter().copied()).collect(),
        }
    }
}

/// Does `subject` match the pattern `pat`? (`~` and `switch`: `*` also matches `/`.)
pub fn matches(pat: &Value, subject: &str) -> bool {
    let p = pat.chars();
    let s: Vec<char> = subject.chars().collect();
    match_at(&p, &s)
}

fn match_at(p: &[(char, bool)], s: &[char]) -> bool {
    // Iterative matcher with single-star backtracking: linear in practice, no recursion depth.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                ('*', true) => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                ('?', true) => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                ('[', true) => {
                    if let Some((ok, next)) = class(p, pi, s[si]) {
                        if ok {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == '[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                (c, _) if c == s[si] => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&(c, on)| c == '*' && on)
}

/// A `[...]` class starting at `p[start]`: whether `c` is in it, and the index after `]`.
/// `None` if the class is not closed (then `[` is literal).
fn class(p: &[(char, bool)], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some(('~', true)));
    if negate {
        i += 1;
    }
    let mut found = false;
    let mut first = true;
    while i < p.len() {
        let (ch, _) = p[i];
        if ch == ']' && !first {
            return Some((found != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1].0 == '-' && p[i + 2].0 != ']' {
            let (lo, hi) = (ch, p[i + 2].0);
            if lo <= c && c <= hi {
                found = true;
            }
            i += 3;
        } else {
            if ch == c {
                found = true;
            }
            i += 1;
        }
    }
    None
}

/// Expands a pattern word against the namespace, relative to `cwd`. Sorted matches, or the
/// word itself unchanged when nothing matches (rc's rule).
pub fn expand(ns: &Namespace, cwd: &str, word: &Value) -> Vec<String> {
    if !word.is_pattern() {
        return vec![word.text.clone()];
    }
    let chars = word.chars();
    let absolute = word.text.starts_with('/');
    // Split the pattern into path elements, keeping the active marks.
    let mut elements: Vec<Vec<(char, bool)>> = vec![Vec::new()];
    for &(c, on) in &chars {
        if c == '/' {
            elements.push(Vec::new());
        } else if let Some(last) = elements.last_mut() {
            last.push((c, on));
        }
    }
    // Each candidate: (namespace path, text as the user wrote it).
    let mut candidates: Vec<(String, String)> = if absolute {
        vec![("/".to_string(), String::new())]
    } else {
        vec![(cwd.to_string(), String::new())]
    };
    let count = elements.len();
    for (n, element) in elements.into_iter().enumerate() {
        if absolute && n == 0 {
            continue; // the empty element before the leading `/`
        }
        let last = n + 1 == count;
        if element.is_empty() {
            // `a//b` or a trailing `/`: keep the separator, match directories only.
            for (_, shown) in candidates.iter_mut() {
                shown.push('/');
            }
            continue;
        }
        let is_pat = element
            .iter()
            .any(|&(c, on)| on && matches!(c, '*' | '?' | '['));
        let mut next = Vec::new();
        for (dir, shown) in &candidates {
            let prefix = if shown.is_empty() && !absolute {
                String::new()
            } else if shown.ends_with('/') {
                shown.clone()
            } else {
                format!("{shown}/")
            };
            if is_pat {
                let Ok(entries) = ns.readdir(dir) else {
                    continue;
                };
                for e in entries {
                    if !last && e.kind != FileKind::Dir {
                        continue;
                    }
                    let name: Vec<char> = e.name.chars().collect();
                    if match_at(&element, &name) {
                        next.push((path::join(dir, &e.name), format!("{prefix}{}", e.name)));
                    }
                }
            } else {
                let name: String = element.iter().map(|&(c, _)| c).collect();
                let full = path::join(dir, &name);
                if ns.stat(&full).is_ok() {
                    next.push((full, format!("{prefix}{name}")));
                }
            }
        }
        next.sort_by(|a, b| a.1.cmp(&b.1));
        candidates = next;
        if candidates.is_empty() {
            break;
        }
    }
    if candidates.is_empty() {
        vec![word.text.clone()]
    } else {
        candidates.into_iter().map(|(_, shown)| shown).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Value {
        Value::unquoted(s)
    }

    #[test]
    fn stars_and_questions() {
        assert!(matches(&pat("*.c"), "foo.c"));
        assert!(!matches(&pat("*.c"), "foo.h"));
        assert!(matches(&pat("f?o"), "foo"));
        assert!(matches(&pat("*"), ""));
        assert!(matches(&pat("a*b*c"), "aXXbYYc"));
        assert!(!matches(&pat("a*b*c"), "aXXbYY"));
    }

    #[test]
    fn classes_and_negation() {
        assert!(matches(&pat("[a-c]x"), "bx"));
        assert!(!matches(&pat("[~a-c]x"), "bx"));
        assert!(matches(&pat("[~a-c]x"), "dx"));
        assert!(matches(&pat("[abc"), "[abc"));
    }

    #[test]
    fn literal_values_do_not_match_as_patterns() {
        assert!(!matches(&Value::literal("*"), "abc"));
        assert!(matches(&Value::literal("*"), "*"));
    }
}
