//! The process-shaped imports: args, environ, clocks, random, `poll_oneoff`, exit, signals,
//! yielding and the socket calls.
//!
//! `poll_oneoff` is the one blocking import here: clock subscriptions sleep through
//! [`Budget::sleep_until`](crate::wasi::limits::Budget::sleep_until), so a sleeping guest
//! still meets its deadline and its cancel flag; fd subscriptions are reported ready at
//! once (every descriptor here is a blocking stream or a file, and readiness would only be
//! a guess). No descriptor is ever a socket, so the `sock_*` calls check the fd and answer
//! `ENOTSOCK`. `proc_exit` is not here: it is a trap, registered beside the linker table.
//! This module must never block without asking the budget, nor panic on any subscription.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Answer, Task};
use crate::wasi::errno::Errno;
use crate::wasi::memory::GuestMemory;

const CLOCK_REALTIME: u32 = 0;
const CLOCK_MONOTONIC: u32 = 1;
const CLOCK_PROCESS_CPUTIME: u32 = 2;
const CLOCK_THREAD_CPUTIME: u32 = 3;

/// Bytes of one subscription and one event.
const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;
/// `subclockflags::subscription_clock_abstime`.
const ABSTIME: u16 = 1;

/// Writes a list of NUL-terminated strings the way `args_get`/`environ_get` do: pointers
/// at `table`, bytes at `buf`.
fn write_strings(mem: &mut GuestMemory, strings: &[Vec<u8>], table: u32, buf: u32) -> Answer {
    let mut at = buf;
    for (index, string) in strings.iter().enumerate() {
        let slot = u32::try_from(index)
            .ok()
            .and_then(|i| i.checked_mul(4))
            .and_then(|offset| table.checked_add(offset))
            .ok_or(Errno::Fault)?;
        mem.write_u32(slot, at)?;
        mem.write_bytes(at, string)?;
        let len = u32::try_from(string.len()).map_err(|_| Errno::Fault)?;
        at = at.checked_add(len).ok_or(Errno::Fault)?;
    }
    Ok(())
}

fn write_sizes(mem: &mut GuestMemory, strings: &[Vec<u8>], count: u32, size: u32) -> Answer {
    let total: usize = strings.iter().map(Vec::len).sum();
    let count_value = u32::try_from(strings.len()).map_err(|_| Errno::TooBig)?;
    let size_value = u32::try_from(total).map_err(|_| Errno::TooBig)?;
    mem.slice(count, 4)?;
    mem.slice(size, 4)?;
    mem.write_u32(count, count_value)?;
    mem.write_u32(size, size_value)?;
    Ok(())
}

pub fn args_get(mem: &mut GuestMemory, task: &mut Task, argv: u32, argv_buf: u32) -> Answer {
    write_strings(mem, &task.args, argv, argv_buf)
}

pub fn args_sizes_get(mem: &mut GuestMemory, task: &mut Task, count: u32, buf_size: u32) -> Answer {
    write_sizes(mem, &task.args, count, buf_size)
}

pub fn environ_get(
    mem: &mut GuestMemory,
    task: &mut Task,
    environ: u32,
    environ_buf: u32,
) -> Answer {
    write_strings(mem, &task.env, environ, environ_buf)
}

pub fn environ_sizes_get(
    mem: &mut GuestMemory,
    task: &mut Task,
    count: u32,
    buf_size: u32,
) -> Answer {
    write_sizes(mem, &task.env, count, buf_size)
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// The current value of clock `id`, in nanoseconds. The CPU-time clocks count wall time
/// since the run started: a guest runs on one thread, and the host keeps no CPU accounting.
fn now(task: &Task, id: u32) -> Result<u64, Errno> {
    match id {
        CLOCK_REALTIME => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, nanos)),
        CLOCK_MONOTONIC => Ok(nanos(task.clock_base.elapsed())),
        CLOCK_PROCESS_CPUTIME | CLOCK_THREAD_CPUTIME => Ok(nanos(task.started.elapsed())),
        _ => Err(Errno::Inval),
    }
}

pub fn clock_res_get(mem: &mut GuestMemory, task: &mut Task, id: u32, resolution: u32) -> Answer {
    now(task, id)?;
    mem.write_u64(resolution, 1_000)?;
    Ok(())
}

pub fn clock_time_get(
    mem: &mut GuestMemory,
    task: &mut Task,
    id: u32,
    _precision: u64,
    time: u32,
) -> Answer {
    let value = now(task, id)?;
    mem.write_u64(time, value)?;
    Ok(())
}

pub fn random_get(mem: &mut GuestMemory, _task: &mut Task, buf: u32, buf_len: u32) -> Answer {
    getrandom::fill(mem.slice_mut(buf, buf_len)?).map_err(|_| Errno::Io)?;
    Ok(())
}

