//! The task core and its shell doors, where a transcript cannot say it: timings (a deadline
//! kept within 100 ms), Ctrl-C, pipelines longer than the concurrency limit, the queue's
//! limit and priorities, and the create/configure/start sequence the task files use.
//! The guests are the shipped ones (`/lib/oash/bin`, copies of `tests/wasm`).

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use oash::eval::{Buffer, Io, Shell, Status};
use oash::lang::SourceFile;
use oash::proc::io::Fd;
use oash::sched::JobState;
use oash::task::{TaskError, TaskRequest, Tasks};
use oash::wasi::RuntimeConfig;

/// Runs `script` in `shell` on a thread, failing the test if it takes longer than `limit`.
fn run_within(mut shell: Shell, script: &str, limit: Duration) -> (Shell, Status, String) {
    let (sender, receiver) = mpsc::channel();
    let script = script.to_string();
    thread::spawn(move || {
        let out = Buffer::new();
        let io = Io::buffers(out.clone(), Buffer::new());
        let status = shell.run_script(Arc::new(SourceFile::new("t", script)), &io);
        drop(io);
        let text = String::from_utf8_lossy(&out.take()).into_owned();
        let _ = sender.send((shell, status, text));
    });
    receiver
        .recv_timeout(limit)
        .expect("the script did not finish in time (a deadlock?)")
}

fn tasks(limit: usize) -> Tasks {
    Tasks::new(RuntimeConfig::default(), limit)
}

fn request(module: &str, args: &[&str]) -> TaskRequest {
    let mut request = TaskRequest::new(module, Shell::new().proc.ns);
    request.args = args.iter().map(|a| a.to_string()).collect();
    request
}

#[test]
fn a_deadline_stops_an_endless_loop_within_100ms() {
    let shell = Shell::new();
    // Compile once first: loading is not charged to the deadline, but keep the run alone.
    let (shell, _, _) = run_within(shell, "spawn -t 1ms loop", Duration::from_secs(60));
    let deadline = Duration::from_millis(200);
    let started = Instant::now();
    let (_, status, _) = run_within(shell, "spawn -t 200ms loop", Duration::from_secs(10));
    let took = started.elapsed();
    assert_eq!(status.as_str(), "deadline exceeded");
    assert!(took >= deadline, "{took:?}");
    let overshoot = took - deadline;
    eprintln!("deadline 200ms: stopped after {took:?} (overshoot {overshoot:?})");
    assert!(overshoot < Duration::from_millis(100), "{took:?}");
}

#[test]
fn ctrl_c_cancels_the_foreground_guest_not_the_shell() {
    let shell = Shell::new();
    let interrupter = shell.interrupter();
    let flag = Arc::clone(&shell.engines.interrupt);
    let handle = thread::spawn(move || run_within(shell, "loop", Duration::from_secs(30)));
    // Wait until the guest runs, then press Ctrl-C.
    let seen = Instant::now();
    thread::sleep(Duration::from_millis(300));
    interrupter.fire();
    let (shell, status, _) = handle.join().expect("the script thread");
    assert!(seen.elapsed() < Duration::from_secs(10));
    assert!(!status.is_ok(), "{status:?}");
    let killed = shell.tasks().list();
    assert_eq!(killed.len(), 1);
    assert_eq!(killed[0].state, JobState::Killed);
    assert_eq!(killed[0].status().as_str(), "killed");
    flag.store(false, std::sync::atomic::Ordering::Relaxed);
    let (_, status, out) = run_within(shell, "hello; echo ok", Duration::from_secs(30));
    assert!(status.is_ok());
    assert_eq!(out, "hello\nok\n");
}

#[test]
fn a_pipeline_of_guests_longer_than_the_limit_does_not_deadlock() {
    let script = "tasklimit 2; echo a b | upper | spawn cat | upper | spawn cat | spawn wc -w";
    let (shell, status, out) = run_within(Shell::new(), script, Duration::from_secs(60));
    assert!(status.is_ok(), "{status:?}");
    assert_eq!(out, "2\n");
    assert_eq!(shell.tasks().list().len(), 5);
}

