//! Hostile input: the parser and the interpreter must never panic, and a script must stop.
//!
//! - any bytes go through `oash::lang::parse` without panicking, decoded as the binary
//!   decodes a script file or `-c` text ([`decode`]: lossy UTF-8, each bad sequence one
//!   U+FFFD);
//! - invalid UTF-8 (lone continuation bytes, overlong forms, surrogates, truncated
//!   sequences), NUL, ESC and other control bytes put inside words, quotes, here documents
//!   and variable values come back out of `echo` and `cat` exactly as decoded;
//! - random sequences of the language's tokens, with or without such bytes between them,
//!   are parsed and, when they parse, run in a fresh shell with captured output. A watchdog
//!   sets `shell.interrupt` after two seconds; the run must end soon after (there is no
//!   `while` in the alphabet, so nothing loops on purpose). Each run gets the stack the
//!   shell's own threads get, as `oash FILE` does;
//! - the same bytes, written to a file and run by the built binary, end with status 0, 1
//!   or 2 (never a panic's 101 or an abort's 134) and a short standard error.
//!
//! This file must never run anything that reaches the host: no token spells `host`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

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

/// Bytes that are not plain text, each a piece the strategies below put inside words,
/// quotes, here documents and variable values. None holds a word break (`;` ends a word), a
/// quote, `$`, `\` (before a newline it joins lines), `*`, `?` or a newline, and the one `[`
/// has no `]`: so where each lands is known and so is what comes back out.
const HOSTILE: &[&[u8]] = &[
    // bytes that never appear in UTF-8, and lone continuation bytes
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xbf",
    // overlong forms of NUL and `/`
    b"\xc0\x80",
    b"\xc1\xbf",
    b"\xe0\x80\xaf",
    b"\xf0\x80\x80\xaf",
    // a UTF-16 surrogate, a code point past U+10FFFF, an old five-byte form
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    // sequences cut short (what a truncated read leaves)
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    // NUL, ESC, terminal sequences and other control bytes, C1 CSI as a raw byte
    b"\x00",
    b"\x1b",
    b"\x1b[2J",
    b"\x1b]0PWNED\x07",
    b"\x07",
    b"\x08",
    b"\x0b",
    b"\x0c",
    b"\x7f",
    b"\r",
    b"\x9b",
    // valid but unusual text: U+FFFD itself, right-to-left override, zero-width space, emoji
    "\u{fffd}".as_bytes(),
    "\u{202e}".as_bytes(),
    "\u{200b}".as_bytes(),
    "é😀".as_bytes(),
    b"a",
    b".",
];

/// The one decoding the binary applies to a script file's bytes and to `-c` text
/// (`String::from_utf8_lossy` in `src/main.rs`).
fn decode(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One to a dozen [`HOSTILE`] pieces, concatenated.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(HOSTILE), 1..12).prop_map(|v| v.concat())
}

/// [`script`]'s tokens with hostile pieces between and inside them, as raw bytes. Without
/// `exits`, no `exit` or `return`: the script's status is then the shell's own (0, 1 or 2),
/// never a number it computed (`exit $#x`).
fn hostile_soup(exits: bool) -> impl Strategy<Value = Vec<u8>> {
    let tokens: Vec<&'static str> = ALPHABET
        .iter()
        .copied()
        .filter(|t| exits || !matches!(*t, "exit" | "return"))
        .collect();
    let part = prop_oneof![
        3 => prop::sample::select(tokens).prop_map(|t| t.as_bytes().to_vec()),
        1 => hostile_bytes(),
        1 => Just(b" ".to_vec()),
    ];
    prop::collection::vec(part, 0..40).prop_map(|v| v.concat())
}

/// What a run printed, and its status.
struct Outcome {
    status: String,
    out: Vec<u8>,
    err: Vec<u8>,
}

/// Parses `text` and, if it parses, runs it in a fresh shell under a watchdog. Returns
/// `Ok(None)` when it does not parse, and `Err` with a description when the run panicked
/// or did not stop.
fn run_captured(text: String) -> Result<Option<Outcome>, String> {
    let file = Arc::new(SourceFile::new("fuzz", text.clone()));
    if parse(file.clone()).is_err() {
        return Ok(None);
    }
    let mut shell = Shell::new();
    let interrupt = shell.engines.interrupt.clone();
    let (out, err) = (Buffer::new(), Buffer::new());
    let io = Io::buffers(out.clone(), err.clone());
    let (done_tx, done_rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .stack_size(oash::eval::exec::STACK_SIZE)
        .spawn(move || {
            let status = shell.run_script(file, &io);
            shell.end_jobs();
            let _ = done_tx.send(());
            status.as_str().to_string()
        })
        .map_err(|e| format!("cannot start the worker: {e}"))?;
    if done_rx.recv_timeout(Duration::from_secs(2)).is_err() {
        interrupt.store(true, Ordering::Relaxed);
        if done_rx.recv_timeout(GRACE).is_err() && !worker.is_finished() {
            return Err(format!("did not stop after an interrupt: {text:?}"));
        }
    }
    let status = worker
        .join()
        .map_err(|_| format!("panicked running {text:?}"))?;
    Ok(Some(Outcome {
        status,
        out: out.contents(),
        err: err.contents(),
    }))
}

/// [`run_captured`] when only stopping without a panic is checked.
fn run(text: String) -> Result<(), String> {
    run_captured(text).map(|_| ())
}

/// Runs a script made of `bytes` through the decoding the binary uses and returns what it
/// printed; the script must parse and succeed.
fn run_ok(bytes: &[u8]) -> Result<Outcome, String> {
    let text = decode(bytes);
    let outcome = run_captured(text.clone())?.ok_or_else(|| format!("does not parse: {text:?}"))?;
    if !outcome.status.is_empty() {
        return Err(format!(
            "status {:?} running {text:?}; stderr {:?}",
            outcome.status,
            decode(&outcome.err)
        ));
    }
    Ok(outcome)
}

/// How long the binary may take on one generated script (it has no `while`; the in-process
/// runs above stop after two seconds when interrupted, the binary has no watchdog).
const BINARY_LIMIT: Duration = Duration::from_secs(20);

/// More standard error than this for a script of at most a few hundred bytes means a dump
/// (a panic's backtrace, a diagnostic quoting without bound), not a message.
const SHORT_STDERR: usize = 16 * 1024;

/// Writes `bytes` to a file and runs `oash FILE` on it.
fn run_binary_on(bytes: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| format!("tempdir: {e}"))?;
    let path = dir.path().join("hostile.oash");
    std::fs::write(&path, bytes).map_err(|e| format!("writing the script: {e}"))?;
    let mut oash = Command::new(env!("CARGO_BIN_EXE_oash"));
    oash.arg(&path);
    check_binary(oash, bytes)
}

