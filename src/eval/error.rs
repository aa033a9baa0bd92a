//! Runtime errors of the interpreter and its builtins, and how they get a place in the source.
//!
//! A builtin returns a [`ShellError`] without knowing where it was called from; the evaluator
//! wraps it in a [`Located`] that carries the source file and the span of the command (or of
//! the argument the error is about), so every error renders as a miette diagnostic with
//! file:line:col and a label. `Exit` and `Return` are control flow, never rendered.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use thiserror::Error;

use crate::lang::{ParseError, SourceFile, Span};
use crate::ns::NsError;
use crate::proc::status::Status;

/// Everything a command, the evaluator or a door can fail with. Each variant carries a
/// diagnostic code; [`Located`] adds where in the source it happened.
#[derive(Debug, Error, Diagnostic)]
pub enum ShellError {
    /// A syntax error in a script, `eval`'s text or a function body.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(#[from] ParseError),

    /// A namespace error; `arg` is the index of the argument it is about, if known.
    #[error("{cmd}: {source}")]
    #[diagnostic(code(oash::file))]
    Ns {
        /// The command that failed, as the message's prefix.
        cmd: String,
        /// The namespace's own error.
        source: NsError,
        /// Which argument (0-based, after the command name) the error is about, so the
        /// diagnostic can underline it; `None` when it is about none.
        arg: Option<usize>,
    },

    /// A command called the wrong way; the help line shows its usage.
    #[error("{cmd}: {message}")]
    #[diagnostic(code(oash::usage), help("usage: {usage}"))]
    Usage {
        /// The command that failed, as the message's prefix.
        cmd: String,
        /// What was wrong with the call.
        message: String,
        /// The command's usage line.
        usage: String,
    },

    /// A command name that is no builtin, function or program; with the nearest name that
    /// is one, when a typo is the likely story (see [`Shell::did_you_mean`]).
    ///
    /// [`Shell::did_you_mean`]: super::Shell::did_you_mean
    #[error("{name}: command not found{}", did_you_mean(suggestion))]
    #[diagnostic(
        code(oash::unknown_command),
        help("not a builtin, a function, or a program on $path; `help` lists the builtins")
    )]
    UnknownCommand {
        /// The name that was looked up.
        name: String,
        /// The command it is probably a typo of.
        suggestion: Option<String>,
    },

    /// A builtin failed for a reason of its own (bad regex, unreadable input, ...).
    #[error("{cmd}: {message}")]
    #[diagnostic(code(oash::command))]
    Failed {
        /// The command that failed, as the message's prefix.
        cmd: String,
        /// What went wrong.
        message: String,
    },

    /// The language's own runtime errors (bad concatenation, `if not` out of place, ...).
    #[error("{message}")]
    #[diagnostic(code(oash::runtime))]
    Runtime {
        /// What went wrong.
        message: String,
        /// A hint for the help line, if there is one worth giving.
        #[help]
        help: Option<String>,
    },

    /// A task could not be made or run (a module that cannot be loaded, an unknown task id);
    /// `cmd` is empty for a program run by its path, whose error names the path already.
    #[error("{}{source}", if cmd.is_empty() { String::new() } else { format!("{cmd}: ") })]
    #[diagnostic(code(oash::task))]
    Task {
        /// The command that failed, as the message's prefix.
        cmd: String,
        /// The task layer's error.
        source: crate::task::TaskError,
    },

    /// The agent core refused (an unknown agent, a bad name, a full inbox, a state
    /// directory that cannot be written): its own code and help, after the command's name.
    #[error("{cmd}: {source}")]
    #[diagnostic(forward(source))]
    Agent {
        /// The command that failed, as the message's prefix.
        cmd: String,
        /// The agent core's error.
        source: crate::agent::AgentError,
    },

    /// A job operation failed (`kill %N`, `wait N`, `fg`, `bg`).
    #[error("{cmd}: {source}")]
    #[diagnostic(code(oash::job))]
    Job {
        /// The command that failed, as the message's prefix.
        cmd: String,
        /// The job table's error.
        source: super::jobs::JobError,
        /// What to do about it, if there is something.
        #[help]
        help: Option<String>,
    },

    /// An error inside a Rhai script, with Rhai's position when it has one.
    #[error("rhai: {message}")]
    #[diagnostic(code(oash::rhai))]
    Rhai {
        /// Rhai's message.
        message: String,
    },

    /// A shell core's error raised inside a Rhai script (a `mount`, `read`, `spawn`, ...
    /// that failed) which the script did not catch: shown as a Rhai error, with the
    /// script's position, but with the core's own diagnostic code and help, so the same
    /// failure has the same code from the shell and from Rhai.
    #[error(transparent)]
    #[diagnostic(transparent)]
    RhaiCore(Box<RhaiCore>),

    /// An error already located in another source (a script run by `.` or `eval`): it
    /// travels up as it is, so it is rendered once, pointing where it happened.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Nested(Box<Located>),

    /// `exit`: unwinds to the top of the script or session.
    #[error("exit {0}")]
    Exit(Status),
    /// `return`: unwinds to the enclosing function call.
    #[error("return {0}")]
    Return(Status),
    /// Ctrl-C stopped the running command.
    #[error("interrupted")]
    #[diagnostic(code(oash::interrupted))]
    Interrupted,

    /// A budget of the shell itself was exceeded (see [`super::budget`]): it stops the whole
    /// top-level command, never just the one command.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Budget(#[from] super::budget::BudgetError),

    /// `limits` refused a setting; `arg` is the index of the argument it is about.
    #[error("limits: {source}")]
    #[diagnostic(
        code(oash::limits),
        help("`limits` lists the budgets; sizes are bytes, or a number with K, M or G (64M)")
    )]
    Limit {
        /// What was wrong with the budget or its value.
        source: super::budget::LimitError,
        /// Which argument (0-based, after the command name) the error is about, so the
        /// diagnostic can underline it; `None` when it is about none.
        arg: Option<usize>,
    },

    /// A command's usage, failure, task or Rhai error about one of its arguments (see
    /// [`ShellError::at_arg`]): rendered as the error itself, labelled at that argument.
    #[error(transparent)]
    #[diagnostic(transparent)]
    AtArg(Box<AtArg>),
}

