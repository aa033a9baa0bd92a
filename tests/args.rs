//! The `oash` binary under hostile command lines and input (issue 9, findings 1, 7 and 8):
//! non-UTF-8 arguments, script names and environment, garbage as a command, a panic, names
//! full of terminal escape sequences, a megabyte command line. Each must end with its
//! ordinary exit code (never 101, a panic, or 134, an abort) and a short standard error
//! with no raw control character in it.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::{Command, Output, Stdio};

/// Longest standard error any of these may print.
const SHORT: usize = 4096;

fn oash() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oash"));
    cmd.env_remove("OASH_BACKTRACE")
        .env_remove("OASH_TEST_PANIC")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run oash: {e}"))
}

fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run oash: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        // A shell that stops reading early closes the pipe; that is not a failure here.
        let _ = stdin.write_all(input);
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot wait for oash: {e}"))
}

fn bytes(b: &[u8]) -> OsString {
    OsString::from_vec(b.to_vec())
}

/// The checks every case shares: the exit code, a short stderr without raw controls.
fn assert_safe(out: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
    assert!(
        out.stderr.len() < SHORT,
        "{} bytes on stderr:\n{}",
        out.stderr.len(),
        &stderr[..stderr.len().min(2000)]
    );
    let raw = out
        .stderr
        .iter()
        .find(|b| (**b < 0x20 && **b != b'\n') || **b == 0x7f);
    assert!(raw.is_none(), "raw control {raw:?} on stderr: {stderr}");
    stderr
}

/// Deterministic garbage: every byte value but NUL (which an argument cannot hold).
fn garbage(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state % 255) as u8 + 1
        })
        .collect()
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("no temporary directory: {e}"))
}

#[test]
fn a_non_utf8_command_runs_with_one_warning() {
    let out = run(oash().arg("-c").arg(bytes(b"echo \xff")));
    let stderr = assert_safe(&out, 0);
    assert_eq!(out.stdout, "\u{fffd}\n".as_bytes());
    assert_eq!(
        stderr,
        "oash: warning: the -c command is not UTF-8; invalid bytes shown as U+FFFD\n"
    );
}

#[test]
fn a_non_utf8_script_argument_runs_with_one_warning() {
    let dir = temp();
    let script = dir.path().join("s.oash");
    std::fs::write(&script, "echo $1 $#*\n").unwrap_or_else(|e| panic!("{e}"));
    let out = run(oash().arg(&script).arg(bytes(b"a\xffb")).arg("fine"));
    let stderr = assert_safe(&out, 0);
    assert_eq!(out.stdout, "a\u{fffd}b 2\n".as_bytes());
    assert_eq!(
        stderr,
        "oash: warning: $1 is not UTF-8; invalid bytes shown as U+FFFD\n"
    );
}

#[test]
fn many_bad_arguments_give_one_line() {
    let mut cmd = oash();
    cmd.arg("-c").arg("echo $#*");
    for _ in 0..1000 {
        cmd.arg(bytes(b"\xfe"));
    }
    let out = run(&mut cmd);
    let stderr = assert_safe(&out, 0);
    assert_eq!(out.stdout, b"1000\n");
    assert_eq!(
        stderr,
        "oash: warning: $1, $2, $3, $4, $5 and 995 more are not UTF-8; invalid bytes shown as U+FFFD\n"
    );
}

#[test]
fn a_script_whose_name_is_not_utf8_runs() {
    let dir = temp();
    let name = OsStr::from_bytes(b"\xff.oash");
    std::fs::write(dir.path().join(name), "echo ran\n").unwrap_or_else(|e| panic!("{e}"));
    let out = run(oash().current_dir(dir.path()).arg(name));
    let stderr = assert_safe(&out, 0);
    assert_eq!(out.stdout, b"ran\n");
    assert_eq!(stderr, "");
}

#[test]
fn a_test_path_that_is_not_utf8_is_reported() {
    let out = run(oash().arg("test").arg(bytes(b"\xff")));
    assert_safe(&out, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "FAIL \\xff: no such file or directory\n0 passed, 1 failed\n"
    );
}

