//! What the mount table holds and the operations that change it: `mount`, `bind`, `unmount`.
//!
//! Each mount point holds a [`Stack`]: the operations made there, bottom first, each with a
//! sequence number from the table's counter. An operation records what it added (one service
//! for a mount; for a bind, the members the other path showed at that moment), its flag and
//! where it came from. The union a point shows is derived by replaying its stack from the
//! bottom, so taking one operation out of the middle (`unmount NEW OLD`) is just a rebuild,
//! and what is left is exactly what the remaining operations make on their own: the view a
//! replay of `ns`'s listing (which leaves the removed one out) builds in a fresh shell.
//!
//! One consequence of keying by path and dropping removed lines: `ns` is exact unless a
//! member was taken out of a union that something had already bound elsewhere (the earlier
//! bind took the member along; the replay, lacking the removed line, does not).
//!
//! This file must never serve file operations (that is the parent module) nor clean paths
//! itself (that is [`super::path`]).

use std::borrow::Cow;
use std::sync::Arc;

use super::persistent_map::PersistentMap;
use super::{MountFlag, Namespace, path};
use crate::ns::error::NsError;
use crate::ns::service::{FileKind, FileService};

/// Where a table entry came from, as `ns` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSource {
    /// `mount KIND ARGS... POINT`: a service built from these words.
    Service {
        /// The service kind (`mem`, `host`, ...).
        kind: String,
        /// Its arguments, as `mount` took them.
        args: Vec<String>,
    },
    /// `bind NEW POINT`: what the clean path `new` showed when it was bound.
    Bind {
        /// The clean path that was bound.
        new: String,
    },
}

/// One mount or bind as `ns` prints it; replaying the records of [`Namespace::mounts`] in
/// order over a fresh root rebuilds the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountRecord {
    /// The clean path mounted on.
    pub point: String,
    /// What was mounted there.
    pub source: MountSource,
    /// Replace, before or after (`-b`, `-a`).
    pub flag: MountFlag,
    /// `-c`: creates go to this member of the union.
    pub create: bool,
}

/// One directory (or, for a bound file, one file) of a union: `root` inside `service`. `root`
/// is `/` for a mounted service; a bound path or a union on a plain directory keeps that
/// directory, rooted where it lies.
#[derive(Clone)]
pub(super) struct Member {
    pub(super) service: Arc<dyn FileService>,
    pub(super) root: String,
    /// This member receives files created in the union.
    pub(super) create: bool,
}

impl Member {
    pub(super) fn path_for<'a>(&'a self, rest: &'a str) -> Cow<'a, str> {
        match (self.root.as_str(), rest) {
            ("/", rest) => Cow::Borrowed(rest),
            (root, "/") => Cow::Borrowed(root),
            (root, rest) => Cow::Owned(format!("{root}{rest}")),
        }
    }

    /// The same directory of the same service (Plan 9 compares channels the same way).
    fn same_place(&self, other: &Member) -> bool {
        std::ptr::addr_eq(Arc::as_ptr(&self.service), Arc::as_ptr(&other.service))
            && self.root == other.root
    }
}

#[derive(Clone)]
enum Origin {
    /// The namespace's own root service: never unmounted, never printed.
    Root,
    Mount(Arc<dyn FileService>),
    /// The clean path that was bound.
    Bind(String),
}

/// One `mount` or `bind` at a point.
struct Operation {
    seq: u64,
    origin: Origin,
    added: Vec<Member>,
    flag: MountFlag,
    create: bool,
}

/// The operations at one mount point and the union they make.
pub(super) struct Stack {
    /// What the point showed before any operation here: its directory in the enclosing
    /// mount, which a union (`-a`/`-b`) keeps as a member. None for `/`, for a file, and for
    /// a directory that exists only as the way to other mount points.
    base: Option<Member>,
    /// Bottom first; never empty (a point whose last operation goes stops being one).
    operations: Vec<Arc<Operation>>,
    /// The union, in lookup order: `operations` replayed over `base`.
    pub(super) members: Vec<Member>,
    /// A directory, or a file when a file was bound here: fixed by the first operation,
    /// since every later one must match it.
    pub(super) kind: FileKind,
}

