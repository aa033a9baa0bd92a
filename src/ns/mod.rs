//! The agent namespace: a Plan 9-style tree of mounted file services.
//!
//! [`Namespace`] is an immutable mount table: mounting returns a new namespace, so a running
//! command's (and later a task's) view never changes under it. Resolution is longest-prefix
//! over mount points on whole path elements (`/a` never matches `/ab`), and every path is
//! cleaned by `path` first, so `..` can never climb out of `/` or out of a mount.

pub(crate) mod caller;
pub(crate) mod error;
pub(crate) mod namespace;
pub(crate) mod path;
pub(crate) mod replay;
pub(crate) mod service;
pub(crate) mod stream;
pub(crate) mod verb_flags;

pub use caller::Caller;
pub use error::NsError;
pub use namespace::{MountFlag, MountRecord, MountSource, Namespace};
pub use service::{
    Change, ChangeKind, DirEntry, FileHandle, FileKind, FileService, OpenFlags, Stat,
};
pub use stream::{HandleReader, HandleStream, HandleWriter};
pub use verb_flags::{MOUNT_FLAGS, MountFlagError, MountFlags, RforkFlags};
