//! `design`: the exabyte and UK Met Office answers, the frontier against the points it
//! was drawn from, and the design space's strictness.

use std::path::PathBuf;
use vastplan_models::design::pareto::dominates;
use vastplan_models::design::search::plan_point;
use vastplan_models::design::space::Space;
use vastplan_models::design::{design, Design};
use vastplan_models::scenario::load_scenario;
use vastplan_models::scenario::Scenario;
use vastplan_models::simulate::resolve::apply_overrides;
use vastplan_models::Catalog;

fn datasets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../datasets")
}

struct Run {
    d: Design,
    space: Space,
    cat: Catalog,
    sc: Scenario,
    file: String,
}

fn run(scenario: &str) -> Run {
    let mut cat = Catalog::load(&datasets()).unwrap();
    let path = datasets().join(format!("scenarios/{scenario}.toml"));
    let sc = load_scenario(&path).unwrap();
    let file = path.display().to_string();
    apply_overrides(&mut cat, &sc, &file).unwrap();
    let space = Space::load(
        &datasets().join("design_space.toml"),
        &datasets().join("drives.csv"),
        &cat,
    )
    .unwrap();
    let t = std::time::Instant::now();
    let d = design(&cat, &sc, &space, &file).unwrap();
    eprintln!(
        "{scenario}: {:?} for {} points",
        t.elapsed(),
        d.search.points.len()
    );
    Run {
        d,
        space,
        cat,
        sc,
        file,
    }
}

#[test]
fn exabyte_and_ukmo_have_an_answer_that_meets_every_target() {
    for s in ["exabyte", "ukmo"] {
        let Run {
            d,
            space,
            cat,
            sc,
            file,
        } = run(s);
        let best = d.search.best.as_ref().expect("a point meets the targets");
        assert!(best.plan.met, "{s}: {:?}", best.plan.missed);
        let n = &d.search.points[best.index].node;
        eprintln!(
            "{s}: {} {} nodes {} racks {}/month {:.2} $/TB-month binding {} nines {:?} capex {} W {} frontier {} nines computed {}",
            n.spec.id(),
            best.plan.nodes,
            best.plan.sizing.racks,
            best.plan.sizing.usd_per_month,
            best.plan.sizing.usd_per_usable_tb_month,
            best.plan.binding,
            best.plan.nines,
            n.capex_usd,
            n.watts_peak,
            d.search.frontier.len(),
            d.search.nines_computed
        );
        for m in &d.marginals {
            eprintln!(
                "  {} {:+.0} {} {}",
                m.change, m.delta_usd_per_month, m.binding, m.met
            );
        }
        assert!(d.search.points.len() >= 10_000);
        // No cheaper point meets everything: planned in full (durability too), each one
        // misses a target.
        let cost = best.plan.sizing.usd_per_month;
        for p in &d.search.points {
            let Some(z) = &p.sized else { continue };
            if z.usd_per_month < cost && z.meets_all_but_durability {
                let plan = plan_point(&cat, &sc, &space, &d.targets, &p.node, &file).unwrap();
                assert!(!plan.met, "{s}: {} is cheaper and meets every target", z.id);
            }
        }
    }
}

#[test]
fn the_frontier_is_non_dominated_and_accounts_for_every_point() {
    let d = run("ukmo").d;
    let obj = |i: usize| d.search.points[i].sized.as_ref().unwrap().objectives();
    let front = &d.search.frontier;
    for &a in front {
        for &b in front {
            assert!(!dominates(&obj(a), &obj(b)));
        }
    }
    // Every sized point is on the frontier or dominated by a frontier point; those
    // cheaper per usable TB than every catalog shape are named if one slips through.
    let cheapest_catalog = d
        .catalog
        .iter()
        .map(|c| c.sized.usd_per_usable_tb_month)
        .fold(f64::INFINITY, f64::min);
    let mut cheaper = 0;
    for (i, p) in d.search.points.iter().enumerate() {
        let Some(s) = &p.sized else { continue };
        if s.usd_per_usable_tb_month < cheapest_catalog {
            cheaper += 1;
        }
        if !front.contains(&i) {
            assert!(
                front.iter().any(|&f| dominates(&obj(f), &obj(i))),
                "{} is neither on the frontier nor dominated by it",
                s.id
            );
        }
    }
    assert!(
        cheaper > 0,
        "no designed point beats the catalog per usable TB"
    );
}
