//! The end-to-end proposal for one candidate: size for capacity, size for bandwidth, take
//! the larger, simulate the result under the scenario's load, judge it against the
//! scenario's targets, and grow it until it meets them or say why it cannot.

use crate::bandwidth::{
    nodes_for_bandwidth, nodes_for_what_clients_carry, BandwidthFit, BandwidthQuery,
};
use crate::catalog::{Catalog, DeploymentKind, Shape};
use crate::cluster::{Counts, Side};
use crate::durability::candidate::{nines_of, Overrides};
use crate::error::InputError;
use crate::iopath::ResourceClass;
use crate::netmodel::{ceiling, cluster_spec};
use crate::provenance::Confidence;
use crate::scenario::{CheckpointMode, Scenario};
use crate::simulate::resolve::{
    drr, gpus_per_vm, net_options, node_loss_per_year, sim_input, sizing,
};
use crate::simulate::{run_with_progress, SimInput, SimResult};
use crate::sizing::Sizing;
use crate::sizing::{min_counts, whole_chassis};
use crate::workload::checkpoint::checkpoint_bytes;
use serde::Serialize;

/// How far to go.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    pub simulate: bool,
    pub days: Option<f64>,
    pub seed: Option<u64>,
    /// Growth steps (each +25 % nodes) tried when the simulation misses a target.
    pub max_growth_steps: u32,
}

/// The targets a candidate is judged against, resolved from the scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Targets {
    /// Client read the cluster must sustain, bytes/s (GPUs at their utilisation floor,
    /// or the stated demand).
    pub read_bps: f64,
    /// Client write the cluster must sustain, bytes/s (stated, or every job's checkpoint
    /// within its target time).
    pub write_bps: f64,
    pub checkpoint_p99_s: Option<f64>,
    pub max_usd_per_gbs_month: Option<f64>,
    pub max_usd_per_month: Option<f64>,
    /// Lowest acceptable mean GPU utilisation (judged on the simulation).
    pub gpu_utilisation_min: Option<f64>,
    /// Fewest acceptable nines of annual durability.
    pub durability_nines_min: f64,
    /// Each target in words with where its value came from (stated or a default), for
    /// every report to print.
    pub stated: Vec<String>,
}

/// Nines of durability a scenario asks for when it does not say: nine nines, two short
/// of what Azure publishes for LRS and what VAST claims, and far above what a cluster
/// that loses data every few years gives.
pub const DEFAULT_DURABILITY_NINES: f64 = 9.0;

#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub target: Target,
    pub goal: f64,
    pub value: f64,
    pub met: bool,
}

/// What a verdict judges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    ReadGbs,
    WriteGbs,
    CheckpointP99,
    UsdPerGbsMonth,
    UsdPerMonth,
    GpuUtilisation,
    DurabilityNines,
}

