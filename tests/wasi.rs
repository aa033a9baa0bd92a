//! WASI guests over a namespace: files, directories, the process shape, streaming, and exact
//! preview1 calls (escapes, bad pointers, iovecs, seeks). The C probe guest
//! (`tests/wasi/probe.c`, built with wasi-libc) shows what libc does; WAT modules make exact
//! calls. Limits, loading and threads are in `wasi_limits.rs`.

// Test code: a set-up step that fails should stop the test loudly, helpers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "wasi/support.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use oash::ns::{FileKind, FileService, MountFlag, Namespace};
use oash::proc::io::Fd;
use oash::services::cow::CowService;
use oash::services::mem::MemService;
use oash::wasi::{Outcome, TaskSpec};
use support::*;

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

#[test]
fn truncate_by_path_shrinks_and_grows() {
    // wasi-libc's truncate() opens the file write-only, then sets its size.
    let ns = namespace();
    put(&ns, "/tmp/ten", b"abcdefghij");
    assert_ok(&run_probe(&ns, &["resize", "/tmp/ten", "4"]));
    assert_eq!(get(&ns, "/tmp/ten"), "abcd");
    assert_ok(&run_probe(&ns, &["resize", "/tmp/ten", "6"]));
    assert_eq!(get(&ns, "/tmp/ten"), "abcd\0\0");
    let missing = run_probe(&ns, &["resize", "/tmp/none", "1"]);
    assert!(missing.stderr.ends_with("No such file or directory\n"));
}

/// Path edge cases and what POSIX answers (`"ok"`, or the end of `strerror`'s message),
/// in order: each case sees what the ones before it did. The layout they start from is
/// [`PATH_LAYOUT`]. `the_path_cases_are_what_linux_answers` checks this table against the
/// same probe compiled for the host, on a host directory.
const PATH_CASES: &[(&[&str], &str)] = &[
    // A trailing slash names a directory.
    (&["size", "/tmp/ten/"], "Not a directory"),
    (&["cat", "/tmp/ten/"], "Not a directory"),
    (&["rm", "/tmp/ten/"], "Not a directory"),
    (&["write", "/tmp/ten/", "x"], "Is a directory"),
    (&["mkdir", "/tmp/ten/"], "File exists"),
    (&["mv", "/tmp/ten", "/tmp/ten2/"], "Not a directory"),
    (&["mv", "/tmp/ten/", "/tmp/ten2"], "Not a directory"),
    (&["size", "/tmp/d/"], "ok"),
    // A directory renamed onto an empty one replaces it; onto anything else it fails.
    (&["mv", "/tmp/d", "/tmp/e"], "ok"),
    (&["mv", "/tmp/e", "/tmp/full"], "Directory not empty"),
    (&["mv", "/tmp/e", "/tmp/ten"], "Not a directory"),
    (&["mv", "/tmp/ten", "/tmp/e"], "Is a directory"),
    (&["mv", "/tmp/e", "/tmp/e/sub"], "Invalid argument"),
    (&["mv", "/tmp/one", "/tmp/two"], "ok"),
    // rmdir of `dir/.` is refused; `dir/` is the directory itself.
    (&["rmdir", "/tmp/e/."], "Invalid argument"),
    (&["rmdir", "/tmp/e/.."], "Directory not empty"),
    (&["mkdir", "/tmp/n/"], "ok"),
    (&["rmdir", "/tmp/n/"], "ok"),
    // truncate() by path.
    (&["resize", "/tmp/two", "0"], "ok"),
];

/// The files (`Some(contents)`) and directories (`None`) the path cases start from.
const PATH_LAYOUT: &[(&str, Option<&str>)] = &[
    ("/tmp/ten", Some("abcdefghij")),
    ("/tmp/d", None),
    ("/tmp/e", None),
    ("/tmp/full", None),
    ("/tmp/full/f", Some("x")),
    ("/tmp/one", Some("1")),
    ("/tmp/two", Some("2")),
];

