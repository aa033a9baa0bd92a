//! `whatis` and `help`: what a name means, printed from the builtins' own declarations; and
//! `why`: what the last error was, in full.

use std::fmt::Write as _;
use std::io::Write;

use super::{Builtin, Ctx, Example, all, lookup};
use crate::eval::{ShellError, Status};
use crate::lang::quote;

pub const BUILTINS: &[Builtin] = &[
    Builtin::new(
        "whatis",
        "show what names are: variables, functions, builtins",
        whatis,
    )
    .operands("NAME...")
    .examples(&[Example {
        script: "x=(a 'b c'); fn f { echo }; whatis x f cat",
        output: "x=(a 'b c')\nfn f { echo }\nbuiltin cat\n",
    }]),
    Builtin::new(
        "help",
        "list the builtins, or show one's synopsis, usage, flags and examples",
        help,
    )
    .operands("[NAME...]")
    .examples(&[Example {
        script: "help true",
        output: "true - do nothing, successfully\nusage: true\nexamples:\n  ; true && echo yes\n  yes\n",
    }]),
    Builtin::new(
        "why",
        "show the full diagnostic of the last error (the prompt prints errors in one line)",
        why,
    )
    .examples(&[Example {
        script: "ls /nope >[2] /dev/null; why",
        output: "oash::file\n\n  × ls: /nope: file does not exist\n   ╭─[why-example:1:4]\n 1 │ ls /nope >[2] /dev/null; why\n   ·    ──┬──\n   ·      ╰── this file\n   ╰────\n",
    }]),
];

/// `why`: the last error's report, as a script would have printed it; false when no
/// command has failed yet.
fn why(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if !args.is_empty() {
        return Err(ctx.usage("takes no arguments"));
    }
    match ctx.shell.engines.errors.last(ctx.shell.proc.color) {
        Some(report) => {
            let _ = ctx.out().write_all(report.as_bytes());
            Ok(Status::ok())
        }
        None => {
            ctx.warn("no error so far");
            Ok(Status::code(1))
        }
    }
}

fn whatis(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if args.is_empty() {
        return Err(ctx.usage("needs a name"));
    }
    let mut out = String::new();
    let mut status = Status::ok();
    for name in args {
        let mut found = false;
        if let Some(v) = ctx.shell.proc.vars.get(name) {
            let value = match v.len() {
                1 => quote(v.first().unwrap_or_default()),
                _ => format!("({})", v.iter().map(quote).collect::<Vec<_>>().join(" ")),
            };
            let _ = writeln!(out, "{}={value}", quote(name));
            found = true;
        }
        if let Some(f) = ctx.shell.proc.fns.get(name) {
            let _ = writeln!(out, "fn {} {}", quote(name), f.text);
            found = true;
        }
        if !found && lookup(name).is_some() {
            let _ = writeln!(out, "builtin {name}");
            found = true;
        }
        if !found && let Some(module) = ctx.shell.find_program(name) {
            // rc's whatis prints a program's path.
            let _ = writeln!(out, "{module}");
            found = true;
        }
        if !found {
            ctx.warn(format!("{name}: not found"));
            status = Status::code(1);
        }
    }
    let _ = ctx.out().write_all(out.as_bytes());
    Ok(status)
}

fn help(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut out = String::new();
    if args.is_empty() {
        out.push_str("oash builtins (help NAME for usage):\n");
        for b in all() {
            let _ = writeln!(out, "  {:<8} {}", b.name, b.synopsis);
        }
        out.push_str("language: see `help rc` and the book's \"The language\" chapter\n");
        let keywords: Vec<&str> = super::help::TOPICS
            .iter()
            .filter_map(|t| t.names.first().copied())
            .filter(|name| crate::lang::KEYWORDS.contains(name))
            .collect();
        let _ = writeln!(out, "keywords: help {}", keywords.join(", "));
        out.push_str("tests: `help test` (the files `oash test` runs)\n");
        out.push_str("programs: see `help tasks` and the book's \"Tasks\" chapter\n");
        out.push_str("namespace: `help namespace`; tasks as files: `help task`\n");
        out.push_str("the prompt (completion, history, errors and `why`): `help repl`\n");
    }
    let mut status = Status::ok();
    for name in args {
        match lookup(name) {
            Some(b) => {
                out.push_str(&b.help());
                if b.name == "limits" {
                    out.push_str(&super::limits::help());
                }
                if b.name == "rhai" {
                    out.push_str(&super::rhai::functions(ctx.shell));
                }
            }
            None => match super::help::text(name) {
                Some(text) => out.push_str(&text),
                None => {
                    ctx.warn(format!("no help for `{name}`"));
                    status = Status::code(1);
                }
            },
        }
    }
    let _ = ctx.out().write_all(out.as_bytes());
    Ok(status)
}
