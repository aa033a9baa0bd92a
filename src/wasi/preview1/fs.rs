//! The `fd_*` imports: reading, writing, seeking and describing open descriptors.
//!
//! Reads and writes go straight between guest memory and the [`FdTable`] entry (a shared
//! stream, a namespace [`FileHandle`]), one iovec at a time and stopping at the first short
//! read, as `readv` does; every iovec is honoured, not only the first. A stream write
//! gathers its iovecs into one write so lines from concurrent writers never interleave
//! mid-line. Layouts (fdstat 24 bytes, filestat 64, prestat 8, dirent 24 + name) are the
//! witx's. This module must never resolve a path (that is [`super::path`]) and never trust
//! an fd, pointer, length, offset or whence without checking it.
//!
//! [`FdTable`]: crate::wasi::fdtable::FdTable
//! [`FileHandle`]: crate::ns::FileHandle

use std::io::SeekFrom;
use std::time::UNIX_EPOCH;

use super::{Answer, Task};
use crate::ns::{FileKind, Namespace, OpenFlags, Stat, path as ns_path};
use crate::wasi::errno::Errno;
use crate::wasi::fdtable::{Entry, OpenFile, rights};
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

/// Largest chunk of zeros written at once when a file grows.
const ZERO_CHUNK: usize = 64 * 1024;

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

fn file(entry: &mut Entry) -> Result<&mut OpenFile, Errno> {
    match entry {
        Entry::File(file) => Ok(file),
        Entry::Stream(_) => Err(Errno::SPipe),
        Entry::Dir(_) => Err(Errno::IsDir),
    }
}

fn count(total: u64) -> u32 {
    u32::try_from(total).unwrap_or(u32::MAX)
}

pub fn fd_read(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    iovs: u32,
    len: u32,
    nread: u32,
) -> Answer {
    let iovecs = mem.iovecs(iovs, len)?;
    mem.slice(nread, 4)?;
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_READ)?;
    let mut total = 0u64;
    for iovec in iovecs {
        let buf = mem.slice_mut(iovec.ptr, iovec.len)?;
        if buf.is_empty() {
            continue;
        }
        let read = match entry {
            Entry::Stream(stream) => stream.read(buf),
            Entry::File(file) => file.handle()?.read(buf).map_err(Errno::from),
            Entry::Dir(_) => Err(Errno::IsDir),
        };
        match read {
            Ok(n) => {
                total += n as u64;
                if n < buf.len() {
                    break;
                }
            }
            // What was read before the error is delivered, as `readv` does.
            Err(_) if total > 0 => break,
            Err(errno) => return Err(errno.into()),
        }
    }
    mem.write_u32(nread, count(total))?;
    Ok(())
}

/// Writes all of `buf` to a file handle (a service may take it in pieces).
fn write_file(file: &mut OpenFile, buf: &[u8]) -> Result<u64, Errno> {
    let handle = file.handle()?;
    let mut done = 0;
    while done < buf.len() {
        let n = handle.write(&buf[done..])?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done as u64)
}

pub fn fd_write(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    iovs: u32,
    len: u32,
    nwritten: u32,
) -> Answer {
    let iovecs = mem.iovecs(iovs, len)?;
    mem.slice(nwritten, 4)?;
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_WRITE)?;
    let mut total = 0u64;
    match entry {
        Entry::Stream(stream) => {
            if let [only] = iovecs.as_slice() {
                let buf = mem.slice(only.ptr, only.len)?;
                stream.write_all(buf)?;
                total = buf.len() as u64;
            } else {
                let mut gathered = Vec::new();
                for iovec in &iovecs {
                    gathered.extend_from_slice(mem.slice(iovec.ptr, iovec.len)?);
                }
                stream.write_all(&gathered)?;
                total = gathered.len() as u64;
            }
        }
        Entry::File(file) => {
            if file.append {
                file.handle()?.seek(SeekFrom::End(0))?;
            }
            for iovec in iovecs {
                let buf = mem.slice(iovec.ptr, iovec.len)?;
                match write_file(file, buf) {
                    Ok(n) => total += n,
                    Err(_) if total > 0 => break,
                    Err(errno) => return Err(errno.into()),
                }
            }
        }
        Entry::Dir(_) => return Err(Errno::IsDir.into()),
    }
    mem.write_u32(nwritten, count(total))?;
    Ok(())
}

