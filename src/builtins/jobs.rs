//! The job builtins: `jobs`, `wait`, `fg`, `bg`, `stop`. Thin doors over the job table
//! ([`crate::eval::jobs`]) and job control's core ([`crate::eval::foreground`]): each parses
//! its `%N` operands and renders what the core says; none touches a job's control itself.
//!
//! Jobs are the shell's own `&` commands (and a foreground command stopped by Ctrl-Z),
//! numbered from 1; `ps` and `kill ID` (in `tasks`) are about tasks, the WASI guests.

use std::io::Write;

use super::{Builtin, Ctx, Example};
use crate::eval::foreground::FgOutcome;
use crate::eval::jobs::{JobError, JobState};
use crate::eval::{ShellError, Status};

pub const BUILTINS: &[Builtin] = &[
    Builtin::new(
        "jobs",
        "list the jobs: running, stopped, and those that ended since the last look",
        jobs,
    )
    .examples(&[Example {
        script: "spawn sleep 5 &; jobs; kill %1; jobs",
        output: "[1] running  spawn sleep 5  (tasks 1)\n[1] killed   spawn sleep 5\n",
    }]),
    Builtin::new(
        "wait",
        "wait for the running jobs (all, or the ones given) and forget them",
        wait,
    )
    .operands("[%JOB...]")
    .examples(&[Example {
        script: "echo hi > /tmp/j &; wait; cat /tmp/j",
        output: "hi\n",
    }]),
    Builtin::new(
        "fg",
        "resume a job in the foreground and wait for it (Ctrl-Z stops it again)",
        fg,
    )
    .operands("[%JOB]")
    .examples(&[Example {
        script: "{ sleep 0.1; echo resumed } &; stop %1; fg %1",
        output: "resumed\n",
    }]),
    Builtin::new("bg", "resume a stopped job in the background", bg)
        .operands("[%JOB]")
        .examples(&[Example {
            script: "spawn sleep 5 &; stop; jobs; bg; jobs; kill %1",
            output: "[1] stopped  spawn sleep 5  (tasks 1)\n[1] running  spawn sleep 5  (tasks 1)\n",
        }]),
    Builtin::new(
        "stop",
        "stop a running job, as Ctrl-Z does to the one in the foreground",
        stop,
    )
    .operands("[%JOB...]")
    .examples(&[Example {
        script: "spawn sleep 5 &; stop %1; jobs; kill %1",
        output: "[1] stopped  spawn sleep 5  (tasks 1)\n",
    }]),
];

/// A job operand: `%N` or `N`.
fn job_id(ctx: &Ctx<'_>, index: usize, arg: &str) -> Result<u64, ShellError> {
    arg.strip_prefix('%')
        .unwrap_or(arg)
        .parse::<u64>()
        .map_err(|_| {
            ctx.usage(format!("`{arg}` is not a job (%N)"))
                .at_arg(index)
        })
}

/// The one optional operand of `fg` and `bg`: that job, else the current one.
fn one_job(ctx: &Ctx<'_>, args: &[String]) -> Result<u64, ShellError> {
    let id = match args {
        [] => None,
        [arg] => Some(job_id(ctx, 0, arg)?),
        _ => return Err(ctx.usage("takes at most one job")),
    };
    ctx.shell
        .job_operand(id)
        .map_err(|e| ShellError::job(ctx.name, e))
}

fn jobs(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if !args.is_empty() {
        return Err(ctx.usage("takes no operands"));
    }
    let tasks = ctx.shell.engines.tasks.get();
    let mut out = String::new();
    for job in ctx.shell.engines.jobs.list(tasks) {
        out.push_str(&job.to_string());
        out.push('\n');
    }
    let _ = ctx.out().write_all(out.as_bytes());
    Ok(Status::ok())
}

/// `wait`: every running job; `wait %N...`: those, in order. The status is the last one's.
fn wait(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let shell = &*ctx.shell;
    let interrupted = || shell.is_interrupted();
    if args.is_empty() {
        return shell
            .engines
            .jobs
            .wait_all(&interrupted)
            .map_err(|e| ShellError::job("wait", e));
    }
    let mut status = Status::ok();
    for (index, arg) in args.iter().enumerate() {
        let id = job_id(ctx, index, arg)?;
        status = shell
            .engines
            .jobs
            .wait(id, &interrupted)
            .map_err(|e| ShellError::job("wait", e).at_arg(index))?;
    }
    Ok(status)
}

fn fg(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let id = one_job(ctx, args)?;
    match ctx.shell.foreground(id)? {
        FgOutcome::Ended(_, status) => Ok(status),
        FgOutcome::Stopped => {
            tell_stopped(ctx, id);
            Ok(Status::failure(format!("job {id} stopped")))
        }
    }
}

fn bg(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let id = one_job(ctx, args)?;
    ctx.shell.background(id)?;
    Ok(Status::ok())
}

fn stop(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let ids = match args {
        [] => match ctx.shell.engines.jobs.current(false) {
            Some(id) => vec![id],
            None => return Err(ShellError::job("stop", JobError::NoCurrentJob)),
        },
        _ => args
            .iter()
            .enumerate()
            .map(|(index, arg)| job_id(ctx, index, arg))
            .collect::<Result<_, _>>()?,
    };
    for (index, id) in ids.into_iter().enumerate() {
        ctx.shell
            .engines
            .jobs
            .stop(id)
            .map_err(|e| ShellError::job("stop", e).at_arg(index))?;
    }
    Ok(Status::ok())
}

/// `[1] stopped  COMMAND` on standard error, as the REPL says it of a Ctrl-Z.
fn tell_stopped(ctx: &Ctx<'_>, id: u64) {
    let tasks = ctx.shell.engines.tasks.get();
    if let Some(job) = ctx.shell.engines.jobs.info(id, tasks)
        && job.state == JobState::Stopped
    {
        let _ = writeln!(ctx.err(), "{job}");
    }
}
