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

/// The words that start a compound command where a command starts (unquoted); `help` has
/// a topic for each.
pub const KEYWORDS: &[&str] = &["if", "for", "while", "switch", "fn", "case", "~", "!", "@"];

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
}

mod compound;
mod words;
use words::describe;
pub use words::is_var_name;

#[cfg(test)]
mod tests;
