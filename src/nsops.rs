//! The core namespace operations, shared by every door: the shell builtins (`cat`, `mount`,
//! `bind`, `ns`, ...), the Rhai API (`crate::script`) and, later, control files. This file
//! holds the file operations; the mount table's are in `table` (`mount`, `bind`,
//! `unmount`, `newns`, `ns`) and `cow` (`mount cow`, `cowdiff`), re-exported here.
//!
//! STYLE's "one core, thin doors": each operation is written once, here, and a door only
//! parses its own form of arguments. Paths are taken as the user typed them and resolved
//! against `shell.cwd` with `ns::path::resolve`; errors are [`ShellError::Ns`] named after
//! the operation (`read`, `mount`, ...), so a door with the same name can pass them through.
//! Where a door names its own errors (the file builtins point at the argument at fault),
//! it calls the core below the shell form ([`make_dir`], [`remove_path`], [`remove_tree`]),
//! which takes a clean path and answers an [`NsError`].
//! Nothing here may reach the host file system, and nothing may panic on any path or bytes.

use std::io::{Read, Write};

use crate::eval::{Shell, ShellError};
use crate::ns::{self, DirEntry, FileKind, HandleReader, HandleWriter};
use crate::ns::{Namespace, NsError, OpenFlags};

mod cow;
mod table;
pub use cow::{cow_diff, cow_diff_text, mount_cow};
pub use table::{
    MountFlags, RforkFlags, bind, bind_in, mount, mount_in, mount_service, newns, newns_of,
    ns_command, ns_text, ns_text_of, rfork, rfork_in, task_verb, unmount, unmount_bound,
    unmount_bound_in, unmount_in,
};

/// `path` (relative to the shell's working directory) as a clean absolute namespace path.
pub fn resolve(shell: &Shell, op: &str, path: &str) -> Result<String, ShellError> {
    ns::path::resolve(&shell.proc.cwd, path).map_err(|e| ShellError::ns(op, e))
}

/// The whole contents of a file.
pub fn read(shell: &Shell, path: &str) -> Result<Vec<u8>, ShellError> {
    let path = resolve(shell, "read", path)?;
    let handle = shell
        .proc
        .ns
        .open(&path, OpenFlags::read())
        .map_err(|e| ShellError::ns("read", e))?;
    // Sized from the stat (when it knows; a computed file says 0) so a whole file is one
    // read, not a doubling series; capped, as the size is only a hint.
    let hint = shell
        .proc
        .ns
        .stat(&path)
        .map_or(0, |stat| stat.size.min(64 << 20));
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    HandleReader::new(handle)
        .read_to_end(&mut bytes)
        .map_err(|e| ShellError::ns("read", ns::stream::ns_error(&e, &path).at(&path)))?;
    Ok(bytes)
}

/// Writes `bytes` to a file, creating it; it is truncated first unless `append`.
pub fn write(shell: &Shell, path: &str, bytes: &[u8], append: bool) -> Result<(), ShellError> {
    let op = if append { "append" } else { "write" };
    let path = resolve(shell, op, path)?;
    let flags = match append {
        true => OpenFlags::write().create().append(),
        false => OpenFlags::write().create().truncate(),
    };
    let handle = shell
        .proc
        .ns
        .open(&path, flags)
        .map_err(|e| ShellError::ns(op, e))?;
    let mut writer = HandleWriter::new(handle);
    writer
        .write_all(bytes)
        .map_err(|e| ShellError::ns(op, ns::stream::ns_error(&e, &path).at(&path)))?;
    // Closing is where a control file acts on what it was sent: its error counts.
    writer.finish().map_err(|e| ShellError::ns(op, e))
}

/// A directory's entries, sorted by name (mount points inside it included).
pub fn list(shell: &Shell, path: &str) -> Result<Vec<DirEntry>, ShellError> {
    let path = resolve(shell, "ls", path)?;
    shell
        .proc
        .ns
        .readdir(&path)
        .map_err(|e| ShellError::ns("ls", e))
}

