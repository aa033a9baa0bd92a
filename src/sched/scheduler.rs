//! [`Scheduler`], the handle every door holds: submit, kill, wait, list, set the limit.
//!
//! Each method takes the lock, makes one transition of [`State`] and lets go; the only
//! blocking ones are `wait`/`wait_all` (on a condition variable, never polling) and `shutdown`
//! (which joins the threads). It must never run or drop a job's work while holding the lock,
//! and must never start a thread before there is work for it.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::SchedError;
use super::job::Failure;
use super::job::{JobCtx, JobId, JobInfo, JobResult, JobSpec, JobState};
use super::state::{Shared, Work};
use super::worker::{panic_message, run_watchdog, run_worker};

/// The embedded scheduler. Cloning is cheap and every clone is the same scheduler; when the
/// last clone is dropped it shuts down as [`Scheduler::shutdown`] does.
#[derive(Clone)]
pub struct Scheduler {
    handle: Arc<Handle>,
}

/// Counts for `ps`-style summaries and for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// How many jobs may run at once.
    pub limit: usize,
    /// Slots in use: running jobs, plus jobs past their deadline whose work has not returned.
    pub running: usize,
    /// Jobs waiting for a slot.
    pub queued: usize,
    /// Worker threads started so far (they are started on demand, up to the highest limit).
    pub workers: usize,
}

/// Owns the threads; its drop is the scheduler's shutdown. Workers hold only `Shared`, so the
/// last `Scheduler` going away is what drops this.
struct Handle {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Default for Scheduler {
    fn default() -> Scheduler {
        Scheduler::new()
    }
}

impl Scheduler {
    /// A scheduler whose limit is the number of cores (at least 1). Starts no thread.
    pub fn new() -> Scheduler {
        let cores = thread::available_parallelism().map_or(1, |n| n.get());
        Scheduler::with_limit(cores)
    }

    /// A scheduler running at most `limit` jobs at once (0 counts as 1). Starts no thread.
    pub fn with_limit(limit: usize) -> Scheduler {
        let handle = Handle {
            shared: Arc::new(Shared::new(limit)),
            threads: Mutex::new(Vec::new()),
        };
        Scheduler {
            handle: Arc::new(handle),
        }
    }

    /// How many jobs may run at once.
    pub fn limit(&self) -> usize {
        self.handle.shared.lock().limit
    }

    /// Changes the limit (0 counts as 1). Raising it starts queued jobs at once; lowering it
    /// stops no running job, but no new one starts until fewer than `limit` are running.
    pub fn set_limit(&self, limit: usize) {
        self.handle.shared.lock().limit = limit.max(1);
        self.handle.shared.work.notify_all();
        self.handle.start_workers();
    }

    /// How many ended jobs stay readable (default 10 000, at least 1); older ones are forgotten.
    pub fn set_history_limit(&self, limit: usize) {
        self.handle.shared.lock().set_history_limit(limit);
    }

    /// Allocates a job in the `created` state, without work yet: what `/task/new` needs, where
    /// the command is written before `start`. Use [`Scheduler::start`] to queue it.
    pub fn create(&self, spec: JobSpec) -> JobId {
        self.handle.shared.lock().create(spec)
    }

    /// Changes a created job's name, priority and budget (what `/task/<id>/cmd` and the other
    /// files change before `start`); an error once it has been started.
    pub fn respec(&self, id: JobId, spec: JobSpec) -> Result<(), SchedError> {
        self.handle.shared.lock().respec(id, spec)
    }

    /// Ends a created job `failed` at once, without queueing it (its work could not even be
    /// made, so the concurrency limit must not delay the news).
    pub fn fail(&self, id: JobId, failure: Failure) -> Result<(), SchedError> {
        self.handle.shared.lock().fail_created(id, failure)?;
        self.handle.shared.ended.notify_all();
        Ok(())
    }

    /// Queues a created job with its work. After shutdown the job fails at once.
    pub fn start(
        &self,
        id: JobId,
        work: impl FnOnce(&JobCtx) -> JobResult + Send + 'static,
    ) -> Result<(), SchedError> {
        let mut work: Option<Work> = Some(Box::new(work));
        let has_deadline = self.handle.shared.lock().enqueue(id, &mut work)?;
        drop(work); // not queued because shut down: dropped outside the lock
        self.handle.shared.work.notify_one();
        self.handle.start_workers();
        if has_deadline {
            self.handle.start_watchdog();
        }
        Ok(())
    }

