//! Failures, incidents and rebuilds: random drive and node failures from the AFRs (each
//! now hits a device drawn at random), the scenario's scripted incidents, and the rebuild
//! flows that follow lost data.

use super::devices::{DevState, RackState, SideKey};
use super::flows::Lf;
use super::input::{IncidentKind, Target};
use super::sim::{exp_delay, Ev, Purpose, Sim, SECONDS_PER_YEAR};
use crate::cluster::Counts;
use rand::Rng;
use vastplan_sim::{Scheduler, SimTime};

pub(super) struct Rebuild {
    pub(super) flow: Lf,
    pub(super) started: SimTime,
    pub(super) bytes: f64,
    /// The storage device whose whole data this rebuilds (it returns when done).
    pub(super) node: Option<u32>,
    /// The scripted incident that ends when this rebuild does.
    pub(super) incident: Option<usize>,
}

/// What the recorder tracks of one scripted incident.
#[derive(Clone, Debug, Default)]
pub(super) struct IncidentState {
    pub(super) target: u32,
    pub(super) started: Option<SimTime>,
    pub(super) ended: Option<SimTime>,
    pub(super) read_before: f64,
    /// Integrals of client reads, busy GPUs and all GPUs at the start and the end.
    pub(super) at_start: (f64, f64, f64),
    pub(super) at_end: (f64, f64, f64),
    pub(super) unavailable: bool,
    /// Reads fell below 99 % of before at some point after the start.
    pub(super) dipped: bool,
    pub(super) recovered: Option<SimTime>,
    /// What to restore at the end: a rack's state, or the spine's capacity.
    prev_rack: Option<RackState>,
    prev_spine: Option<f64>,
    prev_dev: Option<Option<DevState>>,
}

