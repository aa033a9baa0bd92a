//! The core namespace operations, shared by every door: the shell builtins (`mount`,
//! `unmount`, `ns`), the Rhai API ([`crate::script`]) and, later, control files.
//!
//! STYLE's "one core, thin doors": each operation is written once, here, and a door only
//! parses its own form of arguments. Paths are taken as the user typed them and resolved
//! against `shell.cwd` with [`ns::path::resolve`]; errors are [`ShellError::Ns`] named after
//! the operation (`read`, `mount`, ...), so a door with the same name can pass them through.
//! Where a door names its own errors (the file builtins point at the argument at fault),
//! it calls the core below the shell form ([`make_dir`], [`remove_path`], [`remove_tree`]),
//! which takes a clean path and answers an [`NsError`].
//! Nothing here may reach the host file system, and nothing may panic on any path or bytes.

use std::io::{Read, Write};
use std::sync::Arc;

use crate::builtins::info::quote;
use crate::eval::{Shell, ShellError};
use crate::ns::{self, DirEntry, FileKind, HandleReader, HandleWriter, MountFlag, MountRecord};
use crate::ns::{Change, FileService, Namespace, NsError, OpenFlags};
use crate::services::cow::CowService;

/// `path` (relative to the shell's working directory) as a clean absolute namespace path.
pub fn resolve(shell: &Shell, op: &str, path: &str) -> Result<String, ShellError> {
    ns::path::resolve(&shell.cwd, path).map_err(|e| ShellError::ns(op, e))
}

/// The whole contents of a file.
pub fn read(shell: &Shell, path: &str) -> Result<Vec<u8>, ShellError> {
    let path = resolve(shell, "read", path)?;
    let handle = shell
        .ns
        .open(&path, OpenFlags::read())
        .map_err(|e| ShellError::ns("read", e))?;
    let mut bytes = Vec::new();
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
    shell.ns.readdir(&path).map_err(|e| ShellError::ns("ls", e))
}

/// Makes a directory; with `parents`, also every missing ancestor, and an existing
/// directory is not an error (`mkdir -p`).
pub fn mkdir(shell: &Shell, path: &str, parents: bool) -> Result<(), ShellError> {
    let path = resolve(shell, "mkdir", path)?;
    make_dir(&shell.ns, &path, parents).map_err(|e| ShellError::ns("mkdir", e))
}

/// Removes a file or an empty directory; with `recursive`, a directory and everything in
/// it (see [`remove_tree`]).
pub fn remove(shell: &Shell, path: &str, recursive: bool) -> Result<(), ShellError> {
    let path = resolve(shell, "rm", path)?;
    remove_path(&shell.ns, &path, recursive).map_err(|e| ShellError::ns("rm", e))
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
/// [`FileService::is_link`]) in the union member that answers for it.
pub fn is_link(ns: &Namespace, path: &str) -> bool {
    ns.resolve(path).is_ok_and(|resolution| {
        resolution
            .targets
            .iter()
            .find(|t| t.service.is_link(&t.path) || t.service.stat(&t.path).is_ok())
            .is_some_and(|t| t.service.is_link(&t.path))
    })
}

/// How a mount combines with what is at its point, as every door spells it: `-b` (union,
/// searched first), `-a` (union, searched last), `-c` (receives new files in the union).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountFlags {
    pub flag: MountFlag,
    pub create: bool,
}

impl MountFlags {
    /// Applies one flag letter; the message of an error is for a usage line.
    pub fn set(&mut self, letter: char) -> Result<(), String> {
        match (letter, self.flag) {
            ('b', MountFlag::After) | ('a', MountFlag::Before) => {
                return Err("-a and -b exclude each other".into());
            }
            ('b', _) => self.flag = MountFlag::Before,
            ('a', _) => self.flag = MountFlag::After,
            ('c', _) => self.create = true,
            (other, _) => return Err(format!("unknown flag -{other} (flags are -b, -a, -c)")),
        }
        Ok(())
    }
}

