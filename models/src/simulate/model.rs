use super::input::SimInput;
use super::result::{SeriesPoint, SimResult};
use crate::cluster::Counts;
use crate::iopath::ResourceClass;
use crate::netmodel::{ceiling, Pool};
use crate::scenario::CheckpointMode;
use rand_distr::{Distribution, Exp};
use std::collections::BTreeMap;
use vastplan_sim::flow::{FlowId, FlowNetwork, FlowSpec, FlowState, ResourceId};
use vastplan_sim::stats::{Histogram, IntervalSeries, TimeWeighted};
use vastplan_sim::{Engine, EventId, RngStreams, Scheduler, SimDuration, SimTime, StreamRng};

const SECONDS_PER_YEAR: f64 = 365.25 * 86_400.0;

#[derive(Clone, Copy, Debug)]
enum Ev {
    Wake,
    CheckpointDue(usize),
    Interrupt(usize),
    DriveFail,
    NodeLoss,
    Tranche(usize),
}

/// Why a flow exists; indexed by flow id.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Purpose {
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
enum Direction {
    Read,
    Write,
    Rebuild,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Training,
    /// Synchronous checkpoint in flight: the job's GPUs wait.
    Checkpointing(SimTime),
    /// Restoring after an interruption: the job's GPUs wait.
    Restoring(SimTime),
}

struct Job {
    gpus: u32,
    phase: Phase,
    training: Option<FlowId>,
    checkpoint: Option<FlowId>,
    drain: Option<(FlowId, SimTime)>,
    last_checkpoint: SimTime,
    checkpoint_event: Option<EventId>,
    interrupt_event: Option<EventId>,
    rng: StreamRng,
}

struct Rebuild {
    flow: FlowId,
    started: SimTime,
    bytes: f64,
    node_loss: bool,
}

struct Stats {
    checkpoints: Histogram,
    checkpoint_samples: Vec<f64>,
    restores: Histogram,
    rebuilds: Histogram,
    rebuild_rates: Vec<f64>,
    overruns: u64,
    interruptions: u64,
    drive_failures: u64,
    node_losses: u64,
    lost_gpu_s: f64,
    busy_gpus: TimeWeighted,
    stall_gpus: TimeWeighted,
    total_gpus: TimeWeighted,
    read: TimeWeighted,
    read_demand: TimeWeighted,
    write: TimeWeighted,
    /// Read rate integrated only while a rebuild runs, and the time that took.
    degraded_read: TimeWeighted,
    exposed: TimeWeighted,
    headroom_exhausted: Option<SimTime>,
    tranches: Vec<String>,
    s_util: IntervalSeries,
    s_read: IntervalSeries,
    s_read_demand: IntervalSeries,
    s_write: IntervalSeries,
    s_rebuilds: IntervalSeries,
    s_binding: IntervalSeries,
}

struct Sim<'a> {
    input: &'a SimInput,
    net: FlowNetwork,
    /// One resource per pool class; capacity = the pool's total.
    res: BTreeMap<ResourceClass, ResourceId>,
    pools: Vec<Pool>,
    /// Storage devices (DBoxes, EBoxes, VMs) and, apart, protocol servers (CNodes; the
    /// same count when converged).
    nodes: u32,
    compute: u32,
    nodes_down: u32,
    gpus: u32,
    jobs: Vec<Job>,
    purposes: Vec<Purpose>,
    rebuilds: Vec<Option<Rebuild>>,
    /// Stored bytes currently lost and being rebuilt, and all stored bytes.
    lost_bytes: f64,
    wake: Option<EventId>,
    drive_rng: StreamRng,
    node_rng: StreamRng,
    drive_event: Option<EventId>,
    node_event: Option<EventId>,
    steady_read: Option<FlowId>,
    steady_write: Option<FlowId>,
    binding_class: Option<ResourceClass>,
    stats: Stats,
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
fn share(total: u32, parts: usize, i: usize) -> u32 {
    let parts = parts as u32;
    total / parts + u32::from((i as u32) < total % parts)
}

