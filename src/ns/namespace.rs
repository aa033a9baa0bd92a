//! The mount table: which service answers for which path, with Plan 9 `bind` semantics.
//!
//! A [`Namespace`] never changes: `mount` and `unmount` return a new one and the old one keeps
//! working, so a running command or task keeps the view it started with. Lookups walk the
//! path's ancestors from longest to shortest in a map keyed by mount point, so resolution
//! costs O(depth) whatever the number of mounts; the maps share structure between namespaces,
//! so a `mount` copies one small bucket rather than the table. Each mount point holds a union
//! of members, and every mount pushes a layer, so `unmount` pops back to exactly the view it
//! covered. Errors always name the user's path. This module must never clean paths itself
//! (that is [`super::path`]) nor know any particular service.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::error::NsError;
use super::path;
use super::service::{DirEntry, FileHandle, FileKind, FileService, NamedHandle, OpenFlags, Stat};

mod persistent_map;
use persistent_map::PersistentMap;

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

/// One mount as `ns` prints it; replaying the records of [`Namespace::mounts`] in order
/// rebuilds the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountRecord {
    pub point: String,
    pub kind: String,
    pub args: Vec<String>,
    pub flag: MountFlag,
    pub create: bool,
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

/// One directory of a union. `root` is `/` for a mounted service; a `-a`/`-b` mount on a
/// plain directory keeps that directory as an implicit member, rooted where it lies.
#[derive(Clone)]
struct Member {
    service: Arc<dyn FileService>,
    root: String,
    create: bool,
}

impl Member {
    fn path_for<'a>(&'a self, rest: &'a str) -> Cow<'a, str> {
        match (self.root.as_str(), rest) {
            ("/", rest) => Cow::Borrowed(rest),
            (root, "/") => Cow::Borrowed(root),
            (root, rest) => Cow::Owned(format!("{root}{rest}")),
        }
    }
}

/// The view at a mount point after one `mount`; `below` is the view that mount covered.
struct Layer {
    members: Vec<Member>,
    /// The mount that made this layer, as `mounts` reports it.
    mounted: Arc<dyn FileService>,
    flag: MountFlag,
    create: bool,
    below: Option<Arc<Layer>>,
}

impl Layer {
    fn create_member(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.create)
            .or_else(|| self.members.first())
    }
}

#[derive(Clone, Default)]
struct Table {
    points: PersistentMap<Arc<Layer>>,
    /// For each proper ancestor of a mount point, the child names leading to mount points
    /// and how many points lie under each, so a mount point always shows in its parent's
    /// listing even when the service beneath has no such directory.
    mount_children: PersistentMap<PersistentMap<usize>>,
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
    table: Arc<Table>,
}

