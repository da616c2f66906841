//! The flow network: resources, flows, the due-event heap and the public API.

use super::indexed_heap::IndexedHeap;
use super::{transfer_nanos, FlowId, FlowSpec, ResourceId};
use crate::stats::IntervalSeries;
use crate::time::{SimDuration, SimTime};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Where a flow is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowState {
    /// Waiting out its route latency; consumes no bandwidth.
    Latency,
    Transferring,
    Done,
    Cancelled,
}

/// A transferring flow's crossing of a resource.
#[derive(Clone, Copy, Debug)]
pub(super) struct Elem {
    pub flow: u32,
    /// Position in the flow's route.
    pub pos: u32,
    /// Multiplicity × consumption weight: the shares the flow takes here.
    pub share: f64,
}

pub(super) struct Resource {
    pub capacity: f64,
    pub latency: SimDuration,
    /// Every transferring flow crossing here, once per mention in its route.
    pub elems: Vec<Elem>,
    /// Bytes/s carried since the last solve of this resource's component.
    pub load: f64,
    pub acct_time: SimTime,
    pub bytes: f64,
    pub busy_ns: u64,
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

/// A flow's progress and life: what the solver does not read.
pub(super) struct Flow {
    /// Completion time in f64 seconds, before rounding up to the nanosecond event: what
    /// a report compares against other simulators (NaN until predicted).
    pub exact_end: f64,
    pub size: f64,
    pub state: FlowState,
    /// Progress is banked at `anchor`; between anchors it grows linearly at the rate.
    pub anchor: SimTime,
    pub anchor_moved: f64,
    pub start: SimTime,
    pub transfer_start: Option<SimTime>,
    pub end: Option<SimTime>,
    pub due: Option<SimTime>,
}

/// What the solver reads of a flow, kept apart from [`Flow`] so that scanning the flows
/// on a resource touches one cache line per flow.
#[repr(align(64))]
pub(super) struct FlowRate {
    /// Per-stream rate from the last solve that changed it. NaN before the first solve so
    /// that the first solve always anchors the flow.
    pub rate: f64,
    /// Per-stream cap; infinity when none.
    pub cap: f64,
    pub n: u32,
    pub route_off: u32,
    pub route_len: u32,
    /// The resource whose saturation fixed the rate in the last solve (`u32::MAX` for
    /// the cap): checked first when asking whether the rate still holds.
    pub bottleneck: u32,
    // Solver scratch.
    pub visit: u32,
    pub fixed: u32,
    /// Generation in which a re-examination of this (frozen) flow was queued.
    pub check: u32,
    pub new_rate: f64,
}

impl FlowRate {
    /// Total rate over all streams.
    pub fn total(&self) -> f64 {
        self.n as f64 * self.rate
    }
}

impl Flow {
    pub fn moved_at(&self, rate: &FlowRate, now: SimTime) -> f64 {
        match self.state {
            FlowState::Transferring => {
                let dt = (now - self.anchor).as_secs_f64();
                if rate.rate > 0.0 && dt > 0.0 {
                    self.anchor_moved + rate.total() * dt
                } else {
                    self.anchor_moved
                }
            }
            _ => self.anchor_moved,
        }
    }
}

/// Per-flow accounting, as of the network's current time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlowStats {
    pub state: FlowState,
    pub start: SimTime,
    /// When the latency phase ended and bytes began to move.
    pub transfer_start: Option<SimTime>,
    /// Completion (state `Done`) or cancellation time.
    pub end: Option<SimTime>,
    pub bytes_moved: f64,
    /// Total rate over all streams, bytes/s.
    pub rate: f64,
    /// Completion time in seconds before rounding to the nanosecond of its event: the
    /// last transfer segment's exact end (`None` unless done).
    pub exact_end_s: Option<f64>,
}