/// A core's error that ended a Rhai script (see [`ShellError::RhaiCore`]).
#[derive(Debug)]
pub struct RhaiCore {
    /// The whole Rhai message, as [`ShellError::Rhai`] would carry it: the core's message,
    /// then where in the script (`(line 1, position 1)`) and in which function.
    pub message: String,
    /// The core's error, for its code and help.
    pub error: ShellError,
}

impl fmt::Display for RhaiCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rhai: {}", self.message)
    }
}

// No `source`: the message holds the core's own already, and a cause chain would say it twice.
impl std::error::Error for RhaiCore {}

impl Diagnostic for RhaiCore {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.unlocated().code()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.unlocated().help()
    }
}

/// A command error and the index of the argument it is about (counted from the first
/// argument after the command's name). Namespace and `limits` errors carry their own index
/// (`Ns { arg }`, `Limit { arg }`); every other command error is wrapped in this.
#[derive(Debug)]
pub struct AtArg {
    pub arg: usize,
    pub error: ShellError,
}

impl AtArg {
    /// The label under the argument: a usage error is "bad usage" as it is when it labels a
    /// whole command.
    pub fn label(&self) -> &'static str {
        match self.error {
            ShellError::Usage { .. } => "bad usage",
            _ => "this argument",
        }
    }
}

impl fmt::Display for AtArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for AtArg {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.source()
    }
}

impl Diagnostic for AtArg {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.code()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help()
    }
}

