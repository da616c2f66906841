//! The flow network: resources, flows and their groups, the due-event heaps and the public
//! API.
//!
//! # Exact time
//!
//! The network keeps its own clock, `clock`, as an exact f64 instant in seconds. The model
//! drives it on whole nanoseconds, but inside [`FlowNetwork::advance_to`] completions are
//! processed in the order of their exact instants, each at its instant: a completion at
//! t* re-solves the rates at t*, not at the nanosecond its wake-up fires on. Progress and
//! resource accounting are anchored at those instants too. Flows started by the model
//! (and latency phases, whole nanoseconds long) begin exactly on their nanosecond.
//!
//! # Groups and virtual time
//!
//! Flows with the same route, weights and per-stream cap always get the same per-stream
//! rate, so the solver sees them as one entity, a *group*, whose multiplicity is the sum
//! of its transferring members'. A group keeps a virtual position: the bytes each of its
//! streams has moved since the group last became busy (a double-double sum, so a member
//! that joins late is not rounded to the group's large position). A member is done when
//! the position reaches its target, position at join + size / multiplicity; members wait
//! in a per-group heap by target, and only the group's earliest completion sits in the
//! network's due heap. A rate change then costs one re-key per group, not per flow: 10k
//! flows sharing one link are one group, and each completion is O(log n).

use super::indexed_heap::IndexedHeap;
use super::segment::NO_SEGMENT;
use super::{FlowId, FlowSpec, ResourceId, DONE_REL_EPS};
use crate::stats::IntervalSeries;
use crate::time::{SimDuration, SimTime};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// Where a flow is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowState {
    /// Waiting out its route latency; consumes no bandwidth.
    Latency,
    Transferring,
    Done,
    Cancelled,
}

/// A transferring group's crossing of a resource.
#[derive(Clone, Copy, Debug)]
pub(super) struct Elem {
    /// The group (the solver's entity; named `flow` in the solver).
    pub flow: u32,
    /// Position in the group's route.
    pub pos: u32,
    /// Multiplicity × consumption weight: the shares the group takes here.
    pub share: f64,
}

pub(super) struct Resource {
    pub capacity: f64,
    pub latency: SimDuration,
    /// Every transferring group crossing here, once per mention in its route.
    pub elems: Vec<Elem>,
    /// Shared segments crossing here, with their weight here.
    pub segs: Vec<(u32, f64)>,
    /// Bytes/s carried since the last solve of this resource's component.
    pub load: f64,
    /// Exact instant (s) up to which `bytes` and `busy_s` are banked.
    pub acct_time: f64,
    pub bytes: f64,
    pub busy_s: f64,
    pub series: Option<IntervalSeries>,
    // Solver scratch, valid only during one solve.
    pub visit: u32,
    pub rem: f64,
    pub shares: f64,
    /// Component elements not yet fixed during a fill (exact, unlike `shares`).
    pub active: u32,
    pub new_load: f64,
    pub touched: bool,
    /// Level at which the resource saturated in this fill (infinity if it did not).
    pub sat_level: f64,
    /// Per-stream level at which the resource saturated in the last solve that included
    /// it, which is then the fastest per-stream rate crossing it; infinity if it was not
    /// saturated. Lets an untouched resource vouch for its flows' rates (see `solve.rs`).
    pub level: f64,
}

/// A double-double: `hi + lo` with `|lo| ≤ ulp(hi) / 2`, about 32 significant digits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Pos {
    pub hi: f64,
    pub lo: f64,
}

impl Pos {
    /// `self + x`, rounded to a double-double (Knuth's two-sum, then renormalised).
    pub fn add(self, x: f64) -> Pos {
        let s = self.hi + x;
        if !s.is_finite() {
            return Pos { hi: s, lo: 0.0 };
        }
        let bb = s - self.hi;
        let err = (self.hi - (s - bb)) + (x - bb);
        let lo = self.lo + err;
        let hi = s + lo;
        Pos {
            hi,
            lo: lo - (hi - s),
        }
    }
    /// `self - other` as one f64 (exact to the rounding of the result).
    pub fn minus(self, other: Pos) -> f64 {
        if !self.hi.is_finite() {
            return self.hi;
        }
        (self.hi - other.hi) + (self.lo - other.lo)
    }
}

/// A flow's progress and life: what the solver does not read.
pub(super) struct Flow {
    pub size: f64,
    /// Multiplicity as a float (it is summed into its group's).
    pub m: f64,
    pub group: u32,
    pub state: FlowState,
    pub start: SimTime,
    pub transfer_start: Option<SimTime>,
    /// The nanosecond event of its completion or its cancellation.
    pub end: Option<SimTime>,
    /// Exact completion instant in seconds (NaN unless done).
    pub exact_end: f64,
    /// Group position when the flow joined, and at which it is done.
    pub v0: Pos,
    pub target: Pos,
    /// Bytes moved, once the flow no longer transfers.
    pub moved: f64,
    /// Incremented each time the slot is reused, so that a heap entry left behind by a
    /// cancelled flow is never mistaken for the slot's next flow.
    pub generation: u32,
}

