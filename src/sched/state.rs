//! The scheduler's shared state and every transition of a job's life, all done under one lock.
//!
//! Each method here is a whole transition (`enqueue`, `next_runnable`, `finish`, `expire_due`,
//! `kill`, `shut_down`): it moves a job from one state to the next and keeps the queue, the
//! deadline set, the slot count and the history consistent with it. These methods must never
//! block, run a job's work or drop it (dropping a closure runs arbitrary code, which might call
//! back into the scheduler): work that leaves the state is handed back for the caller to drop
//! once the lock is released.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use super::SchedError;
use super::job::{Budget, Failure, JobCtx, JobId, JobInfo, JobResult, JobSpec, JobState, Resource};
use super::queue::{QueueKey, RunQueue};

/// A job's work, boxed while it waits in the table.
pub(super) type Work = Box<dyn FnOnce(&JobCtx) -> JobResult + Send + 'static>;

/// The lock and the three things one may wait for under it.
pub(super) struct Shared {
    state: Mutex<State>,
    /// Workers wait here: a job was queued, the limit rose, or shutdown began.
    pub work: Condvar,
    /// `wait` waits here: some job ended.
    pub ended: Condvar,
    /// The watchdog waits here: a job with a deadline started, or shutdown began.
    pub watch: Condvar,
}

impl Shared {
    pub fn new(limit: usize) -> Shared {
        Shared {
            state: Mutex::new(State::new(limit)),
            work: Condvar::new(),
            ended: Condvar::new(),
            watch: Condvar::new(),
        }
    }

    /// The state, even if a thread panicked while holding it: every transition leaves it
    /// consistent before anything that could panic, and job code never runs under the lock.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn wait<'a>(&self, on: &Condvar, guard: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        on.wait(guard).unwrap_or_else(|e| e.into_inner())
    }

    pub fn wait_for<'a>(
        &self,
        on: &Condvar,
        guard: MutexGuard<'a, State>,
        time: Duration,
    ) -> MutexGuard<'a, State> {
        on.wait_timeout(guard, time)
            .map(|(guard, _)| guard)
            .unwrap_or_else(|e| e.into_inner().0)
    }
}

struct JobRecord {
    info: JobInfo,
    work: Option<Work>,
    queue_key: Option<QueueKey>,
    cancel: Arc<AtomicBool>,
    budget: Budget,
    deadline: Option<Instant>,
    kill_requested: bool,
}

pub(super) struct State {
    jobs: BTreeMap<JobId, JobRecord>,
    queue: RunQueue,
    /// Deadlines of the jobs that are running, earliest first, for the watchdog.
    deadlines: BTreeSet<(Instant, JobId)>,
    /// Ended jobs, oldest first; the table forgets the oldest beyond `history_limit`.
    history: VecDeque<JobId>,
    pub history_limit: usize,
    pub limit: usize,
    /// Worker slots executing a job's work. A job ended by the watchdog keeps its slot until
    /// its work really returns, so this may exceed the number of jobs in `Running`.
    pub occupied: usize,
    pub workers: usize,
    pub watchdog: bool,
    next_id: u64,
    pub shutdown: bool,
}

impl State {
    fn new(limit: usize) -> State {
        State {
            jobs: BTreeMap::new(),
            queue: RunQueue::default(),
            deadlines: BTreeSet::new(),
            history: VecDeque::new(),
            history_limit: super::DEFAULT_HISTORY,
            limit: limit.max(1),
            occupied: 0,
            workers: 0,
            watchdog: false,
            next_id: 0,
            shutdown: false,
        }
    }

    pub fn create(&mut self, spec: JobSpec) -> JobId {
        self.next_id += 1;
        let id = JobId(self.next_id);
        let info = JobInfo {
            id,
            name: spec.name,
            priority: spec.priority,
            state: JobState::Created,
            created: SystemTime::now(),
            queued: None,
            started: None,
            ended: None,
        };
        let record = JobRecord {
            info,
            work: None,
            queue_key: None,
            cancel: Arc::new(AtomicBool::new(false)),
            budget: spec.budget,
            deadline: None,
            kill_requested: false,
        };
        self.jobs.insert(id, record);
        id
    }

    /// A job that is still `created`, or why it is not.
    fn created_job(&mut self, id: JobId) -> Result<&mut JobRecord, SchedError> {
        let job = self.jobs.get_mut(&id).ok_or(SchedError::NoSuchJob(id))?;
        match job.info.state {
            JobState::Created => Ok(job),
            ref state if state.is_ended() => Err(SchedError::Ended(id)),
            _ => Err(SchedError::AlreadyStarted(id)),
        }
    }

