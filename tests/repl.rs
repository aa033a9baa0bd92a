//! The REPL driven for real: the built `oash` binary in a pseudo-terminal, typed at.
//!
//! Each test spawns the binary with its own history file, no colour and an ordinary
//! terminal type (rustyline does not edit at all on `TERM=dumb`), types keys and reads the
//! screen. What is typed is echoed back on the same screen (and redrawn, piecemeal, as history
//! hints come and go), so tests wait for what commands *print*, never for the echo of what
//! was typed, and tell output from echo with rc's caret: `echo fre^sh` is echoed with the
//! caret but prints `fresh`. A machine that cannot open a pseudo-terminal skips these tests,
//! saying so.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::{Session, WaitStatus};

const PROMPT: &str = "; ";
const UP_ARROW: &str = "\x1b[A";
const CTRL_C: &str = "\x03";
const CTRL_D: &str = "\x04";

/// The REPL under test, and everything it has printed so far.
struct Repl {
    session: Session,
    screen: String,
}

impl Repl {
    /// Starts `oash` with history in `history`; `None` (after saying why) without a pty.
    fn start(history: &Path) -> Option<Repl> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oash"));
        command
            .env("OASH_HISTORY", history)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        let mut session = match Session::spawn(command) {
            Ok(session) => session,
            Err(e) => {
                eprintln!("skipping: cannot run oash in a pseudo-terminal: {e}");
                return None;
            }
        };
        session.set_expect_timeout(Some(Duration::from_secs(10)));
        let mut repl = Repl {
            session,
            screen: String::new(),
        };
        repl.expect(PROMPT);
        Some(repl)
    }

    /// Reads until `text` appears, keeping everything read on `screen`.
    fn expect(&mut self, text: &str) -> String {
        match self.session.expect(text) {
            Ok(found) => {
                let before = String::from_utf8_lossy(found.before()).into_owned();
                self.screen.push_str(&before);
                self.screen.push_str(text);
                before
            }
            Err(e) => panic!("waiting for {text:?}: {e}\nscreen so far:\n{}", self.screen),
        }
    }

    fn send(&mut self, keys: &str) {
        if let Err(e) = self.session.send(keys) {
            panic!("typing {keys:?}: {e}");
        }
    }

    /// Types a line and Enter, waits for `output` (the last thing the line prints), then for
    /// the next prompt, so the next keys are typed at a prompt, not into a running command.
    fn run(&mut self, line: &str, output: &str) {
        self.send(line);
        self.send("\r");
        self.expect(output);
        self.expect(PROMPT);
    }

    /// Waits for the process to end; its exit code.
    fn exit_code(self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => return code,
                Ok(WaitStatus::StillAlive) | Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => panic!("oash did not exit: {other:?}\nscreen:\n{}", self.screen),
            }
        }
    }
}

fn history_dir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("temporary directory: {e}"),
    }
}

#[test]
fn tab_completes_a_path_in_a_mounted_service() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.run(
        "mkdir /n/x; mount mem /n/x; echo hi-^there > /n/x/hello.txt; echo rea^dy",
        "ready",
    );
    repl.send("cat /n/x/hel\t");
    repl.expect("lo.txt");
    repl.send("\r");
    repl.expect("hi-there");
    repl.expect(PROMPT);
}

#[test]
fn an_open_block_reads_more_lines_then_runs_whole() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("for (i in a b) {\r");
    repl.send("echo item $i\r");
    repl.send("}\r");
    repl.expect("item a");
    repl.expect("item b");
    repl.expect(PROMPT);
}

#[test]
fn ctrl_c_abandons_the_half_typed_line() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("echo aban^doned");
    // Wait for the keys to be taken, and after Ctrl-C for the new prompt: rustyline drops
    // keys that arrive in the same read as the Ctrl-C, as any type-ahead is dropped then.
    repl.expect("doned");
    repl.send(CTRL_C);
    repl.expect(PROMPT);
    repl.run("echo fre^sh", "fresh");
    assert!(
        !repl.screen.contains("abandoned"),
        "the abandoned line ran:\n{}",
        repl.screen
    );
    repl.run("echo still-^alive", "still-alive");
}

#[test]
fn ctrl_c_stops_the_running_command_not_the_shell() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("echo loop-^started; while(true) x=1\r");
    repl.expect("loop-started");
    repl.send(CTRL_C);
    repl.expect(PROMPT);
    repl.run("echo after-^loop", "after-loop");
}

#[test]
fn history_is_recalled_after_a_restart() {
    let dir = history_dir();
    let history = dir.path().join("state").join("history");
    let Some(mut first) = Repl::start(&history) else {
        return;
    };
    first.run("echo remembered-^42", "remembered-42");
    first.send(CTRL_D);
    assert_eq!(first.exit_code(), 0);
    assert!(history.exists(), "no history file at {}", history.display());

    let Some(mut second) = Repl::start(&history) else {
        return;
    };
    second.send(UP_ARROW);
    // The recalled line is drawn whole (with its caret): it came from the file.
    second.expect("echo remembered-^42");
    second.send("\r");
    second.expect("remembered-42");
    second.expect(PROMPT);
}

#[test]
fn exit_ends_the_repl_with_its_status() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("exit 3\r");
    assert_eq!(repl.exit_code(), 3);
}

#[test]
fn piped_input_runs_as_a_script_without_the_editor() {
    use std::io::Write;
    use std::process::Stdio;
    let child = Command::new(env!("CARGO_BIN_EXE_oash"))
        .env("OASH_HISTORY", history_dir().path().join("history"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => panic!("spawning oash: {e}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"for(i in 1 2) echo n$i\nexit 4\necho not-reached\n");
    }
    let output = match child.wait_with_output() {
        Ok(output) => output,
        Err(e) => panic!("waiting for oash: {e}"),
    };
    assert_eq!(String::from_utf8_lossy(&output.stdout), "n1\nn2\n");
    assert_eq!(output.status.code(), Some(4));
}
