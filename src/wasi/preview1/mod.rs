//! The `wasi_snapshot_preview1` imports: all 46 of them, ours, over one `FdTable`.
//!
//! [`add_to_linker`] registers every import with `Linker::func_wrap`. Each import is a plain
//! function of the guest's memory (`GuestMemory`, bounds-checked) and the run's host state
//! ([`Task`]), returning `Ok(())` (errno 0), an [`Errno`], or a [`Fail::Trap`] that ends the
//! run (`proc_exit`, a budget `Stop`). Signatures follow the preview1 witx, with every
//! pointer and size taken as `u32` and every 64-bit value as `u64`, so no guest value is
//! ever sign-extended into an index. The functions live by family: `fs` (fds moving bytes),
//! `meta` (describing and resizing fds, listing directories), `path` (`path_*`) and
//! `process` (args, environ, clocks, random, poll, sockets).
//! This module must never let a guest-controlled value reach an `unwrap`, an unchecked
//! index, or the host file system.

// The imports take the witx's parameters one for one, so their arity is not ours to choose.
#[allow(clippy::too_many_arguments)]
mod fs;
#[allow(clippy::too_many_arguments)]
mod meta;
#[allow(clippy::too_many_arguments)]
mod path;
#[allow(clippy::too_many_arguments)]
mod process;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use wasmtime::{Caller, Extern, Linker, Memory};

use super::errno::Errno;
use super::fdtable::FdTable;
use super::limits::{Budget, MemoryLimiter, Stop};
use super::memory::GuestMemory;
use crate::ns::Namespace;
use crate::proc::io::Fd;

/// The import module name of preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// The host state of one guest run: what its imports can reach, and nothing else.
pub struct Task {
    pub(crate) fds: FdTable,
    /// `argv`, each NUL-terminated as `args_get` hands it over.
    args: Vec<Vec<u8>>,
    /// `KEY=value` strings, NUL-terminated.
    env: Vec<Vec<u8>>,
    pub(crate) ns: Namespace,
    pub(crate) budget: Budget,
    pub(crate) limiter: MemoryLimiter,
    /// Zero of `CLOCK_MONOTONIC`, shared by every run of one runtime.
    clock_base: Instant,
    /// Zero of the CPU-time clocks: the start of this run.
    started: Instant,
    /// The guest's exported memory, once instantiated.
    pub(crate) memory: Option<Memory>,
}

/// Everything a run starts with, in the form the imports use.
pub struct TaskParts {
    /// `argv`, `argv[0]` included.
    pub args: Vec<String>,
    /// The environment, `NAME=value` pairs.
    pub env: Vec<(String, String)>,
    /// The namespace the guest sees as its file system.
    pub ns: Namespace,
    /// Descriptor 0.
    pub stdin: Fd,
    /// Descriptor 1.
    pub stdout: Fd,
    /// Descriptor 2.
    pub stderr: Fd,
    /// The fuel, memory and time the run may spend.
    pub budget: Budget,
    /// The most linear memory the guest may grow to, in bytes.
    pub memory_cap: Option<usize>,
    /// The instant the monotonic clock counts from (the task's start).
    pub clock_base: Instant,
}

fn nul_terminated(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len() + 1);
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(0);
    bytes
}

impl Task {
    /// The per-run state the imports work on.
    pub fn new(parts: TaskParts) -> Task {
        Task {
            fds: FdTable::new(parts.stdin, parts.stdout, parts.stderr),
            args: parts.args.iter().map(|a| nul_terminated(a)).collect(),
            env: parts
                .env
                .iter()
                .map(|(key, value)| nul_terminated(&format!("{key}={value}")))
                .collect(),
            ns: parts.ns,
            budget: parts.budget,
            limiter: MemoryLimiter::new(parts.memory_cap),
            clock_base: parts.clock_base,
            started: Instant::now(),
            memory: None,
        }
    }

