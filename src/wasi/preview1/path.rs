//! The `path_*` imports: names resolved against a directory fd, inside the namespace.
//!
//! A guest names a file as (directory fd, relative path). [`target`] is the one place that
//! turns that into a namespace path: the fd must be a directory the table gave out, the
//! path must be relative (an absolute one is `ENOTCAPABLE`, as preview1 says: a guest's
//! libc strips the preopen's `/` before calling), and it is joined and cleaned by
//! [`crate::ns::path::resolve`]. Cleaning is lexical, Plan 9 style: `..` at `/` stays at
//! `/`, so `../../etc/passwd` from the root names `/etc/passwd` *of the namespace*, which is
//! all a guest can ever see; no path reaches the host. The namespace has no links and no
//! settable times: those imports check their arguments and answer `ENOTSUP`. This module
//! must never clean paths by hand nor open anything outside `task.ns`.

use super::meta::write_filestat;
use super::{Answer, Task};
use crate::ns::{FileKind, NsError, OpenFlags, path as ns_path};
use crate::wasi::errno::Errno;
use crate::wasi::fdtable::{Entry, OpenDir, OpenFile, Rights, rights};
use crate::wasi::memory::GuestMemory;

/// `oflags`.
const OFLAGS_CREAT: u32 = 1;
const OFLAGS_DIRECTORY: u32 = 2;
const OFLAGS_EXCL: u32 = 4;
const OFLAGS_TRUNC: u32 = 8;
/// `fdflags::append`.
const FDFLAGS_APPEND: u32 = 1;

/// Path-operation rights a directory fd must hold.
const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
const PATH_OPEN: u64 = 1 << 13;
const PATH_READLINK: u64 = 1 << 15;
const PATH_RENAME_SOURCE: u64 = 1 << 16;
const PATH_RENAME_TARGET: u64 = 1 << 17;
const PATH_FILESTAT_GET: u64 = 1 << 18;
const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
const PATH_UNLINK_FILE: u64 = 1 << 26;

/// A name a guest gave, resolved: the namespace path, and what the text said that cleaning
/// drops (POSIX reads a trailing `/`, `.` or `..` as naming a directory).
struct Named {
    /// The cleaned namespace path.
    full: String,
    /// The directory fd's rights.
    rights: Rights,
    /// The text ended in `/`, `/.` or `/..`: it must name a directory.
    dir_only: bool,
    /// Its last name (trailing slashes aside) was `.` or `..`: `rmdir` and `rename` refuse
    /// such a name, as POSIX says.
    dot_last: Option<Dots>,
}

/// A last name of `.` or `..`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dots {
    One,
    Two,
}

/// The namespace path a guest names with (`fd`, the string at `ptr`/`len`), with the
/// directory's rights checked for `needed`, and the directory's inheriting rights.
fn target(
    mem: &GuestMemory,
    task: &mut Task,
    fd: u32,
    ptr: u32,
    len: u32,
    needed: u64,
) -> Result<Named, Errno> {
    let entry = task.fds.get(fd)?;
    let Entry::Dir(dir) = entry else {
        return Err(Errno::NotDir);
    };
    if dir.rights.base & needed != needed {
        return Err(Errno::NotCapable);
    }
    let relative = mem.string(ptr, len)?;
    if relative.is_empty() {
        return Err(Errno::NoEnt);
    }
    if relative.starts_with('/') {
        return Err(Errno::NotCapable);
    }
    if relative.len() > ns_path::MAX_PATH_LEN
        || relative
            .split('/')
            .any(|name| name.len() > ns_path::MAX_NAME_LEN)
    {
        return Err(Errno::NameTooLong);
    }
    let full = ns_path::resolve(&dir.path, relative).map_err(|_| Errno::Inval)?;
    let last = relative.trim_end_matches('/').rsplit('/').next();
    let dot_last = match last {
        Some(".") => Some(Dots::One),
        Some("..") => Some(Dots::Two),
        _ => None,
    };
    Ok(Named {
        full,
        rights: dir.rights,
        dir_only: relative.ends_with('/') || dot_last.is_some(),
        dot_last,
    })
}

