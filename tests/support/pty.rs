//! A pseudo-terminal driver for the REPL tests: the built `oash` binary in a pty, typed at.
//!
//! What is typed is echoed back on the same screen (and redrawn, piecemeal, as history
//! hints come and go), so tests wait for what commands *print*, never for the echo of what
//! was typed, and tell output from echo with rc's caret: `echo fre^sh` is echoed with the
//! caret but prints `fresh`. A machine that cannot open a pseudo-terminal skips these tests,
//! saying so. Shared by the pty test files with `mod support;`.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::{Session, WaitStatus};

pub const PROMPT: &str = "; ";
pub const UP_ARROW: &str = "\x1b[A";
pub const CTRL_C: &str = "\x03";
pub const CTRL_D: &str = "\x04";
pub const CTRL_R: &str = "\x12";
pub const TAB: &str = "\t";

/// The REPL under test, and everything it has printed so far.
pub struct Repl {
    pub session: Session,
    pub screen: String,
}

impl Repl {
    /// Starts `oash` with history in `history`; `None` (after saying why) without a pty.
    pub fn start(history: &Path) -> Option<Repl> {
        Repl::start_with(history, false)
    }

    /// [`Repl::start`], with colour on when `colour` (highlighting, dim hints).
    pub fn start_with(history: &Path, colour: bool) -> Option<Repl> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oash"));
        command.env("OASH_HISTORY", history).env("TERM", "xterm");
        if colour {
            command.env_remove("NO_COLOR");
        } else {
            command.env("NO_COLOR", "1");
        }
        Repl::spawn(command, Duration::from_secs(10))
    }

    /// Runs `command` (an `oash` set up by the caller) in a pseudo-terminal and waits for its
    /// first prompt, each wait at most `timeout`; `None` (after saying why) without a pty.
    pub fn spawn(command: Command, timeout: Duration) -> Option<Repl> {
        let mut session = match Session::spawn(command) {
            Ok(session) => session,
            Err(e) => {
                eprintln!("skipping: cannot run oash in a pseudo-terminal: {e}");
                return None;
            }
        };
        session.set_expect_timeout(Some(timeout));
        let mut repl = Repl {
            session,
            screen: String::new(),
        };
        repl.expect(PROMPT);
        Some(repl)
    }

    pub fn expect(&mut self, text: &str) -> String {
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

    pub fn send(&mut self, keys: &str) {
        if let Err(e) = self.session.send(keys) {
            panic!("typing {keys:?}: {e}");
        }
    }

    /// Types a line and Enter, waits for `output` (the last thing the line prints), then for
    /// the next prompt, so the next keys are typed at a prompt, not into a running command.
    pub fn run(&mut self, line: &str, output: &str) {
        self.run_printing(line, output);
    }

    /// [`Repl::run`], answering what the line printed before `output`.
    pub fn run_printing(&mut self, line: &str, output: &str) -> String {
        self.send(line);
        self.send("\r");
        let printed = self.expect(output);
        self.expect(PROMPT);
        printed
    }

    /// Waits for the process to end; its exit code.
    pub fn exit_code(self) -> i32 {
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

pub fn history_dir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("temporary directory: {e}"),
    }
}
