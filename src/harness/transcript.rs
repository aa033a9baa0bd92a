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

use super::{Difference, Mismatch, Outcome, run_script};

/// Why a transcript file is not one: the first malformed line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A `--- NAME` line whose name is not a section.
    #[error("line {line}: unknown section `{name}` (stdout, stderr, status)")]
    UnknownSection {
        /// 1-based line in the file.
        line: usize,
        /// The name after `--- `.
        name: String,
    },
}

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
pub fn parse(text: &str) -> Result<Vec<Case>, ParseError> {
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
                    return Err(ParseError::UnknownSection {
                        line: i + 1,
                        name: other.to_string(),
                    });
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

/// Runs a case; `Err` holds every difference.
pub fn check(file_name: &str, case: &Case) -> Result<(), Mismatch> {
    compare(case, &run_script(file_name, &case.script))
}

/// Compares what a case's script did with what the case expects; `Err` holds every
/// difference.
pub fn compare(case: &Case, got: &Outcome) -> Result<(), Mismatch> {
    let mut differences = Vec::new();
    if got.stdout != case.stdout {
        differences.push(Difference::Stdout {
            expected: case.stdout.clone(),
            got: got.stdout.clone(),
        });
    }
    if got.stderr != case.stderr {
        differences.push(Difference::Stderr {
            expected: case.stderr.clone(),
            got: got.stderr.clone(),
        });
    }
    // No `--- status` section expects a true status: empty, or `|` after a pipeline.
    let status_differs = if case.status.is_empty() {
        !got.status.is_ok()
    } else {
        got.status.as_str() != case.status
    };
    if status_differs {
        differences.push(Difference::Status {
            expected: case.status.clone(),
            got: got.status.to_string(),
        });
    }
    Mismatch::of(differences, None)
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
        assert_eq!(
            parse("### a\n--- stdin\n").map_err(|e| e.to_string()),
            Err("line 2: unknown section `stdin` (stdout, stderr, status)".to_string())
        );
    }
}
