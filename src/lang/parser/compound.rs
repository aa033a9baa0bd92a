//! The compound commands of the grammar: `(...)` conditions, `for`, `switch` and `fn`
//! definitions, each a method of the one [`Parser`]. `if` and `while` are parsed where a
//! command starts ([`Parser::command`]), since they only add a condition to a body.

use super::*;

impl Parser<'_> {
    /// `( body )` for conditions.
    pub(super) fn paren_body(&mut self, what: &str) -> Result<Body, ParseError> {
        if !matches!(self.tok(), Tok::LParen) {
            return Err(self.unexpected(what));
        }
        self.next();
        let body = self.body(Stop::Paren)?;
        self.expect(Tok::RParen, "`)`")?;
        Ok(body)
    }

    pub(super) fn for_loop(&mut self, start: Span) -> Result<Cmd, ParseError> {
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

    pub(super) fn switch(&mut self, start: Span) -> Result<Cmd, ParseError> {
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

    pub(super) fn fn_def(&mut self, start: Span) -> Result<Cmd, ParseError> {
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
}
