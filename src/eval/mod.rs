//! The interpreter: runs a syntax tree over lists of words against the shell's namespace.

pub mod budget;
mod capture;
pub mod engines;
pub(crate) mod error;
pub mod exec;
pub mod foreground;
pub(crate) mod frame;
pub(crate) mod glob;

pub mod jobs;
pub(crate) mod names;
mod pipeline;
pub mod process;
pub(crate) mod program;
pub(crate) mod redirect;
pub mod shell;

pub mod vars;
pub(crate) mod words;

pub use crate::proc::{Buffer, Fd, Io, Status};
pub use engines::Engines;
pub use error::{Located, ShellError};
pub use process::Process;
pub use shell::Shell;
