//! Running commands: the control structures, simple commands and redirections (pipelines
//! and `&` jobs are in `pipeline.rs`).
//!
//! Two kinds of failure, as in rc: a *command* failure (a missing file, an unknown command, a
//! bad flag) is reported, sets `$status`, and the script goes on; a *language* error (a bad
//! concatenation, `if not` out of place, a syntax error in `eval`) stops the script, like
//! rc's own errors. [`Shell::soften`] is the one place that decides which is which for
//! errors out of commands. A redirection that cannot be made is one of rc's own errors
//! (`can't open`): it stops the script before the command runs, so it is never softened.

use std::io::Write;
use std::sync::Arc;

use super::budget::{Budget, BudgetError};
use super::error::{Located, ShellError};
use super::shell::Shell;
use super::words::Arg;
use crate::builtins::{self, Ctx};
use crate::lang::Span;
use crate::lang::ast::{Assign, Body, Case, Cmd, FnBody, Redir, Word};
use crate::proc::io::Io;
use crate::proc::status::Status;
use crate::wordlist::WordList;

/// How deep function calls may nest before the shell refuses (instead of overflowing its stack).
pub const MAX_DEPTH: usize = 400;
/// Stack size of the threads that run pipeline stages and jobs (more is grown on demand).
pub const STACK_SIZE: usize = 8 << 20;
/// When less than this much stack is left, [`Shell::run_cmd`] continues on a new segment...
const STACK_RED_ZONE: usize = 256 << 10;
/// ...of this size.
const STACK_SEGMENT: usize = 8 << 20;
/// Nesting levels of [`Shell::run_cmd`] run without a stack check (a few KiB each, even in
/// a debug build: well inside the smallest thread stack, 2 MiB).
const UNCHECKED_NESTING: usize = 16;

impl Shell {
    /// Runs commands in order; the status is the last one's.
    pub fn run_body(&mut self, body: &Body, io: &Io) -> Result<Status, Located> {
        let mut status = self.status();
        for cmd in &body.cmds {
            self.check_interrupt()?;
            status = self.run_cmd(cmd, io)?;
        }
        Ok(status)
    }

