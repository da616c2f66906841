//! Flow-level (fluid) resource sharing: max-min fair rates over shared resources, solved
//! incrementally as flows come and go.
//!
//! # Model
//!
//! - A **resource** has a capacity in bytes/s (which may change during a run, e.g. to 0 on a
//!   failure and back) and a latency.
//! - A **flow** moves `size` bytes over an ordered route of resources. It first waits the sum
//!   of its route's latencies without consuming bandwidth, then transfers. A flow may stand
//!   for `multiplicity` n identical streams: it takes n shares on every resource it crosses,
//!   its per-stream cap (if any) becomes n × cap in total, and every rate it reports is the
//!   total of its streams. A size of `f64::INFINITY` is a steady stream that never
//!   completes, for measuring steady-state throughput.
//! - Rates are plain unweighted **max-min fair** (progressive filling, as SimGrid's LMM with
//!   plain sharing): raise every stream's rate together; when a resource saturates, or a
//!   stream reaches its cap, freeze the streams concerned and go on with the rest. A route
//!   that names a resource twice consumes twice there (as SimGrid does).
//! - Time is **exact in continuous time**. The network keeps its own clock as an f64
//!   instant in seconds: a flow completes at the exact instant t* its last byte moves, and
//!   the rate changes it causes take effect at t*, not on a nanosecond grid. The model's
//!   kernel orders events on integer nanoseconds, so the wake-up for t* fires on the first
//!   nanosecond at or after it, and [`FlowNetwork::advance_to`] processes every completion
//!   up to that nanosecond in exact order, re-solving at each instant. Starts, capacity
//!   changes and latency ends happen on their nanoseconds (exactly representable
//!   instants). Reported completion instants ([`FlowStats::exact_end_s`],
//!   [`run_batch_exact`]) match a continuous-time max-min simulation to ~1e-14 relative on
//!   the issue #17 instances, and the tests hold them to 1e-9 of each flow's duration
//!   against the [`oracle`], also for microsecond flows.
//!
//! # Incremental solving
//!
//! A change (a flow starts transferring, ends, is cancelled; a capacity changes) marks the
//! flows and resources it touches; changes at one instant are solved once, together,
//! before time moves on or a query needs the rates. The solve starts from the previous
//! allocation: every flow keeps its rate ("frozen") unless the bottleneck argument that
//! makes max-min allocations unique could fail for it, and only the flows pulled in are
//! re-filled (see `solve.rs`). Each resource remembers the level it saturated at, which
//! is what lets an untouched resource vouch for its flows. The cost of a change follows the
//! number of flows whose rate actually moves, not the size of the connected component
//! (on a 10k-flow burst of random routes, ~210 flows per change against a component of
//! thousands). Where floating-point noise breaks an assumption of that argument, the
//! solve falls back to re-filling the whole connected component.
//!
//! The solver's entity is a *group*: the flows of one route, weights and cap, which max-min
//! always gives the same per-stream rate. A group keeps a virtual position (bytes per
//! stream since it became busy) and its members wait in a heap by the position at which
//! they are done, so a rate change re-keys one due time per group, not per flow (see
//! `network.rs`). Groups whose rate comes out unchanged keep their prediction; the others
//! are re-anchored and re-keyed in place in an indexed heap of exact due instants.
//!
//! # Where the time goes
//!
//! Measured with `cargo bench --bench flows` (figures in the README) and `perf record` on
//! the bench binary (`--bench issue17_random --profile-time 2`), on a shared 2-core VM
//! without hardware counters (so no cache-miss counts):
//!
//! - Issue #17's instances (leaf-spine links, 1–5-link routes, a third of the flows at
//!   t = 0): 10k flows over 1k links in 0.17 s, 100k over 10k links in 3.3 s, re-filling
//!   19 and 27 groups per solve. Two thirds of the time is the fill itself (re-examining
//!   vouched flows when a resource enters the fill is a fifth of it, since it scans the
//!   resource's flows), a sixth is heap work (fill levels and due times), group banking
//!   and re-keying a few per cent.
//! - Many flows of one route, weights and cap: one group, one re-key per event. 100k
//!   flows on one link pair take 72 ms (0.4 µs per event); before, every event re-keyed
//!   every flow (20k flows: 72 s).
//! - Many flows of *different* routes behind one bottleneck: max-min moves all their rates
//!   at each completion, and each moved group is re-filled and re-keyed. The storage
//!   fabric (1,000 nodes, 200 client groups, ~1,000 flows per rack uplink) re-fills ~520
//!   groups per event: 163 s for 200k flows. Sharing the rate of every group bottlenecked
//!   at one resource (a per-bottleneck virtual time) would make that O(log n) too; not
//!   done.
//! - Light instances pay a fixed ~0.5 µs per flow for grouping and exact-time
//!   bookkeeping (hash lookup, a member heap per group, double-double positions).
//! - Many flows that each cross a long common tail (a striped read's share of every
//!   device of a cluster): with the tail in every route, a change costs flows × tail, the
//!   square of the devices. A shared segment ([`FlowNetwork::add_segment`], see
//!   `segment.rs`) holds the tail once: the expanded 1,000-node simulation went from an
//!   estimated hour to 11 s (`cargo bench --bench scenario`).
//!
//! All `now` arguments must be non-decreasing; going back in time panics (a model bug).
//!
//! # Driving it from a model
//!
//! The network does not schedule events itself; the model asks it when it next needs
//! attention and keeps exactly one wake-up event pending for that time:
//!
//! 1. mutate the network at the current time (`start_flow`, `cancel_flow`,
//!    `set_capacity`), or handle a wake-up with [`FlowNetwork::advance_to`], which returns
//!    the flows that completed;
//! 2. then cancel the previous wake-up event (if any) and schedule a new one at
//!    [`FlowNetwork::next_wake_time`].
//!
//! A wake-up may complete no flow (a flow only finished its latency phase and started
//! transferring); that is expected. Mutations first process everything due up to `now`,
//! and completions found that way are returned by the next `advance_to`, so none is lost.
//!
//! ```
//! use vastplan_sim::flow::{FlowNetwork, FlowSpec};
//! use vastplan_sim::{Engine, EventId, Scheduler, SimDuration, SimTime};
//!
//! enum Ev { Start(f64), Wake }
//! struct M { net: FlowNetwork, link: vastplan_sim::flow::ResourceId, wake: Option<EventId>, done: Vec<SimTime> }
//! impl M {
//!     fn rearm(&mut self, s: &mut Scheduler<Ev>) {
//!         if let Some(id) = self.wake.take() { s.cancel(id); }
//!         self.wake = self.net.next_wake_time().map(|t| s.schedule_at(t, Ev::Wake));
//!     }
//! }
//! impl vastplan_sim::Model<Ev> for M {
//!     fn handle(&mut self, s: &mut Scheduler<Ev>, ev: Ev) {
//!         let now = s.now();
//!         match ev {
//!             Ev::Start(size) => { self.net.start_flow(now, &FlowSpec::new(size, vec![self.link])); }
//!             Ev::Wake => {
//!                 self.wake = None;
//!                 for _ in self.net.advance_to(now) { self.done.push(now); }
//!             }
//!         }
//!         self.rearm(s);
//!     }
//! }
//! let mut net = FlowNetwork::new();
//! let link = net.add_resource(1e9, SimDuration::ZERO);
//! let mut m = M { net, link, wake: None, done: vec![] };
//! let mut eng = Engine::new();
//! eng.scheduler().schedule_at(SimTime::ZERO, Ev::Start(1e9));
//! eng.scheduler().schedule_at(SimTime::ZERO, Ev::Start(2e9));
//! eng.run(&mut m);
//! // Both share 1 GB/s until 2 s; the bigger one then has the link alone for 1 s.
//! assert_eq!(m.done, vec![SimTime::from_secs_f64(2.0), SimTime::from_secs_f64(3.0)]);
//! ```

