//! The lexer: source text → tokens, rc's way.
//!
//! rc's lexing is small but context-dependent, and this file keeps those rules in one place:
//! - a word ends at any of `\n \t#;&|^$=`'{}()<>` (so `#` starts a comment even inside a word);
//! - after `$`, `$#` or `$"` comes a variable *name*, which ends at any non-identifier
//!   character (`$x.c` is `$x` then `.c`: the parser inserts the free caret);
//! - `'...'` quotes, with `''` for a quote inside; there is no other quoting;
//! - `\` before a newline continues the line (and at the end of the input wants one more);
//! - here documents (`<<tag`) take their bodies from the lines after the next newline;
//! - `<>` (read and write) is one operator, as `>>` is;
//! - `rhai { CODE }` where a command starts: the code is Rhai, not rc, and passes through
//!   untouched as the words `-c CODE` ([`super::rhai_block`] finds its end).
//!
//! Each token records whether whitespace preceded it (`glued`), which is how the parser
//! knows where to insert free carets. The lexer never fails on valid UTF-8; it reports an
//! unterminated quote or here document as *incomplete* so the REPL can read more lines.

use std::sync::Arc;

use super::error::ParseError;
use super::source::{SourceFile, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// Unquoted word text.
    Word(String),
    /// `'quoted'` text.
    Quoted(String),
    /// A variable name right after `$`, `$#` or `$"`.
    Name(String),
    Dollar,
    Count,
    Join,
    Caret,
    /// `` ` `` (command substitution; a `{` follows).
    Backquote,
    /// `<{` (process substitution; the `{` is consumed with it).
    ProcSub,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Eq,
    Semi,
    Amp,
    Newline,
    AndAnd,
    OrOr,
    Pipe {
        left: u32,
        right: u32,
    },
    Redir(RedirTok),
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirTok {
    Write { fd: u32 },
    Append { fd: u32 },
    Read { fd: u32 },
    ReadWrite { fd: u32 },
    Dup { fd: u32, to: u32 },
    Close { fd: u32 },
    HereDoc { fd: u32, quoted: bool, body: String },
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// No whitespace between this token and the previous one.
    pub glued: bool,
}

/// A span a diagnostic can show for a position: the character there or, at the end of the
/// input (where there is nothing to underline), the last character that is not blank.
pub fn point_at(src: &str, at: usize) -> Span {
    let at = at.min(src.len());
    if let Some(c) = src
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .filter(|c| *c != '\n')
    {
        return Span::new(at, at + c.len_utf8());
    }
    match src[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_whitespace())
    {
        Some((i, c)) => Span::new(i, i + c.len_utf8()),
        None => Span::new(at, at),
    }
}

/// Characters that end an unquoted word.
pub fn is_word_break(c: char) -> bool {
    matches!(
        c,
        '\n' | ' '
            | '\t'
            | '#'
            | ';'
            | '&'
            | '|'
            | '^'
            | '$'
            | '='
            | '`'
            | '\''
            | '{'
            | '}'
            | '('
            | ')'
            | '<'
            | '>'
    )
}

/// Characters allowed in a variable name (rc's `idchr`).
pub fn is_name_char(c: char) -> bool {
    c as u32 > 0x7f || c.is_ascii_alphanumeric() || c == '_' || c == '*'
}

struct Lexer<'a> {
    file: &'a Arc<SourceFile>,
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    /// Here documents whose bodies start after the next newline: (token index, tag).
    pending_heredocs: Vec<(usize, String)>,
}

