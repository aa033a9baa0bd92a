//! The Rhai door end to end: through the `rhai` builtin, against a real shell, every limit hit.

use std::io::Cursor;
use std::time::{Duration, Instant};

use super::engine::Limits;
use super::{Engine, Script};
use crate::builtins::{Ctx, rhai::BUILTINS};
use crate::eval::{Buffer, Fd, Io, Shell, ShellError};

struct Run {
    out: String,
    err: String,
    /// The status, or `error: ` and the error's message.
    status: String,
}

/// Runs `rhai ARGS` with `stdin` on fd 0.
fn rhai_with_input(shell: &mut Shell, args: &[&str], stdin: &str) -> Run {
    let (out, err) = (Buffer::new(), Buffer::new());
    let mut io = Io::buffers(out.clone(), err.clone());
    io.set(0, Fd::reader(Cursor::new(stdin.as_bytes().to_vec())));
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut ctx = Ctx {
        shell,
        io,
        name: "rhai",
    };
    let status = match (BUILTINS[0].run)(&mut ctx, &args) {
        Ok(status) => status.to_string(),
        Err(e) => format!("error: {e}"),
    };
    let text = |b: Buffer| String::from_utf8_lossy(&b.take()).into_owned();
    Run {
        out: text(out),
        err: text(err),
        status,
    }
}

fn rhai(shell: &mut Shell, code: &str) -> Run {
    rhai_with_input(shell, &["-c", code], "")
}

