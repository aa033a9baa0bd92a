//! The `fd_*` imports that describe and resize: fdstat, filestat, sizes, prestat, and
//! directory listings (`fd_readdir`).
//!
//! Layouts are the witx's: fdstat 24 bytes, filestat 64, prestat 8, dirent 24 + name.
//! Standard streams are described as character devices (wasi-libc then line-buffers
//! stdout); inode numbers are a hash of the namespace path, never 0. This module must never
//! move file contents except to resize a file, and never trust a guest pointer unchecked.

use std::time::UNIX_EPOCH;

use super::fs::{at_offset, file};
use super::{Answer, Task};
use crate::ns::{FileKind, Namespace, OpenFlags, Stat, path as ns_path};
use crate::wasi::errno::Errno;
use crate::wasi::fdtable::{Entry, OpenDir, OpenFile, Rights, rights};
use crate::wasi::memory::GuestMemory;

/// Preview1 `filetype` values.
pub mod filetype {
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
}

/// `fdflags`.
const FDFLAGS_APPEND: u32 = 1;
const FDFLAGS_DSYNC: u32 = 2;
const FDFLAGS_NONBLOCK: u32 = 4;
const FDFLAGS_RSYNC: u32 = 8;
const FDFLAGS_SYNC: u32 = 16;

/// A stable, non-zero inode number for a namespace path (FNV-1a). wasi-libc's `readdir`
/// looks an entry up again when `d_ino` is 0, so 0 is never given out.
pub fn inode(path: &str) -> u64 {
    let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    hash | 1
}

pub fn kind_filetype(kind: FileKind) -> u8 {
    match kind {
        FileKind::File => filetype::REGULAR_FILE,
        FileKind::Dir => filetype::DIRECTORY,
    }
}

/// Writes a 64-byte `filestat` for `stat` found at `path`.
pub fn write_filestat(mem: &mut GuestMemory, ptr: u32, path: &str, stat: &Stat) -> Answer {
    let nanos = stat
        .modified
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |age| u64::try_from(age.as_nanos()).unwrap_or(u64::MAX));
    write_filestat_raw(
        mem,
        ptr,
        inode(path),
        kind_filetype(stat.kind),
        stat.size,
        nanos,
    )
}

fn write_filestat_raw(
    mem: &mut GuestMemory,
    ptr: u32,
    ino: u64,
    filetype: u8,
    size: u64,
    time: u64,
) -> Answer {
    let mut bytes = [0u8; 64];
    bytes[8..16].copy_from_slice(&ino.to_le_bytes());
    bytes[16] = filetype;
    bytes[24..32].copy_from_slice(&1u64.to_le_bytes()); // nlink
    bytes[32..40].copy_from_slice(&size.to_le_bytes());
    for at in [40, 48, 56] {
        bytes[at..at + 8].copy_from_slice(&time.to_le_bytes());
    }
    mem.write_bytes(ptr, &bytes)?;
    Ok(())
}

/// Makes the file at least `size` bytes long: one zero byte written at `size - 1` leaves a
/// hole of zeros before it, as on Unix (every service zero-fills a write past the end), and
/// a service's own size limit answers for a size too large.
fn grow(file: &mut OpenFile, ns: &Namespace, size: u64) -> Result<(), Errno> {
    if size <= ns.stat(&file.path)?.size {
        return Ok(());
    }
    at_offset(file, size - 1, |file| match file.handle()?.write(&[0])? {
        1 => Ok(()),
        _ => Err(Errno::Io),
    })
}

/// Largest length a file may be shrunk *to*: shrinking holds what it keeps in host memory.
const MAX_SHRINK_KEEP: u64 = 64 << 20;

