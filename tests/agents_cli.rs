//! The state directory as the `oash` binary sees it: `--state`, `OASH_STATE` and
//! `--ephemeral`, which transcripts cannot reach (they always run ephemeral). A state
//! directory that cannot be made is a diagnostic naming it and the way out, with exit
//! status 1, and only for what touches an agent; agents, envelopes and memory written by one
//! run are there for the next.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn oash(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oash"));
    cmd.args(args)
        .env_remove("OASH_STATE")
        .env_remove("OASH_BACKTRACE")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> (Output, String, String) {
    let out = cmd.output().expect("oash runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

fn state(dir: &Path) -> String {
    dir.to_str().expect("a UTF-8 temporary path").to_string()
}

#[test]
fn a_state_directory_that_is_a_file_is_a_diagnostic_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"").unwrap();
    let file = state(&file);
    for script in ["agent new alice", "send x hi", "agent"] {
        let (out, stdout, stderr) = run(&mut oash(&["--state", &file, "-c", script]));
        assert_eq!(out.status.code(), Some(1), "{script}: {stderr}");
        assert_eq!(stdout, "", "{script}");
        assert!(
            stderr.contains(&format!("state directory {file}: Not a directory")),
            "{script}: {stderr}"
        );
        assert!(
            stderr
                .contains("choose another with --state DIR or OASH_STATE, or run with --ephemeral"),
            "{script}: {stderr}"
        );
    }
    // Through the files: the same reason, on the path that was asked for.
    let (out, _, stderr) = run(&mut oash(&["--state", &file, "-c", "ls /agents"]));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "ls: /agents: state directory {file}: Not a directory"
        )),
        "{stderr}"
    );
    // The environment's form fails the same way.
    let (out, _, stderr) = run(oash(&["-c", "agent new alice"]).env("OASH_STATE", &file));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("state directory"), "{stderr}");
}

#[test]
fn a_shell_that_touches_no_agent_never_looks_at_the_state_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"").unwrap();
    let (out, stdout, stderr) = run(&mut oash(&["--state", &state(&file), "-c", "echo hi"]));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "hi\n");
    let fresh = dir.path().join("fresh");
    let (out, _, _) = run(&mut oash(&["--state", &state(&fresh), "-c", "echo hi"]));
    assert!(out.status.success());
    assert!(!fresh.exists(), "echo made the state directory");
}

#[test]
fn agents_envelopes_and_memory_outlive_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let dir_arg = state(dir.path());
    let first = "agent new alice bob
        send -f alice -t note bob 'kept across runs'
        echo 'remember me' > /agents/alice/memory/note";
    let (out, id, stderr) = run(&mut oash(&["--state", &dir_arg, "-c", first]));
    assert!(out.status.success(), "{stderr}");
    let id = id.trim();
    assert_eq!(id.len(), 64, "{id}");
    assert!(dir.path().join("agents/alice.db").is_file());
    assert!(dir.path().join("agents/bob.db").is_file());

    // The next run, named through the environment this time.
    let second = format!(
        "agent; cat /agents/alice/memory/note; grep -c '\"body\": \"kept across runs\"' /agents/bob/inbox/{id}"
    );
    let (out, stdout, stderr) = run(oash(&["-c", &second]).env("OASH_STATE", &dir_arg));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "alice\nbob\nremember me\n1\n");

    // --ephemeral wins over OASH_STATE, sees none of it and leaves nothing behind.
    let (out, stdout, stderr) =
        run(oash(&["--ephemeral", "-c", "agent new carol; agent"]).env("OASH_STATE", &dir_arg));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "carol\n");
    assert!(!dir.path().join("agents/carol.db").exists());
    let (_, stdout, _) = run(&mut oash(&["--state", &dir_arg, "-c", "agent"]));
    assert_eq!(stdout, "alice\nbob\n");
}

#[test]
fn the_databases_that_hold_secret_keys_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let (out, _, err) = run(&mut oash(&[
        "--state",
        &st,
        "-c",
        "agent new alice; send alice hi",
    ]));
    assert!(out.status.success(), "{err}");
    let root = Path::new(&st);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root.join("agents")), 0o700);
    let mut checked = 0;
    for dir in [root.to_path_buf(), root.join("agents")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                checked += 1;
            }
        }
    }
    // alice.db and operator.db, each with its -wal and -shm.
    assert!(checked >= 6, "only {checked} files");
}
