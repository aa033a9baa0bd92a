//! Running one test under a time limit: the test runs on its own thread; when the limit
//! passes, its shell is interrupted (as Ctrl-C would: the `interrupt` flag, and its
//! foreground guests killed) and the run goes on to the next test.
//!
//! A test that ignores the interrupt cannot be stopped from outside its thread (Rust has no
//! way to kill a thread), so after a short grace it is abandoned: its thread keeps running,
//! detached, until the process ends, and nothing waits for it. Its output goes to its own
//! buffers, so it cannot garble the report. This module must never block past the limit
//! plus [`GRACE`].

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::eval::exec::STACK_SIZE;
use crate::eval::shell::Interrupter;

/// How long an interrupted test gets to stop before it is abandoned.
pub const GRACE: Duration = Duration::from_secs(2);

/// How a test run under a limit ended.
#[derive(Debug)]
pub enum Ended<T> {
    Done(T),
    /// It ran past the limit (and was interrupted, or abandoned).
    TimedOut,
    /// It panicked (the panic hook has printed its line); the panic's message.
    Panicked(String),
    /// No thread could be started for it.
    NotStarted(String),
}

/// Runs `job` on a new thread with the stack the shell's own threads get, for at most
/// `limit` (`None`: no limit). `job` is given a function to hand over the interrupter of the
/// shell it makes, so the limit can stop it.
pub fn run<T, F>(limit: Option<Duration>, job: F) -> Ended<T>
where
    T: Send + 'static,
    F: FnOnce(&dyn Fn(Interrupter)) -> T + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<Interrupter>();
    let spawned = std::thread::Builder::new()
        .name("oash-test".into())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let register = move |i: Interrupter| {
                let _ = stop_tx.send(i);
            };
            let value = job(&register);
            let _ = done_tx.send(value);
        });
    let handle = match spawned {
        Ok(h) => h,
        Err(e) => return Ended::NotStarted(e.to_string()),
    };
    let first = match limit {
        Some(limit) => done_rx.recv_timeout(limit),
        None => done_rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
    };
    match first {
        Ok(value) => {
            let _ = handle.join();
            Ended::Done(value)
        }
        Err(RecvTimeoutError::Disconnected) => match handle.join() {
            Err(payload) => Ended::Panicked(panic_message(payload.as_ref())),
            Ok(()) => Ended::Panicked("the test ended without a result".to_string()),
        },
        Err(RecvTimeoutError::Timeout) => {
            for interrupter in stop_rx.try_iter() {
                interrupter.fire();
            }
            // Wait a little for it to stop, so it does not hold a core while the next test
            // runs; if it does not, it is abandoned (see the module docs).
            if done_rx.recv_timeout(GRACE).is_ok() {
                let _ = handle.join();
            }
            Ended::TimedOut
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// A duration as `oash test` shows it: `10s`, `1.5s`, `250ms`, `2m`.
pub fn show(d: Duration) -> String {
    let ms = d.as_millis();
    if ms >= 60_000 && ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms >= 1000 && ms.is_multiple_of(100) {
        format!("{}s", d.as_secs_f64())
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::run_script_with;

    #[test]
    fn durations_show_as_written() {
        assert_eq!(show(Duration::from_secs(10)), "10s");
        assert_eq!(show(Duration::from_millis(1500)), "1.5s");
        assert_eq!(show(Duration::from_millis(250)), "250ms");
        assert_eq!(show(Duration::from_secs(120)), "2m");
    }

    #[test]
    fn a_loop_is_interrupted_at_the_limit() {
        let started = std::time::Instant::now();
        let ended = run(Some(Duration::from_millis(200)), |register| {
            run_script_with("t", "while (true) { }", register)
        });
        assert!(matches!(ended, Ended::TimedOut), "{ended:?}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_quick_test_is_done() {
        let ended = run(Some(Duration::from_secs(30)), |register| {
            run_script_with("t", "echo hi", register)
        });
        assert!(
            matches!(ended, Ended::Done(ref o) if o.stdout == "hi\n"),
            "{ended:?}"
        );
    }

    #[test]
    fn a_test_that_ignores_the_interrupt_is_abandoned() {
        let started = std::time::Instant::now();
        let ended = run(Some(Duration::from_millis(100)), |_register| {
            std::thread::sleep(Duration::from_secs(30));
        });
        assert!(matches!(ended, Ended::TimedOut));
        assert!(started.elapsed() < Duration::from_millis(100) + GRACE + Duration::from_secs(1));
    }
}
