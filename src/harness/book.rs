//! The book's executed examples: every ```oash block in a chapter is a session.
//!
//! Inside a block, a line starting with `; ` (rc's prompt) is input; when the input is an
//! unfinished construct (an open `{`, quote, ...), the following lines continue it, exactly
//! as the REPL would read them. Every other line is expected output (stdout and stderr
//! interleaved, as a terminal shows them). Each block runs in a fresh shell.

use std::sync::Arc;

use super::{Difference, Mismatch};
use crate::eval::shell::Interrupter;
use crate::eval::{Buffer, Fd, Io, Shell};
use crate::lang::SourceFile;
use crate::services::dev::{Console, DevService};

/// One ```oash block of the book: the lines typed at the prompt and what they print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The inputs, one per `; ` prompt with its continuation lines, run in turn in one shell.
    pub inputs: Vec<String>,
    /// The block's other lines: what the inputs must print, stdout and stderr interleaved.
    pub expected: String,
}

/// The ```oash blocks of a markdown text.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = markdown.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        if line.trim_start() != "```oash" {
            continue;
        }
        let mut body = Vec::new();
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            body.push(l);
        }
        out.push(split_session(i + 1, &body));
    }
    out
}

fn split_session(line: usize, body: &[&str]) -> Block {
    let mut inputs = Vec::new();
    let mut expected = String::new();
    let mut i = 0;
    while i < body.len() {
        if let Some(cmd) = body[i].strip_prefix("; ") {
            let mut text = format!("{cmd}\n");
            i += 1;
            while incomplete(&text) && i < body.len() {
                text.push_str(body[i]);
                text.push('\n');
                i += 1;
            }
            inputs.push(text);
        } else {
            expected.push_str(body[i]);
            expected.push('\n');
            i += 1;
        }
    }
    Block {
        line,
        inputs,
        expected,
    }
}

fn incomplete(text: &str) -> bool {
    matches!(crate::lang::parse(Arc::new(SourceFile::new("book", text))), Err(e) if e.incomplete)
}

/// Runs a block's inputs in one fresh shell; the combined output.
pub fn run(block: &Block) -> String {
    run_with(block, &|_| {})
}

/// [`run`], handing the shell's interrupter to `register` first (so a time limit can stop it).
pub fn run_with(block: &Block, register: &dyn Fn(Interrupter)) -> String {
    let out = Buffer::new();
    // `/dev/cons` shows in the block's output, as it would on the reader's terminal.
    let console = Console::new(std::io::empty(), out.clone());
    let mut shell = Shell::with_dev(DevService::with_console(Arc::new(console)));
    // Tests and the book's examples never touch the user's agents.
    shell
        .engines
        .agents
        .set_state(crate::agent::StateDir::Ephemeral);
    register(shell.interrupter());
    let mut io = Io::buffers(out.clone(), out.clone());
    io.set(2, Fd::writer(out.clone()));
    for input in &block.inputs {
        let file = Arc::new(SourceFile::new("book", input.clone()));
        if let Err(e) = shell.run_source(file, &io) {
            if matches!(e.error, crate::eval::ShellError::Exit(_)) {
                break;
            }
            shell.finish_error(e, &io);
        }
    }
    shell.end_jobs();
    String::from_utf8_lossy(&out.take()).into_owned()
}

/// Runs a block and compares; `Err` holds the difference.
pub fn check(block: &Block) -> Result<(), Mismatch> {
    compare(block, &run(block))
}

/// Compares what a block printed with what it expects; `Err` holds the difference.
pub fn compare(block: &Block, got: &str) -> Result<(), Mismatch> {
    let mut differences = Vec::new();
    if got != block.expected {
        differences.push(Difference::Output {
            expected: block.expected.clone(),
            got: got.to_string(),
        });
    }
    Mismatch::of(differences, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_inputs_and_output() {
        let md = "text\n```oash\n; echo a\na\n; for (i in x) {\necho $i\n}\nx\n```\n";
        let b = blocks(md);
        assert_eq!(b.len(), 1);
        assert_eq!(
            b[0].inputs,
            vec![
                "echo a\n".to_string(),
                "for (i in x) {\necho $i\n}\n".to_string()
            ]
        );
        assert_eq!(b[0].expected, "a\nx\n");
    }
}
