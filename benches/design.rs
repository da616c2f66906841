//! `vastplan design` on the default space (11,040 points) for the exabyte and UK Met
//! Office scenarios, on one core: the whole exhaustive search, each point sized by plan's
//! closed form, the frontier, the nines on the way to the cheapest point meeting every
//! target, and the marginal plans; excluding catalog and space loading.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;
use vastplan_models::design::design;
use vastplan_models::design::space::Space;
use vastplan_models::scenario::load_scenario;
use vastplan_models::simulate::resolve::apply_overrides;
use vastplan_models::Catalog;

fn search(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut group = c.benchmark_group("design");
    group.sample_size(10);
    for name in ["exabyte", "ukmo"] {
        let mut cat = Catalog::load(&root.join("datasets")).unwrap();
        let file = root.join(format!("datasets/scenarios/{name}.toml"));
        let sc = load_scenario(&file).unwrap();
        apply_overrides(&mut cat, &sc, name).unwrap();
        let space = Space::load(
            &root.join("datasets/design_space.toml"),
            &root.join("datasets/drives.csv"),
            &cat,
        )
        .unwrap();
        let d = design(&cat, &sc, &space, name).unwrap();
        println!(
            "design/{name}: {} points, {} sized, {} on the frontier, nines for {}",
            d.search.points.len(),
            d.search.sized(),
            d.search.frontier.len(),
            d.search.nines_computed
        );
        group.bench_function(format!("default_space/{name}"), |b| {
            b.iter(|| design(&cat, &sc, &space, name).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
