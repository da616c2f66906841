//! The simulation's core: the state each part owns, the event loop and the dispatch of
//! events to the part that handles them.

use super::failures::Rebuild;
use super::input::SimInput;
use super::jobs::{Job, Phase};
use super::recorder::Stats;
use super::result::SimResult;
use crate::iopath::ResourceClass;
use crate::netmodel::{ceiling, Pool};
use rand_distr::{Distribution, Exp};
use std::collections::BTreeMap;
use vastplan_sim::flow::{FlowId, FlowNetwork, ResourceId};
use vastplan_sim::stats::{Histogram, IntervalSeries, TimeWeighted};
use vastplan_sim::{Engine, EventId, RngStreams, Scheduler, SimDuration, SimTime, StreamRng};

pub(super) const SECONDS_PER_YEAR: f64 = 365.25 * 86_400.0;

#[derive(Clone, Copy, Debug)]
pub(super) enum Ev {
    Wake,
    CheckpointDue(usize),
    Interrupt(usize),
    DriveFail,
    NodeLoss,
    Tranche(usize),
}

/// Why a flow exists; indexed by flow id.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Purpose {
    Training(usize),
    Checkpoint(usize),
    Drain(usize),
    Restore(usize),
    Rebuild(usize),
    SteadyRead,
    SteadyWrite,
}

/// Which per-byte cost a flow pays on each pool.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Direction {
    Read,
    Write,
    Rebuild,
}

pub(super) struct Sim<'a> {
    pub(super) input: &'a SimInput,
    pub(super) net: FlowNetwork,
    /// One resource per pool class; capacity = the pool's total.
    pub(super) res: BTreeMap<ResourceClass, ResourceId>,
    pub(super) pools: Vec<Pool>,
    /// Storage devices (DBoxes, EBoxes, VMs) and, apart, protocol servers (CNodes; the
    /// same count when converged).
    pub(super) nodes: u32,
    pub(super) compute: u32,
    pub(super) nodes_down: u32,
    pub(super) gpus: u32,
    pub(super) jobs: Vec<Job>,
    pub(super) purposes: Vec<Purpose>,
    pub(super) rebuilds: Vec<Option<Rebuild>>,
    /// Stored bytes currently lost and being rebuilt, and all stored bytes.
    pub(super) lost_bytes: f64,
    pub(super) wake: Option<EventId>,
    pub(super) drive_rng: StreamRng,
    pub(super) node_rng: StreamRng,
    pub(super) drive_event: Option<EventId>,
    pub(super) node_event: Option<EventId>,
    pub(super) steady_read: Option<FlowId>,
    pub(super) steady_write: Option<FlowId>,
    pub(super) binding_class: Option<ResourceClass>,
    pub(super) stats: Stats,
}

/// Runs one simulation to `input.duration`.
pub fn run(input: &SimInput) -> SimResult {
    run_with_progress(input, &mut |_| {})
}

