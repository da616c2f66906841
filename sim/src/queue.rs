//! The pending-event set: a binary heap ordered by (time, insertion sequence).
//!
//! Equal-time events pop in the order they were scheduled, so a run never depends on heap
//! internals. Entries are kept to two u64 keys plus the payload (no u128: its 16-byte
//! alignment pads every entry and costs cache misses on large pending sets); this is what
//! keeps the kernel's cost per event close to a bare `BinaryHeap`.
//!
//! Cancellation is lazy: a cancelled id goes into a tombstone set and the entry is dropped
//! when it reaches the top. While nothing is cancelled the pop path does no hashing.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

/// Identifies one scheduled event; unique for the lifetime of a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub u64);

struct Entry<E> {
    time: u64,
    seq: u64,
    payload: E,
}

impl<E> Entry<E> {
    fn time(&self) -> SimTime {
        SimTime(self.time)
    }
    fn id(&self) -> EventId {
        EventId(self.seq)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed: BinaryHeap is a max-heap and we want the earliest key on top.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A min-queue of events keyed by (time, insertion sequence), with cancellation.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
    cancelled: HashSet<EventId>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            next_seq: 0,
            cancelled: HashSet::new(),
        }
    }

    pub fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
            cancelled: HashSet::new(),
        }
    }

    /// Schedules `payload` at `time`; returns the id that can cancel it.
    pub fn push(&mut self, time: SimTime, payload: E) -> EventId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry {
            time: time.0,
            seq,
            payload,
        });
        EventId(seq)
    }

    /// Marks an event so that it never fires. Returns false if the id was never issued or
    /// was already cancelled (an id that already fired is not tracked and returns true, but
    /// cancelling it has no effect).
    pub fn cancel(&mut self, id: EventId) -> bool {
        if id.0 >= self.next_seq {
            return false;
        }
        self.cancelled.insert(id)
    }

    /// Removes and returns the earliest live event.
    pub fn pop(&mut self) -> Option<(SimTime, EventId, E)> {
        loop {
            let entry = self.heap.pop()?;
            if !self.cancelled.is_empty() && self.cancelled.remove(&entry.id()) {
                continue;
            }
            return Some((entry.time(), entry.id(), entry.payload));
        }
    }

    /// Time of the earliest live event, discarding cancelled entries on top.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        loop {
            let top = self.heap.peek()?;
            if !self.cancelled.is_empty() && self.cancelled.contains(&top.id()) {
                let id = top.id();
                self.heap.pop();
                self.cancelled.remove(&id);
                continue;
            }
            return Some(top.time());
        }
    }

    /// Number of entries held, including cancelled ones not yet discarded.
    pub fn len_including_cancelled(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&mut self) -> bool {
        self.peek_time().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, _, p)| p)).collect();
        assert_eq!(order, vec!["a", "b", "c"]);
    }

    #[test]
    fn cancelled_events_never_fire() {
        let mut q = EventQueue::new();
        let a = q.push(SimTime(1), 1);
        q.push(SimTime(2), 2);
        assert!(q.cancel(a));
        assert!(!q.cancel(a), "second cancel reports nothing new");
        assert!(!q.cancel(EventId(99)), "unknown id");
        assert_eq!(q.peek_time(), Some(SimTime(2)));
        assert_eq!(q.pop().map(|e| e.2), Some(2));
        assert!(q.pop().is_none());
    }
}
