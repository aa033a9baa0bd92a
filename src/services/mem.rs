//! `mem`: directories and byte files held in memory, shared safely between threads.
//!
//! This is the scratch file system (`/tmp`, the default root). It behaves like a small Unix
//! file system: open handles share the file's node, so a reader sees writes made through other
//! handles, and a removed file stays usable through handles already open on it. Each write is
//! atomic with respect to other writes on the same file. It must never touch the host file
//! system, and never allocate on a guest's say-so beyond [`MAX_FILE_SIZE`] for one file or
//! its capacity ([`DEFAULT_CAPACITY`] unless `mount mem SIZE` says) for all of them: a full
//! service answers "no space left", as a full disk does, rather than eating the host's memory.
//! The bytes of a removed file still open somewhere count until its last handle goes.
//!
//! A capacity bounds one mount; a shell can make many (`mount mem` eight times), so every
//! service also charges its shell's [`MemAccount`], one total for all the `mem`s of a shell,
//! its forks and the tasks it shapes. A service takes the account of the thread that makes
//! it ([`MemAccount::enter`]; the shell enters its own before every command, as it enters its
//! `/env` group), because `mount mem` reaches this file through [`super::build`], which
//! knows nothing of shells. A service made on a thread that entered none (Rust code, a
//! test) has only its own capacity.

use std::collections::BTreeMap;
use std::io::SeekFrom;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::SystemTime;

use crate::ns::path;
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};

mod account;
pub use account::MemAccount;

/// Largest size a file may grow to. A seek far past the end followed by a one-byte write
/// would otherwise zero-fill an arbitrary amount of memory.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// How many bytes of files one `mem` service holds unless it is mounted with a size.
pub const DEFAULT_CAPACITY: u64 = 2 << 30;

/// The bytes a service's files hold, against its capacity and its shell's account; shared
/// by every file node.
#[derive(Debug)]
struct Usage {
    used: AtomicU64,
    capacity: u64,
    account: Option<Arc<MemAccount>>,
}

impl Usage {
    /// Takes `more` bytes, or refuses (naming `path`) when the service would be over capacity
    /// or its shell over its budget.
    fn reserve(&self, more: u64, path: &str) -> Result<(), NsError> {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(more)
                    .filter(|&total| total <= self.capacity)
            })
            .map_err(|_| NsError::NoSpace {
                path: path.to_string(),
                capacity: self.capacity,
            })?;
        if let Some(account) = &self.account
            && let Err(e) = account.reserve(more, path)
        {
            self.release_own(more);
            return Err(e);
        }
        Ok(())
    }

    fn release(&self, less: u64) {
        self.release_own(less);
        if let Some(account) = &self.account {
            account.release(less);
        }
    }

    fn release_own(&self, less: u64) {
        let _ = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                Some(used.saturating_sub(less))
            });
    }
}

struct FileData {
    bytes: Vec<u8>,
    modified: SystemTime,
}

/// A file's contents. Shared by the tree and by every handle open on it, so removing or
/// renaming the name never invalidates an open handle.
struct FileNode {
    data: Mutex<FileData>,
    usage: Arc<Usage>,
}

impl Drop for FileNode {
    fn drop(&mut self) {
        let len = self.lock().bytes.len() as u64;
        self.usage.release(len);
    }
}

impl FileNode {
    fn new(usage: &Arc<Usage>) -> Arc<FileNode> {
        Arc::new(FileNode {
            data: Mutex::new(FileData {
                bytes: Vec::new(),
                modified: SystemTime::now(),
            }),
            usage: Arc::clone(usage),
        })
    }

