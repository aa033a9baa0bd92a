//! The shell: the one context that owns the namespace, variables, functions and jobs.
//!
//! There are no hidden globals: everything a command can reach is here and is passed along.
//! A `Shell` is cheap to clone (the namespace is an immutable `Arc` table, variables a map),
//! which is how pipeline stages, `&` jobs and `@{ }` get their own copy, as rc forks.
//! Engines (Rhai, later wasmtime and SQLite) are created on first use, never at start-up.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::budget::Budgets;
use super::error::{Located, ShellError};
use super::io::Io;
use super::jobs::Jobs;
use super::status::Status;
use super::vars::Vars;
use crate::lang::ast::{Body, FnBody};
use crate::lang::{SourceFile, Span, parse};
use crate::ns::{Caller, FileService, MountFlag, Namespace, OpenFlags};
use crate::services::dev::DevService;
use crate::services::env::{EnvGroup, EnvService};
use crate::services::mem::{DEFAULT_CAPACITY, MemAccount, MemService};
use crate::services::stdlib;
use crate::services::task::{TaskRoot, TaskService, TaskTable};
use crate::task::{TaskId, Tasks};

/// The ids of the guests running in the foreground.
pub(crate) type Foreground = Arc<Mutex<Vec<TaskId>>>;

/// What Ctrl-C does: set the shell's interrupt flag (builtins and loops stop at their next
/// step) and kill every guest running in the foreground (stopped at its next epoch tick,
/// state `killed`). Background tasks are not touched. Cheap to clone; safe to fire from a
/// signal handler's thread (it takes two short locks).
#[derive(Clone)]
pub struct Interrupter {
    flag: Arc<AtomicBool>,
    foreground: Foreground,
    tasks: Arc<OnceLock<Tasks>>,
}

impl Interrupter {
    /// One that only raises `flag` (no guests to kill): for budgets made outside a shell.
    pub fn of_flag(flag: Arc<AtomicBool>) -> Interrupter {
        Interrupter {
            flag,
            foreground: Foreground::default(),
            tasks: Arc::new(OnceLock::new()),
        }
    }

    /// Lowers the flag again, so commands run (what the top level does after a stop).
    pub(crate) fn lower(&self) {
        self.flag.store(false, Ordering::Relaxed);
    }

    /// Interrupts the shell as Ctrl-C does.
    pub fn fire(&self) {
        self.flag.store(true, Ordering::Relaxed);
        let Some(tasks) = self.tasks.get() else {
            return; // no task has ever run
        };
        let guests = self.foreground.lock().unwrap_or_else(|e| e.into_inner());
        for id in guests.iter() {
            let _ = tasks.kill(*id);
        }
    }
}

/// The interpreter's state: namespace, working directory, variables, functions and jobs,
/// and the engines (Rhai, tasks, budgets) its forks share. `fork` copies what a Plan 9
/// `rfork` would and shares the rest.
#[derive(Clone)]
pub struct Shell {
    /// The namespace every path is resolved in.
    pub ns: Namespace,
    /// The working directory, a clean absolute path in `ns`.
    pub cwd: String,
    /// The variables.
    pub vars: Vars,
    /// The functions, by name.
    pub fns: HashMap<String, Arc<FnBody>>,
    /// The `&` jobs, shared with every fork.
    pub jobs: Arc<Jobs>,
    /// Set by Ctrl-C; loops and command boundaries check it.
    pub interrupt: Arc<AtomicBool>,
    /// The guests running in the foreground, which Ctrl-C kills too
    /// (see [`Interrupter`]).
    pub(crate) foreground: Foreground,
    /// The task core (WASI runtime and scheduler), made on first use, shared by forks.
    pub(crate) tasks: TaskTable,
    /// The task files (`/task`) over `tasks`: every `mount task` of this shell shares them.
    pub(crate) task_root: TaskRoot,
    /// Whether guests go through the scheduler's queue: true in an `&` job's own commands,
    /// false in the foreground and in pipelines (see `crate::task`, "The limit").
    pub(crate) queue_tasks: bool,
    /// The `&` job this shell runs, if it is one (its tasks are recorded under it).
    pub(crate) job: Option<u64>,
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
    /// This shell process's environment, as `/env` shows it (see [`crate::services::env`]).
    pub env: Arc<EnvGroup>,
    /// The group's write count when this shell last took in writes to `/env`.
    pub(crate) env_seen: u64,
    /// Errors from closing redirected files, for the command that made them.
    pub(crate) close_errors: super::redirect::CloseErrors,
    /// The budgets of the root shell, shared by all its forks (see [`super::budget`]).
    pub budgets: Arc<Budgets>,
}

/// The directories the default root holds; `/tmp` is also a mount of its own.
const DEFAULT_DIRS: &[&str] = &["/tmp", "/dev", "/env", "/lib/oash", "/bin", "/n", "/task"];

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
    mounts
}

/// A fresh bare namespace: a new `mem` root holding the standard directories, nothing
/// mounted. Where [`Shell::new`] starts and what `newns` resets to.
pub fn bare_namespace() -> Namespace {
    Namespace::new(Arc::new(MemService::with_dirs(DEFAULT_DIRS)))
}

impl Shell {
    /// A shell with the default namespace: a `mem` root holding the standard directories,
    /// with `default_mounts` on them; `/dev/cons` is the process's terminal.
    pub fn new() -> Shell {
        Shell::with_dev(DevService::new())
    }

