//! The embedded scheduler: everything that is not the shell itself (WASI tasks, agent ticks,
//! alarms, plumber deliveries) runs as a job here, under a concurrency limit, in priority
//! order, with a wall-clock deadline, visible to `ps`, `wait`, `kill` and `/task/<id>/status`.
//!
//! It is generic: a job is a closure `FnOnce(&JobCtx) -> JobResult`, and this module must never
//! know what runs inside one (no WASI, no namespace). It must never run more than `limit` jobs
//! at once, hold its lock while a job runs, or spin.
//!
//! # Design
//! - **Execution: a pool of std threads of our own**, not tokio. Jobs are synchronous (the
//!   WASI runtime runs one guest to completion on the calling thread), so they need threads
//!   that may block; tokio's blocking pool would give those, but with its own cap and FIFO
//!   order, so the limit and the priority queue would have to live here anyway, and tokio
//!   would only add a runtime to start. The async bridge of the issue can submit into this
//!   scheduler (or be a job of it) when it comes. Workers start on demand, one per job the
//!   load can use, up to the highest limit ever set; they sleep on a condition variable when
//!   idle and are joined by [`Scheduler::shutdown`] or when the last handle is dropped.
//! - **Lazy.** [`Scheduler::new`] starts no thread: whoever first needs a scheduler makes one
//!   (a `OnceLock<Scheduler>` on the shell, say) and its threads come with the first job.
//! - **Priorities** are plain: the highest priority queued job always goes next, equal
//!   priorities in submission order (a sequence number makes it deterministic). A steady
//!   stream of high-priority work therefore starves lower priorities, by design: there is no
//!   ageing. Priority orders the queue only; it never preempts a running job.
//! - **Lifecycle** `created → queued → running → completed | failed(reason) | killed`, with
//!   wall-clock timestamps for each step. An ended job's state never changes again. Ended jobs
//!   stay readable in a bounded history (default [`DEFAULT_HISTORY`]), oldest forgotten first.
//! - **Budgets.** The deadline counts from the moment the job starts running. The job gets it
//!   as an `Instant` in [`JobCtx`] to enforce itself (a wasmtime epoch deadline), and fuel and
//!   memory caps to hand to its runtime; a job that reports exhaustion fails with that reason.
//!   A job that ignores its deadline is ended by the watchdog thread: marked `failed(deadline
//!   exceeded)` when the deadline passes and its cancel flag set. Threads cannot be killed, so
//!   its work keeps its slot (counted in [`Stats::running`]) until it returns, keeping the
//!   limit honest about threads in use; **its late result is discarded**. The same holds for
//!   any result that comes back after the deadline, so the outcome never depends on how fast
//!   the watchdog woke.
//! - **Kill** is cooperative for running jobs (the cancel flag), immediate for queued ones.
//!   A kill wins over whatever the job returns afterwards.
//! - **Panics** in a job are caught: the job fails with `panicked: message`, the worker lives.
//! - Persistence (SPEC §3's SQLite state) is not here: [`JobInfo`] is what would be stored.

mod job;
mod queue;
mod scheduler;
mod state;
mod worker;

pub use job::{Budget, Failure, JobCtx, JobId, JobInfo, JobResult, JobSpec, JobState, Resource};
pub use scheduler::{Scheduler, Stats};

use miette::Diagnostic;
use thiserror::Error;

/// How many ended jobs a scheduler remembers unless told otherwise.
pub const DEFAULT_HISTORY: usize = 10_000;

/// A scheduler call that does not fit the job's state.
#[derive(Clone, Debug, PartialEq, Eq, Error, Diagnostic)]
pub enum SchedError {
    /// The id names no job (never made, or forgotten from the history).
    #[error("no such job: {0}")]
    #[diagnostic(code(oash::sched::no_such_job))]
    NoSuchJob(JobId),
    /// `start` of a job that was started before.
    #[error("job {0} has already been started")]
    #[diagnostic(code(oash::sched::started))]
    AlreadyStarted(JobId),
    /// An operation that needs a live job, on one that has ended.
    #[error("job {0} has already ended")]
    #[diagnostic(code(oash::sched::ended))]
    Ended(JobId),
    /// `wait` with a timeout that ran out first.
    #[error("job {0} is still running")]
    #[diagnostic(code(oash::sched::timeout))]
    TimedOut(JobId),
}
