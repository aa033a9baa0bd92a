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
    prepare(&mut shell);
    let io = Io::buffers(out.clone(), err.clone());
    let status = shell.run_script(Arc::new(SourceFile::new(name, text)), &io);
    shell.engines.jobs.wait_all();
    drop(io);
    Outcome {
        stdout: String::from_utf8_lossy(&out.take()).into_owned(),
        stderr: String::from_utf8_lossy(&err.take()).into_owned(),
        status,
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
