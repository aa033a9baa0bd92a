//! Rendering diagnostics: the one place that turns an error into text for a person.
//!
//! Colour only when asked (a terminal, and `NO_COLOR` unset); without colour the output is
//! stable, which is what the golden tests compare.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

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
    let mut out = String::new();
    if handler.render_report(&mut out, diag).is_err() {
        out = format!("{diag}\n");
    }
    out
}

/// Whether diagnostics and the prompt should use colour on this terminal.
pub fn color_wanted(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
