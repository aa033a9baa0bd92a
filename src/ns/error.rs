//! Errors of the namespace layer: one enum for every service and for resolution.
//!
//! Services report the path they were given (service-relative); the namespace rewrites it to
//! the path the user typed with [`NsError::at`] so messages always name what the user sees.

use miette::Diagnostic;
use thiserror::Error;

/// What can go wrong in the namespace or in a service. Every variant names a path (or a
/// service) so the message stands on its own; [`NsError::at`] rewrites a service's path to the
/// one the user typed.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum NsError {
    /// Nothing at the path (`ENOENT`).
    #[error("{path}: file does not exist")]
    #[diagnostic(code(oash::ns::not_found))]
    NotFound {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
    /// A path component used as a directory is a file (`ENOTDIR`).
    #[error("{path}: not a directory")]
    #[diagnostic(code(oash::ns::not_dir))]
    NotDir {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
    /// A file operation on a directory (`EISDIR`).
    #[error("{path}: is a directory")]
    #[diagnostic(code(oash::ns::is_dir))]
    IsDir {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
    /// An exclusive create found something already there (`EEXIST`).
    #[error("{path}: file already exists")]
    #[diagnostic(code(oash::ns::exists))]
    Exists {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
    /// Removing a directory that still has entries (`ENOTEMPTY`).
    #[error("{path}: directory not empty")]
    #[diagnostic(code(oash::ns::not_empty))]
    NotEmpty {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
    /// The service refused: read-only, a confined host path, a file it serves only one way.
    #[error("{path}: permission denied ({reason})")]
    #[diagnostic(code(oash::ns::denied))]
    Denied {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// Why, in a few words, for the message.
        reason: String,
    },
    /// The path cannot name anything: a `..` above the root, a NUL, an empty name.
    #[error("{path}: invalid path: {reason}")]
    #[diagnostic(code(oash::ns::invalid_path))]
    InvalidPath {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// Why, in a few words, for the message.
        reason: String,
    },
    /// The service does not do this operation at all (`ENOSYS`-like, e.g. `mkdir` on `dev`).
    #[error("{path}: {op} is not supported by this service")]
    #[diagnostic(code(oash::ns::unsupported))]
    Unsupported {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// The operation asked for (`mkdir`, `write`, ...).
        op: &'static str,
    },
    /// A rename whose target lies under another mount: services cannot move files between them.
    #[error("{path}: cannot rename across mounts to {to}")]
    #[diagnostic(code(oash::ns::cross_mount))]
    CrossMount {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// The rename's target.
        to: String,
    },
    /// `unmount` of a path where nothing is mounted.
    #[error("{path}: not a mount point")]
    #[diagnostic(code(oash::ns::not_mounted))]
    NotMounted {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
    /// `unmount NEW OLD` where nothing at OLD came from NEW.
    #[error("{path}: not bound on {on}")]
    #[diagnostic(code(oash::ns::not_bound))]
    NotBound {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// The mount point it was not found on (the OLD of `unmount NEW OLD`).
        on: String,
    },
    /// A bind Plan 9 calls inconsistent: a directory onto a file, a union of files.
    #[error("{path}: cannot bind: {reason}")]
    #[diagnostic(code(oash::ns::bad_bind))]
    BadBind {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// Why, in a few words, for the message.
        reason: String,
    },
    /// `mount KIND` with a kind no service answers to.
    #[error("unknown service '{name}'")]
    #[diagnostic(code(oash::ns::unknown_service), help("known services: {known}"))]
    UnknownService {
        /// The kind asked for.
        name: String,
        /// The kinds there are, comma-separated, for the help line.
        known: String,
    },
    /// A service kind given arguments it cannot build from (`mount mem extra`).
    #[error("{kind}: {message}")]
    #[diagnostic(code(oash::ns::bad_args))]
    BadArgs {
        /// The service kind (`mem`, `map`, ...).
        kind: String,
        /// What went wrong.
        message: String,
    },
    /// A service refused a request for a reason of its own (a control message it cannot
    /// take, an agent that does not exist, an envelope that fails a check); the message is
    /// the service's core's, which names what it is about.
    #[error("{path}: {message}")]
    #[diagnostic(code(oash::ns::refused))]
    Refused {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// The core's message.
        message: String,
    },
    /// A host I/O error, with its text (the host's `io::Error` does not cross the boundary).
    #[error("{path}: {message}")]
    #[diagnostic(code(oash::ns::io))]
    Io {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A service that holds a bounded number of bytes is full (a full disk).
    #[error("{path}: no space left (the service holds at most {capacity} bytes)")]
    #[diagnostic(code(oash::ns::no_space))]
    NoSpace {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// The service's capacity in bytes.
        capacity: u64,
    },
    /// The shell's `mem` budget is full: all its `mem` services together hold `limit`.
    #[error(
        "{path}: no space left (all the shell's mem services together hold at most {limit}: \
         the `mem` budget; raise it with `limits mem SIZE`)"
    )]
    #[diagnostic(code(oash::ns::no_space))]
    MemBudget {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
        /// The `mem` budget, as `limits` shows it (`256M`).
        limit: String,
    },
    /// A mount in a no-attach namespace (Plan 9's `RFNOMNT`): what is there may be bound
    /// and unmounted, but no new service attached.
    #[error("{path}: cannot mount: this namespace is no-attach")]
    #[diagnostic(
        code(oash::ns::no_attach),
        help(
            "a no-attach namespace (`rfork m`, `--sandbox`, every WASI guest) can bind what it was given but attach nothing new"
        )
    )]
    NoAttach {
        /// The path the error is about: the user's, once [`NsError::at`] has run.
        path: String,
    },
}

impl NsError {
    /// The same error naming `path` instead of the path the service saw.
    pub fn at(self, full: &str) -> NsError {
        use NsError::*;
        let p = full.to_string();
        match self {
            NotFound { .. } => NotFound { path: p },
            NotDir { .. } => NotDir { path: p },
            IsDir { .. } => IsDir { path: p },
            Exists { .. } => Exists { path: p },
            NotEmpty { .. } => NotEmpty { path: p },
            Denied { reason, .. } => Denied { path: p, reason },
            InvalidPath { reason, .. } => InvalidPath { path: p, reason },
            Unsupported { op, .. } => Unsupported { path: p, op },
            CrossMount { to, .. } => CrossMount { path: p, to },
            NotMounted { .. } => NotMounted { path: p },
            NotBound { on, .. } => NotBound { path: p, on },
            BadBind { reason, .. } => BadBind { path: p, reason },
            Io { message, .. } => Io { path: p, message },
            Refused { message, .. } => Refused { path: p, message },
            NoSpace { capacity, .. } => NoSpace { path: p, capacity },
            NoAttach { .. } => NoAttach { path: p },
            MemBudget { limit, .. } => MemBudget { path: p, limit },
            other @ (UnknownService { .. } | BadArgs { .. }) => other,
        }
    }

    /// The path this error names, when it names one.
    pub fn path(&self) -> Option<&str> {
        use NsError::*;
        match self {
            NotFound { path }
            | NotDir { path }
            | IsDir { path }
            | Exists { path }
            | NotEmpty { path }
            | Denied { path, .. }
            | InvalidPath { path, .. }
            | Unsupported { path, .. }
            | CrossMount { path, .. }
            | NotMounted { path }
            | NotBound { path, .. }
            | BadBind { path, .. }
            | Io { path, .. }
            | Refused { path, .. }
            | NoSpace { path, .. }
            | NoAttach { path }
            | MemBudget { path, .. } => Some(path),
            UnknownService { .. } | BadArgs { .. } => None,
        }
    }
}
