//! Budgets of one guest run: wall-clock deadline, cancellation, fuel and a memory cap.
//!
//! Wasm code cannot be pre-empted by the host thread running it, so time is enforced by
//! *epoch interruption*: one [`Ticker`] thread per runtime bumps the engine's epoch every
//! [`TICK`] while at least one guest runs (it sleeps on a condition variable otherwise), and
//! each store's epoch callback asks its [`Budget`] whether to go on. Blocking host calls
//! (`poll_oneoff` sleeps) ask the same budget, so a sleeping guest stops on time too. Memory
//! is capped by a [`wasmtime::ResourceLimiter`] that turns growth past the cap into a trap.
//! Fuel is wasmtime's own. Every stop is a [`Stop`] error carried up through wasmtime and
//! downcast by the runtime into an [`super::Outcome`]. This module must never kill a thread
//! or touch anything outside the one store it limits.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use wasmtime::{Engine, ResourceLimiter};

use crate::proc::Control;

/// How often the ticker bumps the epoch while guests run: the granularity of deadlines and
/// of cancellation inside pure computation.
pub const TICK: Duration = Duration::from_millis(1);

/// Largest table a guest may grow (elements); tables hold function references, and a
/// command module needs a handful.
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// The budgets of one run; `None` is unlimited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time from the start of the run.
    pub deadline: Option<Duration>,
    /// Fuel units (about one per wasm instruction); needs a runtime with metering on.
    pub fuel: Option<u64>,
    /// Linear memory, in bytes (every memory of the instance counted together).
    pub memory: Option<usize>,
}

/// Why the host stopped a guest: the error a budget check returns into wasmtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Deadline(Duration),
    Killed,
    MemoryCap(usize),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Deadline(limit) => write!(f, "deadline of {limit:?} exceeded"),
            Stop::Killed => f.write_str("killed"),
            Stop::MemoryCap(cap) => write!(f, "memory cap of {cap} bytes exceeded"),
        }
    }
}

impl std::error::Error for Stop {}

/// The wall-clock side of a run's limits: its deadline, its cancel flag, and the shell
/// job it runs for (whose stop pauses it and whose interrupt kills it).
#[derive(Clone, Debug)]
pub struct Budget {
    deadline: Option<(Instant, Duration)>,
    cancel: Arc<AtomicBool>,
    job: Option<Arc<Control>>,
}

impl Budget {
    pub fn new(started: Instant, limit: Option<Duration>, cancel: Arc<AtomicBool>) -> Budget {
        Budget {
            deadline: limit.and_then(|limit| Some((started.checked_add(limit)?, limit))),
            cancel,
            job: None,
        }
    }

    /// This budget, obeying `job`'s stop and interrupt as well.
    pub fn of_job(self, job: Option<Arc<Control>>) -> Budget {
        Budget { job, ..self }
    }

    /// `Err` once the run is cancelled, its job interrupted, or past its deadline; waits
    /// here while its job is stopped (a paused guest does not run, as a stopped process).
    pub fn check(&self) -> Result<(), Stop> {
        if let Some(job) = &self.job {
            job.wait_while_stopped(&self.cancel);
            if job.is_interrupted() {
                return Err(Stop::Killed);
            }
        }
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Stop::Killed);
        }
        match self.deadline {
            Some((at, limit)) if Instant::now() >= at => Err(Stop::Deadline(limit)),
            _ => Ok(()),
        }
    }

    /// Sleeps until `until` (or for ever with `None`), waking every tick to check the
    /// budget: a guest sleeping in `poll_oneoff` is stopped as promptly as a computing one.
    pub fn sleep_until(&self, until: Option<Instant>) -> Result<(), Stop> {
        loop {
            self.check()?;
            let now = Instant::now();
            let mut nap = Duration::from_millis(10);
            if let Some(until) = until {
                if now >= until {
                    return Ok(());
                }
                nap = nap.min(until - now);
            }
            if let Some((at, _)) = self.deadline {
                nap = nap.min(at.saturating_duration_since(now));
            }
            std::thread::sleep(nap);
        }
    }
}

