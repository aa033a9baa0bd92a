//! `env`: shell variables as files, Plan 9's `/env`.
//!
//! `cat /env/home` reads `$home`; `echo v > /env/x` sets `$x`; `rm /env/x` unsets it; `ls
//! /env` lists the variables. As in Plan 9 (where the env device serves `up->egrp`, the
//! current process's environment group), the files are those of *whoever is asking*: an
//! [`EnvGroup`] is the environment of one shell process, and each thread names the group it
//! works for with [`EnvGroup::enter`]. So one `mount env /env` serves every shell, pipeline
//! member and `@{ }` copy its own variables, and the service itself holds no state.
//!
//! The group itself, and how the shell syncs its variables with it, are in
//! [`crate::proc::env`].
//!
//! The file format: a variable holding exactly one non-empty word reads as that word, with
//! no newline; any other list (`()`, `('')`, `(a b)`) reads as its words, each ending in a
//! NUL byte, as Plan 9 stores every variable. A write is taken apart the same way: bytes with
//! a NUL are NUL-ended words; bytes without are one word, less one trailing newline (so `echo
//! v > /env/x` sets `x` to `v`); no bytes at all is the empty list. A write is applied when
//! its handle is closed. There are no directories in `/env`.
//! This module must never reach the shell's own variable table: the sync is the shell's.

use std::io::SeekFrom;
use std::sync::Arc;

use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};
use crate::proc::env::{EnvGroup, decode, encode};

/// The service: a window on the asking thread's [`EnvGroup`].
#[derive(Debug, Default)]
pub struct EnvService;

impl EnvService {
    /// The service; what it shows is the calling shell's group (see the module doc).
    pub fn new() -> EnvService {
        EnvService
    }
}

/// The variable a service path names: `/x` is `x`; anything deeper does not exist.
fn var_name(at: &str) -> Result<&str, NsError> {
    match at.strip_prefix('/') {
        Some(name) if !name.is_empty() && !name.contains('/') => Ok(name),
        _ => Err(NsError::NotFound {
            path: at.to_string(),
        }),
    }
}

fn no_dirs(at: &str) -> NsError {
    NsError::Denied {
        path: at.to_string(),
        reason: "/env holds variables, not directories".into(),
    }
}

fn no_group(at: &str) -> NsError {
    NsError::NotFound {
        path: at.to_string(),
    }
}

impl FileService for EnvService {
    fn kind(&self) -> &str {
        "env"
    }

    fn open(&self, at: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        if at == "/" {
            return Err(NsError::IsDir {
                path: at.to_string(),
            });
        }
        let name = var_name(at)?;
        let group = EnvGroup::current().ok_or_else(|| no_group(at))?;
        let value = group.get(name);
        let exists = value.is_some();
        match value {
            Some(_) if flags.create && flags.exclusive => {
                return Err(NsError::Exists {
                    path: at.to_string(),
                });
            }
            None if !flags.create => return Err(NsError::NotFound { path: at.into() }),
            _ => {}
        }
        let bytes = match (&value, flags.truncate) {
            (Some(words), false) => encode(words),
            _ => Vec::new(),
        };
        let writes = flags.write || flags.append || flags.truncate;
        let offset = if flags.append { bytes.len() as u64 } else { 0 };
        Ok(Box::new(EnvHandle {
            group,
            name: name.to_string(),
            path: at.to_string(),
            bytes,
            offset,
            flags,
            // Creating or truncating changes the variable even if nothing is written after.
            dirty: writes && (flags.truncate || !exists),
        }))
    }

    fn stat(&self, at: &str) -> Result<Stat, NsError> {
        if at == "/" {
            return Ok(Stat {
                name: "/".into(),
                kind: FileKind::Dir,
                size: 0,
                modified: None,
                read_only: false,
            });
        }
        let name = var_name(at)?;
        let group = EnvGroup::current().ok_or_else(|| no_group(at))?;
        let words = group.get(name).ok_or_else(|| no_group(at))?;
        Ok(Stat {
            name: name.to_string(),
            kind: FileKind::File,
            size: encode(&words).len() as u64,
            modified: None,
            read_only: false,
        })
    }

    fn readdir(&self, at: &str) -> Result<Vec<DirEntry>, NsError> {
        if at != "/" {
            // A variable is a file: not a directory if it exists, else nothing at all.
            self.stat(at)?;
            return Err(NsError::NotDir {
                path: at.to_string(),
            });
        }
        let names = EnvGroup::current().map(|g| g.names()).unwrap_or_default();
        Ok(names
            .into_iter()
            .map(|name| DirEntry {
                name,
                kind: FileKind::File,
            })
            .collect())
    }

    fn mkdir(&self, at: &str) -> Result<(), NsError> {
        Err(no_dirs(at))
    }

    fn remove(&self, at: &str) -> Result<(), NsError> {
        let name = var_name(at)?;
        let group = EnvGroup::current().ok_or_else(|| no_group(at))?;
        if group.get(name).is_none() {
            return Err(no_group(at));
        }
        group.write(name, None);
        Ok(())
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        let (old, new) = (var_name(from)?, var_name(to)?);
        let group = EnvGroup::current().ok_or_else(|| no_group(from))?;
        let value = group.get(old).ok_or_else(|| no_group(from))?;
        if old != new {
            group.write(new, Some(value));
            group.write(old, None);
        }
        Ok(())
    }
}

/// An open variable: its bytes at open, changed in place by writes and set on close.
struct EnvHandle {
    group: Arc<EnvGroup>,
    name: String,
    path: String,
    bytes: Vec<u8>,
    offset: u64,
    flags: OpenFlags,
    dirty: bool,
}

impl FileHandle for EnvHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.flags.read {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        Ok(super::mem::read_at(&self.bytes, &mut self.offset, buf))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if !(self.flags.write || self.flags.append) {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for writing".into(),
            });
        }
        if self.flags.append {
            self.offset = self.bytes.len() as u64;
        }
        let start = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let end = start.saturating_add(buf.len());
        if end > super::func::MAX_MESSAGE_SIZE {
            return Err(NsError::Io {
                path: self.path.clone(),
                message: format!(
                    "a variable is at most {} bytes",
                    super::func::MAX_MESSAGE_SIZE
                ),
            });
        }
        if self.bytes.len() < end {
            self.bytes.resize(end, 0);
        }
        self.bytes[start..end].copy_from_slice(buf);
        self.offset = end as u64;
        self.dirty = true;
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let len = self.bytes.len() as u64;
        super::mem::seek(pos, &mut self.offset, || len, &self.path)
    }

    fn close(&mut self) -> Result<(), NsError> {
        // Close may come twice (explicitly, then on drop): the value is set once.
        if std::mem::take(&mut self.dirty) {
            self.group
                .write(&self.name, Some(Arc::new(decode(&self.bytes))));
        }
        Ok(())
    }
}

impl Drop for EnvHandle {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

#[cfg(test)]
mod tests;
