//! Shared by the WASI integration tests: a runtime, the C probe guest, WAT helpers and a
//! `mem` namespace to run them over.

#![allow(dead_code)]
// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, OnceLock};

use oash::ns::{MountFlag, Namespace, OpenFlags};
use oash::proc::io::{Buffer, Fd};
use oash::services::mem::MemService;
use oash::wasi::{Outcome, Program, Runtime, RuntimeConfig, TaskSpec};

pub const PROBE: &[u8] = include_bytes!("probe.wasm");

pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        Runtime::new(RuntimeConfig {
            cache_dir: None,
            ..RuntimeConfig::default()
        })
    })
}

pub fn probe() -> Program {
    runtime().load(PROBE).expect("the probe guest loads")
}

pub fn wat(text: &str) -> Program {
    runtime()
        .load(text.as_bytes())
        .expect("the WAT guest loads")
}

pub fn put(ns: &Namespace, path: &str, bytes: &[u8]) {
    let mut handle = ns
        .open(path, OpenFlags::write().create().truncate())
        .expect("create");
    handle.write(bytes).expect("write");
    handle.close().expect("close");
}

pub fn get(ns: &Namespace, path: &str) -> String {
    let mut handle = ns.open(path, OpenFlags::read()).expect("open");
    let mut bytes = vec![0u8; 1 << 16];
    let n = handle.read(&mut bytes).expect("read");
    String::from_utf8_lossy(&bytes[..n]).into_owned()
}

/// `/tmp` and `/data` (with a file), over a mem root.
pub fn namespace() -> Namespace {
    let ns = Namespace::new(Arc::new(MemService::with_dirs(&["/tmp", "/data"])));
    let ns = ns
        .mount(
            "/tmp",
            Arc::new(MemService::new()),
            MountFlag::Replace,
            false,
        )
        .expect("mount /tmp");
    put(&ns, "/data/greeting", b"hello from the namespace\n");
    ns
}

pub struct Ran {
    pub outcome: Outcome,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_with(
    program: &Program,
    ns: &Namespace,
    args: &[&str],
    tweak: impl FnOnce(&mut TaskSpec),
) -> Ran {
    let (out, err) = (Buffer::new(), Buffer::new());
    let mut spec = TaskSpec::new(ns.clone());
    spec.args = args.iter().map(|a| a.to_string()).collect();
    spec.stdout = Fd::writer(out.clone());
    spec.stderr = Fd::writer(err.clone());
    tweak(&mut spec);
    let outcome = runtime().run(program, spec);
    Ran {
        outcome,
        stdout: String::from_utf8_lossy(&out.contents()).into_owned(),
        stderr: String::from_utf8_lossy(&err.contents()).into_owned(),
    }
}

pub fn run_probe(ns: &Namespace, args: &[&str]) -> Ran {
    let mut argv = vec!["probe"];
    argv.extend_from_slice(args);
    run_with(&probe(), ns, &argv, |_| {})
}

pub fn assert_ok(ran: &Ran) {
    assert_eq!(ran.outcome, Outcome::Exited(0), "stderr: {}", ran.stderr);
}

/// A module importing `imports` (WAT import lines), with `data` and a `_start` whose body
/// `body` leaves an i32 that becomes the exit code (an errno, a count).
pub fn exit_with(imports: &str, data: &str, body: &str) -> String {
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  {imports}
  (memory (export "memory") 1)
  {data}
  (func (export "_start") (call $exit {body})))"#
    )
}

pub const PATH_OPEN: &str = r#"(import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))"#;
pub const FD_READ: &str = r#"(import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))"#;
pub const FD_WRITE: &str = r#"(import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))"#;

pub const ENOENT: i32 = 44;
pub const EBADF: i32 = 8;
pub const EFAULT: i32 = 21;
pub const EINVAL: i32 = 28;
pub const ENOTDIR: i32 = 54;
pub const ENOTCAPABLE: i32 = 76;

pub const LOOP: &str =
    r#"(module (memory (export "memory") 1) (func (export "_start") (loop $spin (br $spin))))"#;