impl fmt::Debug for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut points: Vec<&str> = self.table.points.iter().map(|(p, _)| &**p).collect();
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
    pub fn new(root: Arc<dyn FileService>) -> Namespace {
        let layer = Layer {
            members: vec![Member {
                service: Arc::clone(&root),
                root: "/".into(),
                create: false,
            }],
            mounted: root,
            flag: MountFlag::Replace,
            create: false,
            below: None,
        };
        let mut table = Table::default();
        table.points.insert(Arc::from("/"), Arc::new(layer));
        Namespace {
            table: Arc::new(table),
        }
    }

    /// A new namespace with `service` mounted at `point`, which must be an existing directory
    /// (or `/`). `create` marks the member that receives creates in a union.
    pub fn mount(
        &self,
        point: &str,
        service: Arc<dyn FileService>,
        flag: MountFlag,
        create: bool,
    ) -> Result<Namespace, NsError> {
        let point = path::cleaned(point)?;
        let point: &str = &point;
        let enclosing = self.stat(point)?;
        if enclosing.kind != FileKind::Dir {
            return Err(NsError::NotDir {
                path: point.to_string(),
            });
        }
        let existing = self.table.points.get(point).cloned();
        let new_member = Member {
            service: Arc::clone(&service),
            root: "/".into(),
            create,
        };
        let mut members = match (&existing, flag) {
            (_, MountFlag::Replace) => Vec::new(),
            (Some(layer), _) => layer.members.clone(),
            // A union on a plain directory: that directory stays visible as a member.
            (None, _) => self.implicit_member(point).into_iter().collect(),
        };
        match flag {
            MountFlag::After => members.push(new_member),
            MountFlag::Replace | MountFlag::Before => members.insert(0, new_member),
        }
        let is_new_point = existing.is_none();
        let layer = Layer {
            members,
            mounted: service,
            flag,
            create,
            below: existing,
        };
        let mut table = (*self.table).clone();
        table.points.insert(Arc::from(point), Arc::new(layer));
        if is_new_point {
            table.count_mount_children(point, 1);
        }
        Ok(Namespace {
            table: Arc::new(table),
        })
    }

    /// A new namespace with the last mount at `point` undone. When it was the only one, the
    /// point stops being a mount point and the enclosing mount answers for it again.
    pub fn unmount(&self, point: &str) -> Result<Namespace, NsError> {
        let point = path::cleaned(point)?;
        let point: &str = &point;
        let layer = self
            .table
            .points
            .get(point)
            .ok_or_else(|| NsError::NotMounted {
                path: point.to_string(),
            })?;
        let mut table = (*self.table).clone();
        match &layer.below {
            Some(below) => {
                table.points.insert(Arc::from(point), Arc::clone(below));
            }
            None if point == "/" => {
                return Err(NsError::Denied {
                    path: "/".into(),
                    reason: "the root cannot be unmounted".into(),
                });
            }
            None => {
                table.points.remove(point);
                table.count_mount_children(point, -1);
            }
        }
        Ok(Namespace {
            table: Arc::new(table),
        })
    }

    /// Every mount, parents before children and, at one point, the bottom of its stack
    /// first, so replaying them as `mount` commands rebuilds this table.
    pub fn mounts(&self) -> Vec<MountRecord> {
        let mut points: Vec<(&Arc<str>, &Arc<Layer>)> = self.table.points.iter().collect();
        // A path sorts before every path it is a prefix of, so parents come first.
        points.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut records = Vec::new();
        for (point, top) in points {
            let mut stack: Vec<&Layer> = Vec::new();
            let mut layer = Some(&**top);
            while let Some(current) = layer {
                stack.push(current);
                layer = current.below.as_deref();
            }
            records.extend(stack.iter().rev().map(|layer| MountRecord {
                point: point.to_string(),
                kind: layer.mounted.kind().to_string(),
                args: layer.mounted.mount_args(),
                flag: layer.flag,
                create: layer.create,
            }));
        }
        records
    }

    pub fn is_mount_point(&self, path: &str) -> bool {
        path::cleaned(path).is_ok_and(|path| self.table.points.contains_key(&path))
    }

    /// The mount answering for `path` and where `path` lies inside each of its members.
    pub fn resolve(&self, path: &str) -> Result<Resolution, NsError> {
        let path = path::cleaned(path)?;
        let (mount_point, layer, rest) = self.find(&path)?;
        let targets = layer
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

    pub fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, layer, rest) = self.find(path)?;
        if !flags.create {
            return self
                .first_answer(path, layer, rest, |service, at| service.open(at, flags))
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
        let member = match layer.members.as_slice() {
            [only] => Some(only),
            members => members
                .iter()
                .find(|m| m.service.stat(&m.path_for(rest)).is_ok())
                .or_else(|| layer.create_member()),
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

    pub fn stat(&self, path: &str) -> Result<Stat, NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, layer, rest) = self.find(path)?;
        match self.first_answer(path, layer, rest, |service, at| service.stat(at)) {
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
        let (_, layer, rest) = self.find(path)?;
        let mut merged: BTreeMap<String, FileKind> = BTreeMap::new();
        let mut listed = false;
        let mut first_error: Option<NsError> = None;
        for member in &layer.members {
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
        let mount_children = self.table.mount_children.get(path);
        if !listed && mount_children.is_none() {
            let err = first_error.unwrap_or_else(|| NsError::NotFound {
                path: path.to_string(),
            });
            return Err(err.at(path));
        }
        for (name, _) in mount_children.iter().flat_map(|children| children.iter()) {
            merged.insert(name.to_string(), FileKind::Dir);
        }
        Ok(merged
            .into_iter()
            .map(|(name, kind)| DirEntry { name, kind })
            .collect())
    }

    pub fn mkdir(&self, path: &str) -> Result<(), NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        let (_, layer, rest) = self.find(path)?;
        if self.table.points.contains_key(path) || self.has_mount_children(path) {
            return Err(NsError::Exists {
                path: path.to_string(),
            });
        }
        if layer.members.len() > 1
            && layer
                .members
                .iter()
                .any(|m| m.service.stat(&m.path_for(rest)).is_ok())
        {
            return Err(NsError::Exists {
                path: path.to_string(),
            });
        }
        let member = layer.create_member().ok_or_else(|| NsError::NotFound {
            path: path.to_string(),
        })?;
        member
            .service
            .mkdir(&member.path_for(rest))
            .map_err(|e| e.at(path))
    }

    pub fn remove(&self, path: &str) -> Result<(), NsError> {
        let path = path::cleaned(path)?;
        let path: &str = &path;
        self.refuse_mount_point(path)?;
        let (_, layer, rest) = self.find(path)?;
        self.first_answer(path, layer, rest, |service, at| service.remove(at))
    }

    /// Renames within one service; crossing services is [`NsError::CrossMount`].
    pub fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        let (from, to) = (path::cleaned(from)?, path::cleaned(to)?);
        let (from, to): (&str, &str) = (&from, &to);
        self.refuse_mount_point(from)?;
        self.refuse_mount_point(to)?;
        let (_, from_layer, from_rest) = self.find(from)?;
        let source = from_layer
            .members
            .iter()
            .find(|m| m.service.stat(&m.path_for(from_rest)).is_ok())
            .ok_or_else(|| NsError::NotFound {
                path: from.to_string(),
            })?;
        let (_, to_layer, to_rest) = self.find(to)?;
        let target = to_layer
            .members
            .iter()
            .find(|m| m.service.stat(&m.path_for(to_rest)).is_ok())
            .or_else(|| to_layer.create_member())
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

    /// The deepest mount point holding `path` (a clean path), its layer, and `path` as seen
    /// from that point. O(depth): one map probe per ancestor.
    fn find<'p>(&self, path: &'p str) -> Result<(&'p str, &Layer, &'p str), NsError> {
        for ancestor in path::ancestors(path) {
            if let Some(layer) = self.table.points.get(ancestor) {
                let rest = path::strip_prefix(path, ancestor).unwrap_or(path);
                return Ok((ancestor, layer, rest));
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
        layer: &Layer,
        rest: &str,
        mut op: impl FnMut(&dyn FileService, &str) -> Result<T, NsError>,
    ) -> Result<T, NsError> {
        let mut first_absence = None;
        for member in &layer.members {
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

    /// The directory a `-a`/`-b` mount on a plain directory keeps as a member: where the
    /// enclosing mount finds it (first member holding it as a directory, as a walk would).
    fn implicit_member(&self, point: &str) -> Option<Member> {
        let (_, layer, rest) = self.find(point).ok()?;
        layer.members.iter().find_map(|member| {
            let at = member.path_for(rest);
            let is_dir = member
                .service
                .stat(&at)
                .is_ok_and(|stat| stat.kind == FileKind::Dir);
            is_dir.then(|| Member {
                service: Arc::clone(&member.service),
                root: at.into_owned(),
                create: false,
            })
        })
    }

    fn has_mount_children(&self, path: &str) -> bool {
        self.table.mount_children.contains_key(path)
    }

    fn refuse_mount_point(&self, path: &str) -> Result<(), NsError> {
        if self.table.points.contains_key(path) {
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

impl Table {
    /// Adds (`delta` = 1) or drops (-1) `point` from its ancestors' `mount_children`.
    fn count_mount_children(&mut self, point: &str, delta: isize) {
        let mut current = point;
        while current != "/" {
            let (dir, name) = (path::parent(current), path::base_name(current));
            let mut children = self.mount_children.get(dir).cloned().unwrap_or_default();
            let count = children
                .get(name)
                .copied()
                .unwrap_or(0)
                .saturating_add_signed(delta);
            if count == 0 {
                children.remove(name);
            } else {
                children.insert(Arc::from(name), count);
            }
            if children.is_empty() {
                self.mount_children.remove(dir);
            } else {
                self.mount_children.insert(Arc::from(dir), children);
            }
            current = dir;
        }
    }
}

#[cfg(test)]
mod tests;
