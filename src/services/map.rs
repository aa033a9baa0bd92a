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

use super::tree::{self, Found, Tree};
use crate::ns::path;
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};

/// One entry a map is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapEntry {
    File(Vec<u8>),
    /// A directory, needed only when it would otherwise be empty.
    Dir,
}

/// A read-only tree of byte files.
pub struct MapService {
    tree: Tree<Arc<[u8]>>,
    built: SystemTime,
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
        })
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
        "map"
    }

    /// The words [`MapService::from_args`] rebuilds this map from. Contents that are not
    /// UTF-8 (possible only from Rust) are printed lossily: a shell word holds text.
    fn mount_args(&self) -> Vec<String> {
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
        let start = usize::try_from(self.offset).unwrap_or(usize::MAX);
        if start >= self.bytes.len() {
            return Ok(0);
        }
        let count = buf.len().min(self.bytes.len() - start);
        buf[..count].copy_from_slice(&self.bytes[start..start + count]);
        self.offset += count as u64;
        Ok(count)
    }

    fn write(&mut self, _buf: &[u8]) -> Result<usize, NsError> {
        Err(tree::read_only(&self.path))
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let target = match pos {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(delta) => (self.bytes.len() as u64).checked_add_signed(delta),
            SeekFrom::Current(delta) => self.offset.checked_add_signed(delta),
        };
        self.offset = target.ok_or_else(|| NsError::Io {
            path: self.path.clone(),
            message: "seek outside the file".into(),
        })?;
        Ok(self.offset)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::ns::{HandleReader, MountFlag, Namespace};
    use crate::services::mem::MemService;

    fn sample() -> MapService {
        MapService::from_entries([("a", "1"), ("/b/c", "2")]).expect("builds")
    }

    fn read_all(handle: Box<dyn FileHandle>) -> Vec<u8> {
        let mut bytes = Vec::new();
        HandleReader::new(handle)
            .read_to_end(&mut bytes)
            .expect("reads");
        bytes
    }

    #[test]
    fn reads_lists_and_stats() {
        let map = sample();
        assert_eq!(read_all(map.open("/a", OpenFlags::read()).unwrap()), b"1");
        assert_eq!(read_all(map.open("/b/c", OpenFlags::read()).unwrap()), b"2");
        let names: Vec<_> = map.readdir("/").unwrap().into_iter().collect();
        assert_eq!(
            names,
            vec![
                DirEntry {
                    name: "a".into(),
                    kind: FileKind::File
                },
                DirEntry {
                    name: "b".into(),
                    kind: FileKind::Dir
                },
            ]
        );
        let stat = map.stat("/b/c").unwrap();
        assert_eq!((stat.name.as_str(), stat.size, stat.read_only), ("c", 1, true));
        assert_eq!(map.stat("/b").unwrap().kind, FileKind::Dir);
    }

    #[test]
    fn every_change_is_refused_as_read_only() {
        let map = sample();
        let denied = |r: Result<(), NsError>| {
            assert_eq!(r.unwrap_err(), tree::read_only("/a"));
        };
        for flags in [
            OpenFlags::write(),
            OpenFlags::read_write(),
            OpenFlags::read().create(),
            OpenFlags::read().truncate(),
            OpenFlags::read().append(),
        ] {
            denied(map.open("/a", flags).map(drop));
        }
        denied(map.mkdir("/a"));
        denied(map.remove("/a"));
        denied(map.rename("/a", "/z"));
        let mut handle = map.open("/a", OpenFlags::read()).unwrap();
        assert_eq!(handle.write(b"x").unwrap_err(), tree::read_only("/a"));
        assert_eq!(
            tree::read_only("/a").to_string(),
            "/a: permission denied (read-only)"
        );
    }

    #[test]
    fn lookup_errors_name_the_path() {
        let map = sample();
        let open = |at| map.open(at, OpenFlags::read()).map(drop).unwrap_err();
        assert_eq!(open("/nope"), NsError::NotFound { path: "/nope".into() });
        assert_eq!(open("/a/x"), NsError::NotDir { path: "/a/x".into() });
        assert_eq!(open("/b"), NsError::IsDir { path: "/b".into() });
        assert_eq!(
            map.readdir("/a").unwrap_err(),
            NsError::NotDir { path: "/a".into() }
        );
        assert!(matches!(map.stat("/z"), Err(NsError::NotFound { .. })));
    }

    #[test]
    fn bad_entries_are_refused() {
        let twice = MapService::from_entries([("a", "1"), ("/a", "2")]);
        assert!(matches!(twice, Err(NsError::Exists { path }) if path == "/a"));
        let under_file = MapService::from_entries([("a", "1"), ("a/b", "2")]);
        assert!(matches!(under_file, Err(NsError::NotDir { .. })));
        let root = MapService::from_entries([("/", "x")]);
        assert!(matches!(root, Err(NsError::InvalidPath { .. })));
    }

    #[test]
    fn seek_and_partial_reads() {
        let map = MapService::from_entries([("f", "hello")]).unwrap();
        let mut handle = map.open("/f", OpenFlags::read()).unwrap();
        assert_eq!(handle.seek(SeekFrom::End(-2)).unwrap(), 3);
        let mut buf = [0u8; 8];
        assert_eq!(handle.read(&mut buf).unwrap(), 2);
        assert_eq!(&buf[..2], b"lo");
        assert_eq!(handle.read(&mut buf).unwrap(), 0);
        assert!(matches!(
            handle.seek(SeekFrom::Current(-10)),
            Err(NsError::Io { .. })
        ));
        handle.seek(SeekFrom::Start(u64::MAX)).unwrap();
        assert_eq!(handle.read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn args_round_trip_through_mount_args() {
        let words: Vec<String> = ["b/c=2", "a=1=one", "e/f/"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let map = MapService::from_args(&words).unwrap();
        assert_eq!(map.mount_args(), vec!["a=1=one", "b/c=2", "e/f/"]);
        let again = MapService::from_args(&map.mount_args()).unwrap();
        assert_eq!(again.mount_args(), map.mount_args());
        assert_eq!(again.readdir("/e/f").unwrap(), vec![]);
    }

    #[test]
    fn bad_args_name_the_kind() {
        let err = MapService::from_args(&["plain".to_string()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "map: expected NAME=CONTENTS or NAME/, got plain"
        );
        let err = MapService::from_args(&["a=1".into(), "a=2".into()]).unwrap_err();
        assert_eq!(err.to_string(), "map: /a: file already exists");
        let err = MapService::from_args(&["../x=1".into()]).unwrap_err();
        assert!(matches!(err, NsError::BadArgs { .. }));
    }

    #[test]
    fn read_only_under_the_namespace() {
        let root = Arc::new(MemService::with_dirs(&["/n/m"]));
        let ns = Namespace::new(root)
            .mount("/n/m", Arc::new(sample()), MountFlag::Replace, false)
            .unwrap();
        assert_eq!(read_all(ns.open("/n/m/b/c", OpenFlags::read()).unwrap()), b"2");
        let names: Vec<_> = ns.readdir("/n/m").unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(names, vec!["a", "b"]);
        let err = ns
            .open("/n/m/a", OpenFlags::write().create().truncate())
            .map(drop)
            .unwrap_err();
        assert_eq!(err.to_string(), "/n/m/a: permission denied (read-only)");
        assert_eq!(
            ns.mkdir("/n/m/d").unwrap_err().to_string(),
            "/n/m/d: permission denied (read-only)"
        );
        let record = ns.mounts().pop().unwrap();
        assert_eq!((record.kind.as_str(), record.args), ("map", vec!["a=1".to_string(), "b/c=2".to_string()]));
    }

    #[test]
    fn concurrent_readers_share_the_bytes() {
        let map = Arc::new(MapService::from_entries([("big", vec![7u8; 100_000])]).unwrap());
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let map = Arc::clone(&map);
                std::thread::spawn(move || read_all(map.open("/big", OpenFlags::read()).unwrap()))
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.join().unwrap(), vec![7u8; 100_000]);
        }
    }
}
