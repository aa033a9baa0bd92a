//! The REPL driven for real: the built `oash` binary in a pseudo-terminal, typed at
//! (the driver is `tests/support/pty.rs`). Each test spawns the binary with its own history
//! file, no colour (but the one about colours) and an ordinary terminal type (rustyline does
//! not edit at all on `TERM=dumb`).

mod support;

use std::process::Command;

use std::time::Duration;

use support::pty::{CTRL_C, CTRL_D, CTRL_R, PROMPT, Repl, TAB, UP_ARROW, history_dir};

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

/// Enters `line`, a command that reads the terminal, after an `echo` whose output says the
/// entry has begun running; the pause after it (nothing on the screen says a read began)
/// lets the command reach its read, even on a loaded machine.
fn start_reader(repl: &mut Repl, line: &str) {
    repl.send(&format!("echo start^ed-reading; {line}"));
    repl.send("\r");
    repl.expect("started-reading");
    std::thread::sleep(Duration::from_millis(400));
}

#[test]
fn ctrl_c_stops_a_command_reading_the_terminal_and_the_next_line_is_the_shells() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    for reader in ["cat", "cat | wc", "cat /dev/cons", "spawn cat"] {
        start_reader(&mut repl, reader);
        repl.send(CTRL_C);
        repl.expect(PROMPT);
        // Had the reader taken this line, it would echo it (caret and all) and the shell
        // would never print `fresh`.
        repl.run(
            &format!("echo fre^sh-after-^'{reader}'"),
            &format!("fresh-after-{reader}"),
        );
    }
    // One line at most for a Ctrl-C: no diagnostic.
    assert!(!repl.screen.contains("interrupted"), "{}", repl.screen);
}

#[test]
fn after_ctrl_z_a_terminal_reader_of_the_new_foreground_still_stops_on_ctrl_c() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    // Ctrl-Z makes the entry a stopped job; the prompt's shell gets a job of its own.
    repl.send("echo loop-^started; while(true) x=1\r");
    repl.expect("loop-started");
    repl.send("\x1a");
    repl.expect("[1] stopped");
    repl.expect(PROMPT);
    start_reader(&mut repl, "cat");
    repl.send(CTRL_C);
    repl.expect(PROMPT);
    repl.run("echo fre^sh-after-ctrl-z", "fresh-after-ctrl-z");
}

#[test]
fn a_path_with_a_space_completes_quoted_once_then_inside_the_quote() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.run(
        "mkdir '/tmp/my dir'; echo con^tent > '/tmp/my dir/file'; echo rea^dy",
        "ready",
    );
    // Unquoted: the first TAB gives the directory, quoted; the second the file in it.
    repl.send("cat /tmp/my");
    repl.send(TAB);
    repl.expect("'/tmp/my dir/'");
    repl.send(TAB);
    repl.expect("'/tmp/my dir/file'");
    repl.send("\r");
    repl.expect("content");
    repl.expect(PROMPT);
    // Begun inside a quote.
    repl.send("cat '/tmp/my dir/f");
    repl.send(TAB);
    repl.expect("file'");
    repl.send("\r");
    repl.expect("content");
    repl.expect(PROMPT);
    assert!(
        !repl.screen.contains("''my dir"),
        "the line was corrupted:\n{}",
        repl.screen
    );
}

#[test]
fn spawn_completes_the_modules_on_path() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("echo shout | spawn upp");
    repl.send(TAB);
    repl.expect("er");
    repl.send("\r");
    repl.expect("SHOUT");
    repl.expect(PROMPT);
}

#[test]
fn an_unknown_command_is_red_and_a_known_one_is_not() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start_with(&dir.path().join("history"), true) else {
        return;
    };
    repl.send("nosuchcmd");
    // nu-ansi-term's bold red around the word, drawn as it is typed.
    repl.expect("\u{1b}[1;31mnosuchcmd\u{1b}[0m");
    repl.send(CTRL_C);
    repl.expect(PROMPT);
    repl.send("echo");
    repl.expect("\u{1b}[1;36mecho\u{1b}[0m");
    repl.send(CTRL_C);
    repl.expect(PROMPT);
    // An open quote keeps the colour of what comes before it.
    repl.send("echo 'open");
    repl.expect("\u{1b}[33m'open\u{1b}[0m");
    assert!(repl.screen.contains("\u{1b}[1;36mecho\u{1b}[0m"));
    repl.send(CTRL_C);
    repl.expect(PROMPT);
}

#[test]
fn an_unfinished_command_reads_on_after_the_continuation_prompt() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("prompt=('% ' 'more> '); echo se^t\r");
    repl.expect("set");
    repl.expect("% ");
    repl.send("for (i in a b) {\r");
    repl.expect("more> ");
    repl.send("echo item-^$i\r");
    repl.expect("more> ");
    repl.send("}\r");
    repl.expect("item-a");
    repl.expect("item-b");
    repl.expect("% ");
    // The first prompt is the variable as set: nothing glued in front of it.
    repl.send("cd /tmp\r");
    repl.expect("\r\n");
    let drawn = repl.expect("% ");
    assert!(!drawn.contains("/tmp%"), "{drawn:?}");
}

#[test]
fn an_error_is_one_line_at_the_prompt_and_why_shows_it_whole() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("cat /nope\r");
    repl.expect("oash: cat: /nope: file does not exist  (why: full diagnostic)\r\n");
    let after = repl.expect(PROMPT);
    assert!(!after.contains('╭'), "more than one line: {after:?}");
    repl.send("why\r");
    repl.expect("× cat: /nope: file does not exist");
    repl.expect("this file");
    repl.expect(PROMPT);
    // A typo gets a suggestion, in the same one line.
    repl.send("ech hi\r");
    repl.expect("oash: ech: command not found; did you mean echo?  (why: full diagnostic)");
    repl.expect(PROMPT);
}

#[test]
fn ctrl_r_finds_an_earlier_line() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.run("echo need^le-1", "needle-1");
    repl.run("echo other", "other");
    repl.send(CTRL_R);
    repl.send("need");
    repl.expect("(reverse-i-search)`need': echo need^le-1");
    repl.send("\r");
    repl.expect("needle-1");
    repl.expect(PROMPT);
}
