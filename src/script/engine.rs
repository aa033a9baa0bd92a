//! The Rhai engine: limits, the per-run set-up, and how Rhai's errors become oash's.
//!
//! An [`Engine`] is made on the first `rhai` command and cached in the shell (`shell.rhai`);
//! it holds what is expensive to build, Rhai's standard library as one shared module, and
//! the [`Limits`]. Each run then builds a bare `rhai::Engine` around that module with the
//! namespace API bound to this run's shell and descriptors (see [`super::api`]): that costs
//! tens of microseconds, and it means no state is shared between runs, so two jobs running
//! Rhai at once never see each other's shell. A run happens on a thread of its own with a
//! large stack, so the call-depth limit, not the native stack, is what stops deep recursion,
//! in debug builds too. This module must never give a script a way to the host: no module
//! resolver is installed (`import` finds nothing) and `print` goes to the command's fd 1.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rhai::packages::{Package, StandardPackage};
use rhai::{Dynamic, EvalAltResult, Module, ParseErrorType, Position, Scope, Shared};

use super::api::{self, RunContext};
use crate::eval::error::RhaiCore;
use crate::eval::{Io, Shell, ShellError, Status};

/// What a script may use up before it is stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Rhai operations (roughly: expressions evaluated) per run.
    pub operations: u64,
    /// Nested function calls.
    pub call_levels: usize,
    /// Nesting of one expression at the top level, and inside functions.
    pub expr_depth: usize,
    pub function_expr_depth: usize,
    /// Bytes in one string.
    pub string_size: usize,
    /// Items in one array or blob, entries in one object map.
    pub array_size: usize,
    pub map_size: usize,
    /// Wall-clock time per run. The operation count alone does not bound it: Rhai re-measures
    /// a nested value on every assignment, so `loop { a = [a] }` takes time quadratic in its
    /// operations (100 000 of them would take minutes).
    pub time: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            operations: 1_000_000,
            call_levels: 64,
            expr_depth: 64,
            function_expr_depth: 64,
            string_size: 1 << 20,
            array_size: 100_000,
            map_size: 100_000,
            time: Some(Duration::from_secs(10)),
        }
    }
}

/// The stack a run gets. The worst a script can ask for, 64 call levels each evaluating an
/// expression nested to the limit, needs about 12 MiB in a debug build and 3 MiB in a
/// release one: more than a pipeline thread's 2 MiB, so without this a script could abort
/// the process. Only touched pages cost memory, and up to 32 MiB glibc reuses the stack of
/// a finished thread, so a run's thread costs some tens of microseconds.
const RUN_STACK_SIZE: usize = 32 << 20;

/// Why `on_progress` stopped a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    Interrupted,
    OutOfTime,
}

/// How many operations pass between looks at the clock (a look costs about one operation).
const CLOCK_EVERY: u64 = 1024;

/// The shell's Rhai engine; cloning shares the standard library.
#[derive(Clone)]
pub struct Engine {
    standard: Shared<Module>,
    limits: Limits,
}

/// One script to run: its text, the name errors call it by, its `ARGS`.
pub struct Script<'a> {
    /// The file it came from, if any (errors then say `FILE: line N, position M`).
    pub name: Option<&'a str>,
    pub code: &'a str,
    pub args: &'a [String],
}

impl Engine {
    pub fn new() -> Engine {
        Engine {
            standard: StandardPackage::new().as_shared_module(),
            limits: Limits::default(),
        }
    }

    /// The engine cached in `shell`, created on first use.
    pub fn of(shell: &Shell) -> Engine {
        let mut slot = shell
            .engines
            .rhai
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert_with(Engine::new).clone()
    }

