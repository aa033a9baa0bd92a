//! WASI guests against their limits: traps, deadlines (computing and sleeping), the memory
//! cap, fuel, cancellation; loading and the module cache; runs on many threads and a full
//! instance pool. Each limit has a test that hits it.

#[path = "wasi/support.rs"]
mod support;

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use oash::proc::io::{Buffer, Fd};
use oash::wasi::{LoadError, Outcome, Program, Runtime, RuntimeConfig, TaskSpec};
use support::*;

// ---- traps and limits --------------------------------------------------------------------

#[test]
fn a_trap_fails_with_its_message() {
    let ns = namespace();
    let module = r#"(module (memory (export "memory") 1) (func $crash (unreachable)) (func (export "_start") (call $crash)))"#;
    let ran = run_with(&wat(module), &ns, &["t"], |_| {});
    let Outcome::Trapped(message) = &ran.outcome else {
        panic!("expected a trap, got {:?}", ran.outcome);
    };
    assert!(message.contains("unreachable"), "{message}");
    assert!(!ran.outcome.status().is_ok());
    assert!(ran.outcome.status().as_str().contains("unreachable"));
    // The function's name, when the module keeps names, says where.
    assert!(message.contains("(in crash)"), "{message}");
    let recursion = r#"(module (memory (export "memory") 1) (func $deeper (call $deeper)) (func (export "_start") (call $deeper)))"#;
    let ran = run_with(&wat(recursion), &ns, &["t"], |_| {});
    assert!(
        matches!(&ran.outcome, Outcome::Trapped(m) if m.contains("call stack exhausted")),
        "{:?}",
        ran.outcome
    );
}

#[test]
fn an_infinite_loop_stops_at_its_deadline() {
    let ns = namespace();
    let deadline = Duration::from_millis(200);
    let program = wat(LOOP);
    let started = Instant::now();
    let ran = run_with(&program, &ns, &["loop"], |spec| {
        spec.limits.deadline = Some(deadline)
    });
    let elapsed = started.elapsed();
    assert_eq!(ran.outcome, Outcome::DeadlineExceeded(deadline));
    assert!(elapsed >= deadline, "{elapsed:?}");
    assert!(
        elapsed < deadline + Duration::from_millis(100),
        "stopped {:?} late",
        elapsed - deadline
    );
}

#[test]
fn a_sleeping_guest_stops_at_its_deadline() {
    let ns = namespace();
    // poll_oneoff on a 10 s relative monotonic clock.
    let module = exit_with(
        r#"(import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))"#,
        "",
        "(i32.store8 (i32.const 108) (i32.const 0)) (i32.store (i32.const 116) (i32.const 1))
         (i64.store (i32.const 124) (i64.const 10000000000))
         (call $poll (i32.const 100) (i32.const 200) (i32.const 1) (i32.const 300))",
    );
    let deadline = Duration::from_millis(150);
    let program = wat(&module);
    let started = Instant::now();
    let ran = run_with(&program, &ns, &["sleep"], |spec| {
        spec.limits.deadline = Some(deadline)
    });
    assert_eq!(ran.outcome, Outcome::DeadlineExceeded(deadline));
    assert!(started.elapsed() < deadline + Duration::from_millis(100));
}

#[test]
fn a_short_sleep_returns_its_clock_event() {
    let ns = namespace();
    // Sleep 20 ms, then exit with the event count (1) times 100 plus the event type (0).
    let module = exit_with(
        r#"(import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))"#,
        "",
        "(i64.store (i32.const 100) (i64.const 77)) (i32.store (i32.const 116) (i32.const 1))
         (i64.store (i32.const 124) (i64.const 20000000))
         (drop (call $poll (i32.const 100) (i32.const 200) (i32.const 1) (i32.const 300)))
         (i32.add (i32.mul (i32.load (i32.const 300)) (i32.const 100)) (i32.wrap_i64 (i64.load (i32.const 200))))",
    );
    let program = wat(&module);
    let started = Instant::now();
    let ran = run_with(&program, &ns, &["sleep"], |_| {});
    assert_eq!(ran.outcome, Outcome::Exited(177));
    assert!(started.elapsed() >= Duration::from_millis(20));
}

