//! The mount table: which service answers for which path, with Plan 9 `bind` semantics.
//!
//! A [`Namespace`] never changes: `mount`, `bind` and `unmount` return a new one and the old
//! one keeps working, so a running command or task keeps the view it started with. Lookups
//! walk the path's ancestors from longest to shortest in a map keyed by mount point, so
//! resolution costs O(depth) whatever the number of mounts; the maps share structure between
//! namespaces, so a `mount` copies one small bucket rather than the table. Each mount point
//! holds a union of members (what its stack of mounts and binds made, see [`mount_table`]):
//! a listing merges them, an earlier member winning a name, and open, stat and remove take
//! the first member that has the name. Unions are deep, as in overlay file systems: a path
//! below a union point is looked up in each member's directory of that name.
//!
//! Unlike Plan 9, whose mount table is keyed by channels, ours is keyed by path: `bind /n
//! /x` puts /n's own members at /x, and a service mounted at /n/sub does NOT appear at
//! /x/sub (bind that too if it should). Errors always name the user's path. This module
//! must never clean paths itself (that is [`super::path`]) nor know any particular service.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::error::NsError;
use super::path;
use super::service::{DirEntry, FileHandle, FileKind, FileService, NamedHandle, OpenFlags, Stat};

pub mod mount_table;
mod persistent_map;
pub use mount_table::{MountRecord, MountSource};
use mount_table::{Stack, Table};

/// How a mount combines with what is already at its point (Plan 9 `bind` flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MountFlag {
    /// Hide what was there (`mount`).
    #[default]
    Replace,
    /// Union, the new service searched first (`mount -b`).
    Before,
    /// Union, the new service searched last (`mount -a`).
    After,
}

/// Where a path lands: every union member's service and the path within it, in lookup order.
pub struct Resolution {
    pub mount_point: String,
    pub targets: Vec<Target>,
}

pub struct Target {
    pub service: Arc<dyn FileService>,
    /// The path inside `service`: absolute and clean.
    pub path: String,
    /// This member receives files created in the union.
    pub create: bool,
}

/// An immutable mount table; cloning is one `Arc` increment.
///
/// ```
/// use std::sync::Arc;
/// use oash::ns::{MountFlag, Namespace};
/// use oash::services::mem::MemService;
///
/// let ns = Namespace::new(Arc::new(MemService::with_dirs(&["/tmp"])));
/// let scratch = ns.mount("/tmp", Arc::new(MemService::new()), MountFlag::Replace, false)?;
/// assert!(scratch.is_mount_point("/tmp") && !ns.is_mount_point("/tmp"));
/// # Ok::<(), oash::ns::NsError>(())
/// ```
#[derive(Clone)]
pub struct Namespace {
    /// The table, unless `deferred` is set: then a shared empty placeholder, and the table
    /// is the one `deferred` builds on first use.
    ready: Arc<Table>,
    deferred: Option<Arc<Deferred>>,
}

/// A table made on first use (see [`Namespace::deferred`]): every copy of the namespace
/// shares it, so it is made once, whichever copy asks first.
struct Deferred {
    built: OnceLock<Arc<Table>>,
    build: Mutex<Option<DeferredBuild>>,
}

type DeferredBuild = Box<dyn FnOnce() -> Namespace + Send>;

impl Deferred {
    fn table(&self) -> &Arc<Table> {
        self.built.get_or_init(|| {
            let build = self
                .build
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            // Taken only here, once: None only if a build panicked, which leaves no mounts.
            build.map_or_else(|| Arc::new(Table::default()), |build| build().into_table())
        })
    }
}

impl fmt::Debug for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut points: Vec<&str> = self.table().points.iter().map(|(p, _)| &**p).collect();
        points.sort_unstable();
        f.debug_struct("Namespace")
            .field("mount_points", &points)
            .finish()
    }
}

/// Whether trying the next union member makes sense after this error: the name is absent
/// here, not refused.
fn is_absent(err: &NsError) -> bool {
    matches!(err, NsError::NotFound { .. } | NsError::NotDir { .. })
}

impl Namespace {
    /// A namespace whose table `build` makes when the namespace is first used (resolved,
    /// listed, mounted on), by whichever copy of it asks first. The default namespace is
    /// made so: a command that never touches a file (`oash -c 'echo hi'`) never pays for
    /// its five mounts and their services.
    pub fn deferred(build: impl FnOnce() -> Namespace + Send + 'static) -> Namespace {
        static PLACEHOLDER: OnceLock<Arc<Table>> = OnceLock::new();
        Namespace {
            ready: Arc::clone(PLACEHOLDER.get_or_init(|| Arc::new(Table::default()))),
            deferred: Some(Arc::new(Deferred {
                built: OnceLock::new(),
                build: Mutex::new(Some(Box::new(build))),
            })),
        }
    }

