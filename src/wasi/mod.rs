//! WASI tasks: running one WebAssembly command (WASI preview1) over a [`Namespace`].
//!
//! [`Namespace`]: crate::ns::Namespace
//! [`Namespace::open`]: crate::ns::Namespace::open
//! [`Namespace::readdir`]: crate::ns::Namespace::readdir
//! [`Fd`]: crate::proc::io::Fd
//!
//! A guest's file system *is* its task's namespace: `fopen("/tmp/x")` in a C program becomes
//! `path_open` on the preopened fd 3 (named `/`, the namespace root), and that becomes
//! [`Namespace::open`]; `opendir` pages through [`Namespace::readdir`]. Standard streams are
//! the shell's [`Fd`]s, so a guest in a pipeline streams like a builtin.
//!
//! ## The route: every preview1 import is ours
//! wasmtime-wasi's preview1 keeps its descriptors in a private table of host files with no
//! hook for a virtual file system, and wasi-libc calls `fd_fdstat_get`, `fd_prestat_*`,
//! `path_open` and `poll_oneoff` across stdio, preopens and files as one numbering. So
//! shadowing only its file functions would still leave every `fd_*`, `path_*` and
//! `poll_oneoff` to us, with two tables to keep in step. Instead all 46 imports of
//! `wasi_snapshot_preview1` are defined here ([`preview1`]) over one `fdtable::FdTable`:
//! a guest can name only fds that table gave it. wasmtime-wasi is used only by a test,
//! to check our import names and signatures against its linker.
//!
//! ## Files
//! - `runtime`: [`Runtime`] (lazy engine, linker, cache, ticker) and [`Runtime::run`];
//! - `program`: [`Program`], a linked module (`InstancePre`) run many times;
//! - `cache`: compiled modules in memory and on disk, keyed by hash and engine;
//! - [`preview1`]: the imports (`fs`: moving bytes through fds, `meta`: describing and
//!   resizing them and listing directories, `path`: `path_*`, `process`: the rest);
//! - `fdtable`, `memory` (bounds-checked guest memory), `errno` (`NsError` → errno);
//! - `limits`: deadline and cancel (epoch interruption), fuel, memory cap;
//! - `outcome`: how a run ended, as a message and an rc `$status`.
//!
//! ## Semantics worth knowing
//! - Paths: `..` is lexical and stops at `/` (Plan 9), so a guest cannot name anything
//!   outside its namespace; an absolute path given to `path_open` is `ENOTCAPABLE`.
//! - The working directory: wasi-libc keeps its own, starting at `/`, and resolves relative
//!   names itself before calling the host, so the task's cwd reaches the guest as `PWD` in
//!   its environment (a guest may `chdir(getenv("PWD"))`); fds opened under a directory fd
//!   resolve relative to that directory.
//! - Standard streams are character devices without seek rights: wasi-libc line-buffers
//!   stdout, which is what streaming pipelines need.
//! - Not offered, with a clean errno: links and symlinks, settable times (`ENOTSUP`),
//!   non-blocking fds (`ENOTSUP`), signals (`proc_raise`: `ENOTSUP`), sockets (`ENOTSOCK`).
//! - Deadline and cancel are checked at every epoch tick inside wasm code and throughout
//!   `poll_oneoff` sleeps, but not inside a blocking read: a guest blocked reading its stdin
//!   stops when the read returns.
//!
//! ```no_run
//! use std::sync::Arc;
//! use oash::ns::Namespace;
//! use oash::services::mem::MemService;
//! use oash::wasi::{Runtime, RuntimeConfig, TaskSpec};
//!
//! let runtime = Runtime::new(RuntimeConfig::default());
//! let program = runtime.load(br#"(module (func (export "_start")) (memory (export "memory") 1))"#)?;
//! let ns = Namespace::new(Arc::new(MemService::new()));
//! let outcome = runtime.run(&program, TaskSpec::new(ns));
//! assert!(outcome.is_success());
//! # Ok::<(), oash::wasi::LoadError>(())
//! ```

pub(crate) mod cache;
pub(crate) mod errno;
pub(crate) mod fdtable;
pub(crate) mod limits;
pub(crate) mod memory;
pub(crate) mod outcome;
pub mod preview1;
pub(crate) mod program;
pub(crate) mod runtime;

pub use errno::Errno;
pub use limits::Limits;
pub use outcome::{LoadError, Outcome};
pub use program::Program;
pub use runtime::{Runtime, RuntimeConfig, TaskSpec};