/// Per-resource accounting, as of the network's current time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResourceStats {
    pub capacity: f64,
    /// Bytes/s currently carried.
    pub load: f64,
    pub bytes_carried: f64,
    /// Time during which the load was positive.
    pub busy: SimDuration,
}

/// Resources, flows and the incremental max-min solver. See the [module docs](super).
pub struct FlowNetwork {
    pub(super) now: SimTime,
    pub(super) resources: Vec<Resource>,
    pub(super) flows: Vec<Flow>,
    pub(super) rates: Vec<FlowRate>,
    pub(super) route_pool: Vec<u32>,
    /// Consumption weight of each route element.
    pub(super) weight_pool: Vec<f64>,
    /// For each route element, its index in the resource's `elems` (for O(1) removal).
    pub(super) slot_pool: Vec<u32>,
    /// Flows by the nanosecond their next event (end of latency, completion) is due.
    pub(super) due: IndexedHeap,
    pub(super) completed: Vec<FlowId>,
    pub(super) series_interval: Option<SimDuration>,
    // Pending change, solved lazily so simultaneous changes cost one solve: the flows
    // that started transferring and the resources whose flows or capacity changed.
    pub(super) dirty: bool,
    pub(super) seed_res: Vec<u32>,
    pub(super) seed_flows: Vec<u32>,
    // Solver scratch kept between solves to avoid allocating on the hot path.
    pub(super) gen: u32,
    /// Resources and flows taking part in the current fill.
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
    pub(super) fallbacks: u64,
    /// Tests set this to exercise the fallback fill on every solve.
    pub(super) component_fill_only: bool,
}

impl Default for FlowNetwork {
    fn default() -> Self {
        Self::new()
    }
}

