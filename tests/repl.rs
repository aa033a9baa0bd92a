//! The REPL driven for real: the built `oash` binary in a pseudo-terminal, typed at
//! (the driver is `tests/support/pty.rs`). Each test spawns the binary with its own history
//! file, no colour and an ordinary terminal type (rustyline does not edit at all on
//! `TERM=dumb`).

mod support;

use std::process::Command;

use support::pty::{CTRL_C, CTRL_D, PROMPT, Repl, UP_ARROW, history_dir};

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
