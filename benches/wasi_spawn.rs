//! Spawn-to-exit of a hello guest, in process: instantiate the cached program, run `_start`
//! (which writes "hello\n" to stdout through `fd_write`), collect the outcome.
//!
//! Criterion reports the mean and median; the p50/p99 over 10 000 runs are measured first by
//! a plain timing loop and printed (criterion has no percentiles). Two guests: `hello`, the
//! WAT equivalent of wasi-libc's hello (`fd_write(1, ["hello", "\n"])`), and the C probe of
//! `tests/wasi/probe.c` (42 KB, wasi-libc start-up: preopen scan, args, environ) running
//! `probe exit 0`. Run with `cargo bench --bench wasi_spawn`.

// A bench's set-up failing is a broken bench: stopping loudly is the right report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use oash::ns::Namespace;
use oash::proc::io::Fd;
use oash::services::mem::MemService;
use oash::wasi::{Outcome, Program, Runtime, RuntimeConfig, TaskSpec};

const HELLO: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello\n")
  (data (i32.const 16) "\40\00\00\00\05\00\00\00\45\00\00\00\01\00\00\00")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 2) (i32.const 8)))))"#;

const PROBE: &[u8] = include_bytes!("../tests/wasi/probe.wasm");
/// The C hello of tests/wasm/hello.c (wasi-libc, 4 KB): the module `scripts/bench-wasi`
/// also gives PyPI's wasmtime and the wasmtime CLI.
const HELLO_C: &[u8] = include_bytes!("../tests/wasm/hello.wasm");

fn spawn(runtime: &Runtime, (program, args): &(Program, Vec<String>), ns: &Namespace) -> Outcome {
    let mut spec = TaskSpec::new(ns.clone());
    spec.args = args.clone();
    spec.stdout = Fd::writer(std::io::sink());
    runtime.run(program, spec)
}

fn percentiles(name: &str, runtime: &Runtime, program: &(Program, Vec<String>), ns: &Namespace) {
    const RUNS: usize = 10_000;
    for _ in 0..500 {
        spawn(runtime, program, ns);
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let outcome = spawn(runtime, program, ns);
            let took = started.elapsed();
            assert_eq!(outcome, Outcome::Exited(0));
            took
        })
        .collect();
    times.sort_unstable();
    let at = |q: f64| times[((RUNS as f64 * q) as usize).min(RUNS - 1)];
    println!(
        "wasi_spawn {name}, {RUNS} runs: p50 {:?}  p90 {:?}  p99 {:?}  max {:?}",
        at(0.50),
        at(0.90),
        at(0.99),
        times[RUNS - 1]
    );
}

fn bench(c: &mut Criterion) {
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: None,
        ..RuntimeConfig::default()
    });
    let hello = (
        runtime.load(HELLO.as_bytes()).expect("hello loads"),
        vec!["hello".to_string()],
    );
    let probe = (
        runtime.load(PROBE).expect("probe loads"),
        vec!["probe".to_string(), "exit".to_string(), "0".to_string()],
    );
    let hello_c = (
        runtime.load(HELLO_C).expect("hello.wasm loads"),
        vec!["hello".to_string()],
    );
    let ns = Namespace::new(Arc::new(MemService::new()));
    percentiles("hello (WAT)", &runtime, &hello, &ns);
    percentiles("hello.wasm (C, wasi-libc)", &runtime, &hello_c, &ns);
    percentiles("probe exit 0 (C, wasi-libc)", &runtime, &probe, &ns);
    c.bench_function("wasi_spawn_hello", |b| {
        b.iter(|| black_box(spawn(&runtime, &hello, &ns)))
    });
    c.bench_function("wasi_spawn_hello_c", |b| {
        b.iter(|| black_box(spawn(&runtime, &hello_c, &ns)))
    });
    c.bench_function("wasi_spawn_c_probe", |b| {
        b.iter(|| black_box(spawn(&runtime, &probe, &ns)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
