//! Testing oash with oash: the machinery behind `oash test`, the project's transcript tests
//! and the book's executed examples. One runner serves all three.
//!
//! - `*.t` transcripts hold many cases: a script and its exact stdout, stderr and status.
//! - `*.oash` test scripts pass when they end with a true status (and match `NAME.out` if
//!   one stands beside them).
//! - `*.md` chapters: every ```oash block is a session of `; command` lines and their output.
//!
//! Test files are read from the host (they are the user's test suite); the scripts in them
//! run in a fresh shell over the in-memory namespace, never touching the host. Each test
//! runs under a time limit (see `deadline`).

pub mod book;
pub(crate) mod deadline;
pub mod runner;
pub mod transcript;

use std::fmt::Write as _;
use std::sync::Arc;

use crate::eval::shell::Interrupter;
use crate::eval::{Buffer, Io, Shell, Status};
use crate::lang::SourceFile;
use crate::services::dev::{Console, DevService};

/// What running one script produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Everything written to descriptor 1, lossily decoded.
    pub stdout: String,
    /// Everything written to descriptor 2, diagnostics included, lossily decoded.
    pub stderr: String,
    /// The script's final status.
    pub status: Status,
}

/// Runs `text` as a script named `name` in a fresh shell, capturing everything. The
/// shell's `/dev` is a `dev` whose console is the captured standard output (and an empty
/// input), so `echo hi > /dev/cons` shows in the transcript as it would on a terminal.
pub fn run_script(name: &str, text: &str) -> Outcome {
    run_script_with(name, text, &|_| {})
}

/// [`run_script`], handing the shell's interrupter to `register` before the script starts
/// (so a time limit can stop it).
pub fn run_script_with(name: &str, text: &str, register: &dyn Fn(Interrupter)) -> Outcome {
    run_script_in(name, text, |shell| register(shell.interrupter()))
}

/// [`run_script`] in a fresh shell that `prepare` gets first (the escape suite makes it a
/// sandbox with [`Shell::sandbox`], as `oash --sandbox` does).
pub fn run_script_in(name: &str, text: &str, prepare: impl FnOnce(&mut Shell)) -> Outcome {
    let (out, err) = (Buffer::new(), Buffer::new());
    let console = Console::new(std::io::empty(), out.clone());
    let mut shell = Shell::with_dev(DevService::with_console(Arc::new(console)));
    // Tests and the book's examples never touch the user's agents.
    shell
        .engines
        .agents
        .set_state(crate::agent::StateDir::Ephemeral);
    prepare(&mut shell);
    let io = Io::buffers(out.clone(), err.clone());
    let status = shell.run_script(Arc::new(SourceFile::new(name, text)), &io);
    shell.end_jobs();
    drop(io);
    Outcome {
        stdout: String::from_utf8_lossy(&out.take()).into_owned(),
        stderr: String::from_utf8_lossy(&err.take()).into_owned(),
        status,
    }
}

/// One way a test's run differs from what the test expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A transcript case's standard output.
    Stdout {
        /// The `--- stdout` section.
        expected: String,
        /// What the script wrote.
        got: String,
    },
    /// A transcript case's standard error (its diagnostics).
    Stderr {
        /// The `--- stderr` section.
        expected: String,
        /// What the script wrote.
        got: String,
    },
    /// A transcript case's final status.
    Status {
        /// The `--- status` section (empty: true).
        expected: String,
        /// The status the script ended with.
        got: String,
    },
    /// A book block's output, standard output and error interleaved.
    Output {
        /// The block's lines that are not input.
        expected: String,
        /// What the inputs printed.
        got: String,
    },
    /// A `.oash` test script ended with a false status.
    FalseStatus {
        /// The status it ended with.
        got: String,
    },
    /// A `.oash` test script's standard output is not its `NAME.out` file.
    StdoutFile {
        /// The `NAME.out` file, as the report shows it.
        file: String,
        /// The file's text.
        expected: String,
        /// What the script wrote.
        got: String,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Stdout { expected, got } => {
                write!(f, "  stdout differs:\n{}", diff(expected, got))
            }
            Difference::Stderr { expected, got } => {
                write!(f, "  stderr differs:\n{}", diff(expected, got))
            }
            Difference::Status { expected, got } => {
                writeln!(f, "  status: expected '{expected}', got '{got}'")
            }
            Difference::Output { expected, got } => f.write_str(&diff(expected, got)),
            Difference::FalseStatus { got } => writeln!(f, "  status: '{got}'"),
            Difference::StdoutFile {
                file,
                expected,
                got,
            } => write!(f, "  stdout differs from {file}:\n{}", diff(expected, got)),
        }
    }
}

/// Why a test that ran to its end failed: every difference, in order, and for a `.oash`
/// script what it wrote to standard error (a clue, not itself compared). Shown, it is the
/// failure report under the test's `FAIL` line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Mismatch {
    /// What differs; never empty.
    pub differences: Vec<Difference>,
    /// A script's standard error, shown after the differences when not empty.
    pub stderr: Option<String>,
}

impl Mismatch {
    /// `Ok` when nothing differs, else the mismatch.
    fn of(differences: Vec<Difference>, stderr: Option<String>) -> Result<(), Mismatch> {
        match differences.is_empty() {
            true => Ok(()),
            false => Err(Mismatch {
                differences,
                stderr: stderr.filter(|e| !e.is_empty()),
            }),
        }
    }
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for d in &self.differences {
            write!(f, "{d}")?;
        }
        if let Some(stderr) = &self.stderr {
            write!(f, "  stderr:\n{stderr}")?;
        }
        Ok(())
    }
}

/// A line-by-line comparison of expected and actual text, for failure reports.
pub fn diff(expected: &str, actual: &str) -> String {
    let mut out = String::new();
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {
                let _ = writeln!(out, "    {x}");
            }
            (x, y) => {
                if let Some(x) = x {
                    let _ = writeln!(out, "  - {x}");
                }
                if let Some(y) = y {
                    let _ = writeln!(out, "  + {y}");
                }
            }
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("  (the final newline differs)\n");
    }
    out
}