impl Stack {
    fn new(base: Option<Member>, operations: Vec<Arc<Operation>>, kind: FileKind) -> Stack {
        let mut members: Vec<Member> = base.iter().cloned().collect();
        for operation in &operations {
            let added = operation.added.iter().cloned();
            members = match operation.flag {
                MountFlag::Replace => added.collect(),
                MountFlag::Before => added.chain(members).collect(),
                MountFlag::After => members.into_iter().chain(added).collect(),
            };
        }
        Stack {
            base,
            operations,
            members,
            kind,
        }
    }

    /// Where a new name goes: the member marked create, else the first.
    pub(super) fn create_member(&self) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.create)
            .or_else(|| self.members.first())
    }
}

#[derive(Clone, Default)]
pub(super) struct Table {
    pub(super) points: PersistentMap<Arc<Stack>>,
    /// For each proper ancestor of a mount point, the child names leading to mount points
    /// and how many points lie under each, so a mount point always shows in its parent's
    /// listing even when the service beneath has no such name.
    pub(super) mount_children: PersistentMap<PersistentMap<usize>>,
    /// The sequence number the next operation gets: `ns` prints in this order.
    next_seq: u64,
    /// No service may be attached (Plan 9's `RFNOMNT`): set once, never cleared, and carried
    /// by every namespace derived from this one, because each is a clone of this table.
    pub(super) no_attach: bool,
}

impl Namespace {
    /// A namespace holding only `root` at `/`.
    pub fn new(root: Arc<dyn FileService>) -> Namespace {
        let operation = Operation {
            seq: 0,
            origin: Origin::Root,
            added: vec![Member {
                service: root,
                root: "/".into(),
                create: false,
            }],
            flag: MountFlag::Replace,
            create: false,
        };
        let mut table = Table {
            next_seq: 1,
            ..Table::default()
        };
        let stack = Stack::new(None, vec![Arc::new(operation)], FileKind::Dir);
        table.points.insert(Arc::from("/"), Arc::new(stack));
        Namespace::from_table(table)
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
        let mut mounted = self.clone();
        mounted.mount_in_place(point, service, flag, create)?;
        Ok(mounted)
    }

    /// [`Namespace::mount`] made to this value itself. Other copies of the namespace keep
    /// what they had: the table is shared until changed, and only what changes is copied,
    /// so a namespace no copy shares (the default one while it is built) changes without a
    /// copy of its buckets, nor a table per mount dropped again.
    pub fn mount_in_place(
        &mut self,
        point: &str,
        service: Arc<dyn FileService>,
        flag: MountFlag,
        create: bool,
    ) -> Result<(), NsError> {
        let point = path::cleaned(point)?;
        if self.table().no_attach {
            return Err(NsError::NoAttach {
                path: point.into_owned(),
            });
        }
        if self.stat(&point)?.kind != FileKind::Dir {
            return Err(NsError::NotDir {
                path: point.to_string(),
            });
        }
        let added = vec![Member {
            service: Arc::clone(&service),
            root: "/".into(),
            create,
        }];
        self.push(
            &point,
            Origin::Mount(service),
            added,
            flag,
            create,
            FileKind::Dir,
        )
    }

    /// This namespace made no-attach (Plan 9's `rfork(RFNOMNT)`): from now on [`mount`]
    /// refuses with [`NsError::NoAttach`] here and in every namespace made from this one,
    /// while `bind` and `unmount` of what is already there go on working. There is no way
    /// back: that is what makes it a boundary.
    ///
    /// [`mount`]: Namespace::mount
    pub fn no_attach(&self) -> Namespace {
        if self.table().no_attach {
            return self.clone();
        }
        let mut table = self.table().clone();
        table.no_attach = true;
        Namespace::from_table(table)
    }

    /// Whether this namespace refuses to attach services (see [`Namespace::no_attach`]).
    pub fn is_no_attach(&self) -> bool {
        self.table().no_attach
    }

