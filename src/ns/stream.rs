//! `std::io` adapters over a [`FileHandle`], so builtins and pipeline stages can use `Read`,
//! `Write`, `BufReader` and `io::copy` on namespace files.
//!
//! The adapters close their handle exactly once: explicitly ([`HandleWriter::finish`],
//! [`HandleStream::finish`], [`HandleReader::close`]) or on drop. Control files act on
//! close, so a writer that is dropped still delivers its command; only the error is lost,
//! which is why `finish` exists.
//! Errors cross into `io::Error` via `io::Error::other`, keeping the [`NsError`] as the
//! source so [`ns_error`] can recover it; this module must never invent or reword errors.

use std::io::{self, Read, Seek, SeekFrom, Write};

use super::error::NsError;
use super::service::FileHandle;

/// The size in which bytes are moved between files, pipes and buffers: one constant for
/// every copy loop and buffered reader or writer, so they all make the same number of calls.
pub const CHUNK: usize = 64 * 1024;

fn to_io(err: NsError) -> io::Error {
    io::Error::other(err)
}

fn already_closed() -> io::Error {
    io::Error::other("handle already closed")
}

/// The [`NsError`] inside an `io::Error` from these adapters; any other I/O error becomes
/// [`NsError::Io`] naming `path`.
pub fn ns_error(err: &io::Error, path: &str) -> NsError {
    match err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<NsError>())
    {
        Some(ns) => ns.clone(),
        None => NsError::Io {
            path: path.to_string(),
            message: err.to_string(),
        },
    }
}

/// A handle closed exactly once: by [`OpenHandle::close`], or on drop (silently).
struct OpenHandle(Option<Box<dyn FileHandle>>);

impl OpenHandle {
    fn get(&mut self) -> io::Result<&mut Box<dyn FileHandle>> {
        self.0.as_mut().ok_or_else(already_closed)
    }

    fn close(&mut self) -> Result<(), NsError> {
        self.0.take().map_or(Ok(()), |mut handle| handle.close())
    }
}

impl Drop for OpenHandle {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

/// Reads a namespace file through `std::io::Read`.
pub struct HandleReader {
    handle: OpenHandle,
}

impl HandleReader {
    /// A reader over `handle` (closed when the reader is dropped).
    pub fn new(handle: Box<dyn FileHandle>) -> Self {
        HandleReader {
            handle: OpenHandle(Some(handle)),
        }
    }

    /// Closes the handle now, reporting what closing said.
    pub fn close(mut self) -> Result<(), NsError> {
        self.handle.close()
    }
}

impl Read for HandleReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.handle.get()?.read(buf).map_err(to_io)
    }
}

impl Seek for HandleReader {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.handle.get()?.seek(pos).map_err(to_io)
    }
}

/// Writes a namespace file through `std::io::Write`. Unbuffered: each `write` reaches the
/// service, which keeps a service's per-write atomicity visible to callers.
pub struct HandleWriter {
    handle: OpenHandle,
}

impl HandleWriter {
    /// A writer over `handle` (closed when the writer is dropped).
    pub fn new(handle: Box<dyn FileHandle>) -> Self {
        HandleWriter {
            handle: OpenHandle(Some(handle)),
        }
    }

    /// Closes the handle and reports the result (dropping closes too, but silently).
    pub fn finish(mut self) -> Result<(), NsError> {
        self.handle.close()
    }
}

impl Write for HandleWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.handle.get()?.write(buf).map_err(to_io)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for HandleWriter {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.handle.get()?.seek(pos).map_err(to_io)
    }
}

/// Reads and writes a namespace file opened both ways (rc's `<>`): one handle, so reads and
/// writes move one offset, and a transaction file answers on the handle that asked.
/// Unbuffered, as [`HandleWriter`] is.
pub struct HandleStream {
    handle: OpenHandle,
}

impl HandleStream {
    /// A stream over `handle` (closed when the stream is dropped).
    pub fn new(handle: Box<dyn FileHandle>) -> Self {
        HandleStream {
            handle: OpenHandle(Some(handle)),
        }
    }

    /// Closes the handle and reports the result (dropping closes too, but silently).
    pub fn finish(mut self) -> Result<(), NsError> {
        self.handle.close()
    }
}

impl Read for HandleStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.handle.get()?.read(buf).map_err(to_io)
    }
}

impl Write for HandleStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.handle.get()?.write(buf).map_err(to_io)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Seek for HandleStream {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.handle.get()?.seek(pos).map_err(to_io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A handle that records what happens to it, the way a control file would see it.
    struct Recorder {
        log: Arc<Mutex<Vec<String>>>,
        fail_close: bool,
    }

    impl FileHandle for Recorder {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
            if buf.is_empty() {
                return Ok(0);
            }
            Err(NsError::Denied {
                path: "/ctl".into(),
                reason: "write-only".into(),
            })
        }
        fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
            self.log
                .lock()
                .map_err(|_| NsError::Io {
                    path: "/ctl".into(),
                    message: "poisoned".into(),
                })?
                .push(String::from_utf8_lossy(buf).into_owned());
            Ok(buf.len())
        }
        fn seek(&mut self, _: SeekFrom) -> Result<u64, NsError> {
            Ok(0)
        }
        fn close(&mut self) -> Result<(), NsError> {
            self.log
                .lock()
                .map_err(|_| NsError::Io {
                    path: "/ctl".into(),
                    message: "poisoned".into(),
                })?
                .push("close".into());
            if self.fail_close {
                return Err(NsError::Io {
                    path: "/ctl".into(),
                    message: "bad command".into(),
                });
            }
            Ok(())
        }
    }

    fn recorder(fail_close: bool) -> (Box<dyn FileHandle>, Arc<Mutex<Vec<String>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        (
            Box::new(Recorder {
                log: Arc::clone(&log),
                fail_close,
            }),
            log,
        )
    }

    fn entries(log: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
        log.lock()
            .map(|entries| entries.clone())
            .unwrap_or_default()
    }

    #[test]
    fn dropping_a_writer_closes_once() {
        let (handle, log) = recorder(true);
        {
            let mut writer = HandleWriter::new(handle);
            writer.write_all(b"kill").expect("write");
        }
        assert_eq!(entries(&log), ["kill", "close"]);
    }

    #[test]
    fn finish_reports_the_close_error_and_closes_once() {
        let (handle, log) = recorder(true);
        let mut writer = HandleWriter::new(handle);
        writer.write_all(b"bad").expect("write");
        let err = writer.finish().err();
        assert!(matches!(err, Some(NsError::Io { message, .. }) if message == "bad command"));
        assert_eq!(entries(&log), ["bad", "close"]);
    }

    #[test]
    fn reader_errors_keep_the_ns_error() {
        let (handle, log) = recorder(false);
        let mut reader = HandleReader::new(handle);
        let err = reader.read(&mut [0u8; 4]).expect_err("read fails");
        assert_eq!(err.to_string(), "/ctl: permission denied (write-only)");
        assert!(matches!(ns_error(&err, "/other"), NsError::Denied { path, .. } if path == "/ctl"));
        reader.close().expect("close");
        assert_eq!(entries(&log), ["close"]);
    }

    #[test]
    fn foreign_io_errors_become_ns_io() {
        let err = io::Error::new(io::ErrorKind::BrokenPipe, "pipe closed");
        assert!(
            matches!(ns_error(&err, "/p"), NsError::Io { path, message } if path == "/p" && message == "pipe closed")
        );
    }
}