/// What the solver reads of a group, kept apart from [`Group`] so that scanning the
/// groups on a resource touches one cache line per group.
#[repr(align(64))]
pub(super) struct FlowRate {
    /// Per-stream rate from the last solve that changed it. NaN before the first solve
    /// (and after the membership changes) so that the next solve always re-anchors it.
    pub rate: f64,
    /// Per-stream cap; infinity when none.
    pub cap: f64,
    /// Streams of the transferring members (0 when the group is idle).
    pub n: f64,
    pub route_off: u32,
    pub route_len: u32,
    /// Shared segment the group also crosses (`NO_SEGMENT`: none).
    pub segment: u32,
    /// The resource whose saturation fixed the rate in the last solve (`u32::MAX` for
    /// the cap): checked first when asking whether the rate still holds.
    pub bottleneck: u32,
    // Solver scratch.
    pub visit: u32,
    pub fixed: u32,
    /// Generation in which a re-examination of this (frozen) group was queued.
    pub check: u32,
    pub new_rate: f64,
}

impl FlowRate {
    pub fn active(&self) -> bool {
        self.n > 0.0
    }
}

/// A group's progress: its virtual position and its members by target.
pub(super) struct Group {
    /// Exact instant (s) at which `pos` is banked.
    pub anchor: f64,
    /// Bytes each stream has moved since the group last became busy, at `anchor`.
    pub pos: Pos,
    /// Transferring members by target (hi part's bits) as (key, flow, generation), with
    /// cancelled ones left behind until they reach the top.
    pub members: BinaryHeap<Reverse<(u64, u32, u32)>>,
    /// Position in its segment's member list while transferring.
    pub seg_slot: u32,
}

/// Per-flow accounting, as of the network's current time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlowStats {
    pub state: FlowState,
    pub start: SimTime,
    /// When the latency phase ended and bytes began to move.
    pub transfer_start: Option<SimTime>,
    /// Completion (state `Done`: the nanosecond its event fired on, `SimTime::MAX` past
    /// the clock's range) or cancellation time.
    pub end: Option<SimTime>,
    pub bytes_moved: f64,
    /// Total rate over all streams, bytes/s.
    pub rate: f64,
    /// Exact completion instant in seconds: rates change at these instants, so this is
    /// what compares with continuous-time simulators (`None` unless done).
    pub exact_end_s: Option<f64>,
}

/// Per-resource accounting, as of the network's current time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResourceStats {
    pub capacity: f64,
    /// Bytes/s currently carried.
    pub load: f64,
    pub bytes_carried: f64,
    /// Time during which the load was positive (rounded to the nanosecond).
    pub busy: SimDuration,
}