    /// Replaces a created job's spec (its request was changed before start).
    pub fn respec(&mut self, id: JobId, spec: JobSpec) -> Result<(), SchedError> {
        let job = self.created_job(id)?;
        job.info.name = spec.name;
        job.info.priority = spec.priority;
        job.budget = spec.budget;
        Ok(())
    }

    /// Created → Failed, for a job that cannot start at all (its program would not load).
    pub fn fail_created(&mut self, id: JobId, failure: Failure) -> Result<(), SchedError> {
        self.created_job(id)?;
        self.end(id, JobState::Failed(failure));
        Ok(())
    }

    /// Created → Queued, taking the work out of `work`; says whether the job has a deadline
    /// (and so needs the watchdog). After shutdown the job fails at once and `work` is left
    /// for the caller to drop.
    pub fn enqueue(&mut self, id: JobId, work: &mut Option<Work>) -> Result<bool, SchedError> {
        let shutdown = self.shutdown;
        let job = self.jobs.get_mut(&id).ok_or(SchedError::NoSuchJob(id))?;
        match job.info.state {
            JobState::Created => {}
            ref state if state.is_ended() => return Err(SchedError::Ended(id)),
            _ => return Err(SchedError::AlreadyStarted(id)),
        }
        if shutdown {
            self.end(id, JobState::Failed(Failure::ShutDown));
            return Ok(false);
        }
        job.work = work.take();
        job.queue_key = Some(self.queue.push(id, job.info.priority));
        job.info.state = JobState::Queued;
        job.info.queued = Some(SystemTime::now());
        Ok(job.budget.deadline.is_some())
    }

    /// Queued → Running for the best queued job, if a slot is free.
    pub fn next_runnable(&mut self) -> Option<(JobCtx, Work)> {
        if self.shutdown || self.occupied >= self.limit {
            return None;
        }
        let id = self.queue.pop()?;
        // Invariant: a queued job is in the table (history holds only ended jobs) with its work.
        let job = self.jobs.get_mut(&id)?;
        let work = job.work.take()?;
        job.queue_key = None;
        self.occupied += 1;
        Some((self.mark_running(id)?, work))
    }

    /// → Running: the start time, the deadline (for the watchdog), the context to run with.
    fn mark_running(&mut self, id: JobId) -> Option<JobCtx> {
        let job = self.jobs.get_mut(&id)?;
        job.info.state = JobState::Running;
        job.info.started = Some(SystemTime::now());
        job.deadline = job
            .budget
            .deadline
            .and_then(|d| Instant::now().checked_add(d));
        if let Some(deadline) = job.deadline {
            self.deadlines.insert((deadline, id));
        }
        Some(JobCtx {
            id,
            cancel: Arc::clone(&job.cancel),
            deadline: job.deadline,
            budget: job.budget.clone(),
        })
    }

    /// A job's work returned (or panicked, already turned into a result): its slot is free.
    ///
    /// The deadline is a hard line: a result that comes back after it is discarded and the job
    /// has failed with "deadline exceeded" (the watchdog may already have said so), whatever
    /// it returned, so the outcome never depends on how quickly the watchdog woke. A kill wins
    /// over any result: a job asked to die is reported killed.
    pub fn finish(&mut self, id: JobId, result: JobResult) {
        self.occupied = self.occupied.saturating_sub(1);
        self.record_result(id, result);
    }

    /// Created (never queued) → Running for a job its caller runs itself, outside the limit:
    /// it takes no slot, but it is listed, killable and held to its deadline like any other.
    pub fn begin_here(&mut self, spec: JobSpec) -> JobCtx {
        let id = self.create(spec);
        // `create` just put the job in the table, so `mark_running` finds it.
        self.mark_running(id).unwrap_or_else(|| JobCtx {
            id,
            cancel: Arc::new(AtomicBool::new(false)),
            deadline: None,
            budget: Budget::default(),
        })
    }

    /// The end of a job begun by [`State::begin_here`]: as [`State::finish`], without a slot.
    pub fn finish_here(&mut self, id: JobId, result: JobResult) {
        self.record_result(id, result);
    }

    fn record_result(&mut self, id: JobId, result: JobResult) {
        let Some(job) = self.jobs.get_mut(&id) else {
            return; // ended by the watchdog, then forgotten by history
        };
        if let Some(deadline) = job.deadline {
            self.deadlines.remove(&(deadline, id));
        }
        if job.info.state.is_ended() {
            return; // a late result: the watchdog already ended it
        }
        let state = if job.kill_requested {
            JobState::Killed
        } else if job.deadline.is_some_and(|d| Instant::now() >= d) {
            JobState::Failed(Failure::Exhausted(Resource::Deadline))
        } else {
            match result {
                JobResult::Completed(status) => JobState::Completed(status),
                JobResult::Failed(failure) => JobState::Failed(failure),
            }
        };
        self.end(id, state);
    }