/// One parsed subscription.
enum Wait {
    /// A clock firing after this long (already converted from an absolute time).
    Clock(Duration),
    /// An fd subscription: ready now, with this errno (0 when the fd is valid).
    Fd { kind: u8, error: u16 },
    /// A clock subscription naming an unknown clock.
    BadClock,
}

fn parse(task: &mut Task, sub: &[u8]) -> Result<Wait, Errno> {
    let u64_at = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&sub[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let u32_at = |at: usize| u32::from_le_bytes([sub[at], sub[at + 1], sub[at + 2], sub[at + 3]]);
    match sub[8] {
        0 => {
            let (id, timeout) = (u32_at(16), u64_at(24));
            let flags = u16::from_le_bytes([sub[40], sub[41]]);
            let Ok(current) = now(task, id) else {
                return Ok(Wait::BadClock);
            };
            let wait = if flags & ABSTIME != 0 {
                timeout.saturating_sub(current)
            } else {
                timeout
            };
            Ok(Wait::Clock(Duration::from_nanos(wait)))
        }
        kind @ (1 | 2) => {
            let error = match task.fds.get(u32_at(16)) {
                Ok(_) => 0,
                Err(errno) => errno as u16,
            };
            Ok(Wait::Fd { kind, error })
        }
        _ => Err(Errno::Inval),
    }
}

pub fn poll_oneoff(
    mem: &mut GuestMemory,
    task: &mut Task,
    subscriptions: u32,
    events: u32,
    count: u32,
    nevents: u32,
) -> Answer {
    if count == 0 {
        return Err(Errno::Inval.into());
    }
    let in_len = count.checked_mul(SUBSCRIPTION_SIZE).ok_or(Errno::Fault)?;
    let out_len = count.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?;
    mem.slice(events, out_len)?;
    mem.slice(nevents, 4)?;
    let subs: Vec<(u64, Wait)> = mem
        .slice(subscriptions, in_len)?
        .chunks_exact(SUBSCRIPTION_SIZE as usize)
        .map(|sub| {
            let mut userdata = [0u8; 8];
            userdata.copy_from_slice(&sub[..8]);
            Ok((u64::from_le_bytes(userdata), parse(task, sub)?))
        })
        .collect::<Result<_, Errno>>()?;
    let started = Instant::now();
    let ready_now = subs
        .iter()
        .any(|(_, wait)| !matches!(wait, Wait::Clock(after) if !after.is_zero()));
    if !ready_now {
        let earliest = subs
            .iter()
            .filter_map(|(_, wait)| match wait {
                Wait::Clock(after) => Some(*after),
                _ => None,
            })
            .min()
            .unwrap_or_default();
        task.budget.sleep_until(started.checked_add(earliest))?;
    }
    let elapsed = started.elapsed();
    let mut written = 0u32;
    for (userdata, wait) in subs {
        let (kind, error) = match wait {
            Wait::Clock(after) if after <= elapsed => (0u8, 0u16),
            Wait::Clock(_) => continue,
            Wait::BadClock => (0, Errno::Inval as u16),
            Wait::Fd { kind, error } => (kind, error),
        };
        let mut event = [0u8; EVENT_SIZE as usize];
        event[..8].copy_from_slice(&userdata.to_le_bytes());
        event[8..10].copy_from_slice(&error.to_le_bytes());
        event[10] = kind;
        let slot = events
            .checked_add(written * EVENT_SIZE)
            .ok_or(Errno::Fault)?;
        mem.write_bytes(slot, &event)?;
        written += 1;
    }
    mem.write_u32(nevents, written)?;
    Ok(())
}

/// Signals are not delivered to guests; a guest that wants to end uses `proc_exit`.
pub fn proc_raise(_mem: &mut GuestMemory, _task: &mut Task, _signal: u32) -> Answer {
    Err(Errno::NotSup.into())
}

pub fn sched_yield(_mem: &mut GuestMemory, task: &mut Task) -> Answer {
    task.budget.check()?;
    std::thread::yield_now();
    Ok(())
}

fn not_a_socket(task: &mut Task, fd: u32) -> Answer {
    task.fds.get(fd)?;
    Err(Errno::NotSock.into())
}

pub fn sock_accept(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _flags: u32,
    _accepted: u32,
) -> Answer {
    not_a_socket(task, fd)
}

pub fn sock_recv(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _data: u32,
    _data_len: u32,
    _flags: u32,
    _received: u32,
    _out_flags: u32,
) -> Answer {
    not_a_socket(task, fd)
}

pub fn sock_send(
    _mem: &mut GuestMemory,
    task: &mut Task,
    fd: u32,
    _data: u32,
    _data_len: u32,
    _flags: u32,
    _sent: u32,
) -> Answer {
    not_a_socket(task, fd)
}

pub fn sock_shutdown(_mem: &mut GuestMemory, task: &mut Task, fd: u32, _how: u32) -> Answer {
    not_a_socket(task, fd)
}
