//! The scheduler's vocabulary: what a job asks for ([`JobSpec`], [`Budget`]), what it is given
//! while it runs ([`JobCtx`]), what it hands back ([`JobResult`], [`Failure`]) and what anyone
//! may read about it afterwards ([`JobState`], [`JobInfo`]).
//!
//! Plain data only: nothing here locks, spawns or waits, and nothing here may know what a job
//! *is* (a WASI guest, an agent tick, an alarm): the runtimes that submit work give it meaning.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::proc::Status;

/// A job's number. Ids count up from 1 per scheduler and are never reused, so a stale id can
/// only ever name the job it named before (or nothing, once history forgot it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(pub u64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a job may use. The scheduler enforces only `deadline` (its watchdog fails a job that
/// outlives it); `fuel` and `memory_bytes` are carried to the job through [`JobCtx::budget`]
/// for the runtime to enforce (wasmtime fuel, a `ResourceLimiter`), which then reports
/// exhaustion as [`Failure::Exhausted`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    /// Wall-clock time from the moment the job starts running (time spent queued is free).
    pub deadline: Option<Duration>,
    /// An instruction budget, in the runtime's own unit.
    pub fuel: Option<u64>,
    /// A memory cap in bytes.
    pub memory_bytes: Option<u64>,
}

/// What `submit` is told about a job besides its work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobSpec {
    /// What `ps` shows: a command line, a task name.
    pub name: String,
    /// Higher runs first; equal priorities run in submission order.
    pub priority: i32,
    /// What the job may spend before it is failed.
    pub budget: Budget,
}

impl JobSpec {
    /// A job of priority 0 with no budget.
    pub fn named(name: impl Into<String>) -> JobSpec {
        JobSpec {
            name: name.into(),
            ..JobSpec::default()
        }
    }
    /// The same spec at `priority`.
    pub fn priority(mut self, priority: i32) -> JobSpec {
        self.priority = priority;
        self
    }
    /// The same spec with a wall-clock deadline.
    pub fn deadline(mut self, deadline: Duration) -> JobSpec {
        self.budget.deadline = Some(deadline);
        self
    }
}

/// What a running job is handed: who it is, when it must stop and whether it has been asked to.
///
/// The cancel flag is the only way the scheduler can stop a job: threads cannot be killed, so
/// a job must poll [`JobCtx::is_cancelled`] or hand [`JobCtx::cancel_flag`] to its runtime
/// (e.g. a wasmtime epoch callback that traps when the flag is set).
#[derive(Clone, Debug)]
pub struct JobCtx {
    pub(super) id: JobId,
    pub(super) cancel: Arc<AtomicBool>,
    pub(super) deadline: Option<Instant>,
    pub(super) budget: Budget,
}

impl JobCtx {
    /// The job's id.
    pub fn id(&self) -> JobId {
        self.id
    }
    /// True once the job was killed, its deadline passed or the scheduler is shutting down.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Acquire)
    }
    /// The flag itself, to hand to a runtime that polls it on its own thread.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }
    /// When the job's wall-clock budget runs out, if it has one.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
    /// The whole budget, for the runtime to enforce fuel and memory caps.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }
}

/// The resource whose budget ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// Wall-clock time, from the start of the run.
    Deadline,
    /// WASM fuel: instructions, roughly.
    Fuel,
    /// Guest memory.
    Memory,
}

/// Why a job failed. Rendered (`Display`) as the reason in `ps` and `/task/<id>/status`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Failure {
    /// A budget ran out: the scheduler's deadline watchdog, or the runtime's fuel/memory cap.
    Exhausted(Resource),
    /// The job's code panicked; the message is the panic's payload when it was a string.
    Panicked(String),
    /// The scheduler stopped before the job could run.
    ShutDown,
    /// Anything else the job reports (a trap message, a missing module).
    Error(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Exhausted(Resource::Deadline) => f.write_str("deadline exceeded"),
            Failure::Exhausted(Resource::Fuel) => f.write_str("out of fuel"),
            Failure::Exhausted(Resource::Memory) => f.write_str("memory cap exceeded"),
            Failure::Panicked(message) => write!(f, "panicked: {message}"),
            Failure::ShutDown => f.write_str("scheduler shut down"),
            Failure::Error(message) => f.write_str(message),
        }
    }
}

/// What a job's work returns: it ran to its end with an exit status (which may itself be
/// false, as a program exiting 1 is still a program that completed), or it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobResult {
    /// The job ran to its end with this status.
    Completed(Status),
    /// The job was stopped (budget, trap, kill).
    Failed(Failure),
}

/// Where a job is in its life: `Created → Queued → Running → Completed | Failed | Killed`.
/// Once a job has ended its state never changes again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobState {
    /// Made but not yet submitted.
    Created,
    /// Waiting for a worker.
    Queued,
    /// On a worker now.
    Running,
    /// Ended by itself, with this status.
    Completed(Status),
    /// Ended by a failure.
    Failed(Failure),
    /// Ended by a kill.
    Killed,
}

impl JobState {
    /// Whether the job has ended (its state will not change again).
    pub fn is_ended(&self) -> bool {
        matches!(
            self,
            JobState::Completed(_) | JobState::Failed(_) | JobState::Killed
        )
    }
    /// The state's one-word name, as `ps` prints it.
    pub fn word(&self) -> &'static str {
        match self {
            JobState::Created => "created",
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Completed(_) => "completed",
            JobState::Failed(_) => "failed",
            JobState::Killed => "killed",
        }
    }
}

impl fmt::Display for JobState {
    /// `completed`, `completed 3` (a false exit status), `failed: out of fuel`, `killed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobState::Completed(status) if !status.is_ok() => write!(f, "completed {status}"),
            JobState::Failed(failure) => write!(f, "failed: {failure}"),
            other => f.write_str(other.word()),
        }
    }
}

/// A snapshot of one job, for `ps`, `wait` and the `/task/<id>/status` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    /// The job.
    pub id: JobId,
    /// Its name, for `ps`.
    pub name: String,
    /// Its priority.
    pub priority: i32,
    /// Its state when the snapshot was taken.
    pub state: JobState,
    /// When it was made.
    pub created: SystemTime,
    /// When it was submitted, if it was.
    pub queued: Option<SystemTime>,
    /// When a worker took it, if one did.
    pub started: Option<SystemTime>,
    /// When it ended, if it has.
    pub ended: Option<SystemTime>,
}

impl JobInfo {
    /// The failure reason, if the job failed.
    pub fn reason(&self) -> Option<String> {
        match &self.state {
            JobState::Failed(failure) => Some(failure.to_string()),
            _ => None,
        }
    }
}
