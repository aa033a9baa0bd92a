//! The shell: the one context that owns the namespace, variables, functions and jobs.
//!
//! There are no hidden globals: everything a command can reach is here and is passed along.
//! A `Shell` is three parts, split by what a fork does with them (Nushell's `EngineState`
//! and `Stack` make the same cut): the [`Process`] (namespace, cwd, variables, functions,
//! `/env`) is copied, the `Frame` (where evaluation stands) is copied and goes its own way,
//! and the [`Engines`] (jobs, Ctrl-C, tasks, Rhai, budgets) are shared. A fork is cheap (the
//! namespace is an immutable `Arc` table, variables a map), which is how pipeline stages,
//! `&` jobs and `@{ }` get their own copy, as rc forks. Engines (Rhai, wasmtime) are created
//! on first use, never at start-up. This file must never hold state outside those three.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::engines::Engines;
use super::error::{Located, ShellError};
use super::frame::Frame;
use super::process::Process;
use super::vars::Vars;
use crate::lang::ast::Body;
use crate::lang::{SourceFile, Span, parse};
use crate::ns::{Caller, FileService, MountFlag, Namespace, OpenFlags};
use crate::proc::env::EnvGroup;
use crate::proc::io::Io;
use crate::proc::status::Status;
use crate::services::agents::AgentsService;
use crate::services::dev::{Console, DevService};
use crate::services::env::EnvService;
use crate::services::mem::{DEFAULT_CAPACITY, MemAccount, MemService};
use crate::services::stdlib;
use crate::services::task::{TaskRoot, TaskService};
use crate::task::Tasks;

pub use super::engines::Interrupter;

/// A shell: its process state, where its evaluation stands, and the engines it shares.
///
/// The three parts say by type what a fork does with them: [`Process`] is copied (rc's
/// fork), `Frame` is copied and then goes its own way, and [`Engines`] is shared through
/// one `Arc` by the shell and every fork of it.
pub struct Shell {
    /// The process's own state: namespace, working directory, variables, functions, `/env`.
    pub proc: Process,
    /// The evaluation frame: the source being run, the depth, the last `if`.
    pub(crate) frame: Frame,
    /// The job table, the Ctrl-C flag, the task core, Rhai, the budgets: shared by all forks.
    pub engines: Arc<Engines>,
}

/// How long the jobs still running when a script ends get to stop.
pub const JOBS_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// The directories the default root holds; `/tmp` is also a mount of its own.
const DEFAULT_DIRS: &[&str] = &[
    "/tmp",
    "/dev",
    "/env",
    "/lib/oash",
    "/bin",
    "/n",
    "/task",
    "/agents",
];

/// The services the default namespace mounts on those directories, in order (`help ns`
/// and the README describe them).
fn default_mounts(
    dev: DevService,
    tasks: &TaskRoot,
    account: &Arc<MemAccount>,
) -> Vec<(&'static str, Arc<dyn FileService>)> {
    let tmp = MemService::with_account(DEFAULT_CAPACITY, Some(Arc::clone(account)));
    let mut mounts: Vec<(&'static str, Arc<dyn FileService>)> = vec![
        ("/tmp", Arc::new(tmp)),
        ("/dev", Arc::new(dev)),
        ("/env", Arc::new(EnvService::new())),
        ("/lib/oash", Arc::new(stdlib::StdlibService::new())),
    ];
    // Holds the shell's task files; its task core stays unmade until a task is.
    mounts.push(("/task", Arc::new(TaskService::new(tasks.clone()))));
    // The agents of the state directory; nothing is opened until a name under it is used.
    mounts.push((
        "/agents",
        Arc::new(AgentsService::new(tasks.agents().clone())),
    ));
    mounts
}

