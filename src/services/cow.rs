//! `cow`: a copy-on-write overlay of any service.
//!
//! Reads come from the upper layer (a [`MemService`]) when it has the name, else from the base;
//! opening a base file for writing first copies the whole file up; new names go to the upper
//! layer; removing a base name records a *whiteout* that hides it (and everything under it).
//! Re-creating a whited-out name clears its whiteout but whites out the base children of a
//! base directory there, so a fresh directory never shows what was removed. [`CowService::diff`]
//! lists what the upper layer changed. The base is never modified: this service only ever
//! opens it for reading, stats it and lists it.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

use super::mem::{MAX_FILE_SIZE, MemService};
use crate::ns::path;
pub use crate::ns::{Change, ChangeKind};
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};

/// A copy-on-write overlay: an upper `mem` layer over a base that is only read.
pub struct CowService {
    base: Arc<dyn FileService>,
    /// Where this service's `/` lies in the base.
    base_root: String,
    /// The namespace path the base was taken from, for `ns` to print (`mount cow SRC POINT`).
    source: Option<String>,
    upper: MemService,
    /// Whited-out paths. Invariant: no whiteout lies under another, and none names a path the
    /// upper layer has. Held for the whole of every operation, so each one is atomic.
    whiteouts: Mutex<BTreeSet<String>>,
}

fn not_found(path: &str) -> NsError {
    NsError::NotFound {
        path: path.to_string(),
    }
}

fn is_absent(err: &NsError) -> bool {
    matches!(err, NsError::NotFound { .. } | NsError::NotDir { .. })
}

impl CowService {
    /// An overlay of the whole of `base`.
    pub fn new(base: Arc<dyn FileService>) -> CowService {
        CowService::over(base, "/", None)
    }

    /// An overlay of the subtree `base_root` (clean, absolute) of `base`; `source` is the
    /// namespace path it came from, which `mount_args` reports.
    pub fn over(base: Arc<dyn FileService>, base_root: &str, source: Option<String>) -> Self {
        CowService {
            base,
            base_root: base_root.to_string(),
            source,
            upper: MemService::new(),
            whiteouts: Mutex::new(BTreeSet::new()),
        }
    }

    /// The upper layer's changes, sorted by path.
    pub fn diff(&self) -> Vec<Change> {
        let whiteouts = self.lock();
        let mut changes: Vec<Change> = whiteouts
            .iter()
            .map(|path| Change {
                path: path.clone(),
                kind: ChangeKind::Removed,
            })
            .collect();
        // An explicit stack: an upper tree of any depth cannot overflow ours.
        let mut stack = vec!["/".to_string()];
        while let Some(dir) = stack.pop() {
            for entry in self.upper.readdir(&dir).unwrap_or_default() {
                let child = path::join(&dir, &entry.name);
                let base_kind = self.base.stat(&self.base_path(&child)).ok().map(|s| s.kind);
                let kind = match (entry.kind, base_kind) {
                    (_, None) => Some(ChangeKind::Added),
                    // A directory mirrored from the base only holds changes; it is none itself.
                    (FileKind::Dir, Some(FileKind::Dir)) => None,
                    _ => Some(ChangeKind::Modified),
                };
                if let Some(kind) = kind {
                    changes.push(Change {
                        path: child.clone(),
                        kind,
                    });
                }
                if entry.kind == FileKind::Dir {
                    stack.push(child);
                }
            }
        }
        changes.sort();
        changes
    }

    fn lock(&self) -> MutexGuard<'_, BTreeSet<String>> {
        // Every edit of the set is one insert or remove: a poisoned set is still consistent.
        self.whiteouts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn base_path(&self, path: &str) -> String {
        match (self.base_root.as_str(), path) {
            ("/", _) => path.to_string(),
            (root, "/") => root.to_string(),
            (root, _) => format!("{root}{path}"),
        }
    }

