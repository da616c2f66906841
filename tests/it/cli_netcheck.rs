//! `vastplan netcheck` end to end: the binding resource and knee for a cloud VM shape, and
//! one-line errors with exit code 2 for bad input.

use crate::common::vastplan as run;

#[test]
fn laosv5_reads_are_bound_by_the_egress_cap_and_the_knee_moves_it() {
    let (code, out, err) = run(&[
        "netcheck",
        "--shape",
        "L128aos_v5",
        "--nodes",
        "16",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["read_binding"], "node NIC tx (egress)");
    let read = &v["knees"][0];
    assert_eq!(read["mix"], "read");
    let now = read["network_now_bps"].as_f64().unwrap();
    let knee = read["knee_network_bps"]
        .as_f64()
        .expect("egress binds, so a knee exists");
    assert!(knee > now);
    assert!(
        read["ceiling_at_knee_bps"].as_f64().unwrap() > read["ceiling_now_bps"].as_f64().unwrap()
    );
    assert_ne!(read["binding_at_knee"], "node NIC tx (egress)");
    // Cost per GB/s falls when the same VMs deliver more.
    assert!(
        read["usd_per_gbs_month_at_knee"].as_f64().unwrap()
            < read["usd_per_gbs_month_now"].as_f64().unwrap()
    );
}

#[test]
fn a_network_above_the_knee_does_not_raise_the_ceiling() {
    let ceiling = |gbps: &str| {
        let (code, out, err) = run(&[
            "netcheck",
            "--shape",
            "L128aos_v5",
            "--nodes",
            "16",
            "--node-gbps",
            gbps,
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["read_ceiling_bps"].as_f64().unwrap()
    };
    let (low, knee_plus, far) = (ceiling("150"), ceiling("1000"), ceiling("4000"));
    assert!(knee_plus > low);
    assert!((far - knee_plus).abs() / far < 1e-9, "{far} vs {knee_plus}");
}

#[test]
fn demand_beyond_the_ceiling_is_reported_not_met() {
    let (code, out, _) = run(&[
        "netcheck",
        "--shape",
        "L96as_v5",
        "--nodes",
        "8",
        "--read-gbs",
        "500",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("NOT met"), "{out}");
    let (code, out, _) = run(&[
        "netcheck",
        "--shape",
        "L96as_v5",
        "--nodes",
        "8",
        "--read-gbs",
        "5",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("demand met"), "{out}");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    for args in [
        vec!["netcheck", "--shape", "L96as_v9", "--nodes", "8"],
        vec!["netcheck", "--shape", "L96as_v5", "--nodes", "0"],
        vec![
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--oversubscription",
            "0.5",
        ],
        vec![
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--transport",
            "carrier-pigeon",
        ],
        vec![
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--read-gbs",
            "-3",
        ],
        vec![
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--clients",
            "4",
            "--client-vm",
            "nope",
        ],
        vec![
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--set",
            "L96as_v5.bogus=3",
        ],
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error:"), "{args:?}: {err}");
    }
}
