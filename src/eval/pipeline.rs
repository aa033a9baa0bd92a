//! Pipelines and background jobs: the commands that run other commands on threads of
//! their own, each on a copy of the shell ([`Shell::fork`]), as rc forks.
//!
//! A pipeline's members are joined by OS pipes, so a consumer sees bytes as soon as the
//! producer writes them; guests in a pipeline run at once, outside the scheduler's limit
//! (see [`crate::task`]). An `&` job's own guests go through the scheduler's queue. This file
//! must never wait for a background job, nor let a member change the shell it came from
//! (only the last member of a pipeline runs in it).
//!
//! Threads are a budget (see [`super::budget`]): a pipeline longer than the `pipeline`
//! budget is refused before any of it runs, and every member thread and job counts against
//! `jobs` while it lives, so `fn f { f | f }; f` stops with one diagnostic instead of
//! making threads until the process dies. A pipe or thread the system refuses stops the
//! command tree the same way.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use super::budget::{Budget, BudgetError};
use super::error::{Located, ShellError};
use super::exec::STACK_SIZE;
use super::jobs::JobParts;
use super::shell::Shell;
use crate::lang::Span;
use crate::lang::ast::{Cmd, PipeFds};
use crate::proc::io::{Fd, Io};
use crate::proc::status::Status;

/// The longest `&` waits for its job's first command to begin. The job tells at once in
/// practice; the bound only keeps a job whose first step blocks (a long word expansion)
/// from holding up the shell.
const START_WAIT: Duration = Duration::from_secs(2);

impl Shell {
    /// Every member but the last runs on its own copy of the shell, on its own thread, joined
    /// by OS pipes, so a consumer sees bytes as soon as the producer writes them. The last
    /// member runs in this shell, as in rc: `echo x | x=1` sets `x`, and `... | exit` exits.
    pub(super) fn run_pipeline(
        &mut self,
        cmds: &[Cmd],
        pipes: &[PipeFds],
        span: Span,
        io: &Io,
    ) -> Result<Status, Located> {
        let stages = cmds.len() as u64;
        if let Err(e) = self.engines.budgets.check(Budget::Pipeline, stages, || {
            format!("a pipeline of {stages} commands is too long")
        }) {
            return Err(self.stop(self.located(e.into(), span, "this pipeline")));
        }
        // Pipeline members wait for each other through their pipes: their guests must run
        // at once, never queued behind the limit (see `crate::task`).
        let queue_tasks = std::mem::replace(&mut self.proc.queue_tasks, false);
        let result = self.run_pipeline_members(cmds, pipes, span, io);
        self.proc.queue_tasks = queue_tasks;
        result
    }

    fn run_pipeline_members(
        &mut self,
        cmds: &[Cmd],
        pipes: &[PipeFds],
        span: Span,
        io: &Io,
    ) -> Result<Status, Located> {
        let mut handles = Vec::with_capacity(cmds.len());
        let mut pending: Option<(u32, Fd)> = None;
        for (i, cmd) in cmds.iter().enumerate() {
            let mut stage_io = io.clone();
            if let Some((fd, reader)) = pending.take() {
                stage_io.set(fd as usize, reader);
            }
            if i + 1 == cmds.len() {
                let result = self.run_cmd(cmd, &stage_io);
                let _ = stage_io.stdout().flush();
                // Close this end of the pipe first, so a writer still running stops.
                drop(stage_io);
                let mut statuses = join_stages(handles);
                statuses.push(result?);
                return Ok(Status::pipeline(&statuses));
            }
            // Counted before anything is made for it, so a refusal leaks nothing.
            let member = match self.engines.budgets.enter_member() {
                Ok(member) => member,
                Err(e) => {
                    drop(stage_io);
                    let e = self.located(e.into(), span, "this pipeline");
                    return Err(self.stop_members(e, handles));
                }
            };
            if let Some(p) = pipes.get(i) {
                match std::io::pipe() {
                    Ok((r, w)) => {
                        stage_io.set(p.left as usize, Fd::writer(w));
                        pending = Some((p.right, Fd::reader(r)));
                    }
                    Err(e) => {
                        drop(stage_io);
                        let e = ShellError::failed("pipeline", format!("cannot make a pipe: {e}"));
                        let e = self.located(e, span, "this pipeline");
                        return Err(self.stop_members(e, handles));
                    }
                }
            }
            let mut stage = self.fork();
            let cmd = cmd.clone();
            let spawned = std::thread::Builder::new()
                .stack_size(STACK_SIZE)
                .spawn(move || {
                    let _member = member;
                    let status = match stage.run_cmd(&cmd, &stage_io) {
                        Ok(s) => s,
                        Err(e) => stage.finish_error(e, &stage_io),
                    };
                    let _ = stage_io.stdout().flush();
                    status
                });
            match spawned {
                Ok(handle) => handles.push(handle),
                Err(e) => {
                    let message = format!("cannot start a pipeline member: {e}");
                    let e = self.located(
                        ShellError::failed("pipeline", message),
                        span,
                        "this pipeline",
                    );
                    return Err(self.stop_members(e, handles));
                }
            }
        }
        Ok(Status::pipeline(&join_stages(handles)))
    }

    /// Stops the command tree because of `e`, after the members already started have
    /// unwound (the stop interrupts them, and their pipes close as they end).
    fn stop_members(&self, e: Located, handles: Vec<std::thread::JoinHandle<Status>>) -> Located {
        let stopped = self.stop(e);
        join_stages(handles);
        stopped
    }

    pub(super) fn run_background(
        &mut self,
        cmd: &Cmd,
        span: Span,
        io: &Io,
    ) -> Result<Status, Located> {
        let member = self
            .engines
            .budgets
            .enter_member()
            .map_err(|e: BudgetError| self.stop(self.located(e.into(), span, "this job")))?;
        let mut job = self.fork();
        // An `&` job's guests wait their turn in the scheduler's queue, and Ctrl-C, which
        // interrupts the foreground's job, never reaches this one: it has a control and a
        // list of foreground guests (those of its pipelines) of its own, for `kill %N`.
        job.proc.queue_tasks = true;
        let parts = JobParts::default();
        job.proc.foreground = Arc::clone(&parts.guests);
        job.proc.control = Arc::clone(&parts.control);
        let (started, begun) = std::sync::mpsc::channel();
        job.proc.started = Some(started);
        let cmd = cmd.clone();
        let mut job_io = io.clone();
        // rc: a background command does not read the terminal.
        job_io.set(0, Fd::reader(std::io::empty()));
        let text = self
            .frame
            .file
            .text()
            .get(span.start..span.end)
            .unwrap_or("")
            .trim_end_matches('&')
            .trim()
            .to_string();
        let parent = self.proc.job;
        let id = self.engines.jobs.spawn(text, parent, parts, move |id| {
            let _member = member;
            job.proc.job = Some(id);
            let status = match job.run_cmd(&cmd, &job_io) {
                Ok(s) => s,
                Err(e) => job.finish_error(e, &job_io),
            };
            let _ = job_io.stdout().flush();
            status
        });
        // Until its first command has begun (its task listed), it ends, or a bound passes.
        let _ = begun.recv_timeout(START_WAIT);
        self.proc.vars.set("apid", vec![id.to_string()]);
        Ok(Status::ok())
    }
}

/// Waits for the threads of a pipeline's first members; their statuses, in order.
fn join_stages(handles: Vec<std::thread::JoinHandle<Status>>) -> Vec<Status> {
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .unwrap_or_else(|_| Status::failure("pipeline member panicked"))
        })
        .collect()
}
