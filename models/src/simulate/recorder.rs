//! The recorder: time-weighted signals, histograms and series, and the summary a run ends
//! with.

use super::jobs::Phase;
use super::result::{SeriesPoint, SimResult};
use super::sim::Sim;
use crate::netmodel::Pool;
use vastplan_sim::flow::{FlowId, FlowState};
use vastplan_sim::stats::{Histogram, IntervalSeries, TimeWeighted};
use vastplan_sim::SimTime;

pub(super) struct Stats {
    pub(super) checkpoints: Histogram,
    pub(super) checkpoint_samples: Vec<f64>,
    pub(super) restores: Histogram,
    pub(super) rebuilds: Histogram,
    pub(super) rebuild_rates: Vec<f64>,
    pub(super) overruns: u64,
    pub(super) interruptions: u64,
    pub(super) drive_failures: u64,
    pub(super) node_losses: u64,
    pub(super) lost_gpu_s: f64,
    pub(super) busy_gpus: TimeWeighted,
    pub(super) stall_gpus: TimeWeighted,
    pub(super) total_gpus: TimeWeighted,
    pub(super) read: TimeWeighted,
    pub(super) read_demand: TimeWeighted,
    pub(super) write: TimeWeighted,
    /// Read rate integrated only while a rebuild runs, and the time that took.
    pub(super) degraded_read: TimeWeighted,
    pub(super) exposed: TimeWeighted,
    pub(super) headroom_exhausted: Option<SimTime>,
    pub(super) tranches: Vec<String>,
    pub(super) s_util: IntervalSeries,
    pub(super) s_read: IntervalSeries,
    pub(super) s_read_demand: IntervalSeries,
    pub(super) s_write: IntervalSeries,
    pub(super) s_rebuilds: IntervalSeries,
    pub(super) s_binding: IntervalSeries,
}

impl Sim<'_> {
    pub(super) fn flow_rate(&mut self, id: Option<FlowId>) -> f64 {
        match id {
            Some(id) if self.net.state(id) == FlowState::Transferring => self.net.rate(id),
            _ => 0.0,
        }
    }

    pub(super) fn record(&mut self, now: SimTime) {
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

    pub(super) fn finish(
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