/// Caps a store's linear memory; growth past the cap traps with [`Stop::MemoryCap`].
#[derive(Debug, Default)]
pub struct MemoryLimiter {
    cap: Option<usize>,
    /// Bytes granted so far, over every memory of the store.
    granted: usize,
}

impl MemoryLimiter {
    pub fn new(cap: Option<usize>) -> MemoryLimiter {
        MemoryLimiter { cap, granted: 0 }
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if maximum.is_some_and(|max| desired > max) {
            return Ok(false);
        }
        let total = self.granted.saturating_sub(current).saturating_add(desired);
        if let Some(cap) = self.cap
            && total > cap
        {
            return Err(wasmtime::Error::new(Stop::MemoryCap(cap)));
        }
        self.granted = total;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS && maximum.is_none_or(|max| desired <= max))
    }
}

/// The epoch ticker of one engine: a thread that runs only while guests do.
pub struct Ticker {
    shared: Arc<TickerShared>,
}

struct TickerShared {
    /// How many guests are running now.
    running: Mutex<usize>,
    wake: Condvar,
    shutdown: AtomicBool,
}

impl TickerShared {
    fn running(&self) -> std::sync::MutexGuard<'_, usize> {
        // The counter is a plain number; a poisoned lock still holds a usable one.
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Held while one guest runs; dropping it lets the ticker sleep again.
pub struct Ticking {
    shared: Arc<TickerShared>,
}

impl Drop for Ticking {
    fn drop(&mut self) {
        let mut running = self.shared.running();
        *running = running.saturating_sub(1);
    }
}

impl Ticker {
    /// Starts the thread; it holds only a clone of the engine and ends when the ticker drops.
    pub fn start(engine: &Engine) -> std::io::Result<Ticker> {
        let shared = Arc::new(TickerShared {
            running: Mutex::new(0),
            wake: Condvar::new(),
            shutdown: AtomicBool::new(false),
        });
        let engine = engine.clone();
        let state = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("oash-wasi-epoch".into())
            .spawn(move || {
                loop {
                    {
                        let mut running = state.running();
                        while *running == 0 && !state.shutdown.load(Ordering::Relaxed) {
                            running = state.wake.wait(running).unwrap_or_else(|e| e.into_inner());
                        }
                    }
                    if state.shutdown.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::sleep(TICK);
                    engine.increment_epoch();
                }
            })?;
        Ok(Ticker { shared })
    }

    /// Marks one guest as running until the returned guard drops.
    pub fn enter(&self) -> Ticking {
        *self.shared.running() += 1;
        self.shared.wake.notify_one();
        Ticking {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::Relaxed);
        let _guard = self.shared.running();
        self.shared.wake.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_growth_past_the_cap_is_a_stop() {
        let mut limiter = MemoryLimiter::new(Some(2 << 16));
        assert!(limiter.memory_growing(0, 1 << 16, None).is_ok_and(|ok| ok));
        assert!(
            limiter
                .memory_growing(1 << 16, 2 << 16, None)
                .is_ok_and(|ok| ok)
        );
        let err = limiter
            .memory_growing(2 << 16, 3 << 16, None)
            .expect_err("past the cap");
        assert_eq!(err.downcast_ref::<Stop>(), Some(&Stop::MemoryCap(2 << 16)));
        // A module's own maximum is a plain refusal (memory.grow returns -1).
        assert!(limiter.memory_growing(0, 10, Some(5)).is_ok_and(|ok| !ok));
    }

    #[test]
    fn a_budget_stops_at_its_deadline_and_on_cancel() {
        let cancel = Arc::new(AtomicBool::new(false));
        let budget = Budget::new(
            Instant::now(),
            Some(Duration::from_millis(20)),
            Arc::clone(&cancel),
        );
        assert_eq!(budget.check(), Ok(()));
        let started = Instant::now();
        assert_eq!(
            budget.sleep_until(None),
            Err(Stop::Deadline(Duration::from_millis(20)))
        );
        assert!(started.elapsed() < Duration::from_millis(500));
        let budget = Budget::new(Instant::now(), None, Arc::clone(&cancel));
        cancel.store(true, Ordering::Relaxed);
        assert_eq!(budget.check(), Err(Stop::Killed));
    }
}
