//! The task builtins: `spawn`, `ps`, `kill`, `tasklimit`. Thin doors over [`crate::task`]:
//! each parses its own flags and calls one core operation through the shell
//! ([`Shell::run_program`](crate::eval::Shell::run_program) or [`Shell::tasks`]).
//!
//! `jobs` and `wait` (in `core`) are about the shell's own `&` jobs; `ps` and `kill` are about
//! tasks, the guests the scheduler knows (foreground ones included), by task id. Nothing here
//! may run a guest or touch the scheduler other than through the core.

use std::io::Write;
use std::time::SystemTime;

use super::{Builtin, Ctx, Example, args, operands};
use crate::eval::program::RunOptions;
use crate::eval::{ShellError, Status};
use crate::flags::{self, Flag, Spec, Undeclared};
use crate::sched::JobId;
use crate::task::TaskInfo;
use crate::units::{parse_duration, parse_size};

pub const BUILTINS: &[Builtin] = &[
    Builtin::new(
        "spawn",
        "run a WASI module as a task in the foreground, with limits",
        spawn,
    )
    .flags(Spec::new(&[
        Flag::switch('s', "share the shell's environment with the task"),
        Flag::valued(
            'p',
            "PRIORITY",
            "the scheduler's priority (higher runs first)",
        ),
        Flag::valued(
            't',
            "DEADLINE",
            "kill the task after this long (100ms, 2s, 1m)",
        ),
        Flag::valued(
            'm',
            "MEMORY",
            "the most memory it may grow to (64k, 64M, 1G)",
        ),
        Flag::valued('f', "FUEL", "the most instructions (fuel units) it may run"),
    ]))
    .operands("MODULE [ARG...]")
    .examples(&[Example {
        script: "spawn -t xyz hello || echo refused",
        output: "refused\n",
    }]),
    Builtin::new(
        "ps",
        "list tasks: id, state, priority, run time, command (the last 100 ended ones too)",
        ps,
    )
    .examples(&[Example {
        script: "ps",
        output: "ID  STATE  PRI  TIME  COMMAND\n",
    }]),
    Builtin::new(
        "kill",
        "kill tasks by id, or job N with %N: its commands, its tasks and the jobs it started",
        kill,
    )
    .operands("ID|%JOB...")
    .examples(&[Example {
        script: "kill 99 || echo $status",
        output: "kill: no such task: 99\n",
    }]),
    Builtin::new(
        "tasklimit",
        "print or set how many queued tasks run at once",
        tasklimit,
    )
    .operands("[N]")
    .examples(&[Example {
        script: "tasklimit 3; tasklimit",
        output: "3\n",
    }]),
];

/// A value of a `spawn` flag that is not what the flag takes (sizes and durations: see
/// [`crate::units::UnitError`]).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("-p: not a priority: '{0}'")]
pub struct PriorityError(String);

/// `spawn MODULE ARGS...`: MODULE is found as a bare name would be (`$path`, `NAME.wasm`
/// first), else taken as a path relative to the cwd. Runs in the foreground (in an `&` job,
/// through the queue), its streams the command's; `$status` is the task's.
fn spawn(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut options = RunOptions::default();
    let first = args::parse(ctx, args, |flag, value| {
        let value = value.unwrap_or("");
        match flag {
            'p' => {
                options.priority = value
                    .parse()
                    .map_err(|_| PriorityError(value.to_string()))?;
            }
            's' => options.share_env = true,
            't' => options.limits.deadline = Some(parse_duration(value)?),
            'm' => options.limits.memory = Some(parse_size(value)?),
            'f' => options.limits.fuel = Some(flags::count(flag, Some(value))?),
            other => return Err(Undeclared(other).into()),
        }
        Ok(())
    })?;
    let Some((name, rest)) = args[first..].split_first() else {
        return Err(ctx.usage("needs a module"));
    };
    let module = ctx
        .shell
        .program_path(name)
        .map_err(|e| ctx.ns_error(e).at_arg(first))?;
    let io = ctx.io.clone();
    // A task error here is about the module (it cannot be read or loaded): point at it.
    ctx.shell
        .run_program(ctx.name, &module, rest, options, &io)
        .map_err(|e| match e {
            ShellError::Task { .. } => e.at_arg(first),
            other => other,
        })
}

fn ps(ctx: &mut Ctx<'_>, _: &[String]) -> Result<Status, ShellError> {
    let mut rows = vec![["ID", "STATE", "PRI", "TIME", "COMMAND"].map(String::from)];
    // No task core yet means no task yet: `ps` does not start the engine to say so.
    let listed = ctx
        .shell
        .engines
        .tasks
        .get()
        .map(|t| t.list())
        .unwrap_or_default();
    for task in listed {
        rows.push([
            task.id.to_string(),
            task.state.to_string(),
            task.priority.to_string(),
            run_time(&task),
            task.name,
        ]);
    }
    let _ = ctx.out().write_all(columns(&rows).as_bytes());
    Ok(Status::ok())
}

/// Rows as aligned columns: each cell padded to the widest of its column (by characters),
/// two spaces between columns, the last column unpadded.
fn columns<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < N {
                let pad = widths[i] - cell.chars().count() + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

/// How long a task has run (or ran), as `1.234s`; `-` before it starts.
fn run_time(task: &TaskInfo) -> String {
    let Some(started) = task.started else {
        return "-".into();
    };
    let until = task.ended.unwrap_or_else(SystemTime::now);
    let took = until.duration_since(started).unwrap_or_default();
    format!("{:.3}s", took.as_secs_f64())
}

/// `kill ID` kills a task; `kill %N` interrupts job N (its loops and builtins stop at their
/// next step), kills its tasks and the jobs it started, and says so if it has not ended
/// half a second later. An error about the only operand is the command's; with several,
/// each is a warning and the status says one failed.
fn kill(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if args.is_empty() {
        return Err(ctx.usage("needs a task id or %job"));
    }
    let failed = operands::each_operand(ctx, args, 0, false, |index, arg| {
        let (job, number) = match arg.strip_prefix('%') {
            Some(number) => (true, number),
            None => (false, arg),
        };
        let Ok(id) = number.parse::<u64>() else {
            return Err(ctx
                .usage(format!("`{arg}` is not a task id or %job"))
                .at_arg(index));
        };
        let shell = &*ctx.shell;
        if job {
            let tasks = shell.engines.tasks.get();
            shell
                .engines
                .jobs
                .kill(id, tasks)
                .map_err(|e| ShellError::job("kill", e).at_arg(index))?;
        } else {
            shell
                .tasks()
                .kill(JobId(id))
                .map_err(|source| ShellError::Task {
                    cmd: "kill".into(),
                    source,
                })
                .map_err(|e| e.at_arg(index))?;
        }
        Ok(operands::Next::Go)
    })?;
    Ok(operands::status(failed))
}

fn tasklimit(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    match args {
        [] => {
            let limit = ctx.shell.tasks().limit();
            let _ = writeln!(ctx.out(), "{limit}");
            Ok(Status::ok())
        }
        [n] => match n.parse::<usize>() {
            Ok(limit) if limit > 0 => {
                ctx.shell.tasks().set_limit(limit);
                Ok(Status::ok())
            }
            _ => Err(ctx
                .usage(format!("`{n}` is not a positive count"))
                .at_arg(0)),
        },
        _ => Err(ctx.usage("takes at most one count")),
    }
}
