//! One meaning of nines: `size`, `durability`, `plan --no-sim` and `plan` give the same
//! figure for the same cluster under the same failure assumptions.

use crate::common::vastplan;
use serde_json::Value;

const SCENARIO: &str = r#"
name = "nines-agree"
description = "capacity only, catalog failure rates"
seed = 3
candidates = ["L128aos_v5", "vast-df3120-gen6", "blob-hdd-lrs"]

[request]
logical_pb = 20
drr = 1.2
workload_class = "ai-training"

[simulation]
days = 0.2
sample_interval_s = 3600
"#;

fn json(args: &[&str]) -> Value {
    let (code, out, err) = vastplan(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

fn plan_nines(v: &Value, shape: &str) -> (u64, u64, f64) {
    let p = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["shape"] == shape)
        .unwrap();
    (
        p["nodes"].as_u64().unwrap(),
        p["compute_nodes"].as_u64().unwrap(),
        p["nines"].as_f64().unwrap(),
    )
}

#[test]
fn size_durability_and_plan_agree_on_nines() {
    let path = std::env::temp_dir().join(format!("vastplan-nines-{}.toml", std::process::id()));
    std::fs::write(&path, SCENARIO).unwrap();
    let file = path.to_str().unwrap();
    let with_sim = json(&["plan", file, "--format", "json"]);
    let no_sim = json(&["plan", file, "--no-sim", "--format", "json"]);
    for shape in ["L128aos_v5", "vast-df3120-gen6", "blob-hdd-lrs"] {
        let (n, c, a) = plan_nines(&with_sim, shape);
        let (n2, c2, b) = plan_nines(&no_sim, shape);
        assert_eq!((n, c), (n2, c2), "{shape}");
        assert_eq!(a, b, "{shape}: plan {a} vs plan --no-sim {b}");
        let size = json(&[
            "size",
            "--logical-pb",
            "20",
            "--drr",
            "1.2",
            "--shape",
            shape,
            "--format",
            "json",
        ]);
        assert_eq!(size["rows"][0]["nodes"].as_u64(), Some(n), "{shape}");
        let s = size["durability"][0]["durability"]["nines"]
            .as_f64()
            .unwrap();
        assert_eq!(s, a, "{shape}: size {s} vs plan {a}");
        let (n, c) = (n.to_string(), c.to_string());
        let mut args = vec!["durability", "--shape", shape, "--nodes", &n];
        // CNodes are counted apart only where they are separate devices (converged
        // shapes refuse --cnodes: their nodes are their CNodes).
        if shape.starts_with("vast-df") {
            args.extend(["--cnodes", &c]);
        }
        args.extend(["--format", "json"]);
        let d = json(&args);
        let h = d["headline"]["nines"].as_f64().unwrap();
        assert_eq!(h, a, "{shape}: durability {h} vs plan {a}");
    }
    // Blob's figure is Microsoft's published LRS durability, not a chain of ours.
    assert_eq!(plan_nines(&no_sim, "blob-hdd-lrs").2, 11.0);
    std::fs::remove_file(&path).ok();
}
