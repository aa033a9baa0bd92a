//! Fuzz the evaluator: any bytes, decoded as the `oash` binary decodes a script (lossy
//! UTF-8), are parsed and, when they parse, run in a fresh `Shell` with empty input, output
//! thrown away and its own console. The run must never panic and must stop: a watchdog
//! interrupts it (as Ctrl-C does) after [`WATCHDOG`]; a run still going long after that is a
//! hang, which libFuzzer reports with `-timeout=N`.
//!
//! It must never touch the host. Two guards, because a shell can attach the host's file
//! system (`mount host / /n`) and the fuzzer can spell anything:
//! - on Linux the process confines itself with Landlock before the first input: file-system
//!   writes are refused everywhere except under the corpus and artifact directories
//!   libFuzzer was given (reads stay allowed; they change nothing). Without Landlock it
//!   refuses to start unless `OASH_FUZZ_UNCONFINED=1` says the machine is expendable;
//! - inputs spelling `host` are skipped (see [`SKIP`]).
//!
//! Inputs holding a word from [`SKIP`] are not run, and why is written beside each.
#![no_main]

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use oash::eval::{Fd, Io, Shell};
use oash::lang::SourceFile;
use oash::services::dev::{Console, DevService};

/// How long a run goes before the watchdog interrupts it.
const WATCHDOG: Duration = Duration::from_secs(1);

/// Inputs containing one of these are skipped. Each either blocks or loops by design (so
/// every such input would cost the whole watchdog second and exec/s would collapse) or
/// reaches outside the process:
/// - `while`: loops until interrupted;
/// - `zero`, `random`: `/dev/zero` and `/dev/random` never end; read into a variable or a
///   `mem` file they grow memory until the watchdog fires (the shell's own budgets for this
///   are issue 9's finding 5: drop these once they are in);
/// - `loop`, `membomb`, `sleep`: shipped guests that spin, allocate or wait on purpose;
/// - `host`: attaches the host's file system (Landlock is the real guard, this the cheap one).
///
/// `cat` with no argument reads standard input, which is empty here, and `/dev/cons` is a
/// console with empty input, so neither blocks. A glob such as `/dev/z*` can still reach
/// `/dev/zero`: the watchdog stops it, at the cost of memory for one second.
const SKIP: &[&str] = &[
    "while", "zero", "random", "loop", "membomb", "sleep", "host",
];

fuzz_target!(
    init: {
        ignore_sigpipe();
        confine();
    },
    |data: &[u8]| {
        // The decoding `src/main.rs` applies to a script's bytes: invalid input is not skipped.
        let text = String::from_utf8_lossy(data).into_owned();
        if SKIP.iter().any(|word| text.contains(word)) {
            return;
        }
        let file = Arc::new(SourceFile::new("fuzz", text));
        // The `parse` target covers what does not parse; a shell is dearer to make.
        if oash::lang::parse(file.clone()).is_err() {
            return;
        }
        run(file);
    }
);

/// Runs `file` in a fresh shell to the end (background jobs included) under the watchdog.
fn run(file: Arc<SourceFile>) {
    let console = Arc::new(Console::new(io::empty(), io::sink()));
    let mut shell = Shell::with_dev(DevService::with_console(console));
    let interrupter = shell.interrupter();
    let mut io = Io::default();
    io.set(0, Fd::reader(io::empty()));
    io.set(1, Fd::writer(io::sink()));
    io.set(2, Fd::writer(io::sink()));
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(WATCHDOG).is_err() {
            interrupter.fire();
        }
    });
    let _ = shell.run_script(file, &io);
    shell.end_jobs();
    let _ = done.send(());
    let _ = watchdog.join();
}

/// As the `oash` binary has it: Rust's runtime ignores SIGPIPE before `main`, so a write to
/// a pipe whose reader is gone fails with `EPIPE` (`echo a | true`). libFuzzer's `main` is not
/// Rust's, so without this the first such pipeline kills the fuzzer with the signal.
fn ignore_sigpipe() {
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code; it runs
    // once, at start-up, before any thread of the shell exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// Refuses file-system writes outside libFuzzer's own directories, for this process and
/// every thread it starts afterwards (all of the shell's threads start later).
fn confine() {
    let allowed = fuzzer_directories();
    match landlock_writes_only_beneath(&allowed) {
        Ok(()) => {}
        Err(why) if std::env::var_os("OASH_FUZZ_UNCONFINED").is_some_and(|v| v == "1") => {
            eprintln!("eval: running without Landlock ({why}): OASH_FUZZ_UNCONFINED=1");
        }
        Err(why) => {
            eprintln!(
                "eval: cannot confine file-system writes with Landlock ({why}); refusing to run \
                 a shell that could attach the host. Set OASH_FUZZ_UNCONFINED=1 on a machine \
                 you can lose."
            );
            std::process::exit(2);
        }
    }
}

/// The corpus directories (libFuzzer's arguments that are not flags) and the directory of
/// `-artifact_prefix=`, which is where `cargo fuzz run` points libFuzzer.
fn fuzzer_directories() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for arg in std::env::args().skip(1) {
        if let Some(prefix) = arg.strip_prefix("-artifact_prefix=") {
            let prefix = PathBuf::from(prefix);
            // A prefix ending in `/` is a directory; otherwise files go beside it.
            if prefix.is_dir() {
                dirs.push(prefix);
            } else if let Some(parent) = prefix.parent() {
                dirs.push(parent.to_path_buf());
            }
        } else if !arg.starts_with('-') && PathBuf::from(&arg).is_dir() {
            dirs.push(PathBuf::from(arg));
        }
    }
    dirs
}

fn landlock_writes_only_beneath(dirs: &[PathBuf]) -> Result<(), String> {
    use landlock::{
        ABI, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetCreatedAttr,
        RulesetStatus, path_beneath_rules,
    };
    let abi = ABI::V3;
    let status = Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_write(abi))
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules(dirs, AccessFs::from_write(abi))))
        .and_then(|r| r.restrict_self())
        .map_err(|e| e.to_string())?;
    match status.ruleset {
        RulesetStatus::FullyEnforced => Ok(()),
        other => Err(format!("Landlock is {other:?} on this kernel")),
    }
}