    /// [`Shell::new`] with `dev` at `/dev` (a test harness gives it a console of its own).
    pub fn with_dev(dev: DevService) -> Shell {
        let interrupt = Arc::new(AtomicBool::new(false));
        let foreground = Foreground::default();
        let tasks: TaskTable = Arc::new(OnceLock::new());
        // A budget stops the command tree as Ctrl-C does, foreground guests included.
        let budgets = Arc::new(Budgets::from_env(Interrupter {
            flag: Arc::clone(&interrupt),
            foreground: Arc::clone(&foreground),
            tasks: Arc::clone(&tasks),
        }));
        // The root and /tmp count against the shell's mem budget like any `mount mem`.
        let account = budgets.mem_account();
        let root = MemService::with_account(DEFAULT_CAPACITY, Some(Arc::clone(account)));
        let mut ns = Namespace::new(Arc::new(root.holding(DEFAULT_DIRS)));
        let task_root = TaskRoot::new(Arc::clone(&tasks));
        for (point, service) in default_mounts(dev, &task_root, account) {
            ns = ns
                .mount(point, service, MountFlag::Replace, false)
                .unwrap_or(ns);
        }
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
        Shell {
            ns,
            cwd: "/".into(),
            vars,
            fns: HashMap::new(),
            jobs: Arc::new(Jobs::default()),
            interrupt,
            foreground,
            tasks,
            task_root,
            queue_tasks: false,
            job: None,
            color: false,
            last_if: None,
            file: Arc::new(SourceFile::new("oash", "")),
            temp_files: Vec::new(),
            depth: 0,
            nesting: 0,
            rhai: Arc::new(Mutex::new(None)),
            env: Arc::new(EnvGroup::new()),
            env_seen: 0,
            close_errors: Default::default(),
            budgets,
        }
    }

    /// A copy of this shell that is a new process (a pipeline member, an `&` job, `@{ }`):
    /// it shares nothing that changes, its `/env` included.
    pub fn fork(&self) -> Shell {
        let mut copy = self.clone();
        copy.env = Arc::new(self.env.snapshot());
        copy.env_seen = copy.env.write_count();
        copy.close_errors = Default::default();
        copy
    }

    /// Before a command: makes this thread's `/env` this shell's, holding its variables as
    /// they are now, and this shell the thread's [`Caller`] (whose namespace and working
    /// directory `/task/new/wasi` copies).
    /// The thread's `mem` services charge this shell's account from now on, too.
    pub fn env_out(&mut self) {
        EnvGroup::enter(&self.env);
        MemAccount::enter(self.budgets.mem_account());
        Caller::enter(&self.ns, &self.cwd, Some(&self.interrupt));
        if self.vars.has_changes() {
            self.env.publish(self.vars.take_changed());
        }
    }

    /// After a command: takes in what it wrote to `/env`.
    pub fn env_in(&mut self) {
        let count = self.env.write_count();
        if count == self.env_seen {
            return;
        }
        self.env_seen = count;
        for (name, value) in self.env.take_written() {
            self.vars.import(&name, value);
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
    /// Sets `$status` to `status`.
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
        // The outermost source (a script, `-c`, a REPL entry) runs command by command, so a
        // budget that stops one command lets the next one run.
        let top = self.depth == 0 && self.nesting == 0;
        let saved = std::mem::replace(&mut self.file, program.file.clone());
        self.depth += 1;
        let result = if top {
            self.run_top(&program.body, io)
        } else {
            self.run_body(&program.body, io)
        };
        self.depth -= 1;
        self.file = saved;
        result
    }

    /// The commands of the outermost source. A command that a budget stopped (see
    /// [`super::budget`]) ends with the one diagnostic that stopped it, and the next goes on.
    fn run_top(&mut self, body: &Body, io: &Io) -> Result<Status, Located> {
        for error in self.budgets.take_startup_errors() {
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
        let e = self.budgets.take_stop()?;
        self.report(&e, io);
        let status = e.error.status();
        self.set_status(&status);
        Some(status)
    }

    /// Stops the whole command tree because of `e` (a budget was exceeded): `e` is kept for
    /// the top level to print, and what comes back unwinds quietly, as Ctrl-C does.
    pub fn stop(&self, e: Located) -> Located {
        self.budgets.stop(e);
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
    /// level prints the one that stopped it).
    pub fn report(&self, e: &Located, io: &Io) {
        if self.budgets.is_stopping() {
            return;
        }
        let text = crate::diag::render(e, self.color);
        let mut err = io.stderr();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// Attaches the current source and `span` to an error.
    pub fn located(&self, error: ShellError, span: Span, label: &str) -> Located {
        Located::at(error, self.file.clone(), span, label)
    }

    /// What the Ctrl-C handler calls.
    pub fn interrupter(&self) -> Interrupter {
        Interrupter {
            flag: Arc::clone(&self.interrupt),
            foreground: Arc::clone(&self.foreground),
            tasks: Arc::clone(&self.tasks),
        }
    }

    /// The task core, made on first use (no engine or thread starts until a task does).
    pub fn tasks(&self) -> &Tasks {
        self.tasks.get_or_init(Tasks::from_env)
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
        let _ = self.tasks.set(Tasks::from_env_with(config));
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
