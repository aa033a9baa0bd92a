//! Errors of the namespace layer: one enum for every service and for resolution.
//!
//! Services report the path they were given (service-relative); the namespace rewrites it to
//! the path the user typed with [`NsError::at`] so messages always name what the user sees.

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum NsError {
    #[error("{path}: file does not exist")]
    #[diagnostic(code(oash::ns::not_found))]
    NotFound { path: String },
    #[error("{path}: not a directory")]
    #[diagnostic(code(oash::ns::not_dir))]
    NotDir { path: String },
    #[error("{path}: is a directory")]
    #[diagnostic(code(oash::ns::is_dir))]
    IsDir { path: String },
    #[error("{path}: file already exists")]
    #[diagnostic(code(oash::ns::exists))]
    Exists { path: String },
    #[error("{path}: directory not empty")]
    #[diagnostic(code(oash::ns::not_empty))]
    NotEmpty { path: String },
    #[error("{path}: permission denied ({reason})")]
    #[diagnostic(code(oash::ns::denied))]
    Denied { path: String, reason: String },
    #[error("{path}: invalid path: {reason}")]
    #[diagnostic(code(oash::ns::invalid_path))]
    InvalidPath { path: String, reason: String },
    #[error("{path}: {op} is not supported by this service")]
    #[diagnostic(code(oash::ns::unsupported))]
    Unsupported { path: String, op: &'static str },
    #[error("{path}: cannot rename across mounts to {to}")]
    #[diagnostic(code(oash::ns::cross_mount))]
    CrossMount { path: String, to: String },
    #[error("{path}: not a mount point")]
    #[diagnostic(code(oash::ns::not_mounted))]
    NotMounted { path: String },
    /// `unmount NEW OLD` where nothing at OLD came from NEW.
    #[error("{path}: not bound on {on}")]
    #[diagnostic(code(oash::ns::not_bound))]
    NotBound { path: String, on: String },
    /// A bind Plan 9 calls inconsistent: a directory onto a file, a union of files.
    #[error("{path}: cannot bind: {reason}")]
    #[diagnostic(code(oash::ns::bad_bind))]
    BadBind { path: String, reason: String },
    #[error("unknown service '{name}'")]
    #[diagnostic(code(oash::ns::unknown_service), help("known services: {known}"))]
    UnknownService { name: String, known: String },
    /// A service kind given arguments it cannot build from (`mount mem extra`).
    #[error("{kind}: {message}")]
    #[diagnostic(code(oash::ns::bad_args))]
    BadArgs { kind: String, message: String },
    #[error("{path}: {message}")]
    #[diagnostic(code(oash::ns::io))]
    Io { path: String, message: String },
    /// A service that holds a bounded number of bytes is full (a full disk).
    #[error("{path}: no space left (the service holds at most {capacity} bytes)")]
    #[diagnostic(code(oash::ns::no_space))]
    NoSpace { path: String, capacity: u64 },
    /// The shell's `mem` budget is full: all its `mem` services together hold `limit`.
    #[error(
        "{path}: no space left (all the shell's mem services together hold at most {limit}: \
         the `mem` budget; raise it with `limits mem SIZE`)"
    )]
    #[diagnostic(code(oash::ns::no_space))]
    MemBudget { path: String, limit: String },
    /// A mount in a no-attach namespace (Plan 9's `RFNOMNT`): what is there may be bound
    /// and unmounted, but no new service attached.
    #[error("{path}: cannot mount: this namespace is no-attach")]
    #[diagnostic(
        code(oash::ns::no_attach),
        help(
            "a no-attach namespace (`rfork m`, `--sandbox`, every WASI guest) can bind what it was given but attach nothing new"
        )
    )]
    NoAttach { path: String },
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
            | NoSpace { path, .. }
            | NoAttach { path }
            | MemBudget { path, .. } => Some(path),
            UnknownService { .. } | BadArgs { .. } => None,
        }
    }
}
