//! `func`: files whose contents are computed by closures, the building block of `ctl` and
//! `status` files.
//!
//! Each file has a read closure and, optionally, a write closure. Opening for reading calls
//! the read closure once and the handle serves that snapshot, so a reader sees one
//! consistent value however the truth changes while it reads. Opening for writing buffers
//! everything written and calls the write closure once, on `close` (not at all if nothing
//! was written) (Plan 9's ctl-file idiom:
//! `echo kill > ctl` is one message), and the closure's error is the close's error. A file
//! without a write closure is read-only, and the tree itself never changes: no create, mkdir,
//! remove or rename. Directories are implied by the paths.
//!
//! `func` is not a `mount` kind ([`crate::services::build`] does not list it): closures
//! cannot be typed as words. Rust code builds one and mounts it with
//! [`crate::nsops::mount_service`]. A closure must never block on the executor: the trait
//! is synchronous.

use std::io::SeekFrom;
use std::sync::Arc;

use super::map::MapHandle;
use super::tree::{self, Tree};
use crate::ns::{DirEntry, FileHandle, FileService, NsError, OpenFlags, Stat};

/// Most bytes one write handle will buffer before its close: a control message is short,
/// and a guest must not make us hold an unbounded buffer.
pub const MAX_MESSAGE_SIZE: usize = 1 << 20;

type ReadFn = Arc<dyn Fn() -> Result<Vec<u8>, NsError> + Send + Sync>;
/// What a control file does with a message.
pub(super) type WriteFn = Arc<dyn Fn(&[u8]) -> Result<(), NsError> + Send + Sync>;

struct FuncFile {
    read: ReadFn,
    write: Option<WriteFn>,
}

/// A fixed tree of computed files.
#[derive(Default)]
pub struct FuncService {
    tree: Tree<FuncFile>,
}

impl FuncService {
    /// A service with no files yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file at `at` (with or without a leading `/`). With `write` as `None` the file
    /// is read-only. A path taken twice, or under a file, is an error naming it.
    pub fn file<R, W>(mut self, at: &str, read: R, write: Option<W>) -> Result<Self, NsError>
    where
        R: Fn() -> Result<Vec<u8>, NsError> + Send + Sync + 'static,
        W: Fn(&[u8]) -> Result<(), NsError> + Send + Sync + 'static,
    {
        let at = tree::clean_key(at)?;
        let file = FuncFile {
            read: Arc::new(read),
            write: write.map(|w| Arc::new(w) as WriteFn),
        };
        self.tree.insert_leaf(&at, file)?;
        Ok(self)
    }

    /// Adds a read-only file: [`FuncService::file`] without a write closure.
    pub fn read_only_file<R>(self, at: &str, read: R) -> Result<Self, NsError>
    where
        R: Fn() -> Result<Vec<u8>, NsError> + Send + Sync + 'static,
    {
        self.file(at, read, None::<fn(&[u8]) -> Result<(), NsError>>)
    }
}

impl FileService for FuncService {
    fn kind(&self) -> &str {
        "func"
    }

    fn open(&self, at: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        // The set of files is fixed: nothing new can be made.
        let file = self.tree.open_leaf(at, flags, tree::read_only)?;
        let writes = flags.write || flags.truncate || flags.append;
        let write = match (&file.write, writes) {
            (Some(write), true) => Some(Arc::clone(write)),
            (None, true) => return Err(tree::read_only(at)),
            (_, false) => None,
        };
        let snapshot: Arc<[u8]> = match flags.read || write.is_none() {
            true => Arc::from((file.read)().map_err(|e| e.at(at))?),
            false => Arc::from(Vec::new()),
        };
        let reader = MapHandle {
            bytes: snapshot,
            offset: 0,
            path: at.to_string(),
        };
        match write {
            None => Ok(Box::new(reader)),
            Some(write) => Ok(Box::new(MessageHandle::new(
                reader, flags.read, write, false,
            ))),
        }
    }

    /// Computed files report size 0, as Plan 9's synthetic files do: knowing the size
    /// would mean computing the contents, which a `stat` must not cause.
    fn stat(&self, at: &str) -> Result<Stat, NsError> {
        self.tree.synthetic_stat(at, |file| file.write.is_none())
    }

    fn readdir(&self, at: &str) -> Result<Vec<DirEntry>, NsError> {
        self.tree.readdir(at)
    }

    fn mkdir(&self, at: &str) -> Result<(), NsError> {
        Err(tree::read_only(at))
    }

    fn remove(&self, at: &str) -> Result<(), NsError> {
        Err(tree::read_only(at))
    }

    fn rename(&self, from: &str, _to: &str) -> Result<(), NsError> {
        Err(tree::read_only(from))
    }
}

/// A handle open for writing: the message so far, sent on close. Offsets and seeks apply
/// to the read snapshot only; a message is the bytes in the order they were written. The
/// task files (`/task/<id>/ctl`, `cmd`, ...) use it too.
pub(super) struct MessageHandle {
    reader: MapHandle,
    can_read: bool,
    write: WriteFn,
    message: Vec<u8>,
    /// Send an empty message too (a truncating open of a list file clears the list).
    send_empty: bool,
    closed: bool,
}

impl MessageHandle {
    /// A handle serving `reader`'s snapshot (if `can_read`) and sending what is written to
    /// `write` on close; with `send_empty`, even when nothing was written.
    pub(super) fn new(
        reader: MapHandle,
        can_read: bool,
        write: WriteFn,
        send_empty: bool,
    ) -> MessageHandle {
        MessageHandle {
            reader,
            can_read,
            write,
            message: Vec::new(),
            send_empty,
            closed: false,
        }
    }
}

impl FileHandle for MessageHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.can_read {
            return Err(NsError::Denied {
                path: self.reader.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        self.reader.read(buf)
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if self.message.len().saturating_add(buf.len()) > MAX_MESSAGE_SIZE {
            return Err(NsError::Io {
                path: self.reader.path.clone(),
                message: format!("message over {MAX_MESSAGE_SIZE} bytes"),
            });
        }
        self.message.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        self.reader.seek(pos)
    }

    fn close(&mut self) -> Result<(), NsError> {
        // Close may be called again (explicitly, then on drop): the message goes once.
        if std::mem::replace(&mut self.closed, true) {
            return Ok(());
        }
        let message = std::mem::take(&mut self.message);
        // Nothing written is no message (`> ctl` alone must not send an empty command).
        if message.is_empty() && !self.send_empty {
            return Ok(());
        }
        (self.write)(&message).map_err(|e| e.at(&self.reader.path))
    }
}

#[cfg(test)]
mod tests;
