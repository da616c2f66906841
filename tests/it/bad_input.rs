//! Regression tests for the bad-input review (shared/reviews/bad-input-2026-11.md): each
//! class of defect it found — panics, wrapped integers, unbounded values, silent
//! acceptance, misnamed errors — now ends in one line naming the field, with exit 2.

use crate::common::vastplan;
use std::path::{Path, PathBuf};

/// Runs `args`; asserts exit 2 and a single stderr line that mentions every `needles`.
fn refused(args: &[&str], needles: &[&str]) {
    let (code, _out, err) = vastplan(args);
    assert_eq!(code, 2, "{args:?} should be refused: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{args:?}: one line expected: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: error should name {n:?}: {err}");
    }
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vastplan-bad-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The wave scenario with `extra` appended, written to a scratch file.
fn scenario_with(name: &str, extra: &str) -> String {
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/scenarios/wave-40pb.toml"),
    )
    .unwrap();
    let p = scratch(name).join("s.toml");
    std::fs::write(&p, format!("{base}\n{extra}\n")).unwrap();
    p.display().to_string()
}

#[test]
fn zero_where_the_model_divides_is_refused_not_a_panic() {
    let s = scenario_with(
        "zero",
        "[overrides]\n\"assumptions.tcp_protocol_efficiency\" = 0",
    );
    refused(&["plan", &s, "--no-sim"], &["tcp_protocol_efficiency"]);
    let s = scenario_with("zero2", "[overrides]\n\"L96as_v4.vcpus\" = 0");
    refused(&["plan", &s, "--no-sim"], &["vcpus"]);
    refused(
        &[
            "size",
            "--logical-pb",
            "40",
            "--set",
            "assumptions.rack_kw_limit=0",
        ],
        &["rack_kw_limit"],
    );
}

#[test]
fn counts_and_values_beyond_the_model_are_refused_not_wrapped_or_hung() {
    let s = "datasets/scenarios/wave-40pb.toml";
    refused(
        &[
            "simulate",
            s,
            "--shape",
            "vast-df3120-gen6",
            "--nodes",
            "4294967296",
        ],
        &["--nodes"],
    );
    refused(&["simulate", s, "--days", "1e308"], &["--days"]);
    refused(&["simulate", s, "--days", "100000"], &["--days"]);
    refused(
        &["size", "--logical-pb", "40", "--drr", "1e308"],
        &["--drr"],
    );
    refused(
        &[
            "durability",
            "--shape",
            "vast-df3120-gen6",
            "--nodes",
            "20",
            "--afr",
            "1e308",
        ],
        &["--afr"],
    );
    refused(
        &[
            "size",
            "--logical-pb",
            "40",
            "--set",
            "L96as_v5.price_usd_per_hour=1e308",
        ],
        &["price_usd_per_hour"],
    );
    let long = scratch("days").join("s.toml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/scenarios/wave-40pb.toml"),
    )
    .unwrap();
    assert!(
        text.contains("\ndays = 7\n"),
        "the test edits the simulated days"
    );
    std::fs::write(&long, text.replace("\ndays = 7\n", "\ndays = 1e308\n")).unwrap();
    refused(&["plan", long.to_str().unwrap()], &["simulation.days"]);
    let big = scenario_with("big", "[ratio]\ngpu_counts = [1024]\ntb_per_gpu = -1");
    refused(&["plan", &big, "--no-sim"], &["ratio.tb_per_gpu"]);
}

#[test]
fn legal_looking_but_meaningless_input_is_refused() {
    refused(
        &[
            "plan",
            "datasets/scenarios/wave-40pb.toml",
            "--no-sim",
            "--days",
            "3",
        ],
        &["--days"],
    );
    refused(
        &[
            "netcheck",
            "--shape",
            "L128aos_v5",
            "--nodes",
            "16",
            "--transport",
            "rdma",
        ],
        &["rdma"],
    );
    let p = scratch("dup").join("s.toml");
    std::fs::write(
        &p,
        "name = \"d\"\ndescription = \"d\"\nseed = 1\ncandidates = [\"L128aos_v5\", \"L128aos_v5\"]\n[request]\nlogical_pb = 1\nworkload_class = \"ai-training\"\n",
    )
    .unwrap();
    refused(&["plan", p.to_str().unwrap(), "--no-sim"], &["candidates"]);
    refused(
        &[
            "size",
            "--logical-pb",
            "40",
            "--set",
            "L96as_v5.read_iops=1",
        ],
        &["read_iops", "no model reads it"],
    );
}

/// A copy of the datasets with one file's text edited.
fn datasets_with(name: &str, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets");
    let dst = scratch(name).join("datasets");
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
        }
    }
    let t = std::fs::read_to_string(dst.join(file)).unwrap();
    std::fs::write(dst.join(file), edit(&t)).unwrap();
    dst
}

#[test]
fn catalog_cells_pass_the_same_ranges_and_errors_name_the_folder_read() {
    // A duplicate GPU VM row would silently lose to the first.
    let d = datasets_with("dupvm", "azure_gpu_vms.csv", |t| {
        let row = t
            .lines()
            .find(|l| l.starts_with("ND96isr_H100_v5"))
            .unwrap();
        format!("{t}{row}\n")
    });
    let ds = d.to_str().unwrap();
    refused(
        &["--datasets", ds, "shapes"],
        &["duplicate id ND96isr_H100_v5", ds],
    );
    // A share above one that the durability command would refuse is refused at load too.
    let d = datasets_with("fill", "assumptions.csv", |t| {
        t.replace("durability_fill,0.8,", "durability_fill,3,")
    });
    refused(
        &["--datasets", d.to_str().unwrap(), "shapes"],
        &["assumptions.csv", "durability_fill"],
    );
    // A data-reduction ratio below one, which --drr refuses.
    let d = datasets_with("drr", "assumptions.csv", |t| {
        t.replace("drr_ai_training,1.2,", "drr_ai_training,0.5,")
    });
    refused(
        &["--datasets", d.to_str().unwrap(), "shapes"],
        &["drr_ai_training"],
    );
    // A zero CNode write budget.
    let d = datasets_with("cnode", "vast_hardware.csv", |t| {
        t.replace("37.0,7.6,1,", "37.0,0,1,")
    });
    refused(
        &["--datasets", d.to_str().unwrap(), "shapes"],
        &["write_gbps"],
    );
}
