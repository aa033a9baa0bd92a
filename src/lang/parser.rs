//! The parser: tokens → syntax tree, by recursive descent over rc's grammar.
//!
//! Precedence follows Plan 9 rc's `syn.y`: `|` binds tightest, then `!` and `@`, then `&&`
//! and `||` (left to right), and `if`/`for`/`while` bodies extend over all of those.
//! Keywords (`if for while switch fn case ~ ! @ not in`) are keywords only where a command
//! starts and only unquoted. Two word pieces with no blank between them are joined by a free
//! caret. Running out of input inside an open construct is reported as *incomplete*.

use std::sync::Arc;

use super::ast::*;
use super::error::ParseError;
use super::lexer::{RedirTok, Tok, Token, tokenize};
use super::source::{SourceFile, Span};

/// Parses a whole source file.
pub fn parse(file: Arc<SourceFile>) -> Result<Program, ParseError> {
    let tokens = tokenize(&file)?;
    let mut p = Parser {
        file: &file,
        tokens,
        pos: 0,
        depth: 0,
    };
    let body = p.body(Stop::Eof)?;
    Ok(Program {
        file: file.clone(),
        body,
    })
}

/// What ends a command list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    Eof,
    Brace,
    Paren,
}

struct Parser<'a> {
    file: &'a Arc<SourceFile>,
    tokens: Vec<Token>,
    pos: usize,
    /// How deeply commands and words are nested now (see [`MAX_NESTING`]).
    depth: usize,
}

/// How deeply commands and words may nest (`{ { ...`, `! ! ...`, `((...`) before the parser
/// refuses, so hostile input gets a syntax error instead of overflowing the stack.
pub const MAX_NESTING: usize = 100;
/// How many pieces one word may join with `^` (or free carets).
pub const MAX_WORD_PIECES: usize = 1000;

