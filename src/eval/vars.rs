//! Shell variables: every value is a list of strings, never re-split once made.
//!
//! Scoping is rc's dynamic scoping: `x=v cmd`, `for` and function arguments save the old
//! value, set a new one, and restore (or unset) it afterwards. [`Vars::save`] and
//! [`Vars::restore`] are the only way to do that, so no caller can forget the restore half.

use rustc_hash::FxHashMap;

#[derive(Clone, Debug, Default)]
pub struct Vars {
    // Fx, not SipHash: names come from the user's own script, and hashing them is a large
    // share of a tight loop's time.
    map: FxHashMap<String, Vec<String>>,
}

/// A variable's value before a local assignment: `None` if it was unset.
pub struct Saved(String, Option<Vec<String>>);

impl Vars {
    /// The value of `name`; positional `$1`, `$2`... index into `$*`.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        if let Some(n) = positional(name) {
            let args = self.map.get("*")?;
            return args.get(n - 1).map(std::slice::from_ref);
        }
        self.map.get(name).map(Vec::as_slice)
    }
    pub fn set(&mut self, name: &str, value: Vec<String>) {
        match self.map.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                self.map.insert(name.to_string(), value);
            }
        }
    }
    /// Sets `name` to the one-element list `(value)`, reusing the old list's storage.
    pub fn set_one(&mut self, name: &str, value: &str) {
        match self.map.get_mut(name) {
            Some(slot) if slot.len() == 1 => {
                if slot[0] != value {
                    slot[0].clear();
                    slot[0].push_str(value);
                }
            }
            Some(slot) => {
                slot.clear();
                slot.push(value.to_string());
            }
            None => {
                self.map.insert(name.to_string(), vec![value.to_string()]);
            }
        }
    }
    pub fn unset(&mut self, name: &str) {
        self.map.remove(name);
    }
    /// Sets `name` for a while; hand the result to [`Vars::restore`].
    pub fn save(&mut self, name: &str, value: Vec<String>) -> Saved {
        let old = self.map.insert(name.to_string(), value);
        Saved(name.to_string(), old)
    }
    pub fn restore(&mut self, saved: Saved) {
        match saved.1 {
            Some(v) => {
                self.map.insert(saved.0, v);
            }
            None => {
                self.map.remove(&saved.0);
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
}
