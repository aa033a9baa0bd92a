//! WASI guests over a namespace: the C probe guest (`tests/wasi/probe.c`, built with
//! wasi-libc) for what libc does, and WAT modules for exact preview1 calls, escapes and
//! limits. Every guest runs through `oash::wasi::Runtime::run` over a `mem` namespace.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use oash::eval::io::{Buffer, Fd};
use oash::ns::{FileKind, MountFlag, Namespace, OpenFlags};
use oash::services::mem::MemService;
use oash::wasi::{LoadError, Outcome, Program, Runtime, RuntimeConfig, TaskSpec};

const PROBE: &[u8] = include_bytes!("wasi/probe.wasm");

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        Runtime::new(RuntimeConfig {
            cache_dir: None,
            ..RuntimeConfig::default()
        })
    })
}

fn probe() -> Program {
    runtime().load(PROBE).expect("the probe guest loads")
}

fn wat(text: &str) -> Program {
    runtime()
        .load(text.as_bytes())
        .expect("the WAT guest loads")
}

fn put(ns: &Namespace, path: &str, bytes: &[u8]) {
    let mut handle = ns
        .open(path, OpenFlags::write().create().truncate())
        .expect("create");
    handle.write(bytes).expect("write");
    handle.close().expect("close");
}

fn get(ns: &Namespace, path: &str) -> String {
    let mut handle = ns.open(path, OpenFlags::read()).expect("open");
    let mut bytes = vec![0u8; 1 << 16];
    let n = handle.read(&mut bytes).expect("read");
    String::from_utf8_lossy(&bytes[..n]).into_owned()
}