    fn from_table(table: Table) -> Namespace {
        Namespace {
            ready: Arc::new(table),
            deferred: None,
        }
    }

    /// The table, made now if it was deferred.
    fn table(&self) -> &Table {
        match &self.deferred {
            Some(deferred) => deferred.table(),
            None => &self.ready,
        }
    }

    /// The table to change (with `Arc::make_mut`, which copies it if another copy of the
    /// namespace shares it); a deferred one is made first.
    fn table_mut(&mut self) -> &mut Arc<Table> {
        if let Some(deferred) = self.deferred.take() {
            self.ready = Arc::clone(deferred.table());
        }
        &mut self.ready
    }

    fn into_table(mut self) -> Arc<Table> {
        Arc::clone(self.table_mut())
    }

    /// Whether something is mounted or bound exactly at `path`.
    pub fn is_mount_point(&self, path: &str) -> bool {
        path::cleaned(path).is_ok_and(|path| self.table().points.contains_key(&path))
    }

    /// The mount answering for `path` and where `path` lies inside each of its members.
    pub fn resolve(&self, path: &str) -> Result<Resolution, NsError> {
        let path = path::cleaned(path)?;
        let (mount_point, stack, rest) = self.find(&path)?;
        let targets = stack
            .members
            .iter()
            .map(|member| Target {
                service: Arc::clone(&member.service),
                path: member.path_for(rest).into_owned(),
                create: member.create,
            })
            .collect();
        Ok(Resolution {
            mount_point: mount_point.to_string(),
            targets,
        })
    }