    /// A new namespace where `old` shows what `new` shows now (Plan 9 `bind`): `new`'s own
    /// union members, each rooted at `new`'s place inside its service, so binding a union
    /// binds the union. A directory binds onto a directory (with any flag) and a file onto a
    /// file (replacing only). With `create`, the member `new` itself creates in receives
    /// `old`'s new files. Mounts below `new` do not come along: see the module doc.
    pub fn bind(
        &self,
        new: &str,
        old: &str,
        flag: MountFlag,
        create: bool,
    ) -> Result<Namespace, NsError> {
        let (new, old) = (path::cleaned(new)?, path::cleaned(old)?);
        let new_is_dir = self.stat(&new)?.kind == FileKind::Dir;
        let old_is_dir = self.stat(&old)?.kind == FileKind::Dir;
        let refuse = |path: &str, reason: &str| NsError::BadBind {
            path: path.to_string(),
            reason: reason.to_string(),
        };
        match (new_is_dir, old_is_dir) {
            (true, false) => return Err(refuse(&old, "a directory cannot be bound onto a file")),
            (false, true) => return Err(refuse(&old, "a file cannot be bound onto a directory")),
            (false, false) if flag != MountFlag::Replace => {
                return Err(refuse(&new, "only directories form unions (-a, -b)"));
            }
            _ => {}
        }
        let added = self.bound_members(&new, new_is_dir, create)?;
        let kind = if old_is_dir {
            FileKind::Dir
        } else {
            FileKind::File
        };
        let mut bound = self.clone();
        bound.push(
            &old,
            Origin::Bind(new.into_owned()),
            added,
            flag,
            create,
            kind,
        )?;
        Ok(bound)
    }

    /// A new namespace with the last mount or bind at `point` undone. When it was the only
    /// one, the point stops being a mount point and the enclosing mount answers for it again.
    pub fn unmount(&self, point: &str) -> Result<Namespace, NsError> {
        let point = path::cleaned(point)?;
        let stack = self.stack_at(&point)?;
        let last = stack.operations.len().saturating_sub(1);
        self.remove_operation(&point, stack, last)
    }

    /// A new namespace without the most recent bind of `new` on `old` (Plan 9 `unmount new
    /// old`), the other members of the union left in order. An operation matches when it
    /// bound the path `new`, or when what it added is exactly what `new` shows now (so a
    /// service mounted at `/n/m` and bound into a union leaves it by that name too).
    pub fn unmount_from(&self, new: &str, old: &str) -> Result<Namespace, NsError> {
        let (new, old) = (path::cleaned(new)?, path::cleaned(old)?);
        let stack = self.stack_at(&old)?;
        let shown = self.stat(&new).ok().and_then(|stat| {
            self.bound_members(&new, stat.kind == FileKind::Dir, false)
                .ok()
        });
        let same_as_shown = |added: &[Member]| {
            shown.as_ref().is_some_and(|shown| {
                shown.len() == added.len() && shown.iter().zip(added).all(|(a, b)| a.same_place(b))
            })
        };
        let index = stack
            .operations
            .iter()
            .rposition(|operation| match &operation.origin {
                Origin::Root => false,
                Origin::Bind(bound) if *bound == *new => true,
                Origin::Bind(_) | Origin::Mount(_) => same_as_shown(&operation.added),
            })
            .ok_or_else(|| NsError::NotBound {
                path: new.to_string(),
                on: old.to_string(),
            })?;
        self.remove_operation(&old, stack, index)
    }

    /// Every mount and bind but the root, in the order they were made, so replaying them
    /// (a bind depends on what its `new` showed then) over a fresh root rebuilds this table.
    pub fn mounts(&self) -> Vec<MountRecord> {
        let mut records: Vec<(u64, MountRecord)> = Vec::new();
        for (point, stack) in self.table().points.iter() {
            for operation in &stack.operations {
                let source = match &operation.origin {
                    Origin::Root => continue,
                    Origin::Mount(service) => MountSource::Service {
                        kind: service.kind().to_string(),
                        args: service.mount_args(),
                    },
                    Origin::Bind(new) => MountSource::Bind { new: new.clone() },
                };
                let record = MountRecord {
                    point: point.to_string(),
                    source,
                    flag: operation.flag,
                    create: operation.create,
                };
                records.push((operation.seq, record));
            }
        }
        records.sort_unstable_by_key(|(seq, _)| *seq);
        records.into_iter().map(|(_, record)| record).collect()
    }

    fn stack_at(&self, point: &str) -> Result<&Arc<Stack>, NsError> {
        self.table()
            .points
            .get(point)
            .ok_or_else(|| NsError::NotMounted {
                path: point.to_string(),
            })
    }

