//! Size one request on every candidate shape in closed form: nodes, racks, kW and $/month
//! for 20 PB logical at the catalog's AI-training data-reduction ratio.
//!
//! `cargo run --example size_request [-- LOGICAL_PB]`

use std::path::Path;
use vastplan_models::sizing::{size, Request};
use vastplan_models::units::Bytes;
use vastplan_models::Catalog;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pb: f64 = std::env::args()
        .nth(1)
        .map_or(Ok(20.0), |a| a.parse())
        .map_err(|e| format!("LOGICAL_PB: {e}"))?;
    let datasets = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets");
    let cat = Catalog::load(&datasets)?;
    // The data-reduction ratio is a sourced assumption, with its confidence.
    let drr = cat.assumption("drr_ai_training")?.clone();
    let req = Request::new(Bytes::from_pb(pb), drr);
    println!("{pb} PB logical, data reduction {}", req.drr.value);
    println!("shape,nodes,racks,kw_avg,usd_per_month");
    for shape in &cat.shapes {
        let s = size(&cat, shape, &req)?;
        println!(
            "{},{},{},{:.1},{:.0}",
            s.shape, s.nodes, s.racks, s.kw_avg, s.usd_per_month
        );
    }
    Ok(())
}
