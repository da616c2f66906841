//! Each POC test's result in closed form: the pools of `netmodel` at the POC's counts
//! and clients, and `ceiling` at the test's read share — the same code `plan` sizes
//! with, so a POC that confirms these numbers confirms the plan's. A band moves every
//! input that has a confidence range (`sensitivity::Ranges`) to the end that lowers (or
//! raises) the result, all at once.

use super::calibration::split_input;
use super::suite::{self, Kind, Metric, PocTest, Setup};
use crate::catalog::{Catalog, Shape};
use crate::cluster::{Counts, Side};
use crate::error::InputError;
use crate::iopath::ResourceClass;
use crate::netmodel::{ceiling, cluster_spec, Pool, Transport};
use crate::plan::{plan_candidate, targets, PlanOptions};
use crate::provenance::Confidence;
use crate::scenario::Scenario;
use crate::sensitivity::Ranges;
use crate::simulate::resolve::{drr, net_options};
use crate::sizing::{counts_for, node_footprint};
use serde::Serialize;

/// One test's closed-form result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// In the test's metric (bytes/s or operations/s).
    pub value: f64,
    /// The pool that saturates first.
    pub binding: String,
    /// Which device count that pool scales with (`None`: the clients').
    pub side: Option<Side>,
}

/// What counts as success for a test at the POC's size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Criterion {
    /// At least this, in the test's metric.
    pub min: f64,
    pub basis: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    pub test: PocTest,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub binding: String,
    pub criterion: Option<Criterion>,
}

impl Prediction {
    /// The success mark is above the prediction: the POC, as sized, is expected to fail
    /// this test, which the plan must say rather than leave to the run.
    pub fn predicted_to_fail(&self) -> bool {
        self.criterion
            .as_ref()
            .is_some_and(|c| c.min > self.value * (1.0 + 1e-9))
    }
}

/// The benchmark plan of one POC.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BenchPlan {
    pub setup: Setup,
    /// The counts `plan` chooses for the whole request (closed form).
    pub planned: Counts,
    /// POC count / planned count on the side the POC's read binds on (at most 1).
    pub scale: f64,
    pub scale_basis: String,
    /// The scenario's targets as `plan` states them.
    pub targets: Vec<String>,
    pub rows: Vec<Prediction>,
    /// The least-confident input the predictions rest on.
    pub least_confident: (String, Confidence),
}

/// The pools of the POC over `transport`, and the inputs they rest on (least confident
/// first).
pub struct PocPools {
    pub pools: Vec<Pool>,
    pub inputs: Vec<(String, Confidence)>,
}

pub fn pools(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    setup: &Setup,
    transport: Transport,
    clients: u32,
) -> Result<PocPools, InputError> {
    let shape = cat.shape(&setup.shape)?;
    let d = drr(cat, sc, file)?.value.max(1.0);
    let mut opts = net_options(sc);
    opts.transport = Some(transport);
    opts.client_vm = Some(setup.client_vm.clone());
    let spec = cluster_spec(cat, shape, setup.counts.storage, d, &opts)?;
    Ok(PocPools {
        pools: spec.pools(setup.counts, clients),
        inputs: spec.inputs,
    })
}

fn named(pools: &[Pool], i: Option<usize>) -> (String, Option<Side>) {
    match i {
        Some(i) => (pools[i].name.clone(), Side::of(pools[i].class)),
        None => ("none".into(), None),
    }
}

/// The test's result with the catalog as given.
pub fn point(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    setup: &Setup,
    t: &PocTest,
) -> Result<Point, InputError> {
    let p = pools(cat, sc, file, setup, t.transport, t.clients)?.pools;
    let (value, i) = match t.kind {
        Kind::RebuildUnderLoad => {
            let share = cat.assumption("durability_rebuild_share")?.value;
            read_during_rebuild(&p, share)
        }
        _ => {
            let c = ceiling(&p, t.read_share);
            let v = match t.metric {
                Metric::ReadBps => c.read,
                Metric::WriteBps => c.write,
                Metric::TotalBps => c.total(),
                Metric::ReadIops => c.read / t.block_bytes.max(1) as f64,
            };
            (v, c.binding)
        }
    };
    let (binding, side) = named(&p, i);
    Ok(Point {
        value,
        binding,
        side,
    })
}

