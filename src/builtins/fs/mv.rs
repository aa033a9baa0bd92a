//! `mv`: rename files and directories, or move them into a directory.
//!
//! A move is one `rename` in the namespace when source and destination lie in the same
//! service. Across mounts a service cannot rename, so `mv` copies (the tree, for a directory)
//! and then removes the source, as Unix mv does across file systems; it checks first that it
//! would not overwrite a directory or put a directory over a file, so the fallback refuses
//! what a rename would. Moving a directory into itself is refused before anything changes.
//! It must never reach the host's file system.

use super::{Destination, ns_error_at, resolve};
use crate::builtins::{Builtin, Ctx, Example, args};
use crate::eval::{ShellError, Status};
use crate::flags::{Flag, Spec, Undeclared};
use crate::ns::{FileKind, Namespace, NsError, path};
use crate::nsops;

pub const MV: Builtin = Builtin::new(
    "mv",
    "rename SRC to DST, or move each SRC into the directory DST",
    run,
)
// `-f` is accepted and changes nothing: mv never asks before replacing a file.
.flags(Spec::new(&[Flag::switch(
    'f',
    "accepted for habit: mv never asks before replacing",
)]))
.operands("SRC... DST")
.examples(&[Example {
    script: "echo hi > /tmp/a; mv /tmp/a /tmp/b; ls /tmp",
    output: "b\n",
}]);

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let first = args::parse(ctx, args, |flag, _| match flag {
        'f' => Ok(()),
        other => Err(Undeclared(other).into()),
    })?;
    let destination = Destination::of(ctx, args, first)?;
    let last = args.len() - 1;
    super::each_operand(ctx, args, first, last, |index, _| {
        let source = resolve(ctx, args, index)?;
        let target = destination.for_source(&source);
        move_one(&ctx.shell.proc.ns, &source, &target).map_err(|e| ns_error_at(ctx, e, index))
    })
}

/// Moves `source` to `target` (both clean), by rename or by copy and remove.
fn move_one(ns: &Namespace, source: &str, target: &str) -> Result<(), NsError> {
    if source != target && path::is_under(target, source) {
        return Err(NsError::InvalidPath {
            path: target.to_string(),
            reason: format!("cannot move {source} into itself"),
        });
    }
    match ns.rename(source, target) {
        Err(NsError::CrossMount { .. }) => copy_and_remove(ns, source, target),
        other => other,
    }
}

