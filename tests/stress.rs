//! Hostile inputs against the built `oash`, each under a time and memory watchdog: a fork
//! bomb, endless output into a variable, into eight `mem` mounts and into `sort`, a 100 000
//! stage pipeline, a 10 MB word and a 1 MB line. Each must end (with a diagnostic, or for the
//! big words with success) in under 5 seconds and under 1 GiB of peak memory, and the shell
//! must go on: every script ends with `echo alive`, which has to print.
//!
//! The binary is the one `cargo test` builds (a debug build, so the time bound holds there).
//! Its peak resident memory is the kernel's high-water mark (`VmHWM` in `/proc/PID/status`),
//! read while it runs and once more after `alive` is printed: the script then waits on its
//! standard input (`cat`) until the test has read it, so no growth escapes the reading.
//! A run that is not over after 20 seconds is killed and fails. The runs take turns (see
//! [`TURN`]), so each is timed on a machine it has to itself, not against its neighbours.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// What every hostile input must stay under.
const TIME_BOUND: Duration = Duration::from_secs(5);
const MEMORY_BOUND_KIB: u64 = 1 << 20;
/// When the watchdog kills a run that has not ended.
const WATCHDOG: Duration = Duration::from_secs(20);

/// Held by the run in progress: the hostile inputs are measured one at a time.
static TURN: Mutex<()> = Mutex::new(());

/// One run of a hostile script.
struct Outcome {
    stdout: String,
    stderr: String,
    /// From start to `alive` printed.
    elapsed: Duration,
    peak_kib: u64,
}

impl Outcome {
    /// How many diagnostics with code `code` were printed.
    fn count(&self, code: &str) -> usize {
        self.stderr.matches(code).count()
    }

    /// The bounds every hostile input must keep, and the shell going on after it.
    fn assert_bounded(&self, name: &str) {
        assert!(
            self.stdout.ends_with("alive\n"),
            "{name}: the shell did not go on; stdout ends {:?}, stderr starts {:?}",
            tail(&self.stdout),
            head(&self.stderr)
        );
        assert!(
            self.elapsed < TIME_BOUND,
            "{name}: took {:?}; stderr starts {:?}",
            self.elapsed,
            head(&self.stderr)
        );
        assert!(
            self.peak_kib < MEMORY_BOUND_KIB,
            "{name}: peak memory {} MiB",
            self.peak_kib >> 10
        );
        eprintln!(
            "{name}: {:?}, peak {} MiB, {} bytes on stderr",
            self.elapsed,
            self.peak_kib >> 10,
            self.stderr.len()
        );
    }
}

fn head(text: &str) -> &str {
    let end = text.char_indices().nth(400).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(200);
    text.get(start..).unwrap_or(text)
}

/// The kernel's high-water mark of the process's resident memory, in KiB.
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Collects everything `from` yields, on a thread of its own.
fn drain(mut from: impl Read + Send + 'static) -> Arc<Mutex<Vec<u8>>> {
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&bytes);
    thread::spawn(move || {
        let mut chunk = [0u8; 64 * 1024];
        while let Ok(n) = from.read(&mut chunk) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(&chunk[..n]);
        }
    });
    bytes
}

fn text(bytes: &Mutex<Vec<u8>>) -> String {
    String::from_utf8_lossy(&bytes.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Kills the child when dropped, so a failing assertion never leaves it running.
struct Killer(Child);

impl Drop for Killer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `script` (then `echo alive`, then a wait on standard input) as `oash FILE`.
fn run(dir: &Path, name: &str, script: &str) -> Outcome {
    let file = dir.join(format!("{name}.oash"));
    let text_of_script = format!("{script}\necho alive\ncat\n");
    std::fs::write(&file, text_of_script).unwrap_or_else(|e| panic!("{name}: {e}"));
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_oash"))
        .arg(&file)
        .env("NO_COLOR", "1")
        .env_remove("OASH_LIMITS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{name}: cannot start oash: {e}"));
    let mut child = Killer(child);
    let pid = child.0.id();
    let stdout = drain(child.0.stdout.take().expect("piped stdout"));
    let stderr = drain(child.0.stderr.take().expect("piped stderr"));
    let mut stdin = child.0.stdin.take();
    let mut peak = 0;
    let elapsed = loop {
        if let Some(now) = peak_kib(pid) {
            peak = peak.max(now);
        }
        if text(&stdout).ends_with("alive\n") {
            let elapsed = started.elapsed();
            if let Some(now) = peak_kib(pid) {
                peak = peak.max(now);
            }
            break elapsed;
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!(
                "{name}: oash ended ({status}) before `alive`; stderr starts {:?}",
                head(&text(&stderr))
            );
        }
        if started.elapsed() > WATCHDOG {
            panic!(
                "{name}: still running after {WATCHDOG:?} (peak {} MiB); stderr starts {:?}",
                peak >> 10,
                head(&text(&stderr))
            );
        }
        thread::sleep(Duration::from_millis(5));
    };
    if let Some(stdin) = stdin.as_mut() {
        let _ = stdin.flush();
    }
    drop(stdin);
    let deadline = Instant::now() + WATCHDOG;
    while !matches!(child.0.try_wait(), Ok(Some(_))) {
        assert!(
            Instant::now() < deadline,
            "{name}: did not end after `alive`"
        );
        thread::sleep(Duration::from_millis(5));
    }
    // The readers end with the process; give them a moment to take its last bytes.
    thread::sleep(Duration::from_millis(20));
    Outcome {
        stdout: text(&stdout),
        stderr: text(&stderr),
        elapsed,
        peak_kib: peak,
    }
}

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary directory: {e}"))
}