fn exp_delay(rng: &mut StreamRng, rate_per_s: f64) -> Option<SimDuration> {
    if rate_per_s <= 0.0 || !rate_per_s.is_finite() {
        return None;
    }
    let d = Exp::new(rate_per_s).ok()?.sample(rng);
    Some(SimDuration::from_secs_f64(d))
}

impl Sim<'_> {
    fn client_vms(&self, gpus: u32) -> u32 {
        SimInput::client_vms(gpus, self.input.gpus_per_client_vm)
    }

    /// Rebuilds the pools for the current node and client counts, and sets each pool's
    /// resource to its total capacity (adding resources for classes not seen before).
    fn repool(&mut self, now: SimTime) {
        let up = self.nodes.saturating_sub(self.nodes_down).max(1);
        // A failed storage box takes its protocol server with it only when it is one box.
        let counts = if self.input.disaggregated {
            Counts::new(up, self.compute)
        } else {
            Counts::converged(up)
        };
        self.pools = self.input.spec.pools(counts, self.client_vms(self.gpus));
        for p in &self.pools {
            let cap = p.total_capacity();
            match self.res.get(&p.class) {
                Some(&r) => self.net.set_capacity(now, r, cap),
                None => {
                    let r = self.net.add_resource(cap, SimDuration::ZERO);
                    self.res.insert(p.class, r);
                }
            }
        }
    }

    /// Share of stored data currently lost: reads of it are decoded on the fly.
    fn degraded_fraction(&self) -> f64 {
        let stored = self.input.drive_used_bytes
            * self.input.drives_per_node as f64
            * self.nodes.max(1) as f64;
        if stored <= 0.0 {
            0.0
        } else {
            (self.lost_bytes / stored).clamp(0.0, 1.0)
        }
    }

    fn route(&self, dir: Direction) -> (Vec<ResourceId>, Vec<f64>) {
        let f = self.degraded_fraction();
        let mut route = Vec::new();
        let mut weights = Vec::new();
        for p in &self.pools {
            let w = match dir {
                Direction::Read => (1.0 - f) * p.read_cost + f * p.degraded_read_cost,
                Direction::Write => p.write_cost,
                Direction::Rebuild => p.rebuild_cost,
            };
            if w > 0.0 {
                route.push(self.res[&p.class]);
                weights.push(w);
            }
        }
        (route, weights)
    }

    fn start_flow(
        &mut self,
        now: SimTime,
        purpose: Purpose,
        size: f64,
        streams: u32,
        cap: Option<f64>,
    ) -> FlowId {
        let dir = match purpose {
            Purpose::Training(_) | Purpose::Restore(_) | Purpose::SteadyRead => Direction::Read,
            Purpose::Checkpoint(_) | Purpose::Drain(_) | Purpose::SteadyWrite => Direction::Write,
            Purpose::Rebuild(_) => Direction::Rebuild,
        };
        let (route, weights) = self.route(dir);
        let mut spec = FlowSpec::new(size, route)
            .with_weights(weights)
            .with_multiplicity(streams.max(1));
        if let Some(c) = cap {
            spec = spec.with_cap(c);
        }
        let id = self.net.start_flow(now, &spec);
        debug_assert_eq!(id.0 as usize, self.purposes.len());
        self.purposes.push(purpose);
        id
    }

    fn job_streams(&self, j: usize) -> u32 {
        self.client_vms(self.jobs[j].gpus).max(1)
    }

    /// Read demand of a job's GPUs at 100 % utilisation, bytes/s.
    fn job_demand(&self, j: usize) -> f64 {
        match &self.input.training {
            Some(t) => self.jobs[j].gpus as f64 * t.reading_fraction * t.step.demand_full(),
            None => 0.0,
        }
    }

    fn job_floor_demand(&self, j: usize) -> f64 {
        match &self.input.training {
            Some(t) => self.jobs[j].gpus as f64 * t.reading_fraction * t.step.demand_at_floor(),
            None => 0.0,
        }
    }

    fn start_training(&mut self, now: SimTime, j: usize) {
        let demand = self.job_demand(j);
        if demand <= 0.0 {
            return;
        }
        let streams = self.job_streams(j);
        let id = self.start_flow(
            now,
            Purpose::Training(j),
            f64::INFINITY,
            streams,
            Some(demand / streams as f64),
        );
        self.jobs[j].training = Some(id);
    }

    fn start_steady(&mut self, now: SimTime) {
        let Some(d) = self.input.steady.clone() else {
            return;
        };
        let streams = d.streams.max(1);
        if d.read > 0.0 {
            self.steady_read = Some(self.start_flow(
                now,
                Purpose::SteadyRead,
                f64::INFINITY,
                streams,
                Some(d.read / streams as f64),
            ));
        }
        if d.write > 0.0 {
            self.steady_write = Some(self.start_flow(
                now,
                Purpose::SteadyWrite,
                f64::INFINITY,
                streams,
                Some(d.write / streams as f64),
            ));
        }
    }

    fn cancel(&mut self, now: SimTime, id: Option<FlowId>) {
        if let Some(id) = id {
            self.net.cancel_flow(now, id);
        }
    }

    /// Restarts every live flow with its remaining bytes over the current pools, after the
    /// pools or the degraded share changed. Rates change; nothing is lost or duplicated.
    fn reroute_all(&mut self, now: SimTime) {
        let (r, w) = (self.steady_read.take(), self.steady_write.take());
        self.cancel(now, r);
        self.cancel(now, w);
        self.start_steady(now);
        for j in 0..self.jobs.len() {
            if let Some(id) = self.jobs[j].training.take() {
                self.net.cancel_flow(now, id);
                self.start_training(now, j);
            }
            if let Some(id) = self.jobs[j].checkpoint {
                let rest = self.net.remaining(id);
                self.net.cancel_flow(now, id);
                let purpose = self.purposes[id.0 as usize];
                let streams = self.job_streams(j);
                self.jobs[j].checkpoint = Some(self.start_flow(now, purpose, rest, streams, None));
            }
            if let Some((id, t0)) = self.jobs[j].drain {
                let rest = self.net.remaining(id);
                self.net.cancel_flow(now, id);
                let streams = self.job_streams(j);
                self.jobs[j].drain = Some((
                    self.start_flow(now, Purpose::Drain(j), rest, streams, None),
                    t0,
                ));
            }
        }
        for i in 0..self.rebuilds.len() {
            if let Some(rb) = &self.rebuilds[i] {
                let id = rb.flow;
                let rest = self.net.remaining(id);
                self.net.cancel_flow(now, id);
                let nf = self.start_rebuild_flow(now, i, rest);
                if let Some(rb) = self.rebuilds[i].as_mut() {
                    rb.flow = nf;
                }
            }
        }
    }

    fn start(&mut self, s: &mut Scheduler<Ev>) {
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

    fn schedule_checkpoint(&mut self, s: &mut Scheduler<Ev>, j: usize, from: SimTime) {
        if let Some(c) = &self.input.checkpoint {
            if let Some(old) = self.jobs[j].checkpoint_event.take() {
                s.cancel(old);
            }
            self.jobs[j].checkpoint_event =
                Some(s.schedule_at(from + c.interval, Ev::CheckpointDue(j)));
        }
    }

    /// GPU interruptions need a checkpoint to restore from; without one they are not
    /// simulated (the job would restart from scratch, a question for the trainer).
    fn schedule_interrupt(&mut self, s: &mut Scheduler<Ev>, j: usize) {
        let (Some(mttf), Some(_)) = (self.input.gpu_mttf, &self.input.checkpoint) else {
            return;
        };
        let rate = self.jobs[j].gpus as f64 / mttf.as_secs_f64();
        if let Some(old) = self.jobs[j].interrupt_event.take() {
            s.cancel(old);
        }
        if let Some(d) = exp_delay(&mut self.jobs[j].rng, rate) {
            self.jobs[j].interrupt_event = Some(s.schedule_in(d, Ev::Interrupt(j)));
        }
    }

    /// Failures are redrawn whenever the population changes; exponential inter-arrival
    /// times are memoryless, so redrawing does not bias them. The provider repairs Blob
    /// internally, out of the customer's sight, so it has none.
    fn schedule_failures(&mut self, s: &mut Scheduler<Ev>) {
        let Some(f) = &self.input.failures else {
            return;
        };
        if self
            .input
            .spec
            .costs(Counts::converged(self.nodes))
            .rebuild
            .is_empty()
        {
            return;
        }
        let drives = self.nodes as f64 * self.input.drives_per_node as f64;
        let drive_rate = drives * f.drive_afr / SECONDS_PER_YEAR;
        let node_rate = self.nodes as f64 * f.node_loss_per_year / SECONDS_PER_YEAR;
        if let Some(old) = self.drive_event.take() {
            s.cancel(old);
        }
        if let Some(old) = self.node_event.take() {
            s.cancel(old);
        }
        self.drive_event =
            exp_delay(&mut self.drive_rng, drive_rate).map(|d| s.schedule_in(d, Ev::DriveFail));
        self.node_event =
            exp_delay(&mut self.node_rng, node_rate).map(|d| s.schedule_in(d, Ev::NodeLoss));
    }

    fn handle(&mut self, s: &mut Scheduler<Ev>, ev: Ev) {
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

    fn begin_rebuild(&mut self, now: SimTime, bytes: f64, node_loss: bool) {
        self.lost_bytes += bytes;
        let i = self.rebuilds.len();
        // The degraded share changed: reads pay decode costs from now on.
        self.reroute_all(now);
        let flow = self.start_rebuild_flow(now, i, bytes);
        self.rebuilds.push(Some(Rebuild {
            flow,
            started: now,
            bytes,
            node_loss,
        }));
    }

    /// A rebuild runs as many streams as it has shares (default: one per live node, as
    /// every node rebuilds its part); a cluster-wide cap is split over them.
    fn start_rebuild_flow(&mut self, now: SimTime, i: usize, bytes: f64) -> FlowId {
        let f = self.input.failures.as_ref();
        let up = self.nodes.saturating_sub(self.nodes_down).max(1);
        let streams = f.and_then(|f| f.rebuild_streams).unwrap_or(up).max(1);
        let cap = f.and_then(|f| f.rebuild_cap).map(|c| c / streams as f64);
        self.start_flow(now, Purpose::Rebuild(i), bytes, streams, cap)
    }

    fn checkpoint_due(&mut self, s: &mut Scheduler<Ev>, j: usize) {
        let now = s.now();
        let Some(c) = self.input.checkpoint.clone() else {
            return;
        };
        if self.jobs[j].phase != Phase::Training {
            return; // restoring: the next checkpoint is scheduled when training resumes
        }
        let streams = self.job_streams(j);
        match c.mode {
            CheckpointMode::Sync => {
                let t = self.jobs[j].training.take();
                self.cancel(now, t);
                let id =
                    self.start_flow(now, Purpose::Checkpoint(j), c.bytes_per_job, streams, None);
                self.jobs[j].checkpoint = Some(id);
                self.jobs[j].phase = Phase::Checkpointing(now);
            }
            CheckpointMode::Async => {
                if self.jobs[j].drain.is_some() {
                    self.stats.overruns += 1;
                } else {
                    let id =
                        self.start_flow(now, Purpose::Drain(j), c.bytes_per_job, streams, None);
                    self.jobs[j].drain = Some((id, now));
                    self.jobs[j].last_checkpoint = now;
                }
                self.schedule_checkpoint(s, j, now);
            }
        }
    }

    fn interrupt(&mut self, s: &mut Scheduler<Ev>, j: usize) {
        let now = s.now();
        let Some(c) = self.input.checkpoint.clone() else {
            return;
        };
        self.stats.interruptions += 1;
        let job = &mut self.jobs[j];
        if matches!(job.phase, Phase::Training | Phase::Checkpointing(_)) {
            self.stats.lost_gpu_s += job.gpus as f64 * (now - job.last_checkpoint).as_secs_f64();
        }
        let (t, k) = (job.training.take(), job.checkpoint.take());
        if let Some(ev) = job.checkpoint_event.take() {
            s.cancel(ev);
        }
        self.cancel(now, t);
        self.cancel(now, k);
        let streams = self.job_streams(j);
        let id = self.start_flow(now, Purpose::Restore(j), c.bytes_per_job, streams, None);
        self.jobs[j].checkpoint = Some(id);
        self.jobs[j].phase = Phase::Restoring(now);
        self.schedule_interrupt(s, j);
    }

    fn completed(&mut self, s: &mut Scheduler<Ev>, id: FlowId) {
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
    fn after_event(&mut self, s: &mut Scheduler<Ev>) {
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

    fn flow_rate(&mut self, id: Option<FlowId>) -> f64 {
        match id {
            Some(id) if self.net.state(id) == FlowState::Transferring => self.net.rate(id),
            _ => 0.0,
        }
    }

    fn record(&mut self, now: SimTime) {
        let (mut busy, mut total, mut read, mut demand, mut write) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let mut quiet = true;
        let mut short = false;
        for j in 0..self.jobs.len() {
            let gpus = self.jobs[j].gpus as f64;
            total += gpus;
            let d = self.job_demand(j);
            demand += d;
            let tr = self.flow_rate(self.jobs[j].training);
            let other = self.flow_rate(self.jobs[j].checkpoint);
            let drain = self.flow_rate(self.jobs[j].drain.map(|x| x.0));
            read += tr;
            match self.jobs[j].phase {
                Phase::Training => {
                    // A data-parallel job steps together: when its readers wait, every
                    // GPU of the job waits, reading or not.
                    let au = if d > 0.0 { (tr / d).min(1.0) } else { 1.0 };
                    busy += gpus * au;
                    if d > 0.0 && tr < self.job_floor_demand(j) * (1.0 - 1e-9) {
                        short = true;
                    }
                }
                Phase::Checkpointing(_) => {
                    write += other;
                    quiet = false;
                }
                Phase::Restoring(_) => {
                    read += other;
                    quiet = false;
                }
            }
            if self.jobs[j].drain.is_some() {
                quiet = false;
            }
            write += drain;
        }
        if let Some(d) = self.input.steady.clone() {
            let (r, w) = (
                self.flow_rate(self.steady_read),
                self.flow_rate(self.steady_write),
            );
            read += r;
            write += w;
            demand += d.read;
            if r < d.read * (1.0 - 1e-9) || w < d.write * (1.0 - 1e-9) {
                short = true;
            }
        }
        let rebuilding = self.rebuilds.iter().filter(|r| r.is_some()).count() as f64;
        if rebuilding > 0.0 {
            quiet = false;
        }
        // Headroom is a steady-state question: judge it only when nothing transient runs.
        if quiet && short && self.stats.headroom_exhausted.is_none() {
            self.stats.headroom_exhausted = Some(now);
        }
        let binding = match self.binding_class.and_then(|c| self.res.get(&c).copied()) {
            Some(r) => {
                let st = self.net.resource_stats(r);
                if st.capacity > 0.0 {
                    st.load / st.capacity
                } else {
                    0.0
                }
            }
            None => 0.0,
        };
        let st = &mut self.stats;
        st.busy_gpus.set(now, busy);
        st.stall_gpus.set(now, total - busy);
        st.total_gpus.set(now, total);
        st.read.set(now, read);
        st.read_demand.set(now, demand);
        st.write.set(now, write);
        st.exposed
            .set(now, if rebuilding > 0.0 { 1.0 } else { 0.0 });
        st.degraded_read
            .set(now, if rebuilding > 0.0 { read } else { 0.0 });
        st.s_util
            .set(now, if total > 0.0 { busy / total } else { 0.0 });
        st.s_read.set(now, read / 1e9);
        st.s_read_demand.set(now, demand / 1e9);
        st.s_write.set(now, write / 1e9);
        st.s_rebuilds.set(now, rebuilding);
        st.s_binding.set(now, binding);
    }

    fn finish(
        mut self,
        end: SimTime,
        events: u64,
        start_pools: &[Pool],
        read_ceiling: crate::netmodel::Ceiling,
        write_ceiling: crate::netmodel::Ceiling,
    ) -> SimResult {
        self.record(end);
        let secs = |h: &Histogram, q: f64| h.quantile(q).map(|ns| ns as f64 / 1e9);
        let st = &mut self.stats;
        let total_gpu_s = st.total_gpus.integral(end);
        let exposed_s = st.exposed.integral(end);
        let util: Vec<_> = st.s_util.points(end);
        let read: Vec<_> = st.s_read.points(end);
        let demand: Vec<_> = st.s_read_demand.points(end);
        let write: Vec<_> = st.s_write.points(end);
        let reb: Vec<_> = st.s_rebuilds.points(end);
        let bind: Vec<_> = st.s_binding.points(end);
        let series = util
            .iter()
            .enumerate()
            .map(|(i, (t, u))| SeriesPoint {
                time_s: t.as_secs_f64(),
                gpu_utilisation: *u,
                read_gbs: read[i].1,
                read_demand_gbs: demand[i].1,
                write_gbs: write[i].1,
                rebuilds_active: reb[i].1,
                binding_utilisation: bind[i].1,
            })
            .collect();
        SimResult {
            simulated_s: end.as_secs_f64(),
            events,
            checkpoints: st.checkpoints.count(),
            checkpoint_p50_s: secs(&st.checkpoints, 0.5),
            checkpoint_p99_s: secs(&st.checkpoints, 0.99),
            checkpoint_max_s: st.checkpoints.max().map(|ns| ns as f64 / 1e9),
            checkpoint_overruns: st.overruns,
            restores: st.restores.count(),
            restore_p50_s: secs(&st.restores, 0.5),
            restore_p99_s: secs(&st.restores, 0.99),
            interruptions: st.interruptions,
            gpu_utilisation: (total_gpu_s > 0.0).then(|| st.busy_gpus.integral(end) / total_gpu_s),
            gpu_stall_hours: st.stall_gpus.integral(end) / 3600.0,
            gpu_lost_hours: st.lost_gpu_s / 3600.0,
            read_gbs_mean: st.read.mean(end) / 1e9,
            read_demand_gbs_mean: st.read_demand.mean(end) / 1e9,
            write_gbs_mean: st.write.mean(end) / 1e9,
            closed_form_read_gbs: read_ceiling.read / 1e9,
            closed_form_write_gbs: write_ceiling.write / 1e9,
            max_gpus_at_floor: self.input.training.as_ref().map(|t| {
                t.step
                    .max_accelerators(read_ceiling.read / t.reading_fraction.max(1e-12))
            }),
            binding_resource: read_ceiling
                .binding
                .map(|i| start_pools[i].name.clone())
                .unwrap_or_else(|| "none".into()),
            drive_failures: st.drive_failures,
            node_losses: st.node_losses,
            rebuilds_completed: st.rebuilds.count(),
            rebuild_mean_s: st.rebuilds.mean().map(|ns| ns / 1e9),
            rebuild_max_s: st.rebuilds.max().map(|ns| ns as f64 / 1e9),
            rebuild_rate_gbs: (!st.rebuild_rates.is_empty()).then(|| {
                st.rebuild_rates.iter().sum::<f64>() / st.rebuild_rates.len() as f64 / 1e9
            }),
            degraded_read_gbs: (exposed_s > 0.0)
                .then(|| st.degraded_read.integral(end) / exposed_s / 1e9),
            exposure_hours: exposed_s / 3600.0,
            headroom_exhausted_day: st.headroom_exhausted.map(|t| t.as_secs_f64() / 86_400.0),
            tranches_applied: st.tranches.clone(),
            series,
            checkpoint_samples_s: std::mem::take(&mut st.checkpoint_samples),
        }
    }
}
