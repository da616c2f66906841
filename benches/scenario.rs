//! The `exabyte` scenario, 30 simulated days with failures, interruptions and checkpoints,
//! on one core: the cost of a full simulation run, excluding catalog and scenario loading.
//! And the per-device model without its symmetry reduction: every rack and device its own
//! class, over 7 days of the same failures, with one client rack. Expanded, every piece of a
//! striped transfer carries a share of every device; the flow network holds that spread
//! once per direction as a shared segment (`FlowNetwork::add_segment`), so a re-route costs
//! pieces × their own short route plus the devices once, instead of pieces × devices.
//! Criterion times 300 nodes; 1,000 nodes (about 11 s a run) is one timed run, printed.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;
use vastplan_models::scenario::{load_scenario, parse_scenario};
use vastplan_models::simulate::resolve::{apply_overrides, sim_input, sizing};
use vastplan_models::simulate::run;
use vastplan_models::Catalog;

fn exabyte(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut cat = Catalog::load(&root.join("datasets")).unwrap();
    let file = root.join("datasets/scenarios/exabyte.toml");
    let sc = load_scenario(&file).unwrap();
    apply_overrides(&mut cat, &sc, "exabyte.toml").unwrap();
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    // The first candidate (VAST on Lsv4: ~40k VMs, the most failures) and VAST's own
    // hardware (few nodes, long checkpoints).
    for id in ["L96s_v4", "vast-df3120-gen6"] {
        let shape = cat.shape(id).unwrap().clone();
        let sized = sizing(&cat, &sc, &shape, None, "exabyte.toml").unwrap();
        let inp = sim_input(&cat, &sc, &shape, &sized, Some(30.0), None, "exabyte.toml").unwrap();
        let events = run(&inp).events;
        println!(
            "exabyte/{id}: {} nodes, {events} events per 30-day run",
            sized.nodes
        );
        group.bench_function(format!("exabyte_30d/{id}"), |b| b.iter(|| run(&inp)));
    }
    group.finish();
}

/// The exabyte workload cut to one job of 64 GPUs (one client rack) on `nodes` L96s_v4
/// VMs, expanded.
fn expanded_input(nodes: u64) -> vastplan_models::simulate::SimInput {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut cat = Catalog::load(&root.join("datasets")).unwrap();
    let file = root.join("datasets/scenarios/exabyte.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("gpus = 16384", "gpus = 64")
        .replace("jobs = 4", "jobs = 1");
    let sc = parse_scenario("exabyte.toml", &text).unwrap();
    apply_overrides(&mut cat, &sc, "exabyte.toml").unwrap();
    let shape = cat.shape("L96s_v4").unwrap().clone();
    let counts = vastplan_models::sizing::counts_for(&shape, nodes, None);
    let sized = sizing(&cat, &sc, &shape, Some(counts), "exabyte.toml").unwrap();
    let mut inp = sim_input(&cat, &sc, &shape, &sized, Some(7.0), None, "exabyte.toml").unwrap();
    inp.topology.expand = true;
    inp
}

fn expanded(c: &mut Criterion) {
    for nodes in [300, 1000] {
        let inp = expanded_input(nodes);
        let t = std::time::Instant::now();
        let events = run(&inp).events;
        let s = t.elapsed().as_secs_f64();
        println!(
            "expanded/L96s_v4 {nodes} nodes 7 d: {events} events in {s:.2} s, {:.0} events/s (one run)",
            events as f64 / s
        );
    }
    let inp = expanded_input(300);
    let mut group = c.benchmark_group("scenario");
    group.sample_size(10);
    group.bench_function("expanded_300_nodes_7d/L96s_v4", |b| b.iter(|| run(&inp)));
    group.finish();
}

criterion_group!(benches, exabyte, expanded);
criterion_main!(benches);
