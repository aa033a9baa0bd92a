//! `logs`: append-only structured logs, one JSON object per line (`mount logs /log`).
//!
//! Any file created under the mount (and under directories made with `mkdir`) is a log.
//! Each `write` call on an open handle is one record: its bytes must be one JSON object (a
//! trailing newline is fine; an empty write is no record). The log stores it as one line,
//! adding two fields it owns, first: `"seq"` (1, 2, 3... per log) and `"ts"` (RFC 3339 UTC
//! with milliseconds, `2026-11-24T13:20:00.123Z`). The caller's fields follow in the order
//! written. A record that brings its own `seq` or `ts` is refused rather than silently
//! renamed: the log's numbering must be the only one. A log named `*.atif` is an agent
//! trajectory: its records are steps, checked field by field (`super::atif`), and the
//! owned fields are `step_id` and `timestamp` instead.
//!
//! Nothing written is ever lost or changed: a refused write leaves the log as it was, and
//! opening with truncate (on a log that has records), writing anywhere but at the end,
//! removing and renaming are refused with `permission denied (append-only...)`. Reading gives
//! the lines, each newline-terminated. A reader that reached the end can wait for more with
//! [`FileHandle::wait_for_more`]: every append wakes the waiting readers of its log, which
//! is how `tail -f` follows a log without polling. This service must never block a writer on
//! a reader, and never hold more than [`MAX_RECORD_SIZE`] for one record.

use std::io::SeekFrom;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use super::atif;
use super::mem::{MAX_FILE_SIZE, read_at, seek};
use super::tree::{Found, Tree};
use crate::ns::path;
use crate::ns::{DirEntry, FileHandle, FileKind, FileService, NsError, OpenFlags, Stat};

/// Largest record one write may carry.
pub const MAX_RECORD_SIZE: usize = 1 << 20;

/// Where the log's timestamps come from (the system clock, unless a test fixes it).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// What a log's records must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogKind {
    /// Any JSON object; the log adds `seq` and `ts`.
    Plain,
    /// An ATIF step; the log adds `step_id` and `timestamp`.
    Trajectory,
}

impl LogKind {
    /// A log's kind follows from its name, which never changes (rename is refused).
    fn of(name: &str) -> LogKind {
        match name.ends_with(".atif") {
            true => LogKind::Trajectory,
            false => LogKind::Plain,
        }
    }

    /// The stored line, `\n` included, for the record `bytes`; or what is wrong with it.
    fn line(self, bytes: &[u8], seq: u64, now: SystemTime) -> Result<Vec<u8>, RecordError> {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let ts = rfc3339_millis(now);
        let mut line = match self {
            LogKind::Plain => plain_record(bytes, seq, &ts)?,
            LogKind::Trajectory => atif::step_record(bytes, seq, &ts)?,
        };
        line.push(b'\n');
        Ok(line)
    }
}

