//! The builtins: every command oash runs without a program.
//!
//! Commands are data: each builtin is a [`Builtin`] value declaring its name, a one-line
//! synopsis, a usage line and its entry point, in one place. `help` prints from these, the
//! REPL completes from them, and `whatis` reports them. A builtin never touches the host file
//! system: every path it takes goes through the shell's namespace ([`Ctx::open_read`] & co.).

pub(crate) mod args;
pub mod core;
pub mod fs;
pub mod info;
pub mod limits;
pub mod nsverbs;
pub(crate) mod operands;
pub mod rhai;
pub mod tasks;
#[cfg(test)]
mod testing;
pub mod text;

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use crate::eval::io::InterruptibleReader;
use crate::eval::{Io, Shell, ShellError, Status};
use crate::ns::{HandleReader, HandleWriter, NsError, OpenFlags};

/// The signature every builtin has: the context, then the arguments after the command name.
pub type RunFn = fn(&mut Ctx<'_>, &[String]) -> Result<Status, ShellError>;

pub struct Builtin {
    pub name: &'static str,
    /// One line: what it does.
    pub synopsis: &'static str,
    /// The usage line, e.g. `head [-n N] [FILE...]`.
    pub usage: &'static str,
    pub run: RunFn,
}

/// What a running builtin can reach: the shell, its descriptors, the name it was called by.
pub struct Ctx<'a> {
    pub shell: &'a mut Shell,
    pub io: Io,
    pub name: &'a str,
}

impl Ctx<'_> {
    /// Standard output (fd 1).
    pub fn out(&self) -> crate::eval::io::FdWriter {
        self.io.stdout()
    }
    /// Standard error (fd 2).
    pub fn err(&self) -> crate::eval::io::FdWriter {
        self.io.stderr()
    }
    /// Standard input (fd 0).
    pub fn input(&self) -> crate::eval::io::FdReader {
        self.io.stdin()
    }
    /// An argument as a clean absolute namespace path (relative to the cwd).
    pub fn path(&self, arg: &str) -> Result<String, ShellError> {
        crate::ns::path::resolve(&self.shell.cwd, arg).map_err(|e| self.ns_error(e))
    }
    /// Opens a namespace file for reading; `-` is standard input. Reads stop once Ctrl-C
    /// is pressed, as standard input's do, so an endless file (`/dev/zero`) cannot hold a
    /// builtin that never writes.
    pub fn open_read(&self, arg: &str) -> Result<Box<dyn std::io::Read + Send>, ShellError> {
        if arg == "-" {
            return Ok(Box::new(self.input()));
        }
        let path = self.path(arg)?;
        let handle = self
            .shell
            .ns
            .open(&path, OpenFlags::read())
            .map_err(|e| self.ns_error(e))?;
        Ok(Box::new(InterruptibleReader::new(
            HandleReader::new(handle),
            self.shell.interrupt.clone(),
        )))
    }
    /// Opens (creating) a namespace file for writing: truncated, or appended to.
    pub fn open_write(&self, arg: &str, append: bool) -> Result<HandleWriter, ShellError> {
        let path = self.path(arg)?;
        let flags = if append {
            OpenFlags::write().create().append()
        } else {
            OpenFlags::write().create().truncate()
        };
        let handle = self
            .shell
            .ns
            .open(&path, flags)
            .map_err(|e| self.ns_error(e))?;
        Ok(HandleWriter::new(handle))
    }
    /// A namespace error attributed to this command.
    pub fn ns_error(&self, source: NsError) -> ShellError {
        ShellError::ns(self.name, source)
    }
    /// A usage error carrying this builtin's usage line.
    pub fn usage(&self, message: impl Into<String>) -> ShellError {
        let usage = lookup(self.name).map(|b| b.usage).unwrap_or("");
        ShellError::Usage {
            cmd: self.name.to_string(),
            message: message.into(),
            usage: usage.to_string(),
        }
    }
    /// A failure of this command with its own message.
    pub fn fail(&self, message: impl Into<String>) -> ShellError {
        ShellError::failed(self.name, message)
    }
    /// Prints `name: message` on standard error and goes on (for per-file errors).
    /// The message is escaped and cut as a diagnostic's is ([`crate::diag::escape::message`]):
    /// it often quotes a name the user (or a hostile file) chose.
    pub fn warn(&self, message: impl std::fmt::Display) {
        let message = crate::diag::escape::message(&message.to_string());
        let _ = writeln!(self.err(), "{}: {}", self.name, message);
    }
}

/// Every builtin, in the order `help` lists them.
pub fn all() -> &'static [&'static Builtin] {
    static ALL: OnceLock<Vec<&'static Builtin>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static Builtin> = Vec::new();
        for group in GROUPS {
            v.extend(group.iter());
        }
        v.sort_by_key(|b| b.name);
        v
    })
}

/// The builtin called `name`, if there is one.
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Builtin>> = OnceLock::new();
    INDEX
        .get_or_init(|| all().iter().map(|b| (b.name, *b)).collect())
        .get(name)
        .copied()
}

const GROUPS: &[&[Builtin]] = &[
    core::BUILTINS,
    info::BUILTINS,
    limits::BUILTINS,
    text::BUILTINS,
    fs::BUILTINS,
    nsverbs::BUILTINS,
    rhai::BUILTINS,
    tasks::BUILTINS,
];