impl Target {
    pub fn label(self) -> &'static str {
        match self {
            Target::ReadGbs => "read GB/s",
            Target::WriteGbs => "write GB/s (ceiling)",
            Target::CheckpointP99 => "checkpoint p99 s",
            Target::UsdPerGbsMonth => "$/GB/s-month",
            Target::UsdPerMonth => "$/month",
            Target::GpuUtilisation => "GPU utilisation",
            Target::DurabilityNines => "durability nines",
        }
    }
    /// Whether more devices could fix a miss (money and durability they cannot).
    pub fn growable(self) -> bool {
        !matches!(
            self,
            Target::UsdPerGbsMonth | Target::UsdPerMonth | Target::DurabilityNines
        )
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CandidatePlan {
    pub shape: String,
    pub kind: DeploymentKind,
    pub nodes_for_capacity: u64,
    /// Devices the closed form needs for the bandwidth targets (`None`: unreachable).
    pub nodes_for_bandwidth: Option<u64>,
    pub compute_nodes_for_bandwidth: Option<u64>,
    /// Storage devices (DBoxes, EBoxes, VMs, servers) and protocol servers (CNodes when
    /// disaggregated, else equal) as planned.
    pub nodes: u64,
    pub compute_nodes: u64,
    pub growth_steps: u32,
    pub sizing: Sizing,
    /// The catalog numbers the bandwidth ceilings rest on (node budgets, protocol
    /// efficiency, NIC and uplink figures), with values and sources; the sizing's own
    /// inputs are in `sizing.inputs`.
    pub performance_inputs: Vec<crate::sizing::Input>,
    pub read_ceiling_bps: f64,
    pub write_ceiling_bps: f64,
    pub binding: String,
    pub usd_per_gbs_month: f64,
    pub nines: Option<f64>,
    /// Where the durability model's repair rate came from.
    pub durability_basis: String,
    pub verdicts: Vec<Verdict>,
    pub met: bool,
    /// The targets this row misses.
    pub missed: Vec<String>,
    /// 1 = recommended (the cheapest row that meets every target and rests on no
    /// hypothetical input); set by [`rank`] across candidates.
    pub rank: Option<u32>,
    /// Rests on at least one hypothetical input (never recommended).
    pub hypothetical: bool,
    /// Why a target cannot be met by growing this shape, if so.
    pub why_not: Option<String>,
    pub least_confident: String,
    pub least_confidence: Confidence,
    pub sim: Option<SimResult>,
}

/// Targets from the scenario.
pub fn targets(cat: &Catalog, sc: &Scenario) -> Result<Targets, InputError> {
    let read = match (&sc.clients, sc.request.read_gbs) {
        (_, Some(r)) => r * 1e9,
        (Some(c), None) => {
            let w = cat.workload(&c.workload)?;
            c.gpus as f64 * c.reading_fraction * w.step().demand_at_floor()
        }
        (None, None) => 0.0,
    };
    let write = match (&sc.checkpoint, sc.request.write_gbs) {
        (_, Some(w)) => w * 1e9,
        (Some(c), None) => match (c.mode, c.target_seconds) {
            // All jobs start their checkpoints together (worst case): the cluster must
            // write all of them within the target.
            (CheckpointMode::Sync, Some(t)) => {
                let m = cat.model(&c.model)?;
                c.jobs as f64 * checkpoint_bytes(m.parameters.value, c.bytes_per_param) / t
            }
            _ => 0.0,
        },
        (None, None) => 0.0,
    };
    // KV-cache offload adds to whatever else the cluster must carry.
    let (kr, kw) = crate::simulate::resolve::kv_offload(cat, sc)?.unwrap_or((0.0, 0.0));
    let ts = sc.targets.clone().unwrap_or_default();
    let mut stated = Vec::new();
    let mut say = |what: String| stated.push(what);
    let read_bps = match ts.read_gbs {
        Some(r) => {
            say(format!("read {r} GB/s (targets.read_gbs)"));
            r * 1e9
        }
        None => {
            let basis = match (&sc.clients, sc.request.read_gbs) {
                (_, Some(_)) => "request.read_gbs".to_string(),
                (Some(c), None) => format!(
                    "{} GPUs x {} reading x the {} floor demand",
                    c.gpus, c.reading_fraction, c.workload
                ),
                (None, None) => "none stated".to_string(),
            };
            say(format!("read {:.0} GB/s ({basis})", (read + kr) / 1e9));
            read + kr
        }
    };
    let write_bps = match ts.write_gbs {
        Some(w) => {
            say(format!("write {w} GB/s (targets.write_gbs)"));
            w * 1e9
        }
        None => {
            let basis = match (&sc.checkpoint, sc.request.write_gbs) {
                (_, Some(_)) => "request.write_gbs".to_string(),
                (Some(c), None) => format!(
                    "{} {} {} checkpoints within {} s",
                    c.jobs,
                    if c.jobs == 1 { "job's" } else { "jobs'" },
                    c.model,
                    c.target_seconds.map_or("-".into(), |t| t.to_string())
                ),
                (None, None) => "none stated".to_string(),
            };
            say(format!("write {:.0} GB/s ({basis})", (write + kw) / 1e9));
            write + kw
        }
    };
    let checkpoint_p99_s = ts
        .checkpoint_p99_s
        .or_else(|| sc.checkpoint.as_ref().and_then(|c| c.target_seconds));
    if let Some(c) = checkpoint_p99_s {
        say(format!("checkpoint p99 at most {c} s"));
    }
    let gpu_utilisation_min = match (ts.gpu_utilisation_min, &sc.clients) {
        (Some(u), _) => {
            say(format!(
                "GPU utilisation at least {:.0} % (targets)",
                u * 100.0
            ));
            Some(u)
        }
        (None, Some(c)) => {
            let f = cat.workload(&c.workload)?.step().au_floor;
            say(format!(
                "GPU utilisation at least {:.0} % (default: the {} MLPerf AU floor)",
                f * 100.0,
                c.workload
            ));
            Some(f)
        }
        (None, None) => None,
    };
    let durability_nines_min = match ts.durability_nines_min {
        Some(n) => {
            say(format!("durability at least {n} nines (targets)"));
            n
        }
        None => {
            say(format!(
                "durability at least {DEFAULT_DURABILITY_NINES} nines (default)"
            ));
            DEFAULT_DURABILITY_NINES
        }
    };
    let max_usd_per_month = ts.usd_per_month_max.or(sc.request.max_usd_per_month);
    if let Some(m) = max_usd_per_month {
        say(format!("at most ${m:.0} per month"));
    }
    let max_usd_per_gbs_month = ts
        .usd_per_gbs_month_max
        .or(sc.request.max_usd_per_gbs_month);
    if let Some(m) = max_usd_per_gbs_month {
        say(format!("at most ${m:.0} per GB/s-month of read ceiling"));
    }
    Ok(Targets {
        read_bps,
        write_bps,
        checkpoint_p99_s,
        max_usd_per_gbs_month,
        max_usd_per_month,
        gpu_utilisation_min,
        durability_nines_min,
        stated,
    })
}

struct Evaluated {
    sizing: Sizing,
    read_ceiling: f64,
    write_ceiling: f64,
    binding: String,
    binding_class: Option<ResourceClass>,
    inputs: Vec<(String, Confidence)>,
    input_values: Vec<crate::sizing::Input>,
    sim: Option<SimResult>,
}

fn evaluate_at(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    counts: Counts,
    o: &PlanOptions,
    file: &str,
    progress: &mut dyn FnMut(f64),
) -> Result<Evaluated, InputError> {
    let sized = sizing(cat, sc, shape, Some(counts), file)?;
    let client_vms = sc.clients.as_ref().map_or(0, |c| {
        SimInput::client_vms(c.gpus, gpus_per_vm(cat, sc).unwrap_or(1))
    });
    let spec = cluster_spec(
        cat,
        shape,
        counts.storage,
        sized.drr.max(1.0),
        &net_options(sc),
    )?;
    let pools = spec.pools(counts, client_vms);
    let rc = ceiling(&pools, 1.0);
    let wc = ceiling(&pools, 0.0);
    let sim = if o.simulate {
        let inp = sim_input(cat, sc, shape, &sized, o.days, o.seed, file)?;
        Some(run_with_progress(&inp, progress))
    } else {
        None
    };
    Ok(Evaluated {
        binding: rc
            .binding
            .map_or_else(|| "none".into(), |i| pools[i].name.clone()),
        binding_class: rc.binding.map(|i| pools[i].class),
        read_ceiling: rc.read,
        write_ceiling: wc.write,
        inputs: spec.inputs,
        input_values: spec.input_values,
        sizing: sized,
        sim,
    })
}

fn judge(t: &Targets, e: &Evaluated) -> Vec<Verdict> {
    let mut v = Vec::new();
    let gbs = 1e9;
    if t.read_bps > 0.0 {
        // With a simulation, the steady read must hold (headroom never exhausted); the
        // value shown is the simulated mean read. Without one, the closed-form ceiling.
        let (value, met) = match &e.sim {
            Some(s) => (
                s.read_gbs_mean,
                s.headroom_exhausted_day.is_none() && e.read_ceiling >= t.read_bps * (1.0 - 1e-9),
            ),
            None => (
                e.read_ceiling / gbs,
                e.read_ceiling >= t.read_bps * (1.0 - 1e-9),
            ),
        };
        v.push(Verdict {
            target: Target::ReadGbs,
            goal: t.read_bps / gbs,
            value,
            met,
        });
    }
    if t.write_bps > 0.0 {
        v.push(Verdict {
            target: Target::WriteGbs,
            goal: t.write_bps / gbs,
            value: e.write_ceiling / gbs,
            met: e.write_ceiling >= t.write_bps * (1.0 - 1e-9),
        });
    }
    if let (Some(goal), Some(s)) = (t.checkpoint_p99_s, &e.sim) {
        if let Some(p99) = s.checkpoint_p99_s {
            v.push(Verdict {
                target: Target::CheckpointP99,
                goal,
                value: p99,
                met: p99 <= goal,
            });
        }
    }
    let per_gbs = e.sizing.usd_per_month / (e.read_ceiling / gbs).max(1e-9);
    if let Some(goal) = t.max_usd_per_gbs_month {
        v.push(Verdict {
            target: Target::UsdPerGbsMonth,
            goal,
            value: per_gbs,
            met: per_gbs <= goal,
        });
    }
    if let Some(goal) = t.max_usd_per_month {
        let value = e.sizing.usd_per_month;
        v.push(Verdict {
            target: Target::UsdPerMonth,
            goal,
            value,
            met: value <= goal,
        });
    }
    if let (Some(goal), Some(u)) = (
        t.gpu_utilisation_min,
        e.sim.as_ref().and_then(|s| s.gpu_utilisation),
    ) {
        v.push(Verdict {
            target: Target::GpuUtilisation,
            goal,
            value: u,
            met: u >= goal * (1.0 - 1e-9),
        });
    }
    v
}

/// Counts that hold the capacity (`capacity`, with the minimum CNodes) and carry the
/// bandwidth targets in closed form (`bandwidth`; `None` with `why_not` when a resource no
/// device count grows binds first).
pub struct TargetFit {
    pub capacity: Counts,
    pub bandwidth: Option<Counts>,
    pub why_not: Option<String>,
}

impl TargetFit {
    /// What to build: the bandwidth counts where reachable, else the capacity counts.
    pub fn counts(&self) -> Counts {
        self.bandwidth.unwrap_or(self.capacity)
    }
}

/// Capacity- and bandwidth-driven counts of `shape` for the scenario's targets `t`.
pub fn counts_for_targets(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    t: &Targets,
    file: &str,
) -> Result<TargetFit, InputError> {
    let cap_nodes = sizing(cat, sc, shape, None, file)?.nodes;
    let d = drr(cat, sc, file)?.value.max(1.0);
    let client_vms = sc.clients.as_ref().map_or(Ok(0), |c| {
        gpus_per_vm(cat, sc).map(|g| SimInput::client_vms(c.gpus, g))
    })?;
    // Reads and synchronous checkpoint writes of one job do not overlap, so each is sized
    // on its own and the larger count of each side wins. A stated steady demand (no GPU
    // jobs: HPC, ingest) reads and writes at once, so it is sized as one mix.
    let mut why_not = None;
    let base = min_counts(shape, cap_nodes);
    let mut bw = Some(base);
    let mixes = if sc.clients.is_none() {
        vec![(t.read_bps, t.write_bps)]
    } else {
        vec![(t.read_bps, 0.0), (0.0, t.write_bps)]
    };
    for (read, write) in mixes {
        if read + write <= 0.0 {
            continue;
        }
        let q = BandwidthQuery {
            drr: d,
            opts: net_options(sc),
            client_vms,
            read,
            write,
            min: base,
        };
        match nodes_for_bandwidth(cat, shape, &q)? {
            BandwidthFit::Fits(n) => {
                bw = bw.map(|b| Counts::new(b.storage.max(n.storage), b.compute.max(n.compute)))
            }
            BandwidthFit::Unreachable(what) => {
                why_not = Some(format!(
                    "{what} binds before the demand is met; more storage devices cannot help"
                ));
                // Still size the storage for all that the clients can take, so it is
                // never the narrower bottleneck.
                let carried = nodes_for_what_clients_carry(cat, shape, &q)?;
                bw = match (bw, carried) {
                    (Some(b), Some((n, _))) => Some(Counts::new(
                        b.storage.max(n.storage),
                        b.compute.max(n.compute),
                    )),
                    (b, Some((n, _))) if b.is_none() => Some(n),
                    _ => None,
                };
            }
        }
    }
    Ok(TargetFit {
        capacity: base,
        bandwidth: bw,
        why_not,
    })
}

/// For a disaggregated shape whose nines at `counts` fall short of `goal`, the fewest
/// CNodes (in whole chassis, DBoxes unchanged) that reach it; `None` when the counts
/// already reach it, the shape is converged, or no CNode count does (the DBoxes bind).
pub fn cnodes_for_durability(
    cat: &Catalog,
    shape: &Shape,
    counts: Counts,
    ov: &Overrides,
    goal: f64,
) -> Result<Option<Counts>, InputError> {
    if !shape.is_disaggregated() {
        return Ok(None);
    }
    let meets = |c: u32| -> bool {
        nines_of(cat, shape, counts.with(Side::Compute, c), ov).is_ok_and(|n| n.nines >= goal)
    };
    if meets(counts.compute) {
        return Ok(None);
    }
    // More CNodes stop helping once the DBoxes bind the rebuild: search up to four CNodes
    // per DBox.
    let limit = counts.storage.saturating_mul(4).max(counts.compute);
    let (mut lo, mut hi) = (counts.compute, counts.compute);
    while !meets(hi) {
        if hi >= limit {
            return Ok(None);
        }
        lo = hi;
        hi = whole_chassis(shape, hi.saturating_mul(2).min(limit));
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(counts.with(Side::Compute, whole_chassis(shape, hi))))
}

/// The scenario's failure rates as durability overrides (absent: the catalog's), the same
/// for `plan` and `plan --no-sim`.
pub fn failure_overrides(cat: &Catalog, sc: &Scenario, shape: &Shape) -> Overrides {
    Overrides {
        drive_afr: sc.failures.as_ref().map(|f| f.drive_afr),
        node_loss_per_year: node_loss_per_year(cat, sc, shape),
        ..Overrides::default()
    }
}

/// `counts` grown by a quarter on `side` (both sides when converged or unknown).
fn grown(shape: &Shape, counts: Counts, side: Option<Side>) -> Counts {
    let up = |n: u32| ((n as f64 * 1.25).ceil() as u32).max(n + 1);
    if !shape.is_disaggregated() {
        return Counts::converged(up(counts.storage));
    }
    match side {
        Some(Side::Storage) => counts.with(Side::Storage, up(counts.storage)),
        Some(Side::Compute) => counts.with(Side::Compute, whole_chassis(shape, up(counts.compute))),
        None => Counts::new(up(counts.storage), whole_chassis(shape, up(counts.compute))),
    }
}

/// A candidate sized in closed form and judged on everything but durability: the first
/// half of [`plan_candidate`]. `vastplan design` sizes every point of its space this far
/// and computes nines (the costly absorbing chain) only where the answer needs them.
pub struct SizedCandidate {
    pub cap_nodes: u64,
    pub bandwidth: Option<Counts>,
    pub why_not: Option<String>,
    pub counts: Counts,
    pub growth_steps: u32,
    e: Evaluated,
    pub verdicts: Vec<Verdict>,
}

impl SizedCandidate {
    pub fn sizing(&self) -> &Sizing {
        &self.e.sizing
    }
    pub fn read_ceiling_bps(&self) -> f64 {
        self.e.read_ceiling
    }
    pub fn write_ceiling_bps(&self) -> f64 {
        self.e.write_ceiling
    }
    /// The pool that binds the read ceiling.
    pub fn binding(&self) -> &str {
        &self.e.binding
    }
    /// Every verdict judged so far (all but durability) is met and no fixed resource
    /// binds first.
    pub fn meets_all_but_durability(&self) -> bool {
        self.why_not.is_none() && self.verdicts.iter().all(|v| v.met)
    }
}

/// Sizes one candidate for targets `t`, grows it while the simulation (if any) misses a
/// target more devices can fix; durability is judged by [`finish_candidate`].
pub fn size_candidate(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    t: &Targets,
    o: &PlanOptions,
    file: &str,
    progress: &mut dyn FnMut(f64),
) -> Result<SizedCandidate, InputError> {
    let fit = counts_for_targets(cat, sc, shape, t, file)?;
    let (cap_nodes, bw, why_not) = (fit.capacity.storage as u64, fit.bandwidth, fit.why_not);
    let base = fit.capacity;
    let mut counts = bw.unwrap_or(base);
    // CNodes decode rebuilds: when the durability target needs a faster rebuild than the
    // performance targets' CNodes give, add CNodes for it.
    if let Some(c) = cnodes_for_durability(
        cat,
        shape,
        counts,
        &failure_overrides(cat, sc, shape),
        t.durability_nines_min,
    )? {
        counts = c;
    }
    let mut steps = 0;
    let mut e = evaluate_at(cat, sc, shape, counts, o, file, progress)?;
    let mut verdicts = judge(t, &e);
    // Grow while the simulation misses a target that more devices can fix: the side
    // whose resource binds (CNodes or DBoxes), by a quarter each step.
    while why_not.is_none()
        && steps < o.max_growth_steps
        && verdicts.iter().any(|v| !v.met && v.target.growable())
    {
        steps += 1;
        counts = grown(shape, counts, e.binding_class.and_then(Side::of));
        e = evaluate_at(cat, sc, shape, counts, o, file, progress)?;
        verdicts = judge(t, &e);
    }
    Ok(SizedCandidate {
        cap_nodes,
        bandwidth: bw,
        why_not,
        counts,
        growth_steps: steps,
        e,
        verdicts,
    })
}

/// Plans one candidate.
pub fn plan_candidate(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    o: &PlanOptions,
    file: &str,
    progress: &mut dyn FnMut(f64),
) -> Result<CandidatePlan, InputError> {
    let t = targets(cat, sc)?;
    let sized = size_candidate(cat, sc, shape, &t, o, file, progress)?;
    finish_candidate(cat, sc, shape, &t, sized)
}

/// The second half of [`plan_candidate`]: durability at the sized counts, the verdicts
/// and the row.
pub fn finish_candidate(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    t: &Targets,
    sized: SizedCandidate,
) -> Result<CandidatePlan, InputError> {
    let SizedCandidate {
        cap_nodes,
        bandwidth: bw,
        mut why_not,
        counts,
        growth_steps: steps,
        e,
        mut verdicts,
    } = sized;
    let nodes = counts.storage as u64;
    // Durability at the planned size under the scenario's failure rates, on the one
    // rebuild model every command shares (the simulation's measured rebuild rate is
    // reported beside it, not fed in, so `plan` and `plan --no-sim` agree).
    let measured = e.sim.as_ref().and_then(|s| s.rebuild_rate_gbs);
    let n = nines_of(cat, shape, counts, &failure_overrides(cat, sc, shape)).ok();
    let nines = n.as_ref().map(|n| n.nines);
    let mut durability_basis = n.as_ref().map_or_else(
        || "no legal stripe at this size".to_string(),
        |n| n.basis.clone(),
    );
    if let Some(g) = measured {
        durability_basis.push_str(&format!("; the simulation measured {g:.1} GB/s of rebuild"));
    }
    verdicts.push(Verdict {
        target: Target::DurabilityNines,
        goal: t.durability_nines_min,
        value: nines.unwrap_or(0.0),
        met: nines.is_some_and(|n| n >= t.durability_nines_min),
    });
    let missed: Vec<String> = verdicts
        .iter()
        .filter(|v| !v.met)
        .map(|v| v.target.label().to_string())
        .collect();
    if why_not.is_none() && !missed.is_empty() {
        // A simulated mean above the goal still misses when demand outgrew the cluster
        // during the run (a GPU tranche, a generation whose big boxes hold most data):
        // say when, or the row reads as a contradiction.
        let outgrown = (e.sim.as_ref())
            .and_then(|s| s.headroom_exhausted_day)
            .filter(|_| {
                verdicts
                    .iter()
                    .any(|v| v.target == Target::ReadGbs && !v.met && v.value >= v.goal)
            });
        let missed = missed
            .iter()
            .map(|m| match outgrown {
                Some(d) if m == Target::ReadGbs.label() => {
                    format!("{m} (demand outgrows the simulated cluster on day {d:.1})")
                }
                _ => m.clone(),
            })
            .collect::<Vec<_>>();
        why_not = Some(format!(
            "misses {} at {nodes} nodes (binding: {})",
            missed.join(", "),
            e.binding
        ));
    }
    let lc_sizing = e.sizing.least_confident().clone();
    let (least, conf) = match e.inputs.first() {
        Some((n, c)) if *c < lc_sizing.confidence => (n.clone(), *c),
        _ => (lc_sizing.name.clone(), lc_sizing.confidence),
    };
    let usd_per_gbs_month = e.sizing.usd_per_month / (e.read_ceiling / 1e9).max(1e-9);
    Ok(CandidatePlan {
        shape: shape.id.clone(),
        kind: shape.kind,
        nodes_for_capacity: cap_nodes,
        nodes_for_bandwidth: bw.map(|c| c.storage as u64),
        compute_nodes_for_bandwidth: bw.map(|c| c.compute as u64),
        nodes,
        compute_nodes: counts.compute as u64,
        growth_steps: steps,
        met: missed.is_empty(),
        missed,
        rank: None,
        hypothetical: e
            .sizing
            .inputs
            .iter()
            .any(|i| i.confidence == Confidence::Hypothetical)
            || e.inputs.iter().any(|(_, c)| *c == Confidence::Hypothetical),
        verdicts,
        why_not,
        read_ceiling_bps: e.read_ceiling,
        write_ceiling_bps: e.write_ceiling,
        binding: e.binding,
        usd_per_gbs_month,
        nines,
        durability_basis,
        least_confident: least,
        least_confidence: conf,
        sizing: e.sizing,
        performance_inputs: e.input_values,
        sim: e.sim,
    })
}

/// Ranks candidates: rows that meet every target first (those resting on a hypothetical
/// input after the rest), cheapest first; then the others by fewest missed targets and
/// cost. Rank 1 is recommended only if it meets every target and is not hypothetical.
pub fn rank(plans: &mut [CandidatePlan]) {
    let mut order: Vec<usize> = (0..plans.len()).collect();
    let key = |p: &CandidatePlan| (!p.met, p.hypothetical, p.missed.len());
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&plans[a], &plans[b]);
        key(pa)
            .cmp(&key(pb))
            .then(pa.sizing.usd_per_month.total_cmp(&pb.sizing.usd_per_month))
            .then(pa.shape.cmp(&pb.shape))
    });
    for (r, i) in order.into_iter().enumerate() {
        plans[i].rank = Some(r as u32 + 1);
    }
}