/// As [`run`], calling `progress` with the fraction of simulated time done, 100 times.
pub fn run_with_progress(input: &SimInput, progress: &mut dyn FnMut(f64)) -> SimResult {
    let streams = RngStreams::new(input.seed);
    let interval = input.sample_interval;
    let series = || IntervalSeries::new(interval, 0.0);
    let jobs_n = input.checkpoint.as_ref().map_or(1, |c| c.jobs.max(1)) as usize;
    let jobs = (0..jobs_n)
        .map(|j| Job {
            gpus: share(input.gpus, jobs_n, j),
            phase: Phase::Training,
            training: None,
            checkpoint: None,
            drain: None,
            last_checkpoint: SimTime::ZERO,
            checkpoint_event: None,
            interrupt_event: None,
            rng: streams.stream(100 + j as u64),
        })
        .collect();
    let mut sim = Sim {
        input,
        net: FlowNetwork::new(),
        res: BTreeMap::new(),
        pools: Vec::new(),
        nodes: input.nodes,
        compute: input.compute_nodes,
        nodes_down: 0,
        gpus: input.gpus,
        jobs,
        purposes: Vec::new(),
        rebuilds: Vec::new(),
        lost_bytes: 0.0,
        wake: None,
        drive_rng: streams.stream(1),
        node_rng: streams.stream(2),
        drive_event: None,
        node_event: None,
        steady_read: None,
        steady_write: None,
        binding_class: None,
        stats: Stats {
            checkpoints: Histogram::new(),
            checkpoint_samples: Vec::new(),
            restores: Histogram::new(),
            rebuilds: Histogram::new(),
            rebuild_rates: Vec::new(),
            overruns: 0,
            interruptions: 0,
            drive_failures: 0,
            node_losses: 0,
            lost_gpu_s: 0.0,
            busy_gpus: TimeWeighted::new(SimTime::ZERO, 0.0),
            stall_gpus: TimeWeighted::new(SimTime::ZERO, 0.0),
            total_gpus: TimeWeighted::new(SimTime::ZERO, 0.0),
            read: TimeWeighted::new(SimTime::ZERO, 0.0),
            read_demand: TimeWeighted::new(SimTime::ZERO, 0.0),
            write: TimeWeighted::new(SimTime::ZERO, 0.0),
            degraded_read: TimeWeighted::new(SimTime::ZERO, 0.0),
            exposed: TimeWeighted::new(SimTime::ZERO, 0.0),
            headroom_exhausted: None,
            tranches: Vec::new(),
            s_util: series(),
            s_read: series(),
            s_read_demand: series(),
            s_write: series(),
            s_rebuilds: series(),
            s_binding: series(),
        },
    };
    sim.repool(SimTime::ZERO);
    let start_pools = sim.pools.clone();
    let read_ceiling = ceiling(&start_pools, 1.0);
    let write_ceiling = ceiling(&start_pools, 0.0);
    sim.binding_class = read_ceiling.binding.map(|i| start_pools[i].class);

    let mut eng: Engine<Ev> = Engine::new();
    sim.start(eng.scheduler());
    let end = SimTime::ZERO + input.duration;
    let mut model = |s: &mut Scheduler<Ev>, ev: Ev| sim.handle(s, ev);
    // Chunks change nothing in the run: events at or before each limit are handled in
    // order either way.
    const STEPS: u64 = 100;
    for k in 1..=STEPS {
        let limit = SimTime((end.as_nanos() as u128 * k as u128 / STEPS as u128) as u64);
        eng.run_until(limit, &mut model);
        progress(k as f64 / STEPS as f64);
    }
    let events = eng.events_handled();
    sim.finish(end, events, &start_pools, read_ceiling, write_ceiling)
}

/// Splits `total` over `parts` as evenly as integers allow (earlier parts get the extra).
pub(super) fn share(total: u32, parts: usize, i: usize) -> u32 {
    let parts = parts as u32;
    total / parts + u32::from((i as u32) < total % parts)
}

pub(super) fn exp_delay(rng: &mut StreamRng, rate_per_s: f64) -> Option<SimDuration> {
    if rate_per_s <= 0.0 || !rate_per_s.is_finite() {
        return None;
    }
    let d = Exp::new(rate_per_s).ok()?.sample(rng);
    Some(SimDuration::from_secs_f64(d))
}

