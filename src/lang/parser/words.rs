//! Simple commands and words: assignments, redirections, and the word grammar (`$x`,
//! `$#x`, `$"x`, `$x(2)`, `$$x`, `` `{cmd} ``, `<{cmd}`, `(lists)`, `^` and free carets),
//! each a method of the one [`Parser`]. Nesting is bounded (see [`MAX_NESTING`]).

use super::*;

impl Parser<'_> {
    /// Assignments, then words and redirections in any order.
    pub(super) fn simple(&mut self) -> Result<Cmd, ParseError> {
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
    pub(super) fn assignment(&mut self) -> Result<Option<Assign>, ParseError> {
        let name = match self.tok() {
            Tok::Word(w) if is_var_name(w) => w.clone(),
            _ => return Ok(None),
        };
        if !matches!(self.tokens.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Eq)) {
            return Ok(None);
        }
        let name_tok = self.next();
        self.next(); // the `=`
        // As in rc, blanks around `=` do not matter: `x = 1` and `x= (a b)` assign. A bare
        // `x=` is a syntax error, as in rc (`x=()` is the empty list); it is never
        // *incomplete*, since no later line can supply the value.
        if !self.word_starts() {
            let mut e = self.unexpected("a value after `=` (`()` for the empty list)");
            e.incomplete = false;
            return Err(e);
        }
        let value = self.word()?;
        Ok(Some(Assign {
            name,
            span: name_tok.span.to(value.span()),
            value,
        }))
    }

    pub(super) fn redirection(&mut self) -> Result<Redir, ParseError> {
        let t = self.next();
        let Tok::Redir(r) = t.tok else {
            return Err(self.unexpected("a redirection"));
        };
        let (fd, op) = match r {
            RedirTok::Dup { fd, to } => (fd, RedirOp::Dup(to)),
            RedirTok::Close { fd } => (fd, RedirOp::Close),
            RedirTok::HereDoc { fd, quoted, body } => (fd, RedirOp::HereDoc { body, quoted }),
            RedirTok::Write { fd }
            | RedirTok::Append { fd }
            | RedirTok::Read { fd }
            | RedirTok::ReadWrite { fd } => {
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
                    RedirTok::ReadWrite { .. } => RedirOp::ReadWrite(target),
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

    pub(super) fn word_starts(&self) -> bool {
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
    pub(super) fn word(&mut self) -> Result<Word, ParseError> {
        let mut left = self.primary()?;
        let mut pieces = 1;
        loop {
            let ends_in_text = ends_in_text(&left);
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

    pub(super) fn primary(&mut self) -> Result<Word, ParseError> {
        self.nested(Self::primary_inner)
    }

    /// Runs `f` one nesting level deeper, refusing past [`MAX_NESTING`].
    pub(super) fn nested<T>(
        &mut self,
        f: fn(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_NESTING {
            let message = format!("syntax error: nested more than {MAX_NESTING} levels deep");
            return Err(self.error(self.peek().span, message, "too deep here"));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    pub(super) fn primary_inner(&mut self) -> Result<Word, ParseError> {
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
                let form = match t.tok {
                    Tok::Count => VarForm::Count,
                    Tok::Join => VarForm::Join,
                    _ => VarForm::Value,
                };
                self.dollar(form, span)
            }
            Tok::LParen => {
                // As in rc, a list ends on its line: a newline before the `)` is a syntax
                // error, and so is the end of the input unless a `\` continued the line
                // (only then can the REPL's next line close it).
                let mut items = Vec::new();
                while self.word_starts() {
                    items.push(self.word()?);
                }
                let newline = matches!(self.tok(), Tok::Newline);
                let continued = self.file.text().ends_with("\\\n");
                let close = self
                    .expect(Tok::RParen, "`)` closing the list")
                    .map_err(|mut e| {
                        e.incomplete &= continued;
                        if newline {
                            e.help = Some("end the line with `\\` to continue the list".into());
                        }
                        e
                    })?;
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

impl Parser<'_> {
    /// After `$`, `$#` or `$"` (at `start`): a name, or (rc's indirection) a word whose value
    /// names the variable, with `$x`'s subscript where one is glued on.
    fn dollar(&mut self, form: VarForm, start: Span) -> Result<Word, ParseError> {
        /// The variable: named in the source, or by the value of a word.
        enum Named {
            Name(String),
            Word(Word),
        }
        let named = match self.tok() {
            Tok::Name(n) => {
                let name = n.clone();
                self.next();
                Named::Name(name)
            }
            Tok::Dollar
            | Tok::Count
            | Tok::Join
            | Tok::Quoted(_)
            | Tok::LParen
            | Tok::Backquote
                if self.peek().glued =>
            {
                Named::Word(self.primary()?)
            }
            _ => {
                return Err(self.error(start, "`$` must be followed by a variable name", "here"));
            }
        };
        // `$x(...)` and `$'x'(...)` take a subscript; after `$$x` the inner `$x` took it.
        let subscripted = matches!(
            named,
            Named::Name(_) | Named::Word(Word::Lit { quoted: true, .. })
        );
        let index = if subscripted && matches!(self.tok(), Tok::LParen) && self.peek().glued {
            if form != VarForm::Value {
                return Err(self.error(
                    self.peek().span,
                    "syntax error: `$#` and `$\"` take no subscript",
                    "subscript here",
                ));
            }
            self.next();
            let mut subs = Vec::new();
            while self.word_starts() {
                subs.push(self.word()?);
            }
            self.expect(Tok::RParen, "`)` closing the subscript")?;
            Some(subs)
        } else {
            None
        };
        let span = Span::new(start.start, self.prev_end());
        Ok(match named {
            Named::Name(name) => match form {
                VarForm::Value => Word::Var { name, index, span },
                VarForm::Count => Word::Count { name, span },
                VarForm::Join => Word::Join { name, span },
            },
            Named::Word(word) => Word::Indirect {
                form,
                name: Box::new(word),
                index,
                span,
            },
        })
    }
}

/// Whether a word ends in text a free caret can join to: `$x.c` and `$$x.c` are one word,
/// `$x(1).c` and `(a b).c` two.
fn ends_in_text(word: &Word) -> bool {
    match rightmost(word) {
        Word::Lit { .. }
        | Word::Var { index: None, .. }
        | Word::Count { .. }
        | Word::Join { .. } => true,
        Word::Indirect {
            name, index: None, ..
        } => ends_in_text(name),
        _ => false,
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
    !s.is_empty() && s.chars().all(crate::lang::lexer::is_name_char)
}

pub(super) fn describe(t: &Tok) -> String {
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