impl Sim<'_> {
    /// Failures are redrawn whenever the population changes; exponential inter-arrival
    /// times are memoryless, so redrawing does not bias them. The provider repairs Blob
    /// internally, out of the customer's sight, so it has none.
    pub(super) fn schedule_failures(&mut self, s: &mut Scheduler<Ev>) {
        let Some(f) = &self.input.failures else {
            return;
        };
        let nodes = self.topo.devices.storage;
        if self
            .input
            .spec
            .costs(Counts::converged(nodes))
            .rebuild
            .is_empty()
        {
            return;
        }
        let by_gen = self.topo.devices.by_gen(SideKey::Storage);
        let drives: f64 = (by_gen.iter().enumerate())
            .map(|(g, n)| n[0] as f64 * self.drives_of(g as u16) as f64)
            .sum();
        let drive_rate = drives * f.drive_afr / SECONDS_PER_YEAR;
        let node_rate = nodes as f64 * f.node_loss_per_year / SECONDS_PER_YEAR;
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

    fn drives_of(&self, gen: u16) -> u32 {
        match gen {
            0 => self.input.drives_per_node,
            g => self.topo.generations[g as usize - 1].drives_per_node,
        }
    }

    /// Stored bytes on one drive of a device of generation `gen`.
    fn drive_bytes_of(&self, gen: u16) -> f64 {
        match gen {
            0 => self.input.drive_used_bytes,
            g => self.node_bytes_of(g) / self.drives_of(g).max(1) as f64,
        }
    }

    /// Stored bytes on one storage device of generation `gen`: what its loss rebuilds.
    pub(super) fn node_bytes_of(&self, gen: u16) -> f64 {
        let base = self.input.drive_used_bytes * self.input.drives_per_node as f64;
        match gen {
            0 => base,
            g => base * self.topo.data_weight(g),
        }
    }

    fn gen_of(&self, i: u32) -> u16 {
        self.topo.devices.gen_of(SideKey::Storage, i)
    }

    /// A storage device that is up, drawn at random (a few tries; `None` if every try
    /// hit a device already down).
    fn pick_up_device(&mut self) -> Option<u32> {
        let n = self.topo.devices.storage;
        for _ in 0..64 {
            let i = self.pick_rng.random_range(0..n.max(1));
            if self.topo.devices.state(SideKey::Storage, i) == DevState::Up {
                return Some(i);
            }
        }
        None
    }

    pub(super) fn drive_fail(&mut self, s: &mut Scheduler<Ev>) {
        let now = s.now();
        self.drive_event = None;
        self.stats.drive_failures += 1;
        // The drive belongs to a device; its rebuild reads from all the others alike, so
        // which one only matters for how much it held (its generation's drives).
        let gen = self.pick_up_device().map_or(0, |i| self.gen_of(i));
        self.begin_rebuild(now, self.drive_bytes_of(gen), None, None);
        self.schedule_failures(s);
    }

    pub(super) fn node_loss(&mut self, s: &mut Scheduler<Ev>) {
        let now = s.now();
        self.node_event = None;
        // Keep at least one node serving: a cluster that has lost all is a durability
        // question, not a throughput one.
        if self.topo.devices.serving(SideKey::Storage) > 1 {
            if let Some(i) = self.pick_up_device() {
                self.stats.node_losses += 1;
                self.lose_node(now, i, None);
            }
        }
        self.schedule_failures(s);
    }

    /// Device `i` goes down with its data, which is rebuilt; it returns when rebuilt.
    fn lose_node(&mut self, now: SimTime, i: u32, incident: Option<usize>) {
        let key = self.topo.devices.key_of(SideKey::Storage);
        self.topo.devices.dev.insert((key, i), DevState::Down);
        self.topo.rebuilding.insert(i);
        self.repool(now);
        self.begin_rebuild(now, self.node_bytes_of(self.gen_of(i)), Some(i), incident);
    }

    pub(super) fn begin_rebuild(
        &mut self,
        now: SimTime,
        bytes: f64,
        node: Option<u32>,
        incident: Option<usize>,
    ) {
        self.lost_bytes += bytes;
        let i = self.rebuilds.len();
        // The degraded share changed: reads pay decode costs from now on.
        self.reroute_all(now);
        let flow = self.start_rebuild_flow(now, i, bytes);
        self.rebuilds.push(Some(Rebuild {
            flow,
            started: now,
            bytes,
            node,
            incident,
        }));
    }

    /// A rebuild runs as many streams as it has shares (default: one per live node, as
    /// every node rebuilds its part); a cluster-wide cap is split over them.
    pub(super) fn start_rebuild_flow(&mut self, now: SimTime, i: usize, bytes: f64) -> Lf {
        let f = self.input.failures.as_ref();
        let up = self.serving(SideKey::Storage);
        let streams = f.and_then(|f| f.rebuild_streams).unwrap_or(up).max(1);
        let cap = f.and_then(|f| f.rebuild_cap).map(|c| c / streams as f64);
        self.start_flow(now, Purpose::Rebuild(i), bytes, streams, cap)
    }

    pub(super) fn rebuild_done(&mut self, now: SimTime, i: usize, id: Lf) {
        let Some(rb) = self.rebuilds[i].take() else {
            return;
        };
        if rb.flow != id {
            self.rebuilds[i] = Some(rb);
            return;
        }
        self.stats.rebuilds.record((now - rb.started).as_nanos());
        let secs = (now - rb.started).as_secs_f64();
        if secs > 0.0 {
            self.stats.rebuild_rate_sum += rb.bytes / secs;
            self.stats.rebuild_count += 1;
        }
        self.lost_bytes = (self.lost_bytes - rb.bytes).max(0.0);
        if let Some(k) = rb.incident {
            self.incident_over(now, k);
        }
        if let Some(n) = rb.node {
            // The replacement node joins once its data is rebuilt.
            let key = self.topo.devices.key_of(SideKey::Storage);
            self.topo.rebuilding.remove(&n);
            if self.topo.devices.dev.get(&(key, n)) == Some(&DevState::Down) {
                self.topo.devices.dev.remove(&(key, n));
            }
            self.repool(now);
        }
        self.reroute_all(now);
    }

    pub(super) fn schedule_incidents(&mut self, s: &mut Scheduler<Ev>) {
        self.incidents = vec![IncidentState::default(); self.input.topology.incidents.len()];
        for (i, inc) in self.input.topology.incidents.iter().enumerate() {
            s.schedule_at(inc.at, Ev::Incident(i));
        }
    }

    fn incident_target(&mut self, k: usize) -> u32 {
        let inc = &self.input.topology.incidents[k];
        let d = &self.topo.devices;
        let n = match inc.kind {
            IncidentKind::Rack | IncidentKind::Leaf => d.racks(),
            IncidentKind::Spine => 1,
            _ if inc.cnode => d.compute,
            _ => d.storage,
        }
        .max(1);
        match inc.target {
            Target::Index(i) => i.min(n - 1),
            Target::Random => self.incident_rngs[k].random_range(0..n),
        }
    }

    pub(super) fn incident(&mut self, s: &mut Scheduler<Ev>, k: usize) {
        let now = s.now();
        let inc = self.input.topology.incidents[k].clone();
        let topo = &self.input.topology;
        let target = self.incident_target(k);
        let (read, busy, total) = self.stats.integrals(now);
        self.incidents[k].target = target;
        self.incidents[k].started = Some(now);
        self.incidents[k].read_before = self.stats.last_read;
        self.incidents[k].at_start = (read, busy, total);
        let side = if inc.cnode {
            SideKey::Compute
        } else {
            self.topo.devices.key_of(SideKey::Storage)
        };
        let mut ends_by_rebuild = false;
        match inc.kind {
            IncidentKind::Drive => {
                self.stats.drive_failures += 1;
                // The drive is in the incident's target device.
                let bytes = self.drive_bytes_of(self.gen_of(target));
                self.begin_rebuild(now, bytes, None, Some(k));
                ends_by_rebuild = true;
            }
            IncidentKind::Node if topo.node_loses_data && !inc.cnode => {
                self.stats.node_losses += 1;
                self.lose_node(now, target, Some(k));
                ends_by_rebuild = true;
            }
            IncidentKind::Node | IncidentKind::Degrade => {
                let st = if inc.kind == IncidentKind::Node {
                    DevState::Down
                } else {
                    DevState::Degraded(inc.capacity_fraction)
                };
                self.incidents[k].prev_dev =
                    Some(self.topo.devices.dev.get(&(side, target)).copied());
                self.topo.devices.dev.insert((side, target), st);
            }
            IncidentKind::Rack | IncidentKind::Leaf => {
                let prev = self.topo.devices.rack_state(target);
                self.incidents[k].prev_rack = Some(prev);
                let mut st = prev;
                if inc.kind == IncidentKind::Rack {
                    st.power_down = true;
                } else {
                    let l = topo.leaves_per_rack.max(1) as f64;
                    st.network = prev.network * (l - 1.0) / l;
                }
                self.topo.devices.rack.insert(target, st);
            }
            IncidentKind::Spine => {
                self.incidents[k].prev_spine = Some(self.topo.spine);
                let p = topo.spine_planes.max(1) as f64;
                self.topo.spine *= (p - 1.0) / p;
            }
        }
        if !ends_by_rebuild {
            self.repool(now);
            self.reroute_all(now);
            let d = inc.duration.unwrap_or(topo.repair);
            s.schedule_in(d, Ev::IncidentEnd(k));
        }
        self.mark_unavailable();
    }

    pub(super) fn incident_end(&mut self, s: &mut Scheduler<Ev>, k: usize) {
        let now = s.now();
        let target = self.incidents[k].target;
        let inc = &self.input.topology.incidents[k];
        let side = if inc.cnode {
            SideKey::Compute
        } else {
            self.topo.devices.key_of(SideKey::Storage)
        };
        self.incident_over(now, k);
        if let Some(prev) = self.incidents[k].prev_dev.take() {
            match prev {
                Some(st) => self.topo.devices.dev.insert((side, target), st),
                None => self.topo.devices.dev.remove(&(side, target)),
            };
        }
        if let Some(prev) = self.incidents[k].prev_rack.take() {
            if prev == RackState::default() {
                self.topo.devices.rack.remove(&target);
            } else {
                self.topo.devices.rack.insert(target, prev);
            }
        }
        if let Some(prev) = self.incidents[k].prev_spine.take() {
            self.topo.spine = prev;
        }
        self.repool(now);
        self.reroute_all(now);
    }

    /// Closes an incident's window (its effects are undone by the caller).
    fn incident_over(&mut self, now: SimTime, k: usize) {
        self.incidents[k].ended = Some(now);
        self.incidents[k].at_end = self.stats.integrals(now);
    }

    /// Flags every running incident when some data is out of reach.
    pub(super) fn mark_unavailable(&mut self) {
        if self.unavailable > 0.0 {
            for st in &mut self.incidents {
                if st.started.is_some() && st.ended.is_none() {
                    st.unavailable = true;
                }
            }
        }
    }
}