/// Runs `oash -c BYTES` (an argument cannot hold NUL, so those are left out).
fn run_binary_with_c(bytes: &[u8]) -> Result<(), String> {
    use std::os::unix::ffi::OsStrExt;
    let arg: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
    let mut oash = Command::new(env!("CARGO_BIN_EXE_oash"));
    oash.arg("-c").arg(std::ffi::OsStr::from_bytes(&arg));
    check_binary(oash, &arg)
}

/// Runs `oash` with no standard input and checks its exit status and the size of its
/// standard error; `bytes` is the script, for the failure message.
fn check_binary(mut oash: Command, bytes: &[u8]) -> Result<(), String> {
    let mut child = oash
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start oash: {e}"))?;
    // Read standard error on a thread so a chatty child cannot block on a full pipe.
    let mut stderr = child.stderr.take().ok_or("no stderr pipe")?;
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() < BINARY_LIMIT => {
                std::thread::sleep(Duration::from_millis(10))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "oash did not finish in {BINARY_LIMIT:?} on {:?}",
                    decode(bytes)
                ));
            }
            Err(e) => return Err(format!("waiting for oash: {e}")),
        }
    };
    let err = reader.join().map_err(|_| "the stderr reader panicked")?;
    let shown = decode(&err[..err.len().min(400)]);
    match status.code() {
        Some(0..=2) => {}
        other => {
            return Err(format!(
                "exit {other:?} (0, 1 or 2 expected) on {:?}; stderr starts {shown:?}",
                decode(bytes)
            ));
        }
    }
    if err.len() > SHORT_STDERR || decode(&err).contains("panicked") {
        return Err(format!(
            "{} bytes of stderr on {:?}; it starts {shown:?}",
            err.len(),
            decode(bytes)
        ));
    }
    Ok(())
}

proptest! {
    // 256 cases each (proptest's default); PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn parse_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse(Arc::new(SourceFile::new("fuzz", decode(&bytes))));
    }

    #[test]
    fn token_soup_parses_runs_and_stops(text in script()) {
        if let Err(e) = run(text) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn hostile_soup_parses_runs_and_stops(bytes in hostile_soup(true)) {
        if let Err(e) = run(decode(&bytes)) {
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

    /// A quoted word and a variable holding one give back exactly the decoded bytes.
    #[test]
    fn hostile_bytes_in_quotes_and_variables_echo_back(bytes in hostile_bytes()) {
        let script = [&b"x='"[..], &bytes, b"'\necho $x\necho '", &bytes, b"'\n"].concat();
        let outcome = run_ok(&script).map_err(TestCaseError::fail)?;
        let line = decode(&bytes) + "\n";
        prop_assert_eq!(decode(&outcome.out), line.repeat(2));
    }

    /// Without quotes, the pieces are word characters: one word, echoed as decoded. (A word
    /// starts with `w` because a carriage return before a word is a blank, as in rc.)
    #[test]
    fn hostile_bytes_in_a_bare_word_echo_back(bytes in hostile_bytes()) {
        let script = [&b"echo w"[..], &bytes, b"\nx=w", &bytes, b"\necho $x\n"].concat();
        let outcome = run_ok(&script).map_err(TestCaseError::fail)?;
        let line = format!("w{}\n", decode(&bytes));
        prop_assert_eq!(decode(&outcome.out), line.repeat(2));
    }

    /// A here document's body, and a variable substituted into one, come back as decoded.
    #[test]
    fn hostile_bytes_in_here_documents_come_back(a in hostile_bytes(), b in hostile_bytes()) {
        let script = [
            &b"x='"[..], &b, b"'\ncat <<EOF\n", &a, b"\n[$x]\nEOF\n",
        ]
        .concat();
        let outcome = run_ok(&script).map_err(TestCaseError::fail)?;
        prop_assert_eq!(
            decode(&outcome.out),
            format!("{}\n[{}]\n", decode(&a), decode(&b))
        );
    }
}

proptest! {
    // Each case starts the binary: fewer cases than the in-process properties.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_binary_runs_hostile_script_files(bytes in hostile_soup(false)) {
        run_binary_on(&bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn the_binary_runs_any_bytes_as_a_script(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        run_binary_on(&bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn the_binary_runs_hostile_c_text(bytes in hostile_soup(false)) {
        run_binary_with_c(&bytes).map_err(TestCaseError::fail)?;
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
