//! Hostile input: the parser and the interpreter must never panic, and a script must stop.
//!
//! - any bytes (read as lossy UTF-8) go through `oash::lang::parse` without panicking;
//! - random sequences of the language's tokens are parsed and, when they parse, run in a
//!   fresh shell with captured output. A watchdog sets `shell.interrupt` after two seconds;
//!   the run must end soon after (there is no `while` in the alphabet, so nothing loops on
//!   purpose). Each run gets the stack the shell's own threads get, as `oash FILE` does.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use oash::eval::{Buffer, Io, Shell};
use oash::lang::{SourceFile, parse};
use proptest::prelude::*;

/// Words, operators and keywords; joined by random blanks, they make mostly-broken scripts
/// that reach every corner of the lexer, the parser and the evaluator.
const ALPHABET: &[&str] = &[
    "echo", "x", "y", "$x", "$#x", "$\"x", "$x(2)", "$*", "$1", "$#*", "(", ")", "{", "}", "^",
    "|", "|[2]", ";", "&", "&&", "||", "!", "@", "'q'", "''", "=", "x=", ">", ">>", "<", ">[2=1]",
    ">[2]", ">[1=]", "/tmp/f", "/tmp/*", "*", "?", "[a-z]", "if", "not", "for", "in", "switch",
    "case", "~", "fn", "`", "`{", "<{", "#", "\n", "\\\n", "<<EOF", "EOF", "$", "eval", ".",
    "shift", "exit", "return", "true", "false", "cat", "seq", "3", "wc", "-l", "grep", "sort",
    "head", "tail", "tee", "cd", "pwd", "ls", "mkdir", "rm", "-r", "mv", "cp", "whatis", "help",
    "wait", "é", "\t", "bind", "unmount", "newns", "ns", "mount", "mem", "-a", "-bc", "/n", "/",
    "/tmp", "..",
];

/// How long a run may take once interrupted before the test calls it a hang.
const GRACE: Duration = Duration::from_secs(10);

fn script() -> impl Strategy<Value = String> {
    let token = (
        0..ALPHABET.len(),
        prop_oneof![Just(""), Just(" "), Just("  ")],
    );
    prop::collection::vec(token, 0..40).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(i, sep)| format!("{}{sep}", ALPHABET[i]))
            .collect::<String>()
    })
}

/// Well-formed scripts from a small grammar of rc, so that most runs get past the parser and
/// exercise the evaluator: nested control flow, pipelines, redirections, substitutions.
fn grammar_script() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("a".to_string()),
        Just("/tmp/f".to_string()),
        Just("/tmp/*".to_string()),
        Just("'q r'".to_string()),
        Just("$x".to_string()),
        Just("$#x".to_string()),
        Just("$\"x".to_string()),
        Just("$x(2)".to_string()),
        Just("$*".to_string()),
        Just("$1".to_string()),
        Just("$status".to_string()),
        Just("*".to_string()),
        Just("3".to_string()),
    ];
    let word = prop_oneof![
        4 => atom.clone(),
        1 => (atom.clone(), atom.clone()).prop_map(|(a, b)| format!("{a}^{b}")),
        1 => prop::collection::vec(atom.clone(), 0..4).prop_map(|v| format!("({})", v.join(" "))),
    ];
    let words = prop::collection::vec(word.clone(), 0..4).prop_map(|v| v.join(" "));
    let name = prop_oneof![
        Just("echo"),
        Just("cat"),
        Just("seq"),
        Just("wc"),
        Just("grep"),
        Just("sort"),
        Just("head"),
        Just("tail"),
        Just("tee"),
        Just("ls"),
        Just("mkdir"),
        Just("rm"),
        Just("shift"),
        Just("true"),
        Just("false"),
        Just("f"),
        Just("eval"),
        Just("whatis"),
        Just("cd"),
        Just("pwd"),
        Just("return"),
        Just("nosuch"),
        Just("bind -a /tmp"),
        Just("bind -bc"),
        Just("unmount"),
        Just("newns"),
        Just("ns"),
    ];
    let simple = (name, words.clone()).prop_map(|(n, w)| format!("{n} {w}"));
    let leaf = prop_oneof![
        4 => simple,
        1 => word.clone().prop_map(|w| format!("x={w}")),
        1 => (word.clone(), word.clone()).prop_map(|(s, p)| format!("~ {s} {p}")),
    ];
    leaf.prop_recursive(4, 24, 3, move |cmd| {
        let w = word.clone();
        let ws = words.clone();
        prop_oneof![
            (cmd.clone(), cmd.clone()).prop_map(|(a, b)| format!("{{{a}; {b}}}")),
            (cmd.clone(), cmd.clone()).prop_map(|(a, b)| format!("if ({a}) {b}")),
            cmd.clone().prop_map(|a| format!("if not {a}")),
            (ws.clone(), cmd.clone()).prop_map(|(l, a)| format!("for (x in {l}) {a}")),
            cmd.clone().prop_map(|a| format!("for (x) {a}")),
            (w.clone(), w.clone(), cmd.clone())
                .prop_map(|(s, p, a)| format!("switch ({s}) {{\ncase {p}\n{a}\ncase *\n}}")),
            cmd.clone().prop_map(|a| format!("! {a}")),
            (cmd.clone(), cmd.clone()).prop_map(|(a, b)| format!("{a} | {b}")),
            (cmd.clone(), cmd.clone()).prop_map(|(a, b)| format!("{a} |[2] {b}")),
            (cmd.clone(), cmd.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
            (cmd.clone(), cmd.clone()).prop_map(|(a, b)| format!("{a} || {b}")),
            cmd.clone().prop_map(|a| format!("fn f {{ {a} }}")),
            cmd.clone().prop_map(|a| format!("@{{ {a} }}")),
            (w.clone(), cmd.clone()).prop_map(|(v, a)| format!("x={v} {a}")),
            cmd.clone().prop_map(|a| format!("{{{a}}} > /tmp/f")),
            cmd.clone()
                .prop_map(|a| format!("{{{a}}} >> /tmp/f >[2=1]")),
            cmd.clone().prop_map(|a| format!("{{{a}}} < /tmp/f")),
            cmd.clone().prop_map(|a| format!("{{ {{{a}}} & }}")),
            cmd.clone().prop_map(|a| format!("echo `{{{a}}}")),
            cmd.clone().prop_map(|a| format!("cat <{{{a}}}")),
            cmd.clone()
                .prop_map(|a| format!("{{cat <<EOF\n$x $$ $1 $\n'q' `{{}}\nEOF\n{a}}}")),
        ]
    })
    .prop_map(|c| format!("x=(a b c)\n{c}\n"))
}

