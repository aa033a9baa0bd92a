//! The `FileService` trait: what every mounted service implements.
//!
//! The trait is synchronous on purpose (OANIX's lesson): a service that needs the network or
//! timers does that work behind the executor bridge and exposes buffers here. A service never
//! sees a host path or an uncleaned path: every `path` argument is absolute *within the
//! service* (`/` is the service's root), already cleaned by [`crate::ns::path`], so a service
//! cannot be asked to climb above its own root.

use std::io::SeekFrom;
use std::time::{Duration, SystemTime};

use super::error::NsError;

/// Whether a name is a plain file or a directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// A file: bytes read and written at an offset.
    File,
    /// A directory: a listing of names.
    Dir,
}

/// What `stat` reports about one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    /// The last path element (`/` for a root).
    pub name: String,
    /// File or directory.
    pub kind: FileKind,
    /// Length in bytes (0 for directories).
    pub size: u64,
    /// Last modification time, where the service keeps one.
    pub modified: Option<SystemTime>,
    /// True when the service refuses writes to this name.
    pub read_only: bool,
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirEntry {
    /// The entry's name within its directory (no `/`).
    pub name: String,
    /// File or directory.
    pub kind: FileKind,
}

/// How a file is opened. Built with the constructors, e.g. `OpenFlags::write().create().truncate()`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenFlags {
    /// Open for reading.
    pub read: bool,
    /// Open for writing.
    pub write: bool,
    /// Create the file if it does not exist.
    pub create: bool,
    /// With `create`: fail if the file already exists.
    pub exclusive: bool,
    /// Set the length to zero on open.
    pub truncate: bool,
    /// Every write goes to the current end of the file.
    pub append: bool,
}

impl OpenFlags {
    /// Read only (`<`).
    pub fn read() -> Self {
        OpenFlags {
            read: true,
            ..Default::default()
        }
    }
    /// Write only; add `.create().truncate()` for `>`.
    pub fn write() -> Self {
        OpenFlags {
            write: true,
            ..Default::default()
        }
    }
    /// Read and write (`<>`).
    pub fn read_write() -> Self {
        OpenFlags {
            read: true,
            write: true,
            ..Default::default()
        }
    }
    /// Also create the file if it does not exist.
    pub fn create(mut self) -> Self {
        self.create = true;
        self
    }
    /// Also fail if it exists (with `create`: `O_EXCL`).
    pub fn exclusive(mut self) -> Self {
        self.exclusive = true;
        self
    }
    /// Also empty the file on open.
    pub fn truncate(mut self) -> Self {
        self.truncate = true;
        self
    }
    /// Also make every write go to the end (`>>`).
    pub fn append(mut self) -> Self {
        self.append = true;
        self
    }
}

/// What a layered service (`cow`) did to one path of what it overlays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// New in the upper layer: the base has nothing there.
    Added,
    /// A base name replaced in the upper layer (a copied-up file, or a new kind of node).
    Modified,
    /// A base name hidden by a whiteout.
    Removed,
}

impl ChangeKind {
    /// The one-letter tag `cowdiff` prints: `A`, `M` or `D`.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'M',
            ChangeKind::Removed => 'D',
        }
    }
}

/// One change of a layered service, at a service-relative path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The service-relative path that changed.
    pub path: String,
    /// Whether it was added, changed or removed.
    pub kind: ChangeKind,
}

/// An open file. Reads and writes move a per-handle offset, as with a Unix fd.
pub trait FileHandle: Send {
    /// Reads at the handle's offset into `buf`; `Ok(0)` is end of file.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError>;
    /// Writes `buf` at the handle's offset (at the end, for an append handle); returns how many
    /// bytes were taken.
    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError>;
    /// Moves the offset, as `lseek` does; returns the new one.
    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError>;
    /// Called once when the handle is done with; control files act on it.
    fn close(&mut self) -> Result<(), NsError> {
        Ok(())
    }
    /// Waits, at most `timeout`, for the file to grow past this handle's offset: what a
    /// follower (`tail -f`) does after a read found the end. A service whose files grow
    /// while open (`logs`) returns as soon as they do; the default lets the time pass, so a
    /// follower of any other file polls. Never waits longer than `timeout`, so the caller
    /// can look at its interrupt flag between waits.
    fn wait_for_more(&mut self, timeout: Duration) -> Result<(), NsError> {
        std::thread::sleep(timeout);
        Ok(())
    }
}

/// A handle as the namespace gives it out: its errors name the path the user opened, not
/// the service-relative path the service saw (`/log/x: not JSON`, not `/x: not JSON`).
pub(crate) struct NamedHandle {
    inner: Box<dyn FileHandle>,
    path: String,
}

impl NamedHandle {
    pub(crate) fn wrap(inner: Box<dyn FileHandle>, path: &str) -> Box<dyn FileHandle> {
        Box::new(NamedHandle {
            inner,
            path: path.to_string(),
        })
    }
}

impl FileHandle for NamedHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        self.inner.read(buf).map_err(|e| e.at(&self.path))
    }
    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        self.inner.write(buf).map_err(|e| e.at(&self.path))
    }
    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        self.inner.seek(pos).map_err(|e| e.at(&self.path))
    }
    fn close(&mut self) -> Result<(), NsError> {
        self.inner.close().map_err(|e| e.at(&self.path))
    }
    fn wait_for_more(&mut self, timeout: Duration) -> Result<(), NsError> {
        self.inner
            .wait_for_more(timeout)
            .map_err(|e| e.at(&self.path))
    }
}

/// A tree of files. Paths are service-relative, absolute and clean (see the module docs).
pub trait FileService: Send + Sync {
    /// The service's kind as `mount` names it (`mem`, `map`, ...).
    fn kind(&self) -> &str;
    /// The arguments `mount` would need to build an equivalent service; `ns` prints them.
    fn mount_args(&self) -> Vec<String> {
        Vec::new()
    }
    /// Opens the file at the service-relative `path`.
    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError>;
    /// The metadata of `path`.
    fn stat(&self, path: &str) -> Result<Stat, NsError>;
    /// Entries sorted by name.
    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError>;
    /// Makes the directory `path`; its parent must exist.
    fn mkdir(&self, path: &str) -> Result<(), NsError>;
    /// Removes a file or an empty directory.
    fn remove(&self, path: &str) -> Result<(), NsError>;
    /// Renames within this service; `to` must not be an existing directory.
    fn rename(&self, from: &str, to: &str) -> Result<(), NsError>;
    /// True when `path` itself is a symbolic link: only a host directory has them, and its
    /// `stat` and `open` follow them. A recursive remove takes such a name away as it is,
    /// never descending into what it points at, as POSIX `rm -r` does.
    fn is_link(&self, _path: &str) -> bool {
        false
    }
    /// For a service layered over another (`cow`), what it changed, sorted by path; `None`
    /// for every other service.
    fn changes(&self) -> Option<Vec<Change>> {
        None
    }
}
