//! What every layer that runs a process shares: its descriptors ([`Fd`], [`Io`]), the
//! status it leaves ([`Status`]), its environment group ([`env::EnvGroup`]), its job's
//! [`Control`] (interrupt and stop) and the terminal it may read
//! ([`terminal::TerminalInput`], whose reads Ctrl-C ends).
//!
//! The interpreter, the task core, the scheduler, the WASI runtime and the file services all
//! speak of these; keeping them here, at the bottom, lets each of those import the words
//! without importing the interpreter. This module depends on nothing in the crate but the
//! word lists, and must never grow behaviour of its own beyond these types.

pub mod control;
pub mod env;
pub mod io;
pub mod status;
pub mod terminal;

pub use control::Control;
pub use io::{Buffer, Fd, Io};
pub use status::Status;
