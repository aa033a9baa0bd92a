//! File descriptors of a running command: what `<`, `>`, `<>`, `>[2=1]` and pipes rearrange.
//!
//! An [`Io`] is a small table of shared streams, cloned cheaply into every command and every
//! pipeline stage (a clone is a `dup`). Readers and writers are locked per call, so two
//! commands sharing a descriptor interleave whole writes, never bytes of one write.
//!
//! A table can carry its job's [`Control`] ([`Io::with_control`]): then every read and
//! write through it fails once the job is interrupted (Ctrl-C, `kill %N`), and waits while
//! it is stopped (Ctrl-Z), so a builtin busy copying bytes (say `cat f >> f`) obeys without
//! having to look at the flags itself.

use std::io::{self, Read, Write};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use super::control::Control;

/// A reader shared by every [`Fd`] that is a copy of it, as `dup`ed descriptors share one
/// file offset.
pub type SharedRead = Arc<Mutex<Box<dyn Read + Send>>>;
/// A writer shared the same way.
pub type SharedWrite = Arc<Mutex<Box<dyn Write + Send>>>;
/// A stream open both ways (`<>`), shared the same way: its reads and writes move one offset.
pub type SharedReadWrite = Arc<Mutex<Box<dyn ReadWrite + Send>>>;

/// What a descriptor open for reading and writing is over.
pub trait ReadWrite: Read + Write {}

impl<T: Read + Write> ReadWrite for T {}

/// One descriptor slot.
#[derive(Clone, Default)]
pub enum Fd {
    /// Open for reading.
    Read(SharedRead),
    /// Open for writing.
    Write(SharedWrite),
    /// Open for reading and writing (`<>`): a `dup` of it, like `>[1=0]`, is the same stream.
    ReadWrite(SharedReadWrite),
    /// Closed: reads see end of file, writes fail.
    #[default]
    Closed,
}

impl Fd {
    /// A descriptor reading from `r`.
    pub fn reader(r: impl Read + Send + 'static) -> Fd {
        Fd::Read(Arc::new(Mutex::new(Box::new(r))))
    }
    /// A descriptor writing to `w`.
    pub fn writer(w: impl Write + Send + 'static) -> Fd {
        Fd::Write(Arc::new(Mutex::new(Box::new(w))))
    }
    /// A descriptor reading from and writing to `rw`.
    pub fn read_writer(rw: impl Read + Write + Send + 'static) -> Fd {
        Fd::ReadWrite(Arc::new(Mutex::new(Box::new(rw))))
    }
}

/// A descriptor table. Index = descriptor number.
#[derive(Clone, Default)]
pub struct Io {
    fds: Vec<Fd>,
    interrupt: Option<Arc<Control>>,
}

impl Io {
    /// The process's own standard input, output and error.
    pub fn stdio() -> Io {
        let mut io = Io::default();
        io.set(0, Fd::reader(io::stdin()));
        io.set(1, Fd::writer(io::stdout()));
        io.set(2, Fd::writer(io::stderr()));
        io
    }

    /// The process's standard streams, with reads of standard input ended when `stop` says
    /// so while it is a terminal (see [`super::terminal`]): what an interactive shell hands
    /// its commands, so Ctrl-C stops `cat` waiting for a line, and the line typed next goes
    /// to the shell.
    pub fn terminal(stop: super::terminal::StopReading) -> Io {
        let mut io = Io::stdio();
        io.set(0, Fd::reader(super::terminal::TerminalInput::new(stop)));
        io
    }

    /// Empty input, and output into two shared buffers (for tests and `{cmd}` capture).
    pub fn buffers(out: Buffer, err: Buffer) -> Io {
        let mut io = Io::default();
        io.set(0, Fd::reader(io::empty()));
        io.set(1, Fd::writer(out));
        io.set(2, Fd::writer(err));
        io
    }

    /// This table, with reads and writes failing once `flag` is set.
    pub fn with_interrupt(&self, flag: Arc<AtomicBool>) -> Io {
        self.with_control(Control::with_flag(flag))
    }

    /// This table, with reads and writes failing once `control` is interrupted and waiting
    /// while it is stopped.
    pub fn with_control(&self, control: Arc<Control>) -> Io {
        Io {
            fds: self.fds.clone(),
            interrupt: Some(control),
        }
    }

    /// Descriptor `n`, closed if it was never set.
    pub fn get(&self, n: usize) -> Fd {
        self.fds.get(n).cloned().unwrap_or_default()
    }

    /// Makes descriptor `n` be `fd`, growing the table as needed.
    pub fn set(&mut self, n: usize, fd: Fd) {
        if self.fds.len() <= n {
            self.fds.resize(n + 1, Fd::Closed);
        }
        self.fds[n] = fd;
    }

    /// A reader over descriptor `n`; reading a closed or write-only descriptor fails.
    pub fn input(&self, n: usize) -> FdReader {
        FdReader {
            fd: self.get(n),
            n,
            interrupt: self.interrupt.clone(),
        }
    }

    /// A writer over descriptor `n`; writing a closed or read-only descriptor fails.
    pub fn output(&self, n: usize) -> FdWriter {
        FdWriter {
            fd: self.get(n),
            n,
            interrupt: self.interrupt.clone(),
        }
    }

