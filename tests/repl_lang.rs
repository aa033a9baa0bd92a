//! The language at the prompt, in a pseudo-terminal (the driver is `tests/support/pty.rs`):
//! a `rhai { }` block typed over several lines runs whole once closed, a `\` continues a
//! list onto the next line, and a list left open at the end of a line is a syntax error
//! at once, as in rc, not a wait for more lines.

mod support;

use support::pty::{PROMPT, Repl, history_dir};

#[test]
fn a_rhai_block_reads_more_lines_then_runs_whole() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("rhai {\r");
    repl.send("let s = \"} still open\";\r");
    repl.send("print(`rhai-${s.len()}-done`)\r");
    repl.send("}\r");
    repl.expect("rhai-12-done");
    repl.expect(PROMPT);
    repl.run("echo af^ter", "after");
}

#[test]
fn a_list_continues_only_after_a_backslash() {
    let dir = history_dir();
    let Some(mut repl) = Repl::start(&dir.path().join("history")) else {
        return;
    };
    repl.send("x=(a b \\\r");
    repl.send("c); echo count-^$#x\r");
    repl.expect("count-3");
    repl.expect(PROMPT);
    repl.send("y=(a b\r");
    repl.expect("closing the list");
    repl.expect(PROMPT);
    repl.run("echo sti^ll-here", "still-here");
}
