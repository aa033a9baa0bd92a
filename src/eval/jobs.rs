//! Background jobs (`cmd &`, and a foreground command stopped by Ctrl-Z): a table of
//! threads the shell can list, stop, resume, interrupt and wait for.
//!
//! A job runs on its own copy of the shell (as rc forks), so it can never change the
//! foreground shell's variables or namespace. Job ids count up from 1 and are never reused.
//! Each job has its own [`Control`]: `kill %N` interrupts it (its loops and builtins stop at
//! their next check, its guests at their next tick), Ctrl-Z and `bg`/`fg` stop and resume
//! it. A job started by a job is a job too, remembered with its parent, and ends with it.
//!
//! **Forgetting**: an ended job stays in the table until its end has been told once: by
//! `wait`, by `jobs`, or by the REPL's notice before a prompt (as sh and bash do); and at
//! most [`ENDED_KEPT`] untold ones are kept, the oldest forgotten first, so a script that
//! starts jobs in a loop and never waits stays bounded. This table never starts a task; it
//! kills the tasks a job started only through the [`Tasks`] it is handed.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use thiserror::Error;

use super::engines::Foreground;
use crate::proc::Control;
use crate::proc::status::Status;
use crate::sched::JobId;
use crate::task::Tasks;

/// How many ended jobs nobody was told about are kept.
pub const ENDED_KEPT: usize = 100;

/// How long `kill %N` waits for an interrupted job to end before it says it has not.
const KILL_GRACE: Duration = Duration::from_millis(500);

/// How often a waiter that must also watch a stop looks again.
const POLL: Duration = Duration::from_millis(10);

/// Where a job stands. Rendered only at the edge (`jobs`, the REPL's notices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    /// Its thread runs.
    Running,
    /// Stopped by Ctrl-Z; `fg` or `bg` resumes it.
    Stopped,
    /// Ended with a true status.
    Done,
    /// Ended with a false status.
    Failed,
    /// Ended after `kill %N` (or the shell's exit) interrupted it.
    Killed,
}

impl JobState {
    /// The word `jobs` shows.
    pub fn word(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Stopped => "stopped",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Killed => "killed",
        }
    }

    /// Whether the job has ended.
    pub fn is_ended(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed | JobState::Killed)
    }
}

/// What can go wrong with a job operation.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum JobError {
    /// No job has that number (never made, or already waited for or reported).
    #[error("no job {0}")]
    NoSuchJob(u64),
    /// The job has ended already.
    #[error("job {0} has already ended")]
    Ended(u64),
    /// Waiting for a stopped job would never end.
    #[error("job {0} is stopped")]
    Stopped(u64),
    /// Interrupted, yet its thread still runs (a builtin blocked in a read of the host).
    #[error("job {0} was interrupted but has not stopped yet")]
    StillRunning(u64),
    /// `fg` or `bg` without `%N`, and no job is running or stopped.
    #[error("no current job")]
    NoCurrentJob,
    /// The waiter itself was interrupted (Ctrl-C during `wait` or `fg`).
    #[error("interrupted")]
    Interrupted,
}

impl JobError {
    /// The hint a diagnostic of this error gives.
    pub fn help(&self) -> Option<String> {
        match self {
            JobError::NoSuchJob(_) => Some("`jobs` lists the jobs".into()),
            JobError::Stopped(id) => Some(format!("`fg %{id}` or `bg %{id}` resumes it")),
            JobError::StillRunning(_) => Some("it stops at its next read, write or command".into()),
            JobError::NoCurrentJob => Some("start one with `&`; `jobs` lists them".into()),
            JobError::Ended(_) | JobError::Interrupted => None,
        }
    }
}

/// The shell's jobs: a thread each, numbered from 1 and never reused. The shell holds the
/// table in an `Arc`, so its forks share it.
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    table: Mutex<BTreeMap<u64, Job>>,
}

/// What a job is made of: its control and the guests running in its own foreground.
#[derive(Clone, Default)]
pub struct JobParts {
    /// Its interrupt and stop.
    pub control: Arc<Control>,
    /// The guests its pipelines run outside the queue (killed with it).
    pub guests: Foreground,
}

struct Job {
    command: String,
    parent: Option<u64>,
    parts: JobParts,
    handle: Option<JoinHandle<Status>>,
    /// Its status once its thread was joined.
    status: Option<Status>,
    killed: bool,
    /// The ids of the tasks it started through the queue, oldest first (ended ones pruned).
    tasks: Vec<u64>,
}

