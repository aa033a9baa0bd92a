//! How a guest run ended ([`Outcome`]) and why a module could not be loaded ([`LoadError`]),
//! each with the human message a shell prints and the rc-style [`Status`] it becomes.
//!
//! This module must never decide anything about a run; it only names and renders endings.

use std::fmt;
use std::time::Duration;

use miette::Diagnostic;
use thiserror::Error;

use crate::ns::NsError;
use crate::proc::status::Status;

/// Why a program could not be made ready to run.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum LoadError {
    /// The module file could not be read.
    #[error("{path}: cannot read module: {source}")]
    #[diagnostic(code(oash::wasi::read))]
    Read {
        /// The module's path.
        path: String,
        /// The namespace's error.
        source: NsError,
    },
    /// The module is larger than a task may load.
    #[error("{path}: module too large ({size} bytes; at most {limit})")]
    #[diagnostic(code(oash::wasi::too_large))]
    TooLarge {
        /// The module's path.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The most a module may be.
        limit: u64,
    },
    /// The bytes are not a valid module (wasmtime's message).
    #[error("not a valid WebAssembly module: {0}")]
    #[diagnostic(code(oash::wasi::compile))]
    Compile(String),
    #[error("module imports what oash does not provide: {0}")]
    #[diagnostic(
        code(oash::wasi::link),
        help("oash runs WASI preview1 command modules (wasm32-wasi / wasm32-wasip1)")
    )]
    /// It imports functions oash does not define.
    Link(String),
    #[error("not a WASI command: {0}")]
    #[diagnostic(
        code(oash::wasi::not_command),
        help("a command module exports `_start: () -> ()`")
    )]
    /// It has no `_start` of the right type.
    NotCommand(String),
    /// The engine itself could not be made (out of memory, a bad configuration).
    #[error("the WebAssembly engine could not start: {0}")]
    #[diagnostic(code(oash::wasi::engine))]
    Engine(String),
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `proc_exit(code)`, or `_start` returning (code 0).
    Exited(i32),
    /// The guest trapped; the message names the trap and where.
    Trapped(String),
    /// The cancel flag was set.
    Killed,
    /// The wall-clock budget ran out.
    DeadlineExceeded(Duration),
    /// The fuel budget ran out.
    FuelExhausted(u64),
    /// Linear memory would have grown past the cap (bytes).
    MemoryCap(usize),
    /// The run never started: the program or the runtime was not usable.
    LoadError(LoadError),
    /// Instantiating failed for a reason of the host (say, no free instance slot).
    Failed(String),
}

impl Outcome {
    /// Whether the guest exited with status 0.
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Exited(0))
    }

    /// The exit code, when the guest chose one.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            Outcome::Exited(code) => Some(*code),
            _ => None,
        }
    }

    /// `$status`, rc-style: empty for exit 0, the number for another exit code, and the
    /// message for every other ending.
    pub fn status(&self) -> Status {
        match self {
            Outcome::Exited(code) => Status::code(i64::from(*code)),
            other => Status::failure(other.to_string()),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Exited(code) => write!(f, "exit {code}"),
            Outcome::Trapped(message) => write!(f, "trap: {message}"),
            Outcome::Killed => f.write_str("killed"),
            Outcome::DeadlineExceeded(limit) => write!(f, "deadline exceeded ({limit:?})"),
            Outcome::FuelExhausted(fuel) => write!(f, "fuel exhausted ({fuel} units)"),
            Outcome::MemoryCap(cap) => write!(f, "memory cap exceeded ({cap} bytes)"),
            Outcome::LoadError(err) => write!(f, "{err}"),
            Outcome::Failed(message) => write!(f, "cannot start: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_become_rc_statuses() {
        assert!(Outcome::Exited(0).status().is_ok());
        assert_eq!(Outcome::Exited(3).status().as_str(), "3");
        assert_eq!(
            Outcome::Trapped("wasm `unreachable` instruction executed".into())
                .status()
                .as_str(),
            "trap: wasm `unreachable` instruction executed"
        );
        assert_eq!(Outcome::Killed.status().as_str(), "killed");
        assert_eq!(
            Outcome::MemoryCap(1 << 20).status().as_str(),
            "memory cap exceeded (1048576 bytes)"
        );
    }
}
