//! The Rhai door (SPEC §8): Rhai code runs with limits, against the shell's own namespace,
//! through an API that calls the same core operations as the builtins ([`crate::nsops`]).
//!
//! [`engine`] makes and runs the engine (lazily, cached in the shell) and turns Rhai's errors
//! into [`crate::eval::ShellError::Rhai`] (or [`crate::eval::ShellError::RhaiCore`], keeping
//! a failed core's own code); [`api`] is the set of functions a script sees. The
//! `rhai` builtin ([`crate::builtins::rhai`]) is the shell's way in. A script never reaches
//! the host: files come from the namespace, output goes to the command's descriptors.

pub mod agents;
pub mod api;
pub mod engine;
pub mod func;
pub mod tasks;

pub use engine::{Engine, Script};

#[cfg(test)]
mod tests;
