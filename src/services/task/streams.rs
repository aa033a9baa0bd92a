//! A task's standard streams as files: [`Output`] behind `fd/1` and `fd/2`, [`Input`] behind
//! `fd/0`.
//!
//! - **Output** keeps everything the task wrote (up to [`OUTPUT_LIMIT`] bytes a stream; a
//!   write past it fails in the guest). Every reader starts at the beginning, so a reader
//!   that comes after the end sees it all. A read at the end of what was written *waits*
//!   while the task has not ended, as a pipe does, and returns end-of-file once it has: `cat /task/1/fd/1` after `start` prints
//!   the whole output and returns when the task ends. `wait_for_more` follows it (`tail -f`).
//! - **Input** is a pipe into the task: what is written to `fd/0` is read by the task; the
//!   first close of an `fd/0` handle is end-of-file. At most [`INPUT_LIMIT`] bytes wait
//!   unread: a writer past it waits for the running task to read, and fails if the task has
//!   not begun reading or has ended.
//!
//! Every wait is in slices of [`SLICE`] and gives up when the waiting thread's
//! [`Caller`] is interrupted (Ctrl-C in the shell; a kill of the guest that waits), so no
//! wait here can hang a shell or keep a killed guest alive. Nothing here may know what a
//! task is beyond the `ended` test it is given.

