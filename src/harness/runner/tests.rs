//! The runner's own behaviour: time limits, empty suites, its arguments.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use super::*;

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

/// Runs `paths` (relative to `dir`) and returns the report and the summary.
fn run_in(dir: &Path, paths: &[&str], options: &Options) -> (String, Summary) {
    let paths: Vec<PathBuf> = paths.iter().map(|p| dir.join(p)).collect();
    let mut out = Vec::new();
    let summary = run_paths_with(&paths, options, &mut out);
    let report = String::from_utf8_lossy(&out).replace(&format!("{}/", dir.display()), "");
    (report, summary)
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("no temporary directory: {e}"))
}

fn write(dir: &Path, name: &str, text: &str) {
    if let Err(e) = std::fs::write(dir.join(name), text) {
        panic!("cannot write {name}: {e}");
    }
}

#[test]
fn a_looping_case_times_out_by_name_and_the_next_case_runs() {
    let dir = temp();
    write(
        dir.path(),
        "loop.t",
        "### loops forever\nwhile (true) { }\n### runs after\necho after\n--- stdout\nafter\n",
    );
    let options = Options {
        timeout: Some(Duration::from_millis(300)),
    };
    let started = std::time::Instant::now();
    let (report, summary) = run_in(dir.path(), &["loop.t"], &options);
    assert_eq!(
        report,
        "FAIL loop.t:1: loops forever (timed out after 300ms)\nok   loop.t:3: runs after\n1 passed, 1 failed\n"
    );
    assert_eq!(
        summary,
        Summary {
            passed: 1,
            failed: 1
        }
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_file_sets_its_own_timeout() {
    let dir = temp();
    write(
        dir.path(),
        "own.t",
        "A file of slow cases.\n# timeout: 200ms\n### loops\nwhile (true) { }\n",
    );
    write(
        dir.path(),
        "own.oash",
        "#!/usr/bin/env oash\n# timeout: 0.2\nwhile (true) { }\n",
    );
    write(
        dir.path(),
        "own.md",
        "<!-- timeout: 200ms -->\n# A chapter\n```oash\n; while (true) { }\n```\n",
    );
    let (report, summary) = run_in(
        dir.path(),
        &["own.t", "own.oash", "own.md"],
        &Options::default(),
    );
    assert_eq!(
        report,
        "FAIL own.t:3: loops (timed out after 200ms)\nFAIL own.oash (timed out after 200ms)\nFAIL own.md:3 (timed out after 200ms)\n0 passed, 3 failed\n"
    );
    assert_eq!(summary.failed, 3);
}

#[test]
fn a_bad_file_timeout_fails_that_file() {
    let dir = temp();
    write(
        dir.path(),
        "bad.t",
        "# timeout: soon\n### a\necho a\n--- stdout\na\n",
    );
    let (report, _) = run_in(dir.path(), &["bad.t"], &Options::default());
    assert!(
        report.starts_with("FAIL bad.t: bad duration soon"),
        "{report}"
    );
}

#[test]
fn an_empty_directory_or_transcript_fails() {
    let dir = temp();
    let empty = dir.path().join("empty");
    let prose = dir.path().join("prose");
    for d in [&empty, &prose] {
        if let Err(e) = std::fs::create_dir(d) {
            panic!("{e}");
        }
    }
    write(
        &prose,
        "intro.md",
        "# Only words\n\n```text\nnot a test\n```\n",
    );
    write(dir.path(), "none.t", "comments only\n");
    let (report, summary) = run_in(
        dir.path(),
        &["empty", "none.t", "prose"],
        &Options::default(),
    );
    assert_eq!(
        report,
        "FAIL empty: no test cases\nFAIL none.t: no test cases\nFAIL prose: no test cases\n0 passed, 3 failed\n"
    );
    assert_eq!(summary.failed, 3);
}

#[test]
fn prose_beside_tests_is_not_a_failure() {
    let dir = temp();
    write(dir.path(), "intro.md", "# Only words\n");
    write(dir.path(), "a.t", "### a\necho a\n--- stdout\na\n");
    let (report, summary) = run_in(dir.path(), &["."], &Options::default());
    assert_eq!(report, "ok   ./a.t:1: a\n1 passed, 0 failed\n");
    assert_eq!(summary.failed, 0);
}

#[test]
fn names_with_control_characters_are_escaped() {
    let dir = temp();
    write(
        dir.path(),
        "x\u{1b}[2J.t",
        "### case \u{7}\necho a\n--- stdout\na\n",
    );
    let (report, _) = run_in(dir.path(), &["x\u{1b}[2J.t"], &Options::default());
    assert_eq!(report, "ok   x\\e[2J.t:1: case \\x07\n1 passed, 0 failed\n");
}

#[test]
fn arguments() {
    let parsed = |list: &[&str]| parse_args(&args(list));
    let timeout = |list: &[&str]| match parsed(list) {
        Ok(Some((options, _))) => options.timeout,
        other => panic!("{list:?}: {other:?}"),
    };
    assert_eq!(timeout(&["x"]), Some(DEFAULT_TIMEOUT));
    assert_eq!(timeout(&["-t", "10s", "x"]), Some(Duration::from_secs(10)));
    assert_eq!(timeout(&["-t500ms", "x"]), Some(Duration::from_millis(500)));
    assert_eq!(
        timeout(&["--timeout=2m", "x"]),
        Some(Duration::from_secs(120))
    );
    assert_eq!(timeout(&["--timeout", "0", "x"]), None);
    assert!(matches!(parsed(&["--help"]), Ok(None)));
    for bad in [&["-t", "soon", "x"][..], &["-t"], &["x", "-q"], &[]] {
        assert!(parsed(bad).is_err(), "{bad:?}");
    }
    // After `--`, and when not UTF-8, an argument is a path.
    match parse_args(&[OsString::from("--"), OsString::from("-t")]) {
        Ok(Some((_, paths))) => assert_eq!(paths, vec![PathBuf::from("-t")]),
        other => panic!("{other:?}"),
    }
    let odd = OsString::from_vec(b"\xff.t".to_vec());
    match parse_args(std::slice::from_ref(&odd)) {
        Ok(Some((_, paths))) => assert_eq!(paths, vec![PathBuf::from(odd)]),
        other => panic!("{other:?}"),
    }
}
