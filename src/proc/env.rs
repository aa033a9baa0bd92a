//! A process's environment group (Plan 9's `Egrp`): its variables as `/env` sees them, and
//! the one group each thread works for.
//!
//! The shell keeps its variables in its own fast table ([`crate::eval::vars::Vars`]) and syncs
//! with its group at command boundaries: before a command runs it publishes the variables it
//! changed ([`EnvGroup::publish`]); after, it takes in what was written through the files
//! ([`EnvGroup::take_written`]). A copy of the shell that stands for a new process (pipeline
//! member, `&` job, `@{ }`) gets a copy of the group ([`EnvGroup::snapshot`]), and a guest
//! task gets one of its creator's, so their writes stay their own, as rc's forked children's
//! do. The file format is [`crate::services::env`]'s ([`encode`], [`decode`]). It lives here,
//! below the services and the task core, because both hold groups; it must never reach a
//! shell's own variable table (the sync is the shell's) nor any file service.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::wordlist::WordList;

/// A variable's new value, or `None` when it was unset. The value is shared with the
/// shell's own table, never copied: a large variable is held once.
pub type VarChange = (String, Option<Arc<WordList>>);

/// The environment of one shell process: its variables as the files see them.
#[derive(Default)]
pub struct EnvGroup {
    state: Mutex<EnvState>,
    /// Bumped by every write through the files, so a shell notices one with a single load.
    written: AtomicU64,
}

#[derive(Default, Clone)]
struct EnvState {
    vars: BTreeMap<String, Arc<WordList>>,
    /// Names written through the files since the shell last took them in.
    written: Vec<String>,
}

thread_local! {
    /// The group this thread works for (Plan 9's `up->egrp`).
    static CURRENT: RefCell<Option<Arc<EnvGroup>>> = const { RefCell::new(None) };
}

impl EnvGroup {
    /// An empty group.
    pub fn new() -> EnvGroup {
        EnvGroup::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, EnvState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new group holding the same variables (for a copy of the shell that is a new
    /// process); nothing is pending in it.
    pub fn snapshot(&self) -> EnvGroup {
        let vars = self.state().vars.clone();
        EnvGroup {
            state: Mutex::new(EnvState {
                vars,
                written: Vec::new(),
            }),
            written: AtomicU64::new(0),
        }
    }

    /// Makes `group` the one this thread's `/env` serves, unless it already is.
    pub fn enter(group: &Arc<EnvGroup>) {
        CURRENT.with(|current| {
            let mut current = current.borrow_mut();
            if !current.as_ref().is_some_and(|c| Arc::ptr_eq(c, group)) {
                *current = Some(Arc::clone(group));
            }
        });
    }

    /// Makes `group` this thread's until the guard is dropped, then restores the one that was
    /// there (a guest run on a shell's thread, with a copy of the shell's group, hands the
    /// thread back as it found it).
    pub fn scoped(group: Arc<EnvGroup>) -> EnvGroupGuard {
        let previous = CURRENT.with(|current| current.borrow_mut().replace(group));
        EnvGroupGuard { previous }
    }

    /// The group this thread works for, if any.
    pub fn current() -> Option<Arc<EnvGroup>> {
        CURRENT.with(|current| current.borrow().clone())
    }

    /// The shell's side: variables it set or unset since it last published.
    pub fn publish(&self, changes: impl IntoIterator<Item = VarChange>) {
        let mut state = self.state();
        for (name, value) in changes {
            match value {
                Some(value) => {
                    state.vars.insert(name, value);
                }
                None => {
                    state.vars.remove(&name);
                }
            }
        }
    }

    /// How many writes through the files this group has seen; cheap to poll.
    pub fn write_count(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// The shell's side: what the files changed since the last call, each name once, with
    /// its value now.
    pub fn take_written(&self) -> Vec<VarChange> {
        let mut state = self.state();
        let mut names = std::mem::take(&mut state.written);
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let value = state.vars.get(&name).cloned();
                (name, value)
            })
            .collect()
    }

    /// The value of `name` in the group, if it is set.
    pub fn get(&self, name: &str) -> Option<Arc<WordList>> {
        self.state().vars.get(name).cloned()
    }

    /// The files' side: sets (or with `None` unsets) a variable and tells the shell.
    pub fn write(&self, name: &str, value: Option<Arc<WordList>>) {
        let mut state = self.state();
        match value {
            Some(value) => state.vars.insert(name.to_string(), value),
            None => state.vars.remove(name),
        };
        state.written.push(name.to_string());
        self.written.fetch_add(1, Ordering::Release);
    }

    /// The names of the variables set in the group, sorted (what `ls /env` lists).
    pub fn names(&self) -> Vec<String> {
        self.state().vars.keys().cloned().collect()
    }
}

/// Restores the previous group when dropped; see [`EnvGroup::scoped`].
pub struct EnvGroupGuard {
    previous: Option<Arc<EnvGroup>>,
}

impl Drop for EnvGroupGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|current| *current.borrow_mut() = previous);
    }
}

/// A list of words as `/env` shows it (see the module docs).
pub fn encode(words: &WordList) -> Vec<u8> {
    match words.first() {
        Some(one) if words.len() == 1 && !one.is_empty() => one.as_bytes().to_vec(),
        _ => {
            let mut bytes = Vec::with_capacity(words.text_len() + words.len());
            for word in words {
                bytes.extend_from_slice(word.as_bytes());
                bytes.push(0);
            }
            bytes
        }
    }
}

/// The words a write to `/env` means (see the module docs). Bytes that are not UTF-8 are
/// replaced, as everywhere a file's bytes become words.
pub fn decode(bytes: &[u8]) -> WordList {
    if bytes.is_empty() {
        return WordList::new();
    }
    if !bytes.contains(&0) {
        let text = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        return WordList::one(&String::from_utf8_lossy(text));
    }
    let body = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    body.split(|b| *b == 0)
        .map(|word| String::from_utf8_lossy(word))
        .collect()
}
