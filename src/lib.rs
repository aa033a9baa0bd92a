//! oash: an rc-style agent shell over a Plan 9-style namespace of file services.
//!
//! # Layers
//!
//! The data path, from the bottom up. A module may import from the modules of its own layer
//! and of the layers listed before it, never of a later one; the modules of the doors layer
//! may not import one another (a door calls cores, never another door). `tests/layers.rs`
//! reads this list and checks every `use` and path of the library's own code against it
//! (test code may reach anything).
//!
//! 1. vocabulary: `proc`, `flags`, `units`, `wordlist`, `diag` — the words every layer
//!    speaks: descriptors and status, flag grammar, sizes, word lists, diagnostics.
//! 2. language: `lang` — source text to syntax tree, and quoting back.
//! 3. namespace: `ns` — the immutable mount table and the `FileService` trait.
//! 4. runtimes: `wasi`, `sched` — a guest's imports over a namespace; the job queue.
//! 5. tasks: `task`, `agent` — WASI guests on the scheduler; agents, their identities,
//!    envelopes and databases.
//! 6. services: `services` — the file servers (`mem`, `env`, `host`, ..., `/task`). The
//!    task files' ctl runs namespace verbs through a function the shell hands their root.
//! 7. shell: `eval`, `nsops` — the interpreter and the one core of each namespace verb.
//! 8. doors: `builtins`, `script` — the shell builtins and the Rhai API.
//! 9. front: `repl`, `harness` — the terminal and the test runner.
//!
//! Three edges break the rule, each the shell reaching a door by name, and no other may:
//! `eval` → `builtins` (a command word runs its builtin, as rc's `exec.c` calls its
//! builtins), `eval` → `script` (the engines a shell's forks share hold the Rhai engine,
//! made on first use), and `builtins` → `script` (the `rhai` builtin enters the Rhai door).
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

pub mod agent;
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