    /// Creates and starts a job: the usual way in.
    pub fn submit(
        &self,
        spec: JobSpec,
        work: impl FnOnce(&JobCtx) -> JobResult + Send + 'static,
    ) -> JobId {
        let id = self.create(spec);
        // Cannot fail: the job was created just now and nobody else has started it.
        let _ = self.start(id, work);
        id
    }

    /// Runs `work` on this thread as a job of its own, outside the concurrency limit: it is
    /// never queued and takes no slot, but it is listed, killable (its cancel flag) and held
    /// to its deadline by the watchdog like any other job. For work that must not wait for a
    /// slot because others wait for it: the members of a foreground pipeline, which would
    /// deadlock a limit smaller than the pipeline. `begun` is told the id before the work
    /// runs. Returns the job's final snapshot.
    pub fn run_here(
        &self,
        spec: JobSpec,
        begun: impl FnOnce(JobId),
        work: impl FnOnce(&JobCtx) -> JobResult,
    ) -> JobInfo {
        let ctx = self.handle.shared.lock().begin_here(spec);
        if ctx.deadline().is_some() {
            self.handle.start_watchdog();
            self.handle.shared.watch.notify_one();
        }
        begun(ctx.id());
        let result = run_caught_here(work, &ctx);
        let id = ctx.id();
        let mut state = self.handle.shared.lock();
        state.finish_here(id, result.clone());
        let info = state.get(id).cloned();
        drop(state);
        self.handle.shared.ended.notify_all();
        // Forgotten already only if history is smaller than the jobs that ended meanwhile.
        info.unwrap_or_else(|| ended_without_history(id, result))
    }

    /// Kills a job: a created or queued one is removed and ends `killed` at once; a running
    /// one has its cancel flag set and ends `killed` when its work returns (or at its deadline,
    /// if that comes first). Killing a job that has ended is an error.
    pub fn kill(&self, id: JobId) -> Result<(), SchedError> {
        let work = self.handle.shared.lock().kill(id)?;
        drop(work); // a queued job's work, dropped outside the lock
        self.handle.shared.ended.notify_all();
        Ok(())
    }

    /// Blocks until job `id` ends, or until `timeout` passes; returns its final snapshot.
    /// `NoSuchJob` if the id is unknown, or if history forgot the job before this waiter
    /// woke (only possible when more than the history limit of jobs end meanwhile).
    pub fn wait(&self, id: JobId, timeout: Option<Duration>) -> Result<JobInfo, SchedError> {
        let until = timeout.and_then(|t| Instant::now().checked_add(t));
        let shared = &self.handle.shared;
        let mut state = shared.lock();
        loop {
            let info = state.get(id).ok_or(SchedError::NoSuchJob(id))?;
            if info.state.is_ended() {
                return Ok(info.clone());
            }
            state = match until {
                None => shared.wait(&shared.ended, state),
                Some(until) => {
                    let now = Instant::now();
                    if now >= until {
                        return Err(SchedError::TimedOut(id));
                    }
                    shared.wait_for(&shared.ended, state, until - now)
                }
            };
        }
    }

    /// Waits for every job that is queued or running now (not for ones submitted later, nor
    /// for created jobs that were never started); their final snapshots, in id order.
    pub fn wait_all(&self, timeout: Option<Duration>) -> Result<Vec<JobInfo>, SchedError> {
        let until = timeout.and_then(|t| Instant::now().checked_add(t));
        let ids: Vec<JobId> = {
            let state = self.handle.shared.lock();
            let live = state
                .infos()
                .filter(|info| matches!(info.state, JobState::Queued | JobState::Running));
            live.map(|info| info.id).collect()
        };
        let mut done = Vec::with_capacity(ids.len());
        for id in ids {
            let left = until.map(|u| u.saturating_duration_since(Instant::now()));
            match self.wait(id, left) {
                Ok(info) => done.push(info),
                Err(SchedError::NoSuchJob(_)) => {} // ended and already forgotten
                Err(error) => return Err(error),
            }
        }
        Ok(done)
    }