#[test]
fn a_memory_bomb_fails_at_its_cap() {
    let ns = namespace();
    // Grow one page at a time until refused, then exit 2 (what a guest does on ENOMEM).
    let module = r#"(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (memory (export "memory") 1)
      (func (export "_start")
        (loop $grow (br_if $grow (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
        (call $exit (i32.const 2))))"#;
    let cap = 16 << 20;
    let ran = run_with(&wat(module), &ns, &["bomb"], |spec| {
        spec.limits.memory = Some(cap)
    });
    assert_eq!(ran.outcome, Outcome::MemoryCap(cap));
    assert_eq!(
        ran.outcome.to_string(),
        "memory cap exceeded (16777216 bytes)"
    );
    // The C probe, capped below what it starts with, fails the same way.
    let ran = run_with(&probe(), &ns, &["probe", "args"], |spec| {
        spec.limits.memory = Some(64 << 10)
    });
    assert_eq!(ran.outcome, Outcome::MemoryCap(64 << 10));
}

#[test]
fn fuel_runs_out() {
    let ns = namespace();
    let ran = run_with(&wat(LOOP), &ns, &["loop"], |spec| {
        spec.limits.fuel = Some(1_000_000)
    });
    assert_eq!(ran.outcome, Outcome::FuelExhausted(1_000_000));
    // A guest within its fuel is untouched by the limit.
    let ran = run_with(&probe(), &ns, &["probe", "args"], |spec| {
        spec.limits.fuel = Some(10_000_000)
    });
    assert_eq!(ran.outcome, Outcome::Exited(0));
}

#[test]
fn the_cancel_flag_stops_a_running_guest() {
    let ns = namespace();
    let program = wat(LOOP);
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        flag.store(true, Ordering::Relaxed);
        Instant::now()
    });
    let ran = run_with(&program, &ns, &["loop"], |spec| {
        spec.cancel = Arc::clone(&cancel)
    });
    let stopped = Instant::now();
    let killed_at = killer.join().expect("killer");
    assert_eq!(ran.outcome, Outcome::Killed);
    assert!(stopped.duration_since(killed_at) < Duration::from_millis(100));
}

// ---- loading -------------------------------------------------------------------------------

#[test]
fn the_engine_starts_on_first_load_only() {
    let fresh = Runtime::new(RuntimeConfig {
        cache_dir: None,
        ..RuntimeConfig::default()
    });
    assert!(!fresh.is_started());
    fresh.load(LOOP.as_bytes()).expect("loads");
    assert!(fresh.is_started());
}

#[test]
fn bad_modules_are_load_errors() {
    assert!(matches!(
        runtime().load(b"\0asm garbage"),
        Err(LoadError::Compile(_))
    ));
    let foreign = r#"(module (import "env" "launch_missiles" (func)) (func (export "_start")))"#;
    assert!(matches!(
        runtime().load(foreign.as_bytes()),
        Err(LoadError::Link(_))
    ));
    let library = r#"(module (func (export "helper")))"#;
    assert!(matches!(
        runtime().load(library.as_bytes()),
        Err(LoadError::NotCommand(_))
    ));
    let ns = namespace();
    let missing = runtime().load_path(&ns, "/", "bin/nothing.wasm");
    assert!(matches!(missing, Err(LoadError::Read { .. })));
    let small = Runtime::new(RuntimeConfig {
        cache_dir: None,
        max_module_size: 1024,
        ..RuntimeConfig::default()
    });
    put(&ns, "/tmp/probe.wasm", PROBE);
    let refused = small.load_path(&ns, "/tmp", "probe.wasm");
    assert!(
        matches!(&refused, Err(LoadError::TooLarge { size, limit: 1024, .. }) if *size == PROBE.len() as u64),
        "{refused:?}"
    );
}

