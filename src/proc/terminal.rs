//! Reading the terminal so that Ctrl-C can stop the reader.
//!
//! A command that reads the terminal (`cat`, `cat | wc`, `spawn cat`, `cat /dev/cons`) would
//! otherwise sit in read(2) until Enter, and take the next line the person types, meant for
//! the shell, as its input. Every read of the process's standard input when it is a terminal
//! goes through [`TerminalInput`]: it waits for input in short poll(2) slices and asks its
//! [`StopReading`] between them whether to give up (the shell answers: the job reading was
//! interrupted, or the job in the terminal's foreground was, by Ctrl-C), so the read ends at
//! once, before a byte is taken. Standard input that is not a terminal (a pipe, a file) is
//! read as it always was: its reads end by themselves. This reader never buffers: what it
//! did not return is still the terminal's, for the line editor to read.

use std::io::{self, IsTerminal, Read};
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, Timespec, poll};

/// How long one wait for input lasts before the interrupt flag is looked at again: short
/// enough that Ctrl-C feels immediate, long enough that an idle reader costs nothing.
const SLICE: Duration = Duration::from_millis(40);

/// Asked, on the reading thread, between waits for input: whether the read should give up.
pub type StopReading = Arc<dyn Fn() -> bool + Send + Sync>;

/// The process's standard input, read so that a read of the terminal ends when its
/// [`StopReading`] says so.
pub struct TerminalInput {
    stop: StopReading,
    /// Whether fd 0 is a terminal, decided once: a pipe is read with plain blocking reads.
    terminal: bool,
}

impl TerminalInput {
    /// Standard input; while it is a terminal, a read fails once `stop` answers true.
    pub fn new(stop: StopReading) -> TerminalInput {
        TerminalInput {
            stop,
            terminal: io::stdin().is_terminal(),
        }
    }
}

impl Read for TerminalInput {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.terminal {
            return io::stdin().read(buf);
        }
        read_terminal(buf, &*self.stop)
    }
}

/// The error of a read that Ctrl-C ended: not [`io::ErrorKind::Interrupted`], which readers
/// retry (`read_to_end`, `io::copy`), but the message every stopped read in oash gives.
pub fn interrupted() -> io::Error {
    io::Error::other("interrupted")
}

/// One read of the terminal on fd 0 that gives up, taking nothing, once `stop` says so. In
/// canonical mode a read returns at most one line, so nothing beyond the line the reader
/// asked for is ever consumed.
fn read_terminal(buf: &mut [u8], stop: &(dyn Fn() -> bool + Send + Sync)) -> io::Result<usize> {
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let slice = Timespec {
        tv_sec: 0,
        tv_nsec: SLICE.as_nanos() as _,
    };
    loop {
        if stop() {
            return Err(interrupted());
        }
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        match poll(&mut fds, Some(&slice)) {
            Ok(0) => continue,
            Err(rustix::io::Errno::INTR) => continue,
            // Ready, or hung up (the read then sees end of file or the error). A terminal
            // poll(2) cannot watch (macOS answers POLLNVAL for ttys) is read blocking, as
            // before this reader existed, rather than not at all.
            Ok(_) | Err(_) => break,
        }
    }
    if stop() {
        return Err(interrupted());
    }
    loop {
        match rustix::io::read(fd, &mut *buf) {
            Ok(n) => return Ok(n),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_ends_a_terminal_read_at_once_taking_nothing() {
        // Whatever fd 0 is under the test runner, the stop is asked before any read.
        let mut input = TerminalInput {
            stop: Arc::new(|| true),
            terminal: true,
        };
        let err = input.read(&mut [0; 8]).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("interrupted"));
    }
}