#[test]
fn a_fork_bomb_stops_with_one_diagnostic() {
    let dir = dir();
    let out = run(dir.path(), "forkbomb", "fn f { f | f }\nf");
    out.assert_bounded("fork bomb");
    assert_eq!(out.count("oash::"), 1, "{}", head(&out.stderr));
    assert!(out.stderr.contains("too many live pipeline members"));
    assert!(out.stderr.contains("limits jobs"));
}

#[test]
fn endless_output_into_a_variable_stops_at_the_buffer_budget() {
    let dir = dir();
    let out = run(dir.path(), "zero-var", "x=`{cat /dev/zero}\necho $#x");
    out.assert_bounded("x=`{cat /dev/zero}");
    assert_eq!(out.count("oash::budget"), 1, "{}", head(&out.stderr));
    assert!(out.stderr.contains("the output of `{...}` is too long"));
    assert_eq!(out.stdout, "0\nalive\n", "the assignment did not happen");
}

#[test]
fn endless_output_into_eight_mem_mounts_stops_at_the_mem_budget() {
    let dir = dir();
    let script =
        "for (i in 1 2 3 4 5 6 7 8) { mkdir /n/$i; mount mem /n/$i; cat /dev/zero > /n/$i/f }";
    let out = run(dir.path(), "zero-mem", script);
    out.assert_bounded("cat /dev/zero into eight mem mounts");
    assert!(
        out.stderr.contains("no space left"),
        "{}",
        head(&out.stderr)
    );
    assert!(out.stderr.contains("limits mem"));
}

#[test]
fn endless_input_into_sort_stops_at_the_buffer_budget() {
    let dir = dir();
    let out = run(dir.path(), "zero-sort", "cat /dev/zero | sort");
    out.assert_bounded("cat /dev/zero | sort");
    assert_eq!(out.count("oash::"), 1, "{}", head(&out.stderr));
    assert!(out.stderr.contains("sort's input is too long"));
}

#[test]
fn a_100_000_stage_pipeline_is_refused_before_it_runs() {
    let dir = dir();
    let script = format!("echo p{}", " | cat".repeat(100_000));
    let out = run(dir.path(), "pipeline", &script);
    out.assert_bounded("100 000-stage pipeline");
    assert_eq!(out.count("oash::"), 1);
    assert!(
        out.stderr
            .contains("a pipeline of 100001 commands is too long")
    );
    assert_eq!(out.stdout, "alive\n", "nothing of the pipeline ran");
}

#[test]
fn a_10_mb_word_is_held() {
    let dir = dir();
    let word = "w".repeat(10_000_000);
    let script = format!("x={word}\necho $#x\necho $x | wc -c");
    let out = run(dir.path(), "word", &script);
    out.assert_bounded("10 MB word");
    assert_eq!(out.stderr, "");
    assert_eq!(out.stdout, "1\n10000001\nalive\n");
    let script = "y=`{head -c 10000000 /dev/zero}\necho $#y";
    let out = run(dir.path(), "made-word", script);
    out.assert_bounded("10 MB word made by `{}");
    assert_eq!(out.stdout, "1\nalive\n");
}

#[test]
fn a_1_mb_line_runs() {
    let dir = dir();
    let script = format!("echo {} | wc -w", "ab ".repeat(350_000));
    let out = run(dir.path(), "line", &script);
    out.assert_bounded("1 MB line");
    assert_eq!(out.stdout, "350000\nalive\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn a_1_mb_unknown_command_is_one_diagnostic() {
    let dir = dir();
    let out = run(dir.path(), "unknown", &"z".repeat(1_000_000));
    out.assert_bounded("1 MB unknown command");
    assert_eq!(out.count("oash::"), 1, "{}", head(&out.stderr));
    assert!(out.stderr.contains("command not found"));
}

/// The fork bomb typed at the REPL: one diagnostic, then the next prompt takes a command.
#[test]
fn the_repl_goes_on_after_a_fork_bomb() {
    use expectrl::Session;
    let dir = dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_oash"));
    command
        .env("OASH_HISTORY", dir.path().join("history"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("OASH_LIMITS");
    let mut session = match Session::spawn(command) {
        Ok(session) => session,
        Err(e) => {
            eprintln!("skipping: cannot run oash in a pseudo-terminal: {e}");
            return;
        }
    };
    session.set_expect_timeout(Some(TIME_BOUND));
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let expect = |session: &mut Session<_, _>, text: &str| -> String {
        match session.expect(text) {
            Ok(found) => String::from_utf8_lossy(found.before()).into_owned(),
            Err(e) => panic!("waiting for {text:?}: {e}"),
        }
    };
    expect(&mut session, "; ");
    let started = Instant::now();
    let sent = session.send("fn f { f | f }; f\r");
    assert!(sent.is_ok(), "typing: {sent:?}");
    // At the prompt an error is one line (its message holds a `; `: wait for its end).
    expect(&mut session, "oash: too many live pipeline members");
    let rest = expect(&mut session, "(why: full diagnostic)");
    let screen = expect(&mut session, "; ");
    assert!(started.elapsed() < TIME_BOUND);
    assert!(
        !rest.contains("oash:") && !screen.contains("oash:"),
        "a second error: {rest}{screen}"
    );
    // `ali^ve` is echoed with its caret: only the output matches `alive`.
    let sent = session.send("echo ali^ve\r");
    assert!(sent.is_ok(), "typing: {sent:?}");
    let after = expect(&mut session, "alive");
    assert!(!after.contains("oash:"), "a second error: {after}");
    // The whole diagnostic is there on demand.
    let sent = session.send("why\r");
    assert!(sent.is_ok(), "typing: {sent:?}");
    expect(&mut session, "oash::budget");
    let _ = session.send("exit\r");
}