    /// Descriptor 0 as a reader (end of file if it is not open for reading).
    pub fn stdin(&self) -> FdReader {
        self.input(0)
    }
    /// Descriptor 1 as a writer.
    pub fn stdout(&self) -> FdWriter {
        self.output(1)
    }
    /// Descriptor 2 as a writer.
    pub fn stderr(&self) -> FdWriter {
        self.output(2)
    }
}

/// `Read` over a shared descriptor.
pub struct FdReader {
    fd: Fd,
    n: usize,
    interrupt: Option<Arc<Control>>,
}

/// Fails once the job (if any) is interrupted; waits while it is stopped.
fn check(control: &Option<Arc<Control>>) -> io::Result<()> {
    match control {
        Some(control) => control.check().map_err(|e| io::Error::other(e.to_string())),
        None => Ok(()),
    }
}

impl Read for FdReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        check(&self.interrupt)?;
        match &self.fd {
            Fd::Read(r) => lock(r).read(buf),
            Fd::ReadWrite(rw) => lock(rw).read(buf),
            _ => Err(io::Error::other(format!(
                "fd {} is not open for reading",
                self.n
            ))),
        }
    }
}

/// Any reader whose reads fail once the interrupt flag is set, as the descriptors of an
/// [`Io::with_interrupt`] table do: what a builtin reading a namespace file directly uses,
/// so `tail /dev/zero` stops on Ctrl-C like `tail < /dev/zero`.
pub struct InterruptibleReader<R> {
    inner: R,
    interrupt: Option<Arc<Control>>,
}

impl<R> InterruptibleReader<R> {
    /// Wraps `inner` so a read returns `Interrupted` once `interrupt` is set.
    pub fn new(inner: R, interrupt: Arc<AtomicBool>) -> Self {
        Self::with_control(inner, Control::with_flag(interrupt))
    }

    /// Wraps `inner` so a read fails once `control` is interrupted, and waits while stopped.
    pub fn with_control(inner: R, control: Arc<Control>) -> Self {
        InterruptibleReader {
            inner,
            interrupt: Some(control),
        }
    }
}

impl<R: Read> Read for InterruptibleReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        check(&self.interrupt)?;
        self.inner.read(buf)
    }
}

/// `Write` over a shared descriptor.
pub struct FdWriter {
    fd: Fd,
    n: usize,
    interrupt: Option<Arc<Control>>,
}

impl Write for FdWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        check(&self.interrupt)?;
        match &self.fd {
            Fd::Write(w) => lock(w).write(buf),
            Fd::ReadWrite(rw) => lock(rw).write(buf),
            _ => Err(io::Error::other(format!(
                "fd {} is not open for writing",
                self.n
            ))),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        check(&self.interrupt)?;
        // One lock for the whole buffer: concurrent writers interleave whole writes.
        match &self.fd {
            Fd::Write(w) => lock(w).write_all(buf),
            Fd::ReadWrite(rw) => lock(rw).write_all(buf),
            _ => Err(io::Error::other(format!(
                "fd {} is not open for writing",
                self.n
            ))),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &self.fd {
            Fd::Write(w) => lock(w).flush(),
            Fd::ReadWrite(rw) => lock(rw).flush(),
            _ => Ok(()),
        }
    }
}

/// A poisoned lock only means another command panicked mid-write; the bytes are still usable.
fn lock<T: ?Sized>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A growable byte buffer shared between a writer and whoever reads it afterwards.
#[derive(Clone, Default)]
pub struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    /// An empty buffer.
    pub fn new() -> Buffer {
        Buffer::default()
    }
    /// The bytes written so far, leaving it empty.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *lock(&self.0))
    }
    /// A copy of the bytes written so far.
    pub fn contents(&self) -> Vec<u8> {
        lock(&self.0).clone()
    }
}

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn an_interrupt_stops_reads_and_writes() {
        let flag = Arc::new(AtomicBool::new(false));
        let io = Io::buffers(Buffer::new(), Buffer::new()).with_interrupt(flag.clone());
        assert!(io.stdout().write_all(b"x").is_ok());
        flag.store(true, Ordering::Relaxed);
        assert!(io.stdout().write_all(b"x").is_err());
        assert!(io.stdin().read(&mut [0; 4]).is_err());
    }

    #[test]
    fn a_read_write_descriptor_and_its_dup_share_one_offset() {
        let mut io = Io::default();
        io.set(0, Fd::read_writer(io::Cursor::new(b"hello\n".to_vec())));
        io.set(1, io.get(0));
        assert!(io.stdout().write_all(b"XY").is_ok());
        let mut rest = String::new();
        assert!(io.stdin().read_to_string(&mut rest).is_ok());
        assert_eq!(rest, "llo\n");
        assert!(io.output(0).write_all(b"!").is_ok());
        assert!(io.input(1).read(&mut [0; 4]).is_ok_and(|n| n == 0));
    }

    #[test]
    fn an_interrupt_stops_an_interruptible_reader() {
        let flag = Arc::new(AtomicBool::new(false));
        let mut reader = InterruptibleReader::new(io::repeat(0), flag.clone());
        assert_eq!(reader.read(&mut [1; 4]).ok(), Some(4));
        flag.store(true, Ordering::Relaxed);
        assert!(reader.read(&mut [1; 4]).is_err());
    }
}