fn copy_and_remove(ns: &Namespace, source: &str, target: &str) -> Result<(), NsError> {
    let kind = ns.stat(source)?.kind;
    match ns.stat(target) {
        Ok(existing) if existing.kind == FileKind::Dir => {
            return Err(NsError::Exists {
                path: target.to_string(),
            });
        }
        Ok(_) if kind == FileKind::Dir => {
            return Err(NsError::NotDir {
                path: target.to_string(),
            });
        }
        _ => {}
    }
    super::cp::copy(ns, source, target, true)?;
    match kind {
        FileKind::Dir => nsops::remove_tree(ns, source),
        FileKind::File => ns.remove(source),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::testing::{listing, read, run_in, shell_with};
    use super::*;
    use crate::eval::Shell;
    use crate::ns::MountFlag;
    use crate::services::mem::MemService;

    /// A shell with `tree` and a second `mem` service mounted at `/m`.
    fn with_mount(tree: &[&str]) -> Result<Shell, NsError> {
        let mut shell = shell_with(tree);
        shell.proc.ns.mkdir("/m")?;
        let service = Arc::new(MemService::new());
        shell.proc.ns = shell
            .proc
            .ns
            .mount("/m", service, MountFlag::Replace, false)?;
        Ok(shell)
    }

    #[test]
    fn renames_in_place() {
        let mut shell = shell_with(&["/d/", "/d/a", "/d/s/", "/d/s/x"]);
        shell.proc.cwd = "/d".into();
        let r = run_in(&mut shell, &MV, &["a", "b"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        run_in(&mut shell, &MV, &["-f", "s", "/t"], b"");
        assert_eq!(listing(&shell, "/"), ["/d/", "/d/b", "/t/", "/t/x"]);
        assert_eq!(read(&shell, "/d/b").as_deref(), Some("/d/a"));
    }

    #[test]
    fn moves_into_a_directory() {
        let mut shell = shell_with(&["/a", "/b", "/s/", "/d/"]);
        assert_eq!(
            run_in(&mut shell, &MV, &["/a", "/b", "/s", "/d"], b"").status(),
            ""
        );
        assert_eq!(listing(&shell, "/"), ["/d/", "/d/a", "/d/b", "/d/s/"]);
    }

    #[test]
    fn moves_across_mounts_by_copying() -> Result<(), NsError> {
        let tree = ["/a", "/t/", "/t/x", "/t/s/", "/t/s/y"];
        let mut shell = with_mount(&tree)?;
        let r = run_in(&mut shell, &MV, &["/a", "/t", "/m"], b"");
        assert_eq!((r.status(), r.err), (String::new(), String::new()));
        assert_eq!(
            listing(&shell, "/"),
            ["/m/", "/m/a", "/m/t/", "/m/t/s/", "/m/t/s/y", "/m/t/x"]
        );
        assert_eq!(read(&shell, "/m/t/s/y").as_deref(), Some("/t/s/y"));
        let r = run_in(&mut shell, &MV, &["/m/a", "/back"], b"");
        assert_eq!(r.status(), "");
        assert_eq!(read(&shell, "/back").as_deref(), Some("/a"));
        Ok(())
    }

    #[test]
    fn across_mounts_it_refuses_what_rename_would() -> Result<(), NsError> {
        let mut shell = with_mount(&["/t/", "/a"])?;
        shell.proc.ns.mkdir("/m/t")?;
        shell.proc.ns.mkdir("/m/t/t")?;
        shell
            .proc
            .ns
            .open("/m/f", crate::ns::OpenFlags::write().create())?;
        let r = run_in(&mut shell, &MV, &["/t", "/m/t"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: mv: /m/t/t: file already exists".into(), Some(0))
        );
        let r = run_in(&mut shell, &MV, &["/t", "/m/f"], b"");
        assert_eq!(r.status(), "error: mv: /m/f: not a directory");
        assert_eq!(
            listing(&shell, "/"),
            ["/a", "/m/", "/m/f", "/m/t/", "/m/t/t/", "/t/"]
        );
        Ok(())
    }

    #[test]
    fn refuses_moving_a_directory_into_itself() {
        let mut shell = shell_with(&["/t/", "/t/s/"]);
        let r = run_in(&mut shell, &MV, &["/t", "/t/s"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            (
                "error: mv: /t/s/t: invalid path: cannot move /t into itself".into(),
                Some(0)
            )
        );
        assert_eq!(listing(&shell, "/"), ["/t/", "/t/s/"]);
    }

    #[test]
    fn operand_and_usage_errors() {
        let mut shell = shell_with(&["/a", "/d/"]);
        let r = run_in(&mut shell, &MV, &["/nope", "/x"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: mv: /nope: file does not exist".into(), Some(0))
        );
        let r = run_in(&mut shell, &MV, &["/nope", "/a", "/d"], b"");
        assert_eq!(
            (r.status(), r.err.as_str()),
            ("1".into(), "mv: /nope: file does not exist\n")
        );
        assert_eq!(listing(&shell, "/"), ["/d/", "/d/a"]);
        let r = run_in(&mut shell, &MV, &["/d/a", "/d", "/f"], b"");
        assert_eq!(
            (r.status(), r.arg()),
            ("error: mv: /f: not a directory".into(), Some(2))
        );
        assert!(
            run_in(&mut shell, &MV, &["/d"], b"")
                .status()
                .contains("needs a source")
        );
        assert!(
            run_in(&mut shell, &MV, &["-i", "/d", "/e"], b"")
                .status()
                .contains("unknown flag -i")
        );
    }
}