/// Why a write is not a record the log can store (the message of the refused write).
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The bytes are not JSON.
    #[error("not JSON: {0}")]
    NotJson(serde_json::Error),
    /// JSON, but not an object (named: `a number`, `an array`, ...).
    #[error("not a JSON object: got {0}")]
    NotObject(&'static str),
    /// The record brings a field the log owns (`seq`, `ts`).
    #[error("\"{0}\" is set by the log, not by the writer")]
    OwnedField(&'static str),
    /// A trajectory's record is not a step.
    #[error(transparent)]
    Step(#[from] atif::StepError),
    /// The checked record could not be written back as JSON.
    #[error("cannot store it: {0}")]
    Store(serde_json::Error),
}

/// A plain record: the caller's object behind `seq` and `ts`.
fn plain_record(bytes: &[u8], seq: u64, ts: &str) -> Result<Vec<u8>, RecordError> {
    let value: Value = serde_json::from_slice(bytes).map_err(RecordError::NotJson)?;
    let Value::Object(fields) = value else {
        return Err(RecordError::NotObject(type_name(&value)));
    };
    for owned in ["seq", "ts"] {
        if fields.contains_key(owned) {
            return Err(RecordError::OwnedField(owned));
        }
    }
    let mut record = Map::with_capacity(fields.len() + 2);
    record.insert("seq".into(), Value::from(seq));
    record.insert("ts".into(), Value::from(ts));
    record.extend(fields);
    serde_json::to_vec(&Value::Object(record)).map_err(RecordError::Store)
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub use crate::units::rfc3339_millis;

/// The lines of one log so far.
struct LogState {
    text: Vec<u8>,
    records: u64,
    modified: SystemTime,
}

/// One log: its lines, and the condition its followers wait on.
struct Log {
    kind: LogKind,
    state: Mutex<LogState>,
    grown: Condvar,
}

impl Log {
    fn new(kind: LogKind, now: SystemTime) -> Arc<Log> {
        Arc::new(Log {
            kind,
            state: Mutex::new(LogState {
                text: Vec::new(),
                records: 0,
                modified: now,
            }),
            grown: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, LogState> {
        // Appends finish before they can panic: a poisoned log still holds whole lines.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The refusal of anything that would change what a log already holds.
fn append_only(at: &str, why: &str) -> NsError {
    NsError::Denied {
        path: at.to_string(),
        reason: format!("append-only: {why}"),
    }
}

/// A tree of directories and logs.
pub struct LogsService {
    tree: RwLock<Tree<Arc<Log>>>,
    clock: Clock,
}

impl Default for LogsService {
    fn default() -> Self {
        Self::new()
    }
}

impl LogsService {
    /// An empty service stamping records with the system clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemTime::now))
    }

    /// An empty service stamping records with `clock` (tests fix the time this way).
    pub fn with_clock(clock: Clock) -> Self {
        LogsService {
            tree: RwLock::new(Tree::default()),
            clock,
        }
    }

    fn read_tree(&self) -> RwLockReadGuard<'_, Tree<Arc<Log>>> {
        // The tree only gains names, each whole: a poisoned tree is still consistent.
        self.tree
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_tree(&self) -> RwLockWriteGuard<'_, Tree<Arc<Log>>> {
        self.tree
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The log at `at`, made when `create` allows and its directory exists.
    fn find_or_create(&self, at: &str, flags: OpenFlags) -> Result<Arc<Log>, NsError> {
        let mut tree = self.write_tree();
        match tree.lookup(at) {
            Ok(Found::Leaf(_)) | Ok(Found::Dir(_)) if flags.create && flags.exclusive => {
                Err(NsError::Exists {
                    path: at.to_string(),
                })
            }
            Ok(Found::Leaf(log)) => Ok(Arc::clone(log)),
            Ok(Found::Dir(_)) => Err(NsError::IsDir {
                path: at.to_string(),
            }),
            Err(NsError::NotFound { .. }) if flags.create => {
                require_dir(&tree, path::parent(at), at)?;
                let log = Log::new(LogKind::of(path::base_name(at)), (self.clock)());
                tree.insert_leaf(at, Arc::clone(&log))?;
                Ok(log)
            }
            Err(e) => Err(e),
        }
    }
}

/// Fails unless `dir` is an existing directory; errors name `full`. Only `mkdir` makes
/// directories: creating a log never makes its parents.
fn require_dir(tree: &Tree<Arc<Log>>, dir: &str, full: &str) -> Result<(), NsError> {
    match tree.lookup(dir) {
        Ok(Found::Dir(_)) => Ok(()),
        Ok(Found::Leaf(_)) | Err(NsError::NotDir { .. }) => Err(NsError::NotDir {
            path: full.to_string(),
        }),
        Err(_) => Err(NsError::NotFound {
            path: full.to_string(),
        }),
    }
}

impl FileService for LogsService {
    fn kind(&self) -> &str {
        "logs"
    }

    fn open(&self, at: &str, flags: OpenFlags) -> Result<Box<dyn FileHandle>, NsError> {
        let log = self.find_or_create(at, flags)?;
        // Truncating an empty log loses nothing, so `echo {} > /log/new` may make one.
        if flags.truncate && log.lock().records > 0 {
            return Err(append_only(at, "truncating would lose records (use >>)"));
        }
        Ok(Box::new(LogHandle {
            log,
            offset: 0,
            flags,
            path: at.to_string(),
            clock: Arc::clone(&self.clock),
        }))
    }

    fn stat(&self, at: &str) -> Result<Stat, NsError> {
        let tree = self.read_tree();
        let (kind, size, modified) = match tree.lookup(at)? {
            Found::Leaf(log) => {
                let state = log.lock();
                (
                    FileKind::File,
                    state.text.len() as u64,
                    Some(state.modified),
                )
            }
            Found::Dir(_) => (FileKind::Dir, 0, None),
        };
        Ok(Stat {
            name: path::base_name(at).to_string(),
            kind,
            size,
            modified,
            read_only: false,
        })
    }

    fn readdir(&self, at: &str) -> Result<Vec<DirEntry>, NsError> {
        self.read_tree().readdir(at)
    }

    fn mkdir(&self, at: &str) -> Result<(), NsError> {
        let mut tree = self.write_tree();
        if tree.lookup(at).is_ok() {
            return Err(NsError::Exists {
                path: at.to_string(),
            });
        }
        require_dir(&tree, path::parent(at), at)?;
        tree.insert_dir(at)
    }

    fn remove(&self, at: &str) -> Result<(), NsError> {
        self.read_tree().lookup(at)?;
        Err(append_only(at, "nothing in a logs service is removed"))
    }

    fn rename(&self, from: &str, _to: &str) -> Result<(), NsError> {
        self.read_tree().lookup(from)?;
        Err(append_only(from, "nothing in a logs service is renamed"))
    }
}

/// An open log: the shared log plus this handle's own offset.
struct LogHandle {
    log: Arc<Log>,
    offset: u64,
    flags: OpenFlags,
    path: String,
    clock: Clock,
}

impl LogHandle {
    fn bad_record(&self, message: String) -> NsError {
        NsError::Io {
            path: self.path.clone(),
            message,
        }
    }
}

impl FileHandle for LogHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        if !self.flags.read {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for reading".into(),
            });
        }
        Ok(read_at(&self.log.lock().text, &mut self.offset, buf))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        if !self.flags.write {
            return Err(NsError::Denied {
                path: self.path.clone(),
                reason: "not open for writing".into(),
            });
        }
        if buf.is_empty() {
            return Ok(0);
        }
        if buf.len() > MAX_RECORD_SIZE {
            return Err(self.bad_record(format!("record over {MAX_RECORD_SIZE} bytes")));
        }
        // One lock from the offset check to the append: records never interleave, and a
        // refused record leaves the log exactly as it was.
        let mut state = self.log.lock();
        let end = state.text.len() as u64;
        if !self.flags.append && self.offset != end {
            return Err(append_only(
                &self.path,
                &format!(
                    "writes go at the end ({end}), not at {} (use >>)",
                    self.offset
                ),
            ));
        }
        let now = (self.clock)();
        let line = self
            .log
            .kind
            .line(buf, state.records + 1, now)
            .map_err(|why| self.bad_record(why.to_string()))?;
        if end + line.len() as u64 > MAX_FILE_SIZE {
            return Err(self.bad_record(format!("log full ({MAX_FILE_SIZE} bytes)")));
        }
        state.text.extend_from_slice(&line);
        state.records += 1;
        state.modified = now;
        self.offset = state.text.len() as u64;
        drop(state);
        self.log.grown.notify_all();
        Ok(buf.len())
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let log = &self.log;
        seek(
            pos,
            &mut self.offset,
            || log.lock().text.len() as u64,
            &self.path,
        )
    }

    fn wait_for_more(&mut self, timeout: Duration) -> Result<(), NsError> {
        let state = self.log.lock();
        if state.text.len() as u64 > self.offset {
            return Ok(());
        }
        // Spurious wake-ups are fine: the caller reads, finds nothing, and waits again.
        let _ = self
            .log
            .grown
            .wait_timeout(state, timeout)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
