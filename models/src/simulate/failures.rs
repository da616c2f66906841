//! Failures and rebuilds: random drive and node failures from the AFRs, and the rebuild
//! flows that follow them.

use super::sim::{exp_delay, SECONDS_PER_YEAR};
use super::sim::{Ev, Purpose, Sim};
use crate::cluster::Counts;
use vastplan_sim::flow::FlowId;
use vastplan_sim::{Scheduler, SimTime};

pub(super) struct Rebuild {
    pub(super) flow: FlowId,
    pub(super) started: SimTime,
    pub(super) bytes: f64,
    pub(super) node_loss: bool,
}

impl Sim<'_> {
    /// Failures are redrawn whenever the population changes; exponential inter-arrival
    /// times are memoryless, so redrawing does not bias them. The provider repairs Blob
    /// internally, out of the customer's sight, so it has none.
    pub(super) fn schedule_failures(&mut self, s: &mut Scheduler<Ev>) {
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

    pub(super) fn begin_rebuild(&mut self, now: SimTime, bytes: f64, node_loss: bool) {
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
    pub(super) fn start_rebuild_flow(&mut self, now: SimTime, i: usize, bytes: f64) -> FlowId {
        let f = self.input.failures.as_ref();
        let up = self.nodes.saturating_sub(self.nodes_down).max(1);
        let streams = f.and_then(|f| f.rebuild_streams).unwrap_or(up).max(1);
        let cap = f.and_then(|f| f.rebuild_cap).map(|c| c / streams as f64);
        self.start_flow(now, Purpose::Rebuild(i), bytes, streams, cap)
    }
}