    /// Whether `path` or one of its ancestors is whited out.
    fn is_whited(whiteouts: &BTreeSet<String>, path: &str) -> bool {
        path::ancestors(path).any(|a| whiteouts.contains(a))
    }

    /// What the merged view has at `path`: upper first, then the base unless whited out.
    fn merged_stat(&self, whiteouts: &BTreeSet<String>, path: &str) -> Result<Stat, NsError> {
        match self.upper.stat(path) {
            Ok(stat) => return Ok(stat),
            // A file in the upper layer above `path`: nothing of the base shows through it.
            Err(NsError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        if Self::is_whited(whiteouts, path) {
            return Err(not_found(path));
        }
        let stat = self
            .base
            .stat(&self.base_path(path))
            .map_err(|e| e.at(path))?;
        Ok(Stat {
            name: path::base_name(path).to_string(),
            read_only: false,
            ..stat
        })
    }

    /// Checks that `path`'s parent is a directory in the merged view, naming `path` in errors.
    fn check_parent(&self, whiteouts: &BTreeSet<String>, path: &str) -> Result<(), NsError> {
        match self.merged_stat(whiteouts, path::parent(path)) {
            Ok(stat) if stat.kind == FileKind::Dir => Ok(()),
            Ok(_) => Err(NsError::NotDir {
                path: path.to_string(),
            }),
            Err(e) => Err(e.at(path)),
        }
    }

    /// Mirrors the directory `dir` (a directory in the merged view) and its ancestors into
    /// the upper layer, so a name can be created under it there.
    fn ensure_upper_dirs(&self, dir: &str) -> Result<(), NsError> {
        let mut chain: Vec<&str> = path::ancestors(dir).collect();
        chain.reverse();
        for current in chain {
            match self.upper.stat(current) {
                Ok(stat) if stat.kind == FileKind::Dir => {}
                Ok(_) => return Err(NsError::NotDir { path: dir.into() }),
                Err(_) => self.upper.mkdir(current)?,
            }
        }
        Ok(())
    }

    /// The name `path` was just created in the upper layer: its whiteout goes, and the base
    /// children of a base directory there are whited out instead, so they stay hidden.
    fn clear_whiteout(&self, whiteouts: &mut BTreeSet<String>, path: &str) {
        if !whiteouts.remove(path) {
            return;
        }
        let base_children = self.base.readdir(&self.base_path(path)).unwrap_or_default();
        for child in base_children {
            whiteouts.insert(path::join(path, &child.name));
        }
    }

    /// Hides `path` of the base; whiteouts under it are now covered by this one. (Not a
    /// range scan: `/d-x` sorts between `/d` and `/d/x`.)
    fn white_out(&self, whiteouts: &mut BTreeSet<String>, path: &str) {
        whiteouts.retain(|w| !path::is_under(w, path));
        if self.base.stat(&self.base_path(path)).is_ok() {
            whiteouts.insert(path.to_string());
        }
    }

    /// The whole of a base file, refused past [`MAX_FILE_SIZE`] as `mem` would refuse it.
    fn read_base(&self, path: &str) -> Result<Vec<u8>, NsError> {
        let mut handle = self
            .base
            .open(&self.base_path(path), OpenFlags::read())
            .map_err(|e| e.at(path))?;
        read_all(handle.as_mut(), path)
    }

    /// Puts `bytes` at `path` in the upper layer (its parents already mirrored).
    fn write_upper(&self, path: &str, bytes: &[u8]) -> Result<(), NsError> {
        let mut handle = self
            .upper
            .open(path, OpenFlags::write().create().truncate())?;
        handle.write(bytes)?;
        handle.close()
    }

    fn remove_locked(&self, whiteouts: &mut BTreeSet<String>, path: &str) -> Result<(), NsError> {
        if path == "/" {
            return Err(NsError::Denied {
                path: path.to_string(),
                reason: "cannot remove the root".into(),
            });
        }
        let stat = self.merged_stat(whiteouts, path)?;
        if stat.kind == FileKind::Dir && !self.readdir_locked(whiteouts, path)?.is_empty() {
            return Err(not_empty(path));
        }
        match self.upper.remove(path) {
            Ok(()) => {}
            Err(e) if is_absent(&e) => {}
            Err(e) => return Err(e),
        }
        self.white_out(whiteouts, path);
        Ok(())
    }

    fn readdir_locked(
        &self,
        whiteouts: &BTreeSet<String>,
        path: &str,
    ) -> Result<Vec<DirEntry>, NsError> {
        if self.merged_stat(whiteouts, path)?.kind != FileKind::Dir {
            return Err(NsError::NotDir {
                path: path.to_string(),
            });
        }
        let mut entries = self.upper.readdir(path).unwrap_or_default();
        let names: BTreeSet<String> = entries.iter().map(|e| e.name.clone()).collect();
        if !Self::is_whited(whiteouts, path) {
            let base = match self.base.readdir(&self.base_path(path)) {
                Ok(base) => base,
                Err(e) if is_absent(&e) => Vec::new(),
                Err(e) => return Err(e.at(path)),
            };
            entries.extend(base.into_iter().filter(|entry| {
                !names.contains(&entry.name) && !whiteouts.contains(&path::join(path, &entry.name))
            }));
        }
        entries.sort();
        Ok(entries)
    }

    /// Copies the merged `from` (file or tree) to `to` in the upper layer; `to`'s parent is
    /// a directory and `to` itself is absent. An explicit stack: no tree is too deep.
    fn copy_locked(
        &self,
        whiteouts: &mut BTreeSet<String>,
        from: &str,
        to: &str,
    ) -> Result<(), NsError> {
        self.ensure_upper_dirs(path::parent(to))?;
        let mut stack = vec![(from.to_string(), to.to_string())];
        while let Some((source, target)) = stack.pop() {
            if self.merged_stat(whiteouts, &source)?.kind == FileKind::File {
                let bytes = match self.upper.stat(&source) {
                    Ok(_) => {
                        let mut handle = self.upper.open(&source, OpenFlags::read())?;
                        read_all(handle.as_mut(), &source)?
                    }
                    Err(_) => self.read_base(&source)?,
                };
                self.write_upper(&target, &bytes)?;
                self.clear_whiteout(whiteouts, &target);
                continue;
            }
            // Parents before children: a directory is made when popped, then its entries pushed.
            self.upper.mkdir(&target)?;
            self.clear_whiteout(whiteouts, &target);
            for entry in self.readdir_locked(whiteouts, &source)? {
                stack.push((
                    path::join(&source, &entry.name),
                    path::join(&target, &entry.name),
                ));
            }
        }
        Ok(())
    }

    /// Removes the merged `path` and everything under it. One whiteout hides the whole base
    /// subtree, so only the upper layer's copies are removed name by name.
    fn remove_tree_locked(
        &self,
        whiteouts: &mut BTreeSet<String>,
        path: &str,
    ) -> Result<(), NsError> {
        let mut stack = vec![(path.to_string(), false)];
        while let Some((current, emptied)) = stack.pop() {
            match self.upper.stat(&current) {
                Ok(stat) if stat.kind == FileKind::Dir && !emptied => {
                    stack.push((current.clone(), true));
                    for entry in self.upper.readdir(&current)? {
                        stack.push((path::join(&current, &entry.name), false));
                    }
                }
                Ok(_) => self.upper.remove(&current)?,
                Err(e) if is_absent(&e) => {}
                Err(e) => return Err(e),
            }
        }
        self.white_out(whiteouts, path);
        Ok(())
    }
}

fn not_empty(path: &str) -> NsError {
    NsError::NotEmpty {
        path: path.to_string(),
    }
}

fn read_all(handle: &mut dyn FileHandle, path: &str) -> Result<Vec<u8>, NsError> {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match handle.read(&mut buf)? {
            0 => break,
            n if bytes.len() as u64 + n as u64 > MAX_FILE_SIZE => {
                return Err(NsError::Io {
                    path: path.to_string(),
                    message: "file too large to copy up".into(),
                });
            }
            n => bytes.extend_from_slice(&buf[..n]),
        }
    }
    // Closing a read handle of a plain file acts on nothing; its error is still reported.
    handle.close()?;
    Ok(bytes)
}

impl FileService for CowService {
    fn kind(&self) -> &str {
        "cow"
    }

