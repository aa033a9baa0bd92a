//! WASI preview1 error numbers, and how a namespace error becomes one.
//!
//! The numbers are the `errno` enum of the preview1 witx (`wasi_snapshot_preview1`), which a
//! guest's libc turns back into its own `errno`. Only the values this host can return are
//! named. [`Errno::from`] is the one place an [`NsError`] is translated: the preview1 imports
//! never match on namespace errors themselves. This module must never panic or allocate.

use std::io;

use crate::ns::NsError;

/// A preview1 `errno` the host returns to the guest (0, success, is `Ok(())` instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub enum Errno {
    /// `E2BIG`: an argument list too long.
    TooBig = 1,
    /// `EACCES`: the service refused.
    Access = 2,
    /// `EBADF`: the fd was never given to this guest, or is closed.
    BadF = 8,
    /// `EEXIST`
    Exist = 20,
    /// `EFAULT`: a pointer or length outside guest memory.
    Fault = 21,
    /// `EFBIG`: a resize the host will not do.
    FBig = 22,
    /// `EILSEQ`: a path that is not UTF-8.
    IlSeq = 25,
    /// `EINVAL`
    Inval = 28,
    /// `EIO`
    Io = 29,
    /// `EISDIR`
    IsDir = 31,
    /// `EMFILE`: the guest's fd table is full.
    MFile = 33,
    /// `ENAMETOOLONG`
    NameTooLong = 37,
    /// `ENOENT`
    NoEnt = 44,
    /// `ENOSPC`: a service that holds a bounded number of bytes is full.
    NoSpc = 51,
    /// `ENOSYS`: an import this host does not implement at all.
    NoSys = 52,
    /// `ENOTDIR`
    NotDir = 54,
    /// `ENOTEMPTY`
    NotEmpty = 55,
    /// `ENOTSOCK`: the socket calls, on an fd that is never a socket here.
    NotSock = 57,
    /// `ENOTSUP`: a well-formed request the namespace cannot do (links, times, ...).
    NotSup = 58,
    /// `EOVERFLOW`: an offset or size that does not fit.
    Overflow = 61,
    /// `EPERM`: an attach in a no-attach namespace (Plan 9's `Enoattach`).
    Perm = 63,
    /// `EPIPE`: the reader of a stream went away.
    Pipe = 64,
    /// `ESPIPE`: seek on a stream.
    SPipe = 70,
    /// `EXDEV`: rename across mounts.
    XDev = 75,
    /// `ENOTCAPABLE`: the fd lacks the right, or the path is absolute.
    NotCapable = 76,
}

impl Errno {
    /// The number the guest sees.
    pub fn code(self) -> i32 {
        self as u16 as i32
    }
}

impl From<&NsError> for Errno {
    fn from(err: &NsError) -> Errno {
        match err {
            NsError::NotFound { .. } => Errno::NoEnt,
            NsError::NotDir { .. } => Errno::NotDir,
            NsError::IsDir { .. } => Errno::IsDir,
            NsError::Exists { .. } => Errno::Exist,
            NsError::NotEmpty { .. } => Errno::NotEmpty,
            NsError::Denied { .. } => Errno::Access,
            NsError::InvalidPath { .. } => Errno::Inval,
            NsError::Unsupported { .. } => Errno::NotSup,
            NsError::CrossMount { .. } => Errno::XDev,
            NsError::NotMounted { .. }
            | NsError::NotBound { .. }
            | NsError::BadBind { .. }
            | NsError::UnknownService { .. }
            | NsError::BadArgs { .. }
            | NsError::Refused { .. } => Errno::Inval,
            NsError::Io { .. } => Errno::Io,
            NsError::NoSpace { .. } | NsError::MemBudget { .. } => Errno::NoSpc,
            NsError::NoAttach { .. } => Errno::Perm,
        }
    }
}

impl From<NsError> for Errno {
    fn from(err: NsError) -> Errno {
        Errno::from(&err)
    }
}

impl From<&io::Error> for Errno {
    fn from(err: &io::Error) -> Errno {
        match err.kind() {
            io::ErrorKind::BrokenPipe => Errno::Pipe,
            io::ErrorKind::NotFound => Errno::NoEnt,
            io::ErrorKind::PermissionDenied => Errno::Access,
            io::ErrorKind::InvalidInput => Errno::Inval,
            _ => Errno::Io,
        }
    }
}

impl From<io::Error> for Errno {
    fn from(err: io::Error) -> Errno {
        Errno::from(&err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(path: &str) -> String {
        path.to_string()
    }

    #[test]
    fn namespace_errors_map_to_their_posix_meaning() {
        let cases = [
            (NsError::NotFound { path: at("/x") }, 44),
            (NsError::NotDir { path: at("/x") }, 54),
            (NsError::IsDir { path: at("/x") }, 31),
            (NsError::Exists { path: at("/x") }, 20),
            (NsError::NotEmpty { path: at("/x") }, 55),
            (
                NsError::Denied {
                    path: at("/x"),
                    reason: "read-only".into(),
                },
                2,
            ),
            (
                NsError::Unsupported {
                    path: at("/x"),
                    op: "rename",
                },
                58,
            ),
            (
                NsError::CrossMount {
                    path: at("/x"),
                    to: at("/y"),
                },
                75,
            ),
            (
                NsError::Io {
                    path: at("/x"),
                    message: "disk".into(),
                },
                29,
            ),
        ];
        for (err, code) in cases {
            assert_eq!(Errno::from(&err).code(), code, "{err}");
        }
    }

    #[test]
    fn a_closed_reader_is_a_broken_pipe() {
        let err = io::Error::new(io::ErrorKind::BrokenPipe, "gone");
        assert_eq!(Errno::from(err), Errno::Pipe);
        assert_eq!(Errno::from(io::Error::other("?")), Errno::Io);
    }
}
