//! [`Tasks`]: the runtime and the scheduler together, and the operations every door calls.
//!
//! A task is a scheduler job whose work loads nothing (the module is loaded by `start`/`run`
//! on the caller's thread, so loading errors reach the caller) and runs one guest to its
//! [`Outcome`](crate::wasi::Outcome) with the job's cancel flag. This file must never hold
//! a lock while a guest runs, and never run a queued task anywhere but on a scheduler worker.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use super::request::{TaskError, TaskInfo, TaskRequest, job_result};
use super::{HISTORY, LIMIT_VAR, TaskId};
use crate::ns::{HandleReader, OpenFlags, path as ns_path};
use crate::proc::env::EnvGroup;
use crate::sched::{Budget, Failure, JobCtx, JobResult, JobSpec, Scheduler};
use crate::wasi::{LoadError, Program, Runtime, RuntimeConfig, TaskSpec};

/// The first four bytes of every binary WebAssembly module.
pub const WASM_MAGIC: &[u8] = b"\0asm";

/// The task core. Made once per shell (on first use) and shared by its forks.
pub struct Tasks {
    runtime: Arc<Runtime>,
    scheduler: Scheduler,
    /// Requests of tasks created and not yet started (the task files fill them in).
    pending: Mutex<HashMap<TaskId, TaskRequest>>,
}