    fn lock(&self) -> MutexGuard<'_, FileData> {
        // A panic while holding the lock leaves bytes that are still valid bytes.
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct DirNode {
    children: BTreeMap<String, Node>,
    modified: SystemTime,
}

impl DirNode {
    fn new() -> DirNode {
        DirNode {
            children: BTreeMap::new(),
            modified: SystemTime::now(),
        }
    }
}

enum Node {
    File(Arc<FileNode>),
    Dir(DirNode),
}

impl Node {
    fn kind(&self) -> FileKind {
        match self {
            Node::File(_) => FileKind::File,
            Node::Dir(_) => FileKind::Dir,
        }
    }
}

/// An in-memory tree of directories and files.
pub struct MemService {
    root: RwLock<DirNode>,
    usage: Arc<Usage>,
}

impl Default for MemService {
    fn default() -> Self {
        Self::new()
    }
}

fn not_found(path: &str) -> NsError {
    NsError::NotFound {
        path: path.to_string(),
    }
}

fn not_dir(path: &str) -> NsError {
    NsError::NotDir {
        path: path.to_string(),
    }
}

/// What a path names, borrowed from the tree.
enum Entry<'t> {
    Dir(&'t DirNode),
    File(&'t Arc<FileNode>),
}

/// The entry at `path`, walking from `root`. Errors name `path` itself.
fn lookup<'t>(root: &'t DirNode, path: &str) -> Result<Entry<'t>, NsError> {
    let mut current = Entry::Dir(root);
    for name in path::components(path) {
        let Entry::Dir(dir) = current else {
            return Err(not_dir(path));
        };
        current = match dir.children.get(name) {
            Some(Node::Dir(inner)) => Entry::Dir(inner),
            Some(Node::File(file)) => Entry::File(file),
            None => return Err(not_found(path)),
        };
    }
    Ok(current)
}

/// The directory at `dir_path`, for changing its entries. `full` is the path named in errors.
fn dir_mut<'t>(
    root: &'t mut DirNode,
    dir_path: &str,
    full: &str,
) -> Result<&'t mut DirNode, NsError> {
    let mut dir = root;
    for name in path::components(dir_path) {
        dir = match dir.children.get_mut(name) {
            Some(Node::Dir(inner)) => inner,
            Some(Node::File(_)) => return Err(not_dir(full)),
            None => return Err(not_found(full)),
        };
    }
    Ok(dir)
}

impl MemService {
    /// An empty tree of the default capacity (see [`MemService::with_capacity`]).
    pub fn new() -> MemService {
        MemService::with_capacity(DEFAULT_CAPACITY)
    }

    /// A service whose files may hold `capacity` bytes in all, charging this thread's
    /// [`MemAccount`] too.
    pub fn with_capacity(capacity: u64) -> MemService {
        MemService::with_account(capacity, MemAccount::current())
    }

    /// A service whose files may hold `capacity` bytes in all, charging `account` too.
    pub fn with_account(capacity: u64, account: Option<Arc<MemAccount>>) -> MemService {
        MemService {
            root: RwLock::new(DirNode::new()),
            usage: Arc::new(Usage {
                used: AtomicU64::new(0),
                capacity,
                account,
            }),
        }
    }

    /// A service from `mount mem [SIZE]`: SIZE is bytes, or a number with `K`, `M` or `G`.
    pub fn from_args(args: &[String]) -> Result<MemService, NsError> {
        let bad = |message: String| NsError::BadArgs {
            kind: "mem".into(),
            message,
        };
        match args {
            [] => Ok(MemService::new()),
            [size] => crate::units::size(size)
                .map(MemService::with_capacity)
                .ok_or_else(|| {
                    bad(format!(
                        "SIZE must be bytes or a number with K, M or G, not {size}"
                    ))
                }),
            _ => Err(bad(format!(
                "takes at most one argument, its size; got {}",
                args.join(" ")
            ))),
        }
    }

    /// Bytes held by its files now.
    pub fn used(&self) -> u64 {
        self.usage.used.load(Ordering::Acquire)
    }

    /// A service holding the given directories (and their parents). Entries that are not
    /// clean absolute paths are a programming error and are skipped.
    pub fn with_dirs(dirs: &[&str]) -> MemService {
        MemService::new().holding(dirs)
    }

    /// This service with the given directories made (see [`MemService::with_dirs`]).
    pub fn holding(self, dirs: &[&str]) -> MemService {
        let service = self;
        {
            let mut root = service.write_tree();
            for dir in dirs {
                debug_assert!(
                    path::is_clean(dir),
                    "with_dirs: {dir:?} is not a clean path"
                );
                if !path::is_clean(dir) {
                    continue;
                }
                let mut node = &mut *root;
                for name in path::components(dir) {
                    let entry = node
                        .children
                        .entry(name.to_string())
                        .or_insert_with(|| Node::Dir(DirNode::new()));
                    node = match entry {
                        Node::Dir(inner) => inner,
                        Node::File(_) => break,
                    };
                }
            }
        }
        service
    }

