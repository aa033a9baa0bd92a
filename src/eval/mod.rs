//! The interpreter: runs a syntax tree over lists of words against the shell's namespace.

pub mod error;
pub mod io;
pub mod shell;
pub mod status;

pub use error::{Located, ShellError};
pub use io::{Buffer, Fd, Io};
pub use shell::Shell;
pub use status::Status;