impl ShellError {
    /// A [`ShellError::Runtime`] with no help line.
    pub fn runtime(message: impl Into<String>) -> ShellError {
        ShellError::Runtime {
            message: message.into(),
            help: None,
        }
    }
    /// A [`ShellError::Failed`] of command `cmd`.
    pub fn failed(cmd: &str, message: impl Into<String>) -> ShellError {
        ShellError::Failed {
            cmd: cmd.to_string(),
            message: message.into(),
        }
    }
    /// A [`ShellError::Job`] of command `cmd`; an interrupted wait is [`ShellError::Interrupted`].
    pub fn job(cmd: &str, source: super::jobs::JobError) -> ShellError {
        if source == super::jobs::JobError::Interrupted {
            return ShellError::Interrupted;
        }
        ShellError::Job {
            cmd: cmd.to_string(),
            help: source.help(),
            source,
        }
    }
    /// A [`ShellError::Agent`] of command `cmd`.
    pub fn agent(cmd: &str, source: crate::agent::AgentError) -> ShellError {
        ShellError::Agent {
            cmd: cmd.to_string(),
            source,
        }
    }
    /// A [`ShellError::Ns`] of command `cmd`, pointing at no argument in particular.
    pub fn ns(cmd: &str, source: NsError) -> ShellError {
        ShellError::Ns {
            cmd: cmd.to_string(),
            source,
            arg: None,
        }
    }
    /// The same error pointing at argument `index` (counted from the first argument after
    /// the command's name), so the evaluator labels that argument. Any command error can be
    /// located (namespace, limits, usage, failure, task, Rhai); a later call moves the
    /// label. Control flow and errors located already (syntax, nested, budgets, the
    /// language's own) stay as they are.
    pub fn at_arg(self, index: usize) -> ShellError {
        match self {
            ShellError::Ns { cmd, source, .. } => ShellError::Ns {
                cmd,
                source,
                arg: Some(index),
            },
            ShellError::Limit { source, .. } => ShellError::Limit {
                source,
                arg: Some(index),
            },
            ShellError::AtArg(mut at) => {
                at.arg = index;
                ShellError::AtArg(at)
            }
            error @ (ShellError::Usage { .. }
            | ShellError::Failed { .. }
            | ShellError::Task { .. }
            | ShellError::Agent { .. }
            | ShellError::Job { .. }
            | ShellError::Rhai { .. }
            | ShellError::RhaiCore(_)) => ShellError::AtArg(Box::new(AtArg { arg: index, error })),
            other => other,
        }
    }
    /// The error without its argument's place (what a per-operand warning prints).
    pub fn unlocated(&self) -> &ShellError {
        match self {
            ShellError::AtArg(at) => &at.error,
            other => other,
        }
    }
    /// Control flow rather than a failure.
    pub fn is_control(&self) -> bool {
        matches!(self, ShellError::Exit(_) | ShellError::Return(_))
    }
    /// The `$status` a failure leaves behind: its one-line message.
    pub fn status(&self) -> Status {
        match self {
            ShellError::Exit(s) | ShellError::Return(s) => s.clone(),
            other => Status::failure(other.to_string()),
        }
    }
}

impl From<NsError> for ShellError {
    fn from(source: NsError) -> ShellError {
        ShellError::Ns {
            cmd: String::new(),
            source,
            arg: None,
        }
    }
}

/// The end of an unknown command's message: `; did you mean echo?`, or nothing.
fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!("; did you mean {name}?"),
        None => String::new(),
    }
}

/// A [`ShellError`] with the place in the source where it happened.
pub struct Located {
    /// The error.
    pub error: ShellError,
    /// The file, the span in it and the label to put under it; `None` for an error that
    /// happened outside any source (a command-line problem).
    pub source: Option<(Arc<SourceFile>, Span, String)>,
}

impl Located {
    /// An error with no place in the source.
    pub fn bare(error: ShellError) -> Located {
        Located {
            error,
            source: None,
        }
    }
    /// An error at `span` of `file`, labelled `label`.
    pub fn at(
        error: ShellError,
        file: Arc<SourceFile>,
        span: Span,
        label: impl Into<String>,
    ) -> Located {
        Located {
            error,
            source: Some((file, span, label.into())),
        }
    }
}

impl fmt::Debug for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}
impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}
impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.code()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error.help()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.source {
            Some((file, ..)) => Some(file.as_ref()),
            None => self.error.source_code(),
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match &self.source {
            Some((_, span, label)) => Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
                Some(label.clone()),
                miette::SourceSpan::from(*span),
            )))),
            None => self.error.labels(),
        }
    }
}