/// The default namespace: a `mem` root holding the standard directories, with
/// `default_mounts` on them. The root and /tmp count against the shell's mem budget like
/// any `mount mem`.
fn default_namespace(dev: DevService, tasks: &TaskRoot, account: &Arc<MemAccount>) -> Namespace {
    let root = MemService::with_account(DEFAULT_CAPACITY, Some(Arc::clone(account)));
    let mut ns = Namespace::new(Arc::new(root.holding(DEFAULT_DIRS)));
    for (point, service) in default_mounts(dev, tasks, account) {
        // In place: no copy of the table shares it yet. A point that cannot take its mount
        // (none can: the root holds them all) is left as it was.
        let _ = ns.mount_in_place(point, service, MountFlag::Replace, false);
    }
    ns
}

/// A fresh bare namespace: a new `mem` root holding the standard directories, nothing
/// mounted. Where [`Shell::new`] starts and what `newns` resets to.
pub fn bare_namespace() -> Namespace {
    Namespace::new(Arc::new(MemService::with_dirs(DEFAULT_DIRS)))
}

impl Shell {
    /// A shell with the default namespace (see `default_namespace`, made when first used);
    /// `/dev/cons` is the process's terminal, whose reads this shell's Ctrl-C ends.
    pub fn new() -> Shell {
        // The console too is made with the namespace, on first use.
        Shell::build(|engines| {
            let stop = engines.terminal_stop();
            move || DevService::with_console(Arc::new(Console::terminal(stop)))
        })
    }

    /// [`Shell::new`] with `dev` at `/dev` (a test harness gives it a console of its own).
    pub fn with_dev(dev: DevService) -> Shell {
        Shell::build(|_| move || dev)
    }

    /// A shell whose `/dev` is made, with the rest of the default namespace, on first use
    /// by what `dev` returns for its engines.
    fn build<D>(dev: impl FnOnce(&Engines) -> D) -> Shell
    where
        D: FnOnce() -> DevService + Send + 'static,
    {
        let job = super::jobs::JobParts::default();
        let engines = Arc::new(Engines::new(&job));
        let dev = dev(&engines);
        // Made on first use: a command that touches no file never builds it.
        let tasks = engines.task_root.clone();
        let account = Arc::clone(engines.budgets.mem_account());
        let ns = Namespace::deferred(move || default_namespace(dev(), &tasks, &account));
        let mut vars = Vars::default();
        vars.set("home", vec!["/tmp".into()]);
        // /bin is the user's (empty, writable); the guests shipped with oash come after it.
        vars.set("path", vec!["/bin".into(), "/lib/oash/bin".into()]);
        vars.set("ifs", vec![" \t\n".into()]);
        vars.set("prompt", vec!["; ".into(), "\t".into()]);
        vars.set("pid", vec![std::process::id().to_string()]);
        vars.set("0", vec!["oash".into()]);
        vars.set("*", Vec::new());
        vars.set("status", vec![String::new()]);
        let mut proc = Process::new(ns, vars);
        proc.foreground = job.guests;
        proc.control = job.control;
        Shell {
            proc,
            frame: Frame::new(),
            engines,
        }
    }

    /// A copy of this shell that is a new process (a pipeline member, an `&` job, `@{ }`):
    /// it shares nothing that changes, its `/env` included, and shares the engines.
    pub fn fork(&self) -> Shell {
        Shell {
            proc: self.proc.fork(),
            frame: self.frame.fork(),
            engines: Arc::clone(&self.engines),
        }
    }

    /// The same process seen from another thread or door (the Rhai door's worker, the
    /// REPL's completion snapshot): a copy that shares this one's `/env` group and close
    /// errors, so what it writes there is this shell's; the door takes back the namespace
    /// and working directory itself.
    pub fn view(&self) -> Shell {
        Shell {
            proc: self.proc.view(),
            frame: self.frame.view(),
            engines: Arc::clone(&self.engines),
        }
    }

    /// Before a command: makes this thread's `/env` this shell's, holding its variables as
    /// they are now, and this shell the thread's [`Caller`] (whose namespace and working
    /// directory `/task/new/wasi` copies).
    /// The thread's `mem` services charge this shell's account from now on, too.
    pub fn env_out(&mut self) {
        EnvGroup::enter(&self.proc.env);
        MemAccount::enter(self.engines.budgets.mem_account());
        Caller::enter(
            &self.proc.ns,
            &self.proc.cwd,
            Some(self.proc.control.flag()),
        );
        if self.proc.vars.has_changes() {
            self.proc.env.publish(self.proc.vars.take_changed());
        }
    }

