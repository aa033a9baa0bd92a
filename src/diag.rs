//! Rendering diagnostics: the one place that turns an error into text for a person.
//!
//! Colour only when asked (a terminal, and `NO_COLOR` unset); without colour the output is
//! stable, which is what the golden tests compare. Whatever an error carries (a file name
//! full of escape sequences, a megabyte command line, binary garbage read from standard
//! input), what this prints is escaped and bounded: every diagnostic goes through
//! `clean::Clean` before miette sees it. Nothing here may print a raw control character
//! that came from outside the shell.

pub mod brief;
pub(crate) mod clean;
pub mod escape;
pub(crate) mod excerpt;
pub mod panic;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// The most a rendered diagnostic may take, in bytes. The cuts in [`escape`] and
/// `excerpt` keep a diagnostic far below this; the cap is the last guard.
pub const RENDER_LIMIT: usize = 16 << 10;

/// Renders `diag` as miette's graphical report, with or without colour.
pub fn render(diag: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let clean = clean::Clean::new(diag);
    let mut out = String::new();
    if handler.render_report(&mut out, &clean).is_err() {
        out = format!("{clean}\n");
    }
    if out.len() > RENDER_LIMIT {
        let mut end = RENDER_LIMIT;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push_str("…\n");
    }
    out
}

/// Whether diagnostics and the prompt should use colour on this terminal.
pub fn color_wanted(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
