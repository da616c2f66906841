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
    // clap lists missing arguments under its headline; the one line keeps them.
    refused(&["simulate"], "not provided: <SCENARIO>");
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

#[test]
fn counts_a_command_would_ignore_are_refused() {
    fn dur<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        let mut a = vec!["durability", "--nodes", "20"];
        a.extend_from_slice(extra);
        a
    }
    // A converged shape's nodes are its CNodes: --cnodes was silently ignored.
    refused(
        &dur(&["--shape", "L128aos_v5", "--cnodes", "5"]),
        "--cnodes",
    );
    refused(
        &dur(&["--shape", "vast-df3120-gen6", "--cnodes", "0"]),
        "--cnodes",
    );
    refused(
        &["simulate", WAVE, "--shape", "L96as_v4", "--cnodes", "3"],
        "--cnodes",
    );
    // Durability's flags are named as flags, in the flag's units.
    refused(
        &dur(&["--shape", "vast-df3120-gen6", "--strip-kib", "1e308"]),
        "--strip-kib",
    );
    refused(
        &dur(&["--shape", "vast-df3120-gen6", "--fill", "3"]),
        "--fill",
    );
    refused(
        &[
            "netcheck",
            "--shape",
            "L96as_v5",
            "--nodes",
            "8",
            "--node-gbps",
            "1e308",
        ],
        "--node-gbps",
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
            "--counts",
            "4294967295",
        ],
        "--counts",
    );
    // One number given two values: which was meant cannot be guessed.
    refused(
        &[
            "size",
            "--logical-pb",
            "40",
            "--set",
            "L96as_v5.price_usd_per_hour=5",
            "--set",
            "L96as_v5.price_usd_per_hour=50",
        ],
        "already set to 5",
    );
}

#[test]
fn an_output_that_cannot_be_written_is_an_error_not_a_silent_success() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_vastplan");
    let datasets = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets");
    let full = Command::new(bin)
        .args(["--datasets", datasets, "shapes"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let e = stderr(&full);
    assert_eq!(full.status.code(), Some(2), "{e}");
    assert!(e.starts_with("error: cannot write standard output"), "{e}");
    // A device named as the output file is written in place (a temporary file renamed
    // over it would replace the device), and its failure names the path.
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/flows");
    let o = Command::new(bin)
        .args(["flows", "--links", &format!("{examples}/links.csv")])
        .args([
            "--flows",
            &format!("{examples}/flows.csv"),
            "--out",
            "/dev/full",
        ])
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.starts_with("error: cannot write /dev/full"), "{e}");
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::metadata("/dev/full").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/full is no longer a device");
}

#[test]
fn scenario_values_that_were_silently_accepted() {
    let text = std::fs::read_to_string(WAVE).unwrap();
    let dir = std::env::temp_dir().join(format!("vastplan-silent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, body: String| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p.to_str().unwrap().to_string()
    };
    let class = write(
        "class.toml",
        text.replace(
            "workload_class = \"ai-training\"",
            "workload_class = \"nosuch\"\ndrr = 1.5",
        ),
    );
    refused(
        &["plan", &class, "--no-sim"],
        "class.toml:22: field `request.workload_class`",
    );
    let p99 = write(
        "p99.toml",
        format!("{text}\n[targets]\ncheckpoint_p99_s = 0\n"),
    );
    refused(
        &["plan", &p99, "--no-sim"],
        "field `targets.checkpoint_p99_s`",
    );
    let half = write(
        "half.toml",
        format!("{text}\n[network]\nhot_cnode_fraction = 0.25\n"),
    );
    refused(
        &["plan", &half, "--no-sim"],
        "field `network.hot_cnode_fraction`",
    );
    let share = write(
        "share.toml",
        format!("{text}\n[network]\nhot_cnode_fraction = 0.5\nhot_connection_share = 0.2\n"),
    );
    refused(
        &["plan", &share, "--no-sim"],
        "field `network.hot_connection_share`",
    );
    // An incident after the last day never happens: said, as for a late tranche.
    let late = write(
        "late.toml",
        format!("{text}\n[[incidents]]\nday = 30\nkind = \"leaf\"\ntarget = 0\n"),
    );
    let o = run(&["simulate", &late, "--quiet"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(
        e.contains("incident 1 (Leaf) at day 30 comes after the last simulated day"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
