//! The builtins of the language itself: `echo . eval exit return shift true false`.
//!
//! These drive the interpreter (run source, unwind); `wait` and `jobs` are in `jobs`. None
//! of them reads a file except `.`, which reads from the namespace like every other builtin.

use std::io::{Read, Write};
use std::sync::Arc;

use super::{Builtin, Ctx, Example};
use crate::eval::budget::{Budget, BudgetError};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec};
use crate::lang::SourceFile;

pub const BUILTINS: &[Builtin] = &[
    // echo reads its one flag itself, as rc's does: only a first `-n`, anything else is text.
    Builtin::new("echo", "print the arguments, separated by spaces", echo)
        .flags(Spec::new(&[Flag::switch('n', "no newline at the end")]))
        .operands("[ARG...]")
        .examples(&[
            Example {
                script: "echo hello world",
                output: "hello world\n",
            },
            Example {
                script: "echo -n a; echo b",
                output: "ab\n",
            },
        ]),
    Builtin::new(
        ".",
        "run a script file from the namespace in this shell",
        dot,
    )
    .operands("FILE [ARG...]")
    .examples(&[Example {
        script: "echo 'echo hi $1' > /tmp/s; . /tmp/s there",
        output: "hi there\n",
    }]),
    Builtin::new(
        "eval",
        "run the arguments, joined by spaces, as shell input",
        eval,
    )
    .operands("[ARG...]")
    .examples(&[Example {
        script: "cmd='echo a; echo b'; eval $cmd",
        output: "a\nb\n",
    }]),
    Builtin::new("exit", "leave the shell or script with a status", exit)
        .operands("[STATUS]")
        .examples(&[Example {
            script: "@{ exit 3 }; echo $status",
            output: "3\n",
        }]),
    Builtin::new("return", "leave the current function with a status", ret)
        .operands("[STATUS]")
        .examples(&[Example {
            script: "fn f { return 2; echo never }; f; echo $status",
            output: "2\n",
        }]),
    Builtin::new(
        "shift",
        "drop the first N arguments from $* (all, if fewer)",
        shift,
    )
    .operands("[N]")
    .examples(&[
        Example {
            script: "*=(a b c); shift 2; echo $*",
            output: "c\n",
        },
        Example {
            script: "*=(a b); shift 5; echo $#*",
            output: "0\n",
        },
    ]),
    Builtin::new(
        "builtin",
        "run a builtin, passing over any function of the same name",
        builtin,
    )
    .operands("NAME [ARG...]")
    .examples(&[Example {
        script: "fn echo { builtin echo fn: $* }; echo hi",
        output: "fn: hi\n",
    }]),
    Builtin::new("true", "do nothing, successfully", truth).examples(&[Example {
        script: "true && echo yes",
        output: "yes\n",
    }]),
    Builtin::new("false", "do nothing, unsuccessfully", falsity).examples(&[Example {
        script: "false || echo no",
        output: "no\n",
    }]),
];

fn echo(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let (newline, args) = match args.first() {
        Some(a) if a == "-n" => (false, &args[1..]),
        _ => (true, args),
    };
    let mut line = args.join(" ");
    if newline {
        line.push('\n');
    }
    match ctx.out().write_all(line.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(ctx.fail(e.to_string())),
        _ => Ok(Status::ok()),
    }
}

fn dot(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let Some(file) = args.first() else {
        return Err(ctx.usage("needs a file"));
    };
    let mut text = String::new();
    let r = ctx.open_read(file).map_err(|e| match e {
        ShellError::Ns { cmd, source, .. } => ShellError::Ns {
            cmd,
            source,
            arg: Some(0),
        },
        other => other,
    })?;
    // A script is held whole: at most the `buffer` budget of it (`. /dev/zero` ends).
    let max = ctx.shell.engines.budgets.get(Budget::Buffer);
    r.take(max.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(|e| ctx.fail(format!("{file}: {e}")))?;
    if text.len() as u64 > max {
        return Err(ShellError::Budget(BudgetError {
            budget: Budget::Buffer,
            limit: max,
            what: format!("the script {file} is too long"),
        }));
    }
    let source = Arc::new(SourceFile::new(file, text));
    let saved = ctx.shell.proc.vars.save("*", args[1..].to_vec());
    let result = ctx.shell.run_source(source, &ctx.io);
    ctx.shell.proc.vars.restore(saved);
    unwind(ctx, result)
}

fn eval(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let source = Arc::new(SourceFile::new("eval", args.join(" ")));
    let result = ctx.shell.run_source(source, &ctx.io);
    unwind(ctx, result)
}

/// A script run by `.` or `eval` that failed: its error was located in its own source, so
/// render it here and pass on only control flow and language errors.
fn unwind(
    ctx: &mut Ctx<'_>,
    result: Result<Status, crate::eval::Located>,
) -> Result<Status, ShellError> {
    match result {
        Ok(s) => Ok(s),
        Err(e) if e.error.is_control() => Err(e.error),
        // rc reports a syntax error in the text and goes on with a false status.
        Err(e) if matches!(e.error, ShellError::Parse(_)) => {
            ctx.shell.report(&e, &ctx.io);
            Ok(e.error.status())
        }
        Err(e) => Err(ShellError::Nested(Box::new(e))),
    }
}

fn status_arg(ctx: &Ctx<'_>, args: &[String]) -> Status {
    match args.first() {
        Some(s) => match s.parse::<i64>() {
            Ok(n) => Status::code(n),
            Err(_) => Status::failure(s.clone()),
        },
        None => ctx.shell.status(),
    }
}

fn exit(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    Err(ShellError::Exit(status_arg(ctx, args)))
}

fn ret(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    Err(ShellError::Return(status_arg(ctx, args)))
}

fn shift(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let n = match args.first() {
        None => 1,
        Some(a) => a
            .parse::<usize>()
            .map_err(|_| ctx.usage(format!("`{a}` is not a count")).at_arg(0))?,
    };
    // As in rc, shifting past the end empties `$*` without complaint.
    let mut all = ctx.shell.proc.vars.get("*").unwrap_or_default().to_vec();
    all.drain(..n.min(all.len()));
    ctx.shell.proc.vars.set("*", all);
    Ok(Status::ok())
}

/// The evaluator dispatches `builtin NAME ...` itself (to keep each argument's place in the
/// source for diagnostics); this entry is what `help`, `whatis` and completion see, and what
/// runs when `builtin` is reached any other way.
fn builtin(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let Some((name, rest)) = args.split_first() else {
        return Err(ctx.usage("needs the name of a builtin"));
    };
    let b = super::lookup(name).ok_or_else(|| ShellError::UnknownCommand {
        name: name.clone(),
        suggestion: None,
    })?;
    ctx.name = b.name;
    (b.run)(ctx, rest)
}

fn truth(_: &mut Ctx<'_>, _: &[String]) -> Result<Status, ShellError> {
    Ok(Status::ok())
}

fn falsity(_: &mut Ctx<'_>, _: &[String]) -> Result<Status, ShellError> {
    Ok(Status::code(1))
}
