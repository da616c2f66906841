//! The command-line findings of the November 2026 bad-input review
//! (`shared/reviews/bad-input-2026-11.md`) that the CLI answers: each is now one line on
//! stderr naming the flag the user typed, exit 2, and no hang. (Durability rates are
//! bounded by their assumption ranges; `bad_input.rs` covers them.)

use crate::common::{stderr, vastplan_elsewhere as run};

const WAVE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/datasets/scenarios/wave-40pb.toml"
);

fn refused(args: &[&str], names: &str) {
    let t = std::time::Instant::now();
    let o = run(args);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
    assert_eq!(e.trim().lines().count(), 1, "{args:?}: {e}");
    assert!(
        e.starts_with("error:") && e.contains(names),
        "{args:?}: {e}"
    );
    assert!(
        t.elapsed().as_secs() < 10,
        "{args:?} took {:?}",
        t.elapsed()
    );
}

#[test]
fn bare_vastplan_is_one_line_naming_the_commands() {
    refused(&[], "plan, shapes, size");
}

#[test]
fn out_of_range_flags_name_the_flag() {
    refused(&["size", "--logical-pb", "1e308"], "--logical-pb");
    refused(&["size", "--logical-pb", "40", "--drr", "1e308"], "--drr");
    refused(
        &[
            "size",
            "--logical-pb",
            "40",
            "--set",
            "nosuch.price_usd_per_hour=1",
        ],
        "--set",
    );
    refused(
        &[
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--read-gbps=-1",
        ],
        "--read-gbps",
    );
    refused(
        &[
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--sessions-per-client",
            "0",
        ],
        "--sessions-per-client",
    );
    refused(
        &[
            "ratio",
            "--gpu",
            "H100",
            "--workload",
            "resnet50",
            "--shape",
            "L96as_v5",
            "--tb-per-gpu",
            "1e308",
        ],
        "--tb-per-gpu",
    );
    refused(&["simulate", WAVE, "--nodes", "4294967296"], "--nodes");
    refused(&["simulate", WAVE, "--days", "1e308"], "--days");
    refused(&["plan", WAVE, "--days", "100000"], "--days");
    refused(
        &[
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--client-vm",
            "nosuch",
        ],
        "nosuch",
    );
}
