//! The scenario parser never panics and every error it returns is one line, whatever it is
//! fed: random bytes, and random TOML assembled from real and misspelled keys, wrong types
//! and broken syntax.

use proptest::prelude::*;
use vastplan_models::scenario::parse_scenario;

const SECTIONS: &[&str] = &[
    "",
    "[request]",
    "[clients]",
    "[checkpoint]",
    "[interruptions]",
    "[failures]",
    "[[tranches]]",
    "[overrides]",
    "[simulation]",
    "[ratio]",
    "[network]",
    "[bogus]",
    "[request",
    "[[tranches]",
];
const KEYS: &[&str] = &[
    "name",
    "description",
    "seed",
    "candidates",
    "logical_pb",
    "drr",
    "workload_class",
    "read_gbs",
    "write_gbs",
    "gpu_vm",
    "gpus",
    "workload",
    "reading_fraction",
    "sessions_per_client",
    "model",
    "bytes_per_param",
    "interval_minutes",
    "mode",
    "jobs",
    "target_seconds",
    "gpu_mttf_hours",
    "drive_afr",
    "node_loss_per_year",
    "rebuild_cap_gbs",
    "rebuild_streams",
    "day",
    "label",
    "add_nodes",
    "add_gpus",
    "days",
    "sample_interval_s",
    "gpu_counts",
    "tb_per_gpu",
    "oversubscription",
    "nodes_per_rack",
    "transport",
    "\"L96as_v5.price_usd_per_hour\"",
    "logicl_pb",
    "x",
    "",
];
const VALUES: &[&str] = &[
    "1",
    "-1",
    "0",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "3.5",
    "\"sync\"",
    "\"tcp\"",
    "\"\"",
    "\"a\\u0000b\"",
    "[1, 2]",
    "[\"L96as_v5\"]",
    "[]",
    "{}",
    "true",
    "1979-05-27",
    "\"unterminated",
    "[1, \"a\"]",
    "18446744073709551616",
];

fn toml_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            0..SECTIONS.len(),
            prop::collection::vec((0..KEYS.len(), 0..VALUES.len()), 0..6),
        ),
        0..8,
    )
    .prop_map(|sections| {
        let mut s = String::new();
        for (sec, kvs) in sections {
            s.push_str(SECTIONS[sec]);
            s.push('\n');
            for (k, v) in kvs {
                s.push_str(&format!("{} = {}\n", KEYS[k], VALUES[v]));
            }
        }
        s
    })
}

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = parse_scenario("fuzz.toml", text) {
        let msg = e.to_string();
        prop_assert!(!msg.contains('\n'), "multi-line error: {msg}");
        prop_assert!(
            msg.starts_with("fuzz.toml"),
            "error must name the file: {msg}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn random_toml_never_panics(text in toml_text()) {
        check(&text)?;
    }

    #[test]
    fn a_valid_scenario_with_one_corrupted_line_never_panics(line in 0usize..60, junk in "[ -~]{0,30}") {
        let base = include_str!("../../../datasets/scenarios/mai-dallas.toml");
        let mut lines: Vec<&str> = base.lines().collect();
        let i = line % lines.len();
        lines[i] = &junk;
        check(&lines.join("\n"))?;
    }
}
