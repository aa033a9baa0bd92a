//! The three doors to tasks give the same results (the "Done when" 3): the task
//! files (`/task/new/wasi`, `cmd`, `args`, `ctl`, `fd/0-2`), the `spawn` builtin and Rhai's
//! `spawn` run the same module with the same arguments and input, and their stdout, stderr
//! and status must be identical.
//!
//! Each door runs in the same shell, so all three tasks are in one core: the status is
//! compared as each door shows it (`$status` after `spawn`, `h.wait()` in Rhai, the task's
//! `exit` and `status` files) and as the core records it (`/task/<id>/status`, which every
//! task has, whichever door made it). The guests are the shipped ones, in `/lib/oash/bin`.

use std::fmt::Write as _;
use std::sync::Arc;

use oash::eval::{Buffer, Io, Shell};
use oash::lang::SourceFile;
use oash::lang::quote;

/// One module run: its name in `/lib/oash/bin`, its arguments, its standard input.
struct Case {
    module: &'static str,
    args: &'static [&'static str],
    stdin: &'static str,
}

/// What one door saw.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    stdout: String,
    stderr: String,
    /// The rc `$status` the door gives for the task.
    status: String,
    /// `/task/<id>/status` of the task the door made.
    state: String,
}

/// Runs `script` in `shell`: its stdout, its stderr, its `$status`.
fn run(shell: &mut Shell, script: &str) -> (String, String, String) {
    let (out, err) = (Buffer::new(), Buffer::new());
    let io = Io::buffers(out.clone(), err.clone());
    let status = shell.run_script(Arc::new(SourceFile::new("doors", script)), &io);
    drop(io);
    let text = |buffer: &Buffer| String::from_utf8_lossy(&buffer.take()).into_owned();
    (text(&out), text(&err), status.as_str().to_string())
}

/// `/task/<id>/status` of the newest task (the one the door just made).
fn newest_state(shell: &mut Shell) -> String {
    let newest = shell.tasks().list().into_iter().map(|info| info.id).max();
    let Some(id) = newest else {
        panic!("the door made no task")
    };
    let (state, err, _) = run(shell, &format!("cat /task/{id}/status"));
    assert_eq!(err, "");
    state
}

fn module_path(case: &Case) -> String {
    format!("/lib/oash/bin/{}.wasm", case.module)
}

/// The file door: everything through `/task`.
fn by_files(shell: &mut Shell, case: &Case) -> Seen {
    let mut script = String::from("id=`{cat /task/new/wasi}\n");
    let _ = writeln!(script, "echo {} > /task/$id/cmd", quote(&module_path(case)));
    script += "> /task/$id/args\n";
    for arg in case.args {
        let _ = writeln!(script, "echo {} >> /task/$id/args", quote(arg));
    }
    script += "echo start > /task/$id/ctl\n";
    let _ = writeln!(script, "echo -n {} > /task/$id/fd/0", quote(case.stdin));
    script += "cat /task/$id/fd/1\ncat /task/$id/fd/2 >[1=2]\n";
    let (stdout, stderr, status) = run(shell, &script);
    assert_eq!(status, "", "the file door's own commands worked");
    // The files' rendering of the status: `exit` is the code (0 for success) or the reason.
    let (exit, _, _) = run(shell, "cat /task/$id/exit");
    let exit = exit.trim_end_matches('\n').to_string();
    let status = if exit == "0" { String::new() } else { exit };
    Seen {
        stdout,
        stderr,
        status,
        state: newest_state(shell),
    }
}

/// The `spawn` builtin, its input from a file (a pipe would make `$status` the pipeline's).
fn by_spawn(shell: &mut Shell, case: &Case) -> Seen {
    let mut words = vec![quote(&module_path(case))];
    words.extend(case.args.iter().map(|arg| quote(arg)));
    let (_, err, _) = run(
        shell,
        &format!("echo -n {} > /tmp/stdin", quote(case.stdin)),
    );
    assert_eq!(err, "");
    let (stdout, stderr, status) = run(shell, &format!("spawn {} < /tmp/stdin", words.join(" ")));
    Seen {
        stdout,
        stderr,
        status,
        state: newest_state(shell),
    }
}