#[test]
fn a_non_utf8_environment_is_no_problem() {
    let out = run(oash()
        .env(bytes(b"ODD\xff"), bytes(b"\xfe"))
        .args(["-c", "echo ok"]));
    assert_safe(&out, 0);
    assert_eq!(out.stdout, b"ok\n");
}

#[test]
fn garbage_as_a_command_gives_a_short_diagnostic() {
    let out = run(oash().arg("-c").arg(bytes(&garbage(100_000))));
    let stderr = assert_safe(&out, 1);
    assert!(
        stderr.starts_with("oash: warning: the -c command is not UTF-8"),
        "{stderr}"
    );
}

#[test]
fn garbage_on_standard_input_gives_a_short_diagnostic() {
    let out = run_with_stdin(&mut oash(), &garbage(100_000));
    let stderr = assert_safe(&out, 1);
    assert!(stderr.contains("oash::syntax"), "{stderr}");
}

#[test]
fn a_panic_is_one_line_and_exit_code_70() {
    let out = run(oash().env("OASH_TEST_PANIC", "1").args(["-c", "echo hi"]));
    let stderr = assert_safe(&out, 70);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "oash: internal error: panic requested by OASH_TEST_PANIC=1 \\e[2J at src/main.rs:"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("please report this at"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_panic_on_another_thread_is_one_line_and_the_shell_goes_on() {
    let out = run(oash()
        .env("OASH_TEST_PANIC", "thread")
        .args(["-c", "echo hi"]));
    let stderr = assert_safe(&out, 0);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("oash: internal error: "), "{stderr}");
    assert_eq!(out.stdout, b"hi\n");
}

#[test]
fn escape_sequences_in_a_name_are_shown_escaped() {
    let out = run(oash().args(["-c", "cat '\u{1b}[2J\u{1b}]0;PWNED\u{7}'"]));
    let stderr = assert_safe(&out, 1);
    assert!(
        stderr.contains("× cat: /\\e[2J\\e]0;PWNED\\x07: file does not exist"),
        "{stderr}"
    );
    assert!(
        stderr.contains(" 1 │ cat '\\e[2J\\e]0;PWNED\\x07'"),
        "{stderr}"
    );
}

#[test]
fn a_megabyte_unknown_command_gives_a_short_diagnostic() {
    // One argument may not exceed 128 KiB on Linux, so the megabyte line comes from a
    // script file and from standard input.
    let line = "a".repeat(1_000_000);
    let dir = temp();
    let script = dir.path().join("big.oash");
    std::fs::write(&script, &line).unwrap_or_else(|e| panic!("{e}"));
    for out in [
        run(oash().arg(&script)),
        run_with_stdin(&mut oash(), line.as_bytes()),
    ] {
        let stderr = assert_safe(&out, 1);
        assert!(
            out.stderr.len() < 2048,
            "{} bytes:\n{stderr}",
            out.stderr.len()
        );
        assert!(stderr.contains("…"), "{stderr}");
        assert!(stderr.contains(": command not found"), "{stderr}");
    }
    // The largest a single argument can be, as `-c`.
    let out = run(oash().arg("-c").arg("b".repeat(120_000)));
    assert_safe(&out, 1);
    assert!(out.stderr.len() < 2048, "{} bytes", out.stderr.len());
}

#[test]
fn oash_test_names_a_case_that_times_out_and_goes_on() {
    let dir = temp();
    let file = dir.path().join("loop.t");
    let text = "### loops\nwhile (true) { }\n### after\necho after\n--- stdout\nafter\n";
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let out = run(oash()
        .current_dir(dir.path())
        .args(["test", "-t", "300ms", "loop.t"]));
    assert_safe(&out, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "FAIL loop.t:1: loops (timed out after 300ms)\nok   loop.t:3: after\n1 passed, 1 failed\n"
    );
    std::fs::remove_file(&file).unwrap_or_else(|e| panic!("{e}"));
    let out = run(oash().current_dir(dir.path()).args(["test", "."]));
    assert_safe(&out, 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "FAIL .: no test cases\n0 passed, 1 failed\n"
    );
}
