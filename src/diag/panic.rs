//! The last guard: a panic (a bug in oash, never the user's fault) is reported as one line
//! with a hint to report it, instead of Rust's default message and backtrace, which for a
//! panic carrying a large value ran to hundreds of kilobytes.
//!
//! The hook is process-wide, so a panic on any thread (a pipeline member, a job, a test
//! case) prints one line; whoever joins that thread turns it into a failure status, and
//! `main` turns a panic on its own thread into exit code [`EXIT_INTERNAL`]. The line is
//! escaped and cut like any diagnostic; this module must never print more than that line
//! unless `OASH_BACKTRACE=1` asks for a backtrace.

use std::io::Write;
use std::panic::PanicHookInfo;

use super::escape::{self, Keep};

/// `EX_SOFTWARE` from BSD's `sysexits.h`: an internal software error.
pub const EXIT_INTERNAL: u8 = 70;
/// Longest panic message shown, in characters.
const MESSAGE_LIMIT: usize = 200;
/// Where bugs go.
const REPORT_TO: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(url) if !url.is_empty() => url,
    _ => "the oash issue tracker",
};

/// Replaces Rust's panic message with [`report_line`] for the whole process.
pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        let location = info.location().map(|l| (l.file(), l.line()));
        let line = report_line(info.payload_as_str(), location);
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{line}");
        if std::env::var_os("OASH_BACKTRACE").is_some_and(|v| v == "1") {
            let _ = writeln!(err, "{}", std::backtrace::Backtrace::force_capture());
        }
    }));
}

/// The one line a panic prints: the message (escaped, cut), where, and what to do about it.
pub fn report_line(message: Option<&str>, location: Option<(&str, u32)>) -> String {
    let message = match message {
        Some(m) => escape::cut(m.as_bytes(), Keep::Nothing, MESSAGE_LIMIT),
        None => "a panic without a message".to_string(),
    };
    let place = match location {
        Some((file, line)) => format!(" at {}:{line}", escape::name(file)),
        None => String::new(),
    };
    format!(
        "oash: internal error: {message}{place}; please report this at {REPORT_TO} with the command that caused it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_short_escaped_line() {
        let huge = format!("bad \u{1b}[2J{}\nsecond line", "x".repeat(300_000));
        let line = report_line(Some(&huge), Some(("src/eval/exec.rs", 42)));
        assert!(
            line.starts_with("oash: internal error: bad \\e[2Jxxx"),
            "{line}"
        );
        assert!(line.contains("…"));
        assert!(line.contains(" at src/eval/exec.rs:42; please report this at "));
        assert!(!line.contains('\n') && !line.contains('\u{1b}'));
        assert!(line.len() < 600, "{} bytes", line.len());
    }

    #[test]
    fn no_message_no_location() {
        assert_eq!(
            report_line(None, None),
            format!(
                "oash: internal error: a panic without a message; please report this at {REPORT_TO} with the command that caused it"
            )
        );
    }
}