    /// After a command: takes in what it wrote to `/env`.
    pub fn env_in(&mut self) {
        let count = self.proc.env.write_count();
        if count == self.proc.env_seen {
            return;
        }
        self.proc.env_seen = count;
        for (name, value) in self.proc.env.take_written() {
            self.proc.vars.import(&name, value);
        }
    }

    /// The current `$status`.
    pub fn status(&self) -> Status {
        Status::from_string(
            self.proc
                .vars
                .get("status")
                .map(|v| v.join("|"))
                .unwrap_or_default(),
        )
    }
    /// Sets `$status` to `status`.
    pub fn set_status(&mut self, status: &Status) {
        // rc: true is one empty string, so `$#status` is 1 and `x^$status` works.
        self.proc.vars.set_one("status", status.as_str());
    }

    /// Parses and runs a source. Syntax errors, language errors and `exit` end it early.
    /// `.` and `eval` come through here, so they count towards the same depth limit as
    /// function calls (a script that sources itself stops instead of overflowing the stack).
    pub fn run_source(&mut self, file: Arc<SourceFile>, io: &Io) -> Result<Status, Located> {
        let program = parse(file).map_err(|e| Located::bare(ShellError::Parse(e)))?;
        if self.frame.depth >= super::exec::MAX_DEPTH {
            return Err(Located::bare(ShellError::Runtime {
                message: format!(
                    "`.` and `eval` nested deeper than {}",
                    super::exec::MAX_DEPTH
                ),
                help: Some("a script probably runs itself without end".into()),
            }));
        }
        // The outermost source (a script, `-c`, a REPL entry) runs command by command, so a
        // budget that stops one command lets the next one run.
        let top = self.frame.depth == 0 && self.frame.nesting == 0;
        let saved = std::mem::replace(&mut self.frame.file, program.file.clone());
        self.frame.depth += 1;
        let result = if top {
            self.run_top(&program.body, io)
        } else {
            self.run_body(&program.body, io)
        };
        self.frame.depth -= 1;
        self.frame.file = saved;
        result
    }

    /// The commands of the outermost source. A command that a budget stopped (see
    /// [`super::budget`]) ends with the one diagnostic that stopped it, and the next goes on.
    fn run_top(&mut self, body: &Body, io: &Io) -> Result<Status, Located> {
        for error in self.engines.budgets.take_startup_errors() {
            let e = ShellError::Runtime {
                message: format!("{}: {error}", super::budget::ENV_VAR),
                help: Some(
                    "write it as OASH_LIMITS='mem=256M jobs=64'; `limits` lists the budgets".into(),
                ),
            };
            self.report(&Located::bare(e), io);
        }
        let mut status = self.status();
        for cmd in &body.cmds {
            // A background job's budget may have stopped things since the last command.
            self.report_stop(io);
            self.check_interrupt()?;
            let result = self.run_cmd(cmd, io);
            status = match self.report_stop(io) {
                Some(stopped) => stopped,
                None => result?,
            };
        }
        Ok(status)
    }

    /// Prints the diagnostic that stopped the last command, if a budget did, and lets
    /// commands run again; the status it leaves.
    fn report_stop(&mut self, io: &Io) -> Option<Status> {
        let e = self.engines.budgets.take_stop()?;
        self.report(&e, io);
        let status = e.error.status();
        self.set_status(&status);
        Some(status)
    }

