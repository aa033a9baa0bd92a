//! A job's control: the one token that Ctrl-C, `kill %N`, Ctrl-Z, `fg` and `bg` act on, and
//! that everything running for the job looks at (the interpreter between commands, a
//! builtin's reads and writes, a guest at its epoch tick).
//!
//! Plan 9 sends a process group a note; here the job's threads share a [`Control`] and look
//! at it at their own safe points. An interrupt is final for the job (it unwinds, as after
//! a note it does not catch); a stop is not: [`Control::check`] blocks while the job is
//! stopped and returns when it is resumed, so a stopped job resumes where it stood. This
//! file must never kill a guest or touch a table of jobs: it is the flag, not the policy.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often a stopped job looks again whether it was resumed or interrupted.
const STOPPED_POLL: Duration = Duration::from_millis(10);

/// The interrupt and stop flags of one job, shared by all its threads.
#[derive(Debug, Default)]
pub struct Control {
    /// Raised once: the job stops at its next check. An `Arc` of its own, because the
    /// namespace's blocking reads and a guest's runs take a plain flag.
    interrupt: Arc<AtomicBool>,
    stopped: AtomicBool,
}

/// What [`Control::check`] reports once the job was interrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

impl Control {
    /// A fresh control: running, not interrupted.
    pub fn new() -> Arc<Control> {
        Arc::new(Control::default())
    }

    /// A control whose interrupt is `flag` (the root shell's, which the embedder may raise).
    pub fn with_flag(flag: Arc<AtomicBool>) -> Arc<Control> {
        Arc::new(Control {
            interrupt: flag,
            stopped: AtomicBool::new(false),
        })
    }

    /// The interrupt flag itself, for what takes a plain flag (a blocking namespace read).
    pub fn flag(&self) -> &Arc<AtomicBool> {
        &self.interrupt
    }

    /// Interrupts the job. A stopped job is interrupted too: its check returns at once.
    pub fn interrupt(&self) {
        self.interrupt.store(true, Ordering::Release);
    }

    /// Whether it was interrupted (and not lowered since).
    pub fn is_interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Acquire)
    }

    /// Lowers the interrupt, so commands run again (the top level, after Ctrl-C).
    pub fn lower(&self) {
        self.interrupt.store(false, Ordering::Release);
    }

    /// Stops the job at its next check (Ctrl-Z).
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    /// Lets a stopped job go on (`fg`, `bg`).
    pub fn resume(&self) {
        self.stopped.store(false, Ordering::Release);
    }

    /// Whether it is stopped.
    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Acquire)
    }

    /// The check every safe point makes: `Err` once interrupted; while stopped, blocks
    /// until resumed or interrupted.
    pub fn check(&self) -> Result<(), Interrupted> {
        loop {
            if self.is_interrupted() {
                return Err(Interrupted);
            }
            if !self.is_stopped() {
                return Ok(());
            }
            std::thread::sleep(STOPPED_POLL);
        }
    }

    /// Blocks while stopped; returns once resumed, interrupted, or `cancel` (a guest's own
    /// kill flag) is raised. The caller looks at the interrupt itself.
    pub fn wait_while_stopped(&self, cancel: &AtomicBool) {
        while self.is_stopped() && !self.is_interrupted() && !cancel.load(Ordering::Relaxed) {
            std::thread::sleep(STOPPED_POLL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_check_blocks_until_resumed() {
        let control = Control::new();
        control.stop();
        let waiter = {
            let control = Arc::clone(&control);
            std::thread::spawn(move || control.check())
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "a stopped job went on");
        control.resume();
        assert_eq!(waiter.join().ok(), Some(Ok(())));
    }

    #[test]
    fn an_interrupt_ends_a_stop() {
        let control = Control::new();
        control.stop();
        control.interrupt();
        assert_eq!(control.check(), Err(Interrupted));
        control.lower();
        control.resume();
        assert_eq!(control.check(), Ok(()));
    }
}
