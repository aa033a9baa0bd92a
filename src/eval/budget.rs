//! Budgets for the shell itself: how much memory, how many threads and how long a pipeline
//! one shell may use, so no input can exhaust the process (Plan 9 has no ulimit; `limits`
//! is this shell's).
//!
//! One [`Budgets`] belongs to a root shell and is shared by every fork of it (pipeline
//! members, `&` jobs, `@{ }`). It holds the limits (each settable by `limits NAME VALUE`,
//! Rhai `set_limit`, or `OASH_LIMITS` at start-up, all through [`Budgets::set`]), the
//! account every `mem` service charges ([`MemAccount`]), and the count of live pipeline
//! members and jobs.
//!
//! When a budget is exceeded the whole top-level command stops with one diagnostic, however
//! many threads were running it: the first error is kept ([`Budgets::stop`]), the shell's
//! interrupt flag is raised so every member unwinds as after Ctrl-C, diagnostics are held
//! back meanwhile ([`Budgets::is_stopping`]), and the top level prints the kept one and goes
//! on with its next command ([`Budgets::take_stop`]). A full `mem` is the exception: like a
//! full disk, it fails the write, not the command tree. This module must never decide what
//! a budget's diagnostic points at (the evaluator locates it), nor read any setting but its
//! own.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use miette::Diagnostic;
use thiserror::Error;

use super::error::Located;
use super::shell::Interrupter;
use crate::services::mem::{MemAccount, size_word};

/// The environment variable read at start-up: `OASH_LIMITS='mem=256M jobs=64'`.
pub const ENV_VAR: &str = "OASH_LIMITS";

/// One budget: its name is the word `limits` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Budget {
    /// Bytes held by all the shell's `mem` services together.
    Mem,
    /// Bytes one command holds whole: a `{cmd}` or `<{cmd}` output, its expanded arguments
    /// (with their bookkeeping), one line of a text tool, all of `sort`'s input.
    Buffer,
    /// Bytes one variable (or `for` list) holds: its words, and 8 for each.
    Var,
    /// Live pipeline members (each a thread) and `&` jobs.
    Jobs,
    /// Commands in one pipeline.
    Pipeline,
}

impl Budget {
    /// Every budget, in the order `limits` lists them.
    pub const ALL: [Budget; 5] = [
        Budget::Mem,
        Budget::Buffer,
        Budget::Var,
        Budget::Jobs,
        Budget::Pipeline,
    ];

    /// The name `limits` and `OASH_LIMITS` use for it.
    pub fn name(self) -> &'static str {
        match self {
            Budget::Mem => "mem",
            Budget::Buffer => "buffer",
            Budget::Var => "var",
            Budget::Jobs => "jobs",
            Budget::Pipeline => "pipeline",
        }
    }

    /// The budget called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Budget> {
        Budget::ALL.into_iter().find(|b| b.name() == name)
    }

    /// What it bounds, for `limits` and `help limits`.
    pub fn bounds(self) -> &'static str {
        match self {
            Budget::Mem => "bytes held by all mem services (/tmp, the root, every mount mem)",
            Budget::Buffer => "bytes one command holds whole: `{cmd} output, its arguments, a line",
            Budget::Var => "bytes one variable or for list holds (its words, and 8 a word)",
            Budget::Jobs => "live pipeline members and & jobs, all forks together",
            Budget::Pipeline => "commands in one pipeline",
        }
    }

    /// Sizes are bytes (written `64M`); the others are counts.
    pub fn is_size(self) -> bool {
        matches!(self, Budget::Mem | Budget::Buffer | Budget::Var)
    }

    /// Its value when nothing set it. The memory budgets together stay well under 1 GiB
    /// (the stress suite's bound); `jobs` is under the function depth limit (400), so a
    /// fork bomb meets it before it meets that.
    pub fn default_value(self) -> u64 {
        match self {
            Budget::Mem => 512 << 20,
            // ``x=`{seq 1 10000000}`` (76 MiB of output) fits; `cat /dev/zero` stops fast.
            Budget::Buffer => 128 << 20,
            // That list (66 MiB of words and 76 MiB of offsets) fits too.
            Budget::Var => 256 << 20,
            Budget::Jobs => 256,
            // A longer pipeline could not have a thread for each member under `jobs`.
            Budget::Pipeline => 256,
        }
    }

    /// A value as `limits` prints it and takes it back: `512M`, `256`.
    pub fn show(self, value: u64) -> String {
        if self.is_size() {
            size_word(value)
        } else {
            value.to_string()
        }
    }

    /// The word `limits NAME ...` takes, for help and messages.
    fn value_word(self) -> &'static str {
        if self.is_size() { "SIZE" } else { "N" }
    }

    /// Reads a value as `limits` takes it: a size with an optional K, M or G, or a count;
    /// never zero (a zero budget would stop every command of its kind).
    pub fn parse(self, text: &str) -> Result<u64, LimitError> {
        let value = if self.is_size() {
            crate::units::size(text)
        } else {
            text.parse::<u64>().ok()
        };
        value
            .filter(|&v| v > 0)
            .ok_or_else(|| LimitError::BadValue {
                name: self.name(),
                value: text.to_string(),
                expected: if self.is_size() {
                    "a size in bytes, or a number with K, M or G (64M)"
                } else {
                    "a whole number above 0"
                },
            })
    }
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A budget was exceeded: what went over, which budget, and its value.
#[derive(Clone, Debug, Error, Diagnostic)]
#[error("{what} (the {budget} budget is {}; raise it with `limits {budget} {}`)", budget.show(*limit), budget.value_word())]
#[diagnostic(code(oash::budget), help("the {budget} budget bounds {}; `limits` lists every budget", budget.bounds()))]
pub struct BudgetError {
    /// The budget that was exceeded.
    pub budget: Budget,
    /// Its value when it was: what the message and the help line show.
    pub limit: u64,
    /// What was being done, phrased for the start of the message.
    pub what: String,
}