    fn read_tree(&self) -> RwLockReadGuard<'_, DirNode> {
        // Tree edits finish before they can panic, so a poisoned tree is still consistent.
        self.root
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_tree(&self) -> RwLockWriteGuard<'_, DirNode> {
        self.root
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl FileService for MemService {
    fn kind(&self) -> &str {
        "mem"
    }

    /// Its size, when it is not the default, so `ns` rebuilds the same capacity.
    fn mount_args(&self) -> Vec<String> {
        match self.usage.capacity {
            DEFAULT_CAPACITY => Vec::new(),
            capacity => vec![size_word(capacity)],
        }
    }

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let node = {
            let mut root = self.write_tree();
            let existing = match lookup(&root, path) {
                Ok(Entry::File(file)) => Some(Arc::clone(file)),
                Ok(Entry::Dir(_)) if flags.create && flags.exclusive => {
                    return Err(NsError::Exists {
                        path: path.to_string(),
                    });
                }
                // Directories are listed with readdir, never read or written as bytes.
                Ok(Entry::Dir(_)) => {
                    return Err(NsError::IsDir {
                        path: path.to_string(),
                    });
                }
                Err(NsError::NotFound { .. }) if flags.create => None,
                Err(e) => return Err(e),
            };
            match existing {
                Some(_) if flags.create && flags.exclusive => {
                    return Err(NsError::Exists {
                        path: path.to_string(),
                    });
                }
                Some(file) => file,
                None => {
                    let dir = dir_mut(&mut root, path::parent(path), path)?;
                    let file = FileNode::new(&self.usage);
                    dir.children.insert(
                        path::base_name(path).to_string(),
                        Node::File(Arc::clone(&file)),
                    );
                    dir.modified = SystemTime::now();
                    file
                }
            }
        };
        if flags.truncate {
            let mut data = node.lock();
            node.usage.release(data.bytes.len() as u64);
            data.bytes = Vec::new();
            data.modified = SystemTime::now();
        }
        Ok(Box::new(MemHandle {
            node,
            offset: 0,
            flags,
            path: path.to_string(),
        }))
    }

    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        let root = self.read_tree();
        let (kind, size, modified) = match lookup(&root, path)? {
            Entry::Dir(dir) => (FileKind::Dir, 0, dir.modified),
            Entry::File(file) => {
                let data = file.lock();
                (FileKind::File, data.bytes.len() as u64, data.modified)
            }
        };
        Ok(Stat {
            name: path::base_name(path).to_string(),
            kind,
            size,
            modified: Some(modified),
            read_only: false,
        })
    }

    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        let root = self.read_tree();
        let Entry::Dir(dir) = lookup(&root, path)? else {
            return Err(not_dir(path));
        };
        // BTreeMap order is name order, which the trait promises.
        Ok(dir
            .children
            .iter()
            .map(|(name, node)| DirEntry {
                name: name.clone(),
                kind: node.kind(),
            })
            .collect())
    }

    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        let mut root = self.write_tree();
        if lookup(&root, path).is_ok() {
            return Err(NsError::Exists {
                path: path.to_string(),
            });
        }
        let dir = dir_mut(&mut root, path::parent(path), path)?;
        dir.children
            .insert(path::base_name(path).to_string(), Node::Dir(DirNode::new()));
        dir.modified = SystemTime::now();
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<(), NsError> {
        if path == "/" {
            return Err(NsError::Denied {
                path: path.to_string(),
                reason: "cannot remove the root".into(),
            });
        }
        let mut root = self.write_tree();
        if let Entry::Dir(dir) = lookup(&root, path)?
            && !dir.children.is_empty()
        {
            return Err(NsError::NotEmpty {
                path: path.to_string(),
            });
        }
        let dir = dir_mut(&mut root, path::parent(path), path)?;
        // Dropping the tree's reference only: open handles keep the node alive (Unix unlink).
        dir.children.remove(path::base_name(path));
        dir.modified = SystemTime::now();
        Ok(())
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        if from == "/" {
            return Err(NsError::Denied {
                path: from.to_string(),
                reason: "cannot rename the root".into(),
            });
        }
        let mut root = self.write_tree();
        let source_is_dir = matches!(lookup(&root, from)?, Entry::Dir(_));
        if from == to {
            return Ok(());
        }
        if path::is_under(to, from) {
            return Err(NsError::InvalidPath {
                path: to.to_string(),
                reason: format!("cannot move {from} into itself"),
            });
        }
        match lookup(&root, to) {
            Ok(Entry::Dir(_)) => {
                return Err(NsError::Exists {
                    path: to.to_string(),
                });
            }
            // Unix refuses to put a directory where a file is (ENOTDIR).
            Ok(Entry::File(_)) if source_is_dir => return Err(not_dir(to)),
            Ok(Entry::File(_)) | Err(NsError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        // Check the destination's directory before detaching anything, so a failure leaves
        // the tree untouched.
        dir_mut(&mut root, path::parent(to), to)?;
        let now = SystemTime::now();
        let source_dir = dir_mut(&mut root, path::parent(from), from)?;
        let node = source_dir
            .children
            .remove(path::base_name(from))
            .ok_or_else(|| not_found(from))?;
        source_dir.modified = now;
        // Cannot fail: checked above, and `to` is not under `from`, so detaching kept it.
        let target_dir = dir_mut(&mut root, path::parent(to), to)?;
        target_dir
            .children
            .insert(path::base_name(to).to_string(), node);
        target_dir.modified = now;
        Ok(())
    }
}

/// The word `mount mem` takes for `bytes`: the largest unit that divides it.
pub fn size_word(bytes: u64) -> String {
    for (unit, letter) in [(1u64 << 30, 'G'), (1 << 20, 'M'), (1 << 10, 'K')] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{}{letter}", bytes / unit);
        }
    }
    bytes.to_string()
}