/// Builds a service of `kind` from `args` and mounts it at `point` in the shell's namespace.
/// `cow` overlays a namespace path, which [`crate::services::build`] cannot see: it goes to
/// [`mount_cow`].
pub fn mount(
    shell: &mut Shell,
    kind: &str,
    args: &[String],
    point: &str,
    flags: MountFlags,
) -> Result<(), ShellError> {
    if kind == "cow" {
        return match args {
            [source] => mount_cow(shell, source, point, flags),
            _ => Err(ShellError::ns("mount", cow_usage())),
        };
    }
    // The point first, so a bad point is reported before a bad service, as it always was.
    let point = resolve(shell, "mount", point)?;
    let service = crate::services::build(kind, args).map_err(|e| ShellError::ns("mount", e))?;
    mount_service(shell, service, &point, flags)
}

fn cow_usage() -> NsError {
    NsError::BadArgs {
        kind: "cow".into(),
        message: "takes one argument, the directory to overlay".into(),
    }
}

/// Mounts at `point` a copy-on-write overlay of the directory `source`, over the service
/// that resolves `source` now. Mounts below `source` belong to other services and are not
/// part of the overlay; a union has no single base and is refused.
pub fn mount_cow(
    shell: &mut Shell,
    source: &str,
    point: &str,
    flags: MountFlags,
) -> Result<(), ShellError> {
    let source = resolve(shell, "mount", source)?;
    let point = resolve(shell, "mount", point)?;
    let cow = cow_over(&shell.ns, &source).map_err(|e| ShellError::ns("mount", e))?;
    mount_service(shell, Arc::new(cow), &point, flags)
}

/// The overlay of the clean directory `source` of `ns`.
fn cow_over(ns: &Namespace, source: &str) -> Result<CowService, NsError> {
    if ns.stat(source)?.kind != FileKind::Dir {
        return Err(NsError::NotDir {
            path: source.to_string(),
        });
    }
    let resolution = ns.resolve(source)?;
    match resolution.targets.as_slice() {
        [target] => Ok(CowService::over(
            Arc::clone(&target.service),
            &target.path,
            Some(source.to_string()),
        )),
        targets => Err(NsError::BadArgs {
            kind: "cow".into(),
            message: format!(
                "{source} is a union of {} services; cow overlays one",
                targets.len()
            ),
        }),
    }
}

/// Mounts an already built service at `point` in the shell's namespace: the one mount path
/// under [`mount`] and under doors that build their service themselves (Rhai's
/// `mount_map`, Rust code mounting a `func` tree).
pub fn mount_service(
    shell: &mut Shell,
    service: Arc<dyn FileService>,
    point: &str,
    flags: MountFlags,
) -> Result<(), ShellError> {
    let point = resolve(shell, "mount", point)?;
    shell.ns = shell
        .ns
        .mount(&point, service, flags.flag, flags.create)
        .map_err(|e| ShellError::ns("mount", e))?;
    Ok(())
}

/// The changes of the layered service (`cow`) mounted at `point`, at namespace paths.
pub fn cow_diff(shell: &Shell, point: &str) -> Result<Vec<Change>, ShellError> {
    let point = resolve(shell, "cowdiff", point)?;
    let unsupported = || NsError::Unsupported {
        path: point.clone(),
        op: "cowdiff",
    };
    if !shell.ns.is_mount_point(&point) {
        return Err(ShellError::ns("cowdiff", unsupported()));
    }
    let resolution = shell
        .ns
        .resolve(&point)
        .map_err(|e| ShellError::ns("cowdiff", e))?;
    // The top member is the one a plain `mount cow` put there.
    let changes = resolution
        .targets
        .first()
        .and_then(|target| target.service.changes())
        .ok_or_else(|| ShellError::ns("cowdiff", unsupported()))?;
    Ok(changes
        .into_iter()
        .map(|change| Change {
            path: match change.path.as_str() {
                "/" => point.clone(),
                inner if point == "/" => inner.to_string(),
                inner => format!("{point}{inner}"),
            },
            kind: change.kind,
        })
        .collect())
}

/// [`cow_diff`] as text, one change a line: `A path`, `M path` or `D path`.
pub fn cow_diff_text(shell: &Shell, point: &str) -> Result<String, ShellError> {
    let mut text = String::new();
    for change in cow_diff(shell, point)? {
        text.push(change.kind.letter());
        text.push(' ');
        text.push_str(&change.path);
        text.push('\n');
    }
    Ok(text)
}

/// Undoes the most recent mount at `point`.
pub fn unmount(shell: &mut Shell, point: &str) -> Result<(), ShellError> {
    let point = resolve(shell, "unmount", point)?;
    shell.ns = shell
        .ns
        .unmount(&point)
        .map_err(|e| ShellError::ns("unmount", e))?;
    Ok(())
}

