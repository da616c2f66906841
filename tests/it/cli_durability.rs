//! End-to-end: `vastplan durability` and the durability column of `size`.

use crate::common::{stderr, stdout, vastplan_elsewhere as vastplan};

#[test]
fn durability_shows_both_layouts_and_blob_codes() {
    let o = vastplan(&[
        "durability",
        "--shape",
        "vast-df3120-gen6",
        "--nodes",
        "100",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    for want in [
        "vast-df3120-gen6 ≤2/node",
        "vast-df3120-gen6 classic",
        "Blob LRS 3 copies",
        "Blob LRC 12+2+2",
        "146+4",
        "least-confident input",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
}

#[test]
fn durability_json_carries_inputs_and_outputs() {
    let o = vastplan(&[
        "durability",
        "--shape",
        "L96aos_v5",
        "--nodes",
        "40",
        "--afr",
        "0.02",
        "--rebuild-gbs",
        "20",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() >= 3);
    assert_eq!(rows[0]["input"]["drive_afr"], 0.02);
    assert_eq!(rows[0]["input"]["rebuild_bytes_per_s"], 20e9);
    assert!(rows[0]["output"]["nines"].as_f64().unwrap() > 0.0);
    // The HA layout survives VM losses that sink the classic layout.
    let ha = rows[0]["output"]["nines"].as_f64().unwrap();
    let classic = rows[1]["output"]["nines"].as_f64().unwrap();
    assert!(ha > classic, "{ha} vs {classic}");
}

#[test]
fn durability_takes_assumption_overrides_by_name() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "durability",
            "--shape",
            "L96aos_v5",
            "--nodes",
            "40",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let o = vastplan(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["rows"][0]["output"]["nines"].as_f64().unwrap()
    };
    let base = run(&[]);
    let worse = run(&["--set", "assumptions.azure_vm_nvme_loss_per_year=2"]);
    assert!(worse < base, "{worse} vs {base}");
}

#[test]
fn durability_bad_input_exits_2() {
    for args in [
        &["durability", "--shape", "nope", "--nodes", "10"][..],
        &["durability", "--shape", "vast-df3120-gen6", "--nodes", "0"],
        &["durability", "--shape", "vast-df3120-gen6", "--nodes", "3"],
        &[
            "durability",
            "--shape",
            "vast-df3120-gen6",
            "--nodes",
            "20",
            "--afr",
            "-1",
        ],
        &[
            "durability",
            "--shape",
            "vast-df3120-gen6",
            "--nodes",
            "20",
            "--fill",
            "2",
        ],
        &[
            "durability",
            "--shape",
            "vast-df3120-gen6",
            "--nodes",
            "20",
            "--rebuild-gbs",
            "0",
        ],
    ] {
        let o = vastplan(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.starts_with("error:") && !e.contains("panicked"), "{e}");
    }
}

#[test]
fn size_has_a_nines_column() {
    let o = vastplan(&[
        "size",
        "--logical-pb",
        "40",
        "--shape",
        "vast-df3120-gen6",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    let mut lines = s.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header
        .iter()
        .position(|h| *h == "nines")
        .expect("nines column");
    let nines: f64 = row[i].parse().unwrap();
    assert!(nines > 5.0, "{nines}");
}