#[test]
fn background_guests_go_through_the_queue_under_the_limit() {
    let script = "tasklimit 2; for (i in 1 2 3 4 5 6) spawn sleep 0.1 &";
    let (shell, _, _) = run_within(Shell::new(), script, Duration::from_secs(60));
    let tasks = shell.tasks();
    let mut most = 0;
    let started = Instant::now();
    loop {
        let list = tasks.list();
        let running = list.iter().filter(|t| t.state == JobState::Running).count();
        most = most.max(running);
        if list.len() == 6 && list.iter().all(|t| t.is_ended()) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{list:?}");
        thread::sleep(Duration::from_millis(2));
    }
    assert!(most <= 2, "{most} ran at once");
    assert!(tasks.list().iter().all(|t| t.status().is_ok()));
    let _ = shell.engines.jobs.wait_all(&|| false);
}

#[test]
fn queued_tasks_run_in_priority_order() {
    let tasks = tasks(1);
    let blocker = tasks
        .spawn(request("/lib/oash/bin/sleep.wasm", &["0.2"]))
        .expect("sleep");
    let mut low = request("/lib/oash/bin/echo.wasm", &["low"]);
    low.priority = 0;
    let mut high = request("/lib/oash/bin/echo.wasm", &["high"]);
    high.priority = 5;
    let low = tasks.spawn(low).expect("low");
    let high = tasks.spawn(high).expect("high");
    let timeout = Some(Duration::from_secs(30));
    let low = tasks.wait(low, timeout).expect("low ends");
    let high = tasks.wait(high, timeout).expect("high ends");
    assert!(
        tasks
            .wait(blocker, timeout)
            .expect("blocker")
            .status()
            .is_ok()
    );
    assert!(high.started < low.started, "{high:?} {low:?}");
}

#[test]
fn create_configure_start_as_the_task_files_do() {
    let tasks = tasks(2);
    let id = tasks.create(request("/nowhere", &[]));
    assert_eq!(tasks.info(id).map(|t| t.state), Some(JobState::Created));
    let out = Buffer::new();
    let writer = out.clone();
    tasks
        .configure(id, move |request| {
            request.module = "/lib/oash/bin/echo.wasm".into();
            request.args = vec!["from".into(), "files".into()];
            request.stdout = Fd::writer(writer);
        })
        .expect("configure a created task");
    assert_eq!(
        tasks.request(id).map(|r| r.argv()),
        Some(vec!["echo".into(), "from".into(), "files".into()])
    );
    tasks.start(id).expect("start");
    let ended = tasks.wait(id, Some(Duration::from_secs(30))).expect("wait");
    assert_eq!(ended.exit_code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.take()), "from files\n");
    assert_eq!(tasks.start(id), Err(TaskError::Ended(id)));
    assert!(matches!(
        tasks.configure(id, |_| {}),
        Err(TaskError::Ended(_))
    ));
}

#[test]
fn a_task_whose_module_cannot_load_fails_with_the_path() {
    let tasks = tasks(2);
    let id = tasks.create(request("/lib/oash/bin/missing.wasm", &[]));
    let error = tasks.start(id).expect_err("a missing module");
    assert!(matches!(error, TaskError::Load { .. }));
    assert!(
        error.to_string().contains("/lib/oash/bin/missing.wasm"),
        "{error}"
    );
    let ended = tasks.wait(id, Some(Duration::from_secs(30))).expect("wait");
    let reason = ended.reason().unwrap_or_default();
    assert!(reason.contains("/lib/oash/bin/missing.wasm"), "{reason}");
}

#[test]
fn kill_ends_created_and_running_tasks() {
    let tasks = tasks(2);
    let created = tasks.create(request("/lib/oash/bin/loop.wasm", &[]));
    tasks.kill(created).expect("kill a created task");
    assert_eq!(tasks.info(created).map(|t| t.state), Some(JobState::Killed));
    assert_eq!(tasks.start(created), Err(TaskError::Ended(created)));
    let running = tasks
        .spawn(request("/lib/oash/bin/loop.wasm", &[]))
        .expect("spawn");
    while tasks.info(running).map(|t| t.state) != Some(JobState::Running) {
        thread::sleep(Duration::from_millis(1));
    }
    tasks.kill(running).expect("kill a running task");
    let ended = tasks
        .wait(running, Some(Duration::from_secs(10)))
        .expect("ends");
    assert_eq!(ended.state, JobState::Killed);
    assert_eq!(tasks.kill(running), Err(TaskError::Ended(running)));
    assert_eq!(
        tasks.kill(oash::sched::JobId(999)),
        Err(TaskError::NoSuchTask(oash::sched::JobId(999)))
    );
}