/// What a probe run answered: `ok`, or the `strerror` text that ends its message.
fn answer(succeeded: bool, stderr: &str) -> String {
    if succeeded {
        return "ok".to_string();
    }
    stderr
        .trim_end()
        .rsplit(": ")
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn path_edge_cases_answer_as_posix_does() {
    let ns = namespace();
    for (path, contents) in PATH_LAYOUT {
        match contents {
            Some(text) => put(&ns, path, text.as_bytes()),
            None => ns.mkdir(path).expect("mkdir"),
        }
    }
    let mut wrong = Vec::new();
    for (args, want) in PATH_CASES {
        let ran = run_probe(&ns, args);
        let got = answer(ran.outcome == Outcome::Exited(0), &ran.stderr);
        if got != *want {
            wrong.push(format!("probe {}: want {want}, got {got}", args.join(" ")));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(ns.stat("/tmp/e").map(|s| s.kind), Ok(FileKind::Dir));
    assert!(ns.stat("/tmp/d").is_err());
    assert_eq!(get(&ns, "/tmp/ten"), "abcdefghij");
    assert_eq!(ns.stat("/tmp/two").map(|s| s.size), Ok(0));
}

/// The real thing: the probe's C source compiled for the host (with `cc`) and run on a
/// host directory laid out as [`PATH_LAYOUT`] gives [`PATH_CASES`]'s answers. Skipped,
/// saying so, where no C compiler is installed.
#[test]
fn the_path_cases_are_what_linux_answers() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let probe = dir.path().join("probe");
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/wasi/probe.c");
    let built = std::process::Command::new("cc")
        .args(["-O2", "-o"])
        .arg(&probe)
        .arg(source)
        .status();
    if !built.is_ok_and(|status| status.success()) {
        println!("skipped: no C compiler (cc) to build the probe for the host");
        return;
    }
    let root = dir.path().join("root");
    let host = |path: &str| format!("{}{path}", root.display());
    std::fs::create_dir_all(host("/tmp")).expect("mkdir");
    for (path, contents) in PATH_LAYOUT {
        match contents {
            Some(text) => std::fs::write(host(path), text).expect("write"),
            None => std::fs::create_dir(host(path)).expect("mkdir"),
        }
    }
    let mut wrong = Vec::new();
    for (args, want) in PATH_CASES {
        let argv: Vec<String> = args
            .iter()
            .map(|a| {
                if a.starts_with('/') {
                    host(a)
                } else {
                    a.to_string()
                }
            })
            .collect();
        let ran = std::process::Command::new(&probe)
            .args(&argv)
            .output()
            .expect("the host probe runs");
        let got = answer(ran.status.success(), &String::from_utf8_lossy(&ran.stderr));
        if got != *want {
            wrong.push(format!(
                "probe {}: table says {want}, Linux {got}",
                args.join(" ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
fn a_guest_writes_into_a_cow_overlay_and_the_base_stays() {
    let base: Arc<dyn FileService> = Arc::new(MemService::new());
    let base_ns = Namespace::new(Arc::clone(&base));
    put(&base_ns, "/greeting", b"base\n");
    let ns = namespace()
        .mount(
            "/data",
            Arc::new(CowService::new(Arc::clone(&base))),
            MountFlag::Replace,
            false,
        )
        .expect("cow");
    assert_ok(&run_probe(&ns, &["append", "/data/greeting", "more\n"]));
    assert_ok(&run_probe(&ns, &["write", "/data/new", "fresh"]));
    assert_eq!(
        run_probe(&ns, &["cat", "/data/greeting"]).stdout,
        "base\nmore\n"
    );
    assert_eq!(get(&ns, "/data/new"), "fresh");
    assert_eq!(get(&base_ns, "/greeting"), "base\n");
    assert!(base_ns.stat("/new").is_err());
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
    assert_eq!(
        open_errno(&ns, 3, "data/greeting/"),
        Outcome::Exited(ENOTDIR)
    );
    assert_eq!(open_errno(&ns, 3, "data/"), Outcome::Exited(0));
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
