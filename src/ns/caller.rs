//! Who is asking: the namespace and working directory of the process a thread works for
//! (Plan 9's `up->pgrp` and `up->dot`), for the few services whose answer depends on it.
//!
//! A [`FileService`](super::FileService) sees only service-relative paths, never the process
//! that opened them. Most services need nothing more; `/task/new/wasi` does, because the task
//! it makes starts with a *copy of its creator's namespace* and the creator's working
//! directory. So, as `/env` names its caller's variables through a thread-local group
//! ([`crate::proc::env::EnvGroup::enter`]), the caller's view is named here: the shell
//! enters its own before every command (with its `/env` group, in `Shell::env_out`), and a
//! WASI run enters its guest's for as long as the guest runs.
//!
//! This must never be used to find files: a service answers from its own state; the caller
//! only says whose view a new thing copies, and whose interrupt flag a blocking read obeys.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Namespace;

/// The process a thread works for, as services may need to know it.
#[derive(Clone)]
pub struct Caller {
    /// Its namespace: the one its paths mean something in.
    pub ns: Namespace,
    /// The working directory, clean and absolute, in `ns`.
    pub cwd: String,
    /// Set when the caller wants to stop waiting (Ctrl-C in the shell); a service that
    /// blocks on the caller's behalf gives up when it is set.
    pub interrupt: Option<Arc<AtomicBool>>,
}

thread_local! {
    static CURRENT: RefCell<Option<Caller>> = const { RefCell::new(None) };
}

impl Caller {
    /// Makes `ns` and `cwd` this thread's caller, with its interrupt flag.
    pub fn enter(ns: &Namespace, cwd: &str, interrupt: Option<&Arc<AtomicBool>>) {
        CURRENT.with(|current| {
            let mut current = current.borrow_mut();
            match current.as_mut() {
                // A command boundary usually changes nothing: spare the allocation.
                Some(caller) => {
                    caller.ns = ns.clone();
                    if caller.cwd != cwd {
                        caller.cwd = cwd.to_string();
                    }
                    caller.interrupt = interrupt.cloned();
                }
                None => {
                    *current = Some(Caller {
                        ns: ns.clone(),
                        cwd: cwd.to_string(),
                        interrupt: interrupt.cloned(),
                    })
                }
            }
        });
    }

    /// Enters `caller` until the guard is dropped, then restores whoever was there before
    /// (a guest run on a shell's thread hands the thread back as it found it).
    pub fn scoped(caller: Caller) -> CallerGuard {
        let previous = CURRENT.with(|current| current.borrow_mut().replace(caller));
        CallerGuard { previous }
    }

    /// This thread's caller, if one was entered.
    pub fn current() -> Option<Caller> {
        CURRENT.with(|current| current.borrow().clone())
    }

    /// This thread's caller's interrupt flag, if there is one (cheaper than [`Caller::current`]).
    pub fn current_interrupt() -> Option<Arc<AtomicBool>> {
        CURRENT.with(|current| current.borrow().as_ref().and_then(|c| c.interrupt.clone()))
    }

    /// Whether this thread's caller may attach services through a control file (a task's
    /// `ctl` `mount`): not when its own namespace is no-attach. A thread with no caller is
    /// Rust code embedding the shell, which is trusted.
    pub fn may_attach() -> bool {
        CURRENT.with(|current| {
            current
                .borrow()
                .as_ref()
                .is_none_or(|caller| !caller.ns.is_no_attach())
        })
    }

    /// True when the caller asked to stop waiting.
    pub fn is_interrupted(&self) -> bool {
        self.interrupt
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    }
}

/// Restores the previous caller when dropped; see [`Caller::scoped`].
pub struct CallerGuard {
    previous: Option<Caller>,
}

impl Drop for CallerGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| *current.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::mem::MemService;

    #[test]
    fn a_scoped_caller_is_undone_and_threads_are_separate() {
        let ns = Namespace::new(Arc::new(MemService::new()));
        Caller::enter(&ns, "/a", None);
        {
            let _guard = Caller::scoped(Caller {
                ns: ns.clone(),
                cwd: "/b".into(),
                interrupt: None,
            });
            assert_eq!(Caller::current().map(|c| c.cwd).as_deref(), Some("/b"));
        }
        assert_eq!(Caller::current().map(|c| c.cwd).as_deref(), Some("/a"));
        let elsewhere = std::thread::spawn(|| Caller::current().is_none()).join();
        assert!(matches!(elsewhere, Ok(true)));
    }

    #[test]
    fn the_interrupt_flag_is_the_callers() {
        let ns = Namespace::new(Arc::new(MemService::new()));
        let flag = Arc::new(AtomicBool::new(false));
        Caller::enter(&ns, "/", Some(&flag));
        let caller = Caller::current();
        assert!(caller.as_ref().is_some_and(|c| !c.is_interrupted()));
        flag.store(true, Ordering::Relaxed);
        assert!(caller.is_some_and(|c| c.is_interrupted()));
    }
}
