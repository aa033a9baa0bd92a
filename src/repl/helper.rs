//! The rustyline helper: completion, history hints, colouring and multi-line validation.
//!
//! The helper holds a clone of the [`Shell`] refreshed before every prompt (a clone is cheap:
//! the namespace is an immutable table), so it sees the current directory, variables,
//! functions and mounts without sharing mutable state with the interpreter. It only reads
//! that snapshot: editing a line can never run a command or change the shell.

use std::borrow::Cow;
use std::sync::Arc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Result};

use super::{complete, highlight};
use crate::eval::Shell;
use crate::lang::{SourceFile, parse};

pub struct ReplHelper {
    shell: Shell,
    hinter: HistoryHinter,
}

impl ReplHelper {
    pub fn new(shell: &Shell) -> ReplHelper {
        ReplHelper {
            shell: shell.view(),
            hinter: HistoryHinter::new(),
        }
    }

    /// Takes a fresh snapshot of the shell (cwd, variables, functions, namespace).
    pub fn refresh(&mut self, shell: &Shell) {
        self.shell = shell.view();
    }
}

/// Whether `text` is a complete program so far: an unclosed brace, quote or here document
/// means more lines are wanted. Syntax errors count as complete so they are reported.
pub fn needs_more_lines(text: &str) -> bool {
    matches!(parse(Arc::new(SourceFile::new("<stdin>", text))), Err(e) if e.incomplete)
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Result<(usize, Vec<Pair>)> {
        Ok(complete::complete(&self.shell, line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.shell.proc.color {
            return Cow::Borrowed(line);
        }
        match highlight::highlight(&self.shell, line) {
            Some(coloured) => Cow::Owned(coloured),
            None => Cow::Borrowed(line),
        }
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        // The working directory that starts the prompt in blue.
        match prompt.strip_prefix(self.shell.proc.cwd.as_str()) {
            Some(rest) if self.shell.proc.color => Cow::Owned(format!(
                "{}{rest}",
                nu_ansi_term::Color::Blue
                    .bold()
                    .paint(self.shell.proc.cwd.as_str())
            )),
            _ => Cow::Borrowed(prompt),
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if !self.shell.proc.color {
            return Cow::Borrowed(hint);
        }
        Cow::Owned(nu_ansi_term::Color::DarkGray.paint(hint).to_string())
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Any keystroke can change a token's class (`ech` → `echo`), so recolour each time.
        self.shell.proc.color
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> Result<ValidationResult> {
        if needs_more_lines(ctx.input()) {
            Ok(ValidationResult::Incomplete)
        } else {
            Ok(ValidationResult::Valid(None))
        }
    }
}

impl rustyline::Helper for ReplHelper {}

#[cfg(test)]
mod tests {
    use super::needs_more_lines;

    #[test]
    fn open_blocks_and_quotes_want_more_lines() {
        assert!(needs_more_lines("for(i in a b) {"));
        assert!(needs_more_lines("for(i in a b) {\necho $i"));
        assert!(needs_more_lines("echo 'open"));
        assert!(!needs_more_lines("for(i in a b) {\necho $i\n}"));
        assert!(!needs_more_lines("echo done"));
        // A syntax error is complete: running it reports the error instead of waiting.
        assert!(!needs_more_lines("echo )"));
    }
}
