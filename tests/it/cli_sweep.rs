//! End-to-end: `vastplan sweep` and `vastplan merge` — splitting never changes results,
//! retries fill only gaps, incomplete sets are refused by name, typos are exit 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Batch-system variables a CI runner might itself be started under; every command
/// clears them so only what a test sets is seen.
const BATCH_ENV: [&str; 5] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_COUNT",
    "JOB_COMPLETION_INDEX",
    "VASTPLAN_SHARD_COUNT",
];

fn vastplan_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vastplan"));
    c.arg("--datasets")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets"))
        .args(args)
        .current_dir(std::env::temp_dir());
    for k in BATCH_ENV {
        c.env_remove(k);
    }
    c.envs(env.iter().copied());
    c.output().unwrap()
}

fn vastplan(args: &[&str]) -> Output {
    vastplan_env(args, &[])
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vastplan-sweep-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A 24-run sweep over the bundled neocloud scenario with every axis kind, two days each.
fn small_sweep(dir: &Path) -> String {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/scenarios/neocloud-ratio.toml"
    );
    let text = format!(
        "scenario = {scenario:?}\nseed = 5\ndays = 2\n\n[axes]\n\
         shape = [\"vast-df3120-gen6\", \"L128aos_v5\"]\nnodes = {{from = 8, to = 24, step = 8}}\n\
         node_gbps = [200]\ngpus = [1024, 4096]\ndrive_afr = 0.3\nreplicates = 2\n"
    );
    let p = dir.join("small.toml");
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn whole_and_sharded_runs_merge_to_identical_bytes() {
    let d = scratch("shards");
    let sw = small_sweep(&d);
    let whole = d.join("whole");
    ok(vastplan(&["sweep", &sw, "--jobs", "2", "--out", s(&whole)]));
    let a = d.join("a.csv");
    ok(vastplan(&["merge", s(&whole), "--out", s(&a)]));

    // Three shards in three processes and three directories: one by flag, one as a Slurm
    // array task (array 1-3), one as a Kubernetes indexed pod.
    let shard = |i: usize| d.join(format!("shard{i}"));
    ok(vastplan(&[
        "sweep",
        &sw,
        "--jobs",
        "1",
        "--shard",
        "0/3",
        "--out",
        s(&shard(0)),
    ]));
    ok(vastplan_env(
        &["sweep", &sw, "--out", s(&shard(1))],
        &[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
    ));
    let k8s = ok(vastplan_env(
        &["sweep", &sw, "--out", s(&shard(2))],
        &[("JOB_COMPLETION_INDEX", "2"), ("VASTPLAN_SHARD_COUNT", "3")],
    ));
    assert!(k8s.contains("shard 2/3: 8 of 24 runs"), "{k8s}");
    for i in 0..3 {
        let n = std::fs::read_dir(shard(i).join("runs")).unwrap().count();
        assert_eq!(n, 8, "shard {i} wrote {n} run files");
    }
    let b = d.join("b.csv");
    ok(vastplan(&[
        "merge",
        s(&shard(0)),
        s(&shard(1)),
        s(&shard(2)),
        "--out",
        s(&b),
    ]));
    let (a, b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(a, b, "sharded merge differs from the whole run");
    let piped = vastplan(&["merge", s(&whole), "--out", "-"]);
    assert!(piped.status.success());
    assert_eq!(piped.stdout, a, "--out - differs from the file");
    let text = String::from_utf8(a).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 25);
    assert!(lines[0].starts_with("run_id,shape,nodes,node_gbps,gpus,drive_afr,replicate,seed,"));
    assert!(
        lines[1].starts_with("r00000,L128aos_v5,8,200,1024,0.3,0,"),
        "{}",
        lines[1]
    );
    assert!(lines[24].starts_with("r00023,vast-df3120-gen6,24,200,4096,0.3,1,"));
    // Replicates differ only in their seed, and at this AFR the seeds show.
    let fails: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(20).unwrap())
        .collect();
    assert!(
        fails.len() > 1,
        "every run had the same drive failures: {fails:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_rerun_fills_only_the_gap_a_killed_task_left() {
    let d = scratch("rerun");
    let sw = small_sweep(&d);
    let out = d.join("out");
    ok(vastplan(&["sweep", &sw, "--out", s(&out)]));
    let full = d.join("full.csv");
    ok(vastplan(&["merge", s(&out), "--out", s(&full)]));
    let run = |id: &str| out.join("runs").join(format!("{id}.csv"));
    for id in ["r00003", "r00010", "r00017"] {
        std::fs::remove_file(run(id)).unwrap();
    }
    // A file that exists is never redone: mark one to prove it is left alone.
    let kept = std::fs::read(run("r00004")).unwrap();
    std::fs::write(run("r00004"), b"sentinel\n").unwrap();
    let msg = ok(vastplan(&["sweep", &sw, "--out", s(&out)]));
    assert!(msg.contains("ran 3, 21 already done"), "{msg}");
    assert_eq!(std::fs::read(run("r00004")).unwrap(), b"sentinel\n");
    std::fs::write(run("r00004"), kept).unwrap();
    let again = d.join("again.csv");
    ok(vastplan(&["merge", s(&out), "--out", s(&again)]));
    assert_eq!(
        std::fs::read(&full).unwrap(),
        std::fs::read(&again).unwrap()
    );
    // No temporary files are left behind by the atomic writes.
    for e in std::fs::read_dir(out.join("runs")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        assert!(name.starts_with('r') && name.ends_with(".csv"), "{name}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn merge_of_an_incomplete_sweep_names_the_missing_runs() {
    let d = scratch("missing");
    let sw = small_sweep(&d);
    let out = d.join("out");
    ok(vastplan(&[
        "sweep",
        &sw,
        "--shard",
        "1/4",
        "--out",
        s(&out),
    ]));
    let m = d.join("m.csv");
    let o = vastplan(&["merge", s(&out), "--out", s(&m)]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("18 of 24 runs missing: r00000 r00002 r00003 r00004 r00006"),
        "{err}"
    );
    assert!(!err.contains("r00001") && !err.contains("r00005 "), "{err}");
    assert!(!m.exists(), "an incomplete merge wrote output");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn unknown_axis_is_exit_2_naming_file_line_and_key() {
    let d = scratch("typo");
    let p = d.join("typo.toml");
    std::fs::write(
        &p,
        "scenario = \"x.toml\"\n[axes]\nnodes = [8]\nnode_gpbs = [100]\n",
    )
    .unwrap();
    let o = vastplan(&["sweep", s(&p), "--out", s(&d.join("out"))]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("{}:4: field `axes.node_gpbs`", p.display())),
        "{err}"
    );
    assert!(!d.join("out").exists());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_different_sweep_is_refused_in_the_same_directory() {
    let d = scratch("mix");
    let sw = small_sweep(&d);
    let out = d.join("out");
    ok(vastplan(&[
        "sweep",
        &sw,
        "--shard",
        "0/24",
        "--out",
        s(&out),
    ]));
    let text = std::fs::read_to_string(&sw)
        .unwrap()
        .replace("seed = 5", "seed = 6");
    std::fs::write(&sw, text).unwrap();
    let o = vastplan(&["sweep", &sw, "--shard", "0/24", "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("different sweep"));
    let _ = std::fs::remove_dir_all(&d);
}
