//! The scheduler's two kinds of thread: workers, which run jobs, and the watchdog, which ends
//! jobs that outlive their deadline.
//!
//! A worker takes the lock only to pick a job and to record its result; the job's work runs
//! with the lock released, inside `catch_unwind`, so a panicking job fails alone and a job may
//! itself call the scheduler (submit, list, kill). Neither thread may ever spin: each sleeps
//! on its condition variable until there is something to do.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Instant;

use super::job::{Failure, JobCtx, JobResult};
use super::state::{Shared, Work};

/// A worker's life: take the best queued job while a slot is free, run it, record it, repeat.
///
/// No wakeup is lost: the condition "a job is queued and a slot is free" can only become true
/// by a submit (which notifies one worker), by a limit raise (which notifies all), or by a
/// slot freeing, and the worker that frees a slot checks the queue again itself before it
/// sleeps. All waiting workers wait for the same condition, so waking one is enough.
pub(super) fn run_worker(shared: Arc<Shared>) {
    let mut state = shared.lock();
    loop {
        if state.shutdown {
            return;
        }
        let Some((ctx, work)) = state.next_runnable() else {
            state = shared.wait(&shared.work, state);
            continue;
        };
        drop(state);
        if ctx.deadline().is_some() {
            shared.watch.notify_one();
        }
        let result = run_caught(work, &ctx);
        state = shared.lock();
        state.finish(ctx.id(), result);
        shared.ended.notify_all();
    }
}

/// The watchdog's life: sleep until the earliest deadline of a running job, end every job
/// whose deadline has passed (setting its cancel flag for its thread to notice), repeat.
pub(super) fn run_watchdog(shared: Arc<Shared>) {
    let mut state = shared.lock();
    loop {
        if state.shutdown {
            return;
        }
        let (any_ended, next) = state.expire_due(Instant::now());
        if any_ended {
            shared.ended.notify_all();
        }
        state = match next {
            Some(when) => {
                let time = when.saturating_duration_since(Instant::now());
                shared.wait_for(&shared.watch, state, time)
            }
            None => shared.wait(&shared.watch, state),
        };
    }
}

/// Runs the work; a panic becomes `failed("panicked: message")`. (This relies on the crate's
/// `panic = "unwind"`, which Cargo.toml keeps for release builds too.)
fn run_caught(work: Work, ctx: &JobCtx) -> JobResult {
    match panic::catch_unwind(AssertUnwindSafe(|| work(ctx))) {
        Ok(result) => result,
        Err(payload) => JobResult::Failed(Failure::Panicked(panic_message(payload.as_ref()))),
    }
}

pub(super) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a value that is not a string)".to_string()
    }
}
