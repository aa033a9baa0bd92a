//! `mkdir`: make directories in the namespace.
//!
//! Without `-p` the parent must exist and the name must not; with `-p` every missing
//! ancestor is made, outermost first, and a directory already there is fine (a file there is
//! not). It makes directories only where the namespace's mounts put them and must never
//! reach the host's file system.

use super::{ns_error_at, resolve};
use crate::builtins::{Builtin, Ctx, Example, args};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::nsops;

pub const MKDIR: Builtin = Builtin::new(
    "mkdir",
    "make directories (-p: with their parents, quietly if they exist)",
    run,
)
.flags(Spec::new(&[Flag::switch(
    'p',
    "make missing parents too; a directory that exists is fine",
)]))
.operands("DIR...")
.examples(&[Example {
    script: "mkdir -p /tmp/a/b; ls /tmp/a",
    output: "b\n",
}]);

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut parents = false;
    let first = args::parse(ctx, args, |flag, _| {
        match flag {
            'p' => parents = true,
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    if first == args.len() {
        return Err(ctx.usage("missing directory name"));
    }
    super::each_operand(ctx, args, first, args.len(), |index, _| {
        let dir = resolve(ctx, args, index)?;
        nsops::make_dir(&ctx.shell.proc.ns, &dir, parents).map_err(|e| ns_error_at(ctx, e, index))
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{listing, run_in, shell_with};
    use super::*;

    #[test]
    fn makes_directories_relative_and_absolute() {
        let mut shell = shell_with(&["/d/"]);
        shell.proc.cwd = "/d".into();
        let r = run_in(&mut shell, &MKDIR, &["x", "/y", "x/z"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert_eq!(listing(&shell, "/"), ["/d/", "/d/x/", "/d/x/z/", "/y/"]);
    }

    #[test]
    fn existing_names_and_missing_parents_are_errors() {
        let mut shell = shell_with(&["/d/", "/f"]);
        let r = run_in(&mut shell, &MKDIR, &["/d"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: mkdir: /d: file already exists".into(), Some(0))
        );
        let r = run_in(&mut shell, &MKDIR, &["/f"], b"");
        assert!(r.status().contains("already exists"), "{}", r.status());
        let r = run_in(&mut shell, &MKDIR, &["/a/b"], b"");
        assert_eq!(r.status(), "error: mkdir: /a/b: file does not exist");
    }

    #[test]
    fn one_failure_among_several_is_a_warning() {
        let mut shell = shell_with(&["/d/"]);
        let r = run_in(&mut shell, &MKDIR, &["/d", "/e", "/a/b"], b"");
        assert_eq!(r.status(), "1");
        assert_eq!(
            r.err,
            "mkdir: /d: file already exists\nmkdir: /a/b: file does not exist\n"
        );
        assert_eq!(listing(&shell, "/"), ["/d/", "/e/"]);
    }

    #[test]
    fn parents_flag_makes_ancestors_and_keeps_existing() {
        let mut shell = shell_with(&["/d/", "/f"]);
        let r = run_in(&mut shell, &MKDIR, &["-p", "/d/a/b", "/d", "/d/a"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert_eq!(listing(&shell, "/d"), ["/d/a/", "/d/a/b/"]);
        let r = run_in(&mut shell, &MKDIR, &["-p", "/f/x"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: mkdir: /f: not a directory".into(), Some(1))
        );
        let r = run_in(&mut shell, &MKDIR, &["-p", "/f"], b"");
        assert_eq!(r.status(), "error: mkdir: /f: file already exists");
    }

    #[test]
    fn usage_errors() {
        let mut shell = shell_with(&[]);
        assert!(
            run_in(&mut shell, &MKDIR, &[], b"")
                .status()
                .contains("missing directory name")
        );
        assert!(
            run_in(&mut shell, &MKDIR, &["-p"], b"")
                .status()
                .contains("missing")
        );
        assert!(
            run_in(&mut shell, &MKDIR, &["-m", "7", "/x"], b"")
                .status()
                .contains("unknown flag -m")
        );
    }
}
