//! The cluster and its devices: which resources exist, at what capacity, and the route and
//! weights a flow of each direction takes over them.

use super::input::SimInput;
use super::sim::{Direction, Purpose, Sim};
use crate::cluster::Counts;
use vastplan_sim::flow::{FlowId, FlowSpec, ResourceId};
use vastplan_sim::{SimDuration, SimTime};

impl Sim<'_> {
    pub(super) fn client_vms(&self, gpus: u32) -> u32 {
        SimInput::client_vms(gpus, self.input.gpus_per_client_vm)
    }

    /// Rebuilds the pools for the current node and client counts, and sets each pool's
    /// resource to its total capacity (adding resources for classes not seen before).
    pub(super) fn repool(&mut self, now: SimTime) {
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
    pub(super) fn degraded_fraction(&self) -> f64 {
        let stored = self.input.drive_used_bytes
            * self.input.drives_per_node as f64
            * self.nodes.max(1) as f64;
        if stored <= 0.0 {
            0.0
        } else {
            (self.lost_bytes / stored).clamp(0.0, 1.0)
        }
    }

    pub(super) fn route(&self, dir: Direction) -> (Vec<ResourceId>, Vec<f64>) {
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

    pub(super) fn start_flow(
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

    pub(super) fn cancel(&mut self, now: SimTime, id: Option<FlowId>) {
        if let Some(id) = id {
            self.net.cancel_flow(now, id);
        }
    }

    /// Restarts every live flow with its remaining bytes over the current pools, after the
    /// pools or the degraded share changed. Rates change; nothing is lost or duplicated.
    pub(super) fn reroute_all(&mut self, now: SimTime) {
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
}