/// A Rhai string literal.
fn rhai_string(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            '\n' => "\\n".to_string(),
            other => other.to_string(),
        })
        .collect();
    format!("\"{escaped}\"")
}

/// Rhai's `spawn`: the handle's output and `wait()` are written to files, then read.
fn by_rhai(shell: &mut Shell, case: &Case) -> Seen {
    let args: Vec<String> = case.args.iter().map(|arg| rhai_string(arg)).collect();
    let script = format!(
        "rhai <<'EOF'\n\
         let h = spawn({}, #{{args: [{}], stdin: {}}});\n\
         let status = h.wait();\n\
         write(\"/tmp/rhai.out\", h.stdout());\n\
         write(\"/tmp/rhai.err\", h.stderr());\n\
         write(\"/tmp/rhai.status\", status);\n\
         EOF\n",
        rhai_string(&module_path(case)),
        args.join(", "),
        rhai_string(case.stdin),
    );
    let (out, err, status) = run(shell, &script);
    assert_eq!((out.as_str(), err.as_str(), status.as_str()), ("", "", ""));
    let read = |shell: &Shell, path: &str| match oash::nsops::read(shell, path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => panic!("{path}: {e}"),
    };
    Seen {
        stdout: read(shell, "/tmp/rhai.out"),
        stderr: read(shell, "/tmp/rhai.err"),
        status: read(shell, "/tmp/rhai.status"),
        state: newest_state(shell),
    }
}

const CASES: &[Case] = &[
    Case {
        module: "echo",
        args: &["hello", "big world", "it's"],
        stdin: "",
    },
    Case {
        module: "upper",
        args: &[],
        stdin: "quiet words\nand more\n",
    },
    Case {
        module: "wc",
        args: &[],
        stdin: "one two\nthree\n",
    },
    Case {
        module: "exit",
        args: &["3"],
        stdin: "",
    },
    Case {
        module: "exit",
        args: &["trap"],
        stdin: "",
    },
    Case {
        module: "cat",
        args: &["/lib/oash/README", "/tmp/nope"],
        stdin: "",
    },
    Case {
        module: "ls",
        args: &["/lib/oash"],
        stdin: "",
    },
];

#[test]
fn files_spawn_and_rhai_give_identical_results() {
    for case in CASES {
        let mut shell = Shell::new();
        let files = by_files(&mut shell, case);
        let spawned = by_spawn(&mut shell, case);
        let rhai = by_rhai(&mut shell, case);
        let name = format!("{} {:?}", case.module, case.args);
        assert_eq!(files, spawned, "{name}: the files and spawn differ");
        assert_eq!(files, rhai, "{name}: the files and Rhai differ");
        // Not vacuous: each case shows what it is about.
        assert!(
            !(files.stdout.is_empty() && files.stderr.is_empty() && files.status.is_empty()),
            "{name}: {files:?}"
        );
    }
}

#[test]
fn the_cases_cover_output_input_errors_exit_codes_and_traps() {
    let mut shell = Shell::new();
    let seen: Vec<Seen> = CASES
        .iter()
        .map(|case| by_files(&mut shell, case))
        .collect();
    assert_eq!(seen[0].stdout, "hello big world it's\n");
    assert_eq!(seen[1].stdout, "QUIET WORDS\nAND MORE\n");
    assert_eq!(seen[2].stdout, "2 3 14\n");
    assert_eq!(
        (seen[3].status.as_str(), seen[3].state.as_str()),
        ("3", "completed 3\n")
    );
    assert!(seen[4].status.starts_with("trap: "), "{:?}", seen[4]);
    assert!(seen[4].state.starts_with("failed: trap: "), "{:?}", seen[4]);
    assert!(seen[5].stdout.contains("oash"), "{:?}", seen[5]);
    assert!(
        seen[5].stderr.starts_with("cat: /tmp/nope: "),
        "{:?}",
        seen[5]
    );
    assert_eq!(seen[5].status, "1");
    assert!(seen[6].stdout.starts_with("README\nbin\n"), "{:?}", seen[6]);
}