/// The shell's `spawn`, the Rhai `spawn` and the core API give a module the same argv and
/// report the same `$status` (the task files call the same core as the third).
#[test]
fn every_door_gives_the_same_result() {
    let cases: &[(&str, &[&str])] = &[
        ("echo", &["one", "two words"]),
        ("exit", &["3"]),
        ("exit", &["trap"]),
        ("wc", &["/lib/oash/README"]),
    ];
    for (module, args) in cases {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!("spawn {module} {}", quoted.join(" "));
        let (_, shell_status, shell_out) =
            run_within(Shell::new(), &script, Duration::from_secs(60));

        let list: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
        let rhai = format!(
            "rhai -c 'let h = spawn(\"{module}\", #{{args: [{}]}}); let s = h.wait(); print(h.stdout()); print(s)'",
            list.join(", ")
        );
        let (_, _, rhai_out) = run_within(Shell::new(), &rhai, Duration::from_secs(60));

        let core = Tasks::new(RuntimeConfig::default(), 1);
        let out = Buffer::new();
        let mut direct = request(&format!("/lib/oash/bin/{module}.wasm"), args);
        direct.stdout = Fd::writer(out.clone());
        let info = core
            .run(direct, |_, _| {})
            .unwrap_or_else(|e| panic!("{module}: {e}"));
        let core_out = String::from_utf8_lossy(&out.take()).into_owned();

        assert_eq!(shell_out, core_out, "{script}");
        assert_eq!(shell_status, info.status(), "{script}");
        // Rhai prints the captured output, then the status, each with a newline.
        assert_eq!(
            rhai_out,
            format!("{core_out}\n{}\n", info.status().as_str()),
            "{rhai}"
        );
    }
}

#[test]
fn ctrl_c_leaves_background_guests_alone() {
    let (shell, _, _) = run_within(Shell::new(), "loop | upper &", Duration::from_secs(30));
    let running = || {
        shell
            .tasks()
            .list()
            .into_iter()
            // The loop, not upper: a guest blocked reading an empty pipe stops only when its
            // read returns, which (the loop never writing) would be never.
            .find(|t| t.state == JobState::Running && t.name.contains("loop"))
    };
    let started = Instant::now();
    let task = loop {
        if let Some(task) = running() {
            break task;
        }
        assert!(started.elapsed() < Duration::from_secs(30));
        thread::sleep(Duration::from_millis(2));
    };
    shell.interrupter().fire();
    thread::sleep(Duration::from_millis(100));
    let still = shell.tasks().info(task.id).map(|t| t.state);
    assert_eq!(still, Some(JobState::Running));
    shell.tasks().kill(task.id).expect("kill the loop");
    let _ = shell.engines.jobs.wait_all(&|| false);
    let ended = shell.tasks().info(task.id).map(|t| t.state);
    assert_eq!(ended, Some(JobState::Killed));
}

/// Done-when 5 with real guests: a thousand `hello` tasks under a limit of 4. The
/// scheduler's own start and end times of every task are replayed in order, and at no
/// moment are more than 4 of them between their start and their end.
#[test]
fn a_thousand_guests_with_a_limit_of_four_never_run_more_than_four_at_once() {
    let tasks = tasks(4);
    let ids: Vec<_> = (0..1000)
        .map(|_| {
            let mut hello = request("/lib/oash/bin/hello.wasm", &[]);
            hello.stdout = oash::proc::io::Fd::writer(std::io::sink());
            tasks.spawn(hello).expect("hello spawns")
        })
        .collect();
    let timeout = Some(Duration::from_secs(120));
    let infos: Vec<_> = ids
        .iter()
        .map(|id| tasks.wait(*id, timeout).expect("every task ends"))
        .collect();
    assert!(infos.iter().all(|t| t.status().is_ok()), "all complete");
    // Ends sort before starts at the same instant: a slot given back and taken again.
    let mut events: Vec<(std::time::SystemTime, i32)> = Vec::new();
    for info in &infos {
        let (Some(started), Some(ended)) = (info.started, info.ended) else {
            panic!("{info:?} has no start or end");
        };
        events.push((started, 1));
        events.push((ended, -1));
    }
    events.sort();
    let (mut running, mut most) = (0, 0);
    for (_, step) in events {
        running += step;
        most = most.max(running);
    }
    assert!(most <= 4, "{most} tasks ran at once");
    assert!(most >= 2, "the limit of 4 was never used ({most} at most)");
}
