//! The `fd_*` imports that move bytes: read, write, pread, pwrite, seek, tell, close,
//! sync, advise, renumber.
//!
//! Reads and writes go straight between guest memory and the [`FdTable`] entry (a shared
//! stream, a namespace [`FileHandle`]), one iovec at a time and stopping at the first short
//! read, as `readv` does; every iovec is honoured, not only the first. A stream write
//! gathers its iovecs into one write so lines from concurrent writers never interleave
//! mid-line. Seeks are computed here, so every service answers a bad whence or a negative
//! target alike (`EINVAL`), and a stream cannot seek (`ESPIPE`). This module must never
//! resolve a path (that is [`super::path`]) and never trust an fd, pointer, length, offset
//! or whence without checking it.
//!
//! [`FdTable`]: crate::wasi::fdtable::FdTable
//! [`FileHandle`]: crate::ns::FileHandle

use std::io::SeekFrom;

use super::{Answer, Task};
use crate::ns::Namespace;
use crate::wasi::errno::Errno;
use crate::wasi::fdtable::{Entry, OpenFile, rights};
use crate::wasi::memory::{GuestMemory, IoVec};

pub(super) fn file(entry: &mut Entry) -> Result<&mut OpenFile, Errno> {
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
pub(super) fn at_offset<T>(
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

/// The shape `fd_pread` and `fd_pwrite` share: check the result slot and the rights, run
/// `transfer` on each iovec at `offset` until one comes back short, report the byte count.
fn positioned(
    mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    iovs: u32,
    len: u32,
    offset: u64,
    done: u32,
    needed: u64,
    mut transfer: impl FnMut(&mut GuestMemory, &mut OpenFile, IoVec) -> Result<(u64, bool), Errno>,
) -> Answer {
    let iovecs = mem.iovecs(iovs, len)?;
    mem.slice(done, 4)?;
    let entry = task.fds.get(fd)?;
    entry.require(needed)?;
    let total = at_offset(file(entry)?, offset, |file| {
        let mut total = 0u64;
        for iovec in iovecs {
            let (moved, short) = transfer(mem, file, iovec)?;
            total += moved;
            if short {
                break;
            }
        }
        Ok(total)
    })?;
    mem.write_u32(done, count(total))?;
    Ok(())
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
    let needed = rights::FD_READ | rights::FD_SEEK;
    positioned(
        mem,
        task,
        fd,
        iovs,
        len,
        offset,
        nread,
        needed,
        |mem, file, iovec| {
            let buf = mem.slice_mut(iovec.ptr, iovec.len)?;
            let n = file.handle()?.read(buf)?;
            Ok((n as u64, n < buf.len()))
        },
    )
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
    let needed = rights::FD_WRITE | rights::FD_SEEK;
    positioned(
        mem,
        task,
        fd,
        iovs,
        len,
        offset,
        nwritten,
        needed,
        |mem, file, iovec| {
            let buf = mem.slice(iovec.ptr, iovec.len)?;
            let n = write_file(file, buf)?;
            Ok((n, n < buf.len() as u64))
        },
    )
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

pub fn fd_renumber(_mem: &mut GuestMemory, task: &mut Task, fd: u32, to: u32) -> Answer {
    task.fds.renumber(fd, to)?;
    Ok(())
}
