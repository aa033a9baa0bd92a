//! `oash test [-t DURATION] PATH...`: finds test files, runs them, prints one line per test
//! and a summary.
//!
//! Directories are walked in sorted order; `.t`, `.oash` and `.md` files are tests (see the
//! module docs of [`super`]). Each test runs under a time limit (60 s unless `-t` or the
//! file's own `# timeout:` line says otherwise); one that runs past it fails, named, and the
//! run goes on. A path that holds no test case fails too: an empty suite is a mistake, not
//! a pass. The last line is always `N passed, N failed`; the exit code is non-zero when
//! anything failed or a path could not be read. Paths may be any bytes; they are shown
//! escaped.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::deadline::{self, Ended};
use super::{Difference, Mismatch, Outcome, book, run_script_with, transcript};
use crate::diag::escape::{self, Keep};

/// The time limit of a test unless `-t` or the file says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

const USAGE: &str = "usage: oash test [-t DURATION] PATH...

Runs .t transcripts, .oash test scripts and the ```oash blocks of .md files;
prints one line per test and `N passed, N failed`.

  -t, --timeout DURATION  stop a test that runs longer than this and fail it
                          (default 60s; 0 for no limit). A file sets its own with a
                          `# timeout: DURATION` line before its first case (in a .md
                          file, `<!-- timeout: DURATION -->` before its first block).

DURATION is a number with ms, s (the default) or m: 500ms, 10s, 1.5, 2m.
A path with no test case in it fails.";

/// The tally of a run: every case or script passes or fails, nothing is skipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// How many passed.
    pub passed: usize,
    /// How many failed; the run's exit code is 1 if any did.
    pub failed: usize,
}

/// How a run is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The time limit of each test; `None`: none.
    pub timeout: Option<Duration>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// Why `oash test`'s arguments, or a file's `# timeout:` line, are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    /// `-t` at the end, with no duration after it.
    #[error("-t needs a duration")]
    MissingDuration,
    /// A flag `oash test` does not have (escaped for the terminal).
    #[error("unknown flag {0}")]
    UnknownFlag(String),
    /// No path to test.
    #[error("no PATH to test")]
    NoPath,
    /// A duration that is not one (escaped for the terminal).
    #[error("bad duration {0} (a number with ms, s or m: 500ms, 10s, 2m)")]
    BadDuration(String),
}

/// Why one test (a case, a block, a script, or a whole file) failed: the text after its
/// name on the `FAIL` line.
#[derive(Debug, thiserror::Error)]
enum Failure {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Unreadable(std::io::Error),
    /// The file's `# timeout:` line is not a duration.
    #[error("{0}")]
    Timeout(UsageError),
    /// The transcript is malformed.
    #[error("{0}")]
    Malformed(transcript::ParseError),
    /// The file holds no case.
    #[error("no test cases")]
    NoCases,
    /// The test ran and differs from what it expects.
    #[error("{0}")]
    Mismatch(Mismatch),
    /// The test ran past its limit (`None`: it had none, yet was stopped).
    #[error("(timed out after {})", .0.map(deadline::show).unwrap_or_default())]
    TimedOut(Option<Duration>),
    /// The test panicked; the panic's message.
    #[error("(internal error: {})", escape::cut(.0.as_bytes(), Keep::Nothing, 200))]
    Panicked(String),
    /// No thread could be started for it.
    #[error("(cannot start: {0})")]
    NotStarted(String),
}

impl Failure {
    /// What goes between the test's name and the failure: a report goes on lines of its
    /// own; a reason stays on the `FAIL` line.
    fn separator(&self) -> &'static str {
        match self {
            Failure::Unreadable(_) | Failure::Malformed(_) => "\n  ",
            Failure::Timeout(_) | Failure::NoCases => ": ",
            Failure::Mismatch(_) => "\n",
            Failure::TimedOut(_) | Failure::Panicked(_) | Failure::NotStarted(_) => " ",
        }
    }
}

