//! The builtins: every command oash runs without a program.
//!
//! Commands are data: each builtin is a [`Builtin`] value declaring its name, a one-line
//! synopsis, its flags (each with a doc), its operands, examples and its entry point, in one
//! place. The flag parser, the usage line, `help`, the REPL's flag completion and `whatis` are
//! all derived from these, and a test runs every example. A builtin never touches the host file
//! system: every path it takes goes through the shell's namespace ([`Ctx::open_read`] & co.).

pub mod agents;
pub(crate) mod args;
pub mod core;
#[cfg(test)]
mod examples;
pub mod fs;
pub mod help;
pub mod info;
pub mod jobs;
pub mod limits;
pub mod nsverbs;
pub(crate) mod operands;
pub mod rhai;
pub mod tasks;
#[cfg(test)]
mod testing;
pub mod text;

use rustc_hash::FxHashMap;
use std::io::Write;
use std::sync::OnceLock;

use crate::eval::{Io, Shell, ShellError, Status};
use crate::flags::Spec;
use crate::ns::{HandleReader, HandleWriter, NsError, OpenFlags};
use crate::proc::io::InterruptibleReader;

/// The signature every builtin has: the context, then the arguments after the command name.
pub type RunFn = fn(&mut Ctx<'_>, &[String]) -> Result<Status, ShellError>;

pub struct Builtin {
    pub name: &'static str,
    /// One line: what it does.
    pub synopsis: &'static str,
    /// The flags it takes, which [`args::parse`] parses and the usage line shows.
    pub flags: Spec,
    /// Its operands as the usage line shows them, e.g. `[FILE...]`.
    pub operands: &'static str,
    /// Alternative forms, where the command has more than one (`tail -f`, `rhai -c`); empty
    /// means one form: every flag, then the operands.
    pub forms: &'static [Form],
    /// At least one example, run by the test suite.
    pub examples: &'static [Example],
    pub run: RunFn,
}

/// One form of a command with several: which of its flags it shows (`required` ones
/// without brackets) and its operands.
pub struct Form {
    pub required: &'static str,
    pub optional: &'static str,
    pub operands: &'static str,
}

/// A script using a builtin and the standard output it prints, run in a fresh shell.
pub struct Example {
    pub script: &'static str,
    pub output: &'static str,
}

impl Builtin {
    /// A builtin without flags, operands or examples yet; the methods below add them.
    pub const fn new(name: &'static str, synopsis: &'static str, run: RunFn) -> Builtin {
        Builtin {
            name,
            synopsis,
            flags: Spec::NONE,
            operands: "",
            forms: &[],
            examples: &[],
            run,
        }
    }
    pub const fn flags(self, flags: Spec) -> Builtin {
        Builtin { flags, ..self }
    }
    pub const fn operands(self, operands: &'static str) -> Builtin {
        Builtin { operands, ..self }
    }
    pub const fn forms(self, forms: &'static [Form]) -> Builtin {
        Builtin { forms, ..self }
    }
    pub const fn examples(self, examples: &'static [Example]) -> Builtin {
        Builtin { examples, ..self }
    }

    /// The usage line, derived from the flags and operands: `head [-n N | -N] [-c N] [FILE...]`.
    pub fn usage(&self) -> String {
        let form = |required: &str, shown: &dyn Fn(char) -> bool, operands: &str| {
            let flags = self.flags.usage(shown, required);
            [self.name, flags.as_str(), operands]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        if self.forms.is_empty() {
            return form("", &|_| true, self.operands);
        }
        self.forms
            .iter()
            .map(|f| {
                let shown = |c: char| f.optional.contains(c);
                form(f.required, &shown, f.operands)
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// What `help NAME` prints: synopsis, usage, one line per flag, the examples.
    pub fn help(&self) -> String {
        let mut text = format!(
            "{} - {}\nusage: {}\n",
            self.name,
            self.synopsis,
            self.usage()
        );
        if !self.flags.flags.is_empty() {
            text.push_str("flags:\n");
            text.push_str(&self.flags.describe());
        }
        render_examples(self.examples, &mut text);
        text
    }
}

/// Appends `examples:` and each example, its script lines after `; ` and its output below,
/// as `help` shows them; nothing when there are none.
pub(crate) fn render_examples(examples: &[Example], text: &mut String) {
    if examples.is_empty() {
        return;
    }
    text.push_str("examples:\n");
    for example in examples {
        for line in example.script.lines() {
            text.push_str("  ; ");
            text.push_str(line);
            text.push('\n');
        }
        for line in example.output.lines() {
            text.push_str("  ");
            text.push_str(line);
            text.push('\n');
        }
    }
}

/// What a running builtin can reach: the shell, its descriptors, the name it was called by.
pub struct Ctx<'a> {
    pub shell: &'a mut Shell,
    pub io: Io,
    pub name: &'a str,
}

impl Ctx<'_> {
    /// Standard output (fd 1).
    pub fn out(&self) -> crate::proc::io::FdWriter {
        self.io.stdout()
    }
    /// Standard error (fd 2).
    pub fn err(&self) -> crate::proc::io::FdWriter {
        self.io.stderr()
    }
    /// Standard input (fd 0).
    pub fn input(&self) -> crate::proc::io::FdReader {
        self.io.stdin()
    }
    /// An argument as a clean absolute namespace path (relative to the cwd).
    pub fn path(&self, arg: &str) -> Result<String, ShellError> {
        crate::ns::path::resolve(&self.shell.proc.cwd, arg).map_err(|e| self.ns_error(e))
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
            .proc
            .ns
            .open(&path, OpenFlags::read())
            .map_err(|e| self.ns_error(e))?;
        Ok(Box::new(InterruptibleReader::with_control(
            HandleReader::new(handle),
            std::sync::Arc::clone(&self.shell.proc.control),
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
            .proc
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
        let usage = lookup(self.name).map(|b| b.usage()).unwrap_or_default();
        ShellError::Usage {
            cmd: self.name.to_string(),
            message: message.into(),
            usage,
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
    // Made on the first command, so cheaply: straight from the groups (not from the sorted
    // `all`), hashed with Fx (the names are ours, not an attacker's).
    static INDEX: OnceLock<FxHashMap<&'static str, &'static Builtin>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let builtins = GROUPS.iter().flat_map(|group| group.iter());
            builtins.map(|b| (b.name, b)).collect()
        })
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
    agents::BUILTINS,
    jobs::BUILTINS,
];