impl Job {
    fn state(&self) -> JobState {
        let ended = self.status.is_some() || self.handle.as_ref().is_none_or(|h| h.is_finished());
        match () {
            _ if ended && self.killed => JobState::Killed,
            _ if ended => match &self.status {
                Some(status) if !status.is_ok() => JobState::Failed,
                _ => JobState::Done,
            },
            _ if self.parts.control.is_stopped() => JobState::Stopped,
            _ => JobState::Running,
        }
    }

    /// What `jobs` shows of it; the tasks that `tasks` says have ended are forgotten.
    fn info(&mut self, id: u64, tasks: Option<&Tasks>) -> JobInfo {
        self.reap();
        if let Some(tasks) = tasks {
            self.tasks
                .retain(|t| tasks.info(JobId(*t)).is_some_and(|t| !t.is_ended()));
        }
        let state = self.state();
        JobInfo {
            id,
            command: self.command.clone(),
            state,
            parent: self.parent,
            tasks: if state.is_ended() {
                Vec::new()
            } else {
                self.tasks.clone()
            },
            status: self.status.clone(),
        }
    }

    /// Joins its thread if it has ended; its status from then on.
    fn reap(&mut self) {
        if self.handle.as_ref().is_some_and(|h| h.is_finished())
            && let Some(handle) = self.handle.take()
        {
            self.status = Some(join(handle));
        }
    }
}

/// A job as `jobs` and the REPL's notices show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    /// The job's number, as `$apid`, `%N` and `wait N` use it.
    pub id: u64,
    /// The command's source text.
    pub command: String,
    /// Where it stands.
    pub state: JobState,
    /// The job that started it, if a job did.
    pub parent: Option<u64>,
    /// The ids of the tasks it started that have not ended, oldest first.
    pub tasks: Vec<u64>,
    /// Its status, once it has ended.
    pub status: Option<Status>,
}

impl fmt::Display for JobInfo {
    /// `[2] running  spawn sleep 9  (tasks 4; from job 1)`: one line of `jobs`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {:<7}  {}",
            self.id,
            self.state.word(),
            self.command
        )?;
        let mut notes = Vec::new();
        if self.state == JobState::Failed
            && let Some(status) = &self.status
        {
            notes.push(format!("status {}", status.as_str()));
        }
        if !self.tasks.is_empty() {
            let ids: Vec<String> = self.tasks.iter().map(u64::to_string).collect();
            notes.push(format!("tasks {}", ids.join(" ")));
        }
        if let Some(parent) = self.parent {
            notes.push(format!("from job {parent}"));
        }
        if !notes.is_empty() {
            write!(f, "  ({})", notes.join("; "))?;
        }
        Ok(())
    }
}

impl Jobs {
    /// Starts `run` on a thread of its own as a job of `parent` (if a job starts it),
    /// telling it its job id; returns the id.
    pub fn spawn(
        &self,
        command: String,
        parent: Option<u64>,
        parts: JobParts,
        run: impl FnOnce(u64) -> Status + Send + 'static,
    ) -> u64 {
        let id = self.next_id();
        // In the table, under its lock, before the thread starts: the job records its tasks
        // in its own entry as soon as it runs (`add_task` waits for the lock), and a record
        // made before the entry existed was lost.
        let mut table = self.lock();
        let handle = std::thread::Builder::new()
            .name(format!("oash-job-{id}"))
            .stack_size(super::exec::STACK_SIZE)
            .spawn(move || run(id));
        let (handle, status) = match handle {
            Ok(h) => (Some(h), None),
            Err(e) => (
                None,
                Some(Status::failure(format!("cannot start job: {e}"))),
            ),
        };
        insert(&mut table, id, command, parent, parts, handle, status);
        id
    }

    /// Takes a running thread into the table as a stopped job (what Ctrl-Z makes of the
    /// foreground command); its id.
    pub fn adopt(&self, command: String, parts: JobParts, handle: JoinHandle<Status>) -> u64 {
        let id = self.next_id();
        let mut table = self.lock();
        insert(&mut table, id, command, None, parts, Some(handle), None);
        id
    }

    fn next_id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Waits for job `id` to end, and forgets it; its status. A stopped job is an error,
    /// not a wait for ever, and so is `interrupted()` becoming true meanwhile (Ctrl-C).
    pub fn wait(&self, id: u64, interrupted: &dyn Fn() -> bool) -> Result<Status, JobError> {
        match self.wait_for_change(id, interrupted)? {
            JobState::Stopped => Err(JobError::Stopped(id)),
            _ => {
                let job = self.lock().remove(&id);
                Ok(job.and_then(|job| job.status).unwrap_or_default())
            }
        }
    }