#[test]
fn a_module_is_loaded_from_the_namespace_and_cached_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = || RuntimeConfig {
        cache_dir: Some(dir.path().to_path_buf()),
        ..RuntimeConfig::default()
    };
    let ns = namespace();
    ns.mkdir("/bin").expect("mkdir");
    put(&ns, "/bin/probe.wasm", PROBE);
    let first = Runtime::new(config());
    let program = first
        .load_path(&ns, "/tmp", "../bin/probe.wasm")
        .expect("load");
    let again = first.load(PROBE).expect("load again");
    assert_eq!(program.hash(), again.hash());
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("cache dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with(program.hash()) && files[0].ends_with(".cwasm"));
    // A second runtime (a second oash process) loads the compiled file and runs it.
    let second = Runtime::new(config());
    let program = second.load(PROBE).expect("from disk");
    let (out, mut spec) = (Buffer::new(), TaskSpec::new(ns));
    spec.args = vec!["probe".into(), "cat".into(), "/data/greeting".into()];
    spec.stdout = Fd::writer(out.clone());
    assert_eq!(second.run(&program, spec), Outcome::Exited(0));
    assert_eq!(out.contents(), b"hello from the namespace\n");
    // A program from one runtime is refused by another, not run on the wrong engine.
    let other = runtime().run(&program, TaskSpec::new(namespace()));
    assert!(matches!(other, Outcome::Failed(_)), "{other:?}");
    // A corrupt cache file is replaced, not trusted.
    let path = dir.path().join(&files[0]);
    std::fs::write(&path, b"not machine code").expect("corrupt");
    let third = Runtime::new(config());
    assert!(third.load(PROBE).is_ok());
    let mut reread = Vec::new();
    std::fs::File::open(&path)
        .and_then(|mut f| f.read_to_end(&mut reread))
        .expect("reread");
    assert_ne!(reread, b"not machine code");
}

// ---- threads ---------------------------------------------------------------------------------

#[test]
fn runtimes_and_programs_are_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Runtime>();
    shareable::<Program>();
    let ns = namespace();
    let program = probe();
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let (ns, program) = (ns.clone(), program.clone());
            std::thread::spawn(move || {
                let path = format!("/tmp/out-{i}");
                let text = format!("thread {i}");
                let ran = run_with(&program, &ns, &["probe", "write", &path, &text], |_| {});
                (ran.outcome, path, text)
            })
        })
        .collect();
    for run in runs {
        let (outcome, path, text) = run.join().expect("thread");
        assert_eq!(outcome, Outcome::Exited(0));
        assert_eq!(get(&ns, &path), text);
    }
}

#[test]
fn a_full_instance_pool_is_a_clear_failure_not_a_crash() {
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: None,
        pooling_slots: Some(1),
        ..RuntimeConfig::default()
    });
    let spinner = runtime.load(LOOP.as_bytes()).expect("loop");
    let quick = runtime
        .load(br#"(module (memory (export "memory") 1) (func (export "_start")))"#)
        .expect("quick");
    let cancel = Arc::new(AtomicBool::new(false));
    std::thread::scope(|scope| {
        let flag = Arc::clone(&cancel);
        let busy = scope.spawn(|| {
            let mut spec = TaskSpec::new(namespace());
            spec.cancel = flag;
            runtime.run(&spinner, spec)
        });
        std::thread::sleep(Duration::from_millis(100));
        let refused = runtime.run(&quick, TaskSpec::new(namespace()));
        cancel.store(true, Ordering::Relaxed);
        assert_eq!(busy.join().expect("busy"), Outcome::Killed);
        let Outcome::Failed(message) = refused else {
            panic!("expected a refusal, got {refused:?}");
        };
        assert!(message.contains("limit"), "{message}");
    });
    // The slot is free again.
    assert_eq!(
        runtime.run(&quick, TaskSpec::new(namespace())),
        Outcome::Exited(0)
    );
}
