//! The rc oracle: runs every transcript case that is not marked `(oash)` under Plan 9's rc
//! (Debian's `9base`, `/usr/lib/plan9/bin/rc`) and reports where oash and rc disagree, as
//! rc's own `checkparse` diffs two parsers. SPEC §1: where the two differ on the same script,
//! oash is wrong unless the book names the difference as deliberate.
//!
//! `scripts/oracle-rc` installs 9base and runs this test; `cargo test` runs it too, and skips it
//! with a printed reason where rc or `unshare` is missing (`.ci/run` installs 9base). A case
//! is compared on its standard output and on whether its status is true; diagnostics and
//! status strings are oash's own and are not compared. Each case runs in private mount and
//! PID namespaces (`unshare -rmpf`, see `run_rc`) whose `/tmp` is a fresh tmpfs, so the
//! scripts' absolute `/tmp/...` paths neither see nor leave anything on the host, and with
//! the host's commands (`cat`, `seq`, `wc`, ...) standing for oash's builtins.
//!
//! A case is skipped when its name says `(oash)` (or `(oash; why rc differs)`) or its
//! file's header says `(all oash)`:
//! namespaces, tasks and oash's own diagnostics have no rc counterpart. The test fails with
//! one entry per disagreement, showing the difference.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use oash::harness::{diff, transcript};

const DEFAULT_RC: &str = "/usr/lib/plan9/bin/rc";

#[test]
fn transcripts_agree_with_plan9_rc() {
    let rc = std::env::var("OASH_ORACLE_RC").unwrap_or_else(|_| DEFAULT_RC.to_string());
    if !Path::new(&rc).exists() {
        println!("skipped: no Plan 9 rc at {rc} (apt-get install 9base; .ci/run installs it)");
        return;
    }
    let private_tmp = Command::new("unshare")
        .args([
            "-rmpf",
            "--kill-child",
            "--mount-proc",
            "sh",
            "-c",
            "mount -t tmpfs oracle /tmp",
        ])
        .status();
    if !private_tmp.is_ok_and(|status| status.success()) {
        println!("skipped: `unshare -rmpf` cannot give a case private /tmp and processes here");
        return;
    }
    let cgroup = pids_cgroup();
    if cgroup.is_none() {
        println!("note: no pids cgroup here; cases run without a process cap");
    }
    let mut files = Vec::new();
    collect(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts")),
        &mut files,
    );
    let (mut agree, mut skipped) = (0, 0);
    let mut report = String::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable transcript");
        let header = text.split("\n### ").next().unwrap_or("");
        let cases = transcript::parse(&text).expect("a well-formed transcript");
        for case in cases {
            if header.contains("(all oash)") || is_oash_only(&case.name) {
                skipped += 1;
                continue;
            }
            let (stdout, status_true) = run_rc(&rc, &case.script, cgroup.as_deref());
            let want_true = case.status.trim().is_empty();
            if stdout == case.stdout && status_true == want_true {
                agree += 1;
                continue;
            }
            let _ = writeln!(
                report,
                "DIFF {}:{}: {}",
                file.display(),
                case.line,
                case.name
            );
            if stdout != case.stdout {
                let _ = write!(
                    report,
                    "  stdout (- oash, + rc):\n{}",
                    diff(&case.stdout, &stdout)
                );
            }
            if status_true != want_true {
                let _ = writeln!(
                    report,
                    "  status: oash {}, rc {}",
                    truth(want_true),
                    truth(status_true)
                );
            }
        }
    }
    if let Some(dir) = &cgroup {
        let _ = std::fs::remove_dir(dir);
    }
    println!("{agree} agree with rc, {skipped} skipped as oash's own");
    assert!(
        report.is_empty(),
        "oash and Plan 9 rc disagree (mark a deliberate difference `(oash; why)` in the case \
         name and in book/src/differences.md):\n{report}"
    );
    assert!(agree > 100, "only {agree} cases were compared");
}

/// How many processes one case may have at once.
const MAX_PROCESSES: u32 = 128;

/// A pids cgroup (v1 or v2) holding at most [`MAX_PROCESSES`], if this machine lets us make
/// one (root, with the controller mounted).
fn pids_cgroup() -> Option<std::path::PathBuf> {
    let name = format!("oash-oracle-{}", std::process::id());
    for base in ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"] {
        let dir = Path::new(base).join(&name);
        if std::fs::create_dir(&dir).is_err() {
            continue;
        }
        if std::fs::write(dir.join("pids.max"), MAX_PROCESSES.to_string()).is_ok() {
            return Some(dir);
        }
        let _ = std::fs::remove_dir(&dir);
    }
    None
}

/// `(oash)`, or `(oash; why rc differs)`.
fn is_oash_only(name: &str) -> bool {
    name.contains("(oash)") || name.contains("(oash;")
}

fn truth(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for entry in entries {
            collect(&entry, files);
        }
    } else if path.extension().is_some_and(|e| e == "t") {
        files.push(path.to_path_buf());
    }
}

/// Runs `script` under rc in a private namespace with a fresh `/tmp`, from `/`, with no
/// input; its stdout and whether its status was true. A script that runs over 5 s is killed
/// and counts as false with what it printed so far.
///
/// A case must never harm the machine, even one that should have been marked `(oash)` (a
/// fork bomb that oash's `jobs` budget stops is an endless one under rc): each runs in a PID
/// namespace of its own whose init is killed with the case (`--kill-child`), so nothing it
/// forked outlives it, and, where the pids controller allows, in a cgroup of at most
/// [`MAX_PROCESSES`] processes.
fn run_rc(rc: &str, script: &str, cgroup: Option<&Path>) -> (String, bool) {
    // rc reads the script from a file (so a here document in it works), kept on a tmpfs of
    // its own so that globs over /tmp do not see it.
    let wrapper = "mount -t tmpfs oracle /tmp && mount -t tmpfs oracle /mnt && cat > /mnt/case \
                   && cd / && exec \"$0\" /mnt/case";
    // Joins the cgroup first, so every process of the case is counted in it.
    let join = "[ -n \"$1\" ] && echo $$ > \"$1/cgroup.procs\"; shift; exec \"$@\"";
    let cgroup = cgroup
        .map(|dir| dir.to_string_lossy().into_owned())
        .unwrap_or_default();
    let child = Command::new("sh")
        .args(["-c", join, "sh", &cgroup])
        .args([
            "unshare",
            "-rmpf",
            "--kill-child",
            "--mount-proc",
            "sh",
            "-c",
            wrapper,
            rc,
        ])
        .env("home", "/tmp")
        .env("HOME", "/tmp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return ("(could not start unshare)".into(), false);
    };
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(script.as_bytes());
    }
    // Read while it runs, so a case printing more than a pipe holds never stalls.
    let reader = child.stdout.take().map(|mut stdout| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = std::io::Read::read_to_end(&mut stdout, &mut bytes);
            bytes
        })
    });
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) if started.elapsed() > Duration::from_secs(5) => {
                let _ = child.kill();
                let _ = child.wait();
                break false;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break false,
        }
    };
    let bytes = reader
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    (String::from_utf8_lossy(&bytes).into_owned(), status)
}
