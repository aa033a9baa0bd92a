//! Shell variables: every value is a list of strings, never re-split once made.
//!
//! Scoping is rc's dynamic scoping: `x=v cmd`, `for` and function arguments save the old
//! value, set a new one, and restore (or unset) it afterwards. [`Vars::save`] and
//! [`Vars::restore`] are the only way to do that, so no caller can forget the restore half.
//!
//! The table also remembers which names changed since [`Vars::take_changed`] last asked,
//! so the shell can publish just those to its `/env` group (see
//! [`crate::services::env`]); marking costs a flag test, not an allocation, in a loop that
//! sets the same variable again and again.

use rustc_hash::FxHashMap;

use crate::services::env::VarChange;

#[derive(Clone, Debug, Default)]
pub struct Vars {
    // Fx, not SipHash: names come from the user's own script, and hashing them is a large
    // share of a tight loop's time.
    map: FxHashMap<String, Slot>,
    /// Names set or unset since the last `take_changed` (a name at most once while its
    /// slot is marked; an unset name may repeat).
    changed: Vec<String>,
}

#[derive(Clone, Debug)]
struct Slot {
    value: Vec<String>,
    /// Already listed in `changed`.
    marked: bool,
}

/// A variable's value before a local assignment: `None` if it was unset.
pub struct Saved(String, Option<Vec<String>>);

impl Vars {
    /// The value of `name`; positional `$1`, `$2`... index into `$*`.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        if let Some(n) = positional(name) {
            let args = &self.map.get("*")?.value;
            return args.get(n - 1).map(std::slice::from_ref);
        }
        self.map.get(name).map(|slot| slot.value.as_slice())
    }
    pub fn set(&mut self, name: &str, value: Vec<String>) {
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
    /// Sets `name` to the one-element list `(value)`, reusing the old list's storage.
    pub fn set_one(&mut self, name: &str, value: &str) {
        let Some(slot) = self.map.get_mut(name) else {
            return self.insert(name.to_string(), vec![value.to_string()]);
        };
        if slot.value.len() == 1 {
            if slot.value[0] == value {
                return;
            }
            slot.value[0].clear();
            slot.value[0].push_str(value);
        } else {
            slot.value.clear();
            slot.value.push(value.to_string());
        }
        if !slot.marked {
            slot.marked = true;
            self.changed.push(name.to_string());
        }
    }
    pub fn unset(&mut self, name: &str) {
        if self.map.remove(name).is_some() {
            self.changed.push(name.to_string());
        }
    }
    /// Sets `name` for a while; hand the result to [`Vars::restore`].
    pub fn save(&mut self, name: &str, value: Vec<String>) -> Saved {
        let old = self.map.remove(name);
        if !old.as_ref().is_some_and(|slot| slot.marked) {
            self.changed.push(name.to_string());
        }
        let slot = Slot {
            value,
            marked: true,
        };
        self.map.insert(name.to_string(), slot);
        Saved(name.to_string(), old.map(|slot| slot.value))
    }
    pub fn restore(&mut self, saved: Saved) {
        match saved.1 {
            Some(v) => self.set(&saved.0, v),
            None => self.unset(&saved.0),
        }
    }
    fn insert(&mut self, name: String, value: Vec<String>) {
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
    pub fn take_changed(&mut self) -> Vec<VarChange> {
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        changed
            .into_iter()
            .map(|name| {
                let value = self.map.get_mut(&name).map(|slot| {
                    slot.marked = false;
                    slot.value.clone()
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
    pub fn import(&mut self, name: &str, value: Option<Vec<String>>) {
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
        assert_eq!(v.get("x"), Some(&["1".to_string()][..]));
        v.restore(s);
        assert_eq!(v.get("x"), None);
    }

    #[test]
    fn positionals_index_star() {
        let mut v = Vars::default();
        v.set("*", vec!["a".into(), "b".into()]);
        assert_eq!(v.get("2"), Some(&["b".to_string()][..]));
        assert_eq!(v.get("3"), None);
        assert_eq!(v.get("0"), None);
    }

    #[test]
    fn changes_are_reported_once_with_their_latest_value() {
        let mut v = Vars::default();
        v.set("x", vec!["1".into()]);
        v.set_one("x", "2");
        v.set_one("y", "a");
        v.unset("y");
        let changed = v.take_changed();
        assert_eq!(
            changed,
            vec![("x".into(), Some(vec!["2".into()])), ("y".into(), None)]
        );
        assert!(!v.has_changes());
        v.set_one("x", "2");
        assert!(!v.has_changes(), "setting the same value is no change");
        let saved = v.save("x", vec!["local".into()]);
        v.restore(saved);
        assert_eq!(v.take_changed(), vec![("x".into(), Some(vec!["2".into()]))]);
        v.import("z", Some(vec!["from env".into()]));
        assert!(!v.has_changes());
        assert_eq!(v.get("z"), Some(&["from env".to_string()][..]));
    }
}