fn ns_read(shell: &Shell, path: &str) -> Option<String> {
    crate::nsops::read(shell, path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[test]
fn a_rhai_write_is_read_by_the_shell() {
    let mut shell = Shell::new();
    let r = rhai(
        &mut shell,
        r#"write("/tmp/a", "hello"); append("/tmp/a", " world"); print(read("/tmp/a"))"#,
    );
    assert_eq!((r.out.as_str(), r.status.as_str()), ("hello world\n", ""));
    assert_eq!(ns_read(&shell, "/tmp/a").as_deref(), Some("hello world"));
}

#[test]
fn rhai_mounts_a_cow_and_reads_its_diff() {
    let mut shell = Shell::new();
    let r = rhai(
        &mut shell,
        r#"mkdir("/tmp/s"); write("/tmp/s/f", "1"); mkdir("/tmp/c");
           mount("cow", ["/tmp/s"], "/tmp/c"); write("/tmp/c/f", "2"); write("/tmp/c/g", "3");
           print(cowdiff("/tmp/c"))"#,
    );
    assert_eq!(
        (r.out.as_str(), r.status.as_str()),
        ("M /tmp/c/f\nA /tmp/c/g\n\n", "")
    );
    assert_eq!(ns_read(&shell, "/tmp/s/f").as_deref(), Some("1"));
}

#[test]
fn a_rhai_mount_changes_the_shell_namespace() {
    let mut shell = Shell::new();
    let r = rhai(
        &mut shell,
        r#"mount("mem", "/n"); mkdir("/n/x"); write("/n/x/f", "1"); print(ls("/n"))"#,
    );
    assert_eq!((r.out.as_str(), r.status.as_str()), ("[\"x\"]\n", ""));
    let points: Vec<String> = shell
        .proc
        .ns
        .mounts()
        .into_iter()
        .map(|m| m.point)
        .collect();
    assert_eq!(points.last().map(String::as_str), Some("/n"), "{points:?}");
    assert_eq!(ns_read(&shell, "/n/x/f").as_deref(), Some("1"));
    let r = rhai(
        &mut shell,
        r#"mount("mem", [], "/n", "-bc"); print(ns()); unmount("/n"); unmount("/n")"#,
    );
    let tmp = crate::nsops::ns_text(&Shell::new());
    assert_eq!(r.out, format!("{tmp}mount mem /n\nmount -b -c mem /n\n\n"));
    assert!(!shell.proc.ns.is_mount_point("/n"));
}

#[test]
fn rhai_bind_unmount_and_newns_use_the_same_core() {
    let mut shell = Shell::new();
    let r = rhai(
        &mut shell,
        r#"mkdir("/tmp/a"); write("/tmp/a/x", "1"); mkdir("/tmp/b"); write("/tmp/b/y", "2");
bind("/tmp/a", "/n", "-a"); bind("/tmp/b", "/n", "-bc"); print(ls("/n"));
write("/n/new", "3"); print(ls("/tmp/b"));
unmount("/tmp/b", "/n"); print(ls("/n"));
try { bind("/tmp/a", "/n", "-x") } catch (e) { print(e) }
try { unmount("/tmp/b", "/n") } catch (e) { print(e) }"#,
    );
    assert_eq!(
        (r.out.as_str(), r.status.as_str()),
        (
            "[\"x\", \"y\"]\n[\"new\", \"y\"]\n[\"x\"]\n\
             bind: unknown flag -x (flags are -b, -a, -c)\n\
             unmount: /tmp/b: not bound on /n\n",
            ""
        )
    );
    let tmp = crate::nsops::ns_text(&Shell::new());
    assert_eq!(
        crate::nsops::ns_text(&shell),
        format!("{tmp}bind -a /tmp/a /n\n")
    );
    let r = rhai(&mut shell, r#"newns(); print(ns())"#);
    assert_eq!(r.out, "newns\n\n");
    assert_eq!(crate::nsops::ns_text(&shell), "newns\n");
}

#[test]
fn mount_map_mounts_a_read_only_tree() {
    let mut shell = Shell::new();
    let r = rhai(
        &mut shell,
        r#"mount_map("/n", #{ motd: "hello", lib: #{ x: "1", empty: #{} } });
print(read("/n/motd")); print(ls("/n/lib")); print(ns())"#,
    );
    let tmp = crate::nsops::ns_text(&Shell::new());
    assert_eq!(
        (r.out, r.status.as_str()),
        (
            format!(
                "hello\n[\"empty\", \"x\"]\n{tmp}mount map lib/empty/ 'lib/x=1' 'motd=hello' /n\n\n"
            ),
            ""
        )
    );
    let r = rhai(&mut shell, r#"write("/n/motd", "x")"#);
    assert!(
        r.status
            .contains("write: /n/motd: permission denied (read-only)"),
        "{}",
        r.status
    );
    let r = rhai(&mut shell, r#"mount_map("/m", #{ n: 1 })"#);
    assert!(
        r.status
            .contains("mount_map: /n: a value must be a string or a map, not i64"),
        "{}",
        r.status
    );
    let r = rhai(&mut shell, r#"mount_map("/nowhere", #{})"#);
    assert!(
        r.status.contains("mount: /nowhere: file does not exist"),
        "{}",
        r.status
    );
}

#[test]
fn cwd_args_print_debug_and_relative_paths() {
    let mut shell = Shell::new();
    shell.proc.cwd = "/tmp".into();
    let r = rhai_with_input(
        &mut shell,
        &[
            "-c",
            r#"write("f", ARGS[1]); print(cwd()); debug(ARGS); print(ls())"#,
            "a",
            "b c",
        ],
        "",
    );
    assert_eq!(r.status, "");
    assert_eq!(r.out, "/tmp\n[\"f\"]\n");
    assert_eq!(r.err, "[\"a\", \"b c\"]\n");
    assert_eq!(ns_read(&shell, "/tmp/f").as_deref(), Some("b c"));
}

#[test]
fn programs_from_a_namespace_file_and_from_standard_input() {
    let mut shell = Shell::new();
    assert!(
        crate::nsops::write(
            &shell,
            "/tmp/s.rhai",
            b"print(ARGS.len()); print(ARGS[0]);",
            false
        )
        .is_ok()
    );
    let r = rhai_with_input(&mut shell, &["/tmp/s.rhai", "x", "y"], "");
    assert_eq!((r.out.as_str(), r.status.as_str()), ("2\nx\n", ""));
    let r = rhai_with_input(&mut shell, &[], "let x = 40;\nprint(x + 2);\n");
    assert_eq!((r.out.as_str(), r.status.as_str()), ("42\n", ""));
    let r = rhai_with_input(&mut shell, &["-", "z"], "print(ARGS)");
    assert_eq!(r.out, "[\"z\"]\n");
    // A file's errors name it by its clean path, however long the operand was.
    assert!(crate::nsops::write(&shell, "/tmp/bad.rhai", b"echo x", false).is_ok());
    let long = format!("/tmp/{}bad.rhai", "./".repeat(2000));
    let r = rhai_with_input(&mut shell, &[&long], "");
    assert!(
        r.status.starts_with("error: rhai: syntax error"),
        "{}",
        r.status
    );
    assert!(
        r.status.ends_with("(/tmp/bad.rhai: line 1, position 6)"),
        "{}",
        r.status
    );
    let r = rhai_with_input(&mut shell, &["/tmp/none.rhai"], "");
    assert_eq!(r.status, "error: rhai: /tmp/none.rhai: file does not exist");
    let r = rhai_with_input(&mut shell, &["-c"], "");
    assert_eq!(r.status, "error: rhai: flag -c needs a value");
}

#[test]
fn the_last_value_is_not_printed_exit_succeeds_and_throw_fails() {
    let mut shell = Shell::new();
    let r = rhai(&mut shell, "40 + 2");
    assert_eq!((r.out.as_str(), r.status.as_str()), ("", ""));
    let r = rhai(&mut shell, "print(1); exit(3); print(2)");
    assert_eq!((r.out.as_str(), r.status.as_str()), ("1\n", ""));
    let r = rhai(&mut shell, r#"throw "no such agent""#);
    assert_eq!(r.status, "error: rhai: no such agent (line 1, position 1)");
}

#[test]
fn api_errors_carry_the_oash_message_and_position() {
    let mut shell = Shell::new();
    let r = rhai(
        &mut shell,
        r#"let x = 1;
read("/nope")"#,
    );
    assert_eq!(
        r.status,
        "error: rhai: read: /nope: file does not exist (line 2, position 1)"
    );
    let r = rhai(&mut shell, r#"fn f() { mount("nope", "/n") } f()"#);
    assert_eq!(
        r.status,
        "error: rhai: mount: unknown service 'nope' (line 1, position 10) in function 'f'"
    );
    let r = rhai(&mut shell, r#"mount("mem", [], "/n", "-ab")"#);
    assert!(
        r.status.contains("mount: -a and -b exclude each other"),
        "{}",
        r.status
    );
    let r = rhai(
        &mut shell,
        r#"let e = ""; try { rm("/zz") } catch (err) { e = err } print(e)"#,
    );
    assert_eq!(
        (r.out.as_str(), r.status.as_str()),
        ("rm: /zz: file does not exist\n", "")
    );
}

/// The diagnostic code and message of the error `rhai ARGS` ends with.
fn rhai_failure_with(shell: &mut Shell, args: &[&str]) -> (String, String) {
    use miette::Diagnostic;
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut ctx = Ctx {
        shell,
        io: Io::buffers(Buffer::new(), Buffer::new()),
        name: "rhai",
    };
    match (BUILTINS[0].run)(&mut ctx, &args) {
        Ok(status) => (String::new(), format!("ended with status '{status}'")),
        Err(e) => (
            e.code().map(|c| c.to_string()).unwrap_or_default(),
            e.to_string(),
        ),
    }
}

/// The diagnostic code and message of the error `rhai -c CODE` ends with.
fn rhai_failure(shell: &mut Shell, code: &str) -> (String, String) {
    rhai_failure_with(shell, &["-c", code])
}

#[test]
fn a_core_error_keeps_its_code_through_the_door() {
    let mut shell = Shell::new();
    let file = |message: &str| ("oash::file".to_string(), message.to_string());
    let failure = rhai_failure;
    assert_eq!(
        failure(&mut shell, r#"mount("nosuch", "/n")"#),
        file("rhai: mount: unknown service 'nosuch' (line 1, position 1)")
    );
    assert_eq!(
        failure(&mut shell, r#"fn f() { read("/nope") } f()"#),
        file("rhai: read: /nope: file does not exist (line 1, position 10) in function 'f'")
    );
    // Caught and thrown again unchanged, it is still the core's error.
    assert_eq!(
        failure(&mut shell, r#"try { rm("/zz") } catch (e) { throw e }"#),
        file("rhai: rm: /zz: file does not exist (line 1, position 31)")
    );
    // The shell's own usage code for a flag the builtin would refuse too.
    let (code, message) = failure(&mut shell, r#"mount("mem", [], "/n", "-ab")"#);
    assert_eq!(code, "oash::usage", "{message}");
    // What the script makes of an error, and its own throws, are Rhai's.
    let (code, _) = failure(
        &mut shell,
        r#"try { rm("/zz") } catch (e) { throw "x: " + e }"#,
    );
    assert_eq!(code, "oash::rhai");
    let (code, _) = failure(&mut shell, r#"throw "rm: /zz: file does not exist""#);
    assert_eq!(code, "oash::rhai");
    // A forged tag finds nothing unless the message is the raised one, unchanged.
    let forged = r#"try { rm("/zz") } catch (e) { let s = "other"; s.tag = e.tag; throw s }"#;
    assert_eq!(failure(&mut shell, forged).0, "oash::rhai");
}

#[test]
fn a_script_that_catches_many_errors_keeps_only_the_latest() {
    let mut shell = Shell::new();
    let code = r#"let first = (); let last = ();
for i in 0..100 { try { rm("/zz" + i) } catch (e) { if first == () { first = e } last = e } }
if ARGS.len() == 0 { throw first } else { throw last }"#;
    assert_eq!(rhai_failure(&mut shell, code).0, "oash::rhai");
    let last = rhai_failure_with(&mut shell, &["-c", code, "last"]);
    assert_eq!(last.0, "oash::file", "{}", last.1);
}

#[test]
fn a_syntax_error_reports_line_and_position() {
    let mut shell = Shell::new();
    let r = rhai(&mut shell, "let x = 1;\nlet = 2;");
    assert!(
        r.status.starts_with("error: rhai: syntax error: "),
        "{}",
        r.status
    );
    assert!(r.status.ends_with("(line 2, position 5)"), "{}", r.status);
    assert!(crate::nsops::write(&shell, "/tmp/bad.rhai", b"(", false).is_ok());
    let r = rhai_with_input(&mut shell, &["/tmp/bad.rhai"], "");
    assert!(
        r.status.contains("(/tmp/bad.rhai: line 1, position 2)"),
        "{}",
        r.status
    );
}

#[test]
fn an_endless_loop_hits_the_operations_limit_quickly() {
    let mut shell = Shell::new();
    let start = Instant::now();
    let r = rhai(&mut shell, "loop {}");
    assert_eq!(
        r.status,
        "error: rhai: too many operations (the limit is 1000000) (line 1, position 6)"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(
        rhai(&mut shell, "print(1)").out,
        "1\n",
        "the shell keeps working"
    );
}

#[test]
fn deep_recursion_hits_the_call_depth_limit() {
    let mut shell = Shell::new();
    let r = rhai(&mut shell, "fn f(x) { f(x) } f(1)");
    assert_eq!(
        r.status,
        "error: rhai: function calls nested too deeply (the limit is 64 levels) (line 1, position 18)"
    );
    // Just under the limit works, in a debug build too (the run has a stack of its own).
    let r = rhai(
        &mut shell,
        "fn f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } } print(f(60))",
    );
    assert_eq!((r.out.as_str(), r.status.as_str()), ("60\n", ""));
}

#[test]
fn size_limits() {
    let mut shell = Shell::new();
    let r = rhai(&mut shell, r#"let s = "x"; loop { s += s; }"#);
    assert!(
        r.status
            .starts_with("error: rhai: string too long (the limit is 1048576 bytes) (line 1"),
        "{}",
        r.status
    );
    let r = rhai(&mut shell, "let a = []; a.pad(100001, 0);");
    assert!(
        r.status
            .starts_with("error: rhai: array too large (the limit is 100000 items)"),
        "{}",
        r.status
    );
    let r = rhai(
        &mut shell,
        "let m = #{}; for i in 0..100001 { m[`k${i}`] = i; } print(m.len())",
    );
    assert_eq!(
        r.status,
        "error: rhai: object map too large (the limit is 100000 entries) (line 1, position 61)"
    );
    let nested = format!("{}1{}", "(".repeat(100), ")".repeat(100));
    let r = rhai(&mut shell, &nested);
    assert!(
        r.status
            .starts_with("error: rhai: expression nested too deeply (the limit is 64 levels)"),
        "{}",
        r.status
    );
    let big = vec![b'x'; (1 << 20) + 1];
    assert!(crate::nsops::write(&shell, "/tmp/big", &big, false).is_ok());
    let r = rhai(&mut shell, r#"read("/tmp/big")"#);
    assert!(
        r.status
            .contains("read: /tmp/big: 1048577 bytes is over the string limit of 1048576"),
        "{}",
        r.status
    );
}

#[test]
fn import_cannot_reach_the_host() {
    let mut shell = Shell::new();
    let r = rhai(&mut shell, r#"import "/etc/hostname" as h;"#);
    assert!(r.status.starts_with("error: rhai: "), "{}", r.status);
    assert!(r.status.contains("Module not found"), "{}", r.status);
}

#[test]
fn ctrl_c_interrupts_a_script() {
    let mut shell = Shell::new();
    shell.engines.front_interrupter().fire();
    let r = rhai(&mut shell, "loop {}");
    assert_eq!(r.status, format!("error: {}", ShellError::Interrupted));
}

#[test]
fn the_engine_is_made_once_and_a_run_is_cheap() {
    let mut shell = Shell::new();
    assert!(
        shell
            .engines
            .rhai
            .lock()
            .map(|e| e.is_none())
            .unwrap_or(false),
        "no engine before the first use"
    );
    rhai(&mut shell, "1");
    assert!(
        shell
            .engines
            .rhai
            .lock()
            .map(|e| e.is_some())
            .unwrap_or(false)
    );
    let runs = 200;
    let start = Instant::now();
    for _ in 0..runs {
        assert_eq!(rhai(&mut shell, "1").status, "");
    }
    let per_run = start.elapsed() / runs;
    eprintln!("rhai: one run of a trivial script costs {per_run:?}");
    assert!(per_run < Duration::from_millis(20), "{per_run:?}");
}

#[test]
fn deep_expressions_in_deep_recursion_stay_within_the_stack() {
    // The worst a script can ask of the native stack: every one of the 64 call levels
    // evaluating an expression nested almost as deep as the limit allows.
    let mut shell = Shell::new();
    let depth = 27;
    let body = format!("{}f(n - 1){}", "1 + (".repeat(depth), ")".repeat(depth));
    let code = format!("fn f(n) {{ if n == 0 {{ 0 }} else {{ {body} }} }} print(f(60))");
    let r = rhai(&mut shell, &code);
    assert_eq!(
        (r.out.as_str(), r.status.as_str()),
        (format!("{}\n", 60 * depth).as_str(), "")
    );
    let r = rhai(&mut shell, &code.replace("f(60)", "f(100)"));
    assert!(
        r.status.contains("function calls nested too deeply"),
        "{}",
        r.status
    );
}

/// Runs `code` with `limits` instead of the defaults.
fn rhai_limited(limits: Limits, code: &str) -> String {
    let mut shell = Shell::new();
    let mut engine = Engine::new();
    engine.set_limits(limits);
    let io = Io::buffers(Buffer::new(), Buffer::new());
    let script = Script {
        name: None,
        code,
        args: &[],
    };
    match engine.run(&mut shell, &io, &script) {
        Ok(status) => status.to_string(),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn the_time_limit_stops_what_the_operation_count_does_not() {
    let quick = Limits {
        time: Some(Duration::from_millis(100)),
        ..Limits::default()
    };
    let start = Instant::now();
    // Each assignment re-measures the whole nested array: quadratic time, linear operations.
    let status = rhai_limited(quick, "let a = []; loop { a = [a]; }");
    assert!(
        status.starts_with("error: rhai: out of time (the limit is 100ms) (line 1, position "),
        "{status}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    let unlimited_operations = Limits {
        operations: 0,
        ..quick
    };
    assert!(rhai_limited(unlimited_operations, "loop {}").starts_with("error: rhai: out of time"));
    let few = Limits {
        operations: 50,
        time: None,
        ..Limits::default()
    };
    assert!(
        rhai_limited(few, "loop {}")
            .starts_with("error: rhai: too many operations (the limit is 50)")
    );
}