/// The kind of file at `named`, refusing a file named as a directory (`file/`: `ENOTDIR`).
fn kind_of(task: &Task, named: &Named) -> Result<FileKind, Errno> {
    let kind = task.ns.stat(&named.full)?.kind;
    if named.dir_only && kind != FileKind::Dir {
        return Err(Errno::NotDir);
    }
    Ok(kind)
}

fn is_not_found(err: &NsError) -> bool {
    matches!(err, NsError::NotFound { .. })
}

pub fn path_open(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    base: u64,
    inheriting: u64,
    fdflags: u32,
    opened: u32,
) -> Answer {
    // Check the result slot first: a fault must not leave a file created or an fd taken.
    mem.slice(opened, 4)?;
    if oflags & !(OFLAGS_CREAT | OFLAGS_DIRECTORY | OFLAGS_EXCL | OFLAGS_TRUNC) != 0 {
        return Err(Errno::Inval.into());
    }
    let Named {
        full,
        rights: dir_rights,
        dir_only,
        ..
    } = target(mem, task, fd, path, path_len, PATH_OPEN)?;
    // A trailing slash names a directory, as in POSIX, although cleaning drops it.
    let (create, directory) = (
        oflags & OFLAGS_CREAT != 0,
        oflags & OFLAGS_DIRECTORY != 0 || dir_only,
    );
    let (exclusive, truncate) = (oflags & OFLAGS_EXCL != 0, oflags & OFLAGS_TRUNC != 0);
    // A new fd holds what it asked for and its directory may hand down, nothing more.
    let granted = Rights {
        base: base & dir_rights.inheriting,
        inheriting: inheriting & dir_rights.inheriting,
    };
    let existing = match task.ns.stat(&full) {
        Ok(stat) => Some(stat.kind),
        Err(err) if is_not_found(&err) => None,
        Err(err) => return Err(err.into()),
    };
    let entry = match existing {
        Some(FileKind::Dir) => {
            if create && exclusive {
                return Err(Errno::Exist.into());
            }
            if truncate || (!directory && granted.base & rights::FD_WRITE != 0) {
                return Err(Errno::IsDir.into());
            }
            Entry::Dir(OpenDir {
                path: full,
                preopen: None,
                listing: Vec::new(),
                rights: granted,
            })
        }
        // Linux: creating `file/` is `EISDIR` (a directory is what the name asks for);
        // opening it is `ENOTDIR`.
        Some(FileKind::File) if dir_only && create => return Err(Errno::IsDir.into()),
        Some(FileKind::File) if directory => return Err(Errno::NotDir.into()),
        Some(FileKind::File) if create && exclusive => return Err(Errno::Exist.into()),
        None if !create => return Err(Errno::NoEnt.into()),
        None if directory => return Err(Errno::Inval.into()),
        _ => {
            let mut read = granted.base & rights::FD_READ != 0;
            let write = granted.base & rights::FD_WRITE != 0;
            if !read && !write {
                // Opened only to be described (`stat` through an fd): read access suffices.
                read = true;
            }
            let flags = OpenFlags {
                read,
                write,
                create,
                exclusive,
                truncate,
                append: fdflags & FDFLAGS_APPEND != 0,
            };
            let handle = task.ns.open(&full, flags)?;
            let granted = Rights {
                base: granted.base & rights::FILE,
                inheriting: 0,
            };
            Entry::File(OpenFile::new(handle, full, flags.append, granted))
        }
    };
    let new_fd = task.fds.insert(entry)?;
    mem.write_u32(opened, new_fd)?;
    Ok(())
}