/// Copies from `bytes` at `*offset` into `buf` and moves the offset past what it copied;
/// 0 at or past the end. Shared by every service whose files are bytes in memory.
pub(super) fn read_at(bytes: &[u8], offset: &mut u64, buf: &mut [u8]) -> usize {
    let start = usize::try_from(*offset).unwrap_or(usize::MAX);
    if start >= bytes.len() {
        return 0;
    }
    let count = buf.len().min(bytes.len() - start);
    buf[..count].copy_from_slice(&bytes[start..start + count]);
    *offset += count as u64;
    count
}

/// Moves `*offset` as `pos` says, in a file whose length `len` tells (asked only for
/// `SeekFrom::End`). Past the end is allowed, as on Unix; before the start is an error.
pub(super) fn seek(
    pos: SeekFrom,
    offset: &mut u64,
    len: impl FnOnce() -> u64,
    path: &str,
) -> Result<u64, NsError> {
    let target = match pos {
        SeekFrom::Start(n) => Some(n),
        SeekFrom::End(delta) => len().checked_add_signed(delta),
        SeekFrom::Current(delta) => offset.checked_add_signed(delta),
    };
    *offset = target.ok_or_else(|| NsError::Io {
        path: path.to_string(),
        message: "seek outside the file".into(),
    })?;
    Ok(*offset)
}

/// An open file: the shared node plus this handle's own offset.
struct MemHandle {
    node: Arc<FileNode>,
    offset: u64,
    flags: OpenFlags,
    path: String,
}

impl MemHandle {
    fn io_error(&self, message: &str) -> NsError {
        NsError::Io {
            path: self.path.clone(),
            message: message.to_string(),
        }
    }
}

impl FileHandle for MemHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.flags.read {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        Ok(read_at(&self.node.lock().bytes, &mut self.offset, buf))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if !self.flags.write {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for writing".into(),
            });
        }
        // One lock for the whole write: concurrent writers never interleave inside a write.
        let mut data = self.node.lock();
        if self.flags.append {
            self.offset = data.bytes.len() as u64;
        }
        let end = self
            .offset
            .checked_add(buf.len() as u64)
            .filter(|&end| end <= MAX_FILE_SIZE)
            .ok_or_else(|| self.io_error("file too large"))?;
        // Both fit: end <= MAX_FILE_SIZE, which is far below usize::MAX on 64-bit hosts.
        let (start, end) = (self.offset as usize, end as usize);
        let len = data.bytes.len();
        if len < end {
            self.node.usage.reserve((end - len) as u64, &self.path)?;
            // Writing past the end leaves a hole of zeros, as on Unix. The bytes past the
            // old end are appended, not zeroed and then overwritten: a file filled by a
            // stream of appends is copied once.
            if start > len {
                data.bytes.resize(start, 0);
            }
            let inside = len.saturating_sub(start);
            data.bytes[start..start + inside].copy_from_slice(&buf[..inside]);
            data.bytes.extend_from_slice(&buf[inside..]);
        } else {
            data.bytes[start..end].copy_from_slice(buf);
        }
        data.modified = SystemTime::now();
        self.offset = end as u64;
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let node = &self.node;
        seek(
            pos,
            &mut self.offset,
            || node.lock().bytes.len() as u64,
            &self.path,
        )
    }
}

#[cfg(test)]
mod tests;
