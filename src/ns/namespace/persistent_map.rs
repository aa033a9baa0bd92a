//! A string-keyed hash map whose clones share structure, so an immutable mount table can be
//! "copied and changed" for the price of one small bucket instead of the whole table.
//!
//! It is a hash trie of fixed depth two (32 × 32 slots) over ordinary `HashMap` leaves:
//! lookups hash once and index twice (O(1) like a `HashMap`), and an insert or remove copies
//! only the two slot arrays and the one leaf on the key's path (`Arc::make_mut`). It must
//! never hand out a way to mutate a map that another clone still shares.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

const SLOT_BITS: u32 = 5;
const SLOTS: usize = 1 << SLOT_BITS;

type Leaf<V> = HashMap<Arc<str>, V>;
type Middle<V> = [Option<Arc<Leaf<V>>>; SLOTS];

pub(super) struct PersistentMap<V> {
    top: Arc<[Option<Arc<Middle<V>>>; SLOTS]>,
    len: usize,
}

impl<V> Clone for PersistentMap<V> {
    fn clone(&self) -> Self {
        PersistentMap {
            top: Arc::clone(&self.top),
            len: self.len,
        }
    }
}

impl<V> Default for PersistentMap<V> {
    fn default() -> Self {
        PersistentMap {
            top: Arc::new(std::array::from_fn(|_| None)),
            len: 0,
        }
    }
}

/// The two slot indexes of a key. `DefaultHasher::new()` is keyed identically everywhere,
/// which is all a slot choice needs; the leaves keep std's randomly keyed hashing.
fn slots(key: &str) -> (usize, usize) {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    let hash = hasher.finish();
    let mask = (SLOTS - 1) as u64;
    (
        (hash & mask) as usize,
        ((hash >> SLOT_BITS) & mask) as usize,
    )
}

impl<V: Clone> PersistentMap<V> {
    pub(super) fn get(&self, key: &str) -> Option<&V> {
        let (outer, inner) = slots(key);
        self.top[outer].as_ref()?[inner].as_ref()?.get(key)
    }

    pub(super) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(super) fn insert(&mut self, key: Arc<str>, value: V) -> Option<V> {
        let (outer, inner) = slots(&key);
        let top = Arc::make_mut(&mut self.top);
        let middle = Arc::make_mut(top[outer].get_or_insert_with(Default::default));
        let leaf = Arc::make_mut(middle[inner].get_or_insert_with(Default::default));
        let old = leaf.insert(key, value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// The value at `key` to change in place: only the buckets on its path are copied, and
    /// only if another clone shares them.
    pub(super) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        // Checked first so that asking for an absent key copies nothing.
        if !self.contains_key(key) {
            return None;
        }
        let (outer, inner) = slots(key);
        let top = Arc::make_mut(&mut self.top);
        let middle = Arc::make_mut(top[outer].as_mut()?);
        Arc::make_mut(middle[inner].as_mut()?).get_mut(key)
    }

    pub(super) fn remove(&mut self, key: &str) -> Option<V> {
        // Checked first so that removing an absent key copies nothing.
        if !self.contains_key(key) {
            return None;
        }
        let (outer, inner) = slots(key);
        let top = Arc::make_mut(&mut self.top);
        let middle_slot = &mut top[outer];
        let middle = Arc::make_mut(middle_slot.as_mut()?);
        let leaf_slot = &mut middle[inner];
        let leaf = Arc::make_mut(leaf_slot.as_mut()?);
        let old = leaf.remove(key);
        // Emptied buckets are dropped so iteration only visits live ones.
        if leaf.is_empty() {
            *leaf_slot = None;
        }
        if middle.iter().all(Option::is_none) {
            *middle_slot = None;
        }
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// Every entry, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &V)> {
        self.top
            .iter()
            .flatten()
            .flat_map(|middle| middle.iter().flatten())
            .flat_map(|leaf| leaf.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_removes_and_iterates() {
        let mut map = PersistentMap::default();
        for i in 0..2000 {
            assert_eq!(map.insert(Arc::from(format!("/k{i}").as_str()), i), None);
        }
        assert_eq!(map.insert(Arc::from("/k7"), 70), Some(7));
        assert_eq!(
            (map.len, map.get("/k7"), map.get("/nope")),
            (2000, Some(&70), None)
        );
        for i in 0..1999 {
            assert!(map.remove(&format!("/k{i}")).is_some());
        }
        assert_eq!(map.remove("/k0"), None);
        let left: Vec<_> = map.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(left, [("/k1999".to_string(), 1999)]);
        map.remove("/k1999");
        assert!(map.is_empty() && map.top.iter().all(Option::is_none));
    }

    #[test]
    fn clones_do_not_see_each_others_changes() {
        let mut original = PersistentMap::default();
        original.insert(Arc::from("/a"), 1);
        original.insert(Arc::from("/c"), 3);
        let snapshot = original.clone();
        original.insert(Arc::from("/b"), 2);
        original.remove("/a");
        if let Some(c) = original.get_mut("/c") {
            *c = 30;
        }
        assert_eq!(original.get_mut("/nope"), None);
        assert_eq!(
            (original.get("/c"), snapshot.get("/c")),
            (Some(&30), Some(&3))
        );
        original.remove("/c");
        assert_eq!(snapshot.len, 2);
        assert_eq!(
            (snapshot.get("/a"), snapshot.get("/b"), snapshot.len),
            (Some(&1), None, 2)
        );
        assert_eq!(
            (original.get("/a"), original.get("/b"), original.len),
            (None, Some(&2), 1)
        );
    }
}