pub fn path_create_directory(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Answer {
    let named = target(mem, task, fd, path, path_len, PATH_CREATE_DIRECTORY)?;
    task.ns.mkdir(&named.full)?;
    Ok(())
}

pub fn path_filestat_get(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _flags: u32,
    path: u32,
    path_len: u32,
    stat: u32,
) -> Answer {
    mem.slice(stat, 64)?;
    let named = target(mem, task, fd, path, path_len, PATH_FILESTAT_GET)?;
    kind_of(task, &named)?;
    let found = task.ns.stat(&named.full)?;
    write_filestat(mem, stat, &named.full, &found)
}

pub fn path_remove_directory(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Answer {
    let named = target(mem, task, fd, path, path_len, PATH_REMOVE_DIRECTORY)?;
    // POSIX: `rmdir("dir/.")` is `EINVAL`; `dir/..` names a parent that is never empty.
    match named.dot_last {
        Some(Dots::One) => return Err(Errno::Inval.into()),
        Some(Dots::Two) => return Err(Errno::NotEmpty.into()),
        None => {}
    }
    if kind_of(task, &named)? != FileKind::Dir {
        return Err(Errno::NotDir.into());
    }
    task.ns.remove(&named.full)?;
    Ok(())
}

pub fn path_unlink_file(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Answer {
    let named = target(mem, task, fd, path, path_len, PATH_UNLINK_FILE)?;
    if task.ns.stat(&named.full)?.kind == FileKind::Dir {
        return Err(Errno::IsDir.into());
    }
    kind_of(task, &named)?;
    task.ns.remove(&named.full)?;
    Ok(())
}

pub fn path_rename(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> Answer {
    let from = target(mem, task, fd, old_path, old_len, PATH_RENAME_SOURCE)?;
    let to = target(mem, task, new_fd, new_path, new_len, PATH_RENAME_TARGET)?;
    if from.dot_last.is_some() || to.dot_last.is_some() {
        return Err(Errno::Inval.into());
    }
    let source = kind_of(task, &from)?;
    if to.dir_only && source != FileKind::Dir {
        return Err(Errno::NotDir.into());
    }
    if from.full == to.full {
        return Ok(());
    }
    if source == FileKind::Dir && ns_path::is_under(&to.full, &from.full) {
        return Err(Errno::Inval.into());
    }
    let existing = match task.ns.stat(&to.full) {
        Ok(stat) => Some(stat.kind),
        Err(err) if is_not_found(&err) => None,
        Err(err) => return Err(err.into()),
    };
    match (source, existing) {
        (FileKind::Dir, Some(FileKind::File)) => Err(Errno::NotDir.into()),
        (FileKind::File, Some(FileKind::Dir)) => Err(Errno::IsDir.into()),
        (FileKind::Dir, Some(FileKind::Dir)) => replace_directory(task, &from.full, &to.full),
        _ => Ok(task.ns.rename(&from.full, &to.full)?),
    }
}

/// POSIX `rename` of a directory onto an empty one: the empty one goes, the other takes its
/// name. Namespace services refuse a rename onto a directory, so the empty one is removed
/// first, and made again if the rename then fails (a cross-mount rename, a refusing
/// service), so a failed call leaves both names as they were.
fn replace_directory(task: &mut Task, from: &str, to: &str) -> Answer {
    if !task.ns.readdir(to)?.is_empty() {
        return Err(Errno::NotEmpty.into());
    }
    task.ns.remove(to)?;
    if let Err(err) = task.ns.rename(from, to) {
        let _ = task.ns.mkdir(to);
        return Err(err.into());
    }
    Ok(())
}

/// Nothing in the namespace is a symbolic link: an existing name is `EINVAL` (not a link),
/// as `readlink` answers for a plain file.
pub fn path_readlink(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> Answer {
    mem.slice(buf, buf_len)?;
    mem.slice(bufused, 4)?;
    let named = target(mem, task, fd, path, path_len, PATH_READLINK)?;
    task.ns.stat(&named.full)?;
    Err(Errno::Inval.into())
}

pub fn path_symlink(
    mem: &mut GuestMemory,
    task: &mut Task,
    old_path: u32,
    old_len: u32,
    fd: u32,
    new_path: u32,
    new_len: u32,
) -> Answer {
    mem.string(old_path, old_len)?;
    target(mem, task, fd, new_path, new_len, 0)?;
    Err(Errno::NotSup.into())
}

pub fn path_link(
    mem: &mut GuestMemory,
    task: &mut Task,
    old_fd: u32,
    _old_flags: u32,
    old_path: u32,
    old_len: u32,
    new_fd: u32,
    new_path: u32,
    new_len: u32,
) -> Answer {
    target(mem, task, old_fd, old_path, old_len, 0)?;
    target(mem, task, new_fd, new_path, new_len, 0)?;
    Err(Errno::NotSup.into())
}

pub fn path_filestat_set_times(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _flags: u32,
    path: u32,
    path_len: u32,
    _atim: u64,
    _mtim: u64,
    _fst_flags: u32,
) -> Answer {
    let named = target(mem, task, fd, path, path_len, 0)?;
    task.ns.stat(&named.full)?;
    Err(Errno::NotSup.into())
}
