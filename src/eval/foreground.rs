//! Job control's core: `fg` and `bg`, the one place a job is moved into the terminal's
//! foreground or left running behind it. The builtins (src/builtins/jobs.rs) and the REPL
//! call these; neither touches a job's control itself.
//!
//! The job in the foreground is the one Ctrl-C interrupts and Ctrl-Z stops (see
//! [`super::Engines::front_interrupter`]). `fg` puts the job there, resumes it and waits
//! until it ends or is stopped again, then puts back the job that was there before (the
//! shell running `fg`). This file must never print: the doors say what happened.

use super::error::ShellError;
use super::jobs::{JobError, JobState};
use super::shell::Shell;
use crate::proc::status::Status;

/// How `fg` left its job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FgOutcome {
    /// It ended (done, failed or killed), with this status; it is forgotten.
    Ended(JobState, Status),
    /// It was stopped again (Ctrl-Z) and stays in the table.
    Stopped,
}

impl Shell {
    /// The job `%N` (or, with `None`, the newest stopped job, else the newest running one)
    /// that job control acts on.
    pub fn job_operand(&self, id: Option<u64>) -> Result<u64, JobError> {
        match id {
            Some(id) => Ok(id),
            None => self
                .engines
                .jobs
                .current(true)
                .ok_or(JobError::NoCurrentJob),
        }
    }

    /// `fg`: puts job `id` in the foreground, resumes it, and waits until it ends or is
    /// stopped.
    pub fn foreground(&mut self, id: u64) -> Result<FgOutcome, ShellError> {
        let job_error = |e| ShellError::job("fg", e);
        let jobs = &self.engines.jobs;
        let parts = jobs.parts(id).map_err(job_error)?;
        let previous = self.engines.set_front(parts);
        let waited = jobs
            .resume(id)
            .and_then(|()| jobs.wait_for_change(id, &|| self.is_interrupted()));
        self.engines.set_front(previous);
        match waited.map_err(job_error)? {
            JobState::Stopped => Ok(FgOutcome::Stopped),
            state => {
                let status = jobs.wait(id, &|| false).unwrap_or_default();
                Ok(FgOutcome::Ended(state, status))
            }
        }
    }

    /// `bg`: lets stopped job `id` go on behind the shell.
    pub fn background(&mut self, id: u64) -> Result<(), ShellError> {
        self.engines
            .jobs
            .resume(id)
            .map_err(|e| ShellError::job("bg", e))
    }
}