    /// A task with nothing: for building a linker or checking signatures.
    pub fn empty(ns: Namespace) -> Task {
        Task::new(TaskParts {
            args: Vec::new(),
            env: Vec::new(),
            ns,
            stdin: Fd::Closed,
            stdout: Fd::Closed,
            stderr: Fd::Closed,
            budget: Budget::new(Instant::now(), None, Arc::new(AtomicBool::new(false))),
            memory_cap: None,
            clock_base: Instant::now(),
        })
    }
}

/// `proc_exit`: carried out of wasmtime as an error and read back as the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exit(pub i32);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Exit {}

/// How an import fails: an errno for the guest, or a trap that ends the run.
pub enum Fail {
    /// An error the call returns to the guest.
    Errno(Errno),
    /// A trap: the run ends (an exit, a kill, a budget).
    Trap(wasmtime::Error),
}

impl From<Errno> for Fail {
    fn from(errno: Errno) -> Fail {
        Fail::Errno(errno)
    }
}

impl From<Stop> for Fail {
    fn from(stop: Stop) -> Fail {
        Fail::Trap(wasmtime::Error::new(stop))
    }
}

impl From<crate::ns::NsError> for Fail {
    fn from(err: crate::ns::NsError) -> Fail {
        Fail::Errno(Errno::from(&err))
    }
}

/// What an import returns: success, an errno, or a trap.
pub type Answer = Result<(), Fail>;

/// Runs one import over the guest's memory and the task. A guest without an exported
/// memory gets an empty one: every pointer it passes is then `EFAULT`.
fn dispatch(
    caller: &mut Caller<'_, Task>,
    import: impl FnOnce(&mut GuestMemory<'_>, &mut Task) -> Answer,
) -> wasmtime::Result<i32> {
    let memory = match caller.data().memory {
        Some(memory) => Some(memory),
        None => match caller.get_export("memory") {
            Some(Extern::Memory(memory)) => Some(memory),
            _ => None,
        },
    };
    let answer = match memory {
        Some(memory) => {
            let (bytes, task) = memory.data_and_store_mut(caller);
            import(&mut GuestMemory::new(bytes), task)
        }
        None => import(&mut GuestMemory::new(&mut []), caller.data_mut()),
    };
    match answer {
        Ok(()) => Ok(0),
        Err(Fail::Errno(errno)) => Ok(errno.code()),
        Err(Fail::Trap(error)) => Err(error),
    }
}

/// Defines one import per line: its witx name, the function implementing it and its
/// parameters (after the memory and the task).
macro_rules! imports {
    ($linker:ident; $($name:literal => $func:path [$($arg:ident: $ty:ty),*];)*) => {
        $(
            $linker.func_wrap(
                MODULE,
                $name,
                |mut caller: Caller<'_, Task>, $($arg: $ty),*| -> wasmtime::Result<i32> {
                    dispatch(&mut caller, |mem, task| $func(mem, task, $($arg),*))
                },
            )?;
        )*
    };
}

