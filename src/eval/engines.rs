//! What every fork of one shell shares: the job table, the Ctrl-C flag, the task core, the
//! Rhai engine, the budgets and the last error.
//!
//! A [`super::Shell`] holds these behind one `Arc<Engines>`, so a fork (a pipeline member,
//! an `&` job, `@{ }`) and the Rhai door's `Mutex<Shell>` share them by type, not by a
//! convention about which fields `fork` resets. Nothing here is per process: state a fork
//! must not see changed (the namespace, variables, `/env`) lives in [`super::Process`].
//! Engines start on first use (STYLE §6); none is made by `Engines::new`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::budget::Budgets;
use super::jobs::Jobs;
use crate::diag::brief::LastError;
use crate::services::task::{TaskRoot, TaskTable};
use crate::task::{TaskId, Tasks};

/// The ids of the guests running in the foreground of one job (see [`Interrupter`]).
pub(crate) type Foreground = Arc<Mutex<Vec<TaskId>>>;

/// The engines and tables shared by a shell and all its forks.
pub struct Engines {
    /// The `&` jobs of this shell and its forks (`jobs`, `wait`, `%N`).
    pub jobs: Jobs,
    /// Set by Ctrl-C; loops and command boundaries check it.
    pub interrupt: Arc<AtomicBool>,
    /// The task core (WASI runtime and scheduler), made on first use.
    pub(crate) tasks: TaskTable,
    /// The task files (`/task`) over `tasks`: every `mount task` of these shells shares them.
    pub(crate) task_root: TaskRoot,
    /// The Rhai engine, made by the first `rhai`.
    pub(crate) rhai: Mutex<Option<crate::script::Engine>>,
    /// The budgets of the root shell (see [`super::budget`]).
    pub budgets: Arc<Budgets>,
    /// How errors print (whole, or one line at the prompt) and the last one, for `why`.
    pub errors: LastError,
}

impl Engines {
    /// The shared part of a new root shell whose foreground guests are `foreground` and
    /// whose Ctrl-C raises `interrupt` (made by the caller, so the terminal's reader can
    /// watch it too); the budgets stop the command tree as Ctrl-C does, those guests included.
    pub(crate) fn new(foreground: &Foreground, interrupt: Arc<AtomicBool>) -> Engines {
        let tasks: TaskTable = Arc::new(OnceLock::new());
        let budgets = Arc::new(Budgets::from_env(Interrupter {
            flag: Arc::clone(&interrupt),
            foreground: Arc::clone(foreground),
            tasks: Arc::clone(&tasks),
        }));
        let task_root = TaskRoot::new(Arc::clone(&tasks), crate::nsops::task_verb);
        Engines {
            jobs: Jobs::default(),
            interrupt,
            tasks,
            task_root,
            rhai: Mutex::new(None),
            budgets,
            errors: LastError::default(),
        }
    }

    /// The task core, made on first use (no engine or thread starts until a task does).
    pub fn tasks(&self) -> &Tasks {
        self.tasks.get_or_init(Tasks::from_env)
    }

    /// What Ctrl-C fires for a job whose foreground guests are `foreground`.
    pub(crate) fn interrupter(&self, foreground: &Foreground) -> Interrupter {
        Interrupter {
            flag: Arc::clone(&self.interrupt),
            foreground: Arc::clone(foreground),
            tasks: Arc::clone(&self.tasks),
        }
    }
}

/// What Ctrl-C does: set the shell's interrupt flag (builtins and loops stop at their next
/// step) and kill every guest running in the foreground (stopped at its next epoch tick,
/// state `killed`). Background tasks are not touched. Cheap to clone; safe to fire from a
/// signal handler's thread (it takes two short locks).
#[derive(Clone)]
pub struct Interrupter {
    flag: Arc<AtomicBool>,
    foreground: Foreground,
    tasks: TaskTable,
}

impl Interrupter {
    /// One that only raises `flag` (no guests to kill): for budgets made outside a shell.
    pub fn of_flag(flag: Arc<AtomicBool>) -> Interrupter {
        Interrupter {
            flag,
            foreground: Foreground::default(),
            tasks: Arc::new(OnceLock::new()),
        }
    }

    /// Lowers the flag again, so commands run (what the top level does after a stop).
    pub(crate) fn lower(&self) {
        self.flag.store(false, Ordering::Relaxed);
    }

    /// Raises the flag and kills the foreground guests.
    pub fn fire(&self) {
        self.flag.store(true, Ordering::Relaxed);
        let Some(tasks) = self.tasks.get() else {
            return; // no task has ever run
        };
        let guests = self.foreground.lock().unwrap_or_else(|e| e.into_inner());
        for id in guests.iter() {
            let _ = tasks.kill(*id);
        }
    }
}
