//! The `exabyte` scenario, 30 simulated days with failures, interruptions and checkpoints,
//! on one core: the cost of a full simulation run, excluding catalog and scenario loading.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;
use vastplan_models::scenario::load_scenario;
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

criterion_group!(benches, exabyte);
criterion_main!(benches);
