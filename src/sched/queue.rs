//! The run queue: job ids ordered by priority (higher first), then by a sequence number so
//! that equal priorities leave in the order they came (FIFO) and the order is deterministic.
//!
//! A `BTreeMap` rather than a `BinaryHeap` so that a killed job can be taken out at once by its
//! key instead of lingering as a tombstone. It holds ids only, never the work itself, and must
//! never reorder equal priorities.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::job::JobId;

/// Where a job stands in the queue; kept by the job so it can be removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueKey {
    priority: Reverse<i32>,
    sequence: u64,
}

#[derive(Debug, Default)]
pub struct RunQueue {
    entries: BTreeMap<QueueKey, JobId>,
    next_sequence: u64,
}

impl RunQueue {
    pub fn push(&mut self, id: JobId, priority: i32) -> QueueKey {
        let key = QueueKey {
            priority: Reverse(priority),
            sequence: self.next_sequence,
        };
        self.next_sequence += 1;
        self.entries.insert(key, id);
        key
    }

    /// The highest-priority, earliest-queued job.
    pub fn pop(&mut self) -> Option<JobId> {
        self.entries.pop_first().map(|(_, id)| id)
    }

    pub fn remove(&mut self, key: QueueKey) -> Option<JobId> {
        self.entries.remove(&key)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Empties the queue, highest priority first.
    pub fn drain(&mut self) -> Vec<JobId> {
        std::mem::take(&mut self.entries).into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_priority_first_then_fifo() {
        let mut queue = RunQueue::default();
        for (id, priority) in [(1, 0), (2, 5), (3, 0), (4, -1), (5, 5)] {
            queue.push(JobId(id), priority);
        }
        let order: Vec<u64> = std::iter::from_fn(|| queue.pop()).map(|id| id.0).collect();
        assert_eq!(order, [2, 5, 1, 3, 4]);
    }

    proptest::proptest! {
        /// Whatever the priorities, the queue gives what a stable sort by descending priority
        /// gives: the promise that equal priorities stay in submission order.
        #[test]
        fn pop_order_is_a_stable_sort_by_priority(priorities in proptest::collection::vec(-3i32..3, 0..64)) {
            let mut queue = RunQueue::default();
            for (n, priority) in priorities.iter().enumerate() {
                queue.push(JobId(n as u64), *priority);
            }
            let mut expected: Vec<(usize, i32)> = priorities.into_iter().enumerate().collect();
            expected.sort_by_key(|(_, priority)| Reverse(*priority));
            let expected: Vec<JobId> = expected.into_iter().map(|(n, _)| JobId(n as u64)).collect();
            let popped: Vec<JobId> = std::iter::from_fn(|| queue.pop()).collect();
            proptest::prop_assert_eq!(popped, expected);
        }
    }

    #[test]
    fn removed_jobs_never_leave() {
        let mut queue = RunQueue::default();
        queue.push(JobId(1), 0);
        let key = queue.push(JobId(2), 9);
        queue.push(JobId(3), 0);
        assert_eq!(queue.remove(key), Some(JobId(2)));
        assert_eq!(queue.remove(key), None);
        assert_eq!(queue.len(), 2);
        assert_eq!(queue.drain(), [JobId(1), JobId(3)]);
        assert_eq!(queue.len(), 0);
    }
}
