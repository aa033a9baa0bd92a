//! Errors at the interactive prompt: one line each, the full diagnostic kept for `why`.
//!
//! A script's errors are miette's full reports (file, line, column, the source underlined),
//! which is what a person debugging a script wants. At the prompt the line in error is the
//! one just typed, and seven lines for `cat /nope` push the session off the screen; there an
//! error is one line, `oash: cat: /nope: file does not exist  (why: full diagnostic)`, and
//! the `why` builtin prints the full report of the last error on demand. [`LastError`] is
//! that memory, shared by a shell and its forks; it keeps the report as the script would
//! have printed it, so `why` shows exactly that. The one line is cleaned like every
//! diagnostic: nothing from outside the shell reaches the terminal raw.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use miette::Diagnostic;

use super::escape;

/// What the one-line form ends with: how to see the rest.
pub const WHY_HINT: &str = "(why: full diagnostic)";

/// Whether errors are printed whole or in one line, and the last error's full report.
#[derive(Default)]
pub struct LastError {
    brief: AtomicBool,
    last: Mutex<Option<Report>>,
}

/// A full report as rendered: in the colours of the moment, and plain when those were
/// colours and the report was not printed (so `why > file` can have it without escapes).
struct Report {
    shown: String,
    plain: Option<String>,
}

impl LastError {
    /// From now on, errors print in one line (the interactive prompt) or whole (scripts).
    pub fn set_brief(&self, brief: bool) {
        self.brief.store(brief, Ordering::Relaxed);
    }

    /// Whether errors print in one line.
    pub fn is_brief(&self) -> bool {
        self.brief.load(Ordering::Relaxed)
    }

    /// Remembers `diag` as the last error and returns the text to print for it: its full
    /// report (with colour when `color`), or one line at the prompt.
    pub fn record(&self, diag: &dyn Diagnostic, color: bool) -> String {
        let full = super::render(diag, color);
        if !self.is_brief() {
            *lock(&self.last) = Some(Report {
                shown: full.clone(),
                plain: None,
            });
            return full;
        }
        let plain = color.then(|| super::render(diag, false));
        *lock(&self.last) = Some(Report { shown: full, plain });
        one_line(diag, color)
    }

    /// The full report of the last error; without colour unless `color`, where it can.
    pub fn last(&self, color: bool) -> Option<String> {
        let last = lock(&self.last);
        let report = last.as_ref()?;
        Some(match (&report.plain, color) {
            (Some(plain), false) => plain.clone(),
            _ => report.shown.clone(),
        })
    }
}

/// `oash: MESSAGE  (why: full diagnostic)`, and a newline: the message escaped and cut like
/// every diagnostic message (a newline in it is shown as `\n`, so it stays one line).
pub fn one_line(diag: &dyn Diagnostic, color: bool) -> String {
    let message = escape::message(&diag.to_string());
    if color {
        let red = nu_ansi_term::Color::Red.bold();
        let dim = nu_ansi_term::Color::DarkGray.normal();
        format!(
            "{} {message}  {}\n",
            red.paint("oash:"),
            dim.paint(WHY_HINT)
        )
    } else {
        format!("oash: {message}  {WHY_HINT}\n")
    }
}

/// A panic elsewhere while the last report was being stored leaves a usable slot.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
    #[error("{0}")]
    #[diagnostic(code(test::brief), help("a help line"))]
    struct Failure(String);

    #[test]
    fn a_script_prints_the_full_report_and_the_prompt_one_line() {
        let errors = LastError::default();
        let full = errors.record(&Failure("cat: /nope: file does not exist".into()), false);
        assert!(
            full.contains("test::brief") && full.contains("a help line"),
            "{full}"
        );
        errors.set_brief(true);
        let line = errors.record(&Failure("cat: /nope: file does not exist".into()), false);
        assert_eq!(
            line,
            "oash: cat: /nope: file does not exist  (why: full diagnostic)\n"
        );
        // `why` shows what the script would have printed.
        assert_eq!(errors.last(false).as_deref(), Some(full.as_str()));
    }

    #[test]
    fn the_one_line_is_one_line_and_escaped() {
        let line = one_line(&Failure("first\nsecond \u{1b}[2J".into()), false);
        assert_eq!(
            line,
            "oash: first\\nsecond \\e[2J  (why: full diagnostic)\n"
        );
    }

    #[test]
    fn nothing_to_explain_before_the_first_error() {
        assert!(LastError::default().last(false).is_none());
    }
}