/// Hashes a group's identity (route, weights, cap) without allocating: a multiply-rotate
/// mix of each word (the flow network is not exposed to adversarial keys).
fn group_hash(spec: &FlowSpec, cap: f64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = cap.to_bits().wrapping_mul(K);
    let mut mix = |x: u64| h = (h.rotate_left(5) ^ x).wrapping_mul(K);
    mix(spec.route.len() as u64);
    for r in &spec.route {
        mix(r.0 as u64);
    }
    for k in 0..spec.route.len() {
        mix(spec.weight(k).to_bits());
    }
    mix(spec.segment.map_or(u64::MAX, |s| s.0 as u64));
    h
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(super) struct PassThrough(u64);

impl std::hash::Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type GroupIndex = HashMap<u64, u32, std::hash::BuildHasherDefault<PassThrough>>;

/// Resources, flows and the incremental max-min solver. See the [module docs](super).
pub struct FlowNetwork {
    /// The nanosecond the model last advanced or mutated the network at.
    pub(super) now: SimTime,
    /// The exact instant (s) rates and accounting are anchored at; never after `now`.
    pub(super) clock: f64,
    pub(super) resources: Vec<Resource>,
    pub(super) flows: Vec<Flow>,
    /// Solver view of each group, indexed by group.
    pub(super) rates: Vec<FlowRate>,
    pub(super) groups: Vec<Group>,
    /// Groups by identity hash: the first group with that hash; others follow in
    /// `next_same_hash`.
    pub(super) group_of: GroupIndex,
    pub(super) next_same_hash: Vec<u32>,
    /// Per group route element: resource, consumption weight, and index in the resource's
    /// `elems` (for O(1) removal).
    pub(super) route_pool: Vec<u32>,
    pub(super) weight_pool: Vec<f64>,
    pub(super) slot_pool: Vec<u32>,
    /// Flows in their latency phase by the nanosecond it ends.
    pub(super) latency_due: IndexedHeap,
    /// Groups by the exact instant (f64 bits) of their next completion.
    pub(super) due: IndexedHeap,
    pub(super) completed: Vec<FlowId>,
    /// Slots of released flows, reused by the next starts (last released first).
    pub(super) free: Vec<u32>,
    pub(super) series_interval: Option<SimDuration>,
    // Pending change, solved lazily so simultaneous changes cost one solve: the groups
    // whose membership changed and the resources whose groups or capacity changed.
    pub(super) dirty: bool,
    pub(super) seed_res: Vec<u32>,
    pub(super) seed_flows: Vec<u32>,
    // Solver scratch kept between solves to avoid allocating on the hot path.
    pub(super) gen: u32,
    /// Resources and groups taking part in the current fill.
    pub(super) comp_res: Vec<u32>,
    pub(super) comp_flows: Vec<u32>,
    /// (level key, kind << 32 | id, stamp), see `solve.rs`.
    pub(super) events: BinaryHeap<Reverse<(u64, u64)>>,
    pub(super) levels: IndexedHeap,
    pub(super) fill_level: f64,
    pub(super) above: Vec<(f64, f64, u32)>,
    pub(super) to_fix: Vec<u32>,
    pub(super) touched: Vec<u32>,
    pub(super) solves: u64,
    pub(super) solved_flows: u64,
    pub(super) rekeys: u64,
    pub(super) fallbacks: u64,
    /// Tests set this to exercise the fallback fill on every solve.
    pub(super) component_fill_only: bool,
    pub(super) segments: Vec<super::segment::Segment>,
    pub(super) free_segments: Vec<u32>,
    /// Set once a segment is added: whole components are re-filled from then on.
    pub(super) segments_used: bool,
    pub(super) comp_segs: Vec<u32>,
}

impl Default for FlowNetwork {
    fn default() -> Self {
        Self::new()
    }
}

/// The first nanosecond at or after the exact instant `t` (in the sense of
/// [`SimTime::as_secs_f64`], so that advancing to it processes `t`); `None` past the
/// clock's range.
pub(crate) fn ceil_ns(t: f64) -> Option<SimTime> {
    let x = (t * 1e9).ceil();
    if x.is_nan() || x >= 1.8e19 {
        return None;
    }
    let mut n = x.max(0.0) as u64;
    while n > 0 && SimTime(n - 1).as_secs_f64() >= t {
        n -= 1;
    }
    while SimTime(n).as_secs_f64() < t {
        n += 1;
    }
    Some(SimTime(n))
}

fn key(t: f64) -> u64 {
    t.max(0.0).to_bits()
}

impl FlowNetwork {
    pub fn new() -> Self {
        FlowNetwork {
            now: SimTime::ZERO,
            clock: 0.0,
            resources: Vec::new(),
            flows: Vec::new(),
            rates: Vec::new(),
            groups: Vec::new(),
            group_of: GroupIndex::default(),
            next_same_hash: Vec::new(),
            route_pool: Vec::new(),
            weight_pool: Vec::new(),
            slot_pool: Vec::new(),
            latency_due: IndexedHeap::default(),
            due: IndexedHeap::default(),
            completed: Vec::new(),
            free: Vec::new(),
            series_interval: None,
            dirty: false,
            seed_res: Vec::new(),
            seed_flows: Vec::new(),
            gen: 0,
            comp_res: Vec::new(),
            comp_flows: Vec::new(),
            events: BinaryHeap::new(),
            levels: IndexedHeap::default(),
            fill_level: 0.0,
            above: Vec::new(),
            to_fix: Vec::new(),
            touched: Vec::new(),
            solves: 0,
            solved_flows: 0,
            rekeys: 0,
            fallbacks: 0,
            component_fill_only: false,
            segments: Vec::new(),
            free_segments: Vec::new(),
            segments_used: false,
            comp_segs: Vec::new(),
        }
    }

    /// Records a utilisation (load / capacity) time series for every resource added from
    /// now on, averaged over `interval`. Off by default so large runs stay cheap.
    pub fn with_utilisation_series(mut self, interval: SimDuration) -> Self {
        self.series_interval = Some(interval);
        self
    }

    /// The network's clock: the latest time it was advanced or mutated at.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The exact instant, in seconds, rates and accounting are anchored at: the last
    /// completion processed, or the last time the model advanced or mutated the network.
    pub fn exact_now(&self) -> f64 {
        self.clock
    }

    /// Adds a resource. Resources are meant to be added before the run, but adding one later
    /// is fine: it starts idle.
    ///
    /// # Panics
    /// If `capacity` is negative or NaN (a caller bug; inputs are validated upstream).
    pub fn add_resource(&mut self, capacity: f64, latency: SimDuration) -> ResourceId {
        assert!(
            capacity >= 0.0,
            "resource capacity must be ≥ 0, got {capacity}"
        );
        let id = ResourceId(self.resources.len() as u32);
        self.resources.push(Resource {
            capacity,
            latency,
            elems: Vec::new(),
            segs: Vec::new(),
            load: 0.0,
            acct_time: self.clock,
            bytes: 0.0,
            busy_s: 0.0,
            series: self.series_interval.map(|iv| IntervalSeries::new(iv, 0.0)),
            visit: 0,
            rem: 0.0,
            shares: 0.0,
            active: 0,
            new_load: 0.0,
            touched: false,
            sat_level: f64::INFINITY,
            level: f64::INFINITY,
        });
        id
    }

    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }

    pub fn flow_count(&self) -> usize {
        self.flows.len()
    }

    /// Number of groups (distinct route, weights and cap) the flows so far fell into.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    pub fn capacity(&self, r: ResourceId) -> f64 {
        self.resources[r.0 as usize].capacity
    }

    /// Changes a resource's capacity at `now` (0 models a failure; flows over it stall
    /// until it comes back).
    ///
    /// # Panics
    /// If `capacity` is negative or NaN, or `now` is before the network's clock.
    pub fn set_capacity(&mut self, now: SimTime, r: ResourceId, capacity: f64) {
        assert!(
            capacity >= 0.0,
            "resource capacity must be ≥ 0, got {capacity}"
        );
        self.sync(now);
        let ri = r.0 as usize;
        if self.resources[ri].capacity == capacity {
            return;
        }
        self.resources[ri].capacity = capacity;
        self.seed_res.push(r.0);
        self.dirty = true;
    }

    /// Starts a flow at `now`.
    ///
    /// # Panics
    /// On a caller bug: multiplicity 0, negative or NaN size or cap, an unknown resource,
    /// or `now` before the network's clock.
    pub fn start_flow(&mut self, now: SimTime, spec: &FlowSpec) -> FlowId {
        assert!(spec.multiplicity >= 1, "flow multiplicity must be ≥ 1");
        assert!(spec.size >= 0.0, "flow size must be ≥ 0, got {}", spec.size);
        let cap = spec.cap.unwrap_or(f64::INFINITY);
        assert!(cap >= 0.0, "flow cap must be ≥ 0, got {cap}");
        assert!(
            spec.weights.is_empty() || spec.weights.len() == spec.route.len(),
            "flow weights must match the route ({} vs {})",
            spec.weights.len(),
            spec.route.len()
        );
        assert!(
            spec.weights.iter().all(|w| w.is_finite() && *w > 0.0),
            "flow weights must be positive and finite"
        );
        let mut latency = SimDuration::ZERO;
        for r in &spec.route {
            let res = self
                .resources
                .get(r.0 as usize)
                .unwrap_or_else(|| panic!("unknown resource {r:?}"));
            latency = latency + res.latency;
        }
        if let Some(sg) = spec.segment {
            let seg = self
                .segments
                .get_mut(sg.0 as usize)
                .filter(|g| g.live && !g.retired)
                .unwrap_or_else(|| panic!("segment {} is not live", sg.0));
            seg.refs += 1;
            latency = latency + seg.latency;
        }
        self.sync(now);
        let group = self.group_for(spec, cap);
        let flow = Flow {
            size: spec.size,
            m: spec.multiplicity as f64,
            group,
            state: FlowState::Latency,
            start: now,
            transfer_start: None,
            end: None,
            exact_end: f64::NAN,
            v0: Pos::default(),
            target: Pos::default(),
            moved: 0.0,
            generation: 0,
        };
        let fi = match self.free.pop() {
            Some(fi) => {
                let generation = self.flows[fi as usize].generation.wrapping_add(1);
                self.flows[fi as usize] = Flow { generation, ..flow };
                fi
            }
            None => {
                let fi = u32::try_from(self.flows.len()).expect("more than 2^32 live flows");
                self.flows.push(flow);
                fi
            }
        };
        // A zero-size flow never joins the sharing: it is done once its latency has passed.
        if latency > SimDuration::ZERO || spec.size == 0.0 {
            self.latency_due.set(fi, (now + latency).as_nanos());
        } else {
            self.join(fi, now);
        }
        FlowId(fi)
    }

    /// The group of flows with `spec`'s route, weights and cap, created if new.
    fn group_for(&mut self, spec: &FlowSpec, cap: f64) -> u32 {
        let h = group_hash(spec, cap);
        let mut next = self.group_of.get(&h).copied().unwrap_or(u32::MAX);
        while next != u32::MAX {
            let g = next;
            let fr = &self.rates[g as usize];
            let ks = self.route(g);
            let same = fr.cap.to_bits() == cap.to_bits()
                && fr.segment == spec.segment.map_or(NO_SEGMENT, |s| s.0)
                && ks.len() == spec.route.len()
                && ks
                    .clone()
                    .zip(&spec.route)
                    .all(|(k, r)| self.route_pool[k] == r.0)
                && ks
                    .enumerate()
                    .all(|(i, k)| self.weight_pool[k].to_bits() == spec.weight(i).to_bits());
            if same {
                return g;
            }
            next = self.next_same_hash[g as usize];
        }
        let g = self.rates.len() as u32;
        let route_off = self.route_pool.len() as u32;
        for (k, r) in spec.route.iter().enumerate() {
            self.route_pool.push(r.0);
            self.weight_pool.push(spec.weight(k));
            self.slot_pool.push(u32::MAX);
        }
        self.rates.push(FlowRate {
            rate: f64::NAN,
            cap,
            n: 0.0,
            route_off,
            route_len: spec.route.len() as u32,
            segment: spec.segment.map_or(NO_SEGMENT, |s| s.0),
            bottleneck: u32::MAX,
            visit: 0,
            fixed: 0,
            check: 0,
            new_rate: 0.0,
        });
        self.groups.push(Group {
            anchor: self.clock,
            pos: Pos::default(),
            members: BinaryHeap::new(),
            seg_slot: u32::MAX,
        });
        let head = self.group_of.insert(h, g).unwrap_or(u32::MAX);
        self.next_same_hash.push(head);
        g
    }

    /// Cancels a flow at `now`, keeping the bytes it moved so far. Returns false if it had
    /// already completed or been cancelled.
    pub fn cancel_flow(&mut self, now: SimTime, id: FlowId) -> bool {
        self.sync(now);
        let fi = id.0;
        match self.flows[fi as usize].state {
            FlowState::Done | FlowState::Cancelled => false,
            FlowState::Latency => {
                let f = &mut self.flows[fi as usize];
                f.state = FlowState::Cancelled;
                f.end = Some(now);
                let g = f.group;
                self.latency_due.remove(fi);
                self.segment_flow_ended(self.rates[g as usize].segment);
                true
            }
            FlowState::Transferring => {
                let moved = self.moved(fi);
                let f = &mut self.flows[fi as usize];
                f.moved = moved;
                f.state = FlowState::Cancelled;
                f.end = Some(now);
                let (g, m) = (f.group, f.m);
                // Its heap entry stays behind, skipped when it reaches the top.
                self.bank(g);
                self.change_streams(g, -m);
                self.segment_flow_ended(self.rates[g as usize].segment);
                true
            }
        }
    }

    /// Gives back the slot of a finished (done or cancelled) flow so that a long run's
    /// memory stays bounded by the flows alive at once rather than every flow ever
    /// started. `id` must not be used afterwards: the next start may reuse it.
    ///
    /// # Panics
    /// If the flow is still waiting or transferring (a caller bug).
    pub fn release(&mut self, id: FlowId) {
        let f = &self.flows[id.0 as usize];
        assert!(
            matches!(f.state, FlowState::Done | FlowState::Cancelled),
            "only finished flows can be released, flow {} is {:?}",
            id.0,
            f.state
        );
        debug_assert!(!self.free.contains(&id.0), "flow {} released twice", id.0);
        self.free.push(id.0);
    }

    /// Moves the clock to `now`, processing everything due up to it, without taking the
    /// completions: the next [`advance_to`](Self::advance_to) returns them. For a model
    /// that reads progress (`remaining`, `flow_stats`) at `now` before it mutates anything:
    /// those read the network's clock, which only a mutation or an advance moves.
    pub fn sync_to(&mut self, now: SimTime) {
        self.sync(now);
    }

    /// Flow slots held: live flows plus finished ones not yet released.
    pub fn slots_held(&self) -> usize {
        self.flows.len() - self.free.len()
    }

    /// When the network next needs the model's attention (a completion or the end of a
    /// latency phase), or `None` if nothing will happen without outside change within the
    /// clock's range. A completion at an exact instant inside a nanosecond is due on the
    /// nanosecond that ends it.
    pub fn next_wake_time(&mut self) -> Option<SimTime> {
        self.flush();
        self.next_event().and_then(ceil_ns)
    }

    /// Moves the clock to `now`, processing everything due up to it in exact order, and
    /// returns the flows that completed since the previous call, in completion order.
    pub fn advance_to(&mut self, now: SimTime) -> Vec<FlowId> {
        self.sync(now);
        std::mem::take(&mut self.completed)
    }

    /// As [`advance_to`](Self::advance_to), appending to `out` instead of allocating.
    pub fn advance_to_into(&mut self, now: SimTime, out: &mut Vec<FlowId>) {
        self.sync(now);
        out.append(&mut self.completed);
    }

    /// Runs every remaining completion, however far in the future (also past the
    /// nanosecond clock's range), assuming no further outside change; appends the flows
    /// that completed. The clock stays at the last completion.
    pub fn drain_into(&mut self, out: &mut Vec<FlowId>) {
        self.run_events(f64::INFINITY);
        self.now = self.now.max(ceil_ns(self.clock).unwrap_or(SimTime::MAX));
        out.append(&mut self.completed);
    }

    /// Current total rate of a flow in bytes/s (0 unless transferring).
    pub fn rate(&mut self, id: FlowId) -> f64 {
        self.flush();
        let f = &self.flows[id.0 as usize];
        if f.state == FlowState::Transferring {
            f.m * self.rates[f.group as usize].rate
        } else {
            0.0
        }
    }

    /// Bytes still to move at the network's current time.
    pub fn remaining(&mut self, id: FlowId) -> f64 {
        self.flush();
        let f = &self.flows[id.0 as usize];
        (f.size - self.moved(id.0)).max(0.0)
    }

    pub fn state(&self, id: FlowId) -> FlowState {
        self.flows[id.0 as usize].state
    }

    /// Completion or cancellation time, if any.
    pub fn end_time(&self, id: FlowId) -> Option<SimTime> {
        self.flows[id.0 as usize].end
    }

    pub fn flow_stats(&mut self, id: FlowId) -> FlowStats {
        self.flush();
        let f = &self.flows[id.0 as usize];
        let rate = if f.state == FlowState::Transferring {
            f.m * self.rates[f.group as usize].rate
        } else {
            0.0
        };
        FlowStats {
            state: f.state,
            start: f.start,
            transfer_start: f.transfer_start,
            end: f.end,
            bytes_moved: self.moved(id.0),
            rate,
            exact_end_s: match f.state {
                FlowState::Done => Some(f.exact_end),
                _ => None,
            },
        }
    }

    pub fn resource_stats(&mut self, r: ResourceId) -> ResourceStats {
        self.flush();
        let res = &self.resources[r.0 as usize];
        let dt = (self.clock - res.acct_time).max(0.0);
        let busy = if res.load > 0.0 { dt } else { 0.0 };
        ResourceStats {
            capacity: res.capacity,
            load: res.load,
            bytes_carried: res.bytes + res.load * dt,
            busy: SimDuration::from_secs_f64(res.busy_s + busy),
        }
    }

    /// The utilisation series of `r` up to `end` (≥ the network clock), as (bucket start,
    /// mean load/capacity); `None` if series are off.
    pub fn utilisation_series(
        &mut self,
        r: ResourceId,
        end: SimTime,
    ) -> Option<Vec<(SimTime, f64)>> {
        self.flush();
        self.resources[r.0 as usize]
            .series
            .as_mut()
            .map(|s| s.points(end))
    }

    /// Number of solves so far and the total number of groups they re-filled; the ratio
    /// is the mean number of rates a change pulled in, a measure of how incremental a run
    /// was. A group stands for all flows of one route, weights and cap.
    pub fn solve_counts(&self) -> (u64, u64) {
        (self.solves, self.solved_flows)
    }

    /// Number of due-time re-keys so far (one per group whose rate or membership moved).
    pub fn rekey_count(&self) -> u64 {
        self.rekeys
    }

    /// How many solves gave up on the lazy fill and re-solved their whole connected
    /// component (a float-noise safety net; see `solve.rs`).
    pub fn fallback_count(&self) -> u64 {
        self.fallbacks
    }

    // ---- internals -------------------------------------------------------------------

    pub(super) fn route(&self, g: u32) -> std::ops::Range<usize> {
        let fl = &self.rates[g as usize];
        fl.route_off as usize..(fl.route_off + fl.route_len) as usize
    }

    /// Bytes a flow has moved as of the clock.
    fn moved(&self, f: u32) -> f64 {
        let fl = &self.flows[f as usize];
        if fl.state != FlowState::Transferring {
            return fl.moved;
        }
        let pos = self.pos_at(fl.group, self.clock);
        (fl.m * pos.minus(fl.v0)).clamp(0.0, fl.size)
    }

    /// Group `g`'s position at `t` (not before its anchor), at its current rate.
    fn pos_at(&self, g: u32, t: f64) -> Pos {
        let gr = &self.groups[g as usize];
        let rate = self.rates[g as usize].rate;
        let dt = t - gr.anchor;
        if rate > 0.0 && rate.is_finite() && dt > 0.0 {
            gr.pos.add(rate * dt)
        } else {
            gr.pos
        }
    }

    /// Banks group `g`'s progress up to the clock at its current rate.
    pub(super) fn bank(&mut self, g: u32) {
        let pos = self.pos_at(g, self.clock);
        let gr = &mut self.groups[g as usize];
        gr.pos = pos;
        gr.anchor = self.clock;
    }

    /// The exact instant of the next event: a latency end or a completion.
    fn next_event(&self) -> Option<f64> {
        let lat = self
            .latency_due
            .peek()
            .map(|(ns, _)| SimTime(ns).as_secs_f64());
        let done = self.due.peek().map(|(k, _)| f64::from_bits(k));
        match (lat, done) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Processes everything due up to `now`, solving before time moves on, then sets the
    /// clock to `now`. Changes at `now` itself stay pending: no byte moves before the next
    /// solve, so every change of one instant (the model's, and flows finishing or ending
    /// their latency) is solved once, together.
    pub(super) fn sync(&mut self, now: SimTime) {
        assert!(now >= self.now, "flow network asked to go back in time");
        let target = now.as_secs_f64();
        self.run_events(target);
        if target > self.clock {
            self.flush();
            self.clock = target;
        }
        self.now = now;
    }

    /// Fires, in exact order, every event at or before `target`, each at its instant.
    fn run_events(&mut self, target: f64) {
        loop {
            if self.dirty && target > self.clock {
                // Rates must be solved before time moves on (and before the next event
                // is known, since the solve re-predicts).
                self.flush();
            }
            let Some(t) = self.next_event() else { break };
            if t > target {
                break;
            }
            self.clock = self.clock.max(t);
            let t = self.clock;
            while let Some((ns, f)) = self.latency_due.peek() {
                if SimTime(ns).as_secs_f64() > t {
                    break;
                }
                self.latency_due.remove(f);
                self.end_latency(f, SimTime(ns));
            }
            while let Some((k, g)) = self.due.peek() {
                if f64::from_bits(k) > t {
                    break;
                }
                self.due.remove(g);
                self.complete_due(g);
            }
        }
    }

    fn end_latency(&mut self, f: u32, at: SimTime) {
        let fl = &self.flows[f as usize];
        if fl.state != FlowState::Latency {
            return;
        }
        if fl.size > 0.0 {
            self.join(f, at);
        } else {
            let fl = &mut self.flows[f as usize];
            fl.state = FlowState::Done;
            fl.end = Some(at);
            fl.exact_end = self.clock;
            let g = fl.group;
            self.completed.push(FlowId(f));
            self.segment_flow_ended(self.rates[g as usize].segment);
        }
    }

    /// Flow `f` starts transferring at the clock (the nanosecond `at`).
    fn join(&mut self, f: u32, at: SimTime) {
        let g = self.flows[f as usize].group;
        self.bank(g);
        if !self.rates[g as usize].active() {
            // A new busy period: positions restart from zero (and stay small).
            let gr = &mut self.groups[g as usize];
            gr.pos = Pos::default();
            gr.members.clear();
        }
        let pos = self.groups[g as usize].pos;
        let fl = &mut self.flows[f as usize];
        fl.state = FlowState::Transferring;
        fl.transfer_start = Some(at);
        fl.v0 = pos;
        fl.target = pos.add(fl.size / fl.m);
        let (m, hi) = (fl.m, fl.target.hi);
        let generation = self.flows[f as usize].generation;
        self.groups[g as usize]
            .members
            .push(Reverse((key(hi), f, generation)));
        self.change_streams(g, m);
    }

    /// Adds `dm` streams to group `g` (negative when members leave), already banked to
    /// the clock: joins or leaves its resources, updates its shares, and marks it for the
    /// next solve.
    fn change_streams(&mut self, g: u32, dm: f64) {
        let was = self.rates[g as usize].n;
        let n = was + dm;
        self.rates[g as usize].n = n;
        self.rates[g as usize].rate = f64::NAN;
        self.due.remove(g);
        let off = self.rates[g as usize].route_off;
        let seg = self.rates[g as usize].segment;
        if was <= 0.0 {
            for k in self.route(g) {
                let r = self.route_pool[k] as usize;
                let share = n * self.weight_pool[k];
                self.slot_pool[k] = self.resources[r].elems.len() as u32;
                self.resources[r].elems.push(Elem {
                    flow: g,
                    pos: k as u32 - off,
                    share,
                });
            }
            if seg != NO_SEGMENT {
                let members = &mut self.segments[seg as usize].members;
                self.groups[g as usize].seg_slot = members.len() as u32;
                members.push(g);
            }
            self.seed_flows.push(g);
        } else if n <= 0.0 {
            if seg != NO_SEGMENT {
                let p = self.groups[g as usize].seg_slot as usize;
                let sgm = &mut self.segments[seg as usize];
                sgm.members.swap_remove(p);
                if let Some(&moved) = sgm.members.get(p) {
                    self.groups[moved as usize].seg_slot = p as u32;
                }
                // The segment's resources lose load even if the group's own route is
                // empty: one of them seeds the re-solve of their component.
                if let Some(&(r, _)) = sgm.entries.first() {
                    self.seed_res.push(r);
                }
                self.groups[g as usize].seg_slot = u32::MAX;
            }
            self.rates[g as usize].n = 0.0;
            for k in self.route(g) {
                let r = self.route_pool[k] as usize;
                let p = self.slot_pool[k] as usize;
                let elems = &mut self.resources[r].elems;
                elems.swap_remove(p);
                if let Some(&e) = elems.get(p) {
                    let off2 = self.rates[e.flow as usize].route_off as usize;
                    self.slot_pool[off2 + e.pos as usize] = p as u32;
                }
                self.slot_pool[k] = u32::MAX;
                self.seed_res.push(r as u32);
            }
            self.groups[g as usize].members.clear();
        } else {
            for k in self.route(g) {
                let r = self.route_pool[k] as usize;
                let p = self.slot_pool[k] as usize;
                self.resources[r].elems[p].share = n * self.weight_pool[k];
            }
            self.seed_flows.push(g);
        }
        self.dirty = true;
    }

    /// Group `g`'s earliest member is due at the clock: completes it, and every other
    /// member done within float noise.
    fn complete_due(&mut self, g: u32) {
        self.bank(g);
        let pos = self.groups[g as usize].pos;
        let infinite = self.rates[g as usize].rate == f64::INFINITY;
        let end = ceil_ns(self.clock).unwrap_or(SimTime::MAX);
        let mut first = true;
        let mut dm = 0.0;
        let mut ended = 0u32;
        while let Some(&Reverse((_, f, generation))) = self.groups[g as usize].members.peek() {
            let fl = &self.flows[f as usize];
            if fl.state != FlowState::Transferring || fl.generation != generation {
                self.groups[g as usize].members.pop();
                continue;
            }
            let left = fl.m * fl.target.minus(pos);
            let noise = left.is_finite() && left <= DONE_REL_EPS * fl.size;
            if !(first || noise || (infinite && fl.size.is_finite())) {
                break;
            }
            first = false;
            self.groups[g as usize].members.pop();
            let fl = &mut self.flows[f as usize];
            fl.state = FlowState::Done;
            fl.end = Some(end);
            fl.exact_end = self.clock;
            fl.moved = fl.size;
            dm -= fl.m;
            ended += 1;
            self.completed.push(FlowId(f));
        }
        if dm != 0.0 {
            self.change_streams(g, dm);
        }
        for _ in 0..ended {
            self.segment_flow_ended(self.rates[g as usize].segment);
        }
    }

    /// Predicts group `g`'s next completion from its (new) rate and queues it.
    pub(super) fn predict(&mut self, g: u32) {
        self.rekeys += 1;
        let rate = self.rates[g as usize].rate;
        let gr = &mut self.groups[g as usize];
        let due = loop {
            let Some(&Reverse((_, f, generation))) = gr.members.peek() else {
                break None;
            };
            let fl = &self.flows[f as usize];
            if fl.state != FlowState::Transferring || fl.generation != generation {
                gr.members.pop();
                continue;
            }
            let left = fl.target.minus(gr.pos).max(0.0);
            break if !left.is_finite() {
                // Only steady streams are left.
                None
            } else if rate == f64::INFINITY || fl.m * left <= DONE_REL_EPS * fl.size {
                Some(gr.anchor)
            } else if rate > 0.0 {
                Some(gr.anchor + left / rate).filter(|t| t.is_finite())
            } else {
                None
            };
        };
        match due {
            Some(t) => self.due.set(g, key(t)),
            None => self.due.remove(g),
        }
    }

    pub(super) fn settle_resource(&mut self, r: usize) {
        let now = self.clock;
        let res = &mut self.resources[r];
        let dt = now - res.acct_time;
        if dt > 0.0 {
            res.bytes += res.load * dt;
            if res.load > 0.0 {
                res.busy_s += dt;
            }
        }
        res.acct_time = now;
    }

    /// The nanosecond the utilisation series records a change at the clock on.
    pub(super) fn series_time(&self) -> SimTime {
        SimTime::from_secs_f64(self.clock)
    }
}
