//! `dev`: Plan 9's console device (`#c`), trimmed to five files, mounted at `/dev`.
//!
//! - `null`: reads are end of file at once; writes are swallowed.
//! - `zero`: reads give zero bytes without end; writes are swallowed.
//! - `random`: reads give bytes from the operating system's generator (`getrandom`); read-only.
//! - `cons`: the shell's terminal. Writes go to the console, reads read from it. It
//!   deliberately ignores the shell's redirections (`{ echo hi > /dev/cons } > /dev/null`
//!   still shows `hi`): it is the terminal, not standard output.
//! - `time`: one line, `SECONDS NANOSECONDS\n`, both counted from the Unix epoch (1970-01-01
//!   UTC) as Plan 9's `/dev/time` counts its first two fields; read-only. It is read once at
//!   open, so a reader sees one consistent line however slowly it reads.
//!
//! The set of files is fixed: create, mkdir, remove and rename are refused. Offsets mean
//! nothing on `null`, `zero`, `random` and `cons` (they are streams, as in Plan 9): seeking
//! them answers 0. The console is injected ([`DevService::with_console`]) so tests can watch
//! it; [`DevService::new`] (what `mount dev` builds) uses the process's standard input and
//! output. This service must never panic on a closed descriptor: a console failure is an
//! [`NsError::Io`] naming the file.

use std::io::{self, Read, SeekFrom, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use super::map::MapHandle;
use super::tree::{self, Tree};
use crate::ns::path;
use crate::ns::{Caller, DirEntry, FileHandle, FileService, NsError, OpenFlags, Stat};
use crate::proc::terminal::{StopReading, TerminalInput};

/// The terminal behind `/dev/cons`: one reader and one writer, each used under its lock so
/// two commands writing the console interleave whole writes. The process's terminal is read
/// through [`TerminalInput`], so Ctrl-C ends a read of it.
pub struct Console {
    input: Mutex<Box<dyn Read + Send>>,
    output: Mutex<Box<dyn Write + Send>>,
}

impl Console {
    /// A console reading `input` and writing `output` (the terminal, or buffers in tests).
    pub fn new(input: impl Read + Send + 'static, output: impl Write + Send + 'static) -> Self {
        Console {
            input: Mutex::new(Box::new(input)),
            output: Mutex::new(Box::new(output)),
        }
    }

    /// The process's own standard input and output: what a `dev` mounted by `mount dev`
    /// has, which knows no shell. A read of the terminal ends when the reading command's
    /// job is interrupted (Ctrl-C in the foreground, `kill %N`), which its thread's
    /// [`Caller`] carries.
    pub fn stdio() -> Self {
        let stop: StopReading = Arc::new(|| {
            Caller::current_interrupt().is_some_and(|flag| flag.load(Ordering::Relaxed))
        });
        Console::terminal(stop)
    }

    /// The process's own terminal, its reads ended when `stop` says so (the shell's
    /// Ctrl-C), so `cat /dev/cons` stops on Ctrl-C without taking the next line.
    pub fn terminal(stop: StopReading) -> Self {
        Console::new(TerminalInput::new(stop), io::stdout())
    }

    fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        lock(&self.input).read(buf)
    }

    /// Writes all of `buf` and flushes, so what was written is on the terminal when the
    /// write returns.
    fn write(&self, buf: &[u8]) -> io::Result<()> {
        let mut output = lock(&self.output);
        output.write_all(buf)?;
        output.flush()
    }
}

/// A panic while holding a console lock leaves a reader or writer that still works.
fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DevFile {
    Cons,
    Null,
    Random,
    Time,
    Zero,
}

