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

/// The merged CSV of `dir` as a header and rows of cells (run files hold no quoted cells).
fn merged(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let o = vastplan(&["merge", s(dir), "--out", "-"]);
    let text = ok(o);
    let mut lines = text
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect());
    (lines.next().unwrap(), lines.collect())
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn fails_with(o: Output, code: i32) -> String {
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    err
}

/// A sweep of one L-series VM shape at 16 nodes, 6 hours a run.
fn tiny_sweep(dir: &Path, name: &str, extra: &str) -> String {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/scenarios/neocloud-ratio.toml"
    );
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!("scenario = {scenario:?}\nseed = 5\ndays = 0.25\n\n[axes]\nshape = \"L128aos_v5\"\nnodes = 16\n{extra}"),
    )
    .unwrap();
    p.display().to_string()
}

const TCP: &str = "assumptions.tcp_protocol_efficiency";

#[test]
fn set_flag_applies_after_the_scenario_and_is_part_of_the_sweep() {
    let d = scratch("setflag");
    let sw = tiny_sweep(&d, "t.toml", "");
    let (plain, low) = (d.join("plain"), d.join("low"));
    ok(vastplan(&["sweep", &sw, "--out", s(&plain)]));
    let set = format!("{TCP}=0.1");
    ok(vastplan(&["sweep", &sw, "--set", &set, "--out", s(&low)]));
    let (h0, r0) = merged(&plain);
    let (h1, r1) = merged(&low);
    assert!(!h0.contains(&TCP.to_string()), "{h0:?}");
    let c = column(&h1, TCP);
    assert_eq!(r1[0][c], "0.1");
    let cf = |h: &[String], r: &[Vec<String>]| -> f64 {
        r[0][column(h, "closed_form_read_gbs")].parse().unwrap()
    };
    assert!(
        cf(&h1, &r1) < 0.5 * cf(&h0, &r0),
        "--set {set} did not lower the L-series read ceiling: {} vs {}",
        cf(&h1, &r1),
        cf(&h0, &r0)
    );
    // Run ids and seeds do not move: the flag is one value, not an axis of runs.
    assert_eq!(r0[0][column(&h0, "seed")], r1[0][column(&h1, "seed")]);
    // Another --set (or none) is another sweep: refused on the same --out.
    for other in [
        vec![],
        vec!["--set", "assumptions.tcp_protocol_efficiency=0.2"],
    ] {
        let mut args = vec!["sweep", sw.as_str(), "--out", s(&low)];
        args.extend(other);
        let err = fails_with(vastplan(&args), 2);
        assert!(err.contains("different sweep"), "{err}");
    }
    // The same --set spelled another way is the same sweep.
    let same = ok(vastplan(&[
        "sweep",
        &sw,
        "--set",
        "assumptions.tcp_protocol_efficiency=0.10",
        "--out",
        s(&low),
    ]));
    assert!(same.contains("ran 0, 1 already done"), "{same}");
    // A bad --set is refused as every command refuses it, before anything is written.
    let bad = d.join("bad");
    for (flag, says) in [
        ("L128aos_v5.read_iops=1", "descriptive"),
        (
            "assumptions.tcp_protocol_efficency=0.5",
            "unknown assumption",
        ),
        ("nodot=1", "expected ID.FIELD=VALUE"),
    ] {
        let err = fails_with(
            vastplan(&["sweep", &sw, "--set", flag, "--out", s(&bad)]),
            2,
        );
        assert!(err.contains(says), "{flag}: {err}");
    }
    assert!(!bad.exists());
    // A key both flagged and swept is ambiguous.
    let both = tiny_sweep(
        &d,
        "both.toml",
        &format!("[axes.set]\n\"{TCP}\" = [0.1, 0.2]\n"),
    );
    let err = fails_with(
        vastplan(&["sweep", &both, "--set", &set, "--out", s(&bad)]),
        2,
    );
    assert!(err.contains("drop one"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_set_axis_moves_the_tcp_bound_vm_and_not_rdma_hardware() {
    // The bundled example: two shapes at 16 nodes, TCP efficiency 0.1 to 0.6.
    let d = scratch("setaxis");
    let out = d.join("out");
    let sw = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/sweeps/tcp-efficiency-sweep.toml"
    );
    ok(vastplan(&["sweep", sw, "--out", s(&out)]));
    let (h, rows) = merged(&out);
    assert_eq!(rows.len(), 12);
    let (shape, eff, cf) = (
        column(&h, "shape"),
        column(&h, TCP),
        column(&h, "closed_form_read_gbs"),
    );
    assert!(
        eff < column(&h, "replicate"),
        "set columns sit before replicate: {h:?}"
    );
    let series = |id: &str| -> Vec<(f64, f64)> {
        rows.iter()
            .filter(|r| r[shape] == id)
            .map(|r| (r[eff].parse().unwrap(), r[cf].parse().unwrap()))
            .collect()
    };
    let vm = series("L128aos_v5");
    let effs: Vec<f64> = vm.iter().map(|p| p.0).collect();
    assert_eq!(
        effs,
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        "range values are clean"
    );
    // TCP-bound at low efficiency: the ceiling scales with it (0.2 gives twice 0.1)...
    assert!((vm[1].1 / vm[0].1 - 2.0).abs() < 1e-9, "{vm:?}");
    // ...until the VM's NIC binds, from where it no longer moves.
    assert!(vm[2].1 > vm[1].1 && vm[5].1 == vm[2].1, "{vm:?}");
    // VAST's own hardware runs RDMA: the assumption changes nothing.
    let hw = series("vast-df3120-gen6");
    assert!(hw.iter().all(|p| p.1 == hw[0].1), "{hw:?}");

    // The same values listed in another order, with a duplicate, are the same sweep: the
    // same manifest (so the same ids and seeds), and the directory accepts it as done.
    let text = std::fs::read_to_string(sw).unwrap().replace(
        "{ from = 0.1, to = 0.6, step = 0.1 }",
        "[0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.3]",
    );
    let scen = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/datasets/scenarios/neocloud-ratio.toml"
    );
    let text = text.replace("\"../scenarios/neocloud-ratio.toml\"", &format!("{scen:?}"));
    let shuffled = d.join("shuffled.toml");
    std::fs::write(&shuffled, text).unwrap();
    let again = ok(vastplan(&["sweep", s(&shuffled), "--out", s(&out)]));
    assert!(again.contains("ran 0, 12 already done"), "{again}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_set_axis_on_a_field_that_cannot_be_overridden_is_exit_2_before_any_run() {
    let d = scratch("setbad");
    let out = d.join("out");
    for (axis, line, says) in [
        ("\"L128aos_v5.read_iops\" = [1e6, 2e6]", 10, "descriptive"),
        ("\"L128aos_v5.vcpuz\" = 64", 10, "has no field `vcpuz`"),
        ("\"assumptions.nosuch\" = [1]", 10, "unknown assumption"),
        ("\"nosuch-shape.vcpus\" = [1]", 10, "nosuch-shape"),
        ("L128aos_v5.vcpus = [64]", 10, "quoted"),
    ] {
        let sw = tiny_sweep(&d, "bad.toml", &format!("\n[axes.set]\n{axis}\n"));
        let err = fails_with(vastplan(&["sweep", &sw, "--out", s(&out)]), 2);
        let key = axis.split(" =").next().unwrap().trim_matches('"');
        let key = key.split('.').next().unwrap();
        assert!(
            err.contains(&format!("{sw}:{line}: field `axes.set.{key}")),
            "{axis}: {err}"
        );
        assert!(err.contains(says), "{axis}: {err}");
        assert!(
            !out.exists(),
            "{axis}: a refused sweep created its directory"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn two_different_sweeps_started_together_on_one_out_exactly_one_proceeds() {
    let d = scratch("race");
    let a = tiny_sweep(&d, "a.toml", "replicates = 4\n");
    // The same runs under another master seed: a different sweep.
    let b = d.join("b.toml").display().to_string();
    std::fs::write(
        &b,
        std::fs::read_to_string(&a)
            .unwrap()
            .replace("seed = 5", "seed = 6"),
    )
    .unwrap();
    let start = |sw: &str, out: &Path| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_vastplan"));
        c.arg("--datasets")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/datasets"))
            .args(["sweep", sw, "--jobs", "1", "--quiet", "--out", s(out)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        for k in BATCH_ENV {
            c.env_remove(k);
        }
        c.spawn().unwrap()
    };
    for round in 0..12 {
        let out = d.join(format!("out{round}"));
        let (pa, pb) = (start(&a, &out), start(&b, &out));
        let (oa, ob) = (
            pa.wait_with_output().unwrap(),
            pb.wait_with_output().unwrap(),
        );
        let codes = [oa.status.code(), ob.status.code()];
        let winner = match codes {
            [Some(0), Some(2)] => &a,
            [Some(2), Some(0)] => &b,
            _ => panic!(
                "round {round}: exit codes {codes:?}: {} | {}",
                String::from_utf8_lossy(&oa.stderr),
                String::from_utf8_lossy(&ob.stderr)
            ),
        };
        let loser = if codes[0] == Some(2) { &oa } else { &ob };
        let err = String::from_utf8_lossy(&loser.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("different sweep"), "{err}");
        // What is there is exactly the winner's sweep: merge checks every seed against
        // the manifest, and a fresh run of the winner elsewhere gives the same bytes.
        let mixed = vastplan(&["merge", s(&out), "--out", "-"]);
        assert!(
            mixed.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&mixed.stderr)
        );
        if round == 0 {
            let clean = d.join("clean");
            ok(vastplan(&["sweep", winner, "--out", s(&clean)]));
            let want = vastplan(&["merge", s(&clean), "--out", "-"]).stdout;
            assert_eq!(mixed.stdout, want);
            let _ = std::fs::remove_dir_all(&clean);
        }
    }
    // The same sweep twice at once is fine: both proceed and share the work.
    let out = d.join("same");
    let (p1, p2) = (start(&a, &out), start(&a, &out));
    assert!(p1.wait_with_output().unwrap().status.success());
    assert!(p2.wait_with_output().unwrap().status.success());
    ok(vastplan(&["merge", s(&out), "--out", "-"]));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn integer_axis_values_that_do_not_fit_are_exit_2_not_wrapped() {
    let d = scratch("wrap");
    let out = d.join("out");
    for (axes, key) in [
        ("nodes = [4294967297]", "axes.nodes"),
        ("nodes = 16\ngpus = [4294967296]", "axes.gpus"),
        (
            "nodes = {from = 1, to = 1000000000000, step = 1}",
            "axes.nodes",
        ),
        ("nodes = 16\nreplicates = 4294967295", "axes"),
    ] {
        let p = d.join("w.toml");
        let scenario = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/datasets/scenarios/neocloud-ratio.toml"
        );
        std::fs::write(
            &p,
            format!("scenario = {scenario:?}\n[axes]\nshape = \"L128aos_v5\"\n{axes}\n"),
        )
        .unwrap();
        let err = fails_with(vastplan(&["sweep", s(&p), "--out", s(&out)]), 2);
        assert!(err.contains(&format!("field `{key}`")), "{axes}: {err}");
        assert!(
            err.starts_with(&format!("error: {}", p.display())),
            "{axes}: {err}"
        );
        assert!(!out.exists(), "{axes}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_rerun_removes_the_temporary_files_killed_writes_left() {
    let d = scratch("stale");
    let sw = tiny_sweep(&d, "t.toml", "replicates = 4\n");
    let out = d.join("out");
    ok(vastplan(&["sweep", &sw, "--out", s(&out)]));
    let want = merged(&out);
    let runs = out.join("runs");
    // What kill -9 between write and rename leaves: a (possibly empty or partial)
    // temporary file of a dead process, with or without the run file.
    std::fs::remove_file(runs.join("r00001.csv")).unwrap();
    std::fs::write(runs.join(".r00001.csv.tmp-4000000"), b"run_id,sha").unwrap();
    std::fs::write(runs.join(".r00002.csv.tmp-4000001"), b"").unwrap();
    std::fs::write(runs.join(".r00003.csv.tmp-4000002"), b"").unwrap();
    std::fs::write(out.join(".manifest.csv.tmp-4000003"), b"run_id").unwrap();
    // Shard 0/2 owns r00002 (and r00000) only: it leaves r00001's and r00003's alone.
    let msg = ok(vastplan(&[
        "sweep",
        &sw,
        "--shard",
        "0/2",
        "--out",
        s(&out),
    ]));
    assert!(msg.contains("removed 2 stale temporary files"), "{msg}");
    let left = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        left(&runs),
        [".r00001.csv.tmp-4000000", ".r00003.csv.tmp-4000002"]
    );
    assert!(left(&out).is_empty(), "{:?}", left(&out));
    let msg = ok(vastplan(&["sweep", &sw, "--out", s(&out)]));
    assert!(
        msg.contains("ran 1, 3 already done") && msg.contains("removed 2"),
        "{msg}"
    );
    assert!(left(&runs).is_empty(), "{:?}", left(&runs));
    assert_eq!(merged(&out), want);
    // A write that fails (its target is a directory) leaves no temporary file either.
    std::fs::remove_file(runs.join("r00002.csv")).unwrap();
    std::fs::create_dir(runs.join("r00002.csv")).unwrap();
    let err = fails_with(vastplan(&["sweep", &sw, "--out", s(&out)]), 2);
    assert!(err.contains("r00002.csv"), "{err}");
    assert!(left(&runs).is_empty(), "{:?}", left(&runs));
    let _ = std::fs::remove_dir_all(&d);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("runs")).unwrap();
    std::fs::copy(from.join("manifest.csv"), to.join("manifest.csv")).unwrap();
    for e in std::fs::read_dir(from.join("runs")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join("runs").join(e.file_name())).unwrap();
    }
}

#[test]
fn merge_refuses_anything_but_the_manifests_own_run_files() {
    let d = scratch("validate");
    let sw = tiny_sweep(&d, "t.toml", "replicates = 4\n");
    let good = d.join("good");
    ok(vastplan(&["sweep", &sw, "--out", s(&good)]));
    let other_sw = d.join("other.toml");
    std::fs::write(
        &other_sw,
        std::fs::read_to_string(&sw)
            .unwrap()
            .replace("seed = 5", "seed = 6"),
    )
    .unwrap();
    let other = d.join("other");
    ok(vastplan(&["sweep", s(&other_sw), "--out", s(&other)]));
    let want = ok(vastplan(&["merge", s(&good), "--out", "-"]));
    let run = |dir: &Path, id: &str| dir.join("runs").join(format!("{id}.csv"));
    let text = |p: &Path| std::fs::read_to_string(p).unwrap();
    let row_with = |p: &Path, col: &str, v: &str| {
        let t = text(p);
        let (h, r) = t.split_once('\n').unwrap();
        let at = h.split(',').position(|c| c == col).unwrap();
        let mut cells: Vec<&str> = r.trim_end().split(',').collect();
        cells[at] = v;
        format!("{h}\n{}\n", cells.join(","))
    };
    type Corrupt<'a> = Box<dyn Fn(&Path) + 'a>;
    let cases: Vec<(&str, Corrupt<'_>, &str)> = vec![
        (
            "a row cut in the middle",
            Box::new(|o| {
                let t = text(&run(o, "r00001"));
                std::fs::write(run(o, "r00001"), &t[..t.len() - 40]).unwrap()
            }),
            "r00001.csv:2: row missing or cut short",
        ),
        (
            "no final newline",
            Box::new(|o| {
                let t = text(&run(o, "r00001"));
                std::fs::write(run(o, "r00001"), t.trim_end()).unwrap()
            }),
            "r00001.csv:2: row missing or cut short",
        ),
        (
            "a cut row with the next run's glued on",
            Box::new(|o| {
                let t = text(&run(o, "r00001"));
                let next = text(&run(o, "r00002"));
                let glued = format!("{}{}", &t[..t.len() - 40], next.split_once('\n').unwrap().1);
                std::fs::write(run(o, "r00001"), glued).unwrap()
            }),
            "r00001.csv:2: ",
        ),
        (
            "a garbage result",
            Box::new(|o| {
                std::fs::write(
                    run(o, "r00001"),
                    row_with(&run(o, "r00001"), "read_gbs", "GARBAGE"),
                )
                .unwrap()
            }),
            "r00001.csv:2: field `read_gbs` is \"GARBAGE\", not a number",
        ),
        (
            "a garbage count",
            Box::new(|o| {
                std::fs::write(
                    run(o, "r00001"),
                    row_with(&run(o, "r00001"), "events", "1.5"),
                )
                .unwrap()
            }),
            "r00001.csv:2: field `events` is \"1.5\", not a whole number",
        ),
        (
            "a parameter that is not the manifest's",
            Box::new(|o| {
                std::fs::write(run(o, "r00001"), row_with(&run(o, "r00001"), "nodes", "17"))
                    .unwrap()
            }),
            "r00001.csv:2: field `nodes` is \"17\" but the manifest says \"16\"",
        ),
        (
            "another run's file copied over one",
            Box::new(|o| {
                std::fs::copy(run(o, "r00002"), run(o, "r00001")).unwrap();
            }),
            "r00001.csv:2: holds run \"r00002\", not r00001",
        ),
        (
            "the same run from another sweep",
            Box::new(|o| {
                std::fs::copy(run(&d.join("other"), "r00001"), run(o, "r00001")).unwrap();
            }),
            "r00001.csv:2: field `seed`",
        ),
        (
            "the row twice",
            Box::new(|o| {
                let t = text(&run(o, "r00001"));
                let row = t.split_once('\n').unwrap().1.to_string();
                std::fs::write(run(o, "r00001"), t + &row).unwrap()
            }),
            "r00001.csv:3: more than one row",
        ),
        (
            "CRLF line ends",
            Box::new(|o| {
                std::fs::write(
                    run(o, "r00001"),
                    text(&run(o, "r00001")).replace('\n', "\r\n"),
                )
                .unwrap()
            }),
            "r00001.csv:1: not this sweep's run-file header",
        ),
        (
            "an empty run file",
            Box::new(|o| std::fs::write(run(o, "r00001"), "").unwrap()),
            "r00001.csv:1: not this sweep's run-file header",
        ),
        (
            "a manifest cut after 200 bytes",
            Box::new(|o| {
                let t = text(&o.join("manifest.csv"));
                std::fs::write(o.join("manifest.csv"), &t[..200]).unwrap()
            }),
            "manifest.csv",
        ),
        (
            "a manifest short of its last run",
            Box::new(|o| {
                let t = text(&o.join("manifest.csv"));
                let cut = t.trim_end().rsplit_once('\n').unwrap().0;
                std::fs::write(o.join("manifest.csv"), format!("{cut}\n")).unwrap()
            }),
            "manifest.csv: the run list does not match its sweep id",
        ),
        (
            "a manifest row twice",
            Box::new(|o| {
                let t = text(&o.join("manifest.csv"));
                let lines: Vec<&str> = t.lines().collect();
                let dup = format!(
                    "{}\n{}\n{}\n",
                    lines[..3].join("\n"),
                    lines[2],
                    lines[3..].join("\n")
                );
                std::fs::write(o.join("manifest.csv"), dup).unwrap()
            }),
            "manifest.csv:4: run id \"r00001\" where r00002 belongs",
        ),
        (
            "a manifest of the old layout",
            Box::new(|o| {
                std::fs::write(o.join("manifest.csv"), "run_id,shape,nodes,node_gbps,gpus,drive_afr,replicate,seed\nr00000,L128aos_v5,16,,,,0,1\n").unwrap()
            }),
            "manifest.csv:1: not a sweep manifest",
        ),
    ];
    for (i, (what, corrupt, says)) in cases.iter().enumerate() {
        let o = d.join(format!("case{i}"));
        copy_dir(&good, &o);
        corrupt(&o);
        let err = fails_with(vastplan(&["merge", s(&o), "--out", "-"]), 2);
        assert!(err.contains(says), "{what}: {err}");
        let _ = std::fs::remove_dir_all(&o);
    }
    // Directories of two sweeps are not merged together.
    let err = fails_with(vastplan(&["merge", s(&good), s(&other), "--out", "-"]), 2);
    assert!(err.contains("describe different sweeps"), "{err}");
    // And the untouched directory still merges.
    assert_eq!(ok(vastplan(&["merge", s(&good), "--out", "-"])), want);
    let _ = std::fs::remove_dir_all(&d);
}