const KEYWORDS: &[&str] = &["if", "for", "while", "switch", "fn", "case", "~", "!", "@"];

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }
    fn tok(&self) -> &Tok {
        &self.peek().tok
    }
    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.tokens[self.pos - 1].span.end
        }
    }
    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.tok(), Tok::Word(w) if w == kw)
    }

    fn error(&self, at: Span, message: impl Into<String>, label: impl Into<String>) -> ParseError {
        let incomplete = matches!(self.tok(), Tok::Eof);
        ParseError {
            message: message.into(),
            src: self.file.clone(),
            span: at.into(),
            label: label.into(),
            help: None,
            incomplete,
        }
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        let t = self.peek();
        let found = describe(&t.tok);
        let mut e = self.error(
            t.span,
            format!("syntax error: unexpected {found}"),
            format!("expected {expected}"),
        );
        if matches!(t.tok, Tok::Eof) {
            e.message = format!("syntax error: input ended, expected {expected}");
            e.label = "input ended after this".into();
            e.span = super::lexer::point_at(self.file.text(), t.span.start).into();
        }
        e
    }

    fn expect(&mut self, want: Tok, what: &str) -> Result<Token, ParseError> {
        if *self.tok() == want {
            Ok(self.next())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.tok(), Tok::Newline) {
            self.next();
        }
    }

    /// A list of commands up to `stop` (not consumed).
    fn body(&mut self, stop: Stop) -> Result<Body, ParseError> {
        let mut cmds = Vec::new();
        loop {
            while matches!(self.tok(), Tok::Newline | Tok::Semi) {
                self.next();
            }
            match (self.tok(), stop) {
                (Tok::Eof, Stop::Eof) => break,
                (Tok::RBrace, Stop::Brace) => break,
                (Tok::RParen, Stop::Paren) => break,
                (Tok::Eof, _) => {
                    let what = if stop == Stop::Brace { "`}`" } else { "`)`" };
                    return Err(self.unexpected(what));
                }
                _ => {}
            }
            let cmd = self.and_or()?;
            match self.tok() {
                Tok::Amp => {
                    let amp = self.next();
                    let span = cmd.span().to(amp.span);
                    cmds.push(Cmd::Background {
                        cmd: Box::new(cmd),
                        span,
                    });
                }
                Tok::Semi | Tok::Newline => {
                    cmds.push(cmd);
                }
                Tok::Eof | Tok::RBrace | Tok::RParen => cmds.push(cmd),
                _ => {
                    let expected = match stop {
                        Stop::Eof => "`;`, `&` or a newline",
                        Stop::Brace => "`}`, `;`, `&` or a newline",
                        Stop::Paren => "`)`, `;`, `&` or a newline",
                    };
                    return Err(self.unexpected(expected));
                }
            }
        }
        Ok(Body { cmds })
    }

    /// `a && b || c`, left to right.
    fn and_or(&mut self) -> Result<Cmd, ParseError> {
        self.nested(Self::and_or_inner)
    }

    fn and_or_inner(&mut self) -> Result<Cmd, ParseError> {
        let mut left = self.not_cmd()?;
        loop {
            let and = match self.tok() {
                Tok::AndAnd => true,
                Tok::OrOr => false,
                _ => return Ok(left),
            };
            self.next();
            self.skip_newlines();
            let right = self.not_cmd()?;
            let span = left.span().to(right.span());
            let (left_b, right_b) = (Box::new(left), Box::new(right));
            left = if and {
                Cmd::And {
                    left: left_b,
                    right: right_b,
                    span,
                }
            } else {
                Cmd::Or {
                    left: left_b,
                    right: right_b,
                    span,
                }
            };
        }
    }

    /// `! cmd`, `@ cmd`, or a pipeline.
    fn not_cmd(&mut self) -> Result<Cmd, ParseError> {
        self.nested(Self::not_cmd_inner)
    }

    fn not_cmd_inner(&mut self) -> Result<Cmd, ParseError> {
        if self.is_keyword("!") {
            let bang = self.next();
            let cmd = self.not_cmd()?;
            let span = bang.span.to(cmd.span());
            return Ok(Cmd::Not {
                cmd: Box::new(cmd),
                span,
            });
        }
        if self.is_keyword("@") {
            let at = self.next();
            let cmd = self.not_cmd()?;
            let span = at.span.to(cmd.span());
            return Ok(Cmd::Subshell {
                cmd: Box::new(cmd),
                span,
            });
        }
        self.pipeline()
    }

    fn pipeline(&mut self) -> Result<Cmd, ParseError> {
        let first = self.command()?;
        if !matches!(self.tok(), Tok::Pipe { .. }) {
            return Ok(first);
        }
        let mut cmds = vec![first];
        let mut pipes = Vec::new();
        while let Tok::Pipe { left, right } = *self.tok() {
            self.next();
            self.skip_newlines();
            pipes.push(PipeFds { left, right });
            let next = if self.is_keyword("!") || self.is_keyword("@") {
                self.not_cmd()?
            } else {
                self.command()?
            };
            cmds.push(next);
        }
        let span = cmds[0].span().to(cmds[cmds.len() - 1].span());
        Ok(Cmd::Pipeline { cmds, pipes, span })
    }

    /// One command: a compound form or a simple command.
    fn command(&mut self) -> Result<Cmd, ParseError> {
        let start = self.peek().span;
        let kw = match self.tok() {
            Tok::Word(w) if KEYWORDS.contains(&w.as_str()) => Some(w.clone()),
            _ => None,
        };
        match kw.as_deref() {
            Some("if") => {
                self.next();
                if self.is_keyword("not") {
                    self.next();
                    self.skip_newlines();
                    let then = self.and_or()?;
                    let span = start.to(then.span());
                    return Ok(Cmd::IfNot {
                        then: Box::new(then),
                        span,
                    });
                }
                let cond = self.paren_body("a condition `(...)` after `if`")?;
                self.skip_newlines();
                let then = self.and_or()?;
                let span = start.to(then.span());
                Ok(Cmd::If {
                    cond,
                    then: Box::new(then),
                    span,
                })
            }
            Some("while") => {
                self.next();
                let cond = self.paren_body("a condition `(...)` after `while`")?;
                self.skip_newlines();
                let body = self.and_or()?;
                let span = start.to(body.span());
                Ok(Cmd::While {
                    cond,
                    body: Box::new(body),
                    span,
                })
            }
            Some("for") => self.for_loop(start),
            Some("switch") => self.switch(start),
            Some("fn") => self.fn_def(start),
            Some("~") => {
                self.next();
                if !self.word_starts() {
                    return Err(self.unexpected("a subject word after `~`"));
                }
                let subject = self.word()?;
                let mut patterns = Vec::new();
                while self.word_starts() {
                    patterns.push(self.word()?);
                }
                let end = patterns.last().map(|w| w.span()).unwrap_or(subject.span());
                Ok(Cmd::Match {
                    subject,
                    patterns,
                    span: start.to(end),
                })
            }
            Some("!") | Some("@") => self.not_cmd(),
            Some("case") => Err(self.error(
                start,
                "`case` outside `switch`",
                "only valid inside a switch body",
            )),
            _ => {
                if matches!(self.tok(), Tok::LBrace) {
                    self.next();
                    let body = self.body(Stop::Brace)?;
                    let close = self.expect(Tok::RBrace, "`}`")?;
                    let mut redirs = Vec::new();
                    while let Tok::Redir(_) = self.tok() {
                        redirs.push(self.redirection()?);
                    }
                    let end = redirs.last().map(|r| r.span).unwrap_or(close.span);
                    return Ok(Cmd::Block {
                        body,
                        redirs,
                        span: start.to(end),
                    });
                }
                self.simple()
            }
        }
    }

    /// `( body )` for conditions.
    fn paren_body(&mut self, what: &str) -> Result<Body, ParseError> {
        if !matches!(self.tok(), Tok::LParen) {
            return Err(self.unexpected(what));
        }
        self.next();
        let body = self.body(Stop::Paren)?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(body)
    }

    fn for_loop(&mut self, start: Span) -> Result<Cmd, ParseError> {
        self.next();
        self.expect(Tok::LParen, "`(` after `for`")?;
        let var = match self.next() {
            Token {
                tok: Tok::Word(w), ..
            } if is_var_name(&w) => w,
            t => {
                return Err(self.error(
                    t.span,
                    "syntax error: `for` needs a variable name",
                    "expected a name",
                ));
            }
        };
        let words = if self.is_keyword("in") {
            self.next();
            let mut words = Vec::new();
            while self.word_starts() {
                words.push(self.word()?);
            }
            Some(words)
        } else {
            None
        };
        self.expect(Tok::RParen, "`)` closing `for(...)`")?;
        self.skip_newlines();
        let body = self.and_or()?;
        let span = start.to(body.span());
        Ok(Cmd::For {
            var,
            words,
            body: Box::new(body),
            span,
        })
    }

    fn switch(&mut self, start: Span) -> Result<Cmd, ParseError> {
        self.next();
        // rc's grammar is `switch word {...}`: the usual `(...)` is a list word, and may be empty.
        if !self.word_starts() {
            return Err(self.unexpected("a subject `(...)` after `switch`"));
        }
        let subject = self.word()?;
        self.skip_newlines();
        self.expect(Tok::LBrace, "`{` opening the switch body")?;
        let mut cases: Vec<Case> = Vec::new();
        loop {
            while matches!(self.tok(), Tok::Newline | Tok::Semi) {
                self.next();
            }
            if matches!(self.tok(), Tok::RBrace) {
                break;
            }
            if self.is_keyword("case") {
                let case_tok = self.next();
                let mut patterns = Vec::new();
                while self.word_starts() {
                    patterns.push(self.word()?);
                }
                cases.push(Case {
                    patterns,
                    body: Body::default(),
                    span: case_tok.span,
                });
                continue;
            }
            if matches!(self.tok(), Tok::Eof) {
                return Err(self.unexpected("`}` closing the switch"));
            }
            let Some(case) = cases.last_mut() else {
                return Err(self.error(
                    self.peek().span,
                    "syntax error: command before the first `case`",
                    "expected `case`",
                ));
            };
            let cmd = self.and_or()?;
            let cmd = if matches!(self.tok(), Tok::Amp) {
                let amp = self.next();
                let span = cmd.span().to(amp.span);
                Cmd::Background {
                    cmd: Box::new(cmd),
                    span,
                }
            } else {
                cmd
            };
            case.body.cmds.push(cmd);
        }
        let close = self.expect(Tok::RBrace, "`}`")?;
        Ok(Cmd::Switch {
            subject,
            cases,
            span: start.to(close.span),
        })
    }

    fn fn_def(&mut self, start: Span) -> Result<Cmd, ParseError> {
        self.next();
        let mut names = Vec::new();
        while self.word_starts() {
            names.push(self.word()?);
        }
        if names.is_empty() {
            return Err(self.unexpected("a function name after `fn`"));
        }
        if !matches!(self.tok(), Tok::LBrace) {
            let span = start.to(names[names.len() - 1].span());
            return Ok(Cmd::FnDef {
                names,
                body: None,
                span,
            });
        }
        let open = self.next();
        let body = self.body(Stop::Brace)?;
        let close = self.expect(Tok::RBrace, "`}`")?;
        let text = self.file.text()[open.span.start..close.span.end].to_string();
        let body = Arc::new(FnBody {
            file: self.file.clone(),
            body,
            text,
        });
        Ok(Cmd::FnDef {
            names,
            body: Some(body),
            span: start.to(close.span),
        })
    }

    /// Assignments, then words and redirections in any order.
    fn simple(&mut self) -> Result<Cmd, ParseError> {
        let start = self.peek().span;
        let mut assigns = Vec::new();
        while let Some(a) = self.assignment()? {
            assigns.push(a);
        }
        let compound = match self.tok() {
            Tok::LBrace => true,
            Tok::Word(w) => KEYWORDS.contains(&w.as_str()) && w != "case",
            _ => false,
        };
        if !assigns.is_empty() && compound {
            let cmd = self.command()?;
            let span = start.to(cmd.span());
            return Ok(Cmd::Local {
                assigns,
                cmd: Box::new(cmd),
                span,
            });
        }
        let mut words = Vec::new();
        let mut redirs = Vec::new();
        loop {
            if let Tok::Redir(_) = self.tok() {
                redirs.push(self.redirection()?);
            } else if self.word_starts() || (!words.is_empty() && matches!(self.tok(), Tok::Eq)) {
                words.push(self.word()?);
            } else {
                break;
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            return Err(self.unexpected("a command"));
        }
        let span = Span::new(start.start, self.prev_end().max(start.start));
        Ok(Cmd::Simple {
            assigns,
            words,
            redirs,
            span,
        })
    }

    /// `name=value` at the start of a simple command.
    fn assignment(&mut self) -> Result<Option<Assign>, ParseError> {
        let name = match self.tok() {
            Tok::Word(w) if is_var_name(w) => w.clone(),
            _ => return Ok(None),
        };
        if !matches!(self.tokens.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Eq)) {
            return Ok(None);
        }
        let name_tok = self.next();
        let eq = self.next();
        // As in rc, blanks around `=` do not matter: `x = 1` and `x= (a b)` assign. A bare
        // `x=` (rc: a syntax error) is accepted as the empty list.
        let value = if self.word_starts() {
            Some(self.word()?)
        } else {
            None
        };
        let end = value.as_ref().map(|v| v.span()).unwrap_or(eq.span);
        Ok(Some(Assign {
            name,
            value,
            span: name_tok.span.to(end),
        }))
    }

    fn redirection(&mut self) -> Result<Redir, ParseError> {
        let t = self.next();
        let Tok::Redir(r) = t.tok else {
            return Err(self.unexpected("a redirection"));
        };
        let (fd, op) = match r {
            RedirTok::Dup { fd, to } => (fd, RedirOp::Dup(to)),
            RedirTok::Close { fd } => (fd, RedirOp::Close),
            RedirTok::HereDoc { fd, quoted, body } => (fd, RedirOp::HereDoc { body, quoted }),
            RedirTok::Write { fd } | RedirTok::Append { fd } | RedirTok::Read { fd } => {
                if !self.word_starts() {
                    let e = self.unexpected("a file name after the redirection");
                    return Err(ParseError {
                        span: t.span.to(self.peek().span).into(),
                        ..e
                    });
                }
                let target = self.word()?;
                let op = match r {
                    RedirTok::Write { .. } => RedirOp::Write(target),
                    RedirTok::Append { .. } => RedirOp::Append(target),
                    _ => RedirOp::Read(target),
                };
                (fd, op)
            }
        };
        Ok(Redir {
            fd,
            op,
            span: Span::new(t.span.start, self.prev_end()),
        })
    }

    fn word_starts(&self) -> bool {
        matches!(
            self.tok(),
            Tok::Word(_)
                | Tok::Quoted(_)
                | Tok::Dollar
                | Tok::Count
                | Tok::Join
                | Tok::LParen
                | Tok::Backquote
                | Tok::ProcSub
        )
    }

    /// A word: primaries joined by explicit `^` or free carets.
    ///
    /// rc's free carets: a glued piece joins the one before only when that one ends in word
    /// text or a plain `$name`, and it starts with word text, a quote, `` ` `` or `$`. So
    /// `$x.c` and `'a'b` are one word each, while `$x(1)b`, `(a b)c` and `` `{cmd}x ``
    /// are two. (`a(b c)` also joins: rc rejects it, oash reads it as `a^(b c)`.)
    fn word(&mut self) -> Result<Word, ParseError> {
        let mut left = self.primary()?;
        let mut pieces = 1;
        loop {
            let ends_in_text = matches!(
                rightmost(&left),
                Word::Lit { .. }
                    | Word::Var { index: None, .. }
                    | Word::Count { .. }
                    | Word::Join { .. }
            );
            let glued = self.peek().glued;
            let joined = match self.tok() {
                Tok::Caret => {
                    self.next();
                    true
                }
                Tok::Eq => glued,
                Tok::ProcSub => false,
                _ => self.word_starts() && glued && ends_in_text,
            };
            if !joined {
                return Ok(left);
            }
            pieces += 1;
            if pieces > MAX_WORD_PIECES {
                let message =
                    format!("syntax error: a word joins more than {MAX_WORD_PIECES} pieces");
                return Err(self.error(self.peek().span, message, "too long here"));
            }
            let right = self.primary()?;
            let span = left.span().to(right.span());
            left = Word::Concat {
                left: Box::new(left),
                right: Box::new(right),
                span,
            };
        }
    }

    fn primary(&mut self) -> Result<Word, ParseError> {
        self.nested(Self::primary_inner)
    }

    /// Runs `f` one nesting level deeper, refusing past [`MAX_NESTING`].
    fn nested<T>(&mut self, f: fn(&mut Self) -> Result<T, ParseError>) -> Result<T, ParseError> {
        if self.depth >= MAX_NESTING {
            let message = format!("syntax error: nested more than {MAX_NESTING} levels deep");
            return Err(self.error(self.peek().span, message, "too deep here"));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn primary_inner(&mut self) -> Result<Word, ParseError> {
        let t = self.next();
        let span = t.span;
        match t.tok {
            Tok::Word(text) => Ok(Word::Lit {
                text,
                quoted: false,
                span,
            }),
            Tok::Eq => Ok(Word::Lit {
                text: "=".into(),
                quoted: true,
                span,
            }),
            Tok::Quoted(text) => Ok(Word::Lit {
                text,
                quoted: true,
                span,
            }),
            Tok::Dollar | Tok::Count | Tok::Join => {
                let name = match self.next().tok {
                    Tok::Name(n) => n,
                    _ => {
                        return Err(self.error(
                            span,
                            "`$` must be followed by a variable name",
                            "here",
                        ));
                    }
                };
                let mut end = self.prev_end();
                match t.tok {
                    Tok::Count | Tok::Join
                        if matches!(self.tok(), Tok::LParen) && self.peek().glued =>
                    {
                        Err(self.error(
                            self.peek().span,
                            "syntax error: `$#` and `$\"` take no subscript",
                            "subscript here",
                        ))
                    }
                    Tok::Count => Ok(Word::Count {
                        name,
                        span: Span::new(span.start, end),
                    }),
                    Tok::Join => Ok(Word::Join {
                        name,
                        span: Span::new(span.start, end),
                    }),
                    _ => {
                        let index = if matches!(self.tok(), Tok::LParen) && self.peek().glued {
                            self.next();
                            let mut subs = Vec::new();
                            while self.word_starts() {
                                subs.push(self.word()?);
                            }
                            end = self
                                .expect(Tok::RParen, "`)` closing the subscript")?
                                .span
                                .end;
                            Some(subs)
                        } else {
                            None
                        };
                        Ok(Word::Var {
                            name,
                            index,
                            span: Span::new(span.start, end),
                        })
                    }
                }
            }
            Tok::LParen => {
                let mut items = Vec::new();
                loop {
                    self.skip_newlines();
                    if !self.word_starts() {
                        break;
                    }
                    items.push(self.word()?);
                }
                let close = self.expect(Tok::RParen, "`)` closing the list")?;
                Ok(Word::List {
                    items,
                    span: span.to(close.span),
                })
            }
            Tok::Backquote | Tok::ProcSub => {
                if t.tok == Tok::Backquote {
                    self.expect(Tok::LBrace, "`{` after `` ` ``")?;
                } else {
                    self.next(); // the `{` the lexer emitted with `<{`
                }
                let body = self.body(Stop::Brace)?;
                let close = self.expect(Tok::RBrace, "`}`")?;
                let span = span.to(close.span);
                if t.tok == Tok::Backquote {
                    Ok(Word::CmdSub { body, span })
                } else {
                    Ok(Word::ProcSub { body, span })
                }
            }
            _ => {
                self.pos -= 1;
                Err(self.unexpected("a word"))
            }
        }
    }
}

/// The last piece of a (possibly concatenated) word.
fn rightmost(word: &Word) -> &Word {
    match word {
        Word::Concat { right, .. } => rightmost(right),
        other => other,
    }
}

/// A valid variable name for assignment and `for`.
pub fn is_var_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(super::lexer::is_name_char)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("word `{w}`"),
        Tok::Quoted(w) => format!("quoted word '{w}'"),
        Tok::Name(n) => format!("name `{n}`"),
        Tok::Dollar => "`$`".into(),
        Tok::Count => "`$#`".into(),
        Tok::Join => "`$\"`".into(),
        Tok::Caret => "`^`".into(),
        Tok::Backquote => "`` ` ``".into(),
        Tok::ProcSub => "`<{`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::Eq => "`=`".into(),
        Tok::Semi => "`;`".into(),
        Tok::Amp => "`&`".into(),
        Tok::Newline => "newline".into(),
        Tok::AndAnd => "`&&`".into(),
        Tok::OrOr => "`||`".into(),
        Tok::Pipe { .. } => "`|`".into(),
        Tok::Redir(_) => "redirection".into(),
        Tok::Eof => "end of input".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Body {
        match parse(Arc::new(SourceFile::new("t", s))) {
            Ok(p) => p.body,
            Err(e) => panic!("parse of {s:?} failed: {e}"),
        }
    }
    fn err(s: &str) -> ParseError {
        match parse(Arc::new(SourceFile::new("t", s))) {
            Ok(_) => panic!("parse of {s:?} should fail"),
            Err(e) => e,
        }
    }

    #[test]
    fn precedence_pipe_binds_tighter_than_and() {
        let b = ok("a | b && c");
        assert!(
            matches!(&b.cmds[0], Cmd::And { left, .. } if matches!(**left, Cmd::Pipeline { .. }))
        );
    }

    #[test]
    fn free_caret_after_variable() {
        let b = ok("echo $x.c");
        let Cmd::Simple { words, .. } = &b.cmds[0] else {
            panic!()
        };
        assert!(matches!(words[1], Word::Concat { .. }));
    }

    #[test]
    fn assignment_forms() {
        let b = ok("x=(a b) y=1 echo $x");
        let Cmd::Simple { assigns, words, .. } = &b.cmds[0] else {
            panic!()
        };
        assert_eq!(assigns.len(), 2);
        assert_eq!(words.len(), 2);
    }

    #[test]
    fn open_brace_is_incomplete() {
        assert!(err("for (i in a b) {\necho $i").incomplete);
        assert!(err("if (true").incomplete);
        assert!(!err("echo )").incomplete);
    }

    #[test]
    fn switch_cases() {
        let b = ok("switch($x){\ncase a b\n echo ab\ncase *\n echo other\n}");
        let Cmd::Switch { cases, .. } = &b.cmds[0] else {
            panic!()
        };
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].patterns.len(), 2);
    }

    #[test]
    fn blanks_around_assignment_equals() {
        let b = ok("x = 1\ny= (a b) echo $y\nz=");
        let Cmd::Simple { assigns, words, .. } = &b.cmds[0] else {
            panic!()
        };
        assert!(assigns[0].value.is_some() && words.is_empty());
        let Cmd::Simple { assigns, words, .. } = &b.cmds[1] else {
            panic!()
        };
        assert!(matches!(assigns[0].value, Some(Word::List { .. })) && words.len() == 2);
        let Cmd::Simple { assigns, .. } = &b.cmds[2] else {
            panic!()
        };
        assert!(assigns[0].value.is_none());
    }

    #[test]
    fn assignment_before_a_compound_command() {
        let b = ok("x=1 {echo $x}\nx=1 y=2 if(true) echo");
        assert!(matches!(&b.cmds[0], Cmd::Local { cmd, .. } if matches!(**cmd, Cmd::Block { .. })));
        assert!(matches!(&b.cmds[1], Cmd::Local { assigns, .. } if assigns.len() == 2));
    }

    #[test]
    fn deep_nesting_is_a_syntax_error_not_a_crash() {
        let deep = |open: &str, n: usize| open.repeat(n);
        for src in [
            deep("{", 100_000),
            deep("! ", 100_000) + "true",
            format!("echo {}", deep("(", 100_000)),
        ] {
            let e = err(&src);
            assert!(e.message.contains("nested more than"), "{}", e.message);
            assert!(!e.incomplete);
        }
        let caret = vec!["a"; 5000].join("^");
        assert!(err(&format!("echo {caret}")).message.contains("pieces"));
        ok(&format!("{}echo{}", deep("{", 40), deep("}", 40)));
    }

    #[test]
    fn an_unclosed_condition_says_what_would_close_it() {
        assert_eq!(
            err("if (true { echo b }").label,
            "expected `)`, `;`, `&` or a newline"
        );
        assert_eq!(
            err("{ true { }").label,
            "expected `}`, `;`, `&` or a newline"
        );
    }

    #[test]
    fn free_carets_follow_word_text_only() {
        let words = |s: &str| match &ok(s).cmds[0] {
            Cmd::Simple { words, .. } => words.len(),
            _ => 0,
        };
        assert_eq!(words("echo $x.c 'a'b a$x $x`{b} a'q'"), 6);
        assert_eq!(words("echo $x(1)b (a b)c `{a}b <{a}b a<{b} a^(b c)d"), 13);
        assert_eq!(words("echo a(b c) $x^(1)"), 3);
    }

    #[test]
    fn switch_subject_is_any_word() {
        let b = ok("switch $x {\ncase a\n echo a\n}\nswitch(){case *; echo any}");
        assert!(matches!(
            &b.cmds[0],
            Cmd::Switch {
                subject: Word::Var { .. },
                ..
            }
        ));
        assert!(matches!(
            &b.cmds[1],
            Cmd::Switch {
                subject: Word::List { .. },
                ..
            }
        ));
    }
}