    /// Runs one command and records its `$status`.
    ///
    /// Every level of nesting (blocks, function calls, `eval`) comes through here, so this is
    /// where the stack is grown on demand: deep but legitimate nesting never overflows it, on
    /// any thread, and runaway recursion is stopped by [`MAX_DEPTH`] instead.
    pub fn run_cmd(&mut self, cmd: &Cmd, io: &Io) -> Result<Status, Located> {
        // The first stack check costs a read of /proc/self/maps, a fifth of start-up; the
        // first levels of nesting fit on any thread's stack, so only deeper ones check.
        self.frame.nesting += 1;
        let result = if self.frame.nesting <= UNCHECKED_NESTING {
            self.run_cmd_here(cmd, io)
        } else {
            stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || self.run_cmd_here(cmd, io))
        };
        self.frame.nesting -= 1;
        result
    }

    fn run_cmd_here(&mut self, cmd: &Cmd, io: &Io) -> Result<Status, Located> {
        let mut if_outcome = None;
        // As in rc, some commands leave `$status` as it was: assignments and redirections
        // alone, `fn`, a `for` over nothing, a `switch` with no matching case.
        let mut keep_status = false;
        let status = match cmd {
            Cmd::Simple {
                assigns,
                words,
                redirs,
                span,
            } => {
                let status = self.run_simple(assigns, words, redirs, *span, io)?;
                keep_status = words.is_empty() && status.is_ok();
                status
            }
            Cmd::Block { body, redirs, span } => {
                let block_io = self.redirect(redirs, io)?;
                let status = self.run_body(body, &block_io);
                drop(block_io);
                self.env_in();
                self.check_closes(status, *span, io)?
            }
            Cmd::Subshell { cmd, .. } => {
                let mut sub = self.fork();
                match sub.run_cmd(cmd, io) {
                    Ok(s) => s,
                    Err(e) if matches!(e.error, ShellError::Exit(_)) => e.error.status(),
                    Err(e) => return Err(e),
                }
            }
            Cmd::If { cond, then, .. } => {
                let c = self.run_body(cond, io)?;
                if_outcome = Some(c.is_ok());
                if c.is_ok() {
                    self.run_cmd(then, io)?
                } else {
                    c
                }
            }
            Cmd::IfNot { then, span } => match self.frame.last_if {
                Some(false) => self.run_cmd(then, io)?,
                Some(true) => self.status(),
                None => {
                    let e = ShellError::Runtime {
                        message: "`if not` does not follow `if(...)`".into(),
                        help: Some(
                            "`if not` must come right after an `if`, in the same command list"
                                .into(),
                        ),
                    };
                    return Err(self.located(e, *span, "no `if` just before this"));
                }
            },
            Cmd::For {
                var,
                words,
                body,
                span,
            } => match self.run_for(var, words.as_deref(), body, *span, io)? {
                Some(status) => status,
                None => {
                    keep_status = true;
                    self.status()
                }
            },
            // rc: a `while` ends with the status of the condition that stopped it.
            Cmd::While { cond, body, .. } => loop {
                self.check_interrupt()?;
                let c = self.run_body(cond, io)?;
                if !c.is_ok() {
                    break c;
                }
                self.run_cmd(body, io)?;
            },
            Cmd::Switch { subject, cases, .. } => match self.run_switch(subject, cases, io)? {
                Some(status) => status,
                None => {
                    keep_status = true;
                    self.status()
                }
            },
            Cmd::Match {
                subject, patterns, ..
            } => {
                let subject = self.match_subject(subject, io)?;
                let mut pats = Vec::new();
                for p in patterns {
                    pats.extend(self.expand_word(p, io)?);
                }
                // rc: a failed match leaves the status `no match`.
                let hit = pats.iter().any(|p| super::glob::matches(p, &subject));
                if hit {
                    Status::ok()
                } else {
                    Status::failure("no match")
                }
            }
            Cmd::Not { cmd, .. } => Status::from_bool(!self.run_cmd(cmd, io)?.is_ok()),
            Cmd::FnDef { names, body, .. } => {
                for name in self.expand_strings(names, io)? {
                    match body {
                        Some(b) => {
                            self.proc.fns.insert(name, b.clone());
                        }
                        None => {
                            self.proc.fns.remove(&name);
                        }
                    }
                }
                keep_status = true;
                self.status()
            }
            Cmd::Pipeline { cmds, pipes, span } => self.run_pipeline(cmds, pipes, *span, io)?,
            Cmd::And { left, right, .. } => {
                let l = self.run_cmd(left, io)?;
                if l.is_ok() {
                    self.run_cmd(right, io)?
                } else {
                    l
                }
            }
            Cmd::Or { left, right, .. } => {
                let l = self.run_cmd(left, io)?;
                if l.is_ok() {
                    l
                } else {
                    self.run_cmd(right, io)?
                }
            }
            Cmd::Background { cmd, span } => self.run_background(cmd, *span, io)?,
            Cmd::Local { assigns, cmd, .. } => {
                let mut values = Vec::with_capacity(assigns.len());
                for a in assigns {
                    values.push(self.assign_value(a, io)?);
                }
                let saved: Vec<_> = assigns
                    .iter()
                    .zip(values)
                    .map(|(a, v)| self.proc.vars.save(&a.name, v))
                    .collect();
                let result = self.run_cmd(cmd, io);
                for s in saved.into_iter().rev() {
                    self.proc.vars.restore(s);
                }
                return result;
            }
        };
        self.frame.last_if = if_outcome;
        if !keep_status {
            self.set_status(&status);
        }
        Ok(status)
    }

    /// A command failure is reported and becomes `$status`; a language error or control
    /// flow goes on up.
    pub fn soften(&mut self, e: Located, io: &Io) -> Result<Status, Located> {
        match e.error {
            ShellError::Runtime { .. }
            | ShellError::Parse(_)
            | ShellError::Exit(_)
            | ShellError::Return(_)
            | ShellError::Interrupted => Err(e),
            ShellError::Budget(_) => Err(self.stop(e)),
            // A command that failed while its job was interrupted failed because of it (its
            // read of the terminal or a pipe ended "interrupted"): the stop is the one thing
            // to say.
            _ if self.proc.control.is_interrupted() => Err(Located::bare(ShellError::Interrupted)),
            _ => {
                self.report(&e, io);
                Ok(e.error.status())
            }
        }
    }

    fn run_for(
        &mut self,
        var: &str,
        words: Option<&[Word]>,
        body: &Cmd,
        span: Span,
        io: &Io,
    ) -> Result<Option<Status>, Located> {
        let items = match words {
            Some(w) => {
                let limit = self.engines.budgets.get(Budget::Var);
                match self.expand_list(w, io, limit)? {
                    Some(items) => items,
                    None => {
                        let what = "the list of this `for`";
                        return Err(self.over_var_budget(what, span, "this loop"));
                    }
                }
            }
            None => self.proc.vars.get("*").unwrap_or_default().to_list(),
        };
        if items.is_empty() {
            return Ok(None);
        }
        // rc restores (or unsets) the loop variable afterwards.
        let saved = self.proc.vars.save(var, WordList::new());
        let mut result = Ok(Status::ok());
        for item in &items {
            if let Err(e) = self.check_interrupt() {
                result = Err(e);
                break;
            }
            self.proc.vars.set_one(var, item);
            result = self.run_cmd(body, io);
            if result.is_err() {
                break;
            }
        }
        self.proc.vars.restore(saved);
        result.map(Some)
    }

    /// The subject of `~` and `switch`: as in rc, its list joined by spaces into one string
    /// (so `~ $x b` with `x=(a b)` compares `a b` against `b`).
    fn match_subject(&mut self, subject: &Word, io: &Io) -> Result<String, Located> {
        let values = self.expand_word(subject, io)?;
        Ok(values
            .iter()
            .map(|v| v.text.as_str())
            .collect::<Vec<_>>()
            .join(" "))
    }

    /// The status of the case that ran, or `None` when none matched.
    fn run_switch(
        &mut self,
        subject: &Word,
        cases: &[Case],
        io: &Io,
    ) -> Result<Option<Status>, Located> {
        let subject = self.match_subject(subject, io)?;
        for case in cases {
            let mut pats = Vec::new();
            for p in &case.patterns {
                pats.extend(self.expand_word(p, io)?);
            }
            if pats.iter().any(|p| super::glob::matches(p, &subject)) {
                return self.run_body(&case.body, io).map(Some);
            }
        }
        Ok(None)
    }

    /// The value of `name=value`, held to the `var` budget (exceeding it stops the
    /// command tree, pointing at the assignment).
    fn assign_value(&mut self, a: &Assign, io: &Io) -> Result<WordList, Located> {
        let limit = self.engines.budgets.get(Budget::Var);
        match self.expand_list(std::slice::from_ref(&a.value), io, limit)? {
            Some(value) => Ok(value),
            None => {
                let what = format!("the value of `{}`", a.name);
                Err(self.over_var_budget(&what, a.span, "this assignment"))
            }
        }
    }

    /// The diagnostic of a list that grew past the `var` budget (`what` is too big), at
    /// `span` with `label`; the command tree stops.
    fn over_var_budget(&self, what: &str, span: Span, label: &str) -> Located {
        let e = BudgetError {
            budget: Budget::Var,
            limit: self.engines.budgets.get(Budget::Var),
            what: format!("{what} is too big"),
        };
        self.stop(self.located(e.into(), span, label))
    }

    fn run_simple(
        &mut self,
        assigns: &[Assign],
        words: &[Word],
        redirs: &[Redir],
        span: Span,
        io: &Io,
    ) -> Result<Status, Located> {
        if words.is_empty() {
            for a in assigns {
                let v = self.assign_value(a, io)?;
                self.proc.vars.set(&a.name, v);
            }
            if redirs.is_empty() {
                return Ok(Status::ok());
            }
            let made = self.redirect(redirs, io).map(|_| Status::ok());
            // `> /env/x` alone empties `x`.
            self.env_in();
            return self.check_closes(made, span, io);
        }
        // `x=v cmd`: the values are computed first, then set for this command only.
        let mut values = Vec::with_capacity(assigns.len());
        for a in assigns {
            values.push(self.assign_value(a, io)?);
        }
        let temp_mark = self.frame.temp_files.len();
        let saved: Vec<_> = assigns
            .iter()
            .zip(values)
            .map(|(a, v)| self.proc.vars.save(&a.name, v))
            .collect();
        // `/env` must show `x=v cmd`'s `x` to `cmd` (and to globs in its arguments).
        self.env_out();
        let result = self.expand_args(words, io).and_then(|args| {
            let cmd_io = self.redirect(redirs, io)?;
            self.invoke(&args, span, &cmd_io)
        });
        // Its descriptors are closed now, so what it wrote to `/env` has landed (and a
        // local `x=v` is restored over it, as its scope says).
        self.env_in();
        let result = self.check_closes(result, span, io);
        for s in saved.into_iter().rev() {
            self.proc.vars.restore(s);
        }
        self.remove_temp_files(temp_mark);
        result
    }

    /// Runs a command by name: a function, a builtin, or (later) a program on `$path`.
    pub fn invoke(&mut self, args: &[Arg], span: Span, io: &Io) -> Result<Status, Located> {
        let Some(first) = args.first() else {
            return Ok(Status::ok());
        };
        if let Some(f) = self.proc.fns.get(first.text.as_str()).cloned() {
            return self.call_fn(&f, args, span, io);
        }
        // rc's `builtin cmd args`: run cmd passing over functions, so a function can wrap
        // the builtin of the same name.
        if first.text == "builtin" && args.len() > 1 {
            return self.run_builtin(&args[1..], span, io);
        }
        if builtins::lookup(&first.text).is_none()
            && let Some(module) = self.find_program(&first.text)
        {
            let rest: Vec<String> = args[1..].iter().map(|a| a.text.clone()).collect();
            let options = super::program::RunOptions::default();
            // A path names itself in its errors; a name found on $path is the command's.
            let cmd = if first.text.contains('/') {
                ""
            } else {
                first.text.as_str()
            };
            let result = self.run_program(cmd, &module, &rest, options, io);
            return self.settle(result, args, span, io);
        }
        self.run_builtin(args, span, io)
    }

    /// Runs `args[0]` as a builtin, locating and softening its errors.
    fn run_builtin(&mut self, args: &[Arg], span: Span, io: &Io) -> Result<Status, Located> {
        let first = &args[0];
        let name = first.text.as_str();
        let result = match builtins::lookup(name) {
            Some(b) => {
                let strs: Vec<String> = args[1..].iter().map(|a| a.text.clone()).collect();
                // Ctrl-C stops a builtin at its next read or write, Ctrl-Z pauses it there.
                let cmd_io = io.with_control(std::sync::Arc::clone(&self.proc.control));
                // An `&` job has begun once a builtin runs; `spawn` tells it itself, once
                // its task is listed (see `Process::started`).
                if b.name != "spawn" {
                    self.proc.announce_start();
                }
                let mut ctx = Ctx {
                    shell: self,
                    io: cmd_io,
                    name: b.name,
                };
                let r = (b.run)(&mut ctx, &strs);
                let _ = io.stdout().flush();
                r
            }
            None => Err(ShellError::UnknownCommand {
                name: name.to_string(),
                suggestion: self.did_you_mean(name),
            }),
        };
        self.settle(result, args, span, io)
    }

    /// A command's result as the script sees it: its errors located (at the argument they
    /// are about, or the command) and softened into `$status` where rc would go on.
    fn settle(
        &mut self,
        result: Result<Status, ShellError>,
        args: &[Arg],
        span: Span,
        io: &Io,
    ) -> Result<Status, Located> {
        let first = &args[0];
        match result {
            Ok(s) => Ok(s),
            Err(ShellError::Nested(inner)) => self.soften(*inner, io),
            Err(error) => {
                let (at, label) = match &error {
                    ShellError::Ns { arg: Some(i), .. } => match args.get(i + 1) {
                        Some(a) => (a.span, "this file"),
                        None => (span, "in this command"),
                    },
                    ShellError::Limit { arg: Some(i), .. } => match args.get(i + 1) {
                        Some(a) => (a.span, "this setting"),
                        None => (span, "in this command"),
                    },
                    ShellError::AtArg(at) => match args.get(at.arg + 1) {
                        Some(a) => (a.span, at.label()),
                        None => (span, "in this command"),
                    },
                    ShellError::UnknownCommand { .. } => (first.span, "not found"),
                    ShellError::Usage { .. } => (span, "bad usage"),
                    _ => (span, "in this command"),
                };
                let located = if error.is_control() {
                    Located::bare(error)
                } else {
                    self.located(error, at, label)
                };
                self.soften(located, io)
            }
        }
    }

    fn call_fn(
        &mut self,
        f: &Arc<FnBody>,
        args: &[Arg],
        span: Span,
        io: &Io,
    ) -> Result<Status, Located> {
        if self.frame.depth >= MAX_DEPTH {
            let e = ShellError::Runtime {
                message: format!("function calls nested deeper than {MAX_DEPTH}"),
                help: Some("a function probably calls itself without end".into()),
            };
            return Err(self.located(e, span, "this call"));
        }
        let saved = self.proc.vars.save(
            "*",
            args[1..]
                .iter()
                .map(|a| a.text.as_str())
                .collect::<WordList>(),
        );
        let saved_file = std::mem::replace(&mut self.frame.file, f.file.clone());
        self.frame.depth += 1;
        let result = self.run_body(&f.body, io);
        self.frame.depth -= 1;
        self.frame.file = saved_file;
        self.proc.vars.restore(saved);
        match result {
            Err(Located {
                error: ShellError::Return(s),
                ..
            }) => Ok(s),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests;
