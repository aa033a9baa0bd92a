//! `rhai`: run Rhai code from the command line, from a namespace file, or from standard input.
//!
//! `rhai { CODE }` is the block form: where a command starts, the lexer passes the text
//! between the braces through untouched as `-c CODE` (see `lang::rhai_block`), so it is
//! Rhai, not rc, and may span lines. A here document carries Rhai too (`rhai <<'EOF'`,
//! quoted so `$` is left alone). The program file is read from the namespace, never from
//! the host. The words after the code or file are the script's `ARGS`. Nothing the script
//! returns is printed: only its `print` calls write output.

use std::io::Read;

use super::{Builtin, Ctx, Example, Form, args};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::nsops;
use crate::script::{Engine, Script};

pub const BUILTINS: &[Builtin] = &[Builtin::new(
    "rhai",
    "run Rhai code (inline, from a namespace file, or from standard input) against the namespace",
    run,
)
.flags(Spec::new(&[Flag::valued(
    'c',
    "CODE",
    "run CODE rather than a file or standard input",
)]))
.forms(&[
    Form {
        required: "",
        optional: "",
        operands: "{ CODE } [ARG...]",
    },
    Form {
        required: "c",
        optional: "",
        operands: "[ARG...]",
    },
    Form {
        required: "",
        optional: "",
        operands: "FILE [ARG...]",
    },
    Form {
        required: "",
        optional: "",
        operands: "[- ARG...] <<'EOF' (program on standard input)",
    },
])
.examples(&[
    Example {
        script: "rhai { let x = 1 + 2; print(`x is ${x}`) }",
        output: "x is 3\n",
    },
    Example {
        script: "rhai -c 'print(ARGS[0] + \"!\")' hi",
        output: "hi!\n",
    },
    Example {
        script: "rhai -c 'write(\"/tmp/x\", \"made by rhai\")'; cat /tmp/x; echo",
        output: "made by rhai\n",
    },
])];

/// What `help rhai` adds: the functions a script can call besides Rhai's standard library,
/// as the engine has them registered (so the list cannot drift from the code), written as
/// a script calls them: `read(string) -> string`, `Task.wait() -> string`.
pub fn functions(shell: &crate::eval::Shell) -> String {
    let mut text = String::from("functions (besides Rhai's standard library):\n");
    // `spawn` is Rhai custom syntax (the name is reserved), which no signature lists.
    text.push_str("  spawn(string) -> Task, spawn(string, map) -> Task   (see help tasks)\n");
    let mut shown: Vec<String> = Engine::of(shell)
        .signatures(shell)
        .iter()
        .map(|signature| readable(signature))
        .collect();
    shown.sort();
    shown.dedup();
    for signature in shown {
        text.push_str("  ");
        text.push_str(&signature);
        text.push('\n');
    }
    text
}

/// A Rhai signature as a script sees it: Rust paths, `_: ` placeholders and the error half
/// of a fallible result dropped, Rust's types named as Rhai's, a method on `&mut T` shown
/// as `T.name(...)`.
fn readable(signature: &str) -> String {
    let mut text = without_paths(signature).replace("_: ", "");
    if let Some((call, result)) = text.split_once(" -> ") {
        let result = result
            .strip_prefix("Result<")
            .and_then(|r| r.strip_suffix(",Box<EvalAltResult>>"))
            .unwrap_or(result);
        text = match result {
            "()" => call.to_string(),
            other => format!("{call} -> {other}"),
        };
    }
    let text = text
        .replace("Vec<Dynamic>", "array")
        .replace("Dynamic", "any")
        .replace("String", "string");
    let Some((name, rest)) = text.split_once("(&mut ") else {
        return text;
    };
    match rest.find([',', ')']) {
        Some(end) if rest[end..].starts_with(',') => {
            format!("{}.{name}({}", &rest[..end], rest[end + 1..].trim_start())
        }
        Some(end) => format!("{}.{name}({}", &rest[..end], &rest[end..]),
        None => text,
    }
}

/// `text` with every Rust path prefix (`alloc::string::`) taken out.
fn without_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if c == ':' && chars.peek() == Some(&':') && !word.is_empty() {
            chars.next();
            word.clear();
            continue;
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.push_str(&word);
    out
}

/// The most program text read from standard input; a runaway pipe is not a program.
const MAX_PROGRAM: u64 = 16 << 20;

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut inline: Option<String> = None;
    let first = args::parse(ctx, args, |flag, value| {
        match flag {
            'c' => inline = value.map(str::to_string),
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let operands = &args[first..];
    let (name, code, script_args) = match (inline, operands.first()) {
        (Some(code), _) => (None, code, operands),
        (None, None) => (None, program_from_stdin(ctx)?, operands),
        (None, Some(dash)) if dash == "-" => (None, program_from_stdin(ctx)?, &operands[1..]),
        (None, Some(file)) => {
            let bytes = nsops::read(ctx.shell, file).map_err(|e| match e {
                ShellError::Ns { cmd: _, source, .. } => ShellError::Ns {
                    cmd: ctx.name.to_string(),
                    source,
                    arg: Some(first),
                },
                other => other,
            })?;
            // Errors name the file by its clean path: the operand may be `././…/f`, 4 KiB
            // of it, and every message would repeat it.
            let shown = nsops::resolve(ctx.shell, ctx.name, file).map_err(|e| e.at_arg(first))?;
            let code = String::from_utf8(bytes)
                .map_err(|_| ctx.fail(format!("{shown}: not UTF-8 text")))?;
            (Some(shown), code, &operands[1..])
        }
    };
    let script = Script {
        name: name.as_deref(),
        code: &code,
        args: script_args,
    };
    let io = ctx.io.clone();
    Engine::of(ctx.shell).run(ctx.shell, &io, &script)
}

fn program_from_stdin(ctx: &Ctx<'_>) -> Result<String, ShellError> {
    let mut bytes = Vec::new();
    ctx.input()
        .take(MAX_PROGRAM + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ctx.fail(format!("standard input: {e}")))?;
    if bytes.len() as u64 > MAX_PROGRAM {
        return Err(ctx.fail(format!(
            "the program on standard input is over {MAX_PROGRAM} bytes"
        )));
    }
    String::from_utf8(bytes).map_err(|_| ctx.fail("standard input: not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_read_as_a_script_calls_them() {
        let result = "core::result::Result<alloc::string::String,\
                      alloc::boxed::Box<rhai::types::error::EvalAltResult>>";
        assert_eq!(
            readable(&format!("read(_: string) -> {result}")),
            "read(string) -> string"
        );
        assert_eq!(
            readable("wait(_: &mut Task) -> string"),
            "Task.wait() -> string"
        );
        assert_eq!(
            readable("mkdir(_: string, _: bool) -> core::result::Result<(),x::Box<EvalAltResult>>"),
            "mkdir(string, bool)"
        );
        assert_eq!(readable("newns()"), "newns()");
        assert_eq!(
            readable("put(_: &mut Task, _: string) -> i64"),
            "Task.put(string) -> i64"
        );
    }

    #[test]
    fn help_lists_every_function_the_engine_has() {
        let shell = crate::eval::Shell::new();
        let listed = functions(&shell);
        for name in [
            "read(string) -> string",
            "Task.wait() -> string",
            "mount_map(",
            "spawn(",
        ] {
            assert!(listed.contains(name), "{name} missing from\n{listed}");
        }
        assert!(!listed.contains("::"), "{listed}");
    }
}