/// `/tmp` and `/data` (with a file), over a mem root.
fn namespace() -> Namespace {
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

struct Ran {
    outcome: Outcome,
    stdout: String,
    stderr: String,
}

fn run_with(
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

fn run_probe(ns: &Namespace, args: &[&str]) -> Ran {
    let mut argv = vec!["probe"];
    argv.extend_from_slice(args);
    run_with(&probe(), ns, &argv, |_| {})
}

fn assert_ok(ran: &Ran) {
    assert_eq!(ran.outcome, Outcome::Exited(0), "stderr: {}", ran.stderr);
}

// ---- files through wasi-libc -------------------------------------------------------------

#[test]
fn a_guest_reads_a_namespace_file() {
    let ns = namespace();
    let ran = run_probe(&ns, &["cat", "/data/greeting"]);
    assert_ok(&ran);
    assert_eq!(ran.stdout, "hello from the namespace\n");
}

#[test]
fn a_guest_writes_files_the_namespace_sees() {
    let ns = namespace();
    assert_ok(&run_probe(
        &ns,
        &["write", "/tmp/out", "written by a guest"],
    ));
    assert_eq!(get(&ns, "/tmp/out"), "written by a guest");
    assert_ok(&run_probe(&ns, &["append", "/tmp/out", ", twice"]));
    assert_eq!(get(&ns, "/tmp/out"), "written by a guest, twice");
    // Truncation on reopen.
    assert_ok(&run_probe(&ns, &["write", "/tmp/out", "short"]));
    assert_eq!(get(&ns, "/tmp/out"), "short");
}

#[test]
fn mkdir_rename_unlink_and_rmdir_reach_the_namespace() {
    let ns = namespace();
    assert_ok(&run_probe(&ns, &["mkdir", "/tmp/d"]));
    assert_eq!(ns.stat("/tmp/d").map(|s| s.kind), Ok(FileKind::Dir));
    assert_ok(&run_probe(&ns, &["write", "/tmp/d/f", "x"]));
    assert_ok(&run_probe(&ns, &["mv", "/tmp/d/f", "/tmp/d/g"]));
    assert!(ns.stat("/tmp/d/f").is_err());
    assert_eq!(get(&ns, "/tmp/d/g"), "x");
    let refused = run_probe(&ns, &["rmdir", "/tmp/d"]);
    assert_eq!(refused.outcome, Outcome::Exited(1));
    assert!(refused.stderr.contains("not empty"), "{}", refused.stderr);
    let refused = run_probe(&ns, &["rm", "/tmp/d"]);
    assert_eq!(refused.outcome, Outcome::Exited(1));
    assert_ok(&run_probe(&ns, &["rm", "/tmp/d/g"]));
    assert_ok(&run_probe(&ns, &["rmdir", "/tmp/d"]));
    assert!(ns.stat("/tmp/d").is_err());
    // Across mounts (the root and /tmp) a rename is refused, not faked.
    let across = run_probe(&ns, &["mv", "/data/greeting", "/tmp/greeting"]);
    assert_eq!(across.outcome, Outcome::Exited(1));
    assert!(
        across.stderr.to_lowercase().contains("cross-device"),
        "{}",
        across.stderr
    );
}

#[test]
fn stat_and_seek_see_sizes() {
    let ns = namespace();
    put(&ns, "/tmp/ten", b"abcdefghij");
    let ran = run_probe(&ns, &["size", "/tmp/ten"]);
    assert_eq!(ran.stdout, "file 10\n");
    assert_eq!(run_probe(&ns, &["size", "/tmp"]).stdout, "dir 0\n");
    let ran = run_probe(&ns, &["seek", "/tmp/ten"]);
    assert_ok(&ran);
    assert_eq!(ran.stdout, "size 10\ntail hij\n");
}

#[test]
fn ftruncate_shrinks_and_grows_a_namespace_file() {
    let ns = namespace();
    put(&ns, "/tmp/ten", b"abcdefghij");
    assert_ok(&run_probe(&ns, &["truncate", "/tmp/ten", "4"]));
    assert_eq!(get(&ns, "/tmp/ten"), "abcd");
    assert_ok(&run_probe(&ns, &["truncate", "/tmp/ten", "6"]));
    assert_eq!(get(&ns, "/tmp/ten"), "abcd\0\0");
}

fn listing(ns: &Namespace, dir: &str) -> Vec<String> {
    ns.readdir(dir)
        .expect("readdir")
        .into_iter()
        .map(|e| e.name)
        .collect()
}

#[test]
fn a_union_directory_lists_as_namespace_readdir_does() {
    let ns = namespace();
    let extra = Arc::new(MemService::new());
    let ns = ns
        .mount("/data", extra, MountFlag::After, false)
        .expect("union");
    put(&ns, "/data/zeta", b"z");
    let ran = run_probe(&ns, &["ls", "/data"]);
    assert_ok(&ran);
    let lines: Vec<String> = ran.stdout.lines().map(str::to_string).collect();
    assert_eq!(lines[..2], [".".to_string(), "..".to_string()]);
    assert_eq!(lines[2..], listing(&ns, "/data")[..]);
    // The guest reads a file from either member of the union.
    assert_eq!(run_probe(&ns, &["cat", "/data/zeta"]).stdout, "z");
    assert_eq!(
        run_probe(&ns, &["cat", "/data/greeting"]).stdout,
        "hello from the namespace\n"
    );
}

#[test]
fn a_long_directory_pages_through_readdir_cookies() {
    let ns = namespace();
    ns.mkdir("/tmp/many").expect("mkdir");
    for i in 0..300 {
        put(
            &ns,
            &format!("/tmp/many/file-with-a-rather-long-name-{i:04}"),
            b"",
        );
    }
    let ran = run_probe(&ns, &["ls", "/tmp/many"]);
    assert_ok(&ran);
    let names: Vec<String> = ran.stdout.lines().skip(2).map(str::to_string).collect();
    assert_eq!(names.len(), 300);
    assert_eq!(names, listing(&ns, "/tmp/many"));
}

// ---- the process shape -------------------------------------------------------------------

#[test]
fn args_env_and_exit_codes() {
    let ns = namespace();
    let ran = run_with(&probe(), &ns, &["probe", "args", "two words", "ü"], |_| {});
    assert_eq!(ran.stdout, "probe\nargs\ntwo words\nü\n");
    let ran = run_with(&probe(), &ns, &["probe", "env"], |spec| {
        spec.env = vec![("GREETING".into(), "hi there".into())];
        spec.cwd = "/tmp".into();
    });
    assert_eq!(ran.stdout, "GREETING=hi there\nPWD=/tmp\n");
    let ran = run_probe(&ns, &["exit", "7"]);
    assert_eq!(ran.outcome, Outcome::Exited(7));
    assert_eq!(ran.outcome.status().as_str(), "7");
    assert!(run_probe(&ns, &["exit", "0"]).outcome.status().is_ok());
}

/// A writer that keeps each write apart, to see how the guest's libc buffers.
#[derive(Clone, Default)]
struct Writes(Arc<Mutex<Vec<String>>>);

impl Write for Writes {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut writes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        writes.push(String::from_utf8_lossy(buf).into_owned());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn stdout_is_a_line_buffered_character_device() {
    let writes = Writes::default();
    let sink = writes.clone();
    run_with(
        &probe(),
        &namespace(),
        &["probe", "args", "one", "two"],
        |spec| {
            spec.stdout = Fd::writer(sink);
        },
    );
    let writes = writes.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    // One write per line, as it is printed: a pipeline downstream sees lines as they come.
    assert_eq!(writes, ["probe\n", "args\n", "one\n", "two\n"]);
}

/// A writer that counts and checksums what it is given, holding none of it.
#[derive(Clone, Default)]
struct Tally(Arc<Mutex<(u64, u64)>>);

impl Write for Tally {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut tally = self.0.lock().unwrap_or_else(|e| e.into_inner());
        tally.0 += buf.len() as u64;
        tally.1 = buf.iter().fold(tally.1, |sum, &b| {
            sum.wrapping_mul(31).wrapping_add(u64::from(b))
        });
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn stdin_streams_to_stdout_through_a_pipe_in_bounded_memory() {
    const TOTAL: usize = 32 << 20;
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let feeder = std::thread::spawn(move || {
        let chunk: Vec<u8> = (0..65_521u32).map(|i| (i % 251) as u8).collect();
        let (mut sent, mut expected) = (0usize, Tally::default());
        while sent < TOTAL {
            let n = chunk.len().min(TOTAL - sent);
            writer.write_all(&chunk[..n]).expect("feed");
            expected.write_all(&chunk[..n]).expect("tally");
            sent += n;
        }
        drop(writer);
        *expected.0.lock().unwrap_or_else(|e| e.into_inner())
    });
    let out = Tally::default();
    let ns = namespace();
    let (program, sink) = (probe(), out.clone());
    let mut spec = TaskSpec::new(ns);
    spec.args = vec!["probe".into(), "filter".into()];
    spec.stdin = Fd::reader(reader);
    spec.stdout = Fd::writer(sink);
    // The guest's whole memory stays far below the input: it streams.
    spec.limits.memory = Some(2 << 20);
    let outcome = runtime().run(&program, spec);
    assert_eq!(outcome, Outcome::Exited(0));
    let expected = feeder.join().expect("feeder");
    let got = *out.0.lock().unwrap_or_else(|e| e.into_inner());
    assert_eq!(got, expected);
    assert_eq!(got.0, TOTAL as u64);
}

// ---- WAT guests: exact preview1 calls ------------------------------------------------------

/// A module importing `imports` (WAT import lines), with `data` and a `_start` whose body
/// `body` leaves an i32 that becomes the exit code (an errno, a count).
fn exit_with(imports: &str, data: &str, body: &str) -> String {
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  {imports}
  (memory (export "memory") 1)
  {data}
  (func (export "_start") (call $exit {body})))"#
    )
}

const PATH_OPEN: &str = r#"(import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))"#;
const FD_READ: &str = r#"(import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))"#;
const FD_WRITE: &str = r#"(import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))"#;

/// The errno of `path_open(dirfd, path)` asking for read rights.
fn open_errno(ns: &Namespace, dirfd: u32, path: &str) -> Outcome {
    let module = exit_with(
        PATH_OPEN,
        &format!(r#"(data (i32.const 100) "{path}")"#),
        &format!(
            "(call $path_open (i32.const {dirfd}) (i32.const 0) (i32.const 100) (i32.const {}) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 8))",
            path.len()
        ),
    );
    run_with(&wat(&module), ns, &["open"], |_| {}).outcome
}

const ENOENT: i32 = 44;
const EBADF: i32 = 8;
const EFAULT: i32 = 21;
const EINVAL: i32 = 28;
const ENOTDIR: i32 = 54;
const ENOTCAPABLE: i32 = 76;

#[test]
fn escape_attempts_fail_inside_the_guest() {
    let ns = namespace();
    // `..` stops at the namespace root: there is no /etc in this namespace.
    assert_eq!(
        open_errno(&ns, 3, "../../etc/passwd"),
        Outcome::Exited(ENOENT)
    );
    assert_eq!(
        open_errno(&ns, 3, "data/../../../../etc/passwd"),
        Outcome::Exited(ENOENT)
    );
    // Absolute paths are not relative to a capability.
    assert_eq!(
        open_errno(&ns, 3, "/etc/passwd"),
        Outcome::Exited(ENOTCAPABLE)
    );
    // Fds never given out, and fds that are not directories.
    assert_eq!(open_errno(&ns, 4, "data/greeting"), Outcome::Exited(EBADF));
    assert_eq!(open_errno(&ns, 99, "data/greeting"), Outcome::Exited(EBADF));
    assert_eq!(
        open_errno(&ns, 0, "data/greeting"),
        Outcome::Exited(ENOTDIR)
    );
    assert_eq!(open_errno(&ns, 3, "data/greeting"), Outcome::Exited(0));
    for fd in [4, 5, 64, 1023, 1024, -1i32 as u32] {
        let module = exit_with(
            FD_WRITE,
            r#"(data (i32.const 16) "\64\00\00\00\01\00\00\00")"#,
            &format!(
                "(call $fd_write (i32.const {fd}) (i32.const 16) (i32.const 1) (i32.const 8))"
            ),
        );
        assert_eq!(
            run_with(&wat(&module), &ns, &["w"], |_| {}).outcome,
            Outcome::Exited(EBADF)
        );
    }
    // Through libc: host paths name namespace files, which do not exist here...
    let ran = run_probe(&ns, &["cat", "/etc/passwd"]);
    assert_eq!(ran.outcome, Outcome::Exited(1));
    assert!(ran.stderr.contains("No such file"), "{}", ran.stderr);
    // ...and when the namespace has one, that is what `..` reaches.
    ns.mkdir("/etc").expect("mkdir /etc");
    put(&ns, "/etc/passwd", b"root:namespace-only\n");
    let ran = run_probe(&ns, &["cat", "/tmp/../../../etc/passwd"]);
    assert_eq!(ran.stdout, "root:namespace-only\n");
}

#[test]
fn pointers_outside_memory_are_efault_not_a_crash() {
    let ns = namespace();
    let cases = [
        // An iovec table past the end of the one page.
        "(call $fd_write (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 8))",
        // An iovec whose buffer runs past the end.
        "(i32.store (i32.const 16) (i32.const 65500)) (i32.store (i32.const 20) (i32.const 100)) (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8))",
        // A result pointer past the end, and a negative (huge unsigned) one.
        "(call $fd_write (i32.const 1) (i32.const 16) (i32.const 0) (i32.const 65533))",
        "(call $fd_write (i32.const 1) (i32.const 16) (i32.const 0) (i32.const -4))",
    ];
    for body in cases {
        let module = exit_with(FD_WRITE, "", body);
        let ran = run_with(&wat(&module), &ns, &["w"], |_| {});
        assert_eq!(ran.outcome, Outcome::Exited(EFAULT), "{body}");
        assert_eq!(ran.stdout, "", "nothing written for {body}");
    }
}

#[test]
fn readv_and_writev_use_every_iovec() {
    let ns = namespace();
    put(&ns, "/tmp/abc", b"abcdefgh");
    // Open /tmp/abc, read it into three 2-byte iovecs, write those three iovecs to stdout,
    // exit with the number read.
    let module = exit_with(
        &format!("{PATH_OPEN}\n{FD_READ}\n{FD_WRITE}"),
        r#"(data (i32.const 200) "tmp/abc")
           (data (i32.const 16) "\64\00\00\00\02\00\00\00\66\00\00\00\02\00\00\00\68\00\00\00\02\00\00\00")"#,
        "(drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 7) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
         (drop (call $fd_read (i32.load (i32.const 0)) (i32.const 16) (i32.const 3) (i32.const 8)))
         (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 3) (i32.const 12)))
         (i32.load (i32.const 8))",
    );
    let ran = run_with(&wat(&module), &ns, &["v"], |_| {});
    assert_eq!(ran.outcome, Outcome::Exited(6));
    assert_eq!(ran.stdout, "abcdef");
}

/// The errno of `fd_seek(offset, whence)` on a freshly opened 3-byte file.
fn seek_errno(offset: i64, whence: u32) -> Outcome {
    let ns = namespace();
    put(&ns, "/tmp/abc", b"abc");
    let module = exit_with(
        &format!(
            "{PATH_OPEN}\n{}",
            r#"(import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))"#
        ),
        r#"(data (i32.const 200) "tmp/abc")"#,
        &format!(
            "(drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 7) (i32.const 0) (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 0)))
             (call $fd_seek (i32.load (i32.const 0)) (i64.const {offset}) (i32.const {whence}) (i32.const 8))"
        ),
    );
    run_with(&wat(&module), &ns, &["s"], |_| {}).outcome
}

#[test]
fn fd_seek_with_a_bad_whence_or_target_is_einval() {
    assert_eq!(seek_errno(1, 0), Outcome::Exited(0));
    assert_eq!(seek_errno(-1, 2), Outcome::Exited(0));
    assert_eq!(seek_errno(0, 3), Outcome::Exited(EINVAL));
    assert_eq!(seek_errno(0, 7), Outcome::Exited(EINVAL));
    // Before the start is EINVAL too, whatever the service would say.
    assert_eq!(seek_errno(-10, 2), Outcome::Exited(EINVAL));
    assert_eq!(seek_errno(-1, 1), Outcome::Exited(EINVAL));
}

// ---- traps and limits --------------------------------------------------------------------

const LOOP: &str =
    r#"(module (memory (export "memory") 1) (func (export "_start") (loop $spin (br $spin))))"#;

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
