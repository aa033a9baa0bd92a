//! The `/task` service driven through its files alone, with the shipped guests as the
//! programs (they are in every default namespace at `/lib/oash/bin`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::*;
use crate::eval::Shell;
use crate::ns::Namespace;
use crate::wasi::RuntimeConfig;

/// A service over a fresh core, and a namespace (the default shell's) entered as the caller.
fn setup() -> (TaskService, Namespace) {
    let table: TaskTable = Arc::new(OnceLock::new());
    let config = RuntimeConfig {
        cache_dir: None,
        ..RuntimeConfig::default()
    };
    let _ = table.set(Tasks::new(config, 2));
    let ns = Shell::new().proc.ns;
    Caller::enter(&ns, "/tmp", None);
    (
        TaskService::new(TaskRoot::new(
            table,
            crate::nsops::task_verb,
            crate::agent::AgentRoot::new(crate::agent::StateDir::Ephemeral),
        )),
        ns,
    )
}

fn read(service: &TaskService, at: &str) -> Result<String, NsError> {
    let mut handle = service.open(at, OpenFlags::read())?;
    let mut bytes = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match handle.read(&mut buf)? {
            0 => break,
            n => bytes.extend_from_slice(&buf[..n]),
        }
    }
    handle.close()?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn text(service: &TaskService, at: &str) -> String {
    read(service, at).unwrap_or_else(|e| format!("error: {e}"))
}

fn send(service: &TaskService, at: &str, flags: OpenFlags, bytes: &[u8]) -> Result<(), NsError> {
    let mut handle = service.open(at, flags)?;
    let mut written = 0;
    while written < bytes.len() {
        written += handle.write(&bytes[written..])?;
    }
    handle.close()
}

/// `echo TEXT > AT`.
fn write(service: &TaskService, at: &str, bytes: &str) -> Result<(), NsError> {
    send(
        service,
        at,
        OpenFlags::write().create().truncate(),
        bytes.as_bytes(),
    )
}