/// Registers every preview1 import on `linker`.
pub fn add_to_linker(linker: &mut Linker<Task>) -> wasmtime::Result<()> {
    imports! { linker;
        "args_get" => process::args_get[argv: u32, argv_buf: u32];
        "args_sizes_get" => process::args_sizes_get[argc: u32, buf_size: u32];
        "environ_get" => process::environ_get[environ: u32, environ_buf: u32];
        "environ_sizes_get" => process::environ_sizes_get[count: u32, buf_size: u32];
        "clock_res_get" => process::clock_res_get[id: u32, resolution: u32];
        "clock_time_get" => process::clock_time_get[id: u32, precision: u64, time: u32];
        "fd_advise" => fs::fd_advise[fd: u32, offset: u64, len: u64, advice: u32];
        "fd_allocate" => meta::fd_allocate[fd: u32, offset: u64, len: u64];
        "fd_close" => fs::fd_close[fd: u32];
        "fd_datasync" => fs::fd_sync[fd: u32];
        "fd_fdstat_get" => meta::fd_fdstat_get[fd: u32, stat: u32];
        "fd_fdstat_set_flags" => meta::fd_fdstat_set_flags[fd: u32, flags: u32];
        "fd_fdstat_set_rights" => meta::fd_fdstat_set_rights[fd: u32, base: u64, inheriting: u64];
        "fd_filestat_get" => meta::fd_filestat_get[fd: u32, stat: u32];
        "fd_filestat_set_size" => meta::fd_filestat_set_size[fd: u32, size: u64];
        "fd_filestat_set_times" => meta::fd_filestat_set_times[fd: u32, atim: u64, mtim: u64, flags: u32];
        "fd_pread" => fs::fd_pread[fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32];
        "fd_prestat_get" => meta::fd_prestat_get[fd: u32, prestat: u32];
        "fd_prestat_dir_name" => meta::fd_prestat_dir_name[fd: u32, path: u32, path_len: u32];
        "fd_pwrite" => fs::fd_pwrite[fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32];
        "fd_read" => fs::fd_read[fd: u32, iovs: u32, iovs_len: u32, nread: u32];
        "fd_readdir" => meta::fd_readdir[fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused: u32];
        "fd_renumber" => fs::fd_renumber[fd: u32, to: u32];
        "fd_seek" => fs::fd_seek[fd: u32, offset: u64, whence: u32, new_offset: u32];
        "fd_sync" => fs::fd_sync[fd: u32];
        "fd_tell" => fs::fd_tell[fd: u32, offset: u32];
        "fd_write" => fs::fd_write[fd: u32, iovs: u32, iovs_len: u32, nwritten: u32];
        "path_create_directory" => path::path_create_directory[fd: u32, path: u32, path_len: u32];
        "path_filestat_get" => path::path_filestat_get[fd: u32, flags: u32, path: u32, path_len: u32, stat: u32];
        "path_filestat_set_times" => path::path_filestat_set_times[fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32];
        "path_link" => path::path_link[old_fd: u32, old_flags: u32, old_path: u32, old_len: u32, new_fd: u32, new_path: u32, new_len: u32];
        "path_open" => path::path_open[fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, base: u64, inheriting: u64, fdflags: u32, opened: u32];
        "path_readlink" => path::path_readlink[fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused: u32];
        "path_remove_directory" => path::path_remove_directory[fd: u32, path: u32, path_len: u32];
        "path_rename" => path::path_rename[fd: u32, old_path: u32, old_len: u32, new_fd: u32, new_path: u32, new_len: u32];
        "path_symlink" => path::path_symlink[old_path: u32, old_len: u32, fd: u32, new_path: u32, new_len: u32];
        "path_unlink_file" => path::path_unlink_file[fd: u32, path: u32, path_len: u32];
        "poll_oneoff" => process::poll_oneoff[subscriptions: u32, events: u32, count: u32, nevents: u32];
        "proc_raise" => process::proc_raise[signal: u32];
        "sched_yield" => process::sched_yield[];
        "random_get" => process::random_get[buf: u32, buf_len: u32];
        "sock_accept" => process::sock_accept[fd: u32, flags: u32, accepted: u32];
        "sock_recv" => process::sock_recv[fd: u32, data: u32, data_len: u32, flags: u32, received: u32, out_flags: u32];
        "sock_send" => process::sock_send[fd: u32, data: u32, data_len: u32, flags: u32, sent: u32];
        "sock_shutdown" => process::sock_shutdown[fd: u32, how: u32];
    }
    // The one import without a result: it never returns to the guest.
    linker.func_wrap(MODULE, "proc_exit", |code: u32| -> wasmtime::Result<()> {
        Err(wasmtime::Error::new(Exit(code as i32)))
    })?;
    Ok(())
}
