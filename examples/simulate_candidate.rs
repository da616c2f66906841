//! Simulate one candidate of a bundled scenario for a day: the closed form sizes the
//! cluster for the scenario's targets (capacity and bandwidth), then the simulation runs
//! training reads, checkpoints, restores and failures on it under the flow model.
//!
//! `cargo run --example simulate_candidate [-- SHAPE_ID]`

use std::path::Path;
use vastplan_models::plan::{counts_for_targets, targets};
use vastplan_models::scenario::load_scenario;
use vastplan_models::simulate::resolve::{apply_overrides, sim_input, sizing};
use vastplan_models::simulate::run_with_progress;
use vastplan_models::Catalog;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cat = Catalog::load(&root.join("datasets"))?;
    let file = root.join("datasets/scenarios/wave-40pb.toml");
    let name = file.display().to_string();
    let sc = load_scenario(&file)?;
    apply_overrides(&mut cat, &sc, &name)?;
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "vast-df3120-gen6".to_string());
    let shape = cat.shape(&id)?.clone();
    // Counts that meet the targets in closed form; one simulated day, seed 7.
    let fit = counts_for_targets(&cat, &sc, &shape, &targets(&cat, &sc)?, &name)?;
    let sized = sizing(&cat, &sc, &shape, Some(fit.counts()), &name)?;
    let input = sim_input(&cat, &sc, &shape, &sized, Some(1.0), Some(7), &name)?;
    let r = run_with_progress(&input, &mut |_| {});
    println!(
        "{} x {id} ({} CNodes): read {:.1} of {:.1} GB/s demanded, ceiling {:.1} (bound by {})",
        sized.nodes,
        sized.compute_nodes,
        r.read_gbs_mean,
        r.read_demand_gbs_mean,
        r.closed_form_read_gbs,
        r.binding_resource
    );
    println!(
        "checkpoints {} (p99 {}), GPU utilisation {}, {} events",
        r.checkpoints,
        r.checkpoint_p99_s
            .map_or("-".into(), |s| format!("{s:.1} s")),
        r.gpu_utilisation
            .map_or("-".into(), |u| format!("{:.1} %", u * 100.0)),
        r.events
    );
    Ok(())
}