    /// The watchdog's sweep: every running job whose deadline has passed is cancelled and
    /// ended. Returns whether any ended, and the next deadline to wake for.
    pub fn expire_due(&mut self, now: Instant) -> (bool, Option<Instant>) {
        let mut any = false;
        while let Some(&(when, id)) = self.deadlines.first() {
            if when > now {
                return (any, Some(when));
            }
            self.deadlines.pop_first();
            let Some(job) = self.jobs.get(&id) else {
                continue;
            };
            if job.info.state != JobState::Running {
                continue;
            }
            job.cancel.store(true, Ordering::Release);
            let state = if job.kill_requested {
                JobState::Killed
            } else {
                JobState::Failed(Failure::Exhausted(Resource::Deadline))
            };
            self.end(id, state);
            any = true;
        }
        (any, None)
    }

    /// A created or queued job ends killed at once (its work is handed back to be dropped); a
    /// running one is asked to stop and ends killed when its work returns.
    pub fn kill(&mut self, id: JobId) -> Result<Option<Work>, SchedError> {
        let job = self.jobs.get_mut(&id).ok_or(SchedError::NoSuchJob(id))?;
        match job.info.state {
            JobState::Created | JobState::Queued => {
                if let Some(key) = job.queue_key.take() {
                    self.queue.remove(key);
                }
                let work = job.work.take();
                self.end(id, JobState::Killed);
                Ok(work)
            }
            JobState::Running => {
                job.kill_requested = true;
                job.cancel.store(true, Ordering::Release);
                Ok(None)
            }
            _ => Err(SchedError::Ended(id)),
        }
    }

    /// Begins shutdown: jobs that never ran fail ("scheduler shut down"), running ones are
    /// killed (cooperatively, as by `kill`). Returns the work of the jobs that never ran.
    pub fn shut_down(&mut self) -> Vec<Work> {
        if self.shutdown {
            return Vec::new();
        }
        self.shutdown = true;
        let mut dropped = Vec::new();
        let mut never_ran = self.queue.drain();
        let created = self
            .jobs
            .iter()
            .filter(|(_, job)| job.info.state == JobState::Created);
        never_ran.extend(created.map(|(id, _)| *id).collect::<Vec<_>>());
        for id in never_ran {
            if let Some(job) = self.jobs.get_mut(&id) {
                job.queue_key = None;
                dropped.extend(job.work.take());
            }
            self.end(id, JobState::Failed(Failure::ShutDown));
        }
        for job in self.jobs.values_mut() {
            if job.info.state == JobState::Running {
                job.kill_requested = true;
                job.cancel.store(true, Ordering::Release);
            }
        }
        dropped
    }

    /// How many worker threads the present load can use.
    pub fn workers_wanted(&self) -> usize {
        self.limit.min(self.occupied + self.queue.len())
    }

    /// When no worker thread can be started at all, the queued jobs would wait forever: they
    /// fail with the reason instead.
    pub fn fail_queued(&mut self, reason: &str) -> Vec<Work> {
        let mut dropped = Vec::new();
        for id in self.queue.drain() {
            if let Some(job) = self.jobs.get_mut(&id) {
                job.queue_key = None;
                dropped.extend(job.work.take());
            }
            self.end(id, JobState::Failed(Failure::Error(reason.to_string())));
        }
        dropped
    }

    pub fn get(&self, id: JobId) -> Option<&JobInfo> {
        self.jobs.get(&id).map(|job| &job.info)
    }

    pub fn infos(&self) -> impl Iterator<Item = &JobInfo> {
        self.jobs.values().map(|job| &job.info)
    }

    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    pub fn set_history_limit(&mut self, limit: usize) {
        self.history_limit = limit.max(1);
        self.forget_old();
    }

    fn end(&mut self, id: JobId, state: JobState) {
        if let Some(job) = self.jobs.get_mut(&id) {
            job.info.state = state;
            job.info.ended = Some(SystemTime::now());
            self.history.push_back(id);
            self.forget_old();
        }
    }

    fn forget_old(&mut self) {
        while self.history.len() > self.history_limit {
            if let Some(old) = self.history.pop_front() {
                self.jobs.remove(&old);
            }
        }
    }
}