/// A `limits` setting that cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, Error, Diagnostic)]
pub enum LimitError {
    #[error("unknown limit `{name}`")]
    #[diagnostic(
        code(oash::limits::unknown),
        help("the limits are mem, buffer, var, jobs and pipeline; `limits` lists them")
    )]
    /// A name that is not a budget.
    Unknown {
        /// The name given.
        name: String,
    },
    /// A value the budget cannot take.
    #[error("{name}: `{value}` is not {expected}")]
    #[diagnostic(code(oash::limits::bad_value))]
    BadValue {
        /// The budget's name.
        name: &'static str,
        /// The value given.
        value: String,
        /// What the budget takes ("a size", "a count from 1").
        expected: &'static str,
    },
    #[error("`{entry}` is not NAME=VALUE")]
    #[diagnostic(
        code(oash::limits::env),
        help("write it as OASH_LIMITS='mem=256M jobs=64'")
    )]
    /// An `OASH_LIMITS` entry that is not `name=value`.
    BadEntry {
        /// The entry as written.
        entry: String,
    },
}

/// A budget as `limits` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitInfo {
    /// Which budget.
    pub budget: Budget,
    /// Its current value, in the budget's unit (bytes or a count).
    pub value: u64,
}

/// The budgets of one root shell and all its forks (see the module docs).
pub struct Budgets {
    /// Limits other than `mem`'s, which lives in `mem` (its services read it).
    limits: [AtomicU64; 4],
    mem: Arc<MemAccount>,
    /// Pipeline member threads and `&` jobs running now.
    live: AtomicU64,
    /// The error that stops the command tree, kept until the top level prints it.
    stop: Mutex<Option<Located>>,
    stopping: AtomicBool,
    /// What Ctrl-C does to the root shell: fired to unwind every member and stop the
    /// foreground's guests.
    interrupter: Interrupter,
    /// What `OASH_LIMITS` got wrong, for the first command to print.
    startup_errors: Mutex<Vec<LimitError>>,
}

impl Budgets {
    /// Budgets at their defaults, stopping through `interrupter`.
    pub fn new(interrupter: Interrupter) -> Budgets {
        let value = |b: Budget| AtomicU64::new(b.default_value());
        Budgets {
            limits: [
                value(Budget::Buffer),
                value(Budget::Var),
                value(Budget::Jobs),
                value(Budget::Pipeline),
            ],
            mem: MemAccount::new(Budget::Mem.default_value()),
            live: AtomicU64::new(0),
            stop: Mutex::new(None),
            stopping: AtomicBool::new(false),
            interrupter,
            startup_errors: Mutex::new(Vec::new()),
        }
    }

