//! `limits`: the budgets of the shell itself (Plan 9 has no ulimit; this is oash's).
//!
//! `limits` lists every budget as the command that sets it, with what it bounds; `limits
//! NAME` prints one value; `limits NAME VALUE` sets one. The setting itself is
//! [`crate::eval::budget::Budgets::set`], the same core Rhai's `set_limit` and `OASH_LIMITS`
//! use; this file only parses words and prints. A setting is the whole shell's: forks share
//! it, so `limits jobs 64` inside a pipeline member changes it for everyone.

use std::fmt::Write as _;
use std::io::Write;

use super::{Builtin, Ctx, Example};
use crate::eval::budget::{Budget, Budgets, LimitError};
use crate::eval::{ShellError, Status};

pub const BUILTINS: &[Builtin] = &[Builtin::new(
    "limits",
    "list or set the shell's own budgets (memory, threads, pipeline length)",
    run,
)
.operands("[NAME [VALUE]]")
.examples(&[Example {
    script: "limits jobs 64; limits jobs",
    output: "64\n",
}])];

fn run(ctx: &mut Ctx<'_>, args: &[String]) -> Result<Status, ShellError> {
    let budgets = &ctx.shell.engines.budgets;
    let text = match args {
        [] => listing(budgets),
        [name] => {
            let budget = Budget::from_name(name).ok_or_else(|| unknown(name))?;
            format!("{}\n", budget.show(budgets.get(budget)))
        }
        [name, value] => {
            budgets.set(name, value).map_err(|source| {
                let arg = match source {
                    LimitError::Unknown { .. } => 0,
                    _ => 1,
                };
                ShellError::Limit {
                    source,
                    arg: Some(arg),
                }
            })?;
            return Ok(Status::ok());
        }
        _ => return Err(ctx.usage("takes at most a name and a value")),
    };
    match ctx.out().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(ctx.fail(e.to_string())),
        _ => Ok(Status::ok()),
    }
}

fn unknown(name: &str) -> ShellError {
    ShellError::Limit {
        source: LimitError::Unknown {
            name: name.to_string(),
        },
        arg: Some(0),
    }
}

/// Every budget as the command that sets it to its value now, and what it bounds.
pub fn listing(budgets: &Budgets) -> String {
    let mut out = String::new();
    for info in budgets.list() {
        let command = format!(
            "limits {} {}",
            info.budget.name(),
            info.budget.show(info.value)
        );
        let _ = writeln!(out, "{command:<24} # {}", info.budget.bounds());
    }
    out
}

/// The budgets for `help limits`: each with its default and what it bounds.
pub fn help() -> String {
    let mut out = String::from(
        "The shell's own budgets, shared by every fork of it (pipeline members, & jobs):\n",
    );
    for budget in Budget::ALL {
        let default = budget.show(budget.default_value());
        let _ = writeln!(
            out,
            "  {:<9} {:>5}  {}",
            budget.name(),
            default,
            budget.bounds()
        );
    }
    out.push_str(
        "Sizes are bytes, or a number with K, M or G. Going over a budget stops the whole \
         command\nwith one diagnostic naming it, and the next command runs; a full mem \
         budget fails the\nwrite instead, as a full disk does. Set them at start-up with \
         OASH_LIMITS='mem=256M jobs=64'.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{Run, run_in};
    use super::*;
    use crate::eval::Shell;

    /// The argument a refused setting points at.
    fn arg(r: &Run) -> Option<usize> {
        match &r.result {
            Err(ShellError::Limit { arg, .. }) => *arg,
            _ => None,
        }
    }

    #[test]
    fn lists_sets_and_prints_one() {
        let mut shell = Shell::new();
        let r = run_in(&mut shell, &BUILTINS[0], &["jobs", "64"], b"");
        assert_eq!(r.status(), "");
        let r = run_in(&mut shell, &BUILTINS[0], &["jobs"], b"");
        assert_eq!(r.out(), "64\n");
        let r = run_in(&mut shell, &BUILTINS[0], &[], b"");
        let out = r.out();
        assert!(out.starts_with("limits mem 512M"), "{out}");
        assert!(out.contains("limits jobs 64 "), "{out}");
        assert_eq!(out.lines().count(), Budget::ALL.len());
    }

    #[test]
    fn refuses_unknown_names_and_bad_values_at_the_argument() {
        let mut shell = Shell::new();
        let r = run_in(&mut shell, &BUILTINS[0], &["nope", "1"], b"");
        assert_eq!(
            (r.status(), arg(&r)),
            ("error: limits: unknown limit `nope`".into(), Some(0))
        );
        let r = run_in(&mut shell, &BUILTINS[0], &["mem", "lots"], b"");
        assert_eq!(arg(&r), Some(1));
        assert!(
            r.status().contains("`lots` is not a size"),
            "{}",
            r.status()
        );
        let r = run_in(&mut shell, &BUILTINS[0], &["a", "b", "c"], b"");
        assert!(
            matches!(r.result, Err(ShellError::Usage { .. })),
            "{}",
            r.status()
        );
    }
}
