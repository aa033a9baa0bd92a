//! The shell: the one context that owns the namespace, variables, functions and jobs.
//!
//! There are no hidden globals: everything a command can reach is here and is passed along.
//! A `Shell` is cheap to clone (the namespace is an immutable `Arc` table, variables a map),
//! which is how pipeline stages, `&` jobs and `@{ }` get their own copy, as rc forks.
//! Engines (Rhai, later wasmtime and SQLite) are created on first use, never at start-up.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::error::{Located, ShellError};
use super::io::Io;
use super::jobs::Jobs;
use super::status::Status;
use super::vars::Vars;
use crate::lang::ast::FnBody;
use crate::lang::{SourceFile, Span, parse};
use crate::ns::{MountFlag, Namespace, OpenFlags};
use crate::services::dev::DevService;
use crate::services::mem::MemService;

#[derive(Clone)]
pub struct Shell {
    pub ns: Namespace,
    pub cwd: String,
    pub vars: Vars,
    pub fns: HashMap<String, Arc<FnBody>>,
    pub jobs: Arc<Jobs>,
    /// Set by Ctrl-C; loops and command boundaries check it.
    pub interrupt: Arc<AtomicBool>,
    /// Render diagnostics with colour.
    pub color: bool,
    /// The outcome of the most recent `if` at this level, for `if not`.
    pub(crate) last_if: Option<bool>,
    /// The source being run, for locating errors.
    pub(crate) file: Arc<SourceFile>,
    /// Files made for `<{cmd}`, removed when the command that used them ends.
    pub(crate) temp_files: Vec<String>,
    /// How many function calls deep we are.
    pub(crate) depth: usize,
    /// How deep `run_cmd` calls are nested right now (for the stack check).
    pub(crate) nesting: usize,
    pub(crate) rhai: Arc<Mutex<Option<crate::script::Engine>>>,
}

/// The directories the default root holds; `/tmp` is also a mount of its own.
const DEFAULT_DIRS: &[&str] = &["/tmp", "/dev", "/env", "/lib", "/bin", "/n"];

impl Shell {
    /// A shell with the default namespace: a `mem` root holding the standard directories,
    /// a separate `mem` mounted at `/tmp`, and `dev` (over the process's terminal) at `/dev`.
    pub fn new() -> Shell {
        let root = Arc::new(MemService::with_dirs(DEFAULT_DIRS));
        let ns = Namespace::new(root);
        let ns = ns
            .mount(
                "/tmp",
                Arc::new(MemService::new()),
                MountFlag::Replace,
                false,
            )
            .unwrap_or(ns);
        let ns = ns
            .mount(
                "/dev",
                Arc::new(DevService::new()),
                MountFlag::Replace,
                false,
            )
            .unwrap_or(ns);
        let mut vars = Vars::default();
        vars.set("home", vec!["/tmp".into()]);
        vars.set("path", vec!["/bin".into()]);
        vars.set("ifs", vec![" \t\n".into()]);
        vars.set("prompt", vec!["; ".into(), "\t".into()]);
        vars.set("pid", vec![std::process::id().to_string()]);
        vars.set("0", vec!["oash".into()]);
        vars.set("*", Vec::new());
        vars.set("status", vec![String::new()]);
        Shell {
            ns,
            cwd: "/".into(),
            vars,
            fns: HashMap::new(),
            jobs: Arc::new(Jobs::default()),
            interrupt: Arc::new(AtomicBool::new(false)),
            color: false,
            last_if: None,
            file: Arc::new(SourceFile::new("oash", "")),
            temp_files: Vec::new(),
            depth: 0,
            nesting: 0,
            rhai: Arc::new(Mutex::new(None)),
        }
    }

    /// The current `$status`.
    pub fn status(&self) -> Status {
        Status::from_string(
            self.vars
                .get("status")
                .map(|v| v.join("|"))
                .unwrap_or_default(),
        )
    }
    pub fn set_status(&mut self, status: &Status) {
        // rc: true is one empty string, so `$#status` is 1 and `x^$status` works.
        self.vars.set_one("status", status.as_str());
    }

    /// Parses and runs a source. Syntax errors, language errors and `exit` end it early.
    /// `.` and `eval` come through here, so they count towards the same depth limit as
    /// function calls (a script that sources itself stops instead of overflowing the stack).
    pub fn run_source(&mut self, file: Arc<SourceFile>, io: &Io) -> Result<Status, Located> {
        let program = parse(file).map_err(|e| Located::bare(ShellError::Parse(e)))?;
        if self.depth >= super::exec::MAX_DEPTH {
            return Err(Located::bare(ShellError::Runtime {
                message: format!(
                    "`.` and `eval` nested deeper than {}",
                    super::exec::MAX_DEPTH
                ),
                help: Some("a script probably runs itself without end".into()),
            }));
        }
        let saved = std::mem::replace(&mut self.file, program.file.clone());
        self.depth += 1;
        let result = self.run_body(&program.body, io);
        self.depth -= 1;
        self.file = saved;
        result
    }

    /// Runs a script or `-c` text to the end, rendering any error on fd 2 and turning
    /// `exit` into its status. What `oash FILE` and `oash -c` do.
    pub fn run_script(&mut self, file: Arc<SourceFile>, io: &Io) -> Status {
        match self.run_source(file, io) {
            Ok(s) => s,
            Err(e) => self.finish_error(e, io),
        }
    }

    /// After an error escaped to the top: render it (unless it is `exit`) and give the status.
    pub fn finish_error(&mut self, e: Located, io: &Io) -> Status {
        match e.error {
            ShellError::Exit(s) => s,
            ShellError::Return(s) => s,
            _ => {
                self.report(&e, io);
                let s = e.error.status();
                self.set_status(&s);
                s
            }
        }
    }

    /// Writes a diagnostic on fd 2.
    pub fn report(&self, e: &Located, io: &Io) {
        let text = crate::diag::render(e, self.color);
        let mut err = io.stderr();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// Attaches the current source and `span` to an error.
    pub fn located(&self, error: ShellError, span: Span, label: &str) -> Located {
        Located::at(error, self.file.clone(), span, label)
    }

    /// Stops running commands when Ctrl-C was pressed.
    pub fn check_interrupt(&self) -> Result<(), Located> {
        if self.interrupt.load(Ordering::Relaxed) {
            return Err(Located::bare(ShellError::Interrupted));
        }
        Ok(())
    }

    /// A fresh file in `/tmp` holding `bytes` (for `<{cmd}`); removed after the command.
    pub(crate) fn temp_file(&mut self, bytes: &[u8]) -> Result<String, ShellError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = format!("/tmp/.oash-{}-{n}", std::process::id());
        let mut h = self
            .ns
            .open(&path, OpenFlags::write().create().truncate())
            .map_err(|e| ShellError::ns("<{}", e))?;
        let mut off = 0;
        while off < bytes.len() {
            off += h
                .write(&bytes[off..])
                .map_err(|e| ShellError::ns("<{}", e))?;
        }
        let _ = h.close();
        self.temp_files.push(path.clone());
        Ok(path)
    }

    /// Removes the `<{}` files made since `mark` (a length of `temp_files`): a command's
    /// own files, not those of the command it is an argument of.
    pub(crate) fn remove_temp_files(&mut self, mark: usize) {
        if self.temp_files.len() <= mark {
            return;
        }
        for path in self.temp_files.split_off(mark) {
            let _ = self.ns.remove(&path);
        }
    }
}

impl Default for Shell {
    fn default() -> Self {
        Self::new()
    }
}
