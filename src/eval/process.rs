//! A shell's process state: what rc's `fork` copies.
//!
//! The namespace, the working directory, variables, functions and `/env` are a process's
//! own in rc and Plan 9: a pipeline member, an `&` job or `@{ }` gets a copy, and what it
//! changes there is never seen by its parent. `Process::fork` is that copy, written out
//! field by field so a new field has to be placed on purpose. Nothing in here may be shared
//! with another process by reference, except what belongs to the job the process runs in
//! (its foreground guests and its [`Control`]); what all forks share is in
//! [`super::Engines`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::Sender;

use super::engines::Foreground;
use super::jobs::JobParts;
use super::vars::Vars;
use crate::lang::ast::FnBody;
use crate::ns::Namespace;
use crate::proc::Control;
use crate::proc::env::EnvGroup;

/// The state one shell process owns.
pub struct Process {
    /// The namespace: an immutable table, so a copy is one `Arc` clone.
    pub ns: Namespace,
    /// The working directory, a clean absolute namespace path.
    pub cwd: String,
    /// The variables.
    pub vars: Vars,
    /// The functions, by name.
    pub fns: HashMap<String, Arc<FnBody>>,
    /// This process's environment, as `/env` shows it (see [`crate::services::env`]).
    pub env: Arc<EnvGroup>,
    /// The group's write count when this process last took in writes to `/env`.
    pub(crate) env_seen: u64,
    /// The guests running in the foreground of this process's job, which Ctrl-C kills too.
    /// The members of one pipeline share it (one job); an `&` job gets a list of its own.
    pub(crate) foreground: Foreground,
    /// The interrupt and stop of this process's job, which its checks obey. The members of
    /// one pipeline share it; an `&` job gets one of its own (`kill %N` raises it).
    pub(crate) control: Arc<Control>,
    /// Told once, when this `&` job's first command begins (its first task registered,
    /// or its first builtin called), so `&` returns with the job's task already listed.
    pub(crate) started: Option<Sender<()>>,
    /// Whether guests go through the scheduler's queue: true in an `&` job's own commands,
    /// false in the foreground and in pipelines (see `crate::task`, "The limit").
    pub(crate) queue_tasks: bool,
    /// The `&` job this process runs, if it is one (its tasks are recorded under it).
    pub(crate) job: Option<u64>,
    /// Render diagnostics with colour.
    pub color: bool,
}

impl Process {
    /// A process in `ns` at `/` with the given variables and a fresh `/env`.
    pub(crate) fn new(ns: Namespace, vars: Vars) -> Process {
        Process {
            ns,
            cwd: "/".into(),
            vars,
            fns: HashMap::new(),
            env: Arc::new(EnvGroup::new()),
            env_seen: 0,
            foreground: Foreground::default(),
            control: Control::new(),
            started: None,
            queue_tasks: false,
            job: None,
            color: false,
        }
    }

    /// The copy a forked process starts with: everything copied, and `/env` a snapshot of
    /// this one's, so neither sees the other's writes.
    pub(crate) fn fork(&self) -> Process {
        let env = Arc::new(self.env.snapshot());
        Process {
            ns: self.ns.clone(),
            cwd: self.cwd.clone(),
            vars: self.vars.clone(),
            fns: self.fns.clone(),
            env_seen: env.write_count(),
            env,
            foreground: Arc::clone(&self.foreground),
            control: Arc::clone(&self.control),
            started: self.started.clone(),
            queue_tasks: self.queue_tasks,
            job: self.job,
            color: self.color,
        }
    }

    /// The same process seen from another thread (see [`super::Shell::view`]): a copy
    /// that shares this one's `/env` group, so what it writes there is this process's.
    pub(crate) fn view(&self) -> Process {
        Process {
            ns: self.ns.clone(),
            cwd: self.cwd.clone(),
            vars: self.vars.clone(),
            fns: self.fns.clone(),
            env: Arc::clone(&self.env),
            env_seen: self.env_seen,
            foreground: Arc::clone(&self.foreground),
            control: Arc::clone(&self.control),
            started: None,
            queue_tasks: self.queue_tasks,
            job: self.job,
            color: self.color,
        }
    }

    /// The job this process runs in: its control and its foreground guests.
    pub(crate) fn job_parts(&self) -> JobParts {
        JobParts {
            control: Arc::clone(&self.control),
            guests: Arc::clone(&self.foreground),
        }
    }

    /// Tells whoever started this `&` job that its first command has begun (once).
    pub(crate) fn announce_start(&mut self) {
        if let Some(started) = self.started.take() {
            let _ = started.send(());
        }
    }
}
