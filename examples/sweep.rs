//! A small sweep written against the library: for two shapes, the node count the closed
//! form sizes for the bundled wave-40pb targets scaled by 50-125 %, each simulated for a
//! day under three failure seeds, as CSV. Where the delivered read falls below demand is
//! where the closed form's answer stops being safe. (`vastplan sweep` does the same from a
//! sweep file, on all cores and in shards.)
//!
//! `cargo run --example sweep`

use std::path::Path;
use vastplan_models::plan::{counts_for_targets, targets};
use vastplan_models::scenario::load_scenario;
use vastplan_models::simulate::resolve::{apply_overrides, sim_input, sizing};
use vastplan_models::simulate::run_with_progress;
use vastplan_models::sizing::counts_for;
use vastplan_models::Catalog;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cat = Catalog::load(&root.join("datasets"))?;
    let file = root.join("datasets/scenarios/wave-40pb.toml");
    let name = file.display().to_string();
    let sc = load_scenario(&file)?;
    apply_overrides(&mut cat, &sc, &name)?;
    let t = targets(&cat, &sc)?;
    println!("shape,scale_percent,nodes,cnodes,seed,read_gbs,read_demand_gbs,gpu_utilisation,usd_per_month");
    for id in ["vast-df3120-gen6", "azstor-bf3-hyp"] {
        let shape = cat.shape(id)?.clone();
        let fit = counts_for_targets(&cat, &sc, &shape, &t, &name)?.counts();
        for pct in [50u64, 75, 100, 125] {
            let scale = |n: u32| (u64::from(n) * pct).div_ceil(100).max(1);
            let counts = counts_for(&shape, scale(fit.storage), Some(scale(fit.compute) as u32));
            let sized = sizing(&cat, &sc, &shape, Some(counts), &name)?;
            for seed in 1..=3 {
                let input = sim_input(&cat, &sc, &shape, &sized, Some(1.0), Some(seed), &name)?;
                let r = run_with_progress(&input, &mut |_| {});
                println!(
                    "{id},{pct},{},{},{seed},{:.2},{:.2},{},{:.0}",
                    sized.nodes,
                    sized.compute_nodes,
                    r.read_gbs_mean,
                    r.read_demand_gbs_mean,
                    r.gpu_utilisation
                        .map_or(String::new(), |u| format!("{u:.4}")),
                    sized.usd_per_month
                );
            }
        }
    }
    Ok(())
}
