//! One guest's file descriptor table: the only way its fd numbers reach anything.
//!
//! Every `fd_*`, `path_*` and `poll_oneoff` call goes through one [`FdTable`]: 0, 1 and 2 are
//! the task's standard streams (shared [`Fd`]s of the shell's `Io`, so pipes stream), 3 is
//! the preopened directory `/` (the root of the task's namespace), and `path_open` adds open
//! namespace files ([`FileHandle`]s) and directories. A number the table never gave out, or
//! one since closed, is `EBADF`; there is no path from a number to a host descriptor. Rights
//! follow preview1: the preopen grants every right and every inheriting right (wasi-libc
//! masks `path_open`'s rights with them), a file has read and/or write rights from how it
//! was opened, and a standard stream has no seek or tell rights, so wasi-libc treats it as a
//! character device and line-buffers it. This module must never resolve or clean paths (the
//! imports do that with [`crate::ns::path`]) nor touch guest memory.

use std::io::{Read, Write};

use super::errno::Errno;
use crate::ns::{FileHandle, FileKind};
use crate::proc::io::Fd;

/// Preview1 rights bits (`rights` in the witx).
pub mod rights {
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    /// Every right preview1 defines (bits 0 to 29).
    pub const ALL: u64 = (1 << 30) - 1;
    /// What a regular file may be granted.
    pub const FILE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | POLL_FD_READWRITE;
    /// What a standard stream is granted: no seek, no tell.
    pub const STREAM: u64 =
        FD_READ | FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
}

/// Most descriptors one guest may hold open at once.
pub const MAX_FDS: usize = 1024;

/// The fd of the preopened root directory: [`FdTable::new`] puts it fourth (for tests,
/// which check that it does).
#[cfg(test)]
pub const PREOPEN_FD: u32 = 3;

/// A base/inheriting rights pair, as `fd_fdstat_get` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rights {
    pub base: u64,
    pub inheriting: u64,
}

/// One of the task's standard streams.
pub struct Stream {
    pub fd: Fd,
    pub rights: Rights,
}

/// A lock poisoned by a panicking writer still guards usable bytes (as in `eval::io`).
fn lock<T: ?Sized>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Stream {
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        match &self.fd {
            Fd::Read(reader) => lock(reader).read(buf).map_err(Errno::from),
            Fd::ReadWrite(stream) => lock(stream).read(buf).map_err(Errno::from),
            Fd::Write(_) | Fd::Closed => Err(Errno::BadF),
        }
    }

    /// Writes all of `buf` under one lock, so concurrent writers interleave whole writes.
    pub fn write_all(&self, buf: &[u8]) -> Result<(), Errno> {
        match &self.fd {
            Fd::Write(writer) => {
                let mut writer = lock(writer);
                writer.write_all(buf)?;
                writer.flush().map_err(Errno::from)
            }
            Fd::ReadWrite(stream) => {
                let mut stream = lock(stream);
                stream.write_all(buf)?;
                stream.flush().map_err(Errno::from)
            }
            Fd::Read(_) | Fd::Closed => Err(Errno::BadF),
        }
    }
}

/// A namespace file opened by `path_open`.
pub struct OpenFile {
    /// `None` once closed (closing reports the service's answer once).
    handle: Option<Box<dyn FileHandle>>,
    /// The clean namespace path it was opened at, for `fd_filestat_get` and resizing.
    pub path: String,
    /// `FDFLAGS_APPEND`: every write goes to the end.
    pub append: bool,
    pub rights: Rights,
}

impl OpenFile {
    pub fn new(handle: Box<dyn FileHandle>, path: String, append: bool, rights: Rights) -> Self {
        OpenFile {
            handle: Some(handle),
            path,
            append,
            rights,
        }
    }

    pub fn handle(&mut self) -> Result<&mut Box<dyn FileHandle>, Errno> {
        self.handle.as_mut().ok_or(Errno::BadF)
    }

    fn close(&mut self) -> Result<(), Errno> {
        match self.handle.take() {
            Some(mut handle) => handle.close().map_err(Errno::from),
            None => Ok(()),
        }
    }
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        // A guest that exits without closing still delivers what control files act on.
        let _ = self.close();
    }
}

/// A directory opened by `path_open`, or the preopen.
pub struct OpenDir {
    /// The clean namespace path of the directory.
    pub path: String,
    /// The name `fd_prestat_dir_name` reports, for the preopen only.
    pub preopen: Option<String>,
    /// The listing `fd_readdir` pages through: taken at cookie 0, so a guest walking the
    /// directory sees one consistent snapshot (`.` and `..` first).
    pub listing: Vec<(String, FileKind)>,
    pub rights: Rights,
}

/// What one descriptor refers to.
pub enum Entry {
    Stream(Stream),
    File(OpenFile),
    Dir(OpenDir),
}

impl Entry {
    pub fn rights(&self) -> Rights {
        match self {
            Entry::Stream(stream) => stream.rights,
            Entry::File(file) => file.rights,
            Entry::Dir(dir) => dir.rights,
        }
    }

    pub fn rights_mut(&mut self) -> &mut Rights {
        match self {
            Entry::Stream(stream) => &mut stream.rights,
            Entry::File(file) => &mut file.rights,
            Entry::Dir(dir) => &mut dir.rights,
        }
    }

    /// `ENOTCAPABLE` unless the descriptor holds every right in `needed`.
    pub fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.rights().base & needed == needed {
            Ok(())
        } else {
            Err(Errno::NotCapable)
        }
    }
}

/// The table itself: index = fd number.
pub struct FdTable {
    slots: Vec<Option<Entry>>,
}