/// Runs `op` at `offset`, then puts the file's position back (pread/pwrite semantics).
fn at_offset<T>(
    file: &mut OpenFile,
    offset: u64,
    op: impl FnOnce(&mut OpenFile) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let handle = file.handle()?;
    let saved = handle.seek(SeekFrom::Current(0))?;
    handle.seek(SeekFrom::Start(offset))?;
    let result = op(file);
    file.handle()?.seek(SeekFrom::Start(saved))?;
    result
}

pub fn fd_pread(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    iovs: u32,
    len: u32,
    offset: u64,
    nread: u32,
) -> Answer {
    let iovecs = mem.iovecs(iovs, len)?;
    mem.slice(nread, 4)?;
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_READ | rights::FD_SEEK)?;
    let file = file(entry)?;
    let total = at_offset(file, offset, |file| {
        let mut total = 0u64;
        for iovec in iovecs {
            let buf = mem.slice_mut(iovec.ptr, iovec.len)?;
            let n = file.handle()?.read(buf)?;
            total += n as u64;
            if n < buf.len() {
                break;
            }
        }
        Ok(total)
    })?;
    mem.write_u32(nread, count(total))?;
    Ok(())
}

pub fn fd_pwrite(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    iovs: u32,
    len: u32,
    offset: u64,
    nwritten: u32,
) -> Answer {
    let iovecs = mem.iovecs(iovs, len)?;
    mem.slice(nwritten, 4)?;
    let entry = task.fds.get(fd)?;
    entry.require(rights::FD_WRITE | rights::FD_SEEK)?;
    let file = file(entry)?;
    let total = at_offset(file, offset, |file| {
        let mut total = 0u64;
        for iovec in iovecs {
            total += write_file(file, mem.slice(iovec.ptr, iovec.len)?)?;
        }
        Ok(total)
    })?;
    mem.write_u32(nwritten, count(total))?;
    Ok(())
}

/// The position a seek lands on, computed here so that every service answers a negative or
/// overflowing target alike: `EINVAL`.
fn seek_target(
    file: &mut OpenFile,
    ns: &Namespace,
    offset: i64,
    whence: u32,
) -> Result<u64, Errno> {
    let base = match whence {
        0 => 0,
        1 => file.handle()?.seek(SeekFrom::Current(0))?,
        2 => ns.stat(&file.path)?.size,
        _ => return Err(Errno::Inval),
    };
    base.checked_add_signed(offset).ok_or(Errno::Inval)
}

pub fn fd_seek(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    offset: u64,
    whence: u32,
    new_offset: u32,
) -> Answer {
    mem.slice(new_offset, 8)?;
    let ns = task.ns.clone();
    let entry = task.fds.get(fd)?;
    if whence > 2 {
        return Err(Errno::Inval.into());
    }
    let needed = if whence == 1 && offset == 0 {
        rights::FD_TELL
    } else {
        rights::FD_SEEK
    };
    let file = file(entry)?;
    file.rights_check(needed)?;
    let target = seek_target(file, &ns, offset as i64, whence)?;
    let landed = file.handle()?.seek(SeekFrom::Start(target))?;
    mem.write_u64(new_offset, landed)?;
    Ok(())
}

pub fn fd_tell(mem: &mut GuestMemory, task: &mut Task, fd: u32, offset: u32) -> Answer {
    fd_seek(mem, task, fd, 0, 1, offset)
}