    /// A snapshot of one job; `None` if there never was one or history has forgotten it.
    pub fn get(&self, id: JobId) -> Option<JobInfo> {
        self.handle.shared.lock().get(id).cloned()
    }

    /// Snapshots of every job still known (live ones and recent history), in id order.
    pub fn list(&self) -> Vec<JobInfo> {
        self.handle.shared.lock().infos().cloned().collect()
    }

    /// The counts now.
    pub fn stats(&self) -> Stats {
        let state = self.handle.shared.lock();
        Stats {
            limit: state.limit,
            running: state.occupied,
            queued: state.queued(),
            workers: state.workers,
        }
    }

    /// Stops the scheduler: jobs that never ran fail ("scheduler shut down"), running ones are
    /// killed (their cancel flags set), later submissions fail at once, and the threads are
    /// joined, so this returns when every running job's work has returned. Idempotent.
    pub fn shutdown(&self) {
        self.handle.shutdown();
    }
}

impl Handle {
    fn shutdown(&self) {
        let dropped = self.shared.lock().shut_down();
        drop(dropped);
        self.shared.work.notify_all();
        self.shared.watch.notify_all();
        self.shared.ended.notify_all();
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|e| e.into_inner()));
        let me = thread::current().id();
        for thread in threads {
            // The last handle may be dropped by a job on a worker: that worker cannot join
            // itself; it leaves its loop once its job returns, since shutdown is set.
            if thread.thread().id() != me {
                let _ = thread.join();
            }
        }
    }

    /// Starts workers until there are as many as the load can use, up to the limit.
    fn start_workers(&self) {
        loop {
            let number = {
                let mut state = self.shared.lock();
                if state.shutdown || state.workers >= state.workers_wanted() {
                    return;
                }
                state.workers += 1;
                state.workers
            };
            let shared = Arc::clone(&self.shared);
            let spawned = thread::Builder::new()
                .name(format!("oash-sched-{number}"))
                .spawn(move || run_worker(shared));
            match spawned {
                Ok(thread) => self.keep(thread),
                Err(error) => {
                    self.worker_failed(&error.to_string());
                    return;
                }
            }
        }
    }

    fn worker_failed(&self, error: &str) {
        let mut state = self.shared.lock();
        state.workers -= 1;
        if state.workers == 0 {
            let dropped = state.fail_queued(&format!("cannot start a worker thread: {error}"));
            drop(state);
            drop(dropped);
            self.shared.ended.notify_all();
        }
    }

    /// The watchdog starts with the first job that has a deadline.
    fn start_watchdog(&self) {
        {
            let mut state = self.shared.lock();
            if state.watchdog || state.shutdown {
                return;
            }
            state.watchdog = true;
        }
        let shared = Arc::clone(&self.shared);
        let spawned = thread::Builder::new()
            .name("oash-sched-watchdog".into())
            .spawn(move || run_watchdog(shared));
        match spawned {
            Ok(thread) => self.keep(thread),
            // Without a watchdog a job that ignores its deadline is ended when it returns
            // (`finish` applies the deadline); the next deadline job tries again.
            Err(_) => self.shared.lock().watchdog = false,
        }
    }

    fn keep(&self, thread: JoinHandle<()>) {
        self.threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(thread);
    }
}

/// Runs a caller's own job's work, a panic becoming `failed("panicked: ...")` as on a worker.
fn run_caught_here(work: impl FnOnce(&JobCtx) -> JobResult, ctx: &JobCtx) -> JobResult {
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(ctx)));
    caught.unwrap_or_else(|payload| JobResult::Failed(Failure::Panicked(panic_message(&*payload))))
}

/// The snapshot of a job that history forgot the moment it ended.
fn ended_without_history(id: JobId, result: JobResult) -> JobInfo {
    let now = std::time::SystemTime::now();
    JobInfo {
        id,
        name: String::new(),
        priority: 0,
        state: match result {
            JobResult::Completed(status) => JobState::Completed(status),
            JobResult::Failed(failure) => JobState::Failed(failure),
        },
        created: now,
        queued: None,
        started: Some(now),
        ended: Some(now),
    }
}
