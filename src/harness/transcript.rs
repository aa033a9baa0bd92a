//! The transcript format: many small cases in one file, each a script with its expected
//! stdout, stderr and status.
//!
//! ```text
//! ### count of a list
//! x=(a b c)
//! echo $#x
//! --- stdout
//! 3
//! --- status
//! ```
//! A case starts at a `### name` line. Its script runs until the first `--- section` line;
//! sections are `stdout`, `stderr` and `status`. A missing section expects nothing: empty
//! output, and a true (empty) status. Lines before the first case are comments; among them
//! a `# timeout: DURATION` line sets the file's time limit (read by [`super::runner`]).

use std::fmt::Write as _;

use super::{Outcome, diff, run_script};

/// One `### name` case of a transcript: a script and the exact output and status it must give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The text after `### `.
    pub name: String,
    /// 1-based line of the `###` header in the file.
    pub line: usize,
    /// The script, up to the first `---` section.
    pub script: String,
    /// The `--- stdout` section (empty if absent).
    pub stdout: String,
    /// The `--- stderr` section (empty if absent).
    pub stderr: String,
    /// The `--- status` section without its newline: empty means true.
    pub status: String,
}

/// Splits a transcript file into cases.
pub fn parse(text: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    let mut section: Option<&str> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(name) = bare.strip_prefix("### ") {
            cases.push(Case {
                name: name.trim().to_string(),
                line: i + 1,
                script: String::new(),
                stdout: String::new(),
                stderr: String::new(),
                status: String::new(),
            });
            section = Some("script");
            continue;
        }
        let Some(case) = cases.last_mut() else {
            continue;
        };
        if let Some(name) = bare.strip_prefix("--- ") {
            section = match name.trim() {
                "stdout" => Some("stdout"),
                "stderr" => Some("stderr"),
                "status" => Some("status"),
                other => {
                    return Err(format!(
                        "line {}: unknown section `{other}` (stdout, stderr, status)",
                        i + 1
                    ));
                }
            };
            continue;
        }
        match section {
            Some("script") => case.script.push_str(line),
            Some("stdout") => case.stdout.push_str(line),
            Some("stderr") => case.stderr.push_str(line),
            Some("status") => case.status.push_str(line),
            _ => {}
        }
    }
    for c in &mut cases {
        c.status = c.status.trim().to_string();
    }
    Ok(cases)
}

/// Runs a case; `Err` holds a report of every difference.
pub fn check(file_name: &str, case: &Case) -> Result<(), String> {
    compare(case, &run_script(file_name, &case.script))
}

/// Compares what a case's script did with what the case expects; `Err` holds a report of
/// every difference.
pub fn compare(case: &Case, got: &Outcome) -> Result<(), String> {
    let mut report = String::new();
    if got.stdout != case.stdout {
        let _ = write!(
            report,
            "  stdout differs:\n{}",
            diff(&case.stdout, &got.stdout)
        );
    }
    if got.stderr != case.stderr {
        let _ = write!(
            report,
            "  stderr differs:\n{}",
            diff(&case.stderr, &got.stderr)
        );
    }
    if got.status.as_str() != case.status {
        let _ = writeln!(
            report,
            "  status: expected '{}', got '{}'",
            case.status, got.status
        );
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_and_defaults() {
        let t = "comment\n### a\necho hi\n--- stdout\nhi\n### b\nfalse\n--- status\n1\n";
        let cases = parse(t).unwrap_or_default();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].script, "echo hi\n");
        assert_eq!(cases[0].stdout, "hi\n");
        assert_eq!(cases[0].status, "");
        assert_eq!(cases[1].status, "1");
    }

    #[test]
    fn unknown_section_is_an_error() {
        assert!(parse("### a\n--- stdin\n").is_err());
    }
}
