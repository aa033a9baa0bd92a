//! `oash test PATH...`: finds test files, runs them, prints one line per test and a summary.
//!
//! Directories are walked in sorted order; `.t`, `.oash` and `.md` files are tests (see the
//! module docs of [`super`]). The last line is always `N passed, N failed`; the exit code is
//! non-zero when anything failed or a path could not be read.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{book, diff, run_script, transcript};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

/// The `oash test` command.
pub fn main(args: &[String]) -> i32 {
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: oash test PATH...\n\nRuns .t transcripts, .oash test scripts and the ```oash blocks of .md files;\nprints one line per test and `N passed, N failed`."
        );
        return if args.is_empty() { 2 } else { 0 };
    }
    let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    // Scripts run on this thread: give it the stack the shell's own threads get, so deep
    // (but limited) recursion in a test behaves as it does in `oash FILE`.
    let worker = std::thread::Builder::new()
        .stack_size(crate::eval::exec::STACK_SIZE)
        .spawn(move || {
            let stdout = std::io::stdout();
            run_paths(&paths, &mut stdout.lock())
        });
    match worker.map(|h| h.join()) {
        Ok(Ok(s)) => i32::from(s.failed > 0),
        _ => 70,
    }
}

/// Runs every test under `paths`, reporting on `out`.
pub fn run_paths(paths: &[PathBuf], out: &mut dyn Write) -> Summary {
    let mut files = Vec::new();
    let mut s = Summary::default();
    for p in paths {
        if let Err(e) = collect(p, &mut files) {
            let _ = writeln!(out, "FAIL {}: {e}", p.display());
            s.failed += 1;
        }
    }
    for f in files {
        run_file(&f, out, &mut s);
    }
    let _ = writeln!(out, "{} passed, {} failed", s.passed, s.failed);
    s
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

fn record(out: &mut dyn Write, s: &mut Summary, name: &str, result: Result<(), String>) {
    match result {
        Ok(()) => {
            s.passed += 1;
            let _ = writeln!(out, "ok   {name}");
        }
        Err(report) => {
            s.failed += 1;
            let _ = writeln!(out, "FAIL {name}\n{report}");
        }
    }
}

fn run_file(path: &Path, out: &mut dyn Write, s: &mut Summary) {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return record(out, s, &shown, Err(format!("  cannot read: {e}"))),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match path.extension().and_then(|e| e.to_str()) {
        Some("t") => match transcript::parse(&text) {
            Err(e) => record(out, s, &shown, Err(format!("  {e}"))),
            Ok(cases) => {
                for case in cases {
                    let name = format!("{shown}:{}: {}", case.line, case.name);
                    record(out, s, &name, transcript::check(&file_name, &case));
                }
            }
        },
        Some("md") => {
            for block in book::blocks(&text) {
                let name = format!("{shown}:{}", block.line);
                record(out, s, &name, book::check(&block));
            }
        }
        _ => {
            let got = run_script(&file_name, &text);
            let mut report = String::new();
            if !got.status.is_ok() {
                report.push_str(&format!("  status: '{}'\n", got.status));
            }
            let expected_out = path.with_extension("out");
            if let Ok(want) = std::fs::read_to_string(&expected_out)
                && want != got.stdout
            {
                report.push_str(&format!(
                    "  stdout differs from {}:\n{}",
                    expected_out.display(),
                    diff(&want, &got.stdout)
                ));
            }
            if !report.is_empty() && !got.stderr.is_empty() {
                report.push_str(&format!("  stderr:\n{}", got.stderr));
            }
            record(
                out,
                s,
                &shown,
                if report.is_empty() {
                    Ok(())
                } else {
                    Err(report)
                },
            );
        }
    }
}