/// Splits `file` into tokens, ending with `Tok::Eof`.
pub fn tokenize(file: &Arc<SourceFile>) -> Result<Vec<Token>, ParseError> {
    let mut lx = Lexer {
        file,
        src: file.text(),
        pos: 0,
        tokens: Vec::new(),
        pending_heredocs: Vec::new(),
    };
    lx.run()?;
    Ok(lx.tokens)
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn error(&self, start: usize, message: &str, label: &str, incomplete: bool) -> ParseError {
        ParseError {
            message: message.to_string(),
            src: self.file.clone(),
            span: point_at(self.src, start).into(),
            label: label.to_string(),
            help: None,
            incomplete,
        }
    }

    fn push(&mut self, tok: Tok, start: usize, glued: bool) {
        self.tokens.push(Token {
            tok,
            span: Span::new(start, self.pos),
            glued,
        });
    }

    fn run(&mut self) -> Result<(), ParseError> {
        let mut glued = false;
        loop {
            // Whitespace, comments and line continuations separate tokens.
            match self.peek() {
                None => break,
                Some(' ' | '\t' | '\r') => {
                    self.bump();
                    glued = false;
                    continue;
                }
                Some('\\') if self.peek_at(1) == Some('\n') => {
                    self.pos += 2;
                    glued = false;
                    continue;
                }
                // A `\` that ends the input continues onto a line not typed yet: the REPL
                // reads one more, and in a file it is an error, as in rc.
                Some('\\') if self.peek_at(1).is_none() => {
                    let at = self.pos;
                    return Err(self.error(at, "input ended after `\\`", "continues here", true));
                }
                Some('#') => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.bump();
                    }
                    glued = false;
                    continue;
                }
                _ => {}
            }
            let start = self.pos;
            let c = self.bump().unwrap_or('\n');
            let tok = match c {
                '\n' => {
                    self.push(Tok::Newline, start, glued);
                    self.read_heredoc_bodies()?;
                    glued = false;
                    continue;
                }
                ';' => Tok::Semi,
                '^' => Tok::Caret,
                '=' => Tok::Eq,
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                '{' => Tok::LBrace,
                '}' => Tok::RBrace,
                '`' => Tok::Backquote,
                '&' => {
                    if self.peek() == Some('&') {
                        self.bump();
                        Tok::AndAnd
                    } else {
                        Tok::Amp
                    }
                }
                '|' => {
                    if self.peek() == Some('|') {
                        self.bump();
                        Tok::OrOr
                    } else {
                        let (left, right) = match self.fd_spec(start)? {
                            None => (1, 0),
                            Some((l, Some(Some(r)))) => (l, r),
                            Some((l, None)) => (l, 0),
                            Some((_, Some(None))) => {
                                return Err(self.error(
                                    start,
                                    "a pipe cannot close a descriptor",
                                    "here",
                                    false,
                                ));
                            }
                        };
                        Tok::Pipe { left, right }
                    }
                }
                '$' => {
                    let tok = match self.peek() {
                        Some('#') => {
                            self.bump();
                            Tok::Count
                        }
                        Some('"') => {
                            self.bump();
                            Tok::Join
                        }
                        _ => Tok::Dollar,
                    };
                    self.push(tok, start, glued);
                    let name_start = self.pos;
                    while let Some(c) = self.peek() {
                        if !is_name_char(c) {
                            break;
                        }
                        self.bump();
                    }
                    if self.pos == name_start && matches!(self.peek(), Some('$' | '\'' | '(' | '`'))
                    {
                        // rc's indirection: `$$x`, `$'x'`, `$(x)`, `` $`{cmd} ``. The word that
                        // follows (glued) names the variable; the parser takes it.
                        glued = true;
                        continue;
                    }
                    if self.pos == name_start {
                        return Err(self.error(
                            start,
                            "`$` must be followed by a variable name",
                            "no name here",
                            false,
                        ));
                    }
                    let name = self.src[name_start..self.pos].to_string();
                    self.push(Tok::Name(name), name_start, true);
                    glued = true;
                    continue;
                }
                '\'' => Tok::Quoted(self.quoted(start)?),
                '>' => {
                    let append = self.peek() == Some('>');
                    if append {
                        self.bump();
                    }
                    let r = match self.fd_spec(start)? {
                        None if append => RedirTok::Append { fd: 1 },
                        None => RedirTok::Write { fd: 1 },
                        Some((fd, None)) if append => RedirTok::Append { fd },
                        Some((fd, None)) => RedirTok::Write { fd },
                        Some((fd, Some(Some(to)))) if !append => RedirTok::Dup { fd, to },
                        Some((fd, Some(None))) if !append => RedirTok::Close { fd },
                        Some(_) => {
                            return Err(self.error(
                                start,
                                "`>>[n=m]` is not a redirection",
                                "use `>[n=m]`",
                                false,
                            ));
                        }
                    };
                    Tok::Redir(r)
                }
                '<' => match self.peek() {
                    Some('{') => {
                        self.bump();
                        self.push(Tok::ProcSub, start, glued);
                        self.push(Tok::LBrace, self.pos - 1, true);
                        glued = true;
                        continue;
                    }
                    Some('<') => {
                        self.bump();
                        self.heredoc(start, glued)?;
                        glued = true;
                        continue;
                    }
                    next => {
                        // `<>` is rc's read-write open (Plan 9's ORDWR).
                        let both = next == Some('>');
                        if both {
                            self.bump();
                        }
                        let fd = match self.fd_spec(start)? {
                            None => 0,
                            Some((fd, None)) => fd,
                            Some((_, Some(_))) => {
                                let op = if both { "<>" } else { "<" };
                                return Err(self.error(
                                    start,
                                    &format!("`{op}[n=m]` is not a redirection"),
                                    "use `>[n=m]`",
                                    false,
                                ));
                            }
                        };
                        Tok::Redir(if both {
                            RedirTok::ReadWrite { fd }
                        } else {
                            RedirTok::Read { fd }
                        })
                    }
                },
                _ => {
                    while let Some(c) = self.peek() {
                        if is_word_break(c)
                            || (c == '\\' && matches!(self.peek_at(1), Some('\n') | None))
                        {
                            break;
                        }
                        self.bump();
                    }
                    let word = &self.src[start..self.pos];
                    if word == "rhai" && !glued && self.starts_command() {
                        self.push(Tok::Word(word.to_string()), start, glued);
                        if self.rhai_block()? {
                            glued = false;
                            continue;
                        }
                        glued = true;
                        continue;
                    }
                    Tok::Word(word.to_string())
                }
            };
            self.push(tok, start, glued);
            glued = true;
        }
        if let Some((_, tag)) = self.pending_heredocs.first() {
            let at = self.src.len();
            let msg = format!("here document `{tag}` has no body");
            return Err(self.error(at, &msg, "input ended here", true));
        }
        self.push(Tok::Eof, self.src.len(), false);
        Ok(())
    }

    /// Whether the word about to be pushed starts a command: it follows nothing, a
    /// separator, an operator, a `{` or a condition's `)`, or a word that comes before
    /// a command (`!`, `@`, `if not`, `builtin`). Any other word is an argument.
    fn starts_command(&self) -> bool {
        match self.tokens.last().map(|t| &t.tok) {
            None => true,
            Some(Tok::Word(w)) => matches!(w.as_str(), "!" | "@" | "not" | "builtin"),
            Some(tok) => matches!(
                tok,
                Tok::Newline
                    | Tok::Semi
                    | Tok::Amp
                    | Tok::AndAnd
                    | Tok::OrOr
                    | Tok::Pipe { .. }
                    | Tok::LBrace
                    | Tok::RParen
            ),
        }
    }

    /// After a command word `rhai`: a `{` (past blanks) opens a block of Rhai code, which
    /// is not rc. It becomes the words `-c CODE`, the code quoted as it stands between the
    /// braces (see [`super::rhai_block`]), so `rhai { CODE } ARGS` runs as
    /// `rhai -c CODE ARGS` would. False, and nothing consumed, when no `{` follows.
    fn rhai_block(&mut self) -> Result<bool, ParseError> {
        let rest = &self.src[self.pos..];
        let open = self.pos + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        if !self.src[open..].starts_with('{') {
            return Ok(false);
        }
        let Some(close) = super::rhai_block::block_end(self.src, open) else {
            return Err(self.error(open, "the rhai block is not closed", "opened here", true));
        };
        // `-c` stands where the `{` is, taking no room; the code's word spans the block.
        self.pos = open;
        self.push(Tok::Word("-c".into()), open, false);
        self.pos = close + 1;
        let code = self.src[open + 1..close].to_string();
        self.push(Tok::Quoted(code), open, false);
        Ok(true)
    }

    /// `'...'` after the opening quote; `''` is a literal quote.
    fn quoted(&mut self, start: usize) -> Result<String, ParseError> {
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(start, "unterminated quote", "quote opened here", true));
                }
                Some('\'') => {
                    if self.peek() == Some('\'') {
                        self.bump();
                        out.push('\'');
                    } else {
                        return Ok(out);
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// An optional `[n]`, `[n=m]` or `[n=]` right after a redirection or pipe operator.
    /// Returns `Some((n, None))`, `Some((n, Some(Some(m))))` or `Some((n, Some(None)))`.
    #[allow(clippy::type_complexity)]
    fn fd_spec(&mut self, start: usize) -> Result<Option<(u32, Option<Option<u32>>)>, ParseError> {
        if self.peek() != Some('[') {
            return Ok(None);
        }
        self.bump();
        let close = match self.src[self.pos..].find(']') {
            Some(i) => self.pos + i,
            None => {
                return Err(self.error(
                    start,
                    "unclosed `[` in redirection",
                    "expected `]`",
                    false,
                ));
            }
        };
        let inner = self.src[self.pos..close].to_string();
        self.pos = close + 1;
        let bad = |lx: &Self| {
            let mut e = lx.error(
                start,
                &format!("bad descriptor spec `[{inner}]`"),
                "expected [n], [n=m] or [n=]",
                false,
            );
            e.span = Span::new(start, lx.pos).into();
            e
        };
        let num = |s: &str| s.trim().parse::<u32>().ok().filter(|n| *n < 1024);
        match inner.split_once('=') {
            None => num(&inner)
                .map(|n| Some((n, None)))
                .ok_or_else(|| bad(self)),
            Some((l, r)) => {
                let l = num(l).ok_or_else(|| bad(self))?;
                if r.trim().is_empty() {
                    Ok(Some((l, Some(None))))
                } else {
                    let r = num(r).ok_or_else(|| bad(self))?;
                    Ok(Some((l, Some(Some(r)))))
                }
            }
        }
    }

    /// `<<tag` or `<<'tag'`: the body is read after the next newline.
    fn heredoc(&mut self, start: usize, glued: bool) -> Result<(), ParseError> {
        let fd = match self.fd_spec(start)? {
            None => 0,
            Some((fd, None)) => fd,
            Some(_) => {
                return Err(self.error(start, "bad here document descriptor", "here", false));
            }
        };
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
        let (tag, quoted) = match self.peek() {
            Some('\'') => {
                let q = self.pos;
                self.bump();
                (self.quoted(q)?, true)
            }
            _ => {
                let s = self.pos;
                while let Some(c) = self.peek() {
                    if is_word_break(c) {
                        break;
                    }
                    self.bump();
                }
                (self.src[s..self.pos].to_string(), false)
            }
        };
        if tag.is_empty() {
            return Err(self.error(
                start,
                "here document needs a terminating word",
                "after `<<`",
                false,
            ));
        }
        self.pending_heredocs.push((self.tokens.len(), tag));
        self.push(
            Tok::Redir(RedirTok::HereDoc {
                fd,
                quoted,
                body: String::new(),
            }),
            start,
            glued,
        );
        Ok(())
    }

    /// After a newline: the bodies of the here documents opened on the line just ended.
    fn read_heredoc_bodies(&mut self) -> Result<(), ParseError> {
        for (index, tag) in std::mem::take(&mut self.pending_heredocs) {
            let mut body = String::new();
            let open = self.tokens[index].span;
            loop {
                if self.pos >= self.src.len() {
                    let msg = format!("here document `{tag}` is not terminated");
                    let mut e =
                        self.error(open.start, &msg, &format!("expected a line `{tag}`"), true);
                    e.span = open.into();
                    return Err(e);
                }
                let rest = &self.src[self.pos..];
                let (line, next) = match rest.find('\n') {
                    Some(i) => (&rest[..i], self.pos + i + 1),
                    None => (rest, self.src.len()),
                };
                self.pos = next;
                if line == tag {
                    break;
                }
                body.push_str(line);
                body.push('\n');
            }
            if let Tok::Redir(RedirTok::HereDoc { body: b, .. }) = &mut self.tokens[index].tok {
                *b = body;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        let f = Arc::new(SourceFile::new("t", s));
        tokenize(&f)
            .map(|v| v.into_iter().map(|t| t.tok).collect())
            .unwrap_or_default()
    }

    #[test]
    fn comment_inside_word() {
        assert_eq!(
            toks("echo a#b c"),
            vec![Tok::Word("echo".into()), Tok::Word("a".into()), Tok::Eof]
        );
    }

    #[test]
    fn variable_name_stops_at_dot() {
        assert_eq!(
            toks("$x.c"),
            vec![
                Tok::Dollar,
                Tok::Name("x".into()),
                Tok::Word(".c".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn quotes_double_to_escape() {
        assert_eq!(toks("'it''s'"), vec![Tok::Quoted("it's".into()), Tok::Eof]);
    }

    #[test]
    fn redirection_specs() {
        assert_eq!(
            toks(">[2=1]")[0],
            Tok::Redir(RedirTok::Dup { fd: 2, to: 1 })
        );
        assert_eq!(toks(">[2]")[0], Tok::Redir(RedirTok::Write { fd: 2 }));
        assert_eq!(toks(">>f")[0], Tok::Redir(RedirTok::Append { fd: 1 }));
        assert_eq!(toks(">[2=]")[0], Tok::Redir(RedirTok::Close { fd: 2 }));
        assert_eq!(toks("<>f")[0], Tok::Redir(RedirTok::ReadWrite { fd: 0 }));
        assert_eq!(
            toks("<>[3] f")[0],
            Tok::Redir(RedirTok::ReadWrite { fd: 3 })
        );
        assert_eq!(toks("<[3]f")[0], Tok::Redir(RedirTok::Read { fd: 3 }));
        let f = Arc::new(SourceFile::new("t", "<>[1=2]"));
        assert!(tokenize(&f).is_err());
    }

    #[test]
    fn heredoc_body_follows_the_line() {
        let t = toks("cat <<EOF; echo x\nhello\nEOF\necho y\n");
        assert!(t.contains(&Tok::Redir(RedirTok::HereDoc {
            fd: 0,
            quoted: false,
            body: "hello\n".into()
        })));
        assert!(t.contains(&Tok::Word("y".into())));
    }

    #[test]
    fn errors_point_at_a_visible_character() {
        assert_eq!(point_at("echo (\n", 7), Span::new(5, 6));
        assert_eq!(point_at("ab", 0), Span::new(0, 1));
        assert_eq!(point_at("é", 0), Span::new(0, 2));
        assert_eq!(point_at("a\nb", 1), Span::new(0, 1));
        assert_eq!(point_at("", 0), Span::new(0, 0));
    }

    #[test]
    fn a_backslash_at_the_end_wants_another_line() {
        for src in ["echo a \\", "echo a\\"] {
            let f = Arc::new(SourceFile::new("t", src));
            assert!(tokenize(&f).err().is_some_and(|e| e.incomplete), "{src:?}");
        }
        assert_eq!(
            toks("echo a\\\nb"),
            vec![
                Tok::Word("echo".into()),
                Tok::Word("a".into()),
                Tok::Word("b".into()),
                Tok::Eof
            ]
        );
        assert_eq!(toks("a\\b")[0], Tok::Word("a\\b".into()));
    }

    #[test]
    fn indirection_lexes_the_naming_word() {
        assert_eq!(
            toks("$$x"),
            vec![Tok::Dollar, Tok::Dollar, Tok::Name("x".into()), Tok::Eof]
        );
        assert_eq!(toks("$#'x'")[..2], [Tok::Count, Tok::Quoted("x".into())]);
        assert!(toks("$ x").is_empty());
    }

    #[test]
    fn a_rhai_block_is_passed_through_as_dash_c_code() {
        let want = |code: &str| {
            vec![
                Tok::Word("rhai".into()),
                Tok::Word("-c".into()),
                Tok::Quoted(code.into()),
                Tok::Word("x".into()),
                Tok::Eof,
            ]
        };
        assert_eq!(toks("rhai { print(\"}\") } x"), want(" print(\"}\") "));
        assert_eq!(toks("rhai {a}x"), want("a"));
        let after = toks("true && ! rhai {a}");
        assert_eq!(after[after.len() - 2], Tok::Quoted("a".into()));
        // Not where a command starts, not glued to `rhai`, or no brace: plain rc.
        assert!(!toks("echo rhai {a}").contains(&Tok::Quoted("a".into())));
        assert!(!toks("fn rhai {a}").contains(&Tok::Quoted("a".into())));
        assert!(toks("xrhai {a}").contains(&Tok::LBrace));
        assert_eq!(toks("rhai -c x")[1], Tok::Word("-c".into()));
        let f = Arc::new(SourceFile::new("t", "rhai { print(1)\n"));
        assert!(tokenize(&f).err().is_some_and(|e| e.incomplete));
    }

    #[test]
    fn unterminated_quote_is_incomplete() {
        let f = Arc::new(SourceFile::new("t", "echo 'abc"));
        assert!(tokenize(&f).err().map(|e| e.incomplete).unwrap_or(false));
    }
}