use std::collections::VecDeque;
use std::io::{self, Read, SeekFrom, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::ns::{Caller, FileHandle, NsError};

/// Most bytes kept of one output stream of one task.
pub const OUTPUT_LIMIT: usize = 16 << 20;
/// Most bytes written to `fd/0` that may wait unread.
pub const INPUT_LIMIT: usize = 1 << 20;
/// How long one wait lasts before the waiter looks at its interrupt flag and the task again.
pub const SLICE: Duration = Duration::from_millis(20);

/// Whether the task has ended (or will never run): asked by waiters between slices.
pub type Ended = Arc<dyn Fn() -> bool + Send + Sync>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn interrupted(flag: &Option<Arc<AtomicBool>>) -> bool {
    flag.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
}

fn denied(path: &str, reason: &str) -> NsError {
    NsError::Denied {
        path: path.to_string(),
        reason: reason.to_string(),
    }
}

fn io_error(path: &str, message: impl Into<String>) -> NsError {
    NsError::Io {
        path: path.to_string(),
        message: message.into(),
    }
}

/// One output stream of a task: everything written so far.
#[derive(Default)]
pub struct Output {
    state: Mutex<OutputState>,
    grown: Condvar,
}

#[derive(Default)]
struct OutputState {
    bytes: Vec<u8>,
    /// The task's writer is gone: nothing more will come.
    closed: bool,
}

impl Output {
    pub fn new() -> Arc<Output> {
        Arc::new(Output::default())
    }

    /// The task's end: what its stdout or stderr descriptor writes into.
    pub fn writer(self: &Arc<Self>) -> OutputWriter {
        OutputWriter(Arc::clone(self))
    }

    fn close(&self) {
        lock(&self.state).closed = true;
        self.grown.notify_all();
    }

    /// A file handle reading the stream from its start; `ended` tells it when to stop waiting.
    pub fn reader(self: &Arc<Self>, path: &str, ended: Ended) -> OutputHandle {
        OutputHandle {
            output: Arc::clone(self),
            offset: 0,
            path: path.to_string(),
            ended,
            interrupt: Caller::current_interrupt(),
        }
    }
}

/// What the task writes its output through. Dropping it (the task's descriptor going away
/// at its end) tells the readers that nothing more will come.
pub struct OutputWriter(Arc<Output>);

impl Write for OutputWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut state = lock(&self.0.state);
        if state.bytes.len().saturating_add(buf.len()) > OUTPUT_LIMIT {
            return Err(io::Error::other(format!(
                "task output over {OUTPUT_LIMIT} bytes"
            )));
        }
        state.bytes.extend_from_slice(buf);
        drop(state);
        self.0.grown.notify_all();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for OutputWriter {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// An open `fd/1` or `fd/2`.
pub struct OutputHandle {
    output: Arc<Output>,
    offset: u64,
    path: String,
    ended: Ended,
    /// The opener's interrupt flag: a waiting read gives up when it is set.
    interrupt: Option<Arc<AtomicBool>>,
}

impl OutputHandle {
    /// Copies what lies past the offset; `None` when there is nothing yet but more may come.
    fn try_read(&mut self, buf: &mut [u8]) -> Option<usize> {
        let state = lock(&self.output.state);
        let start = usize::try_from(self.offset).unwrap_or(usize::MAX);
        if let Some(rest) = state.bytes.get(start..).filter(|rest| !rest.is_empty()) {
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.offset += n as u64;
            return Some(n);
        }
        if buf.is_empty() {
            return Some(0);
        }
        drop(state);
        // Only the core's word ends the stream: the writer goes a moment before the task
        // is recorded as ended, and a reader that stops must find `status` final.
        if !(self.ended)() {
            return None;
        }
        // Ended, so the writer is gone and what is there now is all there will be; but the
        // task may have written (and ended) between the look above and the word just taken,
        // so look once more before saying end-of-file.
        let state = lock(&self.output.state);
        let rest = state.bytes.get(start..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.offset += n as u64;
        Some(n)
    }

    fn wait_slice(&self, timeout: Duration) {
        let state = lock(&self.output.state);
        if state.bytes.len() as u64 > self.offset {
            return;
        }
        if state.closed {
            // Nothing more can come; the end is being recorded: a short nap, not a spin.
            drop(state);
            std::thread::sleep(Duration::from_millis(1).min(timeout));
            return;
        }
        // Spurious wake-ups are fine: the caller looks again.
        let _ = self
            .output
            .grown
            .wait_timeout(state, timeout)
            .unwrap_or_else(PoisonError::into_inner);
    }
}

impl FileHandle for OutputHandle {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, NsError> {
        loop {
            if let Some(n) = self.try_read(buf) {
                return Ok(n);
            }
            if interrupted(&self.interrupt) {
                return Err(io_error(&self.path, "interrupted"));
            }
            self.wait_slice(SLICE);
        }
    }

    fn write(&mut self, _buf: &[u8]) -> Result<usize, NsError> {
        Err(denied(&self.path, "the task's output is read-only"))
    }

    fn seek(&mut self, pos: SeekFrom) -> Result<u64, NsError> {
        let len = lock(&self.output.state).bytes.len() as u64;
        let target = match pos {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::Current(delta) => self.offset.checked_add_signed(delta),
            SeekFrom::End(delta) => len.checked_add_signed(delta),
        };
        self.offset = target.ok_or_else(|| io_error(&self.path, "seek before the start"))?;
        Ok(self.offset)
    }

    fn wait_for_more(&mut self, timeout: Duration) -> Result<(), NsError> {
        self.wait_slice(timeout);
        Ok(())
    }
}

/// A task's standard input: bytes written to `fd/0`, waiting for the task to read them.
#[derive(Default)]
pub struct Input {
    state: Mutex<InputState>,
    changed: Condvar,
}

#[derive(Default)]
struct InputState {
    pending: VecDeque<u8>,
    /// A writer closed `fd/0`: once `pending` is drained the task reads end-of-file.
    eof: bool,
    /// The task has read (or waited to read) at least once.
    attached: bool,
    /// The task's reader is gone: it has ended.
    reader_gone: bool,
}

impl Input {
    pub fn new() -> Arc<Input> {
        Arc::new(Input::default())
    }

    /// The task's end: what its stdin descriptor reads from.
    pub fn reader(self: &Arc<Self>) -> InputReader {
        InputReader(Arc::clone(self))
    }

    /// Ends the input: the task reads what is pending, then end-of-file.
    pub fn close(&self) {
        lock(&self.state).eof = true;
        self.changed.notify_all();
    }

    /// A file handle writing into the input (`fd/0`), or an error if it was closed.
    pub fn writer(self: &Arc<Self>, path: &str, ended: Ended) -> Result<InputHandle, NsError> {
        if lock(&self.state).eof {
            return Err(io_error(path, "the task's input has been closed"));
        }
        Ok(InputHandle {
            input: Arc::clone(self),
            path: path.to_string(),
            ended,
            interrupt: Caller::current_interrupt(),
            closed: false,
        })
    }
}

/// What the task reads its input through. A read waits for bytes or end-of-file, giving up
/// (with an error) when the reading thread's caller is interrupted: a killed guest stops.
pub struct InputReader(Arc<Input>);

impl Read for InputReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let interrupt = Caller::current_interrupt();
        let mut state = lock(&self.0.state);
        state.attached = true;
        loop {
            if !state.pending.is_empty() {
                let n = state.pending.len().min(buf.len());
                for (slot, byte) in buf.iter_mut().zip(state.pending.drain(..n)) {
                    *slot = byte;
                }
                drop(state);
                self.0.changed.notify_all();
                return Ok(n);
            }
            if state.eof {
                return Ok(0);
            }
            if interrupted(&interrupt) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "killed"));
            }
            state = self
                .0
                .changed
                .wait_timeout(state, SLICE)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

impl Drop for InputReader {
    fn drop(&mut self) {
        lock(&self.0.state).reader_gone = true;
        self.0.changed.notify_all();
    }
}

/// An open `fd/0`: writes go to the task; its close is the task's end-of-file.
pub struct InputHandle {
    input: Arc<Input>,
    path: String,
    ended: Ended,
    interrupt: Option<Arc<AtomicBool>>,
    closed: bool,
}

impl FileHandle for InputHandle {
    fn read(&mut self, _buf: &mut [u8]) -> Result<usize, NsError> {
        Err(denied(&self.path, "the task's input is write-only"))
    }

    fn write(&mut self, buf: &[u8]) -> Result<usize, NsError> {
        let mut state = lock(&self.input.state);
        loop {
            if state.eof || self.closed {
                return Err(io_error(&self.path, "the task's input has been closed"));
            }
            if state.reader_gone {
                return Err(io_error(&self.path, "the task has ended"));
            }
            let room = INPUT_LIMIT.saturating_sub(state.pending.len());
            if room > 0 || buf.is_empty() {
                let n = room.min(buf.len());
                state.pending.extend(&buf[..n]);
                drop(state);
                self.input.changed.notify_all();
                return Ok(n);
            }
            // Full: only a task that reads can make room.
            if !state.attached {
                return Err(io_error(
                    &self.path,
                    format!("{INPUT_LIMIT} bytes wait unread and the task is not reading"),
                ));
            }
            drop(state);
            if (self.ended)() {
                return Err(io_error(&self.path, "the task has ended"));
            }
            if interrupted(&self.interrupt) {
                return Err(io_error(&self.path, "interrupted"));
            }
            state = lock(&self.input.state);
            state = self
                .input
                .changed
                .wait_timeout(state, SLICE)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn seek(&mut self, _pos: SeekFrom) -> Result<u64, NsError> {
        Err(NsError::Unsupported {
            path: self.path.clone(),
            op: "seek",
        })
    }

    fn close(&mut self) -> Result<(), NsError> {
        if !std::mem::replace(&mut self.closed, true) {
            self.input.close();
        }
        Ok(())
    }
}

impl Drop for InputHandle {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ns::Namespace;
    use crate::services::mem::MemService;

    fn never_ends() -> Ended {
        Arc::new(|| false)
    }

    fn ended() -> Ended {
        Arc::new(|| true)
    }

    fn read_all(handle: &mut dyn FileHandle) -> Result<Vec<u8>, NsError> {
        let mut bytes = Vec::new();
        let mut buf = [0; 7];
        loop {
            match handle.read(&mut buf)? {
                0 => return Ok(bytes),
                n => bytes.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[test]
    fn every_output_reader_starts_at_the_beginning() {
        let output = Output::new();
        let mut writer = output.writer();
        assert!(writer.write_all(b"one\ntwo\n").is_ok());
        drop(writer);
        let mut first = output.reader("/1/fd/1", ended());
        assert_eq!(read_all(&mut first).ok(), Some(b"one\ntwo\n".to_vec()));
        let mut late = output.reader("/1/fd/1", ended());
        assert_eq!(late.seek(SeekFrom::End(-4)).ok(), Some(4));
        assert_eq!(read_all(&mut late).ok(), Some(b"two\n".to_vec()));
        assert!(late.seek(SeekFrom::Current(-9)).is_err());
        assert!(matches!(late.write(b"x"), Err(NsError::Denied { .. })));
    }

    /// The task writes all its output and ends between the reader's look at the bytes and
    /// its asking whether the task has ended: the reader must still get every byte (this
    /// lost a whole task's output under load before).
    #[test]
    fn output_written_just_before_the_end_is_not_lost() {
        let output = Output::new();
        let late_writer = Mutex::new(Some(output.writer()));
        let ends_after_writing: Ended = Arc::new(move || {
            if let Some(mut writer) = lock(&late_writer).take() {
                assert!(writer.write_all(b"last words\n").is_ok());
            }
            true
        });
        let mut reader = output.reader("/1/fd/1", ends_after_writing);
        assert_eq!(read_all(&mut reader).ok(), Some(b"last words\n".to_vec()));
    }

    #[test]
    fn output_past_its_limit_fails_the_writer() {
        let output = Output::new();
        let mut writer = output.writer();
        assert!(writer.write_all(&vec![b'x'; OUTPUT_LIMIT]).is_ok());
        let over = writer.write(b"y");
        assert!(over.is_err_and(|e| e.to_string().contains("task output over")));
    }

    #[test]
    fn a_reader_at_the_end_waits_for_more_and_obeys_its_interrupt() {
        let output = Output::new();
        let flag = Arc::new(AtomicBool::new(false));
        let ns = Namespace::new(Arc::new(MemService::new()));
        Caller::enter(&ns, "/", Some(&flag));
        let mut reader = output.reader("/1/fd/1", never_ends());
        let mut writer = output.writer();
        let late = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            let _ = writer.write_all(b"late");
            writer
        });
        let mut buf = [0; 8];
        assert_eq!(reader.read(&mut buf).ok(), Some(4));
        let _writer = late.join();
        flag.store(true, Ordering::Relaxed);
        let stopped = reader.read(&mut buf);
        assert!(matches!(stopped, Err(NsError::Io { message, .. }) if message == "interrupted"));
    }

    #[test]
    fn input_is_a_pipe_whose_first_close_is_end_of_file() {
        let input = Input::new();
        let mut reader = input.reader();
        let writer = input.writer("/1/fd/0", never_ends());
        let Ok(mut writer) = writer else {
            panic!("fd/0 opens")
        };
        assert_eq!(writer.write(b"abc").ok(), Some(3));
        assert!(writer.close().is_ok());
        assert!(matches!(writer.write(b"d"), Err(NsError::Io { .. })));
        let mut bytes = Vec::new();
        assert_eq!(reader.read_to_end(&mut bytes).ok(), Some(3));
        assert!(
            input
                .writer("/1/fd/0", never_ends())
                .is_err_and(|e| e.to_string() == "/1/fd/0: the task's input has been closed")
        );
    }

    #[test]
    fn input_refuses_more_than_its_limit_before_the_task_reads() {
        let input = Input::new();
        let Ok(mut writer) = input.writer("/1/fd/0", ended()) else {
            panic!("fd/0 opens")
        };
        assert_eq!(
            writer.write(&vec![0; INPUT_LIMIT + 5]).ok(),
            Some(INPUT_LIMIT)
        );
        let full = writer.write(b"more");
        assert!(full.is_err_and(|e| e.to_string().contains("the task is not reading")));
        drop(input.reader());
        let gone = writer.write(b"more");
        assert!(gone.is_err_and(|e| e.to_string() == "/1/fd/0: the task has ended"));
    }

    #[test]
    fn a_task_waiting_for_input_stops_when_its_caller_is_killed() {
        let input = Input::new();
        let mut reader = input.reader();
        let cancel = Arc::new(AtomicBool::new(false));
        let killer = Arc::clone(&cancel);
        let guest = std::thread::spawn(move || {
            let ns = Namespace::new(Arc::new(MemService::new()));
            Caller::enter(&ns, "/", Some(&cancel));
            reader.read(&mut [0; 4]).map_err(|e| e.kind())
        });
        std::thread::sleep(Duration::from_millis(30));
        killer.store(true, Ordering::Relaxed);
        let read = guest.join().ok();
        assert_eq!(read, Some(Err(io::ErrorKind::Interrupted)));
    }
}