    /// Waits until job `id` ends or is stopped; the state it is in then.
    pub fn wait_for_change(
        &self,
        id: u64,
        interrupted: &dyn Fn() -> bool,
    ) -> Result<JobState, JobError> {
        loop {
            let state = match self.lock().get_mut(&id) {
                None => return Err(JobError::NoSuchJob(id)),
                Some(job) => {
                    job.reap();
                    job.state()
                }
            };
            if state != JobState::Running {
                return Ok(state);
            }
            if interrupted() {
                return Err(JobError::Interrupted);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits for every running job, the jobs they start meanwhile included; the status of
    /// the last one waited for. Stopped jobs are not waited for (they would never end).
    pub fn wait_all(&self, interrupted: &dyn Fn() -> bool) -> Result<Status, JobError> {
        let mut last = Status::ok();
        loop {
            let next = {
                let mut table = self.lock();
                table.values_mut().for_each(Job::reap);
                table
                    .iter()
                    .find(|(_, job)| job.state() != JobState::Stopped)
                    .map(|(id, _)| *id)
            };
            let Some(id) = next else {
                return Ok(last);
            };
            match self.wait(id, interrupted) {
                Ok(status) => last = status,
                Err(JobError::Interrupted) => return Err(JobError::Interrupted),
                Err(_) => {}
            }
        }
    }

    /// What a script's end does: every job still running or stopped is interrupted (with
    /// its tasks) and waited for at most `grace`; then the table is empty. rc would leave
    /// background processes running; oash's jobs are threads of this process, so they end
    /// with it. Returns how many were ended this way.
    pub fn end_all(&self, tasks: Option<&Tasks>, grace: Duration) -> usize {
        let live: Vec<u64> = self
            .lock()
            .iter()
            .filter(|(_, job)| !job.state().is_ended())
            .map(|(id, _)| *id)
            .collect();
        for id in &live {
            let _ = self.interrupt(*id, tasks);
        }
        let until = Instant::now() + grace;
        let handles: Vec<JoinHandle<Status>> = std::mem::take(&mut *self.lock())
            .into_values()
            .filter_map(|mut job| job.handle.take())
            .collect();
        for handle in handles {
            while !handle.is_finished() && Instant::now() < until {
                std::thread::sleep(POLL);
            }
            if handle.is_finished() {
                join(handle);
            }
        }
        live.len()
    }

    /// Interrupts job `id` and the jobs it started: their controls are raised (a stopped
    /// one too), and their live guests and queued tasks killed. Does not wait.
    pub fn interrupt(&self, id: u64, tasks: Option<&Tasks>) -> Result<(), JobError> {
        let mut victims = Vec::new();
        {
            let mut table = self.lock();
            let job = table.get_mut(&id).ok_or(JobError::NoSuchJob(id))?;
            job.reap();
            if job.state().is_ended() {
                return Err(JobError::Ended(id));
            }
            let mut family = vec![id];
            while let Some(next) = family.pop() {
                let Some(job) = table.get_mut(&next) else {
                    continue;
                };
                if job.state().is_ended() {
                    continue;
                }
                job.killed = true;
                job.parts.control.interrupt();
                victims.extend(job.tasks.iter().copied());
                victims.extend(lock(&job.parts.guests).iter().map(|t| t.0));
                family.extend(
                    table
                        .iter()
                        .filter(|(_, child)| child.parent == Some(next))
                        .map(|(child, _)| *child),
                );
            }
        }
        if let Some(tasks) = tasks {
            for task in victims {
                let live = tasks.info(JobId(task)).is_some_and(|t| !t.is_ended());
                if live {
                    let _ = tasks.kill(JobId(task));
                }
            }
        }
        Ok(())
    }

    /// `kill %N`: interrupts the job, then gives it a moment to end; an error if it has not.
    pub fn kill(&self, id: u64, tasks: Option<&Tasks>) -> Result<(), JobError> {
        self.interrupt(id, tasks)?;
        let until = Instant::now() + KILL_GRACE;
        loop {
            let ended = match self.lock().get_mut(&id) {
                None => true,
                Some(job) => {
                    job.reap();
                    job.state().is_ended()
                }
            };
            if ended {
                return Ok(());
            }
            if Instant::now() >= until {
                return Err(JobError::StillRunning(id));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Stops job `id` (Ctrl-Z on a job in the foreground, through its control).
    pub fn stop(&self, id: u64) -> Result<(), JobError> {
        self.running_job(id, |job| job.parts.control.stop())
    }

    /// Resumes a stopped job `id` (`fg`, `bg`); resuming a running one changes nothing.
    pub fn resume(&self, id: u64) -> Result<(), JobError> {
        self.running_job(id, |job| job.parts.control.resume())
    }

    fn running_job(&self, id: u64, act: impl FnOnce(&Job)) -> Result<(), JobError> {
        let mut table = self.lock();
        let job = table.get_mut(&id).ok_or(JobError::NoSuchJob(id))?;
        job.reap();
        if job.state().is_ended() {
            return Err(JobError::Ended(id));
        }
        act(job);
        Ok(())
    }

    /// The control and guests of job `id` (what `fg` puts in the terminal's foreground).
    pub fn parts(&self, id: u64) -> Result<JobParts, JobError> {
        let table = self.lock();
        let job = table.get(&id).ok_or(JobError::NoSuchJob(id))?;
        Ok(job.parts.clone())
    }

    /// The most recent job that has not ended (what `fg` and `bg` with no operand take),
    /// preferring a stopped one for `stopped_first`.
    pub fn current(&self, stopped_first: bool) -> Option<u64> {
        let mut table = self.lock();
        table.values_mut().for_each(Job::reap);
        let newest = |wanted: &dyn Fn(JobState) -> bool| {
            table
                .iter()
                .rev()
                .find(|(_, job)| wanted(job.state()))
                .map(|(id, _)| *id)
        };
        let stopped = stopped_first
            .then(|| newest(&|s| s == JobState::Stopped))
            .flatten();
        stopped.or_else(|| newest(&|s| !s.is_ended()))
    }

    /// Every job, oldest first. Ended ones are forgotten once listed (their end is told).
    pub fn list(&self, tasks: Option<&Tasks>) -> Vec<JobInfo> {
        self.report(tasks, |_| true)
    }

    /// Job `id` as it stands, without telling (and so forgetting) its end.
    pub fn info(&self, id: u64, tasks: Option<&Tasks>) -> Option<JobInfo> {
        let mut table = self.lock();
        let job = table.get_mut(&id)?;
        Some(job.info(id, tasks))
    }

    /// The jobs that ended since they were last told of, forgotten now (the REPL's
    /// notices before a prompt).
    pub fn take_ended(&self) -> Vec<JobInfo> {
        self.report(None, JobState::is_ended)
    }

    /// How many jobs are running or stopped (the REPL's warning at Ctrl-D).
    pub fn live(&self) -> usize {
        let mut table = self.lock();
        table.values_mut().for_each(Job::reap);
        table.values().filter(|job| !job.state().is_ended()).count()
    }

    fn report(&self, tasks: Option<&Tasks>, wanted: impl Fn(JobState) -> bool) -> Vec<JobInfo> {
        let mut table = self.lock();
        let mut shown = Vec::new();
        for (id, job) in table.iter_mut() {
            job.reap();
            let state = job.state();
            if !wanted(state) {
                continue;
            }
            shown.push(job.info(*id, tasks));
        }
        for info in &shown {
            if info.state.is_ended() {
                table.remove(&info.id);
            }
        }
        shown
    }

    /// Records that job `id` started task `task`, forgetting the ones of its tasks that
    /// `tasks` says have ended (a job that runs tasks in a loop keeps a short list).
    pub fn add_task(&self, id: u64, task: u64, tasks: &Tasks) {
        if let Some(job) = self.lock().get_mut(&id) {
            job.tasks
                .retain(|t| tasks.info(JobId(*t)).is_some_and(|t| !t.is_ended()));
            job.tasks.push(task);
        }
    }

    /// The tasks job `id` started; `None` if there is no such job.
    pub fn tasks(&self, id: u64) -> Option<Vec<u64>> {
        self.lock().get(&id).map(|job| job.tasks.clone())
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<u64, Job>> {
        lock(&self.table)
    }
}

/// Puts a job in the table, forgetting the oldest ended ones nobody was told of beyond
/// [`ENDED_KEPT`].
fn insert(
    table: &mut BTreeMap<u64, Job>,
    id: u64,
    command: String,
    parent: Option<u64>,
    parts: JobParts,
    handle: Option<JoinHandle<Status>>,
    status: Option<Status>,
) {
    let mut ended: Vec<u64> = Vec::new();
    for (old, job) in table.iter_mut() {
        job.reap();
        if job.state().is_ended() {
            ended.push(*old);
        }
    }
    let excess = ended.len().saturating_sub(ENDED_KEPT - 1);
    for old in ended.into_iter().take(excess) {
        table.remove(&old);
    }
    table.insert(
        id,
        Job {
            command,
            parent,
            parts,
            handle,
            status,
            killed: false,
            tasks: Vec::new(),
        },
    );
}

fn join(handle: JoinHandle<Status>) -> Status {
    handle
        .join()
        .unwrap_or_else(|_| Status::failure("job panicked"))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
