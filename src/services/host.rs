//! `host`: a real host directory, mounted into the namespace and confined to it.
//!
//! The directory is opened once, at mount time, as a capability (`cap_std::fs::Dir`); every
//! later operation names files *relative to that handle*, and cap-std refuses any resolution
//! that would leave it — `..`, absolute paths and symlinks pointing outside (on Linux through
//! `openat2(RESOLVE_BENEATH)`). This service must never build a host path by joining strings
//! and never call `std::fs` on anything but the mount argument itself.
//!
//! As a second fence, a path that is not clean is refused before cap-std sees it: the
//! namespace always cleans, so an unclean path means a caller bypassed it.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use cap_std::fs::{Dir, File, Metadata, OpenOptions};

use crate::ns::path;
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};

/// A host directory; every name it serves lies beneath `dir`.
pub struct HostService {
    /// The absolute host path, kept only so `ns` can print a rebuildable `mount`.
    root: PathBuf,
    dir: Dir,
}

/// Errors naming the mount argument (`mount host DIR POINT`).
fn bad_args(message: impl Into<String>) -> NsError {
    NsError::BadArgs {
        kind: "host".into(),
        message: message.into(),
    }
}

/// The service path as a path relative to the root handle (`.` for the root itself).
///
/// Refuses anything that is not exactly a clean service path: a NUL or over-long name is an
/// `InvalidPath`, an unclean one (`/../x`, `//x`, `/./x`) is an escape attempt.
fn relative(service_path: &str) -> Result<&Path, NsError> {
    let cleaned = path::clean(service_path)?;
    if cleaned != service_path {
        return Err(NsError::Denied {
            path: service_path.to_string(),
            reason: "unclean path refused by the host service".into(),
        });
    }
    let rest = service_path.trim_start_matches('/');
    Ok(Path::new(if rest.is_empty() { "." } else { rest }))
}

/// The OS's "too many levels of symbolic links" (`ELOOP`), which std's
/// `ErrorKind::FilesystemLoop` will name once it is stable.
#[cfg(any(target_os = "linux", target_os = "android"))]
const ELOOP: i32 = 40;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const ELOOP: i32 = 62;

/// An io error as the namespace error for `path`.
fn map_io(path: &str, err: io::Error) -> NsError {
    use io::ErrorKind as K;
    let path = path.to_string();
    match err.kind() {
        K::NotFound => NsError::NotFound { path },
        K::AlreadyExists => NsError::Exists { path },
        K::NotADirectory => NsError::NotDir { path },
        K::IsADirectory => NsError::IsDir { path },
        K::DirectoryNotEmpty => NsError::NotEmpty { path },
        // cap-std's own refusals carry no OS error code; the OS's carry one. cap-std never
        // follows an absolute link, even to a name inside the root: the message says so,
        // or a link to `ROOT/f` would seem wrongly refused.
        K::PermissionDenied if err.raw_os_error().is_none() => NsError::Denied {
            path,
            reason: "it leads outside the host directory; absolute links always do".into(),
        },
        K::PermissionDenied => NsError::Denied {
            path,
            reason: "the host refuses access".into(),
        },
        // Said in the namespace's words: the OS's own string ends in "(os error 40)".
        _ if err.raw_os_error() == Some(ELOOP) => NsError::Io {
            path,
            message: "a symbolic link loop (too many levels of links)".into(),
        },
        _ => NsError::Io {
            path,
            message: err.to_string(),
        },
    }
}

fn kind_of(metadata: &Metadata) -> FileKind {
    if metadata.is_dir() {
        FileKind::Dir
    } else {
        FileKind::File
    }
}

impl HostService {
    /// Opens `root` (which must be an existing host directory) as the service's capability.
    pub fn open(root: &str) -> Result<HostService, NsError> {
        // Canonical, so the printed `mount` means the same directory from any working directory.
        let absolute = std::fs::canonicalize(root)
            .map_err(|e| bad_args(format!("{root}: cannot open host directory: {e}")))?;
        if !absolute.is_dir() {
            return Err(bad_args(format!("{root}: not a directory")));
        }
        let dir = Dir::open_ambient_dir(&absolute, cap_std::ambient_authority())
            .map_err(|e| bad_args(format!("{root}: cannot open host directory: {e}")))?;
        Ok(HostService {
            root: absolute,
            dir,
        })
    }

    /// Metadata following symlinks (only those cap-std allows: inside the root).
    fn metadata(&self, path: &str) -> Result<Metadata, NsError> {
        let rel = relative(path)?;
        if path == "/" {
            return self.dir.dir_metadata().map_err(|e| map_io(path, e));
        }
        self.dir.metadata(rel).map_err(|e| map_io(path, e))
    }
}

impl FileService for HostService {
    fn kind(&self) -> &str {
        "host"
    }

