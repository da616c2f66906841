//! An indexed binary min-heap: resources by fill level, flows by due time.
//!
//! A fill re-keys a resource every time a flow on it is fixed or pulled in, and every
//! solve re-predicts the completions of the flows it moved. With a plain heap each re-key
//! leaves a stale entry behind (stale pops outnumbered real ones three to one on large
//! components); here a re-key moves the entry in place.

/// Min-heap of `(key, id)` with at most one entry per id; ids index a position table
/// that grows on demand.
#[derive(Default)]
pub(super) struct IndexedHeap {
    heap: Vec<(u64, u32)>,
    /// Position of each id in `heap`, or `NONE`.
    pos: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl IndexedHeap {
    pub fn clear(&mut self) {
        for &(_, id) in &self.heap {
            self.pos[id as usize] = NONE;
        }
        self.heap.clear();
    }

    pub fn peek(&self) -> Option<(u64, u32)> {
        self.heap.first().copied()
    }

    /// Inserts `id` with `key`, or moves it to `key` if present.
    pub fn set(&mut self, id: u32, key: u64) {
        if self.pos.len() <= id as usize {
            self.pos.resize(id as usize + 1, NONE);
        }
        match self.pos[id as usize] {
            NONE => {
                self.heap.push((key, id));
                self.pos[id as usize] = (self.heap.len() - 1) as u32;
                self.sift_up(self.heap.len() - 1);
            }
            p => {
                let p = p as usize;
                let old = self.heap[p].0;
                self.heap[p].0 = key;
                if key < old {
                    self.sift_up(p);
                } else {
                    self.sift_down(p);
                }
            }
        }
    }

    pub fn remove(&mut self, id: u32) {
        let Some(&p) = self.pos.get(id as usize) else {
            return;
        };
        if p == NONE {
            return;
        }
        let p = p as usize;
        self.pos[id as usize] = NONE;
        let last = self.heap.pop().expect("a positioned id is in the heap");
        if p < self.heap.len() {
            self.heap[p] = last;
            self.pos[last.1 as usize] = p as u32;
            self.sift_up(p);
            let p = self.pos[last.1 as usize] as usize;
            self.sift_down(p);
        }
    }

    fn less(a: (u64, u32), b: (u64, u32)) -> bool {
        a < b
    }

    fn sift_up(&mut self, mut i: usize) {
        let item = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            if !Self::less(item, self.heap[parent]) {
                break;
            }
            self.heap[i] = self.heap[parent];
            self.pos[self.heap[i].1 as usize] = i as u32;
            i = parent;
        }
        self.heap[i] = item;
        self.pos[item.1 as usize] = i as u32;
    }

    fn sift_down(&mut self, mut i: usize) {
        let item = self.heap[i];
        let n = self.heap.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && Self::less(self.heap[r], self.heap[l]) {
                r
            } else {
                l
            };
            if !Self::less(self.heap[c], item) {
                break;
            }
            self.heap[i] = self.heap[c];
            self.pos[self.heap[i].1 as usize] = i as u32;
            i = c;
        }
        self.heap[i] = item;
        self.pos[item.1 as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::IndexedHeap;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// Against a sorted map: any sequence of sets and removals, then draining by
        /// peek-and-remove, yields the entries in (key, id) order.
        #[test]
        fn behaves_like_a_sorted_map(ops in prop::collection::vec((0u32..40, 0u64..100, any::<bool>()), 0..300)) {
            let mut h = IndexedHeap::default();
            let mut m: BTreeMap<u32, u64> = BTreeMap::new();
            for (id, key, remove) in ops {
                if remove {
                    h.remove(id);
                    m.remove(&id);
                } else {
                    h.set(id, key);
                    m.insert(id, key);
                }
                let want = m.iter().map(|(&i, &k)| (k, i)).min();
                prop_assert_eq!(h.peek(), want);
            }
            let mut want: Vec<(u64, u32)> = m.iter().map(|(&i, &k)| (k, i)).collect();
            want.sort();
            let mut got = Vec::new();
            while let Some((k, i)) = h.peek() {
                got.push((k, i));
                h.remove(i);
            }
            prop_assert_eq!(got, want);
        }
    }
}