/// The `oash test` command.
pub fn main(args: &[OsString]) -> i32 {
    let (options, paths) = match parse_args(args) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            println!("{USAGE}");
            return 0;
        }
        Err(message) => {
            eprintln!("oash test: {message}\n{USAGE}");
            return 2;
        }
    };
    let stdout = std::io::stdout();
    let summary = run_paths_with(&paths, &options, &mut stdout.lock());
    i32::from(summary.failed > 0)
}

/// The options and paths of `oash test`; `None` when help was asked for.
fn parse_args(args: &[OsString]) -> Result<Option<(Options, Vec<PathBuf>)>, UsageError> {
    let mut options = Options::default();
    let mut paths = Vec::new();
    let mut flags = true;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let text = arg.to_str().filter(|_| flags);
        let value = match text {
            Some("--") => {
                flags = false;
                continue;
            }
            Some("-h" | "--help") => return Ok(None),
            Some("-t" | "--timeout") => Some(
                rest.next()
                    .map(|v| v.to_string_lossy().into_owned())
                    .ok_or(UsageError::MissingDuration)?,
            ),
            Some(t) if t.starts_with("--timeout=") => Some(t["--timeout=".len()..].to_string()),
            Some(t) if t.starts_with("-t") => Some(t[2..].to_string()),
            Some(t) if t.starts_with('-') && t.len() > 1 => {
                return Err(UsageError::UnknownFlag(escape::name(t)));
            }
            _ => None,
        };
        match value {
            Some(v) => options.timeout = parse_timeout(&v)?,
            None => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        return Err(UsageError::NoPath);
    }
    Ok(Some((options, paths)))
}

/// A time limit as written after `-t` or `# timeout:`; `0` is no limit.
fn parse_timeout(text: &str) -> Result<Option<Duration>, UsageError> {
    match crate::units::duration(text) {
        Some(d) if d.is_zero() => Ok(None),
        Some(d) => Ok(Some(d)),
        None => Err(UsageError::BadDuration(escape::name(text))),
    }
}

/// Runs every test under `paths` with the default options, reporting on `out`.
pub fn run_paths(paths: &[PathBuf], out: &mut dyn Write) -> Summary {
    run_paths_with(paths, &Options::default(), out)
}

/// Runs every test under `paths`, reporting on `out`.
pub fn run_paths_with(paths: &[PathBuf], options: &Options, out: &mut dyn Write) -> Summary {
    let mut s = Summary::default();
    for p in paths {
        let mut files = Vec::new();
        if let Err(e) = collect(p, &mut files) {
            let _ = writeln!(out, "FAIL {}: {e}", shown(p));
            s.failed += 1;
            continue;
        }
        let before = s;
        for f in files {
            run_file(&f, options, out, &mut s);
        }
        if s == before {
            let _ = writeln!(out, "FAIL {}: no test cases", shown(p));
            s.failed += 1;
        }
    }
    let _ = writeln!(out, "{} passed, {} failed", s.passed, s.failed);
    s
}

/// A path as the report shows it: control characters and invalid bytes escaped.
fn shown(p: &Path) -> String {
    escape::escape(p.as_os_str().as_encoded_bytes(), Keep::Nothing)
}

fn collect(p: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || is_test_file(&e) {
                collect(&e, files)?;
            }
        }
    } else if p.exists() {
        files.push(p.to_path_buf());
    } else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file or directory",
        ));
    }
    Ok(())
}

fn is_test_file(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("t" | "oash" | "md")
    )
}

fn record(out: &mut dyn Write, s: &mut Summary, name: &str, result: Result<(), Failure>) {
    match result {
        Ok(()) => {
            s.passed += 1;
            let _ = writeln!(out, "ok   {name}");
        }
        Err(failure) => {
            s.failed += 1;
            let _ = writeln!(out, "FAIL {name}{}{failure}", failure.separator());
        }
    }
}

/// The kinds of test file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Transcript,
    Book,
    Script,
}