    fn mount_args(&self) -> Vec<String> {
        vec![self.root.to_string_lossy().into_owned()]
    }

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let rel = relative(path)?;
        // Directories are listed, never read as bytes; special files (FIFOs, devices) could
        // block or reach outside, so only regular files are opened.
        match self.metadata(path) {
            Ok(meta) if meta.is_dir() && flags.create && flags.exclusive => {
                return Err(NsError::Exists {
                    path: path.to_string(),
                });
            }
            Ok(meta) if meta.is_dir() => {
                return Err(NsError::IsDir {
                    path: path.to_string(),
                });
            }
            Ok(meta) if !meta.is_file() => {
                return Err(NsError::Unsupported {
                    path: path.to_string(),
                    op: "opening a special file",
                });
            }
            Ok(_) | Err(NsError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let mut options = OpenOptions::new();
        // The host needs write access to create or truncate; the handle still refuses writes
        // the flags did not ask for.
        let host_write = flags.write || flags.create || flags.truncate;
        options
            .read(flags.read)
            .write(host_write)
            .append(flags.append && flags.write)
            .truncate(flags.truncate);
        if flags.create && flags.exclusive {
            options.create_new(true);
        } else {
            options.create(flags.create);
        }
        let file = self
            .dir
            .open_with(rel, &options)
            .map_err(|e| map_io(path, e))?;
        Ok(Box::new(HostHandle {
            file,
            flags,
            path: path.to_string(),
        }))
    }

    fn stat(&self, path: &str) -> Result<Stat, NsError> {
        let meta = self.metadata(path)?;
        let kind = kind_of(&meta);
        Ok(Stat {
            name: path::base_name(path).to_string(),
            kind,
            size: if kind == FileKind::Dir { 0 } else { meta.len() },
            modified: meta.modified().ok().map(|t| t.into_std()),
            read_only: meta.permissions().readonly(),
        })
    }

    fn readdir(&self, path: &str) -> Result<Vec<DirEntry>, NsError> {
        let rel = relative(path)?;
        if !self.metadata(path)?.is_dir() {
            return Err(NsError::NotDir {
                path: path.to_string(),
            });
        }
        let entries = if path == "/" {
            self.dir.entries()
        } else {
            self.dir.read_dir(rel)
        }
        .map_err(|e| map_io(path, e))?;
        let mut listing = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| map_io(path, e))?;
            // A name the namespace cannot spell (not UTF-8) could never be opened: skip it.
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let file_type = entry.file_type().map_err(|e| map_io(path, e))?;
            let kind = if file_type.is_dir() {
                FileKind::Dir
            } else if file_type.is_symlink() {
                // What the link names, if cap-std lets us follow it; a dangling or escaping
                // link is listed as a file, and opening it reports why it fails.
                self.metadata(&path::join(path, &name))
                    .map(|meta| kind_of(&meta))
                    .unwrap_or(FileKind::File)
            } else {
                FileKind::File
            };
            listing.push(DirEntry { name, kind });
        }
        listing.sort();
        Ok(listing)
    }

    fn mkdir(&self, path: &str) -> Result<(), NsError> {
        let rel = relative(path)?;
        if path == "/" {
            return Err(NsError::Exists {
                path: path.to_string(),
            });
        }
        self.dir.create_dir(rel).map_err(|e| map_io(path, e))
    }

    fn remove(&self, path: &str) -> Result<(), NsError> {
        let rel = relative(path)?;
        if path == "/" {
            return Err(NsError::Denied {
                path: path.to_string(),
                reason: "cannot remove the root".into(),
            });
        }
        // Not following symlinks: removing a link removes the link, never its target.
        let meta = self
            .dir
            .symlink_metadata(rel)
            .map_err(|e| map_io(path, e))?;
        if meta.is_dir() {
            self.dir.remove_dir(rel)
        } else {
            self.dir.remove_file(rel)
        }
        .map_err(|e| map_io(path, e))
    }

    fn is_link(&self, path: &str) -> bool {
        // Not following: the question is about the name, not what it points at.
        path != "/"
            && relative(path).is_ok_and(|rel| {
                self.dir
                    .symlink_metadata(rel)
                    .is_ok_and(|meta| meta.file_type().is_symlink())
            })
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), NsError> {
        let (from_rel, to_rel) = (relative(from)?, relative(to)?);
        if from == "/" || to == "/" {
            return Err(NsError::Denied {
                path: from.to_string(),
                reason: "cannot rename the root".into(),
            });
        }
        self.dir
            .symlink_metadata(from_rel)
            .map_err(|e| map_io(from, e))?;
        if from == to {
            return Ok(());
        }
        if path::is_under(to, from) {
            return Err(NsError::InvalidPath {
                path: to.to_string(),
                reason: format!("cannot move {from} into itself"),
            });
        }
        // The trait promises `to` is never an existing directory (the host would replace an
        // empty one silently).
        if let Ok(meta) = self.dir.symlink_metadata(to_rel)
            && meta.is_dir()
        {
            return Err(NsError::Exists {
                path: to.to_string(),
            });
        }
        self.dir
            .rename(from_rel, &self.dir, to_rel)
            .map_err(|e| map_io(to, e))
    }
}

/// An open host file; the OS keeps the offset.
struct HostHandle {
    file: File,
    flags: OpenFlags,
    path: String,
}

impl FileHandle for HostHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.flags.read {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        self.file.read(buf).map_err(|e| map_io(&self.path, e))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if !self.flags.write {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for writing".into(),
            });
        }
        // Whole writes, as `mem` does: a short host write is retried, not reported.
        self.file
            .write_all(buf)
            .map_err(|e| map_io(&self.path, e))?;
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        self.file.seek(pos).map_err(|e| map_io(&self.path, e))
    }
}

#[cfg(test)]
mod tests;
