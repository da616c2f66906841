//! The per-device simulation with and without its symmetry reduction, at a size you choose:
//! the `exabyte` scenario's workload (one job of 64 GPUs, checkpoints, failures) on N
//! L96s_v4 VMs, every rack and device its own class when expanded. Prints each run's
//! events, wall time and events per second, and how far apart their answers are (they
//! must agree: the reduction is exact).
//!
//! `cargo run --release --example expanded_scale -- 1000 7` (nodes, days, and optionally a
//! seed instead of the scenario's).

use std::path::PathBuf;
use vastplan_models::scenario::parse_scenario;
use vastplan_models::simulate::resolve::{apply_overrides, sim_input, sizing};
use vastplan_models::simulate::{run, SimResult};
use vastplan_models::Catalog;

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes: u64 = args.next().map_or(1000, |s| s.parse().expect("nodes"));
    let days: f64 = args.next().map_or(7.0, |s| s.parse().expect("days"));
    let seed: Option<u64> = args.next().map(|s| s.parse().expect("seed"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut cat = Catalog::load(&root.join("datasets")).expect("catalog");
    let file = root.join("datasets/scenarios/exabyte.toml");
    let text = std::fs::read_to_string(&file)
        .expect("exabyte.toml")
        .replace("gpus = 16384", "gpus = 64")
        .replace("jobs = 4", "jobs = 1");
    let sc = parse_scenario("exabyte.toml", &text).expect("scenario");
    apply_overrides(&mut cat, &sc, "exabyte.toml").expect("overrides");
    let shape = cat.shape("L96s_v4").expect("shape").clone();
    let counts = vastplan_models::sizing::counts_for(&shape, nodes, None);
    let sized = sizing(&cat, &sc, &shape, Some(counts), "exabyte.toml").expect("sizing");
    let mut inp =
        sim_input(&cat, &sc, &shape, &sized, Some(days), seed, "exabyte.toml").expect("input");
    let mut results: Vec<SimResult> = Vec::new();
    for expand in [false, true] {
        inp.topology.expand = expand;
        let t = std::time::Instant::now();
        let r = run(&inp);
        let s = t.elapsed().as_secs_f64();
        println!(
            "{:>8} {nodes} nodes, {days} days: {} events in {s:.2} s ({:.0} events/s), {} solver flows started, {} node losses, {} checkpoints",
            if expand { "expanded" } else { "reduced" },
            r.events,
            r.events as f64 / s,
            r.solver_flows_started,
            r.node_losses,
            r.checkpoints,
        );
        results.push(r);
    }
    let (a, b) = (&results[0], &results[1]);
    let rel = |x: f64, y: f64| (x - y).abs() / x.abs().max(y.abs()).max(1e-300);
    let pairs = [
        ("mean read GB/s", a.read_gbs_mean, b.read_gbs_mean),
        ("mean write GB/s", a.write_gbs_mean, b.write_gbs_mean),
        (
            "GPU utilisation",
            a.gpu_utilisation.unwrap_or(0.0),
            b.gpu_utilisation.unwrap_or(0.0),
        ),
        (
            "longest checkpoint s",
            a.checkpoint_max_s.unwrap_or(0.0),
            b.checkpoint_max_s.unwrap_or(0.0),
        ),
        (
            "longest rebuild s",
            a.rebuild_max_s.unwrap_or(0.0),
            b.rebuild_max_s.unwrap_or(0.0),
        ),
    ];
    let first_gap =
        a.series.iter().zip(&b.series).find(|(p, q)| {
            rel(p.read_gbs, q.read_gbs) > 1e-9 || rel(p.write_gbs, q.write_gbs) > 1e-9
        });
    if let Some((p, q)) = first_gap {
        println!(
            "first sample apart: t = {} s, read {} vs {}, write {} vs {}",
            p.time_s, p.read_gbs, q.read_gbs, p.write_gbs, q.write_gbs
        );
    }
    for (what, x, y) in pairs {
        println!(
            "{what:>22}: reduced {x:.6}, expanded {y:.6}, relative difference {:.1e}",
            rel(x, y)
        );
    }
}
