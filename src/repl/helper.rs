//! The rustyline helper: completion, hints (history, and the working directory on an empty
//! line), colouring, and whether a text wants more lines.
//!
//! The helper holds a clone of the [`Shell`] refreshed before every prompt (a clone is cheap:
//! the namespace is an immutable table), so it sees the current directory, variables,
//! functions and mounts without sharing mutable state with the interpreter. It only reads
//! that snapshot: editing a line can never run a command or change the shell.

use std::borrow::Cow;
use std::sync::Arc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Result};

use super::{complete, highlight};
use crate::eval::Shell;
use crate::lang::{SourceFile, parse};

pub struct ReplHelper {
    shell: Shell,
    hinter: HistoryHinter,
    /// The lines entered so far of an unfinished command the line being read continues:
    /// the line is coloured as their continuation, and has no cwd hint.
    pub pending: Option<String>,
}

impl ReplHelper {
    pub fn new(shell: &Shell) -> ReplHelper {
        ReplHelper {
            shell: shell.view(),
            hinter: HistoryHinter::new(),
            pending: None,
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

/// What is shown dimmed after the cursor.
pub enum LineHint {
    /// The rest of a history entry the line starts; → at the end of the line takes it.
    History(String),
    /// The working directory, on an empty first line: shown, never taken into the line.
    Cwd(String),
}

impl Hint for LineHint {
    fn display(&self) -> &str {
        match self {
            LineHint::History(rest) => rest,
            LineHint::Cwd(shown) => shown,
        }
    }

    fn completion(&self) -> Option<&str> {
        match self {
            LineHint::History(rest) => Some(rest),
            LineHint::Cwd(_) => None,
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = LineHint;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<LineHint> {
        if line.is_empty() {
            // Only in colour: undimmed, it would look like text typed on the line.
            return (self.shell.proc.color && self.pending.is_none())
                .then(|| LineHint::Cwd(format!("  {}", self.shell.proc.cwd)));
        }
        // Of an entry of several lines, the rest of its first: a hint is drawn on this line.
        let hint = self.hinter.hint(line, pos, ctx)?;
        let first = hint.split('\n').next().unwrap_or_default();
        (!first.is_empty()).then(|| LineHint::History(first.to_string()))
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.shell.proc.color {
            return Cow::Borrowed(line);
        }
        Cow::Owned(match &self.pending {
            Some(before) => highlight::highlight_continued(&self.shell, before, line),
            None => highlight::highlight(&self.shell, line),
        })
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

/// Every line is complete to the editor: an unfinished command is read on, line by line,
/// after `$prompt(2)` (see [`super::read_entry`]), which the editor's own multi-line mode
/// has no prompt for.
impl Validator for ReplHelper {
    fn validate(&self, _ctx: &mut ValidationContext) -> Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
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