    /// [`Budgets::new`] with `OASH_LIMITS` applied; what it got wrong is kept for
    /// [`Budgets::take_startup_errors`].
    pub fn from_env(interrupter: Interrupter) -> Budgets {
        let budgets = Budgets::new(interrupter);
        if let Some(text) = std::env::var_os(ENV_VAR) {
            let errors = budgets.set_all(&text.to_string_lossy());
            *lock(&budgets.startup_errors) = errors;
        }
        budgets
    }

    fn slot(&self, budget: Budget) -> Option<&AtomicU64> {
        match budget {
            Budget::Mem => None,
            Budget::Buffer => Some(&self.limits[0]),
            Budget::Var => Some(&self.limits[1]),
            Budget::Jobs => Some(&self.limits[2]),
            Budget::Pipeline => Some(&self.limits[3]),
        }
    }

    /// The current value of `budget`.
    pub fn get(&self, budget: Budget) -> u64 {
        match self.slot(budget) {
            Some(slot) => slot.load(Ordering::Relaxed),
            None => self.mem.limit(),
        }
    }

    /// The core of every door (`limits NAME VALUE`, Rhai `set_limit`, `OASH_LIMITS`): sets
    /// the budget called `name` from its text.
    pub fn set(&self, name: &str, value: &str) -> Result<Budget, LimitError> {
        let budget = Budget::from_name(name).ok_or_else(|| LimitError::Unknown {
            name: name.to_string(),
        })?;
        let value = budget.parse(value)?;
        match self.slot(budget) {
            Some(slot) => slot.store(value, Ordering::Relaxed),
            None => self.mem.set_limit(value),
        }
        Ok(budget)
    }

    /// Applies `NAME=VALUE` words separated by spaces or commas; the entries in error.
    pub fn set_all(&self, text: &str) -> Vec<LimitError> {
        text.split([' ', ',', '\t', '\n'])
            .filter(|entry| !entry.is_empty())
            .filter_map(|entry| match entry.split_once('=') {
                Some((name, value)) => self.set(name, value).err(),
                None => Some(LimitError::BadEntry {
                    entry: entry.to_string(),
                }),
            })
            .collect()
    }

    /// Every budget with its value, in `limits` order.
    pub fn list(&self) -> Vec<LimitInfo> {
        Budget::ALL
            .into_iter()
            .map(|budget| LimitInfo {
                budget,
                value: self.get(budget),
            })
            .collect()
    }

    /// The account every `mem` service of this shell charges.
    pub fn mem_account(&self) -> &Arc<MemAccount> {
        &self.mem
    }

    /// An error if `amount` is over `budget`; `what` says what went over.
    pub fn check(
        &self,
        budget: Budget,
        amount: u64,
        what: impl FnOnce() -> String,
    ) -> Result<(), BudgetError> {
        let limit = self.get(budget);
        if amount <= limit {
            return Ok(());
        }
        Err(BudgetError {
            budget,
            limit,
            what: what(),
        })
    }

    /// Counts one more live pipeline member or job until the guard drops, or refuses when
    /// the `jobs` budget is used up.
    pub fn enter_member(self: &Arc<Self>) -> Result<Member, BudgetError> {
        let limit = self.get(Budget::Jobs);
        self.live
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |live| {
                (live < limit).then_some(live + 1)
            })
            .map_err(|_| BudgetError {
                budget: Budget::Jobs,
                limit,
                what: "too many live pipeline members and jobs".into(),
            })?;
        Ok(Member {
            budgets: Arc::clone(self),
        })
    }

    /// Pipeline members and jobs alive now.
    pub fn live_members(&self) -> u64 {
        self.live.load(Ordering::Acquire)
    }

    /// Stops the running command tree because of `error`: the first error is kept for the
    /// top level to print, and every member unwinds as after Ctrl-C.
    pub fn stop(&self, error: Located) {
        {
            let mut stop = lock(&self.stop);
            if stop.is_none() {
                *stop = Some(error);
            }
        }
        self.stopping.store(true, Ordering::Release);
        self.interrupter.fire();
    }

    /// True while a stopped command tree unwinds: diagnostics are held back until the top
    /// level prints the one that stopped it.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// At the top level, after a command: the error that stopped it, if one did. Lowers the
    /// interrupt flag again, so the next command runs.
    pub fn take_stop(&self) -> Option<Located> {
        if !self.is_stopping() {
            return None;
        }
        let error = lock(&self.stop).take();
        self.stopping.store(false, Ordering::Release);
        self.interrupter.lower();
        error
    }

    /// What `OASH_LIMITS` got wrong, once.
    pub fn take_startup_errors(&self) -> Vec<LimitError> {
        std::mem::take(&mut *lock(&self.startup_errors))
    }
}

