//! What a task is asked to be ([`TaskRequest`]), what anyone may read about it
//! ([`TaskInfo`]), how it can go wrong before it runs ([`TaskError`]), and how a guest's
//! [`Outcome`] becomes the scheduler's [`JobResult`].
//!
//! Plain data and pure functions: nothing here loads, runs, locks or waits.

use std::sync::Arc;
use std::time::SystemTime;

use miette::Diagnostic;
use thiserror::Error;

use super::TaskId;
use crate::ns::Namespace;
use crate::proc::env::EnvGroup;
use crate::proc::io::Fd;
use crate::proc::{Control, Status};
use crate::sched::{Failure, JobInfo, JobResult, JobState, Resource, SchedError};
use crate::wasi::{Limits, LoadError, Outcome};

/// Everything a task needs: which module, its process shape, its namespace and budgets.
#[derive(Clone)]
pub struct TaskRequest {
    /// The module's path in `ns`, absolute or relative to `cwd`.
    pub module: String,
    /// The arguments after the program's name (`argv[0]` is made from `module`).
    pub args: Vec<String>,
    /// The guest's environment, `NAME=value` pairs in order.
    pub env: Vec<(String, String)>,
    /// The guest's whole file system.
    pub ns: Namespace,
    /// Its working directory in `ns`.
    pub cwd: String,
    /// Standard input (descriptor 0).
    pub stdin: Fd,
    /// Standard output (descriptor 1).
    pub stdout: Fd,
    /// Standard error (descriptor 2).
    pub stderr: Fd,
    /// Higher runs first among queued tasks.
    pub priority: i32,
    /// Its fuel, memory and time limits.
    pub limits: Limits,
    /// The `/env` the guest's thread serves while it runs: by default a copy of its
    /// creator's group, so its writes stay its own as a forked child's do; the creator's own
    /// group when a trusted door asks to share (`spawn -s`). `None`: `/env` has no group.
    pub env_group: Option<Arc<EnvGroup>>,
    /// The shell job that waits for it, if one does: its stop (Ctrl-Z) pauses the guest and
    /// its interrupt (Ctrl-C, `kill %N`) kills it. `None` for a task nobody waits for.
    pub job: Option<Arc<Control>>,
}

impl TaskRequest {
    /// A request for `module` in `ns`: no arguments, no environment, cwd `/`, closed
    /// standard streams, priority 0, no limits.
    pub fn new(module: impl Into<String>, ns: Namespace) -> TaskRequest {
        TaskRequest {
            module: module.into(),
            args: Vec::new(),
            env: Vec::new(),
            ns,
            cwd: "/".into(),
            stdin: Fd::Closed,
            stdout: Fd::Closed,
            stderr: Fd::Closed,
            priority: 0,
            limits: Limits::default(),
            env_group: None,
            job: None,
        }
    }

    /// The guest's whole argv: the program's name, then `args`.
    pub fn argv(&self) -> Vec<String> {
        let mut argv = Vec::with_capacity(self.args.len() + 1);
        argv.push(argv0(&self.module));
        argv.extend(self.args.iter().cloned());
        argv
    }

    /// The command line `ps` shows: the module as given, then the arguments.
    pub fn name(&self) -> String {
        let mut words = vec![self.module.as_str()];
        words.extend(self.args.iter().map(String::as_str));
        words.join(" ")
    }
}

/// A program's name from its module path: the last element, without `.wasm`.
pub fn argv0(module: &str) -> String {
    let base = module
        .rsplit('/')
        .find(|part| !part.is_empty())
        .unwrap_or(module);
    base.strip_suffix(".wasm")
        .filter(|name| !name.is_empty())
        .unwrap_or(base)
        .to_string()
}

/// A snapshot of one task, for `ps`, `wait`, the Rhai handle and `/task/<id>/status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskInfo {
    /// The task's id, as `/task/<id>` names it.
    pub id: TaskId,
    /// The command line: module and arguments.
    pub name: String,
    /// Its priority.
    pub priority: i32,
    /// Its state when the snapshot was taken.
    pub state: JobState,
    /// When it was made.
    pub created: SystemTime,
    /// When it started running, if it has.
    pub started: Option<SystemTime>,
    /// When it ended, if it has.
    pub ended: Option<SystemTime>,
}

impl From<JobInfo> for TaskInfo {
    fn from(job: JobInfo) -> TaskInfo {
        TaskInfo {
            id: job.id,
            name: job.name,
            priority: job.priority,
            state: job.state,
            created: job.created,
            started: job.started,
            ended: job.ended,
        }
    }
}