/// The mount table as `mount` commands, one a line, that rebuild it when run in order on a
/// namespace with the same root. The root's own record (the bottom of `/`) is left out: it
/// is the namespace itself, not a mount a command could make.
pub fn ns_text(shell: &Shell) -> String {
    let mut text = String::new();
    for record in shell.ns.mounts().iter().skip(1) {
        text.push_str(&mount_command(record));
        text.push('\n');
    }
    text
}

/// One record as the `mount` command that makes it: `mount [-b|-a] [-c] KIND [ARGS] POINT`.
pub fn mount_command(record: &MountRecord) -> String {
    let mut words = vec!["mount".to_string()];
    match record.flag {
        MountFlag::Replace => {}
        MountFlag::Before => words.push("-b".into()),
        MountFlag::After => words.push("-a".into()),
    }
    if record.create {
        words.push("-c".into());
    }
    // A kind or first argument starting with `-` would read as a flag: `--` ends the flags.
    let kind_is_flaglike = record.kind.starts_with('-');
    if kind_is_flaglike {
        words.push("--".into());
    }
    words.push(quote(&record.kind));
    words.extend(record.args.iter().map(|arg| quote(arg)));
    words.push(quote(&record.point));
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ns::Namespace;
    use crate::services::mem::MemService;

    /// A shell over an empty `mem` root holding `dirs`.
    fn shell_with(dirs: &[&str]) -> Shell {
        let mut shell = Shell::new();
        shell.ns = Namespace::new(Arc::new(MemService::with_dirs(dirs)));
        shell
    }

    fn message(result: Result<impl std::fmt::Debug, ShellError>) -> String {
        match result {
            Ok(value) => format!("ok: {value:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn write_read_append_relative_to_the_cwd() {
        let mut shell = shell_with(&["/d"]);
        shell.cwd = "/d".into();
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

    #[test]
    fn mount_and_unmount_change_the_shell_namespace() {
        let mut shell = shell_with(&["/n"]);
        shell.cwd = "/n".into();
        assert!(mount(&mut shell, "mem", &[], ".", MountFlags::default()).is_ok());
        assert!(shell.ns.is_mount_point("/n"));
        assert!(unmount(&mut shell, "/n").is_ok());
        assert!(!shell.ns.is_mount_point("/n"));
        assert_eq!(
            message(unmount(&mut shell, "/n")),
            "unmount: /n: not a mount point"
        );
        assert_eq!(
            message(mount(&mut shell, "nope", &[], "/n", MountFlags::default())),
            "mount: unknown service 'nope'"
        );
        assert_eq!(
            message(mount(&mut shell, "mem", &[], "/zz", MountFlags::default())),
            "mount: /zz: file does not exist"
        );
        let args = ["extra".to_string()];
        assert_eq!(
            message(mount(&mut shell, "mem", &args, "/n", MountFlags::default())),
            "mount: mem: takes no arguments, got extra"
        );
    }

    /// `Shell::new()` with its default mounts undone: only the root is left.
    fn bare_shell() -> Shell {
        let mut shell = Shell::new();
        for record in shell.ns.mounts().iter().skip(1).rev() {
            let undone = unmount(&mut shell, &record.point);
            assert!(undone.is_ok(), "{}", message(undone));
        }
        assert_eq!(ns_text(&shell), "");
        shell
    }

    #[test]
    fn ns_text_round_trips() {
        let mut shell = bare_shell();
        for (point, flag, create) in [
            ("/n", MountFlag::Replace, false),
            ("/n", MountFlag::Before, true),
            ("/dev", MountFlag::After, false),
            ("/lib", MountFlag::Replace, true),
            ("/tmp", MountFlag::Before, false),
        ] {
            let mounted = mount(&mut shell, "mem", &[], point, MountFlags { flag, create });
            assert!(mounted.is_ok(), "{point}: {}", message(mounted));
        }
        let text = ns_text(&shell);
        assert_eq!(
            text,
            "mount -a mem /dev\nmount -c mem /lib\nmount mem /n\nmount -b -c mem /n\nmount -b mem /tmp\n"
        );
        let mut fresh = bare_shell();
        for line in text.lines() {
            let words: Vec<&str> = line.split(' ').collect();
            let (flag, create, rest) = match &words[1..] {
                ["-a", rest @ ..] => (MountFlag::After, false, rest),
                ["-b", "-c", rest @ ..] => (MountFlag::Before, true, rest),
                ["-b", rest @ ..] => (MountFlag::Before, false, rest),
                ["-c", rest @ ..] => (MountFlag::Replace, true, rest),
                rest => (MountFlag::Replace, false, rest),
            };
            let replayed = mount(
                &mut fresh,
                rest[0],
                &[],
                rest[1],
                MountFlags { flag, create },
            );
            assert!(replayed.is_ok(), "{line}: {}", message(replayed));
        }
        assert_eq!(ns_text(&fresh), text);
    }

    #[test]
    fn mount_cow_overlays_a_subtree_and_replays_from_ns() {
        let mut shell = bare_shell();
        assert!(mkdir(&shell, "/tmp/src/d", true).is_ok());
        assert!(mkdir(&shell, "/tmp/c", false).is_ok());
        assert!(write(&shell, "/tmp/src/d/f", b"base", false).is_ok());
        assert!(
            mount(
                &mut shell,
                "cow",
                &["/tmp/src".into()],
                "/tmp/c",
                MountFlags::default()
            )
            .is_ok()
        );
        assert!(write(&shell, "/tmp/c/d/f", b"upper", false).is_ok());
        assert!(remove(&shell, "/tmp/c/d/f", false).is_ok());
        assert!(write(&shell, "/tmp/c/new", b"n", false).is_ok());
        assert_eq!(read(&shell, "/tmp/src/d/f").ok(), Some(b"base".to_vec()));
        assert_eq!(
            message(cow_diff_text(&shell, "/tmp/c")),
            "ok: \"D /tmp/c/d/f\\nA /tmp/c/new\\n\""
        );
        assert_eq!(ns_text(&shell), "mount cow /tmp/src /tmp/c\n");
        // Replaying the table builds a fresh overlay of the same source.
        let mut fresh = bare_shell();
        assert!(mkdir(&fresh, "/tmp/src", true).is_ok());
        assert!(mkdir(&fresh, "/tmp/c", true).is_ok());
        let replay = mount(
            &mut fresh,
            "cow",
            &["/tmp/src".into()],
            "/tmp/c",
            MountFlags::default(),
        );
        assert!(replay.is_ok(), "{}", message(replay));
        assert_eq!(ns_text(&fresh), ns_text(&shell));
    }

    #[test]
    fn mount_cow_refuses_unions_files_and_missing_sources() {
        let mut shell = shell_with(&["/u", "/c", "/f"]);
        let union = MountFlags {
            flag: MountFlag::Before,
            create: false,
        };
        assert!(mount(&mut shell, "mem", &[], "/u", union).is_ok());
        assert_eq!(
            message(mount_cow(&mut shell, "/u", "/c", MountFlags::default())),
            "mount: cow: /u is a union of 2 services; cow overlays one"
        );
        assert_eq!(
            message(mount_cow(&mut shell, "/nope", "/c", MountFlags::default())),
            "mount: /nope: file does not exist"
        );
        assert!(write(&shell, "/f/x", b"", false).is_ok());
        assert_eq!(
            message(mount_cow(&mut shell, "/f/x", "/c", MountFlags::default())),
            "mount: /f/x: not a directory"
        );
        assert_eq!(
            message(mount(&mut shell, "cow", &[], "/c", MountFlags::default())),
            "mount: cow: takes one argument, the directory to overlay"
        );
        assert_eq!(
            message(cow_diff(&shell, "/u")),
            "cowdiff: /u: cowdiff is not supported by this service"
        );
        assert_eq!(
            message(cow_diff(&shell, "/c")),
            "cowdiff: /c: cowdiff is not supported by this service"
        );
    }

    #[test]
    fn mount_commands_quote_what_rc_would_split() {
        let record = MountRecord {
            point: "/n/my dir".into(),
            kind: "host".into(),
            args: vec!["it's".into(), "plain".into()],
            flag: MountFlag::After,
            create: true,
        };
        assert_eq!(
            mount_command(&record),
            "mount -a -c host 'it''s' plain '/n/my dir'"
        );
        let flaglike = MountRecord {
            kind: "-x".into(),
            args: vec![],
            flag: MountFlag::Replace,
            create: false,
            ..record
        };
        assert_eq!(mount_command(&flaglike), "mount -- -x '/n/my dir'");
    }
}