fn message(result: Result<(), NsError>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

/// A new task with `module` (a shipped guest's name) and `args`; its id as text.
fn task(service: &TaskService, module: &str, args: &[&str]) -> String {
    let id = text(service, "/new/wasi").trim().to_string();
    let cmd = format!("/lib/oash/bin/{module}.wasm\n");
    assert_eq!(message(write(service, &format!("/{id}/cmd"), &cmd)), "ok");
    let lines: String = args.iter().map(|arg| format!("{arg}\n")).collect();
    assert_eq!(
        message(write(service, &format!("/{id}/args"), &lines)),
        "ok"
    );
    id
}

fn names(service: &TaskService, at: &str) -> Vec<String> {
    match service.readdir(at) {
        Ok(entries) => entries.into_iter().map(|e| e.name).collect(),
        Err(e) => vec![format!("error: {e}")],
    }
}

#[test]
fn reading_new_wasi_allocates_a_created_task_over_the_callers_view() {
    let (service, _) = setup();
    assert_eq!(names(&service, "/"), ["new"]);
    assert_eq!(text(&service, "/new/wasi"), "1\n");
    assert_eq!(text(&service, "/new/wasi"), "2\n");
    assert_eq!(names(&service, "/"), ["1", "2", "new"]);
    assert_eq!(names(&service, "/new"), ["wasi"]);
    assert_eq!(
        names(&service, "/1"),
        ["args", "cmd", "ctl", "env", "exit", "fd", "ns", "status"]
    );
    assert_eq!(names(&service, "/1/fd"), ["0", "1", "2"]);
    assert_eq!(text(&service, "/1/status"), "created\n");
    assert_eq!(text(&service, "/1/exit"), "");
    assert_eq!(text(&service, "/1/cmd"), "");
    assert!(text(&service, "/1/ns").contains("\nmount task /task\n"));
    assert!(service.stat("/1/ctl").is_ok_and(|s| !s.read_only));
    assert!(service.stat("/1/status").is_ok_and(|s| s.read_only));
    for missing in [
        "/3",
        "/3/status",
        "/01/status",
        "/1/0",
        "/1/fd/3",
        "/1/nope",
        "/x",
    ] {
        assert_eq!(
            text(&service, missing),
            format!("error: {missing}: file does not exist")
        );
    }
    assert_eq!(
        message(write(&service, "/1/status", "x")),
        "/1/status: permission denied (read-only)"
    );
    assert!(service.mkdir("/9").is_err() && service.remove("/1").is_err());
}

#[test]
fn a_reader_without_a_caller_cannot_make_a_task() {
    let (service, _) = setup();
    let alone = std::thread::spawn(move || text(&service, "/new/wasi")).join();
    assert_eq!(
        alone.ok().as_deref(),
        Some("error: /new/wasi: no caller whose namespace the task could copy")
    );
}

#[test]
fn cmd_args_and_env_read_back_and_are_fixed_at_start() {
    let (service, _) = setup();
    let id = task(&service, "env", &["one", "two words"]);
    let at = |file: &str| format!("/{id}/{file}");
    assert_eq!(text(&service, &at("cmd")), "/lib/oash/bin/env.wasm\n");
    assert_eq!(text(&service, &at("args")), "one\ntwo words\n");
    let append = OpenFlags::write().append();
    assert_eq!(
        message(send(&service, &at("args"), append, b"three\n")),
        "ok"
    );
    assert_eq!(text(&service, &at("args")), "one\ntwo words\nthree\n");
    assert_eq!(message(write(&service, &at("env"), "A=1\nB=x=y\n")), "ok");
    assert_eq!(
        message(write(&service, &at("env"), "A=1\nnot a pair\n")),
        format!("{}: env: line 2: not NAME=VALUE: not a pair", at("env"))
    );
    assert_eq!(
        message(write(&service, &at("cmd"), "\n")),
        format!("{}: cmd: empty module path", at("cmd"))
    );
    assert_eq!(message(write(&service, &at("ctl"), "start\n")), "ok");
    assert_eq!(
        text(&service, &at("fd/1")),
        "A=1\nB=x=y\nPWD=/tmp\n--\nenv\none\ntwo words\nthree\n"
    );
    assert_eq!(text(&service, &at("status")), "completed\n");
    assert_eq!(text(&service, &at("exit")), "0\n");
    let started = format!("task {id} has already been started");
    let ended = format!("task {id} has already ended");
    for file in ["cmd", "args", "env"] {
        let refused = message(write(&service, &at(file), "x=y\n"));
        assert!(
            refused.ends_with(&ended) || refused.ends_with(&started),
            "{refused}"
        );
    }
    assert_eq!(
        text(&service, &at("args")),
        "one\ntwo words\nthree\n",
        "after start the files show what ran"
    );
    assert_eq!(
        message(write(&service, &at("ctl"), "start")),
        format!("{}: start: {ended}", at("ctl"))
    );
}

#[test]
fn fd0_feeds_the_task_and_its_close_is_end_of_file() {
    let (service, _) = setup();
    let id = task(&service, "upper", &[]);
    // Written before start: it waits in the pipe.
    assert_eq!(
        message(write(&service, &format!("/{id}/fd/0"), "quiet\n")),
        "ok"
    );
    assert_eq!(
        message(write(&service, &format!("/{id}/fd/0"), "again")),
        format!("/{id}/fd/0: the task's input has been closed")
    );
    assert_eq!(
        message(write(&service, &format!("/{id}/ctl"), "start")),
        "ok"
    );
    assert_eq!(text(&service, &format!("/{id}/fd/1")), "QUIET\n");
    assert_eq!(text(&service, &format!("/{id}/fd/2")), "");
    assert_eq!(text(&service, &format!("/{id}/status")), "completed\n");
    assert!(text(&service, &format!("/{id}/fd/0")).contains("write-only"));
}

#[test]
fn ctl_shapes_the_tasks_namespace_before_start() {
    let (service, ns) = setup();
    assert!(crate::nsops::make_dir(&ns, "/tmp/seen/sub", true).is_ok());
    let id = task(&service, "ls", &["/n"]);
    let ctl = format!("/{id}/ctl");
    assert_eq!(message(write(&service, &ctl, "bind seen /n\n")), "ok");
    assert_eq!(
        message(write(&service, &ctl, "mount -a map 'a b=1' /n")),
        "ok"
    );
    assert_eq!(
        message(write(&service, &ctl, "bind /nope /n")),
        format!("{ctl}: bind: /nope: file does not exist")
    );
    assert_eq!(
        message(write(&service, &ctl, "bind -q /tmp /n")),
        format!("{ctl}: bind: unknown flag -q")
    );
    assert_eq!(
        message(write(&service, &ctl, "mount task x /n")),
        format!("{ctl}: mount: task: takes no arguments, got x")
    );
    assert_eq!(
        message(write(&service, &ctl, "frob")),
        format!("{ctl}: unknown command 'frob' (one of: {})", ctl_usage())
    );
    let shown = text(&service, &format!("/{id}/ns"));
    assert!(
        shown.ends_with(
            "mount task /task\nmount agents /agents\nbind /tmp/seen /n\nmount -a map 'a b=1' /n\n"
        ),
        "{shown}"
    );
    assert_eq!(text(&service, &ctl), format!("{}\n", ctl_usage()));
    assert_eq!(message(write(&service, &ctl, "start")), "ok");
    assert_eq!(text(&service, &format!("/{id}/fd/1")), "a b\nsub\n");
    assert!(
        message(write(&service, &ctl, "unmount /n")).ends_with("has already ended"),
        "the namespace is fixed once started"
    );
    assert!(
        !crate::nsops::ns_text_of(&ns).contains("/n\n"),
        "the caller's is untouched"
    );
}

#[test]
fn exit_codes_kills_and_load_failures_show_in_status_and_exit() {
    let (service, _) = setup();
    let three = task(&service, "exit", &["3"]);
    assert_eq!(
        message(write(&service, &format!("/{three}/ctl"), "start")),
        "ok"
    );
    assert_eq!(text(&service, &format!("/{three}/fd/1")), "");
    assert_eq!(text(&service, &format!("/{three}/status")), "completed 3\n");
    assert_eq!(text(&service, &format!("/{three}/exit")), "3\n");

    let spin = task(&service, "loop", &[]);
    let ctl = format!("/{spin}/ctl");
    assert_eq!(message(write(&service, &ctl, "start")), "ok");
    let status = text(&service, &format!("/{spin}/status"));
    assert!(status == "queued\n" || status == "running\n", "{status}");
    assert_eq!(message(write(&service, &ctl, "kill")), "ok");
    assert_eq!(
        text(&service, &format!("/{spin}/fd/1")),
        "",
        "ends with the task"
    );
    assert_eq!(text(&service, &format!("/{spin}/status")), "killed\n");
    assert_eq!(text(&service, &format!("/{spin}/exit")), "killed\n");
    assert_eq!(
        message(write(&service, &ctl, "kill")),
        format!("{ctl}: kill: task {spin} has already ended")
    );

    let empty = text(&service, "/new/wasi").trim().to_string();
    let ctl = format!("/{empty}/ctl");
    assert_eq!(
        message(write(&service, &ctl, "start")),
        format!("{ctl}: start: no module: write its path to cmd first")
    );
    assert_eq!(
        message(write(&service, &format!("/{empty}/cmd"), "/nope.wasm")),
        "ok"
    );
    let load = "/nope.wasm: cannot read module: /nope.wasm: file does not exist";
    assert_eq!(
        message(write(&service, &ctl, "start")),
        format!("{ctl}: start: {load}")
    );
    assert_eq!(
        text(&service, &format!("/{empty}/status")),
        format!("failed: {load}\n")
    );
    assert_eq!(
        text(&service, &format!("/{empty}/exit")),
        format!("{load}\n")
    );
    assert_eq!(text(&service, &format!("/{empty}/cmd")), "/nope.wasm\n");
}

#[test]
fn a_task_made_another_way_has_status_exit_and_ctl() {
    let (service, ns) = setup();
    let Some(tasks) = service.root.table.get() else {
        panic!("the core was set up")
    };
    let mut request = crate::task::TaskRequest::new("/lib/oash/bin/loop.wasm", ns);
    request.limits.deadline = Some(Duration::from_secs(30));
    let spawned = tasks.spawn(request);
    let Ok(task_id) = spawned else {
        panic!("spawn failed: {spawned:?}")
    };
    let id = task_id.to_string();
    assert_eq!(
        names(&service, &format!("/{id}")),
        ["ctl", "exit", "status"]
    );
    assert_eq!(
        text(&service, &format!("/{id}/cmd")),
        format!("error: /{id}/cmd: file does not exist")
    );
    assert_eq!(
        message(write(&service, &format!("/{id}/ctl"), "start")),
        format!("/{id}/ctl: start: task {id} was not made through /task/new")
    );
    assert_eq!(
        message(write(&service, &format!("/{id}/ctl"), "kill")),
        "ok"
    );
    let ended = tasks.wait(task_id, Some(Duration::from_secs(10)));
    assert!(ended.is_ok_and(|info| info.is_ended()));
    assert_eq!(text(&service, &format!("/{id}/status")), "killed\n");
}

#[test]
fn a_waiting_read_of_fd1_follows_the_output_and_stops_on_interrupt() {
    let (service, ns) = setup();
    let id = task(&service, "upper", &[]);
    assert_eq!(
        message(write(&service, &format!("/{id}/ctl"), "start")),
        "ok"
    );
    let flag = Arc::new(AtomicBool::new(false));
    Caller::enter(&ns, "/", Some(&flag));
    let reader = service.open(&format!("/{id}/fd/1"), OpenFlags::read());
    let Ok(mut reader) = reader else {
        panic!("fd/1 opens")
    };
    let input = service.open(&format!("/{id}/fd/0"), OpenFlags::write());
    let Ok(mut input) = input else {
        panic!("fd/0 opens")
    };
    assert!(input.write(b"streamed\n").is_ok());
    // upper flushes per 64 KiB read: what it read so far comes out before end-of-file.
    let mut buf = [0; 64];
    let n = reader.read(&mut buf).unwrap_or(0);
    assert_eq!(&buf[..n], b"STREAMED\n");
    let waker = Arc::clone(&flag);
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        waker.store(true, Ordering::Relaxed);
    });
    let stopped = reader.read(&mut buf);
    assert!(matches!(&stopped, Err(NsError::Io { message, .. }) if message == "interrupted"));
    let _ = stopper.join();
    assert!(input.close().is_ok());
    flag.store(false, Ordering::Relaxed);
    let n = reader.read(&mut buf).unwrap_or(1);
    assert_eq!(n, 0, "end-of-file once the task has ended");
    assert_eq!(text(&service, &format!("/{id}/status")), "completed\n");
}

proptest::proptest! {
    #[test]
    fn any_path_is_a_node_or_does_not_exist(
        parts in proptest::collection::vec("(new|wasi|fd|0|1|2|01|status|ctl|[0-9]{1,3}|[a-z]{1,3})", 0..5)
    ) {
        let (service, _) = setup();
        proptest::prop_assert_eq!(text(&service, "/new/wasi"), "1\n");
        let at = format!("/{}", parts.join("/"));
        match service.stat(&at) {
            Ok(_) => {}
            Err(NsError::NotFound { path }) => proptest::prop_assert_eq!(&path, &at),
            Err(other) => proptest::prop_assert!(false, "{at}: {other}"),
        }
        let _ = service.readdir(&at);
    }
}