impl Tasks {
    /// A core running at most `limit` queued tasks at once (0 counts as 1). Starts nothing.
    pub fn new(config: RuntimeConfig, limit: usize) -> Tasks {
        Tasks {
            runtime: Arc::new(Runtime::new(config)),
            scheduler: Scheduler::with_limit(limit),
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// How many ended tasks stay listed and readable (at least 1); older ones are forgotten.
    /// A shell's core keeps [`HISTORY`]; one made by [`Tasks::new`] the scheduler's default.
    pub fn set_history(&self, limit: usize) {
        self.scheduler.set_history_limit(limit);
    }

    /// The shell's core: the default runtime, the limit from `OASH_TASK_LIMIT` if it is a
    /// positive number, else the number of cores, and the last [`HISTORY`] ended tasks kept.
    pub fn from_env() -> Tasks {
        Tasks::from_env_with(RuntimeConfig::default())
    }

    /// [`Tasks::from_env`] over a runtime configured as `config` says (`--sandbox` keeps
    /// compiled modules in memory only).
    pub fn from_env_with(config: RuntimeConfig) -> Tasks {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let limit = std::env::var(LIMIT_VAR)
            .ok()
            .and_then(|text| text.trim().parse::<usize>().ok())
            .filter(|limit| *limit > 0)
            .unwrap_or(cores);
        let tasks = Tasks::new(config, limit);
        tasks.set_history(HISTORY);
        tasks
    }

    /// The WASM runtime the tasks run on.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// How many tasks may run at once.
    pub fn limit(&self) -> usize {
        self.scheduler.limit()
    }

    /// Changes the limit of queued tasks (0 counts as 1); running tasks are not stopped.
    pub fn set_limit(&self, limit: usize) {
        self.scheduler.set_limit(limit);
    }

    /// Allocates a task in the `created` state. Nothing is loaded until [`Tasks::start`].
    pub fn create(&self, request: TaskRequest) -> TaskId {
        let id = self.scheduler.create(spec_of(&request));
        self.pending().insert(id, request);
        id
    }

    /// Changes a created task's request (its module, arguments, namespace...) before start.
    pub fn configure(
        &self,
        id: TaskId,
        change: impl FnOnce(&mut TaskRequest),
    ) -> Result<(), TaskError> {
        let mut pending = self.pending();
        match pending.get_mut(&id) {
            Some(request) => {
                change(request);
                // `ps` shows the command as it is now, not as it was at `create`.
                Ok(self.scheduler.respec(id, spec_of(request))?)
            }
            None => Err(self.not_pending(id)),
        }
    }

    /// A created task's request, as it stands.
    pub fn request(&self, id: TaskId) -> Option<TaskRequest> {
        self.pending().get(&id).cloned()
    }

    /// Loads a created task's module and queues it. A module that cannot be loaded is an
    /// error, and the task ends `failed` with the same message.
    pub fn start(&self, id: TaskId) -> Result<(), TaskError> {
        let request = self
            .pending()
            .remove(&id)
            .ok_or_else(|| self.not_pending(id))?;
        let loaded = self.load(&request);
        let runtime = Arc::clone(&self.runtime);
        let started = match &loaded {
            Ok(program) => {
                let program = program.clone();
                self.scheduler
                    .start(id, move |ctx| run_guest(&runtime, &program, request, ctx))
            }
            // Failed at once, not queued: the news must not wait for a free slot.
            Err(error) => self.scheduler.fail(id, Failure::Error(error.to_string())),
        };
        started?;
        loaded.map(drop)
    }

    /// Creates and starts a task: the way `&` and the Rhai `spawn` go.
    pub fn spawn(&self, request: TaskRequest) -> Result<TaskId, TaskError> {
        let id = self.create(request);
        self.start(id)?;
        Ok(id)
    }

    /// Runs a task in the foreground: on this thread, now, outside the concurrency limit
    /// (see the module doc), listed and killable while it runs. `on_begin` is given its id
    /// and cancel flag before the guest starts (the shell links Ctrl-C to the flag).
    /// Returns its final snapshot; a module that cannot be loaded is an error and no task.
    pub fn run(
        &self,
        request: TaskRequest,
        on_begin: impl FnOnce(TaskId, Arc<AtomicBool>),
    ) -> Result<TaskInfo, TaskError> {
        let program = self.load(&request)?;
        let info = self.scheduler.run_here(
            spec_of(&request),
            |_| {},
            |ctx| {
                on_begin(ctx.id(), ctx.cancel_flag());
                run_guest(&self.runtime, &program, request, ctx)
            },
        );
        Ok(info.into())
    }

    /// Blocks until the task ends (or `timeout` passes); its final snapshot.
    pub fn wait(&self, id: TaskId, timeout: Option<Duration>) -> Result<TaskInfo, TaskError> {
        Ok(self.scheduler.wait(id, timeout)?.into())
    }

    /// Kills a task: at once if it has not started, at its next epoch tick (or when its
    /// blocking read returns) if it runs.
    pub fn kill(&self, id: TaskId) -> Result<(), TaskError> {
        self.scheduler.kill(id)?;
        self.pending().remove(&id);
        Ok(())
    }

    /// A snapshot of task `id`, if it exists.
    pub fn info(&self, id: TaskId) -> Option<TaskInfo> {
        self.scheduler.get(id).map(TaskInfo::from)
    }

    /// Every task still known (live ones and recent history), in id order.
    pub fn list(&self) -> Vec<TaskInfo> {
        self.scheduler
            .list()
            .into_iter()
            .map(TaskInfo::from)
            .collect()
    }

    fn load(&self, request: &TaskRequest) -> Result<Program, TaskError> {
        refuse_unless_module(request)?;
        self.runtime
            .load_path(&request.ns, &request.cwd, &request.module)
            .map_err(|source| TaskError::Load {
                path: request.module.clone(),
                source,
            })
    }

    /// Why a task is not waiting to be started: unknown, or already past `created`.
    fn not_pending(&self, id: TaskId) -> TaskError {
        match self.scheduler.get(id) {
            None => TaskError::NoSuchTask(id),
            Some(info) if info.state.is_ended() => TaskError::Ended(id),
            Some(_) => TaskError::AlreadyStarted(id),
        }
    }

    fn pending(&self) -> MutexGuard<'_, HashMap<TaskId, TaskRequest>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Looks at a module's first bytes before it is read whole: anything that is neither binary
/// WebAssembly (`\0asm`) nor text (`(module ...`, perhaps after blanks or a `;;` comment) is
/// refused at once, so `spawn /dev/zero` costs four bytes, not the 256 MiB a whole read
/// would allow. A file that cannot be opened is left to the loader, which says why.
fn refuse_unless_module(request: &TaskRequest) -> Result<(), TaskError> {
    let Ok(path) = ns_path::resolve(&request.cwd, &request.module) else {
        return Ok(());
    };
    let Ok(handle) = request.ns.open(&path, OpenFlags::read()) else {
        return Ok(());
    };
    let mut head = [0u8; 4];
    let mut reader = HandleReader::new(handle).take(4);
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    let head = &head[..got];
    let text = head
        .first()
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b'(' || *b == b';');
    if head == WASM_MAGIC || text {
        return Ok(());
    }
    Err(TaskError::Load {
        path: request.module.clone(),
        source: LoadError::Compile("it does not start with the WebAssembly magic \\0asm".into()),
    })
}

/// The scheduler's view of a request: its name, priority and budget (the deadline is also
/// the watchdog's, for a guest blocked in a read).
fn spec_of(request: &TaskRequest) -> JobSpec {
    JobSpec {
        name: request.name(),
        priority: request.priority,
        budget: Budget {
            deadline: request.limits.deadline,
            fuel: request.limits.fuel,
            memory_bytes: request.limits.memory.map(|bytes| bytes as u64),
        },
    }
}

/// A task's work: one guest run with the job's cancel flag, its outcome as a job result.
fn run_guest(
    runtime: &Runtime,
    program: &Program,
    request: TaskRequest,
    ctx: &JobCtx,
) -> JobResult {
    // A guest is untrusted (SPEC §2): whatever namespace it was given, it runs no-attach, and
    // so does every task it makes through `/task/new/wasi`, which copies its view.
    let args = request.argv();
    let _env = request.env_group.map(EnvGroup::scoped);
    let spec = TaskSpec {
        args,
        env: request.env,
        ns: request.ns.no_attach(),
        cwd: request.cwd,
        stdin: request.stdin,
        stdout: request.stdout,
        stderr: request.stderr,
        limits: request.limits,
        cancel: ctx.cancel_flag(),
        job: request.job,
    };
    job_result(&runtime.run(program, spec))
}
