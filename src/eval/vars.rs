//! Shell variables: every value is a list of strings, never re-split once made.
//!
//! Scoping is rc's dynamic scoping: `x=v cmd`, `for` and function arguments save the old
//! value, set a new one, and restore (or unset) it afterwards. [`Vars::save`] and
//! [`Vars::restore`] are the only way to do that, so no caller can forget the restore half.
//!
//! The table also remembers which names changed since [`Vars::take_changed`] last asked,
//! so the shell can publish just those to its `/env` group (see
//! [`crate::services::env`]); marking costs a flag test, not an allocation, in a loop that
//! sets the same variable again and again. A value is a compact `WordList` behind an
//! `Arc`, so publishing it shares it with `/env` instead of copying it: a variable of ten
//! million words is held once, not twice. A value that is replaced while nothing else
//! shares it gives its storage back as the table's spare list, which the next expansion
//! fills ([`Vars::take_spare`]): a loop doing `x=$i` allocates nothing per iteration.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::proc::env::VarChange;
use crate::wordlist::{WordList, Words};

/// The shell's variables: name to list of words. It records which names changed since the
/// last [`Vars::take_changed`], so the shell can publish just those to its `/env` group.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    // Fx, not SipHash: names come from the user's own script, and hashing them is a large
    // share of a tight loop's time.
    map: FxHashMap<String, Slot>,
    /// Names set or unset since the last `take_changed` (a name at most once while its
    /// slot is marked; an unset name may repeat).
    changed: Vec<String>,
    /// A small emptied list whose storage the next value can reuse (see the module doc).
    spare: WordList,
}

/// The largest list storage kept as the spare: more would hold memory a script gave up.
const SPARE_BYTES: usize = 4096;

#[derive(Clone, Debug)]
struct Slot {
    /// Shared with the `/env` group once published; changed in place only when not shared.
    value: Arc<WordList>,
    /// Already listed in `changed`.
    marked: bool,
}

/// A variable's value before a local assignment: `None` if it was unset.
pub struct Saved(String, Option<Arc<WordList>>);

impl Vars {
    /// The value of `name`; positional `$1`, `$2`... index into `$*`.
    pub fn get(&self, name: &str) -> Option<Words<'_>> {
        if let Some(n) = positional(name) {
            let args = &self.map.get("*")?.value;
            return (n <= args.len()).then(|| args.range(n - 1, n));
        }
        self.map.get(name).map(|slot| slot.value.words())
    }
    /// Sets `name` to the list `value`, its words kept as they are (never re-split).
    pub fn set(&mut self, name: &str, value: impl Into<WordList>) {
        let value = value.into();
        let Some(slot) = self.map.get_mut(name) else {
            return self.insert(name.to_string(), Arc::new(value));
        };
        // Unshared, the old list is swapped out in place and kept as the spare; shared
        // (published to `/env`), the sharer keeps it and this slot gets a new `Arc`.
        match Arc::get_mut(&mut slot.value) {
            Some(held) => {
                let old = std::mem::replace(held, value);
                if old.capacity() <= SPARE_BYTES {
                    self.spare = old;
                }
            }
            None => slot.value = Arc::new(value),
        }
        if !slot.marked {
            slot.marked = true;
            self.changed.push(name.to_string());
        }
    }
    /// An empty list to build a value in: the storage of a value replaced before, if any.
    pub fn take_spare(&mut self) -> WordList {
        let mut spare = std::mem::take(&mut self.spare);
        spare.clear();
        spare
    }
    /// Sets `name` to the one-element list `(value)`, reusing the old list's storage.
    pub fn set_one(&mut self, name: &str, value: &str) {
        let Some(slot) = self.map.get_mut(name) else {
            return self.insert(name.to_string(), Arc::new(WordList::one(value)));
        };
        if slot.value.len() == 1 && slot.value.first() == Some(value) {
            return;
        }
        // Copies the old value only if `/env` still shares it (then it is one word, or
        // about to be dropped).
        Arc::make_mut(&mut slot.value).set_one(value);
        if !slot.marked {
            slot.marked = true;
            self.changed.push(name.to_string());
        }
    }
    /// Removes `name`, so `$#name` is 0.
    pub fn unset(&mut self, name: &str) {
        if self.map.remove(name).is_some() {
            self.changed.push(name.to_string());
        }
    }
    /// Sets `name` for a while; hand the result to [`Vars::restore`].
    pub fn save(&mut self, name: &str, value: impl Into<WordList>) -> Saved {
        let old = self.map.remove(name);
        if !old.as_ref().is_some_and(|slot| slot.marked) {
            self.changed.push(name.to_string());
        }
        let slot = Slot {
            value: Arc::new(value.into()),
            marked: true,
        };
        self.map.insert(name.to_string(), slot);
        Saved(name.to_string(), old.map(|slot| slot.value))
    }
    /// Puts back a variable saved by [`Vars::save`], unsetting it if it did not exist then.
    pub fn restore(&mut self, saved: Saved) {
        match saved.1 {
            Some(v) => self.set_shared(&saved.0, v),
            None => self.unset(&saved.0),
        }
    }
    fn set_shared(&mut self, name: &str, value: Arc<WordList>) {
        match self.map.get_mut(name) {
            Some(slot) => {
                slot.value = value;
                if !slot.marked {
                    slot.marked = true;
                    self.changed.push(name.to_string());
                }
            }
            None => self.insert(name.to_string(), value),
        }
    }
    fn insert(&mut self, name: String, value: Arc<WordList>) {
        self.changed.push(name.clone());
        self.map.insert(
            name,
            Slot {
                value,
                marked: true,
            },
        );
    }
    /// Every variable changed since the last call, with its value now (`None`: unset).
    /// The values are shared, not copied.
    pub fn take_changed(&mut self) -> Vec<VarChange> {
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        changed
            .into_iter()
            .map(|name| {
                let value = self.map.get_mut(&name).map(|slot| {
                    slot.marked = false;
                    Arc::clone(&slot.value)
                });
                (name, value)
            })
            .collect()
    }
    /// Whether anything changed since the last [`Vars::take_changed`].
    pub fn has_changes(&self) -> bool {
        !self.changed.is_empty()
    }
    /// Takes in a value that came from outside (a write to `/env`): it is not reported
    /// back by `take_changed`, unless the shell changed it too.
    pub fn import(&mut self, name: &str, value: Option<Arc<WordList>>) {
        match (self.map.get_mut(name), value) {
            (Some(slot), Some(value)) => slot.value = value,
            (None, Some(value)) => {
                self.map.insert(
                    name.to_string(),
                    Slot {
                        value,
                        marked: false,
                    },
                );
            }
            (_, None) => {
                self.map.remove(name);
            }
        }
    }
    /// Names in sorted order (for `whatis` and completion).
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.map.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