    /// Stops the whole command tree because of `e` (a budget was exceeded): `e` is kept for
    /// the top level to print, and what comes back unwinds quietly, as Ctrl-C does.
    pub fn stop(&self, e: Located) -> Located {
        self.engines.budgets.stop(e);
        Located::bare(ShellError::Interrupted)
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

    /// Writes a diagnostic on fd 2; none while a stopped command tree unwinds (the top
    /// level prints the one that stopped it), nor from an `&` job that was killed (what
    /// fails as it unwinds is the kill's doing, and `jobs` says it was killed), nor the bare
    /// "interrupted" an `&` job unwinds with after a budget stopped it: the waiting shell may
    /// already have printed the budget's diagnostic and lowered the stop, and one is enough.
    pub fn report(&self, e: &Located, io: &Io) {
        let in_job = self.proc.job.is_some();
        if self.engines.budgets.is_stopping()
            || (in_job && self.proc.control.is_interrupted())
            || (in_job && matches!(e.error, ShellError::Interrupted))
        {
            return;
        }
        // At the prompt, Ctrl-C says nothing (the REPL ends the line): a pipeline member it
        // stopped would otherwise report it on the way.
        if matches!(e.error, ShellError::Interrupted) && self.engines.errors.is_brief() {
            return;
        }
        // Whole in a script, one line at the prompt; kept either way for `why`.
        let text = self.engines.errors.record(e, self.proc.color);
        let mut err = io.stderr();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// Attaches the current source and `span` to an error.
    pub fn located(&self, error: ShellError, span: Span, label: &str) -> Located {
        Located::at(error, self.frame.file.clone(), span, label)
    }

    /// What interrupts the job this shell runs in (a test's time limit).
    pub fn interrupter(&self) -> Interrupter {
        self.engines.interrupter(self.proc.job_parts())
    }

    /// What the end of a script does to its jobs: every job still running or stopped is
    /// interrupted, its tasks killed, and given [`JOBS_GRACE`] to end (see
    /// [`super::jobs::Jobs::end_all`]). rc leaves background processes running when it
    /// exits; oash's jobs are threads of the shell, so they end with it. How many there were.
    pub fn end_jobs(&self) -> usize {
        self.engines
            .jobs
            .end_all(self.engines.tasks.get(), JOBS_GRACE)
    }

    /// The task core, made on first use (no engine or thread starts until a task does).
    pub fn tasks(&self) -> &Tasks {
        self.engines.tasks()
    }

    /// `oash --sandbox`: this shell and everything it starts can no longer reach the host.
    /// Its namespace becomes no-attach (`rfork m`), so no `host` (nor any other service)
    /// can be mounted by any door, and compiled WASI modules are cached in memory only, not
    /// under `~/.cache`. Call it before the first command; the task core is not started
    /// here (its engine still starts on first use).
    pub fn sandbox(&mut self) {
        crate::nsops::rfork(self, crate::nsops::RforkFlags::NO_ATTACH);
        let config = crate::wasi::RuntimeConfig {
            cache_dir: None,
            ..Default::default()
        };
        let _ = self.engines.tasks.set(Tasks::from_env_with(config));
    }

    /// Stops running commands once this shell's job is interrupted (Ctrl-C, `kill %N`);
    /// waits here while the job is stopped (Ctrl-Z), so it resumes where it stood.
    pub fn check_interrupt(&self) -> Result<(), Located> {
        self.proc
            .control
            .check()
            .map_err(|_| Located::bare(ShellError::Interrupted))
    }

    /// Whether this shell's job was interrupted (for waits that poll).
    pub fn is_interrupted(&self) -> bool {
        self.proc.control.is_interrupted()
    }

    /// A fresh file in `/tmp` holding `bytes` (for `<{cmd}`); removed after the command.
    pub(crate) fn temp_file(&mut self, bytes: &[u8]) -> Result<String, ShellError> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = format!("/tmp/.oash-{}-{n}", std::process::id());
        let mut h = self
            .proc
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
        self.frame.temp_files.push(path.clone());
        Ok(path)
    }

    /// Removes the `<{}` files made since `mark` (a length of `temp_files`): a command's
    /// own files, not those of the command it is an argument of.
    pub(crate) fn remove_temp_files(&mut self, mark: usize) {
        if self.frame.temp_files.len() <= mark {
            return;
        }
        for path in self.frame.temp_files.split_off(mark) {
            let _ = self.proc.ns.remove(&path);
        }
    }
}

impl Default for Shell {
    fn default() -> Self {
        Self::new()
    }
}
