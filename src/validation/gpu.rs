//! GPU demand: the MLPerf Storage step model against the published derivation, and the
//! simulation against the step model at the utilisation floor.

use super::{pct, rel, Row};
use vastplan_models::cluster::Counts;
use vastplan_models::iopath::{PathKind, Protection};
use vastplan_models::netmodel::{ceiling, ClusterSpec, Limit, NodeLimits, Topology};
use vastplan_models::simulate::{run, SimInput, Training};
use vastplan_models::workload::step::StepModel;
use vastplan_models::{Catalog, InputError};
use vastplan_sim::SimDuration;

pub const AREA: &str = "GPU demand (MLPerf Storage)";

const SOURCE: &str = "mlcommons/storage workload configs (v1.0 unet3d, v2.0 resnet50/cosmoflow); per-accelerator GB/s at the AU floor as derived in shared/facts/gpu-storage.md §2b";

/// GB/s per accelerator at the AU floor as printed in gpu-storage.md §2b (3 decimals).
const PUBLISHED_FLOOR_GBS: [(&str, f64); 6] = [
    ("unet3d-a100", 1.452),
    ("unet3d-h100", 2.859),
    ("resnet50-a100", 0.095),
    ("resnet50-h100", 0.184),
    ("cosmoflow-a100", 0.359),
    ("cosmoflow-h100", 0.566),
];

/// The storage system under test: 100 GB/s of reads.
const SYSTEM_BPS: f64 = 100e9;

/// A one-resource storage system whose closed-form read ceiling is exactly `bps`: one
/// account-style pool (every client byte crosses it once) and clients far faster than
/// it, so nothing else can bind.
fn system(bps: f64) -> ClusterSpec {
    ClusterSpec {
        inputs: Vec::new(),
        input_values: Vec::new(),
        kind: PathKind::AzureBlob,
        protection: Protection {
            buffer_data: 8,
            buffer_parity: 2,
            stripe_data: 12,
            stripe_parity: 4,
            drr: 1.0,
        },
        node: NodeLimits {
            account_egress: Some(Limit::new(bps, "validation storage system")),
            account_ingress: Some(Limit::new(bps, "validation storage system")),
            ..Default::default()
        },
        // Finite (the flow solver wants capacities) but never the bottleneck.
        client_nic: Limit::new(1e15, "clients never bind"),
        topology: Topology {
            nodes_per_rack: 1,
            clients_per_rack: 1_000_000,
            oversubscription: 1.0,
        },
        accounts: 1,
    }
}

struct Outcome {
    utilisation: f64,
    holds: bool,
}

/// Simulates `gpus` accelerators of `step` on the system for ten minutes.
fn simulate(step: &StepModel, gpus: u32) -> Outcome {
    let input = SimInput {
        spec: system(SYSTEM_BPS),
        nodes: 1,
        compute_nodes: 1,
        disaggregated: false,
        drives_per_node: 1,
        drive_used_bytes: 0.0,
        gpus,
        gpus_per_client_vm: 1,
        training: Some(Training {
            step: step.clone(),
            reading_fraction: 1.0,
        }),
        steady: None,
        checkpoint: None,
        gpu_mttf: None,
        failures: None,
        tranches: Vec::new(),
        duration: SimDuration::from_secs_f64(600.0),
        sample_interval: SimDuration::from_secs_f64(60.0),
        seed: 7,
        topology: Default::default(),
    };
    let r = run(&input);
    let utilisation = r.gpu_utilisation.unwrap_or(0.0);
    Outcome {
        utilisation,
        holds: utilisation >= step.au_floor * (1.0 - 1e-9) && r.headroom_exhausted_day.is_none(),
    }
}

pub fn rows(cat: &Catalog) -> Result<Vec<Row>, InputError> {
    let mut out = Vec::new();
    let closed = ceiling(&system(SYSTEM_BPS).pools(Counts::converged(1), 1), 1.0).read;
    for (id, published) in PUBLISHED_FLOOR_GBS {
        let w = cat.workload(id)?;
        let step = w.step();
        let demand = step.demand_at_floor() / 1e9;
        // The published figure is rounded to 3 decimals: half a unit in the last place is
        // all the disagreement rounding can explain.
        let half_ulp = 0.0005;
        out.push(Row {
            area: AREA,
            check: format!(
                "{id}: read GB/s per accelerator at the {:.0} % AU floor",
                step.au_floor * 100.0
            ),
            source: SOURCE.into(),
            published: format!("{published:.3} GB/s"),
            vastplan: format!("{demand:.4} GB/s (step model)"),
            error: pct(rel(demand, published)),
            tolerance: format!(
                "±{:.2} % (rounding of the published figure)",
                half_ulp / published * 100.0
            ),
            pass: (demand - published).abs() <= half_ulp,
            note: format!(
                "batch {} × {:.0} B per {} s step, × floor",
                step.batch_size, step.record_bytes, step.compute_s
            ),
        });

        let n = step.max_accelerators(closed);
        let at = simulate(&step, n as u32);
        let over = simulate(&step, n as u32 + 1);
        let n_pub = (SYSTEM_BPS / 1e9 / published).floor();
        let err = rel(n as f64, n_pub);
        let tol = half_ulp / published;
        out.push(Row {
            area: AREA,
            check: format!(
                "{id}: accelerators a {:.0} GB/s system keeps at the floor (simulated)",
                SYSTEM_BPS / 1e9
            ),
            source: SOURCE.into(),
            published: format!("{n_pub:.0} (= floor(100 / {published:.3}))"),
            vastplan: format!(
                "{n} hold (AU {:.2} %); {} do not (AU {:.2} %)",
                at.utilisation * 100.0,
                n + 1,
                over.utilisation * 100.0
            ),
            error: pct(err),
            tolerance: format!("±{:.2} % and N holds, N+1 does not", tol * 100.0),
            pass: err.abs() <= tol + 1e-12
                && at.holds
                && !over.holds
                && (closed - SYSTEM_BPS).abs() < 1.0,
            note: if n as f64 == n_pub {
                "agrees".into()
            } else {
                "differs only by the rounding of the published per-accelerator figure".into()
            },
        });
    }
    Ok(out)
}
