//! `rm`: remove files, and with `-r` directories and everything in them.
//!
//! `-r` removes depth first over `readdir`, stopping at the first name that cannot go. A
//! host symbolic link goes as the link, never followed (with or without `-r`). It never
//! descends into a mount point: unmounting is `unmount`'s job, and emptying a mounted
//! service by accident is not something to make easy. `-f` makes missing names no error at
//! all. It refuses `/` and operands ending in `.` or `..`, as POSIX asks. It removes only
//! what the namespace answers for and must never reach the host's file system.

use super::{ns_error_at, resolve};
use crate::builtins::{Builtin, Ctx, Example, args};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::ns::{FileKind, Namespace, NsError};
use crate::nsops;

pub const RM: Builtin = Builtin::new(
    "rm",
    "remove files (-r: directories and their contents; -f: missing is fine)",
    run,
)
.flags(Spec::new(&[
    Flag::switch('r', "remove directories and everything in them"),
    Flag::switch('R', "the same as -r"),
    Flag::switch('f', "a file that does not exist is not an error"),
]))
.operands("PATH...")
.examples(&[Example {
    script: "mkdir -p /tmp/d/e; rm -r /tmp/d; ls /tmp",
    output: "",
}]);

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let (mut recursive, mut force) = (false, false);
    let first = args::parse(ctx, args, |flag, _| {
        match flag {
            'f' => force = true,
            'r' | 'R' => recursive = true,
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    if first == args.len() {
        return if force {
            Ok(Status::ok())
        } else {
            Err(ctx.usage("missing operand"))
        };
    }
    super::each_operand(ctx, args, first, args.len(), |index, operand| {
        let last = operand.trim_end_matches('/').rsplit('/').next();
        if matches!(last, Some("." | "..")) {
            let refused = denied(operand, "refusing to remove . or ..");
            return Err(ns_error_at(ctx, refused, index));
        }
        let target = resolve(ctx, args, index)?;
        if target == "/" {
            return Err(ns_error_at(
                ctx,
                denied("/", "refusing to remove the root"),
                index,
            ));
        }
        remove(&ctx.shell.proc.ns, &target, recursive, force)
            .map_err(|e| ns_error_at(ctx, e, index))
    })
}

fn denied(path: &str, reason: &str) -> NsError {
    NsError::Denied {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

/// Removes one operand: a file, or with `recursive` a whole tree. A directory without
/// `recursive` is refused here, as POSIX `rm` does, though the core would take an empty one.
/// A host symbolic link is removed as itself, whatever it points at (a directory, a loop,
/// somewhere outside the host directory), as POSIX `rm` does.
fn remove(ns: &Namespace, target: &str, recursive: bool, force: bool) -> Result<(), NsError> {
    let removed = match ns.stat(target) {
        _ if nsops::is_link(ns, target) => ns.remove(target),
        Ok(stat) if stat.kind == FileKind::Dir && !recursive => Err(NsError::IsDir {
            path: target.to_string(),
        }),
        Ok(_) => nsops::remove_path(ns, target, recursive),
        Err(e) => Err(e),
    };
    match removed {
        // The name went away (now or before): with -f that is what was asked.
        Err(NsError::NotFound { .. }) if force => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::testing::{listing, run_in, shell_with};
    use super::*;
    use crate::ns::MountFlag;
    use crate::services::mem::MemService;

    #[test]
    fn removes_files_relative_and_absolute() {
        let mut shell = shell_with(&["/d/", "/d/a", "/d/b", "/c"]);
        shell.proc.cwd = "/d".into();
        let r = run_in(&mut shell, &RM, &["a", "/c"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert_eq!(listing(&shell, "/"), ["/d/", "/d/b"]);
    }

    #[test]
    fn a_directory_needs_recursion() {
        let mut shell = shell_with(&["/d/", "/d/a", "/e/"]);
        let r = run_in(&mut shell, &RM, &["/e"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: rm: /e: is a directory".into(), Some(0))
        );
        let r = run_in(&mut shell, &RM, &["-r", "/d", "/e"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert!(listing(&shell, "/").is_empty());
    }

    #[test]
    fn recursion_removes_a_whole_tree() {
        let tree = [
            "/t/", "/t/a", "/t/.h", "/t/s/", "/t/s/b", "/t/s/u/", "/t/s/u/c", "/k",
        ];
        let mut shell = shell_with(&tree);
        let r = run_in(&mut shell, &RM, &["-R", "/t"], b"");
        assert_eq!(r.status(), "");
        assert_eq!(listing(&shell, "/"), ["/k"]);
    }

    #[test]
    fn missing_names_fail_unless_forced() {
        let mut shell = shell_with(&["/a", "/d/"]);
        let r = run_in(&mut shell, &RM, &["/nope"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: rm: /nope: file does not exist".into(), Some(0))
        );
        let r = run_in(&mut shell, &RM, &["/nope", "/a"], b"");
        assert_eq!(
            (r.status(), r.err.as_str()),
            ("1".into(), "rm: /nope: file does not exist\n")
        );
        let r = run_in(&mut shell, &RM, &["-f", "/nope", "/d/x/y"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        let r = run_in(&mut shell, &RM, &["-rf", "/nope", "/d"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert!(listing(&shell, "/").is_empty());
        assert_eq!(run_in(&mut shell, &RM, &["-f"], b"").status(), "");
    }

    #[test]
    fn refuses_the_root_and_dot_names() {
        let mut shell = shell_with(&["/d/", "/d/a"]);
        shell.proc.cwd = "/d".into();
        for operand in ["/", "/d/..", ".", "./", "..", "/d/."] {
            let r = run_in(&mut shell, &RM, &["-rf", operand], b"");
            assert!(
                r.status().contains("refusing to remove"),
                "{operand}: {}",
                r.status()
            );
            assert_eq!(r.arg(), Some(1));
        }
        assert_eq!(listing(&shell, "/"), ["/d/", "/d/a"]);
    }

    #[test]
    fn recursion_stops_at_a_mount_point() -> Result<(), NsError> {
        let mut shell = shell_with(&["/d/", "/d/m/"]);
        let service = Arc::new(MemService::new());
        shell.proc.ns = shell
            .proc
            .ns
            .mount("/d/m", service, MountFlag::Replace, false)?;
        shell
            .proc
            .ns
            .open("/d/m/kept", crate::ns::OpenFlags::write().create())?;
        let r = run_in(&mut shell, &RM, &["-r", "/d"], b"");
        assert_eq!(
            r.status(),
            "error: rm: /d/m: permission denied (is a mount point)"
        );
        assert_eq!(listing(&shell, "/d"), ["/d/m/", "/d/m/kept"]);
        Ok(())
    }

    #[test]
    fn usage_errors() {
        let mut shell = shell_with(&[]);
        assert!(
            run_in(&mut shell, &RM, &[], b"")
                .status()
                .contains("missing operand")
        );
        assert!(
            run_in(&mut shell, &RM, &["-i", "/x"], b"")
                .status()
                .contains("unknown flag -i")
        );
    }
}
