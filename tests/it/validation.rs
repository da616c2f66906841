//! The published-figure checks: every row of docs/VALIDATION.md must be inside its stated
//! tolerance, and the committed document must be exactly what the code produces now, so
//! it cannot drift from the code.

use std::path::PathBuf;
use vastplan::validation::{markdown, rows, Row};
use vastplan_models::Catalog;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn all_rows() -> Vec<Row> {
    let cat = Catalog::load(&root().join("datasets")).unwrap();
    rows(&cat).unwrap()
}

#[test]
fn every_row_is_within_its_tolerance() {
    let rows = all_rows();
    let failed: Vec<String> = rows
        .iter()
        .filter(|r| !r.pass)
        .map(|r| {
            format!(
                "{} / {}: published {}, vastplan {}, error {} (tolerance {})",
                r.area, r.check, r.published, r.vastplan, r.error, r.tolerance
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "rows outside tolerance:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_area_the_issue_names_has_rows() {
    let rows = all_rows();
    let count = |area: &str, needle: &str| {
        rows.iter()
            .filter(|r| r.area.contains(area) && r.check.contains(needle))
            .count()
    };
    // Three workloads on two accelerators, each with a demand and a simulated-count row.
    for w in ["unet3d", "resnet50", "cosmoflow"] {
        assert_eq!(count("GPU demand", w), 4, "{w}");
    }
    assert_eq!(count("SuperPOD", "SU"), 12);
    assert_eq!(count("SuperPOD", "single node"), 3);
    assert_eq!(count("VAST", "usable/raw"), 3);
    assert_eq!(count("VAST", "per-CNode"), 4);
    assert_eq!(count("VAST", "8-VM"), 1);
    assert_eq!(count("VAST", "budget"), 1);
    assert_eq!(count("Meta", ""), 4);
    assert_eq!(count("Queueing", "M/M/"), 2);
    assert_eq!(count("Queueing", "oracle"), 1);
    // Every EBox VM shape in the catalog is checked.
    let cat = Catalog::load(&root().join("datasets")).unwrap();
    let vms = cat
        .shapes
        .iter()
        .filter(|s| s.kind == vastplan_models::DeploymentKind::VastEboxCloudVm)
        .count();
    assert!(vms > 0);
    assert_eq!(count("Azure", "per-VM"), vms);
}

#[test]
fn rows_are_deterministic() {
    assert_eq!(markdown(&all_rows()), markdown(&all_rows()));
}

#[test]
fn committed_document_matches_the_code() {
    let path = root().join("docs/VALIDATION.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let fresh = markdown(&all_rows());
    assert!(
        committed == fresh,
        "docs/VALIDATION.md is stale; regenerate it with\n    \
         cargo run -- validate --write docs/VALIDATION.md\nand commit the result"
    );
}
