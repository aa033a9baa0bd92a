//! oash: an rc-style agent shell over a Plan 9-style namespace of file services.
//!
//! The data path is the module order: source text → [`lang`] (lexer, parser, syntax tree) →
//! [`eval`] (interpreter) → [`builtins`] → [`ns`] (namespace, `FileService`) → [`services`].
//! [`script`] is the Rhai door, [`diag`] renders errors.

pub(crate) mod builtins;
pub mod diag;
pub mod eval;
pub mod harness;
pub mod lang;
pub mod ns;
pub mod nsops;
pub mod repl;
pub mod sched;
pub(crate) mod script;
pub mod services;
pub mod task;
pub(crate) mod units;
pub mod wasi;
pub(crate) mod wordlist;