    /// Replaces the default [`Limits`]; only the tests need tighter ones today.
    #[cfg(test)]
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Runs `script` against `shell`. Its namespace changes (mounts, the working directory)
    /// are kept even when it fails part-way, as a shell script's would be. The status is true
    /// when it ends, by its last statement or by `exit` (Rhai drops `exit`'s value); an
    /// error, `throw` included, is [`ShellError::Rhai`] ([`ShellError::RhaiCore`] when it
    /// is a core's error the script did not catch), or [`ShellError::Interrupted`] after
    /// Ctrl-C.
    pub fn run(
        &self,
        shell: &mut Shell,
        io: &Io,
        script: &Script<'_>,
    ) -> Result<Status, ShellError> {
        let context = Arc::new(RunContext {
            shell: Mutex::new(shell.view()),
            io: io.clone(),
            functions: Mutex::new(rhai::AST::empty()),
            raised: Mutex::default(),
        });
        let run = || self.evaluate(&context, script);
        let outcome = std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("oash-rhai".into())
                .stack_size(RUN_STACK_SIZE)
                .spawn_scoped(scope, run);
            match worker {
                Ok(worker) => worker
                    .join()
                    .unwrap_or_else(|_| Err(internal("the script engine panicked"))),
                Err(e) => Err(internal(&format!("cannot start the script engine: {e}"))),
            }
        });
        let after = context.shell.lock().unwrap_or_else(PoisonError::into_inner);
        shell.proc.ns = after.proc.ns.clone();
        shell.proc.cwd = after.proc.cwd.clone();
        outcome
    }

    fn evaluate(
        &self,
        context: &Arc<RunContext>,
        script: &Script<'_>,
    ) -> Result<Status, ShellError> {
        let engine = self.build(context);
        let mut scope = Scope::new();
        let args: rhai::Array = script
            .args
            .iter()
            .map(|a| Dynamic::from(a.clone()))
            .collect();
        scope.push_constant("ARGS", args);
        let fail = |err: &EvalAltResult| self.ended(context, err, script.name);
        let mut ast = engine
            .compile_with_scope(&scope, script.code)
            .map_err(|e| fail(&EvalAltResult::from(e)))?;
        if let Some(name) = script.name {
            ast.set_source(name);
        }
        *context
            .functions
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = ast.clone_functions_only();
        match engine.run_ast_with_scope(&mut scope, &ast) {
            Ok(()) => Ok(Status::ok()),
            Err(err) => match &*err {
                EvalAltResult::ErrorTerminated(why, position) => {
                    match why.clone().try_cast::<Stop>() {
                        Some(Stop::OutOfTime) => {
                            let limit = self.limits.time.unwrap_or_default();
                            let message = format!("out of time (the limit is {limit:?})");
                            Err(ShellError::Rhai {
                                message: with_position(message, *position, script.name),
                            })
                        }
                        _ => Err(ShellError::Interrupted),
                    }
                }
                other => Err(fail(other)),
            },
        }
    }

    /// A bare engine with the standard library and the limits (the wall-clock one counted
    /// from now), stopped early when `interrupt` is set. Nothing of the shell is in it.
    pub(crate) fn limited(&self, interrupt: Arc<AtomicBool>) -> rhai::Engine {
        let mut engine = rhai::Engine::new_raw();
        engine.register_global_module(self.standard.clone());
        let limits = &self.limits;
        engine
            .set_max_operations(limits.operations)
            .set_max_call_levels(limits.call_levels)
            .set_max_expr_depths(limits.expr_depth, limits.function_expr_depth)
            .set_max_string_size(limits.string_size)
            .set_max_array_size(limits.array_size)
            .set_max_map_size(limits.map_size);
        let deadline = limits
            .time
            .and_then(|time| Instant::now().checked_add(time));
        engine.on_progress(move |operations| {
            if interrupt.load(Ordering::Relaxed) {
                return Some(Dynamic::from(Stop::Interrupted));
            }
            let late =
                operations % CLOCK_EVERY == 0 && deadline.is_some_and(|d| Instant::now() >= d);
            late.then(|| Dynamic::from(Stop::OutOfTime))
        });
        engine
    }

    /// [`Engine::limited`] with this run's API and output.
    fn build(&self, context: &Arc<RunContext>) -> rhai::Engine {
        let mut engine = self.limited(context.interrupt());
        let limits = &self.limits;
        let out = context.io.clone();
        engine.on_print(move |text| {
            // One write per line, so concurrent writers interleave whole lines; a reader that
            // went away is not the script's error.
            let _ = out.stdout().write_all(format!("{text}\n").as_bytes());
        });
        let err = context.io.clone();
        engine.on_debug(move |text, _, _| {
            let _ = err.stderr().write_all(format!("{text}\n").as_bytes());
        });
        api::register(&mut engine, context, limits);
        super::func::register(&mut engine, context, self);
        super::tasks::register(&mut engine, context, limits.string_size);
        super::agents::register(&mut engine, context);
        engine
    }

    /// The signatures of the functions a script can call besides Rhai's standard library
    /// (`read(path: &str) -> String`, methods of task handles, ...), from the engine's own
    /// registrations, sorted: what `help rhai` lists, so it cannot drift from the code.
    pub fn signatures(&self, shell: &Shell) -> Vec<String> {
        let context = Arc::new(RunContext {
            shell: Mutex::new(shell.view()),
            io: Io::default(),
            functions: Mutex::new(rhai::AST::empty()),
            raised: Mutex::default(),
        });
        let mut signatures = self.build(&context).gen_fn_signatures(false);
        signatures.sort();
        signatures.dedup();
        signatures
    }

    /// The error a run ends with: [`Engine::error`]'s, with the code of the core's error when
    /// what ended it is a core's error raised into the script (see [`api::Raised`]), thrown
    /// on or thrown again unchanged, so `mount("nosuch", "/n")` fails as `oash::file` as
    /// `mount nosuch /n` does.
    fn ended(&self, context: &RunContext, err: &EvalAltResult, source: Option<&str>) -> ShellError {
        let rendered = self.error(err, source);
        let EvalAltResult::ErrorRuntime(value, _) = innermost(err).0 else {
            return rendered;
        };
        let mut raised = context
            .raised
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match (rendered, raised.take(value)) {
            (ShellError::Rhai { message }, Some(error)) => {
                ShellError::RhaiCore(Box::new(RhaiCore { message, error }))
            }
            (rendered, _) => rendered,
        }
    }

    /// Rhai's error as one line: what went wrong, then where (`line N, position M`), and in
    /// which script function. A limit names itself and its value.
    pub(crate) fn error(&self, err: &EvalAltResult, source: Option<&str>) -> ShellError {
        let (innermost, function) = innermost(err);
        let limits = &self.limits;
        let what = match innermost {
            EvalAltResult::ErrorTooManyOperations(_) => {
                format!("too many operations (the limit is {})", limits.operations)
            }
            EvalAltResult::ErrorStackOverflow(_) => {
                format!(
                    "function calls nested too deeply (the limit is {} levels)",
                    limits.call_levels
                )
            }
            EvalAltResult::ErrorDataTooLarge(what, _) => match what.as_str() {
                "Length of string" => format!(
                    "string too long (the limit is {} bytes)",
                    limits.string_size
                ),
                "Size of array/BLOB" => {
                    format!("array too large (the limit is {} items)", limits.array_size)
                }
                "Size of object map" => format!(
                    "object map too large (the limit is {} entries)",
                    limits.map_size
                ),
                other => format!("{other} too large"),
            },
            EvalAltResult::ErrorParsing(ParseErrorType::ExprTooDeep, _) => {
                format!(
                    "expression nested too deeply (the limit is {} levels)",
                    limits.expr_depth
                )
            }
            EvalAltResult::ErrorParsing(syntax, _) => format!("syntax error: {syntax}"),
            // The oash message of a failed API call, or a script's own `throw`.
            EvalAltResult::ErrorRuntime(value, _) if !value.is_unit() => value.to_string(),
            other => without_position(other),
        };
        let position = match innermost.position() {
            Position::NONE => err.position(),
            inner => inner,
        };
        let mut message = with_position(what, position, source);
        if let Some(function) = function {
            let _ = write!(message, " in function '{function}'");
        }
        ShellError::Rhai { message }
    }
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

