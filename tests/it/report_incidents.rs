//! `vastplan plan` on a scenario with scripted incidents: the report carries, per
//! candidate, a row for each incident and a rack × time heatmap of the binding resource.

use crate::common::vastplan;

use std::fs;
use std::path::Path;

#[test]
fn leaf_failure_report_has_incident_rows_and_a_rack_heatmap() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_incidents_leaf");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let (code, _, err) = vastplan(&[
        "plan",
        "datasets/scenarios/leaf-failure.toml",
        "--days",
        "1",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("Incidents, rack by rack"),
        "no incident section"
    );
    // One row per scripted incident: the leaf of rack 1, then the throttled CNode 3.
    let leaf = html.find(">leaf</td>").expect("leaf incident row");
    let degrade = html.find(">degrade</td>").expect("degrade incident row");
    assert!(leaf < degrade, "incidents in the scenario's order");
    assert!(html.contains(">rack 1</td>") && html.contains(">device 3</td>"));
    assert!(html.contains(" → "), "read before → during");
    // The heatmap: an SVG with its accessible title, one cell per rack per sample, and
    // the legend's ends.
    let start = html
        .find("<title>Binding-resource load per rack")
        .expect("heatmap title");
    let svg_start = html[..start].rfind("<svg").unwrap();
    let svg_end = start + html[start..].find("</svg>").unwrap();
    let svg = &html[svg_start..svg_end];
    assert!(svg.contains("viewBox=\"0 0 960 540\""), "fits 960×540");
    assert!(
        svg.contains(">rack 0<") && svg.contains(">rack 1<"),
        "rack rows"
    );
    assert!(
        svg.matches("<g class=\"rack\"").count() >= 2,
        "a row per rack"
    );
    // Rack 1's row changes colour during the leaf failure, so it has several cells.
    assert!(
        svg.matches("class=\"cell\"").count() >= 3,
        "rack × time cells"
    );
    assert!(svg.contains(">0%<") && svg.contains(">100%<"), "legend");
}
