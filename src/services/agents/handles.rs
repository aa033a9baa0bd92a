//! The open files of `/agents` that are neither snapshots nor control messages: the
//! identity files' transactions and the files of an agent's memory and goals.

use std::io::SeekFrom;
use std::sync::Arc;

use super::super::func::MAX_MESSAGE_SIZE;
use super::super::mem::{read_at, seek};
use crate::agent::{Agent, TreeError};
use crate::ns::{FileHandle, NsError};

/// What answers one request on a transaction file.
pub(super) type Answer = Box<dyn Fn(&[u8]) -> Result<Vec<u8>, NsError> + Send>;

/// A factotum-style transaction: writes gather a request; the first read after them
/// answers it (the answer is then read like a file), and a write after a read starts a new
/// request. A handle that only writes gets no answer and does nothing; one that only
/// reads reads nothing.
pub(super) struct Transaction {
    answer: Answer,
    request: Vec<u8>,
    reply: Option<Vec<u8>>,
    offset: u64,
    path: String,
}

impl Transaction {
    pub(super) fn new(path: &str, answer: Answer) -> Transaction {
        Transaction {
            answer,
            request: Vec::new(),
            reply: None,
            offset: 0,
            path: path.to_string(),
        }
    }
}

impl FileHandle for Transaction {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if self.reply.is_none() {
            if self.request.is_empty() {
                return Ok(0);
            }
            let request = std::mem::take(&mut self.request);
            self.reply = Some((self.answer)(&request)?);
            self.offset = 0;
        }
        Ok(self
            .reply
            .as_deref()
            .map_or(0, |reply| read_at(reply, &mut self.offset, buf)))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if self.reply.take().is_some() {
            self.request.clear();
        }
        if self.request.len().saturating_add(buf.len()) > MAX_MESSAGE_SIZE {
            return Err(NsError::Io {
                path: self.path.clone(),
                message: format!("request over {MAX_MESSAGE_SIZE} bytes"),
            });
        }
        self.request.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let len = self.reply.as_ref().map_or(0, |r| r.len() as u64);
        seek(pos, &mut self.offset, || len, &self.path)
    }
}

/// The largest file an agent's memory or goals hold.
pub(super) const MAX_TREE_FILE: usize = 16 << 20;

/// A file of an agent's memory or goals: its bytes are read on open, changed in the
/// handle, and written back whole, in one transaction, when the handle closes (or at a
/// flush-like point: never half a file).
pub(super) struct TreeFile {
    pub(super) agent: Arc<Agent>,
    pub(super) tree: &'static str,
    pub(super) at: String,
    pub(super) data: Vec<u8>,
    pub(super) offset: u64,
    pub(super) append: bool,
    pub(super) writable: bool,
    pub(super) readable: bool,
    pub(super) dirty: bool,
    pub(super) path: String,
}

impl FileHandle for TreeFile {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.readable {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        Ok(read_at(&self.data, &mut self.offset, buf))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if !self.writable {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for writing".into(),
            });
        }
        if self.append {
            self.offset = self.data.len() as u64;
        }
        let start = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let end = start.saturating_add(buf.len());
        if end > MAX_TREE_FILE {
            return Err(NsError::NoSpace {
                path: self.path.clone(),
                capacity: MAX_TREE_FILE as u64,
            });
        }
        if self.data.len() < end {
            self.data.resize(end, 0);
        }
        self.data[start..end].copy_from_slice(buf);
        self.offset = end as u64;
        self.dirty = true;
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let len = self.data.len() as u64;
        seek(pos, &mut self.offset, || len, &self.path)
    }

    fn close(&mut self) -> Result<(), NsError> {
        if !std::mem::replace(&mut self.dirty, false) {
            return Ok(());
        }
        let mut store = self.agent.store();
        store
            .write_file(self.tree, &self.at, &self.data)
            .map_err(|e| tree_error(e, &self.path))
    }
}

impl Drop for TreeFile {
    fn drop(&mut self) {
        // A handle dropped without close (a guest that exits) still keeps what it wrote.
        let _ = self.close();
    }
}

/// A tree's refusal as the namespace's error for `path`.
pub(super) fn tree_error(e: TreeError, path: &str) -> NsError {
    let path = path.to_string();
    match e {
        TreeError::NotFound => NsError::NotFound { path },
        TreeError::NoParent => NsError::NotFound { path },
        TreeError::NotDir => NsError::NotDir { path },
        TreeError::IntoItself => NsError::InvalidPath {
            path,
            reason: "a directory cannot move into itself".into(),
        },
        TreeError::Exists => NsError::Exists { path },
        TreeError::NotEmpty => NsError::NotEmpty { path },
        TreeError::IsDir => NsError::IsDir { path },
        TreeError::Db(e) => NsError::Refused {
            path,
            message: e.to_string(),
        },
    }
}
