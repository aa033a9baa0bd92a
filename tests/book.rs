//! The book's examples are tests: every ```oash block in `book/src` must print what the
//! book says it prints, and the example suite in `examples/tests` must pass.
//!
//! A checker that never fails proves nothing, so one test breaks a copy of a chapter on
//! purpose and requires the runner to notice. These tests read the book from the host
//! (it is the project's own source); the examples in it run in the shell's in-memory
//! namespace and never touch the host.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use oash::harness::{book, runner};

/// Runs `paths` through the same runner as `oash test`; the summary and the report.
fn run(paths: &[PathBuf]) -> (runner::Summary, String) {
    let mut out = Vec::new();
    let summary = runner::run_paths(paths, &mut out);
    (summary, String::from_utf8_lossy(&out).into_owned())
}

fn root(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

#[test]
fn every_book_example_passes() {
    let (summary, report) = run(&[root("book/src"), root("README.md")]);
    assert_eq!(summary.failed, 0, "book examples failed:\n{report}");
    assert!(summary.passed > 0, "no book examples ran:\n{report}");
}

#[test]
fn the_language_chapter_is_mostly_examples() {
    let text = std::fs::read_to_string(root("book/src/language.md"))
        .expect("book/src/language.md is readable");
    let count = book::blocks(&text).len();
    assert!(
        count >= 25,
        "language.md has {count} ```oash blocks; it should show at least 25"
    );
}

/// Changes one expected output line of one block in a copy of language.md: the runner must
/// report that block, and only that block, as failed.
#[test]
fn a_wrong_expected_line_is_caught() {
    let text = std::fs::read_to_string(root("book/src/language.md"))
        .expect("book/src/language.md is readable");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let target =
        first_expected_output_line(&lines).expect("language.md has a block with expected output");
    lines[target].push_str(" (changed)");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let copy = dir.path().join("language.md");
    std::fs::write(&copy, lines.join("\n") + "\n").expect("the copy is written");

    let (summary, report) = run(&[copy]);
    assert!(
        summary.failed >= 1,
        "the changed line went unnoticed:\n{report}"
    );
    assert_eq!(
        summary.failed, 1,
        "only the changed block should fail:\n{report}"
    );
    assert!(
        report.contains("(changed)"),
        "the report should show the changed line:\n{report}"
    );
}

/// The index of the first line inside an ```oash block that is expected output (not `; `
/// input and not a continuation of an unfinished input).
fn first_expected_output_line(lines: &[String]) -> Option<usize> {
    let mut in_block = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !in_block {
            in_block = trimmed == "```oash";
            continue;
        }
        if trimmed.starts_with("```") {
            in_block = false;
            continue;
        }
        // A line not starting with `; ` may still continue an unfinished input; the
        // harness's own splitter decides.
        if !line.starts_with("; ") && !line.is_empty() && is_output_line(lines, i) {
            return Some(i);
        }
    }
    None
}

/// Whether line `i` (inside a block) is expected output, as the book harness splits the
/// block: mark the line, re-split the block up to it, and see where the mark lands.
fn is_output_line(lines: &[String], i: usize) -> bool {
    let start = lines[..i]
        .iter()
        .rposition(|l| l.trim_start() == "```oash")
        .map_or(0, |s| s + 1);
    let mut block = String::from("```oash\n");
    for line in &lines[start..i] {
        block.push_str(line);
        block.push('\n');
    }
    let _ = write!(block, "{} MARKER\n```\n", lines[i]);
    book::blocks(&block)
        .first()
        .is_some_and(|b| b.expected.contains("MARKER"))
}

#[test]
fn the_example_suite_passes() {
    let (summary, report) = run(&[root("examples/tests")]);
    assert_eq!(summary.failed, 0, "examples/tests failed:\n{report}");
    assert!(
        summary.passed >= 6,
        "examples/tests ran only {} tests:\n{report}",
        summary.passed
    );
}

/// The demo scripts under `examples/` (what the README tells a newcomer to run) end true
/// and write nothing on standard error.
#[test]
fn every_demo_script_runs_cleanly() {
    let mut ran = 0;
    for entry in std::fs::read_dir(root("examples")).expect("examples/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "oash") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("the demo is readable");
        let outcome = oash::harness::run_script(&path.to_string_lossy(), &text);
        assert_eq!(outcome.stderr, "", "{}", path.display());
        assert!(
            outcome.status.is_ok(),
            "{} ended {:?}",
            path.display(),
            outcome.status
        );
        assert!(
            !outcome.stdout.is_empty(),
            "{} printed nothing",
            path.display()
        );
        ran += 1;
    }
    assert!(ran >= 2, "only {ran} demo scripts under examples/");
}