impl FdTable {
    /// 0, 1, 2 as the given streams, 3 as the preopened namespace root `/`.
    pub fn new(stdin: Fd, stdout: Fd, stderr: Fd) -> FdTable {
        let stream = |fd: Fd, base: u64| {
            Some(Entry::Stream(Stream {
                fd,
                rights: Rights {
                    base,
                    inheriting: 0,
                },
            }))
        };
        let no_write = rights::STREAM & !rights::FD_WRITE;
        let no_read = rights::STREAM & !rights::FD_READ;
        let root = OpenDir {
            path: "/".into(),
            preopen: Some("/".into()),
            listing: Vec::new(),
            rights: Rights {
                base: rights::ALL,
                inheriting: rights::ALL,
            },
        };
        FdTable {
            slots: vec![
                stream(stdin, no_write),
                stream(stdout, no_read),
                stream(stderr, no_read),
                Some(Entry::Dir(root)),
            ],
        }
    }

    pub fn get(&mut self, fd: u32) -> Result<&mut Entry, Errno> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::BadF)
    }

    /// The directory at `fd`: `EBADF` if there is none, `ENOTDIR` if it is not a directory.
    /// (The calls match on [`Entry`] themselves; the tests use this.)
    #[cfg(test)]
    pub fn dir(&mut self, fd: u32) -> Result<&mut OpenDir, Errno> {
        match self.get(fd)? {
            Entry::Dir(dir) => Ok(dir),
            _ => Err(Errno::NotDir),
        }
    }

    /// Puts `entry` at the lowest free number, as POSIX `open` does.
    pub fn insert(&mut self, entry: Entry) -> Result<u32, Errno> {
        let index = match self.slots.iter().position(Option::is_none) {
            Some(free) => free,
            None if self.slots.len() < MAX_FDS => {
                self.slots.push(None);
                self.slots.len() - 1
            }
            None => return Err(Errno::MFile),
        };
        self.slots[index] = Some(entry);
        u32::try_from(index).map_err(|_| Errno::MFile)
    }

    /// Closes `fd`, reporting what closing the file said.
    pub fn close(&mut self, fd: u32) -> Result<(), Errno> {
        let entry = self
            .slots
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::BadF)?;
        match entry {
            Entry::File(mut file) => file.close(),
            Entry::Stream(_) | Entry::Dir(_) => Ok(()),
        }
    }

    /// `fd_renumber`: `from` moves onto `to` (which must be open), closing what `to` held.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(from)?;
        self.get(to)?;
        if from == to {
            return Ok(());
        }
        let moved = self.slots[from as usize].take();
        let replaced = std::mem::replace(&mut self.slots[to as usize], moved);
        if let Some(Entry::File(mut file)) = replaced {
            let _ = file.close();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FdTable {
        FdTable::new(Fd::Closed, Fd::Closed, Fd::Closed)
    }

    #[test]
    fn numbers_never_given_out_are_ebadf() {
        let mut fds = table();
        assert!(matches!(fds.get(3), Ok(Entry::Dir(_))));
        assert_eq!(fds.get(4).err(), Some(Errno::BadF));
        assert_eq!(fds.get(u32::MAX).err(), Some(Errno::BadF));
        assert_eq!(fds.dir(1).err(), Some(Errno::NotDir));
        assert_eq!(fds.close(9), Err(Errno::BadF));
        assert_eq!(fds.close(1), Ok(()));
        assert_eq!(fds.get(1).err(), Some(Errno::BadF));
    }

    #[test]
    fn the_lowest_free_number_is_reused_and_renumber_moves() {
        let mut fds = table();
        let dir = || {
            Entry::Dir(OpenDir {
                path: "/tmp".into(),
                preopen: None,
                listing: Vec::new(),
                rights: Rights {
                    base: 0,
                    inheriting: 0,
                },
            })
        };
        assert_eq!(fds.insert(dir()), Ok(4));
        assert_eq!(fds.close(0), Ok(()));
        assert_eq!(fds.insert(dir()), Ok(0));
        assert_eq!(fds.renumber(4, 9), Err(Errno::BadF));
        assert_eq!(fds.renumber(4, 0), Ok(()));
        assert_eq!(fds.get(4).err(), Some(Errno::BadF));
        assert!(matches!(fds.dir(0), Ok(d) if d.path == "/tmp"));
    }

    #[test]
    fn a_read_write_stream_reads_and_writes_one_offset() {
        let shared = Fd::read_writer(std::io::Cursor::new(b"hello".to_vec()));
        let mut fds = FdTable::new(shared.clone(), shared, Fd::Closed);
        let written = match fds.get(1) {
            Ok(Entry::Stream(out)) => out.write_all(b"XY"),
            _ => Err(Errno::BadF),
        };
        assert_eq!(written, Ok(()));
        let mut buf = [0; 8];
        let read = match fds.get(0) {
            Ok(Entry::Stream(input)) => input.read(&mut buf),
            _ => Err(Errno::BadF),
        };
        assert_eq!(read, Ok(3));
        assert_eq!(&buf[..3], b"llo");
    }

    #[test]
    fn the_preopen_grants_everything_and_streams_cannot_seek() {
        let mut fds = table();
        let root = fds.get(PREOPEN_FD).map(|e| e.rights());
        assert_eq!(
            root,
            Ok(Rights {
                base: rights::ALL,
                inheriting: rights::ALL
            })
        );
        let stdout = fds.get(1).map(|e| e.rights().base).unwrap_or(0);
        assert_eq!(stdout & (rights::FD_SEEK | rights::FD_TELL), 0);
        assert_ne!(stdout & rights::FD_WRITE, 0);
    }
}
