//! The recorder: time-weighted signals, histograms and series, and the summary a run ends
//! with.

use super::flows::Lf;
use super::input::TopologyInput;
use super::jobs::Phase;
use super::result::IncidentResult;
use super::result::{SeriesPoint, SimResult};
use super::sim::Sim;
use crate::netmodel::Pool;
use vastplan_sim::flow::ResourceId;
use vastplan_sim::stats::{Histogram, IntervalSeries, TimeWeighted};
use vastplan_sim::SimDuration;
use vastplan_sim::SimTime;

pub(super) struct Stats {
    pub(super) checkpoints: Histogram,
    pub(super) restores: Histogram,
    pub(super) rebuilds: Histogram,
    /// Sum and count of finished rebuilds' mean rates (bytes/s): a mean needs no list.
    pub(super) rebuild_rate_sum: f64,
    pub(super) rebuild_count: u64,
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
    /// Client read rate at the last record.
    pub(super) last_read: f64,
    pub(super) unavailable: TimeWeighted,
    /// Per-rack (or per band of racks) utilisation of the binding resource.
    pub(super) s_racks: Vec<IntervalSeries>,
    pub(super) rack_labels: Vec<String>,
    /// Racks per row of `s_racks`, and whether the rows are client racks.
    racks_per_row: u32,
    racks_total: u32,
    client_rows: bool,
    /// Members of each row as (class index, racks of it in the row), for the classes of
    /// generation `rows_gen`.
    rows: Vec<Vec<(usize, u32)>>,
    rows_gen: u64,
}

type BTreeMapLite = Vec<(usize, u32)>;

/// Rows of the per-rack series at most.
const MAX_RACK_ROWS: u32 = 64;

impl Stats {
    pub(super) fn new(interval: SimDuration, _topo: &TopologyInput) -> Self {
        let series = || IntervalSeries::new(interval, 0.0);
        Stats {
            checkpoints: Histogram::new(),
            restores: Histogram::new(),
            rebuilds: Histogram::new(),
            rebuild_rate_sum: 0.0,
            rebuild_count: 0,
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
            last_read: 0.0,
            unavailable: TimeWeighted::new(SimTime::ZERO, 0.0),
            s_racks: Vec::new(),
            rack_labels: Vec::new(),
            racks_per_row: 1,
            racks_total: 0,
            client_rows: false,
            rows: Vec::new(),
            rows_gen: u64::MAX,
        }
    }

    /// Integrals of client reads, busy GPUs and all GPUs up to `now`.
    pub(super) fn integrals(&self, now: SimTime) -> (f64, f64, f64) {
        (
            self.read.integral(now),
            self.busy_gpus.integral(now),
            self.total_gpus.integral(now),
        )
    }

    /// Sets the rows of the per-rack series: `racks` racks (the most the run will have),
    /// grouped into bands when there are more than [`MAX_RACK_ROWS`].
    pub(super) fn set_rack_rows(&mut self, interval: SimDuration, racks: u32, client: bool) {
        let racks = racks.max(1);
        let per = racks.div_ceil(MAX_RACK_ROWS);
        let rows = racks.div_ceil(per);
        self.racks_per_row = per;
        self.racks_total = racks;
        self.client_rows = client;
        let what = if client { "client rack" } else { "rack" };
        self.rack_labels = (0..rows)
            .map(|r| {
                let (a, b) = (r * per, ((r + 1) * per).min(racks) - 1);
                if a == b {
                    format!("{what} {a}")
                } else {
                    format!("{what}s {a}-{b}")
                }
            })
            .collect();
        self.s_racks = (0..rows)
            .map(|_| IntervalSeries::new(interval, 0.0))
            .collect();
    }
}

