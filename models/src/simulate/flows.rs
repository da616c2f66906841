//! Logical flows: a client's bytes (a job's reads, a checkpoint, a restore, a rebuild)
//! as one solver flow per (client class, serving class) pair over the routes `cluster.rs`
//! builds; starting, cancelling, measuring and re-routing them. Memory follows the flows
//! alive: a finished logical flow's slot and its pieces' solver slots are reused.

use super::cluster::{dir_index, merged, ClientPart, Route, Server};
use super::sim::{Direction, Purpose, Sim};
use vastplan_sim::flow::{FlowId, FlowSpec, FlowState};
use vastplan_sim::SimTime;

/// A logical flow: what jobs, rebuilds and the recorder hold on to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Lf(pub(super) u32);

pub(super) struct LogicalFlow {
    pub(super) purpose: Purpose,
    pieces: Vec<FlowId>,
    /// Bytes not handed to any piece (held while reads wait on unavailable data).
    held: f64,
    streams: u32,
    cap: Option<f64>,
}

fn purpose_is_steady(p: Purpose) -> bool {
    matches!(p, Purpose::SteadyRead | Purpose::SteadyWrite)
}

impl Sim<'_> {
    pub(super) fn direction(purpose: Purpose) -> Direction {
        match purpose {
            Purpose::Training(_) | Purpose::Restore(_) | Purpose::SteadyRead => Direction::Read,
            Purpose::Checkpoint(_) | Purpose::Drain(_) | Purpose::SteadyWrite => Direction::Write,
            Purpose::Rebuild(_) => Direction::Rebuild,
        }
    }

    /// Starts a logical flow of `streams` client streams (per-stream `cap`) carrying
    /// `size` bytes.
    pub(super) fn start_flow(
        &mut self,
        now: SimTime,
        purpose: Purpose,
        size: f64,
        streams: u32,
        cap: Option<f64>,
    ) -> Lf {
        let flow = LogicalFlow {
            purpose,
            pieces: Vec::new(),
            held: 0.0,
            streams: streams.max(1),
            cap,
        };
        let id = match self.lflows_free.pop() {
            Some(i) => {
                self.lflows[i as usize] = flow;
                Lf(i)
            }
            None => {
                self.lflows.push(flow);
                Lf(u32::try_from(self.lflows.len() - 1).expect("more than 2^32 logical flows"))
            }
        };
        self.spawn(now, id, size);
        id
    }

    /// Hands `size` bytes of logical flow `id` to one solver flow per (client class,
    /// serving class) pair.
    fn spawn(&mut self, now: SimTime, id: Lf, size: f64) {
        let (purpose, streams, cap) = {
            let l = &self.lflows[id.0 as usize];
            (l.purpose, l.streams, l.cap)
        };
        let dir = Self::direction(purpose);
        let di = dir_index(dir);
        let job = match purpose {
            Purpose::Training(j)
            | Purpose::Checkpoint(j)
            | Purpose::Drain(j)
            | Purpose::Restore(j) => Some(j),
            _ => None,
        };
        let mut cap = cap;
        if dir == Direction::Read && matches!(purpose, Purpose::Training(_) | Purpose::SteadyRead) {
            // Readers wait on the unavailable share of their requests.
            let u = self.unavailable;
            cap = cap.map(|c| c * (1.0 - u));
        }
        let no_parts = Vec::new();
        let parts: &Vec<ClientPart> = match job {
            Some(j) if !self.topo.clients[j].is_empty() => &self.topo.clients[j],
            _ => &no_parts,
        };
        let fallback = [ClientPart {
            vms: streams as u64,
            route: Default::default(),
        }];
        let parts: &[ClientPart] = if parts.is_empty() { &fallback } else { parts };
        let total_servers: u64 = self.topo.servers.iter().map(|s| s.count).sum();
        let total_vms: u64 = parts.iter().map(|p| p.vms).sum();
        // Clients' connections may favour some servers (skew); rebuilds spread evenly.
        let weight = |srv: &Server| {
            if job.is_some() || purpose_is_steady(purpose) {
                srv.weight
            } else {
                1.0
            }
        };
        let weighted_servers: f64 = self
            .topo
            .servers
            .iter()
            .map(|s| s.count as f64 * weight(s))
            .sum();
        if total_servers == 0 || total_vms == 0 || cap == Some(0.0) || self.unavailable >= 1.0 {
            self.lflows[id.0 as usize].held += size;
            return;
        }
        let mut specs = Vec::new();
        for part in parts {
            for srv in &self.topo.servers {
                let mult = part.vms * srv.count;
                // (Written so that an even spread, weight 1, rounds as it always has.)
                let frac = mult as f64 * weight(srv) / (total_vms as f64 * weighted_servers);
                let piece = if size.is_finite() { size * frac } else { size };
                if piece <= 0.0 {
                    continue;
                }
                let mut r: Route = Vec::with_capacity(
                    part.route[di].len() + srv.serve[di].len() + self.topo.spread[di].len() + 2,
                );
                r.extend_from_slice(&part.route[di]);
                r.extend_from_slice(&srv.serve[di]);
                r.extend_from_slice(&self.topo.spread[di]);
                r.extend_from_slice(&self.topo.global[di]);
                let (route, weights) = merged(r);
                // Each VM keeps one stream to every serving CNode; the job's per-VM cap is
                // shared over them.
                let mut spec = FlowSpec::new(piece, route)
                    .with_weights(weights)
                    .with_multiplicity(u32::try_from(mult).unwrap_or(u32::MAX).max(1));
                if let Some(seg) = self.topo.segments[di] {
                    spec = spec.with_segment(seg);
                }
                if let Some(c) = cap {
                    // Per stream: the VM's cap times this server's share, over its streams.
                    spec = spec.with_cap(
                        c * streams as f64 / total_vms as f64 * weight(srv) / weighted_servers,
                    );
                }
                specs.push(spec);
            }
        }
        for spec in specs {
            let f = self.net.start_flow(now, &spec);
            self.flows_started += 1;
            let k = f.0 as usize;
            if self.piece_owner.len() <= k {
                self.piece_owner.resize(k + 1, u32::MAX);
            }
            self.piece_owner[k] = id.0;
            self.lflows[id.0 as usize].pieces.push(f);
        }
    }

    /// A solver flow completed: returns its logical flow if that is now complete.
    pub(super) fn piece_done(&mut self, f: FlowId) -> Option<Lf> {
        let owner = *self.piece_owner.get(f.0 as usize)?;
        if owner == u32::MAX {
            return None;
        }
        self.piece_owner[f.0 as usize] = u32::MAX;
        self.finished_pieces.push(f);
        let l = &mut self.lflows[owner as usize];
        let before = l.pieces.len();
        l.pieces.retain(|&p| p != f);
        (before > 0 && l.pieces.is_empty() && l.held <= 0.0).then_some(Lf(owner))
    }

    pub(super) fn purpose(&self, id: Lf) -> Purpose {
        self.lflows[id.0 as usize].purpose
    }

    /// Bytes of logical flow `id` still to move at `now`.
    pub(super) fn lf_remaining(&mut self, now: SimTime, id: Lf) -> f64 {
        // The network reads progress at its own clock, which only a mutation or an
        // advance moves: at an event that has changed nothing yet (a drive failure) it
        // would still be at the last change, and the bytes moved since would be lost.
        self.net.sync_to(now);
        let pieces = self.lflows[id.0 as usize].pieces.clone();
        let mut rest = self.lflows[id.0 as usize].held;
        for p in pieces {
            rest += self.net.remaining(p);
        }
        rest
    }

    /// Cancels a logical flow and frees it and its pieces: `id` must not be used after.
    pub(super) fn lf_cancel(&mut self, now: SimTime, id: Lf) {
        let l = &mut self.lflows[id.0 as usize];
        let pieces = std::mem::take(&mut l.pieces);
        l.held = 0.0;
        for p in pieces {
            self.net.cancel_flow(now, p);
            self.piece_owner[p.0 as usize] = u32::MAX;
            self.finished_pieces.push(p);
        }
        self.lf_release(id);
    }

    /// Frees a logical flow that has completed or been cancelled, so that memory stays
    /// bounded by the flows alive at once however long the run.
    pub(super) fn lf_release(&mut self, id: Lf) {
        debug_assert!(self.lflows[id.0 as usize].pieces.is_empty());
        self.lflows_free.push(id.0);
    }

    /// Total rate of a logical flow's streams, bytes/s.
    pub(super) fn lf_rate(&mut self, id: Option<Lf>) -> f64 {
        let Some(id) = id else { return 0.0 };
        let pieces = self.lflows[id.0 as usize].pieces.clone();
        let mut r = 0.0;
        for p in pieces {
            if self.net.state(p) == FlowState::Transferring {
                r += self.net.rate(p);
            }
        }
        r
    }

    pub(super) fn cancel(&mut self, now: SimTime, id: Option<Lf>) {
        if let Some(id) = id {
            self.lf_cancel(now, id);
        }
    }

    /// Restarts every live flow with its remaining bytes over the current classes, after
    /// the classes, capacities or the degraded share changed. Rates change; nothing is lost
    /// or duplicated.
    pub(super) fn reroute_all(&mut self, now: SimTime) {
        self.unavailable = self.unavailable_fraction();
        self.mark_unavailable();
        self.build_routes();
        self.start_steady(now);
        for j in 0..self.jobs.len() {
            if let Some(id) = self.jobs[j].training.take() {
                self.lf_cancel(now, id);
                self.start_training(now, j);
            }
            // A flow already done at this very instant is left alone: its completion is
            // on its way.
            if let Some(id) = self.jobs[j].checkpoint {
                let rest = self.lf_remaining(now, id);
                if rest > 0.0 {
                    let purpose = self.purpose(id);
                    self.lf_cancel(now, id);
                    let streams = self.job_streams(j);
                    self.jobs[j].checkpoint =
                        Some(self.start_flow(now, purpose, rest, streams, None));
                }
            }
            if let Some((id, t0)) = self.jobs[j].drain {
                let rest = self.lf_remaining(now, id);
                if rest <= 0.0 {
                    continue;
                }
                self.lf_cancel(now, id);
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
                let rest = self.lf_remaining(now, id);
                if rest <= 0.0 {
                    continue;
                }
                self.lf_cancel(now, id);
                let nf = self.start_rebuild_flow(now, i, rest);
                if let Some(rb) = self.rebuilds[i].as_mut() {
                    rb.flow = nf;
                }
            }
        }
    }
}