fn run_file(path: &Path, options: &Options, out: &mut dyn Write, s: &mut Summary) {
    let shown_path = shown(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return record(out, s, &shown_path, Err(Failure::Unreadable(e))),
    };
    let kind = match path.extension().and_then(|e| e.to_str()) {
        Some("t") => Kind::Transcript,
        Some("md") => Kind::Book,
        _ => Kind::Script,
    };
    let timeout = match file_timeout(kind, &text) {
        Ok(Some(t)) => t,
        Ok(None) => options.timeout,
        Err(e) => return record(out, s, &shown_path, Err(Failure::Timeout(e))),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match kind {
        Kind::Transcript => match transcript::parse(&text) {
            Err(e) => record(out, s, &shown_path, Err(Failure::Malformed(e))),
            Ok(cases) if cases.is_empty() => {
                record(out, s, &shown_path, Err(Failure::NoCases));
            }
            Ok(cases) => {
                for case in cases {
                    let name = format!(
                        "{shown_path}:{}: {}",
                        case.line,
                        escape::escape(&case.name, Keep::Nothing)
                    );
                    let (file_name, script) = (file_name.clone(), case.script.clone());
                    let ended = deadline::run(timeout, move |register| {
                        run_script_with(&file_name, &script, register)
                    });
                    let result = finished(ended, timeout, |got| transcript::compare(&case, &got));
                    record(out, s, &name, result);
                }
            }
        },
        Kind::Book => {
            for block in book::blocks(&text) {
                let name = format!("{shown_path}:{}", block.line);
                let running = block.clone();
                let ended =
                    deadline::run(timeout, move |register| book::run_with(&running, register));
                let result = finished(ended, timeout, |got| book::compare(&block, &got));
                record(out, s, &name, result);
            }
        }
        Kind::Script => {
            let expected_out = path.with_extension("out");
            let ended = deadline::run(timeout, move |register| {
                run_script_with(&file_name, &text, register)
            });
            let result = finished(ended, timeout, |got| check_script(&expected_out, &got));
            record(out, s, &shown_path, result);
        }
    }
}

/// The result of a test that ran under a limit: `compare` judges what it did when it ended;
/// otherwise the reason it did not end, on the test's own line.
fn finished<T>(
    ended: Ended<T>,
    timeout: Option<Duration>,
    compare: impl FnOnce(T) -> Result<(), Mismatch>,
) -> Result<(), Failure> {
    match ended {
        Ended::Done(got) => compare(got).map_err(Failure::Mismatch),
        Ended::TimedOut => Err(Failure::TimedOut(timeout)),
        Ended::Panicked(message) => Err(Failure::Panicked(message)),
        Ended::NotStarted(e) => Err(Failure::NotStarted(e)),
    }
}

/// A `.oash` test: a true status, and the standard output in `NAME.out` if there is one.
fn check_script(expected_out: &Path, got: &Outcome) -> Result<(), Mismatch> {
    let mut differences = Vec::new();
    if !got.status.is_ok() {
        differences.push(Difference::FalseStatus {
            got: got.status.to_string(),
        });
    }
    if let Ok(want) = std::fs::read_to_string(expected_out)
        && want != got.stdout
    {
        differences.push(Difference::StdoutFile {
            file: shown(expected_out),
            expected: want,
            got: got.stdout.clone(),
        });
    }
    Mismatch::of(differences, Some(got.stderr.clone()))
}

/// A file's own time limit: a `# timeout: DURATION` line among the lines before its first
/// case (a `.t` file's preamble, a `.oash` file's leading comments), or in a `.md` file an
/// `<!-- timeout: DURATION -->` line before its first block. `Ok(None)`: the file sets none.
fn file_timeout(kind: Kind, text: &str) -> Result<Option<Option<Duration>>, UsageError> {
    let header = text.lines().take_while(|line| match kind {
        Kind::Transcript => !line.starts_with("### "),
        Kind::Script => line.starts_with('#'),
        Kind::Book => line.trim_start() != "```oash",
    });
    for line in header {
        let comment = match kind {
            Kind::Book => line
                .trim()
                .strip_prefix("<!--")
                .and_then(|l| l.strip_suffix("-->")),
            Kind::Transcript | Kind::Script => line.strip_prefix('#'),
        };
        if let Some(value) = comment.and_then(|c| c.trim().strip_prefix("timeout:")) {
            return parse_timeout(value.trim()).map(Some);
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
