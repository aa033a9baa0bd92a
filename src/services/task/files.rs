//! What each file of `/task/<id>/` reads as and does when written: the thin door between
//! bytes and the task core ([`crate::task::Tasks`]).
//!
//! Every change goes through the core: `cmd`, `args`, `env` and the namespace verbs of `ctl`
//! through [`Tasks::configure`] (which refuses once the task has started), `start` through
//! [`Tasks::start`], `kill` through [`Tasks::kill`]; what the files show comes from
//! [`Tasks::request`] before start and [`Tasks::info`] always. Only what the core lets go of
//! at start (the request's module, arguments, environment and namespace) is kept here, so
//! the files can still show them afterwards. This file must never run or queue anything
//! itself.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::TaskRoot;
use super::ctl::{self, Command};
use super::streams::{Ended, Input, Output};
use crate::ns::{Caller, Namespace, NsError};
use crate::proc::env::EnvGroup;
use crate::proc::io::Fd;
use crate::sched::JobState;
use crate::task::{TaskError, TaskId, TaskInfo, TaskRequest, Tasks};

/// The shell's task core, made on first use and shared by every door.
pub type TaskTable = Arc<std::sync::OnceLock<Tasks>>;

/// A failure to report to the writer of a file; the namespace names the file.
fn failed(message: impl Into<String>) -> NsError {
    NsError::Io {
        path: String::new(),
        message: message.into(),
    }
}

fn task_error(error: TaskError) -> NsError {
    failed(error.to_string())
}

/// The file-side parts of a task made through `/task/new/wasi`: its streams, and what it
/// was started with.
pub struct TaskFiles {
    pub id: TaskId,
    pub stdin: Arc<Input>,
    pub stdout: Arc<Output>,
    pub stderr: Arc<Output>,
    /// Filled in at `start`, when the core takes the request over.
    started: Mutex<Option<Shape>>,
}

/// What `cmd`, `args`, `env` and `ns` show.
#[derive(Clone)]
struct Shape {
    module: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    ns: Namespace,
}

impl Shape {
    fn of(request: &TaskRequest) -> Shape {
        Shape {
            module: request.module.clone(),
            args: request.args.clone(),
            env: request.env.clone(),
            ns: request.ns.clone(),
        }
    }
}

impl TaskFiles {
    /// Creates a task in `tasks` over a copy of `ns` (immutable, so the copy is the value)
    /// with `cwd`, its standard streams these files; it waits, `created`, for its `cmd`.
    pub fn create(tasks: &Tasks, ns: Namespace, cwd: String) -> TaskFiles {
        let (stdin, stdout, stderr) = (Input::new(), Output::new(), Output::new());
        let mut request = TaskRequest::new(String::new(), ns);
        request.cwd = cwd;
        request.stdin = Fd::reader(stdin.reader());
        request.stdout = Fd::writer(stdout.writer());
        request.stderr = Fd::writer(stderr.writer());
        // A copy of the reader's `/env`, as every guest gets: its writes stay its own.
        request.env_group = EnvGroup::current().map(|group| Arc::new(group.snapshot()));
        TaskFiles {
            id: tasks.create(request),
            stdin,
            stdout,
            stderr,
            started: Mutex::new(None),
        }
    }

    fn started(&self) -> MutexGuard<'_, Option<Shape>> {
        self.started.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The request as it stands: the core's before start, ours after.
    fn shape(&self, tasks: &Tasks) -> Option<Shape> {
        let started = self.started();
        match &*started {
            Some(shape) => Some(shape.clone()),
            None => tasks.request(self.id).map(|request| Shape::of(&request)),
        }
    }

    /// `cmd`: the module's path, and a newline; empty until one is written.
    pub fn cmd_text(&self, tasks: &Tasks) -> String {
        self.shape(tasks)
            .filter(|shape| !shape.module.is_empty())
            .map(|shape| format!("{}\n", shape.module))
            .unwrap_or_default()
    }

