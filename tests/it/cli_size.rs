//! End-to-end: the binary, run against the shipped datasets from any directory.

use crate::common::{stderr, stdout, vastplan_elsewhere as vastplan};
use std::process::Command;

#[test]
fn size_table_lists_every_kind() {
    let o = vastplan(&["size", "--logical-pb", "40", "--drr", "1.2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    for id in [
        "L96s_v4",
        "L96as_v5",
        "L128aos_v5",
        "vast-df3120-gen6",
        "azstor-bf3-hyp",
        "blob-hdd-lrs",
        "blob-premium-lrs",
    ] {
        assert!(s.contains(id), "{id} missing:\n{s}");
    }
    assert!(s.contains("weakest") && s.contains("cnodes"), "{s}");
}

#[test]
fn size_csv_and_json() {
    let o = vastplan(&[
        "size",
        "--logical-pb",
        "40",
        "--shape",
        "L96as_v5",
        "--shape",
        "blob-hdd-lrs",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert_eq!(s.lines().count(), 3, "{s}");
    assert!(s.starts_with("shape,kind,nodes,compute_nodes,racks"), "{s}");
    let o = vastplan(&[
        "size",
        "--logical-pb",
        "40",
        "--shape",
        "vast-df3120-gen6",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = &v["rows"][0];
    assert_eq!(row["shape"], "vast-df3120-gen6");
    assert!(row["nodes"].as_u64().unwrap() >= 11);
    assert!(row["inputs"][0]["confidence"].is_string());
}

#[test]
fn unknown_shape_is_exit_2_with_suggestion() {
    let o = vastplan(&["size", "--logical-pb", "40", "--shape", "L96as_v6"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("unknown shape id \"L96as_v6\"") && e.contains("L96as_v5"),
        "{e}"
    );
}

#[test]
fn impossible_requests_are_exit_2() {
    for args in [
        &["size", "--logical-pb", "-5"][..],
        &["size", "--logical-pb", "0"],
        &["size", "--logical-pb", "40", "--drr", "0"],
        &["size", "--logical-pb", "1e12", "--shape", "L32aos_v5"],
        &["size", "--logical-pb", "40", "--workload", "astrology"],
        &["size", "--logical-pb", "40", "--set", "L96as_v5.bogus=1"],
    ] {
        let o = vastplan(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error:"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn set_override_shows_as_user_input() {
    let o = vastplan(&[
        "size",
        "--logical-pb",
        "40",
        "--shape",
        "L96as_v5",
        "--set",
        "L96as_v5.price_usd_per_hour=6",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"][0]["inputs"][0]["confidence"], "user");
}

#[test]
fn shapes_formats() {
    let t = vastplan(&["shapes", "--wide"]);
    assert!(t.status.success());
    assert!(stdout(&t).contains("source"));
    let c = vastplan(&["shapes", "--format", "csv"]);
    assert!(stdout(&c).lines().count() > 15);
    let j = vastplan(&["shapes", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().all(|s| s["params"]
        .as_object()
        .unwrap()
        .values()
        .all(|p| p["source"].as_str().is_some_and(|s| !s.is_empty()))));
    let g = vastplan(&["shapes", "--clients"]);
    assert!(stdout(&g).contains("ND96isr_H100_v5"));
}

#[test]
fn bad_datasets_dir_is_exit_2() {
    let o = Command::new(env!("CARGO_BIN_EXE_vastplan"))
        .args(["--datasets", "/nonexistent/dir", "shapes"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
