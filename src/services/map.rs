//! `map`: a static, read-only tree of files built once from a value.
//!
//! The value comes from one of three doors, all ending in [`MapService::from_tree`]: Rust
//! code ([`MapService::from_entries`]), the Rhai function `mount_map(point, #{...})`
//! (string values are files, map values directories) and the shell, where `mount map` takes
//! `NAME=CONTENTS` words (`mount map motd=hello lib/x= /n/m`) and `NAME/` for an empty
//! directory. Directories are implied by the paths. [`FileService::mount_args`] answers the
//! same words, so `ns` prints a command that rebuilds the tree. Every change (write, create,
//! mkdir, remove, rename) is refused with `permission denied (read-only)`; the contents never
//! change after construction, which is why readers need no locks.

use std::io::SeekFrom;
use std::sync::Arc;
use std::time::SystemTime;

use super::mem::{read_at, seek};
use super::tree::{self, Found, Tree};
use crate::ns::path;
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};

/// One entry a map is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapEntry {
    /// A file with these bytes.
    File(Vec<u8>),
    /// A directory, needed only when it would otherwise be empty.
    Dir,
}

/// A read-only tree of byte files.
pub struct MapService {
    tree: Tree<Arc<[u8]>>,
    built: SystemTime,
    /// `map`, or the name of a built-in tree (`stdlib`) that `mount` builds without words.
    kind: &'static str,
}

impl std::fmt::Debug for MapService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MapService")
            .field("entries", &self.mount_args())
            .finish()
    }
}

impl MapService {
    /// A map holding these files; paths may be written with or without a leading `/`.
    pub fn from_entries<P, B>(files: impl IntoIterator<Item = (P, B)>) -> Result<Self, NsError>
    where
        P: AsRef<str>,
        B: Into<Vec<u8>>,
    {
        Self::from_tree(
            files
                .into_iter()
                .map(|(at, bytes)| (at, MapEntry::File(bytes.into()))),
        )
    }

    /// A map holding these files and directories. A path given twice, or a file where a
    /// directory is implied, is an error naming that path.
    pub fn from_tree<P: AsRef<str>>(
        entries: impl IntoIterator<Item = (P, MapEntry)>,
    ) -> Result<Self, NsError> {
        let mut built = Tree::default();
        for (key, entry) in entries {
            let at = tree::clean_key(key.as_ref())?;
            match entry {
                MapEntry::File(bytes) => built.insert_leaf(&at, Arc::from(bytes))?,
                MapEntry::Dir => built.insert_dir(&at)?,
            }
        }
        Ok(MapService {
            tree: built,
            built: SystemTime::now(),
            kind: "map",
        })
    }

    /// This tree as the built-in service `kind` (`mount KIND POINT` builds it, with no
    /// words), as [`crate::services::stdlib`] is.
    pub fn named(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    /// A map from `mount`'s words: `NAME=CONTENTS` is a file (split at the first `=`, so
    /// contents may hold more), `NAME/` an empty directory.
    pub fn from_args(args: &[String]) -> Result<Self, NsError> {
        let mut entries = Vec::with_capacity(args.len());
        for word in args {
            let entry = match word.split_once('=') {
                Some((name, contents)) => (name, MapEntry::File(contents.as_bytes().to_vec())),
                None if word.ends_with('/') => (word.as_str(), MapEntry::Dir),
                None => {
                    return Err(NsError::BadArgs {
                        kind: "map".into(),
                        message: format!("expected NAME=CONTENTS or NAME/, got {word}"),
                    });
                }
            };
            entries.push(entry);
        }
        Self::from_tree(entries).map_err(|e| NsError::BadArgs {
            kind: "map".into(),
            message: e.to_string(),
        })
    }
}

impl FileService for MapService {
    fn kind(&self) -> &str {
        self.kind
    }

    /// The words [`MapService::from_args`] rebuilds this map from. Contents that are not
    /// UTF-8 (possible only from Rust) are printed lossily: a shell word holds text.
    fn mount_args(&self) -> Vec<String> {
        // A built-in tree is rebuilt from its name alone.
        if self.kind != "map" {
            return Vec::new();
        }
        self.tree
            .walk()
            .into_iter()
            .map(|(at, leaf)| {
                let name = &at[1..];
                match leaf {
                    Some(bytes) => format!("{name}={}", String::from_utf8_lossy(bytes)),
                    None => format!("{name}/"),
                }
            })
            .collect()
    }

    fn open(&self, at: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        if flags.write || flags.create || flags.truncate || flags.append {
            return Err(tree::read_only(at));
        }
        match self.tree.lookup(at)? {
            Found::Leaf(bytes) => Ok(Box::new(MapHandle {
                bytes: Arc::clone(bytes),
                offset: 0,
                path: at.to_string(),
            })),
            Found::Dir(_) => Err(NsError::IsDir {
                path: at.to_string(),
            }),
        }
    }

    fn stat(&self, at: &str) -> Result<Stat, NsError> {
        let (kind, size) = match self.tree.lookup(at)? {
            Found::Leaf(bytes) => (FileKind::File, bytes.len() as u64),
            Found::Dir(_) => (FileKind::Dir, 0),
        };
        Ok(Stat {
            name: path::base_name(at).to_string(),
            kind,
            size,
            modified: Some(self.built),
            read_only: true,
        })
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

/// An open file: the shared, never-changing bytes and this handle's offset.
pub(super) struct MapHandle {
    pub(super) bytes: Arc<[u8]>,
    pub(super) offset: u64,
    pub(super) path: String,
}

impl FileHandle for MapHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        Ok(read_at(&self.bytes, &mut self.offset, buf))
    }

    fn write(&mut self, _buf: &[u8]) -> Result<usize, NsError> {
        Err(tree::read_only(&self.path))
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let len = self.bytes.len() as u64;
        seek(pos, &mut self.offset, || len, &self.path)
    }
}

#[cfg(test)]
mod tests;