/// Sets the length of an open file. `FileHandle` has no truncate, so shrinking keeps the
/// first `size` bytes, reopens the path truncated and writes them back (it holds those
/// bytes in host memory meanwhile, hence [`MAX_SHRINK_KEEP`]: `EFBIG` above it). The bytes
/// are read through a handle of their own: the guest's may be write-only, as wasi-libc's
/// `truncate(path)` opens it.
fn resize(file: &mut OpenFile, ns: &Namespace, size: u64) -> Result<(), Errno> {
    let current = ns.stat(&file.path)?.size;
    if size >= current {
        return grow(file, ns, size);
    }
    if size > MAX_SHRINK_KEEP {
        return Err(Errno::FBig);
    }
    let keep = usize::try_from(size).map_err(|_| Errno::Overflow)?;
    let mut prefix = vec![0u8; keep];
    let mut reader = ns.open(&file.path, OpenFlags::read())?;
    let mut filled = 0;
    while filled < keep {
        let n = reader.read(&mut prefix[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    reader.close()?;
    let mut rewrite = ns.open(&file.path, OpenFlags::write().truncate())?;
    let mut written = 0;
    while written < prefix.len() {
        let n = rewrite.write(&prefix[written..])?;
        if n == 0 {
            return Err(Errno::Io);
        }
        written += n;
    }
    rewrite.close()?;
    Ok(())
}

pub fn fd_allocate(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    offset: u64,
    len: u64,
) -> Answer {
    let ns = task.ns.clone();
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_ALLOCATE | rights::FD_WRITE)?;
    let end = offset.checked_add(len).ok_or(Errno::Overflow)?;
    grow(file(entry)?, &ns, end)?;
    Ok(())
}

pub fn fd_filestat_set_size(_mem: &mut GuestMemory, task: &mut Task, fd: u32, size: u64) -> Answer {
    let ns = task.ns.clone();
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_FILESTAT_SET_SIZE | rights::FD_WRITE)?;
    resize(file(entry)?, &ns, size)?;
    Ok(())
}

/// Namespace services keep no settable times: `ENOTSUP`, after the fd is checked.
pub fn fd_filestat_set_times(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _atim: u64,
    _mtim: u64,
    _flags: u32,
) -> Answer {
    task.fds.get(fd)?;
    Err(Errno::NotSup.into())
}

pub fn fd_fdstat_get(mem: &mut GuestMemory, task: &mut Task, fd: u32, stat: u32) -> Answer {
    mem.slice(stat, 24)?;
    let entry = task.fds.get(fd)?;
    let (filetype, flags) = match entry {
        Entry::Stream(_) => (filetype::CHARACTER_DEVICE, 0u16),
        Entry::File(file) => (filetype::REGULAR_FILE, if file.append { 1 } else { 0 }),
        Entry::Dir(_) => (filetype::DIRECTORY, 0),
    };
    let granted = entry.rights();
    let mut bytes = [0u8; 24];
    bytes[0] = filetype;
    bytes[2..4].copy_from_slice(&flags.to_le_bytes());
    bytes[8..16].copy_from_slice(&granted.base.to_le_bytes());
    bytes[16..24].copy_from_slice(&granted.inheriting.to_le_bytes());
    mem.write_bytes(stat, &bytes)?;
    Ok(())
}

/// Only `APPEND` changes anything (on files); the sync flags are already true of every
/// service; non-blocking I/O is not offered (`ENOTSUP`).
pub fn fd_fdstat_set_flags(_mem: &mut GuestMemory, task: &mut Task, fd: u32, flags: u32) -> Answer {
    let entry = task.fds.get(fd)?;
    let known = FDFLAGS_APPEND | FDFLAGS_DSYNC | FDFLAGS_NONBLOCK | FDFLAGS_RSYNC | FDFLAGS_SYNC;
    if flags & !known != 0 {
        return Err(Errno::Inval.into());
    }
    if flags & FDFLAGS_NONBLOCK != 0 {
        return Err(Errno::NotSup.into());
    }
    if let Entry::File(file) = entry {
        file.append = flags & FDFLAGS_APPEND != 0;
    }
    Ok(())
}

/// Rights can only be dropped, never gained.
pub fn fd_fdstat_set_rights(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    base: u64,
    inheriting: u64,
) -> Answer {
    let entry = task.fds.get(fd)?;
    let held = entry.rights();
    if base & !held.base != 0 || inheriting & !held.inheriting != 0 {
        return Err(Errno::NotCapable.into());
    }
    *entry.rights_mut() = Rights { base, inheriting };
    Ok(())
}

pub fn fd_filestat_get(mem: &mut GuestMemory, task: &mut Task, fd: u32, stat: u32) -> Answer {
    mem.slice(stat, 64)?;
    let ns = task.ns.clone();
    match task.fds.get(fd)? {
        Entry::Stream(_) => write_filestat_raw(
            mem,
            stat,
            u64::from(fd) + 1,
            filetype::CHARACTER_DEVICE,
            0,
            0,
        ),
        Entry::File(OpenFile { path, .. }) | Entry::Dir(OpenDir { path, .. }) => {
            let found = ns.stat(path)?;
            write_filestat(mem, stat, path, &found)
        }
    }
}

/// The name of the preopen at `fd`. wasi-libc scans fds from 3 until `EBADF`, so anything
/// but a preopen must answer `EBADF`.
fn preopen_name(task: &mut Task, fd: u32) -> Result<&str, Errno> {
    match task.fds.get(fd)? {
        Entry::Dir(dir) => dir.preopen.as_deref().ok_or(Errno::BadF),
        _ => Err(Errno::BadF),
    }
}

pub fn fd_prestat_get(mem: &mut GuestMemory, task: &mut Task, fd: u32, prestat: u32) -> Answer {
    let name_len = preopen_name(task, fd)?.len();
    mem.slice(prestat, 8)?;
    mem.write_u32(prestat, 0)?; // tag 0: a directory
    mem.write_u32(
        prestat + 4,
        u32::try_from(name_len).map_err(|_| Errno::NameTooLong)?,
    )?;
    Ok(())
}

pub fn fd_prestat_dir_name(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Answer {
    let name = preopen_name(task, fd)?;
    if (path_len as usize) < name.len() {
        return Err(Errno::NameTooLong.into());
    }
    mem.write_bytes(path, name.as_bytes())?;
    Ok(())
}

/// Pages through a directory: the listing is taken at cookie 0 (`.` and `..` first, then
/// [`Namespace::readdir`]'s sorted union), and `d_next` of each entry is the cookie of the
/// next. The last entry is cut off when the buffer ends, as preview1 specifies; the guest
/// then asks again from that entry's cookie with a larger buffer.
pub fn fd_readdir(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Answer {
    mem.slice(bufused, 4)?;
    mem.slice(buf, buf_len)?;
    let ns = task.ns.clone();
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_READDIR)?;
    let Entry::Dir(dir) = entry else {
        return Err(Errno::NotDir.into());
    };
    if cookie == 0 || dir.listing.is_empty() {
        let mut listing = vec![
            (".".to_string(), FileKind::Dir),
            ("..".to_string(), FileKind::Dir),
        ];
        listing.extend(ns.readdir(&dir.path)?.into_iter().map(|e| (e.name, e.kind)));
        dir.listing = listing;
    }
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    let mut used: u32 = 0;
    for (index, (name, kind)) in dir.listing.iter().enumerate().skip(start) {
        let full = match name.as_str() {
            "." => dir.path.clone(),
            ".." => ns_path::parent(&dir.path).to_string(),
            _ => ns_path::join(&dir.path, name),
        };
        let mut record = Vec::with_capacity(24 + name.len());
        record.extend_from_slice(&(index as u64 + 1).to_le_bytes());
        record.extend_from_slice(&inode(&full).to_le_bytes());
        record.extend_from_slice(&(name.len() as u32).to_le_bytes());
        record.extend_from_slice(&[kind_filetype(*kind), 0, 0, 0]);
        record.extend_from_slice(name.as_bytes());
        let room = (buf_len - used) as usize;
        let take = record.len().min(room);
        mem.write_bytes(buf + used, &record[..take])?;
        used += take as u32;
        if take < record.len() {
            break;
        }
    }
    mem.write_u32(bufused, used)?;
    Ok(())
}
