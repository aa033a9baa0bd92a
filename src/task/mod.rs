//! Tasks: WASI guests run inside a namespace, on the embedded scheduler. The one core that
//! every front door calls: the `spawn` builtin and bare program names (src/builtins/tasks.rs,
//! src/eval/program.rs), `&` jobs, the Rhai `spawn` (src/script/tasks.rs) and the
//! `/task/<id>/...` files.
//!
//! A [`Tasks`] value owns one [`Runtime`](crate::wasi::Runtime) (wasmtime, started on the first load) and one
//! [`Scheduler`](crate::sched::Scheduler) (threads started with the first queued task). The shell makes it on first use
//! and shares it with its forks, so every pipeline member and `&` job sees the same tasks.
//! This module must never parse a door's syntax (flags, ctl verbs, Rhai maps) nor write to a
//! terminal: doors turn their own form of arguments into a [`TaskRequest`] and render a
//! [`TaskInfo`] their own way.
//!
//! # API (stable: the task files are built on it)
//! ```text
//! Tasks::new(RuntimeConfig, limit: usize) -> Tasks      Tasks::from_env() -> Tasks
//! tasks.create(TaskRequest) -> TaskId                    (state `created`; nothing loaded)
//! tasks.configure(id, |&mut TaskRequest| ..) -> Result<(), TaskError>   (only before start)
//! tasks.request(id) -> Option<TaskRequest>               (a created task's request)
//! tasks.start(id) -> Result<(), TaskError>               (loads, then queues)
//! tasks.spawn(TaskRequest) -> Result<TaskId, TaskError>  (create + start)
//! tasks.run(TaskRequest, on_begin: FnOnce(TaskId, Arc<AtomicBool>))
//!     -> Result<TaskInfo, TaskError>                     (foreground: this thread, no queue)
//! tasks.wait(id, Option<Duration>) -> Result<TaskInfo, TaskError>
//! tasks.kill(id) -> Result<(), TaskError>
//! tasks.info(id) -> Option<TaskInfo>                     tasks.list() -> Vec<TaskInfo>
//! tasks.limit() -> usize                                 tasks.set_limit(usize)
//! tasks.set_history(usize)                               (ended tasks kept; from_env: 100)
//! TaskRequest::new(module, ns) { module, args, env, ns, cwd, stdin, stdout, stderr: Fd,
//!                               priority: i32, limits: Limits }   .argv()  .name()
//! TaskInfo { id, name, priority, state: JobState, created, started, ended }
//!   .status() -> Status   .exit_code() -> Option<i32>   .reason() -> Option<String>
//! TaskError: Load { path, source: LoadError } | NoSuchTask | AlreadyStarted | Ended | TimedOut
//! ```
//!
//! # Semantics
//! - **Module** is a namespace path, resolved against the request's `cwd`. `argv[0]` is its
//!   last element without `.wasm` (`/bin/echo.wasm` runs as `echo`), `args` follow, so every
//!   door gives a guest the same argv for the same module and arguments.
//! - **Loading** happens before a task runs: for [`Tasks::run`] and [`Tasks::start`] a
//!   module that cannot be read or is not a WASI command is [`TaskError::Load`], naming the
//!   path (a file that starts with neither the wasm magic nor WebAssembly text is refused
//!   after four bytes); a started task that could not load also ends `failed` with that
//!   message, so whoever reads its status later sees why.
//! - **Endings**: exit code n → `completed` with `$status` n; a trap → `failed: trap: MESSAGE`;
//!   a budget → `failed: deadline exceeded | out of fuel | memory cap exceeded`; a kill →
//!   `killed`. [`TaskInfo::status`] is the rc `$status` of each.
//! - **The limit** (default: the number of cores; `OASH_TASK_LIMIT` at start, or the
//!   `tasklimit` builtin) bounds tasks that go through the queue: [`Tasks::start`] and
//!   [`Tasks::spawn`], in priority order. [`Tasks::run`] is the foreground: it runs on the
//!   caller's thread at once, outside the limit, listed and killable like the others. The
//!   members of a foreground pipeline run this way, since each waits for the others through
//!   its pipes: queued, a pipeline longer than the limit would deadlock.
//! - **Forgetting**: in the shell's core, the last [`HISTORY`] ended tasks stay listed (`ps`, `/task`) and
//!   readable; older ones are forgotten, oldest first, so a shell that runs tasks in a loop
//!   keeps a bounded table. A task's own waiter still gets its status (see
//!   [`Tasks::wait`]); anyone else asking for a forgotten id is told there is no such task.
//! - **Deadlines** count from the start of the guest (loading is not charged); the runtime
//!   stops a computing or sleeping guest within a millisecond tick; the scheduler's watchdog
//!   marks a guest blocked in a read `failed` on time as well.

mod request;
mod tasks;

pub use request::{TaskError, TaskInfo, TaskRequest, argv0};
pub use tasks::{Tasks, WASM_MAGIC};

/// A task's number: its scheduler job's id, counting from 1, never reused.
pub type TaskId = crate::sched::JobId;

/// How many ended tasks the shell's [`Tasks`] ([`Tasks::from_env`]) remembers (for `ps`,
/// `/task/<id>`, a late `wait`): the most recent ones; an older one is forgotten, its id then
/// names nothing (`no such task`). Live tasks are never forgotten.
pub const HISTORY: usize = 100;

/// The environment variable that sets the concurrency limit of a new [`Tasks`].
pub const LIMIT_VAR: &str = "OASH_TASK_LIMIT";
