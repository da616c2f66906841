//! Shared route segments: one list of (resource, weight) pairs that many flows cross, held
//! once.
//!
//! A flow with a segment behaves exactly as if the segment's pairs were appended to its
//! route; what changes is the cost. A striped read crosses a share of every device of a
//! cluster, so each of its per-server pieces would carry a route as long as the cluster
//! and a change would cost pieces × devices. A resource instead lists the segments it is
//! in, and the fill keeps two sums per segment — the streams of its members still being
//! filled and the load of those already fixed — from which any member resource's level
//! follows in O(segments on it). Fixing a member never lowers another resource's level
//! (see `solve.rs`), so the resources of a segment are re-keyed lazily, when they reach
//! the top of the fill.
//!
//! A network that has used a segment re-fills whole connected components (`solve.rs`):
//! the lazy fill's "vouching" argument reads a resource's flows one by one, which a
//! segment hides. The component of a striped cluster is everything anyway.
//!
//! Lifetime: the model adds a segment, starts flows on it, and retires it when it makes
//! new routes; the segment is freed (its id reused) once no flow that is waiting or
//! transferring refers to it.

use super::network::FlowNetwork;
use super::{ResourceId, SegmentId};
use crate::time::SimDuration;

/// Marks "no segment" in a group's route.
pub(super) const NO_SEGMENT: u32 = u32::MAX;

pub(super) struct Segment {
    /// (resource, weight), sorted by resource, each resource once.
    pub entries: Vec<(u32, f64)>,
    /// Sum of the latencies of the route as given (a resource named twice, twice).
    pub latency: SimDuration,
    /// Groups of this segment that are transferring.
    pub members: Vec<u32>,
    /// Flows waiting or transferring on it: it is freed when this is 0 and it is retired.
    pub refs: u32,
    pub retired: bool,
    pub live: bool,
    // Fill scratch.
    pub visit: u32,
    /// Streams of members not yet fixed in this fill, and how many members that is.
    pub active_n: f64,
    pub active: u32,
    /// Σ streams × per-stream rate of the members fixed in this fill.
    pub fixed_load: f64,
    /// Σ streams × per-stream rate of every member after the last solve: the segment's
    /// share of each of its resources' load is weight × this.
    pub load: f64,
}

impl FlowNetwork {
    /// Adds a segment of `route` with one positive finite weight per element (empty:
    /// 1 everywhere). A resource named twice consumes twice, as in a route.
    ///
    /// # Panics
    /// On an unknown resource or a weight that is not positive and finite (a caller bug).
    pub fn add_segment(&mut self, route: &[ResourceId], weights: &[f64]) -> SegmentId {
        assert!(
            weights.is_empty() || weights.len() == route.len(),
            "segment weights must match the route ({} vs {})",
            weights.len(),
            route.len()
        );
        let mut entries: Vec<(u32, f64)> = Vec::with_capacity(route.len());
        let mut latency = SimDuration::ZERO;
        for (k, r) in route.iter().enumerate() {
            assert!(
                (r.0 as usize) < self.resources.len(),
                "unknown resource {r:?}"
            );
            latency = latency + self.resources[r.0 as usize].latency;
            let w = weights.get(k).copied().unwrap_or(1.0);
            assert!(
                w.is_finite() && w > 0.0,
                "segment weights must be positive and finite"
            );
            entries.push((r.0, w));
        }
        entries.sort_by_key(|e| e.0);
        entries.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 += b.1;
            }
            same
        });
        let seg = Segment {
            entries,
            latency,
            members: Vec::new(),
            refs: 0,
            retired: false,
            live: true,
            visit: 0,
            active_n: 0.0,
            active: 0,
            fixed_load: 0.0,
            load: 0.0,
        };
        let id = match self.free_segments.pop() {
            Some(i) => {
                self.segments[i as usize] = seg;
                i
            }
            None => {
                self.segments.push(seg);
                u32::try_from(self.segments.len() - 1).expect("fewer than 2^32 segments")
            }
        };
        for k in 0..self.segments[id as usize].entries.len() {
            let (r, w) = self.segments[id as usize].entries[k];
            self.resources[r as usize].segs.push((id, w));
        }
        self.segments_used = true;
        SegmentId(id)
    }

    /// No new flow will start on `s`: it is freed once its flows have finished.
    pub fn retire_segment(&mut self, s: SegmentId) {
        let seg = &mut self.segments[s.0 as usize];
        assert!(seg.live, "segment {} retired after it was freed", s.0);
        seg.retired = true;
        self.free_segment_if_unused(s.0);
    }

    /// Segments allocated now (live, retired or not): memory follows these.
    pub fn segments_held(&self) -> usize {
        self.segments.len() - self.free_segments.len()
    }

    pub(super) fn free_segment_if_unused(&mut self, s: u32) {
        let seg = &self.segments[s as usize];
        if !(seg.live && seg.retired && seg.refs == 0) {
            return;
        }
        debug_assert!(seg.members.is_empty());
        let entries = std::mem::take(&mut self.segments[s as usize].entries);
        for (r, _) in entries {
            let segs = &mut self.resources[r as usize].segs;
            if let Some(p) = segs.iter().position(|e| e.0 == s) {
                segs.swap_remove(p);
            }
            // Its last flow has left: every resource it crossed re-solves without it
            // (once it is gone, the segment no longer links them into one component).
            self.seed_res.push(r);
            self.dirty = true;
        }
        self.segments[s as usize].live = false;
        self.free_segments.push(s);
    }

    /// A flow on segment `s` (if any) has finished or been cancelled.
    pub(super) fn segment_flow_ended(&mut self, s: u32) {
        if s == NO_SEGMENT {
            return;
        }
        let seg = &mut self.segments[s as usize];
        seg.refs -= 1;
        self.free_segment_if_unused(s);
    }

    /// Remaining capacity and active shares of `r` in the current fill, its segments'
    /// sums included.
    pub(super) fn rem_shares(&self, r: u32) -> (f64, f64, bool) {
        let res = &self.resources[r as usize];
        let (mut rem, mut shares, mut active) = (res.rem, res.shares, res.active > 0);
        for &(s, w) in &res.segs {
            let seg = &self.segments[s as usize];
            if seg.visit != self.gen {
                continue;
            }
            rem -= w * seg.fixed_load;
            if seg.active > 0 {
                shares += w * seg.active_n;
                active = true;
            }
        }
        (rem, shares, active)
    }
}
