//! `rhai`: run Rhai code from the command line, from a namespace file, or from standard input.
//!
//! The shell's `{ }` is a block of shell commands, so it cannot carry Rhai text; a here
//! document can (`rhai <<'EOF'`, quoted so `$` is left alone). The program file is read from
//! the namespace, never from the host. The words after the code or file are the script's
//! `ARGS`. Nothing the script returns is printed: only its `print` calls write output.

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
        script: "rhai -c 'print(ARGS[0] + \"!\")' hi",
        output: "hi!\n",
    },
    Example {
        script: "rhai -c 'write(\"/tmp/x\", \"made by rhai\")'; cat /tmp/x; echo",
        output: "made by rhai\n",
    },
])];

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
