//! The simulation's core: the state each part owns, the event loop and the dispatch of
//! events to the part that handles them.

use super::cluster::Topology;
use super::failures::{IncidentState, Rebuild};
use super::flows::{Lf, LogicalFlow};
use super::input::SimInput;
use super::jobs::{Job, Phase};
use super::recorder::Stats;
use super::result::SimResult;
use crate::iopath::ResourceClass;
use crate::netmodel::ceiling;
use rand_distr::{Distribution, Exp};
use vastplan_sim::flow::{FlowId, FlowNetwork};
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
    Incident(usize),
    IncidentEnd(usize),
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
    /// Devices, racks, their classes and resources.
    pub(super) topo: Topology,
    /// Logical flows by [`Lf`], and the logical flow of each solver flow.
    pub(super) lflows: Vec<LogicalFlow>,
    pub(super) piece_owner: Vec<u32>,
    /// Slots of finished logical flows, reused by the next starts.
    pub(super) lflows_free: Vec<u32>,
    /// Solver flows finished during the current event, released to the network when it
    /// ends: a batch of completions still names them, so their slots must not be reused
    /// by flows started while the batch is handled.
    pub(super) finished_pieces: Vec<FlowId>,
    pub(super) flow_slots_peak: u64,
    pub(super) flows_started: u64,
    /// Share of stripes out of reach (more strips down than the parity).
    pub(super) unavailable: f64,
    pub(super) incidents: Vec<IncidentState>,
    pub(super) gpus: u32,
    pub(super) jobs: Vec<Job>,
    pub(super) rebuilds: Vec<Option<Rebuild>>,
    /// Stored bytes currently lost and being rebuilt, and all stored bytes.
    pub(super) lost_bytes: f64,
    pub(super) wake: Option<EventId>,
    pub(super) drive_rng: StreamRng,
    pub(super) node_rng: StreamRng,
    /// Which device a random failure hits, and each incident's random target.
    pub(super) pick_rng: StreamRng,
    pub(super) incident_rngs: Vec<StreamRng>,
    pub(super) drive_event: Option<EventId>,
    pub(super) node_event: Option<EventId>,
    pub(super) steady_read: Option<Lf>,
    pub(super) steady_write: Option<Lf>,
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
        topo: Topology::new(input),
        lflows: Vec::new(),
        piece_owner: Vec::new(),
        lflows_free: Vec::new(),
        finished_pieces: Vec::new(),
        flow_slots_peak: 0,
        flows_started: 0,
        unavailable: 0.0,
        incidents: Vec::new(),
        gpus: input.gpus,
        jobs,
        rebuilds: Vec::new(),
        lost_bytes: 0.0,
        wake: None,
        drive_rng: streams.stream(1),
        node_rng: streams.stream(2),
        pick_rng: streams.stream(3),
        incident_rngs: (0..input.topology.incidents.len())
            .map(|k| streams.stream(200 + k as u64))
            .collect(),
        drive_event: None,
        node_event: None,
        steady_read: None,
        steady_write: None,
        binding_class: None,
        stats: Stats::new(interval, &input.topology),
    };
    sim.repool(SimTime::ZERO);
    sim.reroute_all(SimTime::ZERO);
    let start_pools = sim.topo.pools.clone();
    let read_ceiling = ceiling(&start_pools, 1.0);
    let write_ceiling = ceiling(&start_pools, 0.0);
    sim.binding_class = read_ceiling.binding.map(|i| start_pools[i].class);
    // Rows of the per-rack series: the most racks the run will have, of the side the
    // binding resource is on.
    let add_nodes: u64 = input.tranches.iter().map(|t| t.add_nodes as u64).sum();
    let add_gpus: u64 = input.tranches.iter().map(|t| t.add_gpus as u64).sum();
    let client_rows = sim
        .binding_class
        .is_some_and(|c| crate::cluster::Side::of(c).is_none() && c.label().starts_with("client"));
    let racks = if client_rows {
        let vms = SimInput::client_vms(
            u32::try_from(input.gpus as u64 + add_gpus).unwrap_or(u32::MAX),
            input.gpus_per_client_vm,
        ) + jobs_n as u32;
        vms.div_ceil(input.spec.topology.clients_per_rack.max(1))
    } else {
        let c0 = input.compute_nodes.max(1) as u64;
        let grow = if input.disaggregated {
            (add_nodes * c0).div_ceil(input.nodes.max(1) as u64)
        } else {
            add_nodes
        };
        u32::try_from(c0 + grow)
            .unwrap_or(u32::MAX)
            .div_ceil(input.spec.topology.nodes_per_rack.max(1))
    };
    sim.stats.set_rack_rows(interval, racks, client_rows);

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
        self.schedule_incidents(s);
        self.after_event(s);
    }

    pub(super) fn handle(&mut self, s: &mut Scheduler<Ev>, ev: Ev) {
        let now = s.now();
        match ev {
            Ev::Wake => {
                self.wake = None;
                for f in self.net.advance_to(now) {
                    if let Some(id) = self.piece_done(f) {
                        self.completed(s, id);
                        self.lf_release(id);
                    }
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
            Ev::DriveFail => self.drive_fail(s),
            Ev::NodeLoss => self.node_loss(s),
            Ev::Tranche(i) => self.tranche(s, i),
            Ev::Incident(i) => self.incident(s, i),
            Ev::IncidentEnd(i) => self.incident_end(s, i),
        }
        self.after_event(s);
    }

    pub(super) fn completed(&mut self, s: &mut Scheduler<Ev>, id: Lf) {
        let now = s.now();
        match self.purpose(id) {
            Purpose::Checkpoint(j) | Purpose::Restore(j) => {
                if self.jobs[j].checkpoint != Some(id) {
                    return;
                }
                self.jobs[j].checkpoint = None;
                match self.jobs[j].phase {
                    Phase::Checkpointing(t0) => {
                        self.stats.checkpoints.record((now - t0).as_nanos());
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
                        self.jobs[j].drain = None;
                    }
                }
            }
            Purpose::Rebuild(i) => self.rebuild_done(now, i, id),
            Purpose::Training(_) | Purpose::SteadyRead | Purpose::SteadyWrite => {}
        }
    }

    /// Re-arms the network wake-up and records the signals at the current time.
    pub(super) fn after_event(&mut self, s: &mut Scheduler<Ev>) {
        let now = s.now();
        self.flow_slots_peak = self.flow_slots_peak.max(self.net.slots_held() as u64);
        for f in self.finished_pieces.drain(..) {
            self.net.release(f);
        }
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