    fn mount_args(&self) -> Vec<String> {
        self.source.iter().cloned().collect()
    }

    fn changes(&self) -> Option<Vec<Change>> {
        Some(self.diff())
    }

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let mut whiteouts = self.lock();
        if self.upper.stat(path).is_ok() {
            return self.upper.open(path, flags);
        }
        match self.merged_stat(&whiteouts, path) {
            Ok(_) if flags.create && flags.exclusive => Err(NsError::Exists {
                path: path.to_string(),
            }),
            Ok(stat) if stat.kind == FileKind::Dir => Err(NsError::IsDir {
                path: path.to_string(),
            }),
            // Reading only: the base file itself, never a copy, asked for nothing but reading
            // (a `create` on an existing name changes nothing, and the base must not see it).
            Ok(_) if !flags.write && !flags.truncate && !flags.append => {
                let read_only = OpenFlags {
                    read: flags.read,
                    ..OpenFlags::default()
                };
                self.base
                    .open(&self.base_path(path), read_only)
                    .map_err(|e| e.at(path))
            }
            Ok(_) => {
                let bytes = self.read_base(path)?;
                self.ensure_upper_dirs(path::parent(path))?;
                self.write_upper(path, &bytes)?;
                self.upper.open(path, flags)
            }
            Err(NsError::NotFound { .. }) if flags.create => {
                self.check_parent(&whiteouts, path)?;
                self.ensure_upper_dirs(path::parent(path))?;
                let handle = self.upper.open(path, flags)?;
                self.clear_whiteout(&mut whiteouts, path);
                Ok(handle)
            }
            Err(e) => Err(e),
        }
    }

    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        self.merged_stat(&self.lock(), path)
    }

    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        self.readdir_locked(&self.lock(), path)
    }

    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        let mut whiteouts = self.lock();
        match self.merged_stat(&whiteouts, path) {
            Ok(_) => {
                return Err(NsError::Exists {
                    path: path.to_string(),
                });
            }
            Err(NsError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        self.check_parent(&whiteouts, path)?;
        self.ensure_upper_dirs(path::parent(path))?;
        self.upper.mkdir(path)?;
        self.clear_whiteout(&mut whiteouts, path);
        Ok(())
    }

    fn remove(&self, path: &str) -> Result<(), NsError> {
        self.remove_locked(&mut self.lock(), path)
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        if from == "/" {
            return Err(NsError::Denied {
                path: from.to_string(),
                reason: "cannot rename the root".into(),
            });
        }
        let mut whiteouts = self.lock();
        let source = self.merged_stat(&whiteouts, from)?;
        if from == to {
            return Ok(());
        }
        if path::is_under(to, from) {
            return Err(NsError::InvalidPath {
                path: to.to_string(),
                reason: format!("cannot move {from} into itself"),
            });
        }
        match self.merged_stat(&whiteouts, to) {
            Ok(stat) if stat.kind == FileKind::Dir => {
                return Err(NsError::Exists {
                    path: to.to_string(),
                });
            }
            Ok(_) if source.kind == FileKind::Dir => {
                return Err(NsError::NotDir {
                    path: to.to_string(),
                });
            }
            Ok(_) => self.remove_locked(&mut whiteouts, to)?,
            Err(NsError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        self.check_parent(&whiteouts, to)?;
        // Copy first, then remove: a failure part way leaves the source whole.
        self.copy_locked(&mut whiteouts, from, to)?;
        self.remove_tree_locked(&mut whiteouts, from)
    }
}

#[cfg(test)]
mod tests;
