//! The interpreter: runs a syntax tree over lists of words against the shell's namespace.

pub mod budget;
mod capture;
pub mod error;
pub mod exec;
pub mod glob;
pub mod io;
pub mod jobs;
mod pipeline;
pub mod program;
pub mod redirect;
pub mod shell;
pub mod status;
pub mod vars;
pub mod words;

pub use error::{Located, ShellError};
pub use io::{Buffer, Fd, Io};
pub use shell::Shell;
pub use status::Status;