/// Makes a directory; with `parents`, also every missing ancestor, and an existing
/// directory is not an error (`mkdir -p`).
pub fn mkdir(shell: &Shell, path: &str, parents: bool) -> Result<(), ShellError> {
    let path = resolve(shell, "mkdir", path)?;
    make_dir(&shell.proc.ns, &path, parents).map_err(|e| ShellError::ns("mkdir", e))
}

/// Removes a file or an empty directory; with `recursive`, a directory and everything in
/// it (see [`remove_tree`]).
pub fn remove(shell: &Shell, path: &str, recursive: bool) -> Result<(), ShellError> {
    let path = resolve(shell, "rm", path)?;
    remove_path(&shell.proc.ns, &path, recursive).map_err(|e| ShellError::ns("rm", e))
}

/// The core of [`mkdir`] on a clean path, for doors that name their own errors (the
/// `mkdir` builtin). With `parents` every missing ancestor is made, outermost first, and a
/// directory already there is fine; a file there is not.
pub fn make_dir(ns: &Namespace, dir: &str, parents: bool) -> Result<(), NsError> {
    if !parents {
        return ns.mkdir(dir);
    }
    let mut chain: Vec<&str> = ns::path::ancestors(dir).collect();
    chain.reverse();
    for current in chain {
        match ns.stat(current) {
            Ok(stat) if stat.kind == FileKind::Dir => continue,
            // GNU's words: the name itself taken is "exists", an ancestor is "not a dir".
            Ok(_) if current == dir => {
                return Err(NsError::Exists {
                    path: current.to_string(),
                });
            }
            Ok(_) => {
                return Err(NsError::NotDir {
                    path: current.to_string(),
                });
            }
            Err(NsError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        ensure_dir(ns, current)?;
    }
    Ok(())
}

/// Makes `dir` unless a directory is already there (made by someone else in between, or
/// the target of a merging copy): either way what the caller wanted.
pub fn ensure_dir(ns: &Namespace, dir: &str) -> Result<(), NsError> {
    match ns.mkdir(dir) {
        Err(NsError::Exists { .. }) if ns.stat(dir).is_ok_and(|s| s.kind == FileKind::Dir) => {
            Ok(())
        }
        other => other,
    }
}

/// The core of [`remove`] on a clean path: a file or an empty directory, or with
/// `recursive` a directory and everything in it.
pub fn remove_path(ns: &Namespace, target: &str, recursive: bool) -> Result<(), NsError> {
    if recursive && !is_link(ns, target) && ns.stat(target)?.kind == FileKind::Dir {
        remove_tree(ns, target)
    } else {
        ns.remove(target)
    }
}

/// Removes the directory `dir` and everything under it, depth first in name order,
/// stopping at the first name that cannot go. A mount point is never removed (the
/// namespace refuses), and is refused before its contents are touched: they belong to
/// another service, and emptying one by accident should not be easy.
pub fn remove_tree(ns: &Namespace, dir: &str) -> Result<(), NsError> {
    // An explicit stack, so a deep tree cannot overflow ours: a directory is met once to
    // push its children (in reverse, so they pop in name order) and once after them to go.
    let mut stack = vec![(dir.to_string(), FileKind::Dir, false)];
    while let Some((current, kind, emptied)) = stack.pop() {
        // A link to a directory goes as the link: what it points at is not ours to empty.
        if kind != FileKind::Dir || emptied || is_link(ns, &current) {
            ns.remove(&current)?;
            continue;
        }
        if ns.is_mount_point(&current) {
            return Err(NsError::Denied {
                path: current,
                reason: "is a mount point".into(),
            });
        }
        let entries = ns.readdir(&current)?;
        stack.push((current.clone(), FileKind::Dir, true));
        for entry in entries.into_iter().rev() {
            stack.push((ns::path::join(&current, &entry.name), entry.kind, false));
        }
    }
    Ok(())
}

/// True when the clean `path` names a symbolic link (a host directory's; see
/// [`FileService::is_link`](crate::ns::FileService::is_link)) in the union member that answers for it.
pub fn is_link(ns: &Namespace, path: &str) -> bool {
    ns.resolve(path).is_ok_and(|resolution| {
        resolution
            .targets
            .iter()
            .find(|t| t.service.is_link(&t.path) || t.service.stat(&t.path).is_ok())
            .is_some_and(|t| t.service.is_link(&t.path))
    })
}

/// Shells and messages for the tests of this module and its parts.
#[cfg(test)]
mod testing {
    use std::sync::Arc;

    use crate::eval::{Shell, ShellError};
    use crate::ns::Namespace;
    use crate::services::mem::MemService;

    /// A shell over an empty `mem` root holding `dirs`.
    pub fn shell_with(dirs: &[&str]) -> Shell {
        let mut shell = Shell::new();
        shell.proc.ns = Namespace::new(Arc::new(MemService::with_dirs(dirs)));
        shell
    }

    /// `Shell::new()` after `newns`: the default root, nothing mounted.
    pub fn bare_shell() -> Shell {
        let mut shell = Shell::new();
        super::newns(&mut shell);
        assert_eq!(super::ns_text(&shell), "newns\n");
        shell
    }

    pub fn message(result: Result<impl std::fmt::Debug, ShellError>) -> String {
        match result {
            Ok(value) => format!("ok: {value:?}"),
            Err(e) => e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{message, shell_with};
    use super::*;

    #[test]
    fn write_read_append_relative_to_the_cwd() {
        let mut shell = shell_with(&["/d"]);
        shell.proc.cwd = "/d".into();
        assert!(write(&shell, "f", b"one\n", false).is_ok());
        assert!(write(&shell, "/d/f", b"two\n", true).is_ok());
        assert_eq!(read(&shell, "../d/./f").ok(), Some(b"one\ntwo\n".to_vec()));
        assert!(write(&shell, "f", b"new", false).is_ok());
        assert_eq!(read(&shell, "f").ok(), Some(b"new".to_vec()));
        assert_eq!(
            message(read(&shell, "nope")),
            "read: /d/nope: file does not exist"
        );
        assert_eq!(
            message(write(&shell, "/x/y", b"", false)),
            "write: /x/y: file does not exist"
        );
    }

    #[test]
    fn mkdir_list_and_remove() {
        let shell = shell_with(&[]);
        assert!(mkdir(&shell, "/a/b/c", true).is_ok());
        assert!(
            mkdir(&shell, "/a/b/c", true).is_ok(),
            "-p accepts an existing directory"
        );
        assert_eq!(
            message(mkdir(&shell, "/a", false)),
            "mkdir: /a: file already exists"
        );
        assert!(write(&shell, "/a/b/f", b"x", false).is_ok());
        let names: Vec<String> = list(&shell, "/a/b")
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["c", "f"]);
        assert_eq!(
            message(mkdir(&shell, "/a/b/f", true)),
            "mkdir: /a/b/f: file already exists"
        );
        assert_eq!(
            message(remove(&shell, "/a", false)),
            "rm: /a: directory not empty"
        );
        assert!(remove(&shell, "/a", true).is_ok());
        assert_eq!(message(list(&shell, "/a")), "ls: /a: file does not exist");
    }

    #[test]
    fn recursive_remove_stops_at_a_mount_point() {
        let mut shell = shell_with(&["/a", "/a/m"]);
        assert!(mount(&mut shell, "mem", &[], "/a/m", MountFlags::default()).is_ok());
        assert!(write(&shell, "/a/m/kept", b"x", false).is_ok());
        assert_eq!(
            message(remove(&shell, "/a", true)),
            "rm: /a/m: permission denied (is a mount point)"
        );
        assert_eq!(read(&shell, "/a/m/kept").ok(), Some(b"x".to_vec()));
    }
}
