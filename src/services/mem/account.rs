//! The account all the `mem` services of one shell charge together: the shell's `mem`
//! budget (`limits mem SIZE`), next to each service's own capacity. It counts bytes and
//! refuses growth past its limit; it must never hold or free a file itself (the services do,
//! and report here), and a thread's entered account only names whom new services charge.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::size_word;
use crate::ns::NsError;

/// The bytes all the `mem` services of one shell hold together, against the shell's `mem`
/// budget (`limits mem SIZE`). Shared by the shell, its forks and every service they make.
#[derive(Debug)]
pub struct MemAccount {
    used: AtomicU64,
    limit: AtomicU64,
}

thread_local! {
    /// The account of the shell this thread works for (see the module docs).
    static ACCOUNT: RefCell<Option<Arc<MemAccount>>> = const { RefCell::new(None) };
}

impl MemAccount {
    /// An account that lets its services hold `limit` bytes together.
    pub fn new(limit: u64) -> Arc<MemAccount> {
        Arc::new(MemAccount {
            used: AtomicU64::new(0),
            limit: AtomicU64::new(limit),
        })
    }

    /// Bytes held now by every service charging this account.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Acquire)
    }

    /// The limit now (`limits mem` may change it while services hold bytes).
    pub fn limit(&self) -> u64 {
        self.limit.load(Ordering::Acquire)
    }

    /// A new limit; bytes already held stay, but nothing grows while over it.
    pub fn set_limit(&self, limit: u64) {
        self.limit.store(limit, Ordering::Release);
    }

    /// Makes `account` the one services made on this thread charge, unless it already is.
    pub fn enter(account: &Arc<MemAccount>) {
        ACCOUNT.with(|current| {
            let mut current = current.borrow_mut();
            if !current.as_ref().is_some_and(|c| Arc::ptr_eq(c, account)) {
                *current = Some(Arc::clone(account));
            }
        });
    }

    /// The account this thread entered, if any.
    pub fn current() -> Option<Arc<MemAccount>> {
        ACCOUNT.with(|current| current.borrow().clone())
    }

    /// Takes `more` bytes, or refuses with a "no space" error naming the budget.
    pub(super) fn reserve(&self, more: u64, path: &str) -> Result<(), NsError> {
        let limit = self.limit();
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(more).filter(|&total| total <= limit)
            })
            .map(|_| ())
            .map_err(|_| NsError::MemBudget {
                path: path.to_string(),
                limit: size_word(limit),
            })
    }

    pub(super) fn release(&self, less: u64) {
        let _ = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                Some(used.saturating_sub(less))
            });
    }
}