impl OpenFile {
    fn rights_check(&self, needed: u64) -> Result<(), Errno> {
        if self.rights.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::NotCapable)
        }
    }
}

pub fn fd_close(_mem: &mut GuestMemory, task: &mut Task, fd: u32) -> Answer {
    task.fds.close(fd)?;
    Ok(())
}

/// `fd_sync` and `fd_datasync`: every service is synchronous, so a write has already
/// reached it; there is nothing to flush.
pub fn fd_sync(_mem: &mut GuestMemory, task: &mut Task, fd: u32) -> Answer {
    task.fds.get(fd)?;
    Ok(())
}

pub fn fd_advise(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _offset: u64,
    _len: u64,
    advice: u32,
) -> Answer {
    let entry = task.fds.get(fd)?;
    if advice > 5 {
        return Err(Errno::Inval.into());
    }
    file(entry)?;
    Ok(())
}

/// Makes the file at least `size` bytes long by writing zeros at its end.
fn grow(file: &mut OpenFile, ns: &Namespace, size: u64) -> Result<(), Errno> {
    let current = ns.stat(&file.path)?.size;
    if size <= current {
        return Ok(());
    }
    let handle = file.handle()?;
    let saved = handle.seek(SeekFrom::Current(0))?;
    handle.seek(SeekFrom::End(0))?;
    let zeros = [0u8; ZERO_CHUNK];
    let mut left = size - current;
    while left > 0 {
        let chunk = usize::try_from(left).map_or(ZERO_CHUNK, |left| left.min(ZERO_CHUNK));
        let n = handle.write(&zeros[..chunk])?;
        if n == 0 {
            return Err(Errno::Io);
        }
        left -= n as u64;
    }
    handle.seek(SeekFrom::Start(saved))?;
    Ok(())
}

/// Sets the length of an open file. `FileHandle` has no truncate, so shrinking keeps the
/// first `size` bytes, reopens the path truncated and writes them back (it holds those
/// bytes in host memory meanwhile).
fn resize(file: &mut OpenFile, ns: &Namespace, size: u64) -> Result<(), Errno> {
    let current = ns.stat(&file.path)?.size;
    if size >= current {
        return grow(file, ns, size);
    }
    let keep = usize::try_from(size).map_err(|_| Errno::Overflow)?;
    let mut prefix = vec![0u8; keep];
    at_offset(file, 0, |file| {
        let handle = file.handle()?;
        let mut filled = 0;
        while filled < keep {
            let n = handle.read(&mut prefix[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        Ok(())
    })?;
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
    *entry.rights_mut() = crate::wasi::fdtable::Rights { base, inheriting };
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
        Entry::File(OpenFile { path, .. })
        | Entry::Dir(crate::wasi::fdtable::OpenDir { path, .. }) => {
            let found = ns.stat(path)?;
            write_filestat(mem, stat, path, &found)
        }
    }
}

pub fn fd_prestat_get(mem: &mut GuestMemory, task: &mut Task, fd: u32, prestat: u32) -> Answer {
    // wasi-libc scans fds from 3 until EBADF: anything but a preopen must say EBADF.
    let name_len = match task.fds.get(fd)? {
        Entry::Dir(dir) => dir.preopen.as_ref().map(String::len).ok_or(Errno::BadF)?,
        _ => return Err(Errno::BadF.into()),
    };
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
    let name = match task.fds.get(fd)? {
        Entry::Dir(dir) => dir.preopen.as_deref().ok_or(Errno::BadF)?,
        _ => return Err(Errno::BadF.into()),
    };
    if (path_len as usize) < name.len() {
        return Err(Errno::NameTooLong.into());
    }
    mem.write_bytes(path, name.as_bytes())?;
    Ok(())
}

pub fn fd_renumber(_mem: &mut GuestMemory, task: &mut Task, fd: u32, to: u32) -> Answer {
    task.fds.renumber(fd, to)?;
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
    if cookie == 0 {
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