impl Sim<'_> {
    pub(super) fn flow_rate(&mut self, id: Option<Lf>) -> f64 {
        self.lf_rate(id)
    }

    /// Load over capacity of `ids` together.
    fn utilisation(&mut self, ids: &[ResourceId]) -> f64 {
        let (mut load, mut cap) = (0.0, 0.0);
        for &r in ids {
            let st = self.net.resource_stats(r);
            load += st.load;
            cap += st.capacity;
        }
        if cap > 0.0 {
            load / cap
        } else {
            0.0
        }
    }

    /// Utilisation of the binding class in the whole cluster and in each row of racks.
    fn binding_utilisation(&mut self, now: SimTime) -> f64 {
        let Some(class) = self.binding_class else {
            return 0.0;
        };
        let client = self.stats.client_rows;
        let per_class: Vec<Vec<ResourceId>> = if client {
            self.topo
                .client_res
                .iter()
                .map(|m| m.get(&class).cloned().unwrap_or_default())
                .collect()
        } else {
            self.topo
                .rack_res
                .iter()
                .map(|m| m.get(&class).cloned().unwrap_or_default())
                .collect()
        };
        let all: Vec<ResourceId> = per_class.iter().flatten().copied().collect();
        let total = if all.is_empty() {
            // A class kept whole (Blob's accounts): one resource.
            match self.topo.global_resource(class) {
                Some(r) => self.utilisation(&[r]),
                None => 0.0,
            }
        } else {
            self.utilisation(&all)
        };
        let utils: Vec<f64> = per_class.iter().map(|ids| self.utilisation(ids)).collect();
        if self.stats.rows_gen != self.topo.gen {
            let per = self.stats.racks_per_row.max(1);
            let nrows = self.stats.s_racks.len();
            let mut rows: Vec<BTreeMapLite> = vec![Vec::new(); nrows];
            let lists: Vec<Vec<u32>> = if client {
                self.topo
                    .client_classes
                    .iter()
                    .map(|c| c.rack_ids.clone())
                    .collect()
            } else {
                self.topo
                    .rack_classes
                    .iter()
                    .map(|c| c.racks.clone())
                    .collect()
            };
            for (ci, racks) in lists.iter().enumerate() {
                for &r in racks {
                    let row = ((r / per) as usize).min(nrows.saturating_sub(1));
                    if let Some(v) = rows.get_mut(row) {
                        match v.last_mut() {
                            Some((c, n)) if *c == ci => *n += 1,
                            _ => v.push((ci, 1)),
                        }
                    }
                }
            }
            self.stats.rows = rows;
            self.stats.rows_gen = self.topo.gen;
        }
        let st = &mut self.stats;
        for (row, members) in st.rows.iter().enumerate() {
            let n: u32 = members.iter().map(|m| m.1).sum();
            let v = if n > 0 {
                members
                    .iter()
                    .map(|&(c, k)| utils.get(c).copied().unwrap_or(0.0) * k as f64)
                    .sum::<f64>()
                    / n as f64
            } else {
                0.0
            };
            st.s_racks[row].set(now, v);
        }
        total
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
        let binding = self.binding_utilisation(now);
        let unavailable = self.unavailable;
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
        st.last_read = read;
        st.unavailable
            .set(now, if unavailable > 0.0 { 1.0 } else { 0.0 });
        // Recovery: the first moment reads are back to 99 % of before after they dipped
        // below it (at once if they never dipped).
        for inc in &mut self.incidents {
            if let (Some(_), None) = (inc.started, inc.recovered) {
                let low = read < 0.99 * inc.read_before;
                if low {
                    inc.dipped = true;
                } else if inc.dipped {
                    inc.recovered = Some(now);
                }
            }
        }
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
        let racks: Vec<Vec<(SimTime, f64)>> =
            st.s_racks.iter_mut().map(|s| s.points(end)).collect();
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
                rack_utilisation: racks
                    .iter()
                    .map(|r| r.get(i).map_or(0.0, |p| p.1))
                    .collect(),
            })
            .collect();
        SimResult {
            simulated_s: end.as_secs_f64(),
            events,
            solver_flows_started: self.flows_started,
            solver_flow_slots_peak: self.flow_slots_peak,
            solver_groups: self.net.group_count() as u64,
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
            rebuild_rate_gbs: (st.rebuild_count > 0)
                .then(|| st.rebuild_rate_sum / st.rebuild_count as f64 / 1e9),
            degraded_read_gbs: (exposed_s > 0.0)
                .then(|| st.degraded_read.integral(end) / exposed_s / 1e9),
            exposure_hours: exposed_s / 3600.0,
            headroom_exhausted_day: st.headroom_exhausted.map(|t| t.as_secs_f64() / 86_400.0),
            tranches_applied: st.tranches.clone(),
            incidents: self
                .incidents
                .iter()
                .zip(&self.input.topology.incidents)
                // An incident after the last simulated instant never happened: no row
                // (the scenario warns about it).
                .filter(|(s, _)| s.started.is_some())
                .map(|(s, inc)| {
                    let (r0, b0, g0) = s.at_start;
                    let (r1, b1, g1) = if s.ended.is_some() {
                        s.at_end
                    } else {
                        st.integrals(end)
                    };
                    let t0 = s.started.unwrap_or(end);
                    let dt = (s.ended.unwrap_or(end) - t0).as_secs_f64();
                    IncidentResult {
                        kind: inc.kind.as_str().to_string(),
                        day: inc.at.as_secs_f64() / 86_400.0,
                        target: s.target,
                        read_gbs_before: s.read_before / 1e9,
                        read_gbs_during: if dt > 0.0 {
                            (r1 - r0) / dt / 1e9
                        } else {
                            s.read_before / 1e9
                        },
                        gpu_utilisation_during: (g1 - g0 > 0.0).then(|| (b1 - b0) / (g1 - g0)),
                        recovered_after_s: if s.dipped {
                            s.recovered.map(|t| (t - t0).as_secs_f64())
                        } else {
                            Some(0.0)
                        },
                        data_unavailable: s.unavailable,
                    }
                })
                .collect(),
            unavailable_hours: st.unavailable.integral(end) / 3600.0,
            rack_labels: st.rack_labels.clone(),
            series,
        }
    }
}
