//! `vastplan plan` end to end: every bundled scenario plans, outputs are byte-identical for
//! the same seed, the report renders in a real browser, and bad scenarios fail with one
//! line and exit code 2.

use crate::common::vastplan;

use std::fs;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn scenarios() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
    v.sort();
    v
}

#[test]
fn every_bundled_scenario_plans_and_fits_120_columns() {
    let all = scenarios();
    assert!(all.len() >= 5, "{all:?}");
    for s in all {
        let (code, out, err) = vastplan(&["plan", s.to_str().unwrap(), "--days", "0.5"]);
        assert_eq!(code, 0, "{}: {err}", s.display());
        assert!(out.lines().count() >= 3, "{out}");
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 120, "{}: {widest} columns", s.display());
        assert!(err.is_empty(), "quiet when stderr is not a terminal: {err}");
    }
}

#[test]
fn same_seed_gives_byte_identical_outputs() {
    let a = tmp("plan_det_a");
    let b = tmp("plan_det_b");
    for d in [&a, &b] {
        let (code, _, err) = vastplan(&[
            "plan",
            "datasets/scenarios/wave-40pb.toml",
            "--days",
            "1",
            "--out",
            d.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(code, 0, "{err}");
    }
    for f in ["plan.csv", "plan.json", "report.html"] {
        let x = fs::read(a.join(f)).unwrap();
        let y = fs::read(b.join(f)).unwrap();
        assert!(!x.is_empty());
        assert!(x == y, "{f} differs between identical runs");
    }
    let c = tmp("plan_det_c");
    let (code, _, _) = vastplan(&[
        "plan",
        "datasets/scenarios/wave-40pb.toml",
        "--days",
        "1",
        "--seed",
        "99",
        "--out",
        c.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0);
    assert_ne!(
        fs::read(a.join("plan.json")).unwrap(),
        fs::read(c.join("plan.json")).unwrap(),
        "the seed must matter"
    );
}

#[test]
fn plan_csv_has_one_row_per_candidate_and_stable_columns() {
    let d = tmp("plan_csv");
    let (code, _, err) = vastplan(&[
        "plan",
        "datasets/scenarios/ukmo.toml",
        "--no-sim",
        "--out",
        d.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let csv = fs::read_to_string(d.join("plan.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    for col in [
        "shape",
        "nodes",
        "racks",
        "usd_per_month",
        "read_ceiling_gbs",
        "binding",
        "met",
        "least_confident_input",
    ] {
        assert!(
            header.split(',').any(|c| c == col),
            "missing {col} in {header}"
        );
    }
    assert_eq!(lines.count(), 6);
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("plan.json")).unwrap()).unwrap();
    assert_eq!(json["candidates"].as_array().unwrap().len(), 6);
    // The price-performance target decides: at least one candidate meets it, one misses.
    let met: Vec<bool> = json["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["met"].as_bool().unwrap())
        .collect();
    assert!(met.contains(&true) && met.contains(&false), "{met:?}");
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let d = tmp("plan_browser");
    let (code, _, err) = vastplan(&[
        "plan",
        "datasets/scenarios/mai-dallas.toml",
        "--days",
        "20",
        "--out",
        d.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let html = d.join("report.html");
    let text = fs::read_to_string(&html).unwrap();
    for external in ["src=\"http", "href=\"http", "url(http", "<link", "<script"] {
        assert!(!text.contains(external), "self-contained: found {external}");
    }
    let png = d.join("report.png");
    let (status, dom, log) = crate::common::run_chromium(&d, &html, &png);
    assert!(status.success(), "chromium: {log}");
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "{console:?}");
    // Cost by part, racks, bandwidth, checkpoint p50/p99/max, GPU utilisation and the
    // binding resource as small multiples.
    assert_eq!(dom.matches("<svg").count(), 6, "charts in the DOM");
    for title in [
        "Monthly cost by part",
        "Racks and facility power",
        "Delivered vs demanded read",
        "Checkpoint time: median, 99th percentile and worst",
        "GPU utilisation over time, one panel per candidate",
        "Load on the binding resource, one panel per candidate",
    ] {
        assert!(dom.contains(title), "{title} missing");
    }
    assert!(
        dom.contains("class=\"callout\""),
        "the decision opens the page"
    );
    assert!(dom.contains(">Bill of materials<"));
    assert!(dom.contains(">Assumptions and sources<"));
    crate::common::check_screenshot(&png);
}

#[test]
fn bad_scenarios_fail_with_one_line_and_exit_2() {
    let d = tmp("plan_bad");
    let good = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/scenarios/wave-40pb.toml"),
    )
    .unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "unknown_key.toml",
            good.replace("logical_pb = 40", "logical_pb = 40\nlogical_tb = 3"),
            "request.logical_tb",
        ),
        (
            "wrong_type.toml",
            good.replace("logical_pb = 40", "logical_pb = \"forty\""),
            "request.logical_pb",
        ),
        (
            "bad_shape.toml",
            good.replace("\"L96as_v5\",", "\"L96as_v9\","),
            "candidates",
        ),
        (
            "bad_workload.toml",
            good.replace("resnet50-h100", "resnet51-h100"),
            "clients",
        ),
        (
            "malformed.toml",
            good.replace("[request]", "[request"),
            "malformed.toml",
        ),
        (
            "impossible.toml",
            good.replace("logical_pb = 40", "logical_pb = 1e30"),
            "impossible.toml",
        ),
    ];
    for (name, text, expect) in cases {
        let p = d.join(name);
        fs::write(&p, text).unwrap();
        let (code, _, err) = vastplan(&["plan", p.to_str().unwrap(), "--no-sim"]);
        assert_eq!(code, 2, "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
        assert!(err.contains(expect), "{name}: {err}");
    }
    let (code, _, err) = vastplan(&["plan", "datasets/scenarios/no-such.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such.toml"), "{err}");
}
