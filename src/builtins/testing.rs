//! The test harness every builtin group shares: run a builtin on given descriptors in a
//! given shell and keep what it left behind. Each group adds its own fixtures on top.

use std::io::{self, Cursor, Write};

use super::{Builtin, Ctx};
use crate::eval::{Buffer, Fd, Io, Shell, ShellError, Status};

/// What one run left behind.
pub struct Run {
    pub out: Vec<u8>,
    pub err: String,
    pub result: Result<Status, ShellError>,
}

impl Run {
    /// Standard output as text (tests feed text unless they test bytes).
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.out).into_owned()
    }
    /// The status, or the error's message prefixed with `error: `.
    pub fn status(&self) -> String {
        match &self.result {
            Ok(status) => status.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }
    /// The argument index a namespace error points at.
    pub fn arg(&self) -> Option<usize> {
        match &self.result {
            Err(ShellError::Ns { arg, .. }) => *arg,
            _ => None,
        }
    }
}

/// Runs `builtin` with `args` in `shell`, `stdin` on descriptor 0, output kept.
pub fn run_in(shell: &mut Shell, builtin: &Builtin, args: &[&str], stdin: &[u8]) -> Run {
    let (out, err) = (Buffer::new(), Buffer::new());
    let mut io = Io::buffers(out.clone(), err.clone());
    io.set(0, Fd::reader(Cursor::new(stdin.to_vec())));
    let result = call(shell, builtin, args, io);
    Run {
        out: out.take(),
        err: String::from_utf8_lossy(&err.take()).into_owned(),
        result,
    }
}

/// Runs `builtin` with `args` on the descriptors `io`.
pub fn call(
    shell: &mut Shell,
    builtin: &Builtin,
    args: &[&str],
    io: Io,
) -> Result<Status, ShellError> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut ctx = Ctx {
        shell,
        io,
        name: builtin.name,
    };
    (builtin.run)(&mut ctx, &args)
}

/// A standard output whose reader has gone away: every write fails with `BrokenPipe`.
pub struct Gone;

impl Write for Gone {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> io::Result<()> {
        Err(io::ErrorKind::BrokenPipe.into())
    }
}