/// One live pipeline member or job, counted against `jobs` until dropped.
pub struct Member {
    budgets: Arc<Budgets>,
}

impl Drop for Member {
    fn drop(&mut self) {
        let _ = self
            .budgets
            .live
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |live| {
                Some(live.saturating_sub(1))
            });
    }
}

/// The budget error an I/O error carries, if it carries one: how a builtin's read loop,
/// which speaks `io::Result`, hands a budget up to where it becomes a [`ShellError`].
///
/// [`ShellError`]: super::ShellError
pub fn from_io(e: &std::io::Error) -> Option<BudgetError> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<BudgetError>())
        .cloned()
}

/// A poisoned lock only means a thread panicked while holding it; the value is still usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ShellError;

    fn budgets() -> Arc<Budgets> {
        let flag = Arc::new(AtomicBool::new(false));
        Arc::new(Budgets::new(Interrupter::of_flag(flag)))
    }

    #[test]
    fn limits_are_set_by_name_and_refused_when_bad() {
        let b = budgets();
        assert_eq!(b.set("mem", "64M"), Ok(Budget::Mem));
        assert_eq!(b.mem_account().limit(), 64 << 20);
        assert_eq!(b.set("jobs", "8"), Ok(Budget::Jobs));
        assert_eq!(b.get(Budget::Jobs), 8);
        assert!(matches!(
            b.set("nope", "1"),
            Err(LimitError::Unknown { .. })
        ));
        for (name, bad) in [
            ("jobs", "8K"),
            ("jobs", "0"),
            ("var", "lots"),
            ("buffer", "0"),
        ] {
            assert!(
                matches!(b.set(name, bad), Err(LimitError::BadValue { .. })),
                "{name} {bad}"
            );
        }
        assert_eq!(b.get(Budget::Jobs), 8, "a refused value changes nothing");
    }

    #[test]
    fn the_environment_form_sets_several_and_names_bad_entries() {
        let b = budgets();
        let errors = b.set_all("mem=256M, jobs=64 pipeline=10 junk var=x");
        assert_eq!(b.get(Budget::Mem), 256 << 20);
        assert_eq!(b.get(Budget::Jobs), 64);
        assert_eq!(b.get(Budget::Pipeline), 10);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].to_string(), "`junk` is not NAME=VALUE");
    }

    #[test]
    fn members_count_until_dropped_and_stop_at_the_limit() {
        let b = budgets();
        assert!(b.set("jobs", "2").is_ok());
        let first = b.enter_member();
        let second = b.enter_member();
        assert!(first.is_ok() && second.is_ok());
        let third = b.enter_member();
        let Err(error) = third else {
            panic!("a third member was let in")
        };
        assert_eq!(
            error.to_string(),
            "too many live pipeline members and jobs (the jobs budget is 2; raise it with `limits jobs N`)"
        );
        drop(first);
        assert_eq!(b.live_members(), 1);
        assert!(b.enter_member().is_ok());
    }

    #[test]
    fn a_stop_keeps_the_first_error_and_is_taken_once() {
        let flag = Arc::new(AtomicBool::new(false));
        let b = Budgets::new(Interrupter::of_flag(Arc::clone(&flag)));
        assert!(b.take_stop().is_none());
        b.stop(Located::bare(ShellError::runtime("first")));
        b.stop(Located::bare(ShellError::runtime("second")));
        assert!(b.is_stopping() && flag.load(Ordering::Relaxed));
        let taken = b.take_stop().map(|e| e.to_string());
        assert_eq!(taken.as_deref(), Some("first"));
        assert!(!b.is_stopping() && !flag.load(Ordering::Relaxed));
        assert!(b.take_stop().is_none());
    }

    #[test]
    fn sizes_show_as_limits_takes_them() {
        assert_eq!(Budget::Mem.show(512 << 20), "512M");
        assert_eq!(Budget::Jobs.show(256), "256");
        for budget in Budget::ALL {
            let shown = budget.show(budget.default_value());
            assert_eq!(budget.parse(&shown), Ok(budget.default_value()), "{budget}");
        }
    }
}