/// Client reads a cluster carries while a rebuild takes `share` of what its pools allow
/// a rebuild alone (the durability model's `durability_rebuild_share`): every pool keeps
/// capacity minus the rebuild's load for the clients, and the tightest pool binds.
fn read_during_rebuild(pools: &[Pool], share: f64) -> (f64, Option<usize>) {
    let rebuild = pools
        .iter()
        .filter(|p| p.rebuild_cost > 0.0)
        .map(|p| p.total_capacity() / p.rebuild_cost)
        .min_by(f64::total_cmp)
        .unwrap_or(0.0)
        * share;
    let mut best: (f64, Option<usize>) = (f64::INFINITY, None);
    for (i, p) in pools.iter().enumerate() {
        if p.read_cost <= 0.0 {
            continue;
        }
        let left = (p.total_capacity() - rebuild * p.rebuild_cost).max(0.0) / p.read_cost;
        if left < best.0 {
            best = (left, Some(i));
        }
    }
    best
}

/// The current value of an input named as `--set` takes it.
pub fn value_of(cat: &Catalog, name: &str) -> Option<f64> {
    let (id, field) = split_input(name);
    if id == crate::catalog::ASSUMPTIONS {
        return cat.assumptions.get(field).map(|p| p.value);
    }
    cat.shape(id).ok()?.param(field).map(|p| p.value)
}

/// The catalog with one input replaced, or `None` if the value breaks its rule.
pub fn with(cat: &Catalog, name: &str, v: f64) -> Option<Catalog> {
    let (id, field) = split_input(name);
    let mut c = cat.clone();
    c.apply_override(id, field, v).ok()?;
    Some(c)
}

/// Inputs a band moves: those with a confidence range whose rule takes fractions (a drive
/// count is a fact of the hardware, not an uncertainty of the model).
fn movable(
    cat: &Catalog,
    inputs: &[(String, Confidence)],
    ranges: &Ranges,
) -> Vec<(String, f64, f64)> {
    inputs
        .iter()
        .filter(|(n, _)| !crate::catalog::rules::rule(split_input(n).1).integer)
        .filter_map(|(n, c)| Some((n.clone(), ranges.of(*c)?, value_of(cat, n)?)))
        .collect()
}

/// (low, high) of a test: each movable input at the end of its range that lowers the
/// result goes into the low catalog, the other end into the high one.
pub fn band(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    setup: &Setup,
    t: &PocTest,
    base: f64,
) -> Result<(f64, f64), InputError> {
    let inputs = pools(cat, sc, file, setup, t.transport, t.clients)?.inputs;
    let (mut lo, mut hi) = (cat.clone(), cat.clone());
    for (name, r, v) in movable(cat, &inputs, &Ranges::default()) {
        let ends: Vec<(f64, f64)> = [v * (1.0 - r), v * (1.0 + r)]
            .into_iter()
            .filter_map(|x| {
                let c = with(cat, &name, x)?;
                Some((x, point(&c, sc, file, setup, t).ok()?.value))
            })
            .collect();
        let Some(down) = ends.iter().min_by(|a, b| a.1.total_cmp(&b.1)) else {
            continue;
        };
        let Some(up) = ends.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
            continue;
        };
        let (id, field) = split_input(&name);
        if down.1 < base {
            lo.apply_override(id, field, down.0)?;
        }
        if up.1 > base {
            hi.apply_override(id, field, up.0)?;
        }
    }
    let l = point(&lo, sc, file, setup, t)?.value.min(base);
    let h = point(&hi, sc, file, setup, t)?.value.max(base);
    Ok((l, h))
}

/// Storage and compute counts of the POC: `nodes` storage boxes (default: the shape's
/// minimum) and, when disaggregated, `cnodes` CNodes (default: the shape's minimum, in
/// whole chassis). The minimum is the one sizing uses (`vast_cloud_min_vms` for VMs).
pub fn poc_counts(
    cat: &Catalog,
    shape: &Shape,
    nodes: Option<u32>,
    cnodes: Option<u32>,
) -> Result<Counts, InputError> {
    let storage = match nodes {
        Some(n) => n,
        None => node_footprint(cat, shape)?.min_nodes.max(1.0) as u32,
    };
    Ok(counts_for(shape, storage as u64, cnodes))
}

fn is_client_class(c: ResourceClass) -> bool {
    use ResourceClass::*;
    matches!(
        c,
        ClientNicRx | ClientNicTx | ClientUplinkRx | ClientUplinkTx
    )
}