/// Dollars as a proposal writes them: $310.8k, $7.82M.
pub fn usd(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("${:.2}B", v / 1e9)
    } else if a >= 1e6 {
        format!("${:.2}M", v / 1e6)
    } else if a >= 1e3 {
        format!("${:.1}k", v / 1e3)
    } else {
        format!("${v:.0}")
    }
}

/// The decision in one paragraph: what to build and why, or why nothing qualifies.
pub fn decision(plans: &[CandidatePlan]) -> String {
    let describe = |p: &CandidatePlan| {
        if p.compute_nodes != p.nodes {
            format!(
                "{} DBoxes + {} CNodes of {}",
                p.nodes, p.compute_nodes, p.shape
            )
        } else {
            format!("{} x {}", p.nodes, p.shape)
        }
    };
    let first = plans.iter().find(|p| p.rank == Some(1));
    match first {
        Some(p) if p.met && !p.hypothetical => {
            let next = plans
                .iter()
                .filter(|q| q.met && q.shape != p.shape)
                .min_by(|a, b| a.sizing.usd_per_month.total_cmp(&b.sizing.usd_per_month));
            let runner = match next {
                Some(q) => format!(
                    "; next: {} at {}/month{}",
                    q.shape,
                    usd(q.sizing.usd_per_month),
                    if q.hypothetical { " (rests on a hypothetical input)" } else { "" }
                ),
                None => "; no other candidate meets every target".to_string(),
            };
            format!(
                "Recommended: {} at {}/month — the cheapest candidate that meets every target and rests on no hypothetical input; {} of its inputs are {}-grade (e.g. {}), and plan --sensitivity shows which could change this{runner}.",
                describe(p),
                usd(p.sizing.usd_per_month),
                p.sizing
                    .inputs
                    .iter()
                    .filter(|i| i.confidence == p.least_confidence)
                    .count()
                    .max(1),
                p.least_confidence,
                p.least_confident
            )
        }
        Some(p) if p.met => format!(
            "No recommendation: only candidates resting on a hypothetical input meet every target; the cheapest is {} at {}/month (hypothetical: {}).",
            describe(p),
            usd(p.sizing.usd_per_month),
            p.least_confident
        ),
        Some(p) => format!(
            "No candidate meets every target. Closest: {} at {}/month, which misses {}.",
            describe(p),
            usd(p.sizing.usd_per_month),
            p.missed.join(", ")
        ),
        None => "No candidates.".to_string(),
    }
}
