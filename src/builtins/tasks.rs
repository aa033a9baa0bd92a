//! The task builtins: `spawn`, `ps`, `kill`, `tasklimit`. Thin doors over [`crate::task`]:
//! each parses its own flags and calls one core operation through the shell
//! ([`Shell::run_program`](crate::eval::Shell::run_program) or [`Shell::tasks`]).
//!
//! `jobs` and `wait` (in `core`) are about the shell's own `&` jobs; `ps` and `kill` are about
//! tasks, the guests the scheduler knows (foreground ones included), by task id. Nothing here
//! may run a guest or touch the scheduler other than through the core.

use std::fmt::Write as _;
use std::io::Write;
use std::time::{Duration, SystemTime};

use super::args::{self, Spec};
use super::{Builtin, Ctx};
use crate::eval::program::RunOptions;
use crate::eval::{ShellError, Status};
use crate::sched::JobId;
use crate::task::TaskInfo;

pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "spawn",
        synopsis: "run a WASI module as a task in the foreground, with limits",
        usage: "spawn [-s] [-p PRIORITY] [-t DEADLINE] [-m MEMORY] [-f FUEL] MODULE [ARG...]",
        run: spawn,
    },
    Builtin {
        name: "ps",
        synopsis: "list tasks: id, state, priority, command",
        usage: "ps",
        run: ps,
    },
    Builtin {
        name: "kill",
        synopsis: "kill tasks by id, or the tasks of & job N (a running guest stops at once)",
        usage: "kill ID|%JOB...",
        run: kill,
    },
    Builtin {
        name: "tasklimit",
        synopsis: "print or set how many queued tasks run at once",
        usage: "tasklimit [N]",
        run: tasklimit,
    },
];

const SPAWN_FLAGS: Spec = Spec {
    switches: "s",
    valued: "ptmf",
    count: None,
    negative_numbers: false,
};

/// `spawn MODULE ARGS...`: MODULE is found as a bare name would be (`$path`, `NAME.wasm`
/// first), else taken as a path relative to the cwd. Runs in the foreground (in an `&` job,
/// through the queue), its streams the command's; `$status` is the task's.
fn spawn(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let mut options = RunOptions::default();
    let first = args::parse(ctx, args, &SPAWN_FLAGS, |flag, value| {
        let value = value.unwrap_or("");
        match flag {
            'p' => {
                options.priority = value
                    .parse()
                    .map_err(|_| format!("-p: not a priority: '{value}'"))?;
            }
            's' => options.share_env = true,
            't' => options.limits.deadline = Some(parse_duration(value)?),
            'm' => options.limits.memory = Some(parse_size(value)?),
            _ => options.limits.fuel = Some(args::count(flag, Some(value))?),
        }
        Ok(())
    })?;
    let Some((name, rest)) = args[first..].split_first() else {
        return Err(ctx.usage("needs a module"));
    };
    let module = ctx.shell.program_path(name).map_err(|e| ctx.ns_error(e))?;
    let io = ctx.io.clone();
    ctx.shell.run_program(ctx.name, &module, rest, options, &io)
}

fn ps(ctx: &mut Ctx<'_>, _: &[String]) -> Result<Status, ShellError> {
    let mut out = String::from("ID\tSTATE\tPRI\tTIME\tCOMMAND\n");
    for task in ctx.shell.tasks().list() {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            task.id,
            task.state,
            task.priority,
            run_time(&task),
            task.name
        );
    }
    let _ = ctx.out().write_all(out.as_bytes());
    Ok(Status::ok())
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

/// `kill ID` kills a task; `kill %N` every task `&` job N started that has not ended.
fn kill(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    if args.is_empty() {
        return Err(ctx.usage("needs a task id"));
    }
    let mut failed = false;
    for arg in args {
        let (job, number) = match arg.strip_prefix('%') {
            Some(number) => (true, number),
            None => (false, arg.as_str()),
        };
        let Ok(id) = number.parse::<u64>() else {
            return Err(ctx.usage(format!("`{arg}` is not a task id or %job")));
        };
        let tasks = ctx.shell.tasks();
        if !job {
            if let Err(error) = tasks.kill(JobId(id)) {
                ctx.warn(error);
                failed = true;
            }
            continue;
        }
        let Some(started) = ctx.shell.jobs.tasks(id) else {
            ctx.warn(format!("no job {id}"));
            failed = true;
            continue;
        };
        for task in started {
            let live = tasks.info(JobId(task)).is_some_and(|t| !t.is_ended());
            if live {
                let _ = tasks.kill(JobId(task));
            }
        }
    }
    Ok(super::operands::status(failed))
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
            _ => Err(ctx.usage(format!("`{n}` is not a positive count"))),
        },
        _ => Err(ctx.usage("takes at most one count")),
    }
}

/// A duration (see [`crate::units::duration`]), or the usage message saying what one is.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::units::duration(text)
        .ok_or_else(|| format!("not a duration: '{text}' (say 100ms, 2s, 1m)"))
}

/// A size in bytes (see [`crate::units::size`]), or the usage message saying what one is.
pub fn parse_size(text: &str) -> Result<usize, String> {
    crate::units::size(text)
        .and_then(|bytes| usize::try_from(bytes).ok())
        .ok_or_else(|| format!("not a size: '{text}' (say 65536, 64k, 64M, 1G)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_duration("100ms"), Ok(Duration::from_millis(100)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("x").is_err());
        assert!(parse_duration("1h").is_err());
        assert!(parse_duration("1e400").is_err());
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("-1").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