/// The fewest client VMs that leave the storage, not the clients, binding every
/// transport's read and write ceiling, with client pools at most 80 % busy there.
pub fn enough_clients(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    shape: &Shape,
    setup: &Setup,
) -> Result<u32, InputError> {
    let sc_t = sc.network.as_ref().and_then(|n| n.transport);
    let ok = |m: u32| -> Result<bool, InputError> {
        for t in suite::transports(shape, sc_t) {
            let p = pools(cat, sc, file, setup, t, m)?.pools;
            for share in [1.0, 0.0] {
                let c = ceiling(&p, share);
                let loads = crate::netmodel::evaluate(&p, c.read, c.write);
                let busy = p
                    .iter()
                    .zip(&loads)
                    .any(|(p, l)| is_client_class(p.class) && l.utilisation > 0.8 + 1e-9);
                if busy {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    };
    let mut m = 1u32;
    while !ok(m)? {
        if m >= 100_000 {
            return Err(InputError::new(
                "--clients",
                format!("no client count up to 100000 leaves {} binding", shape.id),
            ));
        }
        m = (m + 1).max(m + m / 10);
    }
    // Step back down to the fewest that still pass.
    while m > 1 && ok(m - 1)? {
        m -= 1;
    }
    Ok(m)
}

/// The benchmark plan: tests, predictions, bands and criteria.
pub fn plan(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    setup: &Setup,
) -> Result<BenchPlan, InputError> {
    let shape = cat.shape(&setup.shape)?;
    let unscaled = suite::tests(cat, sc, shape, setup, 1.0)?;
    let no_sim = PlanOptions {
        simulate: false,
        days: None,
        seed: None,
        max_growth_steps: 0,
    };
    let full = plan_candidate(cat, sc, shape, &no_sim, file, &mut |_| {})?;
    let planned = Counts::new(
        crate::sizing::to_u32(full.nodes),
        crate::sizing::to_u32(full.compute_nodes),
    );
    let first = point(cat, sc, file, setup, &unscaled[0])?;
    let side = first.side.unwrap_or(Side::Compute);
    let scale = (setup.counts.of(side) as f64 / planned.of(side).max(1) as f64).min(1.0);
    let scale_basis = format!(
        "{} {} of the {} the plan sizes (the {} side, where the POC's read binds)",
        setup.counts.of(side),
        side_noun(shape, side),
        planned.of(side),
        side.as_str()
    );
    let mut tests = suite::tests(cat, sc, shape, setup, scale)?;
    let tg = targets(cat, sc)?;
    let mut rows = Vec::new();
    let mut least = ("none".to_string(), Confidence::Measured);
    for t in &mut tests {
        let p = point(cat, sc, file, setup, t)?;
        let inputs = pools(cat, sc, file, setup, t.transport, t.clients)?.inputs;
        if let Some(i) = inputs.first() {
            if i.1 < least.1 {
                least = i.clone();
            }
        }
        let main = t.transport == tests_main(shape, sc);
        let criterion = criterion(cat, sc, t, &tg, scale, main)?;
        if t.kind == Kind::Mlperf {
            let w = cat.workload(t.workload.as_deref().unwrap_or_default())?;
            let step = w.step();
            // Run the accelerators the success mark counts when it asks more than the
            // POC is predicted to carry: a run of fewer could never pass.
            let wanted = criterion
                .as_ref()
                .map_or(0, |c| (c.min / step.demand_at_floor()).round() as u64);
            t.accelerators = Some(step.max_accelerators(p.value).max(wanted));
        }
        if t.kind == Kind::CheckpointBurst {
            // The POC's share of a checkpoint can be a second's writing at scale, which
            // measures start-up, not the write path: each thread writes at least a minute's
            // worth at the predicted rate, in whole blocks (the mark stays the share's rate).
            let streams = f64::from(t.clients * t.threads_per_client).max(1.0);
            let minute = p.value * MIN_BURST_S / streams;
            let block = t.block_bytes.max(1) as f64;
            let bytes = (t.file_bytes as f64).max((minute / block).ceil() * block);
            t.file_bytes = bytes as u64;
        }
        let (low, high) = band(cat, sc, file, setup, t, p.value)?;
        rows.push(Prediction {
            test: t.clone(),
            value: p.value,
            low,
            high,
            binding: p.binding,
            criterion,
        });
    }
    Ok(BenchPlan {
        setup: setup.clone(),
        planned,
        scale,
        scale_basis,
        targets: tg.stated,
        rows,
        least_confident: least,
    })
}

fn tests_main(shape: &Shape, sc: &Scenario) -> Transport {
    suite::transports(shape, sc.network.as_ref().and_then(|n| n.transport))[0]
}

fn side_noun(shape: &Shape, side: Side) -> &'static str {
    match (shape.is_disaggregated(), side) {
        (true, Side::Compute) => "CNodes",
        (true, Side::Storage) => "DBoxes",
        _ => "nodes",
    }
}

/// A share as a percentage with three significant figures (a POC of an exabyte is a
/// few thousandths of a percent of it).
pub fn percent(x: f64) -> String {
    let p = x * 100.0;
    let d = if p >= 10.0 {
        1
    } else {
        (2.0 - p.abs().max(1e-9).log10().floor()).clamp(1.0, 6.0) as usize
    };
    format!("{p:.d$} %")
}

/// Shortest checkpoint burst a POC runs, seconds at the predicted rate.
const MIN_BURST_S: f64 = 60.0;

/// The scenario's target for a test, scaled to the POC. Only tests over the scenario's
/// transport have one; the other transport's tests are there to separate parameters.
fn criterion(
    cat: &Catalog,
    sc: &Scenario,
    t: &PocTest,
    tg: &crate::plan::Targets,
    scale: f64,
    main: bool,
) -> Result<Option<Criterion>, InputError> {
    if !main {
        return Ok(None);
    }
    let pct = percent(scale);
    Ok(match t.kind {
        // No mark for reads during a rebuild: `plan` sizes for the healthy read target,
        // so that target would fail by design; the test records what holds.
        Kind::SeqRead if tg.read_bps > 0.0 => Some(Criterion {
            min: tg.read_bps * scale,
            basis: format!("read target {:.1} GB/s x {pct}", tg.read_bps / 1e9),
        }),
        // The scenario's simultaneous read and write (no GPU jobs), at the POC's share.
        Kind::Mix if sc.clients.is_none() && tg.read_bps > 0.0 && tg.write_bps > 0.0 => {
            Some(Criterion {
                min: (tg.read_bps + tg.write_bps) * scale,
                basis: format!(
                    "read {:.1} + write {:.1} GB/s at once x {pct}",
                    tg.read_bps / 1e9,
                    tg.write_bps / 1e9
                ),
            })
        }
        Kind::SeqWrite if tg.write_bps > 0.0 => Some(Criterion {
            min: tg.write_bps * scale,
            basis: format!("write target {:.1} GB/s x {pct}", tg.write_bps / 1e9),
        }),
        Kind::CheckpointBurst => match &sc.checkpoint {
            Some(ck) => match ck.target_seconds {
                Some(s) => {
                    let bytes = t.file_bytes as f64 * (t.clients * t.threads_per_client) as f64;
                    Some(Criterion {
                        min: bytes / s,
                        basis: format!("{:.0} GB within the {s} s checkpoint target", bytes / 1e9),
                    })
                }
                None => None,
            },
            None => None,
        },
        Kind::Mlperf => match &sc.clients {
            // A stand-in workload's accelerators are not the scenario's: no criterion.
            Some(cl) if t.workload.as_deref() == Some(cl.workload.as_str()) => {
                let w = cat.workload(&cl.workload)?.step();
                let acc = (cl.gpus as f64 * cl.reading_fraction * scale).ceil();
                Some(Criterion {
                    min: acc * w.demand_at_floor(),
                    basis: format!(
                        "{acc:.0} accelerators ({} GPUs x {} reading x {pct}) at the {:.0} % AU floor",
                        cl.gpus,
                        cl.reading_fraction,
                        w.au_floor * 100.0
                    ),
                })
            }
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(cap: f64, n: u32, read: f64, rebuild: f64) -> Pool {
        Pool {
            class: ResourceClass::Protocol,
            name: format!("p{cap}"),
            instances: n,
            capacity: cap,
            read_cost: read,
            write_cost: 0.0,
            rebuild_cost: rebuild,
            degraded_read_cost: 0.0,
            basis: String::new(),
        }
    }

    #[test]
    fn rebuild_takes_its_share_of_the_tightest_rebuild_pool_from_every_pool() {
        // Pool a: 4 x 10 = 40, read 1, rebuild 2 -> rebuild alone 20; pool b: 2 x 30 = 60,
        // read 1, rebuild 1 -> 60. Rebuild at half of 20 = 10: a keeps 40 - 20 = 20 for
        // reads, b keeps 60 - 10 = 50; a binds at 20.
        let p = [pool(10.0, 4, 1.0, 2.0), pool(30.0, 2, 1.0, 1.0)];
        let (v, i) = read_during_rebuild(&p, 0.5);
        assert!((v - 20.0).abs() < 1e-12, "{v}");
        assert_eq!(i, Some(0));
        // Without a rebuild the closed-form read ceiling comes back.
        let (v0, _) = read_during_rebuild(&p, 0.0);
        assert!((v0 - ceiling(&p, 1.0).read).abs() < 1e-9);
    }

    #[test]
    fn percent_keeps_three_figures_of_small_shares() {
        assert_eq!(percent(0.19), "19.0 %");
        assert_eq!(percent(0.05), "5.00 %");
        assert_eq!(percent(0.000198), "0.0198 %");
    }
}