mod batch;
mod indexed_heap;
mod network;
pub mod oracle;
mod segment;
#[cfg(test)]
mod segment_tests;
mod solve;
#[cfg(test)]
mod tests;

pub use batch::{run_batch, run_batch_exact, CapacityChange, TimedFlow};
pub use network::{FlowNetwork, FlowState, FlowStats, ResourceStats};

/// Identifies a resource of one [`FlowNetwork`]; an index in the order of creation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub u32);

/// Identifies a flow of one [`FlowNetwork`]; an index in the order of creation, never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowId(pub u32);

/// Identifies a shared route segment of one [`FlowNetwork`] (see
/// [`FlowNetwork::add_segment`]); the id of a freed segment is reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegmentId(pub u32);

/// What a flow is: size, route, optional per-stream cap and number of streams.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowSpec {
    /// Bytes to move; `f64::INFINITY` for a stream that never completes.
    pub size: f64,
    /// Resources crossed, in order. May be empty: the flow then runs at its cap, or
    /// completes as soon as its (zero) latency has passed if it has none.
    pub route: Vec<ResourceId>,
    /// Per-stream rate cap in bytes/s.
    pub cap: Option<f64>,
    /// Number of identical streams the flow stands for (≥ 1).
    pub multiplicity: u32,
    /// Consumption weight per route element: bytes taken on that resource per byte the
    /// flow moves (SimGrid's consumption weight). Empty means 1 everywhere, which is plain
    /// max-min; otherwise one positive finite weight per route element. A flow of rate x
    /// loads resource r with w·x, and fair sharing equalises the per-stream rates x.
    pub weights: Vec<f64>,
    /// A shared segment whose (resource, weight) pairs the flow also crosses, exactly as
    /// if they were appended to its route: many flows carrying the same long tail (a
    /// striped read's share of every device) hold it once instead of once each.
    pub segment: Option<SegmentId>,
}

impl FlowSpec {
    /// One uncapped stream of `size` bytes over `route`.
    pub fn new(size: f64, route: Vec<ResourceId>) -> Self {
        FlowSpec {
            size,
            route,
            cap: None,
            multiplicity: 1,
            weights: Vec::new(),
            segment: None,
        }
    }
    /// Sets one consumption weight per route element.
    pub fn with_weights(mut self, weights: Vec<f64>) -> Self {
        self.weights = weights;
        self
    }
    /// Weight of route element `k`.
    pub fn weight(&self, k: usize) -> f64 {
        self.weights.get(k).copied().unwrap_or(1.0)
    }
    pub fn with_cap(mut self, per_stream: f64) -> Self {
        self.cap = Some(per_stream);
        self
    }
    pub fn with_multiplicity(mut self, n: u32) -> Self {
        self.multiplicity = n;
        self
    }
    /// Also crosses shared segment `s`.
    pub fn with_segment(mut self, s: SegmentId) -> Self {
        self.segment = Some(s);
        self
    }
}

/// Remaining bytes at or below this fraction of the size count as done: float drift in
/// the banked progress must not leave a flow creeping towards zero.
pub(crate) const DONE_REL_EPS: f64 = 1e-12;