/// `message (FILE: line N, position M)`, leaving out what is not known.
fn with_position(mut message: String, position: Position, source: Option<&str>) -> String {
    match (position.is_none(), source) {
        (true, Some(name)) => {
            let _ = write!(message, " ({name})");
        }
        (true, None) => {}
        (false, Some(name)) => {
            let _ = write!(message, " ({name}: {position})");
        }
        (false, None) => {
            let _ = write!(message, " ({position})");
        }
    }
    message
}

/// The error under any "in call to function" wrappers, and the nearest script function
/// it happened in (anonymous closures are not named).
fn innermost(err: &EvalAltResult) -> (&EvalAltResult, Option<&str>) {
    let (mut current, mut function) = (err, None);
    loop {
        match current {
            EvalAltResult::ErrorInFunctionCall(name, _, inner, _) => {
                if !name.starts_with("anon$") {
                    function = Some(name.as_str());
                }
                current = inner;
            }
            EvalAltResult::ErrorInModule(_, inner, _) => current = inner,
            _ => return (current, function),
        }
    }
}

/// Rhai's own wording of an error without the ` (line N, position M)` it appends, so the
/// position is written once, in one format.
fn without_position(err: &EvalAltResult) -> String {
    let text = err.to_string();
    let position = err.position();
    if position.is_none() {
        return text;
    }
    let suffix = format!(" ({position})");
    text.strip_suffix(&suffix)
        .map(str::to_string)
        .unwrap_or(text)
}

fn internal(message: &str) -> ShellError {
    ShellError::Rhai {
        message: format!("internal error: {message}"),
    }
}