/// `1`, `2`, ... as positional indexes.
fn positional(name: &str) -> Option<usize> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    name.parse::<usize>().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_restores_unset() {
        let mut v = Vars::default();
        let s = v.save("x", vec!["1".into()]);
        assert_eq!(v.get("x").map(|w| w.to_vec()), Some(vec!["1".to_string()]));
        v.restore(s);
        assert_eq!(v.get("x"), None);
    }

    #[test]
    fn positionals_index_star() {
        let mut v = Vars::default();
        v.set("*", vec!["a".into(), "b".into()]);
        assert_eq!(v.get("2").map(|w| w.to_vec()), Some(vec!["b".to_string()]));
        assert!(v.get("3").is_none());
        assert!(v.get("0").is_none());
    }

    #[test]
    fn changes_are_reported_once_with_their_latest_value() {
        let mut v = Vars::default();
        v.set("x", vec!["1".into()]);
        v.set_one("x", "2");
        v.set_one("y", "a");
        v.unset("y");
        let changed = v.take_changed();
        let shown = |changed: Vec<VarChange>| -> Vec<(String, Option<Vec<String>>)> {
            changed
                .into_iter()
                .map(|(name, value)| (name, value.map(|v| v.to_vec())))
                .collect()
        };
        assert_eq!(
            shown(changed),
            vec![("x".into(), Some(vec!["2".into()])), ("y".into(), None)]
        );
        assert!(!v.has_changes());
        v.set_one("x", "2");
        assert!(!v.has_changes(), "setting the same value is no change");
        let saved = v.save("x", vec!["local".into()]);
        v.restore(saved);
        assert_eq!(
            shown(v.take_changed()),
            vec![("x".into(), Some(vec!["2".into()]))]
        );
        v.import("z", Some(Arc::new(WordList::one("from env"))));
        assert!(!v.has_changes());
        assert_eq!(
            v.get("z").map(|w| w.to_vec()),
            Some(vec!["from env".to_string()])
        );
    }

    #[test]
    fn a_published_value_is_shared_not_copied() {
        let mut v = Vars::default();
        v.set("x", vec!["a".to_string(), "b".into()]);
        let published = v.take_changed();
        let shared = published[0].1.as_ref().map(Arc::as_ptr);
        let held = v.map.get("x").map(|slot| Arc::as_ptr(&slot.value));
        assert_eq!(shared, held);
        // Changing it afterwards leaves the published copy as it was.
        v.set_one("x", "c");
        assert_eq!(
            published[0].1.as_ref().map(|l| l.to_vec()),
            Some(vec!["a".into(), "b".into()])
        );
    }
}