    /// `args`: one argument a line.
    pub fn args_text(&self, tasks: &Tasks) -> String {
        let args = self
            .shape(tasks)
            .map(|shape| shape.args)
            .unwrap_or_default();
        args.iter().map(|arg| format!("{arg}\n")).collect()
    }

    /// `env`: one `NAME=VALUE` a line.
    pub fn env_text(&self, tasks: &Tasks) -> String {
        let env = self.shape(tasks).map(|shape| shape.env).unwrap_or_default();
        env.iter()
            .map(|(name, value)| format!("{name}={value}\n"))
            .collect()
    }

    /// `ns`: the task's namespace as `ns` prints one.
    pub fn ns_text(&self, tasks: &Tasks) -> String {
        self.shape(tasks)
            .map(|shape| crate::ns::replay::ns_text_of(&shape.ns))
            .unwrap_or_default()
    }

    /// A write to `cmd`: the module's path (one line; a trailing newline is dropped).
    pub fn set_cmd(&self, tasks: &Tasks, message: &[u8]) -> Result<(), NsError> {
        let text = one_line(message)?;
        if text.is_empty() {
            return Err(failed("cmd: empty module path"));
        }
        self.configure(tasks, |request| request.module = text)
            .map_err(task_error)
    }

    /// A write to `args`: one argument a line; appended to the list when `append`.
    pub fn set_args(&self, tasks: &Tasks, message: &[u8], append: bool) -> Result<(), NsError> {
        let lines = lines(message)?;
        self.configure(tasks, |request| match append {
            true => request.args.extend(lines),
            false => request.args = lines,
        })
        .map_err(task_error)
    }

    /// A write to `env`: `NAME=VALUE` lines; appended when `append`.
    pub fn set_env(&self, tasks: &Tasks, message: &[u8], append: bool) -> Result<(), NsError> {
        let mut pairs = Vec::new();
        for (number, line) in lines(message)?.into_iter().enumerate() {
            match line.split_once('=') {
                Some((name, value)) if !name.is_empty() => {
                    pairs.push((name.to_string(), value.to_string()));
                }
                _ => {
                    return Err(failed(format!(
                        "env: line {}: not NAME=VALUE: {line}",
                        number + 1
                    )));
                }
            }
        }
        self.configure(tasks, |request| match append {
            true => request.env.extend(pairs),
            false => request.env = pairs,
        })
        .map_err(task_error)
    }

    /// [`Tasks::configure`] under this task's lock, so no change slips in between `start`
    /// reading the request and the core taking it.
    fn configure(
        &self,
        tasks: &Tasks,
        change: impl FnOnce(&mut TaskRequest),
    ) -> Result<(), TaskError> {
        let _started = self.started();
        tasks.configure(self.id, change)
    }

    /// `start`: the core loads the module and queues the task. The request is kept first,
    /// for the files to show after the core has taken it (even when loading fails: the
    /// task has then ended `failed`, and its files still say what it was).
    fn start(&self, tasks: &Tasks) -> Result<(), NsError> {
        let mut started = self.started();
        let request = tasks.request(self.id);
        if request
            .as_ref()
            .is_some_and(|request| request.module.is_empty())
        {
            return Err(failed("start: no module: write its path to cmd first"));
        }
        let result = tasks.start(self.id);
        if let Some(request) = request {
            *started = Some(Shape::of(&request));
        }
        result.map_err(|error| failed(format!("start: {error}")))
    }
}

