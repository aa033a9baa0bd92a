//! Background jobs (`cmd &`): a table of threads the shell can list and wait for.
//!
//! A job runs on its own copy of the shell (as rc forks), so it can never change the
//! foreground shell's variables or namespace. Job ids count up from 1 and are never reused.
//! A job remembers the ids of the tasks (WASI guests) it started, so `kill %N` can stop
//! them and `jobs` can show them; this table never starts or stops a task itself.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use crate::proc::status::Status;

/// The shell's `&` jobs: a thread each, numbered from 1 and never reused. The shell holds
/// the table in an `Arc`, so its forks share it.
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    table: Mutex<BTreeMap<u64, Job>>,
}

struct Job {
    command: String,
    handle: Option<JoinHandle<Status>>,
    done: Option<Status>,
    tasks: Vec<u64>,
}

/// A job as `jobs` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    /// The job's number, as `$apid` and `wait ID` use it.
    pub id: u64,
    /// The command's source text.
    pub command: String,
    /// Whether it is still running.
    pub running: bool,
    /// The ids of the tasks it started, oldest first.
    pub tasks: Vec<u64>,
}

impl Jobs {
    /// Starts `run` on a thread of its own, telling it its job id; returns the id.
    pub fn spawn(&self, command: String, run: impl FnOnce(u64) -> Status + Send + 'static) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        // In the table, under its lock, before the thread starts: the job records its tasks
        // in its own entry as soon as it runs (`add_task` waits for the lock), and a record
        // made before the entry existed was lost (`jobs` showed no tasks, `kill %N` killed
        // nothing). Holding the lock also keeps `wait` from seeing an entry with no handle.
        let mut table = self.lock();
        let handle = std::thread::Builder::new()
            .name(format!("oash-job-{id}"))
            .spawn(move || run(id));
        let (handle, done) = match handle {
            Ok(h) => (Some(h), None),
            Err(e) => (
                None,
                Some(Status::failure(format!("cannot start job: {e}"))),
            ),
        };
        table.insert(
            id,
            Job {
                command,
                handle,
                done,
                tasks: Vec::new(),
            },
        );
        drop(table);
        id
    }

    /// Waits for job `id`; `None` if there is no such job.
    pub fn wait(&self, id: u64) -> Option<Status> {
        let handle = {
            let mut t = self.lock();
            let job = t.get_mut(&id)?;
            job.handle.take()
        };
        let status = match handle {
            Some(h) => h.join().unwrap_or_else(|_| Status::failure("job panicked")),
            None => self
                .lock()
                .get(&id)
                .and_then(|j| j.done.clone())
                .unwrap_or_default(),
        };
        self.lock().remove(&id);
        Some(status)
    }

    /// Waits for every job; the status of the last one waited for.
    pub fn wait_all(&self) -> Status {
        let ids: Vec<u64> = self.lock().keys().copied().collect();
        ids.into_iter()
            .filter_map(|id| self.wait(id))
            .last()
            .unwrap_or_default()
    }

    /// Every job, oldest first.
    pub fn list(&self) -> Vec<JobInfo> {
        self.lock()
            .iter()
            .map(|(id, j)| JobInfo {
                id: *id,
                command: j.command.clone(),
                running: j.handle.as_ref().is_some_and(|h| !h.is_finished()),
                tasks: j.tasks.clone(),
            })
            .collect()
    }

    /// Records that job `id` started task `task`.
    pub fn add_task(&self, id: u64, task: u64) {
        if let Some(job) = self.lock().get_mut(&id) {
            job.tasks.push(task);
        }
    }

    /// The tasks job `id` started; `None` if there is no such job.
    pub fn tasks(&self, id: u64) -> Option<Vec<u64>> {
        self.lock().get(&id).map(|job| job.tasks.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Job>> {
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }
}
