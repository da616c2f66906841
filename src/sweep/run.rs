//! Running the runs of one shard: each run becomes `DIR/runs/<run_id>.csv` (a header and
//! one row), written atomically, and a run whose file exists is skipped — so a retried
//! array task or replaced pod redoes only what is missing, and a killed one leaves no
//! half-written file behind.

use super::expand::Run;
use crate::error::CliError;
use crate::output::write_atomic;
use std::path::Path;
use vastplan_models::scenario::{Failures, Scenario};
use vastplan_models::simulate::resolve::{sim_input_with, sizing, RunOverrides};
use vastplan_models::simulate::run;
use vastplan_models::sizing::counts_for;
use vastplan_models::Catalog;

/// Columns of the manifest: the run id, the axis values as the sweep set them (empty:
/// the scenario's own) and the seed.
pub const MANIFEST_HEADER: [&str; 8] = [
    "run_id",
    "shape",
    "nodes",
    "node_gbps",
    "gpus",
    "drive_afr",
    "replicate",
    "seed",
];

/// Columns of a run's result after the manifest's: the values the run actually used and
/// its headline metrics. Empty cells mean "none" (no checkpoint, no rebuild, no GPUs...).
const RESULT_COLUMNS: [&str; 17] = [
    "nodes_used",
    "gpus_used",
    "usd_per_month",
    "read_gbs",
    "read_demand_gbs",
    "closed_form_read_gbs",
    "binding_resource",
    "write_gbs",
    "gpu_utilisation",
    "checkpoints",
    "checkpoint_p99_s",
    "drive_failures",
    "node_losses",
    "rebuilds",
    "rebuild_mean_s",
    "headroom_exhausted_day",
    "events",
];

/// Everything the runs share: the catalog with the scenario's overrides applied, the
/// scenario, and the sweep's simulated days.
pub struct Base {
    pub cat: Catalog,
    pub sc: Scenario,
    /// The scenario file, for error messages.
    pub file: String,
    pub days: Option<f64>,
}

fn cell<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |x| x.to_string())
}

/// The manifest row of a run.
pub fn manifest_row(r: &Run) -> Vec<String> {
    vec![
        r.id.clone(),
        r.shape.clone(),
        cell(r.nodes),
        cell(r.node_gbps),
        cell(r.gpus),
        cell(r.drive_afr),
        r.replicate.to_string(),
        r.seed.to_string(),
    ]
}

fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| CliError::Internal(e.to_string());
    w.write_record(header).map_err(internal)?;
    for r in rows {
        w.write_record(r).map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| CliError::Internal(e.to_string()))
}

/// The manifest of a whole sweep, in run order.
pub fn manifest(runs: &[Run]) -> Result<Vec<u8>, CliError> {
    let rows: Vec<_> = runs.iter().map(manifest_row).collect();
    csv_bytes(&MANIFEST_HEADER, &rows)
}

/// Writes `DIR/manifest.csv`, or checks that the one there describes the same sweep, so
/// two different sweeps never mix their run files in one directory.
pub fn write_manifest(dir: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let path = dir.join("manifest.csv");
    match std::fs::read(&path) {
        Ok(old) if old == bytes => Ok(()),
        Ok(_) => Err(CliError::input(format!(
            "{} describes a different sweep; use another --out or remove it",
            path.display()
        ))),
        Err(_) => write_atomic(&path, bytes),
    }
}

/// Applies a run's axis values to a copy of the base scenario.
fn scenario_for(base: &Base, r: &Run) -> Result<Scenario, CliError> {
    let mut sc = base.sc.clone();
    if let Some(g) = r.gpus {
        let c = sc.clients.as_mut().ok_or_else(|| {
            CliError::input(format!(
                "{}: axis `gpus` needs a [clients] section in the scenario",
                base.file
            ))
        })?;
        c.gpus = g;
    }
    if let Some(a) = r.drive_afr {
        // A scenario without [failures] gets one with only drive failures, so an AFR
        // axis works on any scenario; node losses stay as the scenario has them (none).
        sc.failures
            .get_or_insert(Failures {
                drive_afr: a,
                node_loss_per_year: 0.0,
                rebuild_cap_gbs: None,
                rebuild_streams: None,
            })
            .drive_afr = a;
    }
    Ok(sc)
}

/// Checks what can be checked before any run starts: shapes exist, axes apply.
pub fn check(base: &Base, runs: &[Run], sweep_file: &str) -> Result<(), CliError> {
    for r in runs {
        base.cat.shape(&r.shape).map_err(|e| {
            CliError::input(format!("{sweep_file}: field `axes.shape`: {}", e.message))
        })?;
    }
    if let Some(r) = runs.first() {
        scenario_for(base, r)?;
    }
    Ok(())
}

/// Simulates one run and returns its result file's bytes.
pub fn execute(base: &Base, r: &Run) -> Result<Vec<u8>, CliError> {
    let sc = scenario_for(base, r)?;
    let shape = base.cat.shape(&r.shape)?.clone();
    let sized = sizing(
        &base.cat,
        &sc,
        &shape,
        r.nodes.map(|n| counts_for(&shape, n, None)),
        &base.file,
    )?;
    let o = RunOverrides {
        days: base.days,
        seed: Some(r.seed),
        node_network: r.node_gbps.map(|g| g * 1e9 / 8.0),
    };
    let inp = sim_input_with(&base.cat, &sc, &shape, &sized, &o, &base.file)?;
    let res = run(&inp);
    let mut row = manifest_row(r);
    row.extend([
        sized.nodes.to_string(),
        inp.gpus.to_string(),
        sized.usd_per_month.to_string(),
        res.read_gbs_mean.to_string(),
        res.read_demand_gbs_mean.to_string(),
        res.closed_form_read_gbs.to_string(),
        res.binding_resource.clone(),
        res.write_gbs_mean.to_string(),
        cell(res.gpu_utilisation),
        res.checkpoints.to_string(),
        cell(res.checkpoint_p99_s),
        res.drive_failures.to_string(),
        res.node_losses.to_string(),
        res.rebuilds_completed.to_string(),
        cell(res.rebuild_mean_s),
        cell(res.headroom_exhausted_day),
        res.events.to_string(),
    ]);
    let header: Vec<&str> = MANIFEST_HEADER
        .iter()
        .chain(RESULT_COLUMNS.iter())
        .copied()
        .collect();
    csv_bytes(&header, &[row])
}

/// Path of a run's result file.
pub fn run_file(dir: &Path, id: &str) -> std::path::PathBuf {
    dir.join("runs").join(format!("{id}.csv"))
}