impl TaskInfo {
    /// Whether the task has ended.
    pub fn is_ended(&self) -> bool {
        self.state.is_ended()
    }

    /// rc's `$status` for the task: its exit code, or the reason it failed; true while it
    /// has not ended.
    pub fn status(&self) -> Status {
        match &self.state {
            JobState::Completed(status) => status.clone(),
            JobState::Failed(failure) => Status::failure(failure.to_string()),
            JobState::Killed => Status::failure("killed"),
            _ => Status::ok(),
        }
    }

    /// The guest's exit code, once it has exited (not for a failure or a kill).
    pub fn exit_code(&self) -> Option<i32> {
        match &self.state {
            JobState::Completed(status) => Some(status.exit_code()),
            _ => None,
        }
    }

    /// Why it failed, if it did.
    pub fn reason(&self) -> Option<String> {
        match &self.state {
            JobState::Failed(failure) => Some(failure.to_string()),
            _ => None,
        }
    }
}

/// Why a task operation could not be done.
#[derive(Clone, Debug, PartialEq, Eq, Error, Diagnostic)]
pub enum TaskError {
    /// The module could not be read or is not a WASI command; the message names the path.
    #[error("{}", load_message(path, source))]
    #[diagnostic(code(oash::task::load))]
    Load {
        /// The module's path in the namespace.
        path: String,
        /// Why it could not be loaded.
        source: LoadError,
    },
    /// The id names no task (never made, or forgotten from the history).
    #[error("no such task: {0}")]
    #[diagnostic(code(oash::task::no_such_task))]
    NoSuchTask(TaskId),
    /// `start` of a task that was started before.
    #[error("task {0} has already been started")]
    #[diagnostic(code(oash::task::started))]
    AlreadyStarted(TaskId),
    /// An operation that needs a live task, on one that has ended.
    #[error("task {0} has already ended")]
    #[diagnostic(code(oash::task::ended))]
    Ended(TaskId),
    /// `wait` with a timeout that ran out first.
    #[error("task {0} is still running")]
    #[diagnostic(code(oash::task::timeout))]
    TimedOut(TaskId),
}

/// One line naming the module: a read error names it already; a compile error's first line
/// (wasmtime's text-format parser adds a picture of the place) gets the path in front.
fn load_message(path: &str, source: &LoadError) -> String {
    match source {
        LoadError::Read { .. } | LoadError::TooLarge { .. } => source.to_string(),
        other => {
            let text = other.to_string();
            let first = text.lines().next().unwrap_or_default().trim_end();
            format!("{path}: {first}")
        }
    }
}

impl From<SchedError> for TaskError {
    fn from(error: SchedError) -> TaskError {
        match error {
            SchedError::NoSuchJob(id) => TaskError::NoSuchTask(id),
            SchedError::AlreadyStarted(id) => TaskError::AlreadyStarted(id),
            SchedError::Ended(id) => TaskError::Ended(id),
            SchedError::TimedOut(id) => TaskError::TimedOut(id),
        }
    }
}

/// How a guest's ending is recorded by the scheduler: an exit is a completed job with its
/// code as status; budgets are `Exhausted`, so every door words them alike.
pub fn job_result(outcome: &Outcome) -> JobResult {
    match outcome {
        Outcome::Exited(code) => JobResult::Completed(Status::code(i64::from(*code))),
        Outcome::DeadlineExceeded(_) => JobResult::Failed(Failure::Exhausted(Resource::Deadline)),
        Outcome::FuelExhausted(_) => JobResult::Failed(Failure::Exhausted(Resource::Fuel)),
        Outcome::MemoryCap(_) => JobResult::Failed(Failure::Exhausted(Resource::Memory)),
        other => JobResult::Failed(Failure::Error(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv0_is_the_base_name_without_wasm() {
        assert_eq!(argv0("/bin/echo.wasm"), "echo");
        assert_eq!(argv0("cat"), "cat");
        assert_eq!(argv0("/lib/x/"), "x");
        assert_eq!(argv0(".wasm"), ".wasm");
        assert_eq!(argv0(""), "");
    }

    #[test]
    fn outcomes_become_job_results() {
        assert_eq!(
            job_result(&Outcome::Exited(3)),
            JobResult::Completed(Status::code(3))
        );
        let trap = job_result(&Outcome::Trapped("unreachable".into()));
        assert_eq!(
            trap,
            JobResult::Failed(Failure::Error("trap: unreachable".into()))
        );
        assert_eq!(
            job_result(&Outcome::MemoryCap(1)),
            JobResult::Failed(Failure::Exhausted(Resource::Memory))
        );
    }
}