/// Carries out one `ctl` message on task `id`; `files` are its task files when it was made
/// through them (a task spawned another way takes `kill` and nothing of the rest).
pub fn control(
    root: &TaskRoot,
    id: TaskId,
    files: Option<&TaskFiles>,
    message: &[u8],
) -> Result<(), NsError> {
    let command = ctl::parse(message).map_err(|e| failed(e.to_string()))?;
    let tasks = root.tasks();
    match (command, files) {
        (Command::Kill, _) => {
            tasks.kill(id).map_err(|e| failed(format!("kill: {e}")))?;
            // A guest waiting on its stdin stops at once, not at its next tick.
            if let Some(files) = files {
                files.stdin.close();
            }
            Ok(())
        }
        (Command::Start, Some(files)) => files.start(tasks),
        (Command::Start, None) => Err(failed(format!(
            "start: task {id} was not made through /task/new"
        ))),
        (command, files) => shape_namespace(root, id, files, &command),
    }
}

/// `bind`, `mount` and `unmount` on the task's own namespace, with the namespace cores
/// every other door uses, relative to the task's working directory.
fn shape_namespace(
    root: &TaskRoot,
    id: TaskId,
    files: Option<&TaskFiles>,
    command: &Command,
) -> Result<(), NsError> {
    let verb = match command {
        Command::Bind { .. } => "bind",
        Command::Mount { .. } => "mount",
        Command::Rfork(_) => "rfork",
        _ => "unmount",
    };
    // The writer's trust, not the task's: a task made by trusted code is shaped by trusted
    // code, but a guest (or anything else no-attach) that can reach this ctl file must not
    // attach services through it: that was a way out of the guest's namespace.
    if matches!(command, Command::Mount { .. }) && !Caller::may_attach() {
        return Err(NsError::NoAttach {
            path: String::new(),
        });
    }
    let mut outcome = Ok(());
    let change = |request: &mut TaskRequest| {
        let changed = (root.shape)(&request.ns, &request.cwd, root, command);
        match changed {
            Ok(ns) => request.ns = ns,
            Err(error) => outcome = Err(error),
        }
    };
    let tasks = root.tasks();
    match files {
        Some(files) => files.configure(tasks, change),
        None => tasks.configure(id, change),
    }
    .map_err(|error| failed(format!("{verb}: {error}")))?;
    outcome.map_err(|error| failed(format!("{verb}: {error}")))
}

/// `status`: the core's state text, as `ps` and Rhai's `status()` give it: `created`,
/// `queued`, `running`, `completed` (exit 0), `completed N`, `failed: REASON`, `killed`.
pub fn status_text(info: &TaskInfo) -> String {
    format!("{}\n", info.state)
}

/// `exit`: empty until the task ends; then its exit code, the reason it failed, or `killed`.
pub fn exit_text(info: &TaskInfo) -> String {
    match &info.state {
        JobState::Completed(_) => format!("{}\n", info.exit_code().unwrap_or(0)),
        JobState::Failed(failure) => format!("{failure}\n"),
        JobState::Killed => "killed\n".into(),
        _ => String::new(),
    }
}

/// The test a waiting reader of `fd/1` or writer of `fd/0` asks between slices.
pub fn ended_test(table: &TaskTable, id: TaskId) -> Ended {
    let table = Arc::clone(table);
    Arc::new(move || {
        table
            .get()
            .and_then(|tasks| tasks.info(id))
            .is_none_or(|info| info.is_ended())
    })
}

fn text(message: &[u8]) -> Result<&str, NsError> {
    std::str::from_utf8(message).map_err(|_| failed("not UTF-8 text"))
}

/// The message as one line: a single trailing newline is dropped, another is an error.
fn one_line(message: &[u8]) -> Result<String, NsError> {
    let text = text(message)?;
    let line = text.strip_suffix('\n').unwrap_or(text);
    if line.contains('\n') {
        return Err(failed("cmd: one line: the module's path"));
    }
    Ok(line.to_string())
}

/// The message's lines; the newline ending the last one does not start another.
fn lines(message: &[u8]) -> Result<Vec<String>, NsError> {
    let text = text(message)?;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let text = text.strip_suffix('\n').unwrap_or(text);
    Ok(text.split('\n').map(str::to_string).collect())
}
