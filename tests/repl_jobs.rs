//! Job control at the terminal, driven for real: the built `oash` binary in a
//! pseudo-terminal (the driver is `tests/support/pty.rs`). Ctrl-Z stops the foreground
//! command and gives the prompt back, `fg` resumes it, a notice tells when a background job
//! ended, and Ctrl-D with jobs alive warns once. Also the binary's non-interactive side: a
//! script does not wait for its jobs at its end.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::pty::{CTRL_C, CTRL_D, PROMPT, Repl, history_dir};

const CTRL_Z: &str = "\x1a";

/// Starts a REPL with a history file of its own; `None` without a pty.
fn repl() -> Option<(Repl, tempfile::TempDir)> {
    let dir = history_dir();
    let repl = Repl::start(&dir.path().join("history"))?;
    Some((repl, dir))
}

#[test]
fn ctrl_z_stops_the_foreground_job_and_fg_resumes_it() {
    let Some((mut repl, _dir)) = repl() else {
        return;
    };
    repl.send("echo sleeping-^now; spawn sleep 3; echo woke-^up\r");
    repl.expect("sleeping-now");
    repl.send(CTRL_Z);
    // The shell is not suspended: it says the job stopped and prompts again.
    repl.expect("[1] stopped  echo sleeping-^now; spawn sleep 3; echo woke-^up");
    repl.expect(PROMPT);
    repl.run("echo still-^here", "still-here");
    repl.run("jobs", "[1] stopped");
    repl.send("fg\r");
    repl.expect("woke-up");
    repl.expect(PROMPT);
    // fg waited for it and forgot it.
    repl.run("jobs; echo none-^left", "none-left");
    assert!(
        !repl.screen.contains("woke-up\r\n[1]"),
        "a job waited for by fg was also noticed:\n{}",
        repl.screen
    );
}

#[test]
fn fg_resumes_a_job_that_ctrl_z_stops_again_and_ctrl_c_kills() {
    let Some((mut repl, _dir)) = repl() else {
        return;
    };
    repl.send("echo looping-^now; spawn loop\r");
    repl.expect("looping-now");
    repl.send(CTRL_Z);
    repl.expect("[1] stopped");
    repl.expect(PROMPT);
    // Resumed in the foreground, Ctrl-Z stops it again, and fg resumes it again.
    repl.send("fg %1\r");
    std::thread::sleep(Duration::from_millis(300));
    repl.send(CTRL_Z);
    repl.expect("[1] stopped");
    repl.expect(PROMPT);
    repl.run("jobs", "[1] stopped");
    repl.send("fg\r");
    std::thread::sleep(Duration::from_millis(300));
    repl.send(CTRL_C);
    repl.expect(PROMPT);
    repl.run("echo status-^$status", "status-killed");
}

#[test]
fn a_notice_tells_when_a_background_job_ends() {
    let Some((mut repl, _dir)) = repl() else {
        return;
    };
    repl.run("spawn sleep 0.5 &; echo started-^bg", "started-bg");
    std::thread::sleep(Duration::from_millis(1500));
    repl.send("\r");
    repl.expect("[1] done     spawn sleep 0.5");
    repl.expect(PROMPT);
    // Told once: the next prompt says nothing more of it.
    repl.run("jobs; echo told-^once", "told-once");
    assert_eq!(
        repl.screen.matches("[1] done").count(),
        1,
        "{}",
        repl.screen
    );
}

#[test]
fn ctrl_d_with_a_running_job_warns_once_then_quits() {
    let Some((mut repl, _dir)) = repl() else {
        return;
    };
    repl.run("spawn sleep 30 &; echo started-^bg", "started-bg");
    repl.send(CTRL_D);
    repl.expect("1 job is running or stopped");
    repl.expect(PROMPT);
    repl.send(CTRL_D);
    assert_eq!(repl.exit_code(), 0);
}

/// Runs `oash -c script` to its end, giving up after `limit`; its output, or `None` if it
/// was still running then (and was killed).
fn run_for_at_most(script: &str, limit: Duration) -> Option<String> {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oash"))
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            let output = child.wait_with_output().ok()?;
            return Some(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_script_ends_without_waiting_for_an_endless_job() {
    let ran = run_for_at_most("spawn loop &; echo x", Duration::from_secs(20));
    let Some(output) = ran else {
        panic!("oash -c 'spawn loop &; echo x' did not exit within 20 s");
    };
    assert_eq!(output, "x\n");
}

#[test]
fn a_script_ends_without_waiting_for_a_sleeping_job() {
    // Not a benchmark: a script that waited would take the whole 30 s.
    let ran = run_for_at_most(
        "spawn sleep 30 &; while (true) echo -n &; echo y",
        Duration::from_secs(20),
    );
    let Some(output) = ran else {
        panic!("oash -c 'spawn sleep 30 &; ...' did not exit within 20 s");
    };
    assert_eq!(output, "y\n");
}
