//! What every fork of one shell shares: the job table, the Ctrl-C flag, the task core, the
//! Rhai engine, the budgets and the last error.
//!
//! A [`super::Shell`] holds these behind one `Arc<Engines>`, so a fork (a pipeline member,
//! an `&` job, `@{ }`) and the Rhai door's `Mutex<Shell>` share them by type, not by a
//! convention about which fields `fork` resets. Nothing here is per process: state a fork
//! must not see changed (the namespace, variables, `/env`) lives in [`super::Process`].
//! Engines start on first use (STYLE §6); none is made by `Engines::new`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::budget::Budgets;
use super::jobs::{JobParts, Jobs};
use crate::agent::AgentRoot;
use crate::diag::brief::LastError;
use crate::ns::Caller;
use crate::proc::terminal::StopReading;
use crate::services::task::{TaskRoot, TaskTable};
use crate::task::{TaskId, Tasks};

/// The ids of the guests running in the foreground of one job (see [`Interrupter`]).
pub(crate) type Foreground = Arc<Mutex<Vec<TaskId>>>;

/// The engines and tables shared by a shell and all its forks.
pub struct Engines {
    /// The `&` jobs of this shell and its forks (`jobs`, `wait`, `%N`).
    pub jobs: Jobs,
    /// The interrupt flag of the root shell's job (its [`crate::proc::Control`]'s): raise
    /// it to stop what the root shell runs. Each `&` job has a control of its own.
    pub interrupt: Arc<AtomicBool>,
    /// The job in the terminal's foreground: what Ctrl-C interrupts and Ctrl-Z stops. The
    /// root shell's job, unless the REPL or `fg` put another there.
    front: Arc<Mutex<JobParts>>,
    /// The task core (WASI runtime and scheduler), made on first use.
    pub(crate) tasks: TaskTable,
    /// The task files (`/task`) over `tasks`: every `mount task` of these shells shares them.
    pub(crate) task_root: TaskRoot,
    /// The agents of the state directory (`--state`, `OASH_STATE`), opened on first use.
    pub agents: AgentRoot,
    /// The Rhai engine, made by the first `rhai`.
    pub(crate) rhai: Mutex<Option<crate::script::Engine>>,
    /// The budgets of the root shell (see [`super::budget`]).
    pub budgets: Arc<Budgets>,
    /// How errors print (whole, or one line at the prompt) and the last one, for `why`.
    pub errors: LastError,
}

impl Engines {
    /// The shared part of a new root shell whose job is `root`; the budgets stop the
    /// command in the foreground as Ctrl-C does, its guests included.
    pub(crate) fn new(root: &JobParts) -> Engines {
        let tasks: TaskTable = Arc::new(OnceLock::new());
        let front = Arc::new(Mutex::new(root.clone()));
        let budgets = Arc::new(Budgets::from_env(Interrupter {
            target: Target::Front(Arc::clone(&front)),
            tasks: Arc::clone(&tasks),
        }));
        // Only named here: nothing is read or opened until an agent is asked for.
        let agents = AgentRoot::from_env();
        let task_root = TaskRoot::new(Arc::clone(&tasks), crate::nsops::task_verb, agents.clone());
        Engines {
            jobs: Jobs::default(),
            interrupt: Arc::clone(root.control.flag()),
            front,
            tasks,
            task_root,
            agents,
            rhai: Mutex::new(None),
            budgets,
            errors: LastError::default(),
        }
    }

    /// The task core, made on first use (no engine or thread starts until a task does).
    pub fn tasks(&self) -> &Tasks {
        self.tasks.get_or_init(Tasks::from_env)
    }

    /// What interrupts the job made of `parts`.
    pub(crate) fn interrupter(&self, parts: JobParts) -> Interrupter {
        Interrupter {
            target: Target::Job(parts),
            tasks: Arc::clone(&self.tasks),
        }
    }

    /// What Ctrl-C fires: whatever job is in the foreground when it is pressed.
    pub fn front_interrupter(&self) -> Interrupter {
        Interrupter {
            target: Target::Front(Arc::clone(&self.front)),
            tasks: Arc::clone(&self.tasks),
        }
    }

    /// What ends a read of the terminal (see [`crate::proc::terminal`]), asked on the
    /// reading thread: Ctrl-C, that is an interrupt of the job in the terminal's foreground,
    /// or an interrupt of the reading command's own job (`kill %N`), which the thread's
    /// [`Caller`] carries.
    pub fn terminal_stop(&self) -> StopReading {
        let front = self.front_interrupter();
        Arc::new(move || {
            front.is_fired()
                || Caller::current_interrupt().is_some_and(|flag| flag.load(Ordering::Relaxed))
        })
    }

    /// Puts `parts` in the foreground; the job that was there.
    pub(crate) fn set_front(&self, parts: JobParts) -> JobParts {
        std::mem::replace(&mut *lock(&self.front), parts)
    }
}

/// What Ctrl-C does: interrupt a job (its loops and builtins stop at their next check, its
/// guests at their next tick) and kill the guests running in its foreground (state
/// `killed`). Other jobs are not touched. Cheap to clone; safe to fire from a signal
/// handler's thread (it takes two short locks).
#[derive(Clone)]
pub struct Interrupter {
    target: Target,
    tasks: TaskTable,
}

#[derive(Clone)]
enum Target {
    /// One job, for good.
    Job(JobParts),
    /// Whatever job is in the foreground when fired.
    Front(Arc<Mutex<JobParts>>),
}

impl Interrupter {
    /// One that only raises `flag` (no guests to kill): for budgets made outside a shell.
    pub fn of_flag(flag: Arc<AtomicBool>) -> Interrupter {
        Interrupter {
            target: Target::Job(JobParts {
                control: crate::proc::Control::with_flag(flag),
                guests: Foreground::default(),
            }),
            tasks: Arc::new(OnceLock::new()),
        }
    }

    fn parts(&self) -> JobParts {
        match &self.target {
            Target::Job(parts) => parts.clone(),
            Target::Front(front) => lock(front).clone(),
        }
    }

    /// Lowers the interrupt again, so commands run (what the top level does after a stop).
    pub(crate) fn lower(&self) {
        self.parts().control.lower();
    }

    /// Whether the job it fires at is interrupted now.
    pub fn is_fired(&self) -> bool {
        self.parts().control.is_interrupted()
    }

    /// Interrupts the job and kills its foreground guests.
    pub fn fire(&self) {
        let parts = self.parts();
        parts.control.interrupt();
        let Some(tasks) = self.tasks.get() else {
            return; // no task has ever run
        };
        let guests = lock(&parts.guests);
        for id in guests.iter() {
            let _ = tasks.kill(*id);
        }
    }

    /// Stops the job (Ctrl-Z): its guests pause at their next tick, its commands at their
    /// next check, until it is resumed.
    pub fn stop(&self) {
        self.parts().control.stop();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