    /// Opens `path` in the service that serves it. On a union the first member holding the
    /// name answers; a file being created goes to the union's create member (`-c`).
    pub fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, stack, rest) = self.find(path)?;
        if !flags.create {
            return self
                .first_answer(path, stack, rest, |service, at| service.open(at, flags))
                .map(|handle| NamedHandle::wrap(handle, path))
                .map_err(|err| {
                    if is_absent(&err) && self.has_mount_children(path) {
                        NsError::IsDir {
                            path: path.to_string(),
                        }
                    } else {
                        err
                    }
                });
        }
        if self.has_mount_children(path) {
            return Err(if flags.exclusive {
                NsError::Exists { path: path.into() }
            } else {
                NsError::IsDir { path: path.into() }
            });
        }
        // An existing file is opened where it is; a new one goes to the create member.
        let member = match stack.members.as_slice() {
            [only] => Some(only),
            members => members
                .iter()
                .find(|m| m.service.stat(&m.path_for(rest)).is_ok())
                .or_else(|| stack.create_member()),
        };
        let member = member.ok_or_else(|| NsError::NotFound {
            path: path.to_string(),
        })?;
        member
            .service
            .open(&member.path_for(rest), flags)
            .map(|handle| NamedHandle::wrap(handle, path))
            .map_err(|e| e.at(path))
    }

    /// The metadata of `path`; a mount point shows the root of what is mounted there.
    pub fn stat(&self, path: &str) -> Result<Stat, NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, stack, rest) = self.find(path)?;
        match self.first_answer(path, stack, rest, |service, at| service.stat(at)) {
            // The user's name for it, not the service's (a mount point is `/` inside).
            Ok(stat) => Ok(Stat {
                name: path::base_name(path).to_string(),
                ..stat
            }),
            Err(err) if is_absent(&err) && self.has_mount_children(path) => Ok(Stat {
                name: path::base_name(path).to_string(),
                kind: FileKind::Dir,
                size: 0,
                modified: None,
                read_only: true,
            }),
            Err(err) => Err(err),
        }
    }

    /// The union of the members' listings (an earlier member wins a name), plus the mount
    /// points directly inside `path`, sorted by name.
    pub fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, stack, rest) = self.find(path)?;
        let mut merged: BTreeMap<String, FileKind> = BTreeMap::new();
        let mut listed = false;
        let mut first_error: Option<NsError> = None;
        for member in &stack.members {
            match member.service.readdir(&member.path_for(rest)) {
                Ok(entries) => {
                    listed = true;
                    for entry in entries {
                        merged.entry(entry.name).or_insert(entry.kind);
                    }
                }
                // An absent member is skipped; any other refusal is reported if none lists.
                Err(err) => {
                    if first_error
                        .as_ref()
                        .is_none_or(|kept| is_absent(kept) && !is_absent(&err))
                    {
                        first_error = Some(err);
                    }
                }
            }
        }
        let mount_children = self.table().mount_children.get(path);
        if !listed && mount_children.is_none() {
            let err = first_error.unwrap_or_else(|| NsError::NotFound {
                path: path.to_string(),
            });
            return Err(err.at(path));
        }
        for (name, _) in mount_children.iter().flat_map(|children| children.iter()) {
            // A point is a directory unless a file was bound there.
            let child = path::join(path, name);
            let kind = self
                .table()
                .points
                .get(&child)
                .map_or(FileKind::Dir, |stack| stack.kind);
            merged.insert(name.to_string(), kind);
        }
        Ok(merged
            .into_iter()
            .map(|(name, kind)| DirEntry { name, kind })
            .collect())
    }

    /// Makes the directory `path` in the create member of the mount serving it; a name that
    /// any union member (or a mount point) already has is [`NsError::Exists`].
    pub fn mkdir(&self, path: &str) -> Result<(), NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, stack, rest) = self.find(path)?;
        if self.table().points.contains_key(path) || self.has_mount_children(path) {
            return Err(NsError::Exists {
                path: path.to_string(),
            });
        }
        if stack.members.len() > 1
            && stack
                .members
                .iter()
                .any(|m| m.service.stat(&m.path_for(rest)).is_ok())
        {
            return Err(NsError::Exists {
                path: path.to_string(),
            });
        }
        let member = stack.create_member().ok_or_else(|| NsError::NotFound {
            path: path.to_string(),
        })?;
        member
            .service
            .mkdir(&member.path_for(rest))
            .map_err(|e| e.at(path))
    }

    /// Removes the file or empty directory `path` from the first union member holding it. A
    /// mount point is refused: it is unmounted, not removed.
    pub fn remove(&self, path: &str) -> Result<(), NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        self.refuse_mount_point(path)?;
        let (_, stack, rest) = self.find(path)?;
        self.first_answer(path, stack, rest, |service, at| service.remove(at))
    }

    /// Renames within one service; crossing services is [`NsError::CrossMount`].
    pub fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        let (from, to) = (path::cleaned(from)?, path::cleaned(to)?);
        let (from, to): (&str, &str) = (&from, &to);
        self.refuse_mount_point(from)?;
        self.refuse_mount_point(to)?;
        let (_, from_stack, from_rest) = self.find(from)?;
        let source = from_stack
            .members
            .iter()
            .find(|m| m.service.stat(&m.path_for(from_rest)).is_ok())
            .ok_or_else(|| NsError::NotFound {
                path: from.to_string(),
            })?;
        let (_, to_stack, to_rest) = self.find(to)?;
        let target = to_stack
            .members
            .iter()
            .find(|m| m.service.stat(&m.path_for(to_rest)).is_ok())
            .or_else(|| to_stack.create_member())
            .ok_or_else(|| NsError::NotFound {
                path: to.to_string(),
            })?;
        if !std::ptr::addr_eq(Arc::as_ptr(&source.service), Arc::as_ptr(&target.service)) {
            return Err(NsError::CrossMount {
                path: from.to_string(),
                to: to.to_string(),
            });
        }
        let (service_from, service_to) = (source.path_for(from_rest), target.path_for(to_rest));
        source
            .service
            .rename(&service_from, &service_to)
            .map_err(|err| {
                // The service names whichever side failed; keep that side, in the user's terms.
                if service_from != service_to && err.path() == Some(&*service_to) {
                    err.at(to)
                } else {
                    err.at(from)
                }
            })
    }

    /// The deepest mount point holding `path` (a clean path), its stack, and `path` as seen
    /// from that point. O(depth): one map probe per ancestor.
    fn find<'p>(&self, path: &'p str) -> Result<(&'p str, &Stack, &'p str), NsError> {
        for ancestor in path::ancestors(path) {
            if let Some(stack) = self.table().points.get(ancestor) {
                let rest = path::strip_prefix(path, ancestor).unwrap_or(path);
                return Ok((ancestor, stack, rest));
            }
        }
        // Unreachable while `/` cannot be unmounted; an error rather than a panic regardless.
        Err(NsError::NotFound {
            path: path.to_string(),
        })
    }

    /// The first member's answer that is not "absent", else the first absence, naming `path`.
    fn first_answer<T>(
        &self,
        path: &str,
        stack: &Stack,
        rest: &str,
        mut op: impl FnMut(&dyn FileService, &str) -> Result<T, NsError>,
    ) -> Result<T, NsError> {
        let mut first_absence = None;
        for member in &stack.members {
            match op(&*member.service, &member.path_for(rest)) {
                Err(err) if is_absent(&err) => {
                    first_absence.get_or_insert(err);
                }
                answer => return answer.map_err(|e| e.at(path)),
            }
        }
        Err(first_absence
            .unwrap_or_else(|| NsError::NotFound {
                path: String::new(),
            })
            .at(path))
    }

    fn has_mount_children(&self, path: &str) -> bool {
        self.table().mount_children.contains_key(path)
    }

    fn refuse_mount_point(&self, path: &str) -> Result<(), NsError> {
        if self.table().points.contains_key(path) {
            return Err(NsError::Denied {
                path: path.to_string(),
                reason: "is a mount point".into(),
            });
        }
        if self.has_mount_children(path) {
            return Err(NsError::NotEmpty {
                path: path.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod bind_tests;