impl FlowNetwork {
    pub fn new() -> Self {
        FlowNetwork {
            now: SimTime::ZERO,
            resources: Vec::new(),
            flows: Vec::new(),
            rates: Vec::new(),
            route_pool: Vec::new(),
            weight_pool: Vec::new(),
            slot_pool: Vec::new(),
            due: IndexedHeap::default(),
            completed: Vec::new(),
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
            fallbacks: 0,
            component_fill_only: false,
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
            load: 0.0,
            acct_time: self.now,
            bytes: 0.0,
            busy_ns: 0,
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
        self.sync(now);
        let fi = self.flows.len() as u32;
        let route_off = self.route_pool.len() as u32;
        let mut latency = SimDuration::ZERO;
        for (k, r) in spec.route.iter().enumerate() {
            let res = self
                .resources
                .get(r.0 as usize)
                .unwrap_or_else(|| panic!("unknown resource {r:?}"));
            latency = latency + res.latency;
            self.route_pool.push(r.0);
            self.weight_pool.push(spec.weight(k));
            self.slot_pool.push(u32::MAX);
        }
        self.flows.push(Flow {
            size: spec.size,
            state: FlowState::Latency,
            anchor: now,
            anchor_moved: 0.0,
            start: now,
            transfer_start: None,
            end: None,
            due: None,
            exact_end: f64::NAN,
        });
        self.rates.push(FlowRate {
            rate: f64::NAN,
            cap,
            n: spec.multiplicity,
            route_off,
            route_len: spec.route.len() as u32,
            bottleneck: u32::MAX,
            visit: 0,
            fixed: 0,
            check: 0,
            new_rate: 0.0,
        });
        // A zero-size flow never joins the sharing: it is done once its latency has passed.
        if latency > SimDuration::ZERO || spec.size == 0.0 {
            self.set_due(fi, Some(now + latency));
        } else {
            self.join(fi);
        }
        FlowId(fi)
    }

    /// Cancels a flow at `now`, keeping the bytes it moved so far. Returns false if it had
    /// already completed or been cancelled.
    pub fn cancel_flow(&mut self, now: SimTime, id: FlowId) -> bool {
        self.sync(now);
        let fi = id.0;
        let f = &mut self.flows[fi as usize];
        match f.state {
            FlowState::Done | FlowState::Cancelled => false,
            FlowState::Latency => {
                f.state = FlowState::Cancelled;
                f.end = Some(now);
                self.set_due(fi, None);
                true
            }
            FlowState::Transferring => {
                f.anchor_moved = f.moved_at(&self.rates[fi as usize], now);
                f.anchor = now;
                f.state = FlowState::Cancelled;
                f.end = Some(now);
                self.set_due(fi, None);
                self.leave(fi);
                true
            }
        }
    }

    /// When the network next needs the model's attention (a completion or the end of a
    /// latency phase), or `None` if nothing will happen without outside change.
    pub fn next_wake_time(&mut self) -> Option<SimTime> {
        self.flush();
        self.peek_due()
    }

    /// Moves the clock to `now`, processing everything due up to it, and returns the flows
    /// that completed since the previous call, in completion order.
    pub fn advance_to(&mut self, now: SimTime) -> Vec<FlowId> {
        self.sync(now);
        std::mem::take(&mut self.completed)
    }

    /// As [`advance_to`](Self::advance_to), appending to `out` instead of allocating.
    pub fn advance_to_into(&mut self, now: SimTime, out: &mut Vec<FlowId>) {
        self.sync(now);
        out.append(&mut self.completed);
    }

    /// Current total rate of a flow in bytes/s (0 unless transferring).
    pub fn rate(&mut self, id: FlowId) -> f64 {
        self.flush();
        if self.flows[id.0 as usize].state == FlowState::Transferring {
            self.rates[id.0 as usize].total()
        } else {
            0.0
        }
    }

    /// Bytes still to move at the network's current time.
    pub fn remaining(&mut self, id: FlowId) -> f64 {
        self.flush();
        let f = &self.flows[id.0 as usize];
        (f.size - f.moved_at(&self.rates[id.0 as usize], self.now)).max(0.0)
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
        let fr = &self.rates[id.0 as usize];
        let rate = if f.state == FlowState::Transferring {
            fr.total()
        } else {
            0.0
        };
        FlowStats {
            state: f.state,
            start: f.start,
            transfer_start: f.transfer_start,
            end: f.end,
            bytes_moved: f.moved_at(fr, self.now),
            rate,
            exact_end_s: match f.state {
                FlowState::Done if f.exact_end.is_finite() => Some(f.exact_end),
                FlowState::Done => f.end.map(SimTime::as_secs_f64),
                _ => None,
            },
        }
    }

    pub fn resource_stats(&mut self, r: ResourceId) -> ResourceStats {
        self.flush();
        let res = &self.resources[r.0 as usize];
        let dt = self.now - res.acct_time;
        let busy = if res.load > 0.0 { dt.as_nanos() } else { 0 };
        ResourceStats {
            capacity: res.capacity,
            load: res.load,
            bytes_carried: res.bytes + res.load * dt.as_secs_f64(),
            busy: SimDuration(res.busy_ns + busy),
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

    /// Number of solves so far and the total number of flows they re-filled; the ratio is
    /// the mean number of flows a change pulled in, a measure of how incremental a run was.
    pub fn solve_counts(&self) -> (u64, u64) {
        (self.solves, self.solved_flows)
    }

    /// How many solves gave up on the lazy fill and re-solved their whole connected
    /// component (a float-noise safety net; see `solve.rs`).
    pub fn fallback_count(&self) -> u64 {
        self.fallbacks
    }

    // ---- internals -------------------------------------------------------------------

    pub(super) fn route(&self, f: u32) -> std::ops::Range<usize> {
        let fl = &self.rates[f as usize];
        fl.route_off as usize..(fl.route_off + fl.route_len) as usize
    }

    pub(super) fn set_due(&mut self, f: u32, due: Option<SimTime>) {
        self.flows[f as usize].due = due;
        match due {
            Some(t) => self.due.set(f, t.as_nanos()),
            None => self.due.remove(f),
        }
    }

    fn peek_due(&self) -> Option<SimTime> {
        self.due.peek().map(|(t, _)| SimTime(t))
    }

    /// Processes everything due up to `now`, solving before time moves on, then sets the
    /// clock to `now`. Changes at `now` itself stay pending: no byte moves before the next
    /// solve, so every change of one instant (the model's, and flows finishing or ending
    /// their latency) is solved once, together.
    pub(super) fn sync(&mut self, now: SimTime) {
        assert!(now >= self.now, "flow network asked to go back in time");
        loop {
            if now > self.now {
                self.flush();
            }
            match self.peek_due() {
                Some(t) if t <= now => {
                    self.now = t;
                    while let Some((tn, f)) = self.due.peek() {
                        if tn != t.as_nanos() {
                            break;
                        }
                        self.due.remove(f);
                        self.fire(f);
                    }
                }
                _ => break,
            }
        }
        self.now = now;
    }

    fn fire(&mut self, f: u32) {
        let fl = &self.flows[f as usize];
        match fl.state {
            FlowState::Latency if fl.size > 0.0 => {
                self.set_due(f, None);
                self.join(f);
            }
            FlowState::Latency => self.complete(f),
            FlowState::Transferring => {
                self.complete(f);
            }
            FlowState::Done | FlowState::Cancelled => {}
        }
    }

    fn join(&mut self, f: u32) {
        let now = self.now;
        let fl = &mut self.flows[f as usize];
        fl.state = FlowState::Transferring;
        fl.transfer_start = Some(now);
        fl.anchor = now;
        fl.anchor_moved = 0.0;
        let fr = &mut self.rates[f as usize];
        fr.rate = f64::NAN;
        let (n, off) = (fr.n as f64, fr.route_off);
        for k in self.route(f) {
            let r = self.route_pool[k] as usize;
            let share = n * self.weight_pool[k];
            self.slot_pool[k] = self.resources[r].elems.len() as u32;
            self.resources[r].elems.push(Elem {
                flow: f,
                pos: k as u32 - off,
                share,
            });
        }
        self.seed_flows.push(f);
        self.dirty = true;
    }

    fn leave(&mut self, f: u32) {
        for k in self.route(f) {
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
        self.dirty = true;
    }

    fn complete(&mut self, f: u32) {
        let now = self.now;
        let was_transferring = self.flows[f as usize].state == FlowState::Transferring;
        let fl = &mut self.flows[f as usize];
        fl.state = FlowState::Done;
        fl.end = Some(now);
        fl.anchor = now;
        fl.anchor_moved = fl.size;
        self.set_due(f, None);
        if was_transferring {
            self.leave(f);
        }
        self.completed.push(FlowId(f));
    }

    /// Predicts a flow's completion: the nanosecond event (rounded up) and, kept on the
    /// flow, the exact f64 time the last segment ends.
    pub(super) fn predict(&mut self, f: u32) -> Option<SimTime> {
        let total = self.rates[f as usize].total();
        let fl = &mut self.flows[f as usize];
        let remaining = fl.size - fl.anchor_moved;
        let due = transfer_nanos(remaining, fl.size, total).map(|ns| fl.anchor + SimDuration(ns));
        fl.exact_end = match due {
            Some(t) if total.is_finite() && total > 0.0 && remaining > 0.0 => {
                // Never later than the event that completes it.
                (fl.anchor.as_secs_f64() + remaining / total).min(t.as_secs_f64())
            }
            Some(t) => t.as_secs_f64(),
            None => f64::NAN,
        };
        due
    }

    pub(super) fn settle_resource(&mut self, r: usize) {
        let now = self.now;
        let res = &mut self.resources[r];
        let dt = now - res.acct_time;
        if dt > SimDuration::ZERO {
            res.bytes += res.load * dt.as_secs_f64();
            if res.load > 0.0 {
                res.busy_ns += dt.as_nanos();
            }
        }
        res.acct_time = now;
    }
}