impl DevFile {
    const ALL: [(&'static str, DevFile); 5] = [
        ("cons", DevFile::Cons),
        ("null", DevFile::Null),
        ("random", DevFile::Random),
        ("time", DevFile::Time),
        ("zero", DevFile::Zero),
    ];

    fn read_only(self) -> bool {
        matches!(self, DevFile::Random | DevFile::Time)
    }
}

/// The refusal of every change to the set of files.
fn fixed(at: &str) -> NsError {
    NsError::Denied {
        path: at.to_string(),
        reason: "the dev files are fixed".into(),
    }
}

/// The five device files over one console.
pub struct DevService {
    tree: Tree<DevFile>,
    console: Arc<Console>,
}

impl Default for DevService {
    fn default() -> Self {
        Self::new()
    }
}

impl DevService {
    /// The device over the process's own terminal (what `mount dev` builds).
    pub fn new() -> Self {
        Self::with_console(Arc::new(Console::stdio()))
    }

    /// The device with `cons` reading from and writing to `console`.
    pub fn with_console(console: Arc<Console>) -> Self {
        let mut files = Tree::default();
        for (name, file) in DevFile::ALL {
            // Five distinct fixed names under the root: inserting cannot clash.
            let _ = files.insert_leaf(&path::join("/", name), file);
        }
        DevService {
            tree: files,
            console,
        }
    }
}

impl FileService for DevService {
    fn kind(&self) -> &str {
        "dev"
    }

    fn open(&self, at: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let file = *self.tree.open_leaf(at, flags, fixed)?;
        let writes = flags.write || flags.truncate || flags.append;
        if writes && file.read_only() {
            return Err(tree::read_only(at));
        }
        if file == DevFile::Time {
            return Ok(Box::new(MapHandle {
                bytes: Arc::from(time_line(SystemTime::now()).into_bytes()),
                offset: 0,
                path: at.to_string(),
            }));
        }
        Ok(Box::new(DevHandle {
            file,
            // A handle opened only to write may not read, as with any file.
            can_read: flags.read || !writes,
            path: at.to_string(),
            console: Arc::clone(&self.console),
        }))
    }

    /// Device files report size 0, as Plan 9's do.
    fn stat(&self, at: &str) -> Result<Stat, NsError> {
        self.tree.synthetic_stat(at, |file| file.read_only())
    }

    fn readdir(&self, at: &str) -> Result<Vec<DirEntry>, NsError> {
        self.tree.readdir(at)
    }

    fn mkdir(&self, at: &str) -> Result<(), NsError> {
        Err(fixed(at))
    }

    fn remove(&self, at: &str) -> Result<(), NsError> {
        Err(fixed(at))
    }

    fn rename(&self, from: &str, _to: &str) -> Result<(), NsError> {
        Err(fixed(from))
    }
}

/// `/dev/time`'s line for `now`: seconds and nanoseconds since the epoch. A clock set
/// before 1970 reads as the epoch itself rather than failing.
fn time_line(now: SystemTime) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("{} {}\n", since.as_secs(), since.as_nanos())
}

/// An open stream device (`null`, `zero`, `random` or `cons`).
struct DevHandle {
    file: DevFile,
    can_read: bool,
    path: String,
    console: Arc<Console>,
}

impl DevHandle {
    fn io_error(&self, e: impl std::fmt::Display) -> NsError {
        NsError::Io {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }
}

impl FileHandle for DevHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.can_read {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        match self.file {
            DevFile::Null => Ok(0),
            DevFile::Zero => {
                buf.fill(0);
                Ok(buf.len())
            }
            DevFile::Random => {
                getrandom::fill(buf).map_err(|e| self.io_error(e))?;
                Ok(buf.len())
            }
            DevFile::Cons => self.console.read(buf).map_err(|e| self.io_error(e)),
            // Opened as a snapshot in `open`, never as a stream.
            DevFile::Time => Ok(0),
        }
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        match self.file {
            DevFile::Null | DevFile::Zero => Ok(buf.len()),
            DevFile::Cons => {
                self.console.write(buf).map_err(|e| self.io_error(e))?;
                Ok(buf.len())
            }
            DevFile::Random | DevFile::Time => Err(tree::read_only(&self.path)),
        }
    }

    fn seek(&mut self, _pos: SeekFrom) -> Result<u64, NsError> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests;