    /// The members a bind of the clean path `new` adds: for a directory, every member of
    /// its union holding it as a directory; for a file, the member whose file wins the name.
    /// Only with `create` is one marked to receive creates: the one `new` creates in.
    fn bound_members(&self, new: &str, is_dir: bool, create: bool) -> Result<Vec<Member>, NsError> {
        let (_, stack, rest) = self.find(new)?;
        let mut found: Vec<Member> = stack
            .members
            .iter()
            .filter_map(|member| {
                let at = member.path_for(rest);
                let stat = member.service.stat(&at).ok()?;
                (!is_dir || stat.kind == FileKind::Dir).then(|| Member {
                    service: Arc::clone(&member.service),
                    root: at.into_owned(),
                    create: member.create,
                })
            })
            .collect();
        if !is_dir {
            found.truncate(1);
        }
        if found.is_empty() {
            return Err(NsError::BadBind {
                path: new.to_string(),
                reason: "holds only other mount points; bind those".into(),
            });
        }
        let chosen = found.iter().position(|m| m.create).unwrap_or(0);
        for (index, member) in found.iter_mut().enumerate() {
            member.create = create && index == chosen;
        }
        Ok(found)
    }

    /// Pushes one operation onto the stack at the clean path `point`, whose kind is `kind`,
    /// changing this value (copying the table first if another copy shares it).
    fn push(
        &mut self,
        point: &str,
        origin: Origin,
        added: Vec<Member>,
        flag: MountFlag,
        create: bool,
        kind: FileKind,
    ) -> Result<(), NsError> {
        let existing = self.table().points.get(point);
        let is_new_point = existing.is_none();
        let (base, mut operations) = match existing {
            Some(stack) => (stack.base.clone(), stack.operations.clone()),
            None => (self.implicit_member(point), Vec::new()),
        };
        let table = Arc::make_mut(self.table_mut());
        operations.push(Arc::new(Operation {
            seq: table.next_seq,
            origin,
            added,
            flag,
            create,
        }));
        table.next_seq += 1;
        let stack = Stack::new(base, operations, kind);
        table.points.insert(Arc::from(point), Arc::new(stack));
        if is_new_point {
            table.count_mount_children(point, 1);
        }
        Ok(())
    }

    /// The stack at `point` rebuilt without operation `index`.
    fn remove_operation(
        &self,
        point: &str,
        stack: &Stack,
        index: usize,
    ) -> Result<Namespace, NsError> {
        let root_cannot_go = || NsError::Denied {
            path: point.to_string(),
            reason: "the root cannot be unmounted".into(),
        };
        match stack.operations.get(index) {
            None => return Err(root_cannot_go()),
            Some(operation) if matches!(operation.origin, Origin::Root) => {
                return Err(root_cannot_go());
            }
            Some(_) => {}
        }
        let mut operations = stack.operations.clone();
        operations.remove(index);
        let mut table = self.table().clone();
        if operations.is_empty() {
            table.points.remove(point);
            table.count_mount_children(point, -1);
        } else {
            let rebuilt = Stack::new(stack.base.clone(), operations, stack.kind);
            table.points.insert(Arc::from(point), Arc::new(rebuilt));
        }
        Ok(Namespace::from_table(table))
    }

    /// The directory a union on a plain directory keeps as a member: where the enclosing
    /// mount finds it (the first member holding it as a directory, as a walk would).
    fn implicit_member(&self, point: &str) -> Option<Member> {
        let members = self.bound_members(point, true, false).ok()?;
        members.into_iter().next()
    }
}

impl Table {
    /// Adds (`delta` = 1) or drops (-1) `point` from its ancestors' `mount_children`.
    pub(super) fn count_mount_children(&mut self, point: &str, delta: isize) {
        let mut current = point;
        while current != "/" {
            let (dir, name) = (path::parent(current), path::base_name(current));
            // Changed where it lies: a map no other table shares is not copied.
            if delta > 0 && !self.mount_children.contains_key(dir) {
                let children = PersistentMap::default();
                self.mount_children.insert(Arc::from(dir), children);
            }
            if let Some(children) = self.mount_children.get_mut(dir) {
                let count = children.get(name).copied().unwrap_or(0);
                match (count.saturating_add_signed(delta), children.get_mut(name)) {
                    (0, _) => drop(children.remove(name)),
                    (count, Some(held)) => *held = count,
                    (count, None) => drop(children.insert(Arc::from(name), count)),
                }
                if children.is_empty() {
                    self.mount_children.remove(dir);
                }
            }
            current = dir;
        }
    }
}