/// Parses `text` and, if it parses, runs it in a fresh shell under a watchdog. Returns
/// `Err` with a description when the run panicked or did not stop.
fn run(text: String) -> Result<(), String> {
    let file = Arc::new(SourceFile::new("fuzz", text.clone()));
    if parse(file.clone()).is_err() {
        return Ok(());
    }
    let mut shell = Shell::new();
    let interrupt = shell.interrupt.clone();
    let (done_tx, done_rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .stack_size(oash::eval::exec::STACK_SIZE)
        .spawn(move || {
            let (out, err) = (Buffer::new(), Buffer::new());
            let io = Io::buffers(out, err);
            let _ = shell.run_script(file, &io);
            shell.jobs.wait_all();
            let _ = done_tx.send(());
        })
        .map_err(|e| format!("cannot start the worker: {e}"))?;
    if done_rx.recv_timeout(Duration::from_secs(2)).is_err() {
        interrupt.store(true, Ordering::Relaxed);
        if done_rx.recv_timeout(GRACE).is_err() && !worker.is_finished() {
            return Err(format!("did not stop after an interrupt: {text:?}"));
        }
    }
    worker
        .join()
        .map_err(|_| format!("panicked running {text:?}"))
}

proptest! {
    // 256 cases each (proptest's default); PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn parse_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = parse(Arc::new(SourceFile::new("fuzz", text)));
    }

    #[test]
    fn token_soup_parses_runs_and_stops(text in script()) {
        if let Err(e) = run(text) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn grammar_scripts_parse_run_and_stop(text in grammar_script()) {
        let file = Arc::new(SourceFile::new("fuzz", text.clone()));
        if let Err(e) = parse(file) {
            prop_assert!(false, "the grammar made a script that does not parse: {text:?}: {e}");
        }
        if let Err(e) = run(text) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Inputs that once broke something, kept as plain tests.
#[test]
fn known_hostile_inputs() {
    let deep = |s: &str, n: usize| s.repeat(n);
    let inputs = [
        deep("{", 100_000),
        deep("(", 100_000),
        format!("echo {}", deep("(", 100_000)),
        deep("! ", 100_000) + "true",
        format!("echo {}", vec!["a"; 5000].join("^")),
        "fn f { f }; f".to_string(),
        "x='eval $x'; eval $x".to_string(),
        "echo '. /tmp/r' > /tmp/r; . /tmp/r".to_string(),
        "echo $x(99999999999999999999)".to_string(),
        "echo >[99999999999] /tmp/f".to_string(),
        "cat <<EOF".to_string(),
        "{cat a /tmp/f} >> /tmp/f >[2=1]".to_string(),
        "echo x > /tmp/f; cat /tmp/f >> /tmp/f".to_string(),
        "echo x > /tmp/f; tee -a /tmp/f < /tmp/f".to_string(),
        "echo x > /tmp/f; cat /tmp/f | tee -a /tmp/f".to_string(),
        "é$é`{é}".to_string(),
    ];
    for text in inputs {
        let shown: String = text.chars().take(40).collect();
        if let Err(e) = run(text) {
            panic!("{shown:?}: {e}");
        }
    }
}
