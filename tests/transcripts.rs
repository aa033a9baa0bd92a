//! The transcript tests: every `tests/transcripts/*.t` case, run through the same runner as
//! `oash test tests/transcripts`.
//!
//! Many of these cases were checked against Plan 9's rc (Debian `9base`) as an oracle; cases
//! whose name says `(oash)` are oash's own behaviour (diagnostics, builtins rc lacks).
//!
//! `OASH_BLESS=1 cargo test --test transcripts` rewrites each case's expected sections from
//! what oash prints now. Read the diff before committing it: blessing records behaviour, it
//! does not check it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oash::harness::{run_script, transcript};

const DIR: &str = "tests/transcripts";
/// The suite must not shrink unnoticed.
const MIN_PASSED: usize = 80;

/// Scripts run on the test thread; give it the stack the shell's own threads get, so the
/// depth-limit cases behave as they do under `oash test`.
#[test]
fn transcripts() {
    let stack = oash::eval::exec::STACK_SIZE;
    let thread = std::thread::Builder::new().stack_size(stack).spawn(run_all);
    if let Err(panic) = thread.expect("cannot start the test thread").join() {
        std::panic::resume_unwind(panic);
    }
}

fn run_all() {
    if std::env::var_os("OASH_BLESS").is_some() {
        bless(Path::new(DIR));
    }
    let mut output = Vec::new();
    let summary = oash::harness::runner::run_paths(&[PathBuf::from(DIR)], &mut output);
    let report = String::from_utf8_lossy(&output);
    if summary.failed > 0 {
        let failures: Vec<&str> = report
            .split("\nok   ")
            .filter(|chunk| chunk.contains("FAIL "))
            .collect();
        panic!(
            "{} transcript case(s) failed:\n{}",
            summary.failed,
            failures.join("\n")
        );
    }
    assert!(
        summary.passed >= MIN_PASSED,
        "only {} transcript cases passed (expected at least {MIN_PASSED})",
        summary.passed
    );
}

/// Rewrites every `.t` file under `dir` with the output each case gives now.
fn bless(dir: &Path) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "t"));
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(cases) = transcript::parse(&text) else {
            continue;
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let preamble: String = text
            .split_inclusive('\n')
            .take_while(|l| !l.starts_with("### "))
            .collect();
        let mut out = preamble;
        for case in &cases {
            let got = run_script(&file_name, &case.script);
            let _ = write!(out, "### {}\n{}", case.name, case.script);
            if !case.script.is_empty() && !case.script.ends_with('\n') {
                out.push('\n');
            }
            for (section, body) in [("stdout", got.stdout), ("stderr", got.stderr)] {
                if !body.is_empty() {
                    let _ = write!(out, "--- {section}\n{body}");
                    if !body.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
            if !got.status.is_ok() {
                let _ = writeln!(out, "--- status\n{}", got.status);
            }
        }
        if out != text {
            let _ = std::fs::write(&path, out);
        }
    }
}
