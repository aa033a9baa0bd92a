//! `cd` and `pwd`: the shell's working directory.
//!
//! The working directory is a clean absolute namespace path held in `shell.cwd`; `cd` sets it
//! only after the namespace confirms a directory is there, so a relative path always resolves
//! against something that existed. `..` is lexical (Plan 9's `cleanname`): it never climbs
//! above `/`, whatever is mounted where. Neither command may touch the host's own directory.

use std::io::Write;

use super::{ns_error_at, resolve};
use crate::builtins::{Builtin, Ctx, Example, args, operands};
use crate::eval::{ShellError, Status};
use crate::ns::{FileKind, NsError};

pub const CD: Builtin = Builtin::new(
    "cd",
    "change the working directory ($home when none is given)",
    cd,
)
.operands("[DIR]")
.examples(&[Example {
    script: "cd /tmp; pwd",
    output: "/tmp\n",
}]);

pub const PWD: Builtin =
    Builtin::new("pwd", "print the working directory", pwd).examples(&[Example {
        script: "cd /; pwd",
        output: "/\n",
    }]);

/// Where `cd` without an argument goes when `$home` is unset or empty (rc goes to `$home`).
const DEFAULT_DIR: &str = "/";

fn cd(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    // No flags: a lone `--` is still accepted, so `cd -- -dir` reaches a directory `-dir`.
    let first = args::none(ctx, args)?;
    let target = match &args[first..] {
        [] => match ctx.shell.proc.vars.get("home").and_then(|h| h.first()) {
            Some(home) if !home.is_empty() => ctx.path(home)?,
            _ => DEFAULT_DIR.to_string(),
        },
        [_] => resolve(ctx, args, first)?,
        _ => return Err(ctx.usage("too many arguments")),
    };
    let stat = ctx
        .shell
        .proc
        .ns
        .stat(&target)
        .map_err(|e| ns_error_at(ctx, e, first))?;
    if stat.kind != FileKind::Dir {
        return Err(ns_error_at(ctx, NsError::NotDir { path: target }, first));
    }
    ctx.shell.proc.cwd = target;
    Ok(Status::ok())
}

fn pwd(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if args::none(ctx, args)? < args.len() {
        return Err(ctx.usage("takes no arguments"));
    }
    let mut out = ctx.out();
    match writeln!(out, "{}", ctx.shell.proc.cwd).and_then(|()| out.flush()) {
        Ok(()) => Ok(Status::ok()),
        Err(e) => operands::output_error(ctx, e),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run_gone, run_in, shell_with};
    use super::*;

    #[test]
    fn cd_follows_absolute_relative_and_dot_dot() {
        let mut shell = shell_with(&["/a/", "/a/b/"]);
        assert_eq!(run_in(&mut shell, &CD, &["/a"], b"").status(), "");
        assert_eq!(shell.proc.cwd, "/a");
        run_in(&mut shell, &CD, &["b/./"], b"");
        assert_eq!(shell.proc.cwd, "/a/b");
        run_in(&mut shell, &CD, &["../.."], b"");
        assert_eq!(shell.proc.cwd, "/");
        assert_eq!(run_in(&mut shell, &CD, &[".."], b"").status(), "");
        assert_eq!(shell.proc.cwd, "/", "`..` at the root stays at the root");
    }

    #[test]
    fn cd_without_argument_goes_home_or_to_the_root() {
        let mut shell = shell_with(&["/a/", "/h/"]);
        shell.proc.cwd = "/a".into();
        shell.proc.vars.set("home", vec!["/h".into()]);
        assert_eq!(run_in(&mut shell, &CD, &[], b"").status(), "");
        assert_eq!(shell.proc.cwd, "/h");
        shell.proc.vars.unset("home");
        assert_eq!(run_in(&mut shell, &CD, &[], b"").status(), "");
        assert_eq!(shell.proc.cwd, "/");
    }

    #[test]
    fn cd_refuses_files_and_missing_names() {
        let mut shell = shell_with(&["/a/", "/f"]);
        shell.proc.cwd = "/a".into();
        let r = run_in(&mut shell, &CD, &["/f"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cd: /f: not a directory".into(), Some(0))
        );
        let r = run_in(&mut shell, &CD, &["--", "nope"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: cd: /a/nope: file does not exist".into(), Some(1))
        );
        assert_eq!(shell.proc.cwd, "/a", "a failed cd stays put");
    }

    #[test]
    fn cd_usage_errors() {
        let mut shell = shell_with(&["/a/"]);
        let r = run_in(&mut shell, &CD, &["/a", "/a"], b"");
        assert!(r.status().contains("too many arguments"), "{}", r.status());
        assert!(
            run_in(&mut shell, &CD, &["-x"], b"")
                .status()
                .contains("unknown flag -x")
        );
        assert_eq!(shell.proc.cwd, "/");
    }

    #[test]
    fn pwd_prints_the_working_directory() {
        let mut shell = shell_with(&["/a/"]);
        assert_eq!(run_in(&mut shell, &PWD, &[], b"").out(), "/\n");
        run_in(&mut shell, &CD, &["a"], b"");
        assert_eq!(run_in(&mut shell, &PWD, &[], b"").out(), "/a\n");
        assert!(
            run_in(&mut shell, &PWD, &["x"], b"")
                .status()
                .contains("takes no arguments")
        );
        assert_eq!(run_gone(&mut shell, &PWD, &[]).status(), "");
    }
}
