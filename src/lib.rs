//! oash: an rc-style agent shell over a Plan 9-style namespace of file services.
//!
//! The data path is the module order: source text → [`lang`] (lexer, parser, syntax tree) →
//! [`eval`] (interpreter) → `builtins` → [`ns`] (namespace, `FileService`) → [`services`].
//! `script` is the Rhai door, [`diag`] renders errors.
//!
//! # The public surface
//!
//! What is `pub` is what the `oash` binary, the integration tests, the benches and the fuzz
//! targets use (each is a crate of its own, so it sees only this), and what an embedder needs
//! to run scripts over a namespace of their own: [`eval::Shell`] with [`eval::Io`] and
//! [`eval::Status`]; [`lang::parse`] and its syntax tree; [`ns::Namespace`], the
//! [`ns::FileService`] trait and the [`services`] to build one; [`nsops`], the namespace
//! operations the builtins and the Rhai door share; [`task`], [`sched`] and [`wasi`] to run
//! WASI programs; [`diag`] to render errors; [`harness`] for `oash test`; and [`repl::run`].
//! Everything else is `pub(crate)`: the builtins (reached by name, through a shell), the Rhai
//! engine (through the `rhai` builtin), the word lists behind variables, and the inner
//! modules of the public ones, whose types are re-exported where they belong. Every public
//! item is documented (`missing_docs` in Cargo.toml, denied in CI); `cargo doc` shows the
//! surface as an embedder sees it.

pub(crate) mod builtins;
pub mod diag;
pub mod eval;
pub(crate) mod flags;
pub mod harness;
pub mod lang;
pub mod ns;
pub mod nsops;
pub mod proc;
pub mod repl;
pub mod sched;
pub(crate) mod script;
pub mod services;
pub mod task;
pub(crate) mod units;
pub mod wasi;
pub(crate) mod wordlist;