impl Sim<'_> {
    pub(super) fn start(&mut self, s: &mut Scheduler<Ev>) {
        let now = s.now();
        self.start_steady(now);
        for j in 0..self.jobs.len() {
            self.start_training(now, j);
            self.schedule_checkpoint(s, j, now);
            self.schedule_interrupt(s, j);
        }
        self.schedule_failures(s);
        for (i, t) in self.input.tranches.iter().enumerate() {
            s.schedule_at(t.at, Ev::Tranche(i));
        }
        self.after_event(s);
    }

    pub(super) fn handle(&mut self, s: &mut Scheduler<Ev>, ev: Ev) {
        let now = s.now();
        match ev {
            Ev::Wake => {
                self.wake = None;
                for id in self.net.advance_to(now) {
                    self.completed(s, id);
                }
            }
            Ev::CheckpointDue(j) => {
                self.jobs[j].checkpoint_event = None;
                self.checkpoint_due(s, j);
            }
            Ev::Interrupt(j) => {
                self.jobs[j].interrupt_event = None;
                self.interrupt(s, j);
            }
            Ev::DriveFail => {
                self.drive_event = None;
                self.stats.drive_failures += 1;
                self.begin_rebuild(now, self.input.drive_used_bytes, false);
                self.schedule_failures(s);
            }
            Ev::NodeLoss => {
                self.node_event = None;
                // Keep at least one node serving: a cluster that has lost all is a
                // durability question, not a throughput one.
                if self.nodes.saturating_sub(self.nodes_down) > 1 {
                    self.stats.node_losses += 1;
                    self.nodes_down += 1;
                    let bytes = self.input.drive_used_bytes * self.input.drives_per_node as f64;
                    self.repool(now);
                    self.begin_rebuild(now, bytes, true);
                }
                self.schedule_failures(s);
            }
            Ev::Tranche(i) => {
                let t = &self.input.tranches[i];
                self.stats.tranches.push(format!(
                    "day {:.1}: {}",
                    now.as_secs_f64() / 86_400.0,
                    t.label
                ));
                self.nodes += t.add_nodes;
                // A tranche of storage keeps the cluster's CNode-to-DBox ratio (the
                // same count again when converged).
                let (s0, c0) = (
                    self.input.nodes.max(1) as u64,
                    self.input.compute_nodes as u64,
                );
                self.compute +=
                    u32::try_from((t.add_nodes as u64 * c0).div_ceil(s0)).unwrap_or(u32::MAX);
                let n = self.jobs.len();
                for j in 0..n {
                    self.jobs[j].gpus += share(t.add_gpus, n, j);
                }
                self.gpus += t.add_gpus;
                self.repool(now);
                self.reroute_all(now);
                self.schedule_failures(s);
                for j in 0..n {
                    self.schedule_interrupt(s, j);
                }
            }
        }
        self.after_event(s);
    }

    pub(super) fn completed(&mut self, s: &mut Scheduler<Ev>, id: FlowId) {
        let now = s.now();
        match self.purposes[id.0 as usize] {
            Purpose::Checkpoint(j) | Purpose::Restore(j) => {
                if self.jobs[j].checkpoint != Some(id) {
                    return;
                }
                self.jobs[j].checkpoint = None;
                match self.jobs[j].phase {
                    Phase::Checkpointing(t0) => {
                        self.stats.checkpoints.record((now - t0).as_nanos());
                        self.stats.checkpoint_samples.push((now - t0).as_secs_f64());
                        self.jobs[j].last_checkpoint = now;
                    }
                    Phase::Restoring(t0) => {
                        self.stats.restores.record((now - t0).as_nanos());
                        self.jobs[j].last_checkpoint = now;
                    }
                    Phase::Training => {}
                }
                self.jobs[j].phase = Phase::Training;
                self.start_training(now, j);
                self.schedule_checkpoint(s, j, now);
            }
            Purpose::Drain(j) => {
                if let Some((d, t0)) = self.jobs[j].drain {
                    if d == id {
                        self.stats.checkpoints.record((now - t0).as_nanos());
                        self.stats.checkpoint_samples.push((now - t0).as_secs_f64());
                        self.jobs[j].drain = None;
                    }
                }
            }
            Purpose::Rebuild(i) => {
                if let Some(rb) = self.rebuilds[i].take() {
                    if rb.flow != id {
                        self.rebuilds[i] = Some(rb);
                        return;
                    }
                    self.stats.rebuilds.record((now - rb.started).as_nanos());
                    let secs = (now - rb.started).as_secs_f64();
                    if secs > 0.0 {
                        self.stats.rebuild_rates.push(rb.bytes / secs);
                    }
                    self.lost_bytes = (self.lost_bytes - rb.bytes).max(0.0);
                    if rb.node_loss {
                        // The replacement node joins once its data is rebuilt.
                        self.nodes_down = self.nodes_down.saturating_sub(1);
                        self.repool(now);
                    }
                    self.reroute_all(now);
                }
            }
            Purpose::Training(_) | Purpose::SteadyRead | Purpose::SteadyWrite => {}
        }
    }

    /// Re-arms the network wake-up and records the signals at the current time.
    pub(super) fn after_event(&mut self, s: &mut Scheduler<Ev>) {
        let now = s.now();
        if let Some(w) = self.wake.take() {
            s.cancel(w);
        }
        self.wake = self
            .net
            .next_wake_time()
            .map(|t| s.schedule_at(t, Ev::Wake));
        self.record(now);
    }
}
