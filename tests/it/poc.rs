//! `benchplan` and `calibrate` end to end: plans for the bundled scenarios are stable
//! (golden CSVs, rewritten only by `VASTPLAN_BLESS=1 cargo test poc`), the sample result
//! files in `tests/data/poc/` (each in its tool's own format; see its README) calibrate, a
//! round trip recovers constants perturbed in the model that generated the results, and
//! each kind of bad input ends in one line naming the file and field, exit 2, with
//! nothing written.

use crate::common::vastplan;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const WAVE: &str = "datasets/scenarios/wave-40pb.toml";
const DF: &str = "vast-df3120-gen6";

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("poc_{name}"));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = vastplan(args);
    assert_eq!(code, 0, "vastplan {}: {err}", args.join(" "));
    out
}

/// Exit 2 with exactly one line on stderr, containing every `needles`.
fn fails(args: &[&str], needles: &[&str]) -> String {
    let (code, _, err) = vastplan(args);
    assert_eq!(code, 2, "vastplan {}: {err}", args.join(" "));
    assert_eq!(err.trim().lines().count(), 1, "not one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in: {err}");
    }
    err
}

/// test id -> predicted value, from a plan's CSV.
fn predictions(dir: &Path) -> BTreeMap<String, f64> {
    let mut r = csv::Reader::from_path(dir.join("benchplan.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (id, v) = (col("test_id"), col("predicted_per_s"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[id].to_string(), rec[v].parse().unwrap())
        })
        .collect()
}

fn plan(dir: &Path, extra: &[&str]) {
    let out = dir.to_str().unwrap();
    let mut args = vec![
        "benchplan",
        WAVE,
        "--shape",
        DF,
        "--clients",
        "19",
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    ok(&args);
}

/// fio `--output-format=json` as fio 3.x writes it for one group-reported job.
fn fio_json(id: &str, bs: &str, read: f64, write: f64) -> String {
    format!(
        r#"{{"fio version":"fio-3.36","global options":{{"direct":"1"}},"jobs":[{{"jobname":"{id}","groupid":0,"error":0,
"job options":{{"name":"{id}","bs":"{bs}","numjobs":"16"}},
"read":{{"io_bytes":{ri},"bw_bytes":{ri},"bw":{rk},"iops":{rio},"runtime":1000}},
"write":{{"io_bytes":{wi},"bw_bytes":{wi},"bw":{wk},"iops":{wio},"runtime":1000}}}}]}}"#,
        ri = read as u64,
        rk = (read / 1024.0) as u64,
        rio = read / 1048576.0,
        wi = write as u64,
        wk = (write / 1024.0) as u64,
        wio = write / 1048576.0,
    )
}

/// elbencho `--csvfile` header and one phase row (columns as elbencho's CSV.md).
fn elbencho_csv(label: &str, op: &str, mib_col: &str, bytes_per_s: f64) -> String {
    format!(
        "ISO date,label,path type,paths,hosts,threads,dirs,files,file size,block size,direct IO,random,random aligned,IO depth,shared paths,truncate,operation,time ms [first],time ms [last],CPU% [first],CPU% [last],entries/s [first],entries/s [last],IOPS [first],IOPS [last],{mib_col} [first],{mib_col} [last],entries [first],entries [last],MiB [first],MiB [last],version\n\
         2025-12-01T00:00:00,{label},dir,1,19,16,1,1,1073741824,16777216,1,0,,16,1,0,{op},1000,1100,50,50,1,1,100,100,{m},{m},304,304,1,1,3.0.25\n",
        m = bytes_per_s / 1048576.0
    )
}

/// elbencho `--rwmixpct`: writes in `MiB/s [last]`, reads in `rwmix read MiB/s [last]`.
fn elbencho_mix_csv(label: &str, block: u64, read: f64, write: f64) -> String {
    format!(
        "ISO date,label,path type,paths,hosts,threads,dirs,files,file size,block size,direct IO,random,random aligned,IO depth,shared paths,truncate,operation,time ms [first],time ms [last],IOPS [first],IOPS [last],MiB/s [first],MiB/s [last],rwmix read IOPS [first],rwmix read IOPS [last],rwmix read MiB/s [first],rwmix read MiB/s [last],version\n\
         2025-12-01T00:00:00,{label},dir,1,19,16,1,1,1073741824,{block},1,0,,16,1,0,WRITE,1000,1100,100,100,{w},{w},100,100,{r},{r},3.0.25\n",
        w = write / 1048576.0,
        r = read / 1048576.0
    )
}

/// MLPerf Storage `summary.json` (DLIO): `train_io_mean_MB_per_second` is MiB/s.
fn mlperf_json(accelerators: u64, au_pct: f64, bytes_per_s: f64) -> String {
    format!(
        r#"{{"num_accelerators":{accelerators},"num_hosts":19,"metric":{{"train_au_percentage":[{au_pct}],"train_au_mean_percentage":{au_pct},"train_au_meet_expectation":"fail","train_io_mean_MB_per_second":{m},"train_io_stdev_MB_per_second":0.0}}}}"#,
        m = bytes_per_s / 1048576.0
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn calibrated(file: &Path) -> BTreeMap<String, f64> {
    let v: toml::Value = toml::from_str(&fs::read_to_string(file).unwrap()).unwrap();
    v["param"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["input"].as_str().unwrap().to_string(),
                p["value"].as_float().unwrap(),
            )
        })
        .collect()
}

#[test]
fn round_trip_recovers_perturbed_constants() {
    let d = tmp("round_trip");
    let (truth, planned) = (d.join("truth"), d.join("plan"));
    // The "POC" behaves like the model with the CNode read budget x 0.8 and the TCP
    // efficiency x 0.9; the plan is made with the catalog as shipped.
    let read = 37e9 * 0.8;
    let tcp = 0.6 * 0.9;
    plan(
        &truth,
        &[
            "--set",
            &format!("{DF}.client_read_bps={read}"),
            "--set",
            &format!("assumptions.tcp_protocol_efficiency={tcp}"),
        ],
    );
    plan(&planned, &[]);
    let t = predictions(&truth);
    let base = predictions(&planned);
    assert!(
        t["seq-read-rdma"] < base["seq-read-rdma"] * 0.9,
        "the perturbation must show"
    );
    let files = [
        write(
            &d,
            "r/seq-read-rdma.json",
            &fio_json("seq-read-rdma", "1M", t["seq-read-rdma"], 0.0),
        ),
        write(
            &d,
            "r/seq-read-tcp.json",
            &fio_json("seq-read-tcp", "1M", t["seq-read-tcp"], 0.0),
        ),
        write(
            &d,
            "r/seq-write-rdma.json",
            &fio_json("seq-write-rdma", "1M", 0.0, t["seq-write-rdma"]),
        ),
        write(
            &d,
            "r/ckpt-burst.csv",
            &elbencho_csv("ckpt-burst", "WRITE", "MiB/s", t["ckpt-burst"]),
        ),
        write(
            &d,
            "r/mix-70-30.csv",
            &elbencho_mix_csv(
                "mix-70-30",
                1 << 20,
                t["mix-70-30"] * 0.7,
                t["mix-70-30"] * 0.3,
            ),
        ),
        write(
            &d,
            "r/mlperf-resnet50-h100/summary.json",
            &mlperf_json(900, 80.0, t["mlperf-resnet50-h100"]),
        ),
    ];
    let out_file = d.join("calibration.toml");
    let mut args = vec!["calibrate", "--plan", planned.to_str().unwrap(), "--out"];
    args.push(out_file.to_str().unwrap());
    args.push("--measured");
    args.extend(files.iter().map(String::as_str));
    let out = ok(&args);
    let c = calibrated(&out_file);
    let got_read = c[&format!("{DF}.client_read_bps")];
    let got_tcp = c["assumptions.tcp_protocol_efficiency"];
    assert!(
        (got_read / read - 1.0).abs() < 1e-6,
        "read {got_read} vs {read}\n{out}"
    );
    assert!(
        (got_tcp / tcp - 1.0).abs() < 1e-6,
        "tcp {got_tcp} vs {tcp}\n{out}"
    );
    // The write budget was not perturbed, and the write tests say so.
    let got_write = c[&format!("{DF}.client_write_bps")];
    assert!(
        (got_write / 7.6e9 - 1.0).abs() < 1e-6,
        "write {got_write}\n{out}"
    );
    // Every test shows before, after and measured; after matches measured.
    for id in ["seq-read-rdma", "seq-read-tcp", "ckpt-burst", "mix-70-30"] {
        let line = out.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(line.contains("1.000  yes"), "{line}");
    }
    // And whether the POC met its marks: reads 20 % under the plan miss the read mark.
    let read_row = out
        .lines()
        .find(|l| l.starts_with("seq-read-rdma"))
        .unwrap();
    assert!(read_row.ends_with("FAIL"), "{read_row}");
    assert!(
        out.contains("POC verdict:") && out.contains("missed: seq-read-rdma"),
        "{out}"
    );
    // A command given the calibration rests on the measured numbers and says so.
    let (code, net, err) = vastplan(&[
        "netcheck",
        "--shape",
        DF,
        "--nodes",
        "11",
        "--cnodes",
        "4",
        "--read-gbs",
        "1",
        "--wide",
        "--calibration",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("calibrated from"), "{err}");
    assert!(net.contains("client_read_bps (measured)"), "{net}");
    // And a plan made on it predicts what the POC measured.
    let again = d.join("again");
    ok(&[
        "benchplan",
        WAVE,
        "--shape",
        DF,
        "--clients",
        "19",
        "--out",
        again.to_str().unwrap(),
        "--calibration",
        out_file.to_str().unwrap(),
    ]);
    let a = predictions(&again);
    for id in [
        "seq-read-rdma",
        "seq-read-tcp",
        "seq-write-tcp",
        "mix-70-30",
    ] {
        assert!(
            (a[id] / t[id] - 1.0).abs() < 1e-6,
            "{id}: {} vs {}",
            a[id],
            t[id]
        );
    }
    let md = fs::read_to_string(again.join("benchplan.md")).unwrap();
    assert!(md.contains("Calibrated from"), "{md}");
    // The proposal's page says it rests on measured numbers, and which.
    let planned_dir = d.join("calibrated-plan");
    ok(&[
        "plan",
        WAVE,
        "--no-sim",
        "--quiet",
        "--out",
        planned_dir.to_str().unwrap(),
        "--calibration",
        out_file.to_str().unwrap(),
    ]);
    let html = fs::read_to_string(planned_dir.join("report.html")).unwrap();
    assert!(
        html.contains("Calibrated</dt><dd>measured") && html.contains("client_read_bps"),
        "the report does not say it is calibrated"
    );
    // Calibrating a plan made on a calibration starts from it: the same results fit the
    // same numbers, and every prediction already matches ("before" = measured).
    let out2 = d.join("calibration2.toml");
    let mut args = vec!["calibrate", "--plan", again.to_str().unwrap(), "--out"];
    args.push(out2.to_str().unwrap());
    args.push("--measured");
    args.extend(files.iter().map(String::as_str));
    let re = ok(&args);
    let c2 = calibrated(&out2);
    assert!(
        (c2[&format!("{DF}.client_read_bps")] / read - 1.0).abs() < 1e-6,
        "{re}"
    );
    let line = re.lines().find(|l| l.starts_with("seq-read-tcp")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells[1], cells[3], "before differs from measured: {line}");
    // A plan made without a calibration refuses one at calibration time.
    let mut args = vec![
        "calibrate",
        "--plan",
        planned.to_str().unwrap(),
        "--calibration",
    ];
    args.push(out_file.to_str().unwrap());
    args.push("--measured");
    args.extend(files.iter().map(String::as_str));
    fails(&args, &["made without one"]);
    let (code, p, err) = vastplan(&[
        "plan",
        WAVE,
        "--no-sim",
        "--calibration",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(p.contains("calibrated: measured"), "{p}");
}

#[test]
fn a_vm_poc_fits_the_egress_cap_and_names_what_it_cannot_separate() {
    // L128aos_v5 reads bind on the per-VM egress cap; its writes on the protocol budget,
    // which over TCP alone moves only with (reference budget x TCP efficiency).
    let d = tmp("vm");
    let p = d.join("plan");
    ok(&[
        "benchplan",
        "datasets/scenarios/mai-dallas.toml",
        "--shape",
        "L128aos_v5",
        "--out",
        p.to_str().unwrap(),
    ]);
    let t = predictions(&p);
    let files = [
        write(
            &d,
            "seq-read-tcp.json",
            &fio_json("seq-read-tcp", "1M", t["seq-read-tcp"] * 0.9, 0.0),
        ),
        write(
            &d,
            "seq-write-tcp.json",
            &fio_json("seq-write-tcp", "1M", 0.0, t["seq-write-tcp"] * 0.7),
        ),
    ];
    let cal = d.join("cal.toml");
    let out = ok(&[
        "calibrate",
        "--plan",
        p.to_str().unwrap(),
        "--out",
        cal.to_str().unwrap(),
        "--measured",
        &files[0],
        &files[1],
    ]);
    let v: toml::Value = toml::from_str(&fs::read_to_string(&cal).unwrap()).unwrap();
    let params = v["param"].as_array().unwrap();
    let egress = params
        .iter()
        .find(|x| x["input"].as_str() == Some("L128aos_v5.network_bps"))
        .unwrap_or_else(|| panic!("egress not fitted\n{out}"));
    let ratio = egress["value"].as_float().unwrap() / egress["was"].as_float().unwrap();
    assert!((ratio - 0.9).abs() < 1e-6, "{ratio}\n{out}");
    assert_eq!(params.len(), 2, "one egress, one write budget\n{out}");
    assert!(out.contains("confounded with"), "{out}");
}

#[test]
fn sample_result_files_calibrate() {
    let d = tmp("samples");
    ok(&[
        "benchplan",
        WAVE,
        "--shape",
        DF,
        "--out",
        d.join("plan").to_str().unwrap(),
    ]);
    let data = Path::new(ROOT).join("tests/data/poc");
    let f = |n: &str| data.join(n).to_str().unwrap().to_string();
    let cal = d.join("cal.toml");
    let (a, b, c, e) = (
        f("seq-read-rdma.json"),
        f("seq-read-tcp.json"),
        f("ckpt-burst.csv"),
        f("mlperf-resnet50-h100/summary.json"),
    );
    let out = ok(&[
        "calibrate",
        "--plan",
        d.join("plan").to_str().unwrap(),
        "--out",
        cal.to_str().unwrap(),
        "--measured",
        &a,
        &b,
        &c,
        &e,
    ]);
    let got = calibrated(&cal);
    // 133.2 GB/s measured over 4 CNodes of RDMA reads: 33.3 GB/s each.
    let r = got[&format!("{DF}.client_read_bps")];
    assert!((r / 33.3e9 - 1.0).abs() < 1e-3, "{r}\n{out}");
    assert!(
        got.contains_key("assumptions.tcp_protocol_efficiency"),
        "{out}"
    );
    assert!(
        out.contains("not identified by these measurements"),
        "{out}"
    );
}

#[test]
fn bundled_scenarios_plan_stably() {
    let dir = Path::new(ROOT).join("datasets/scenarios");
    let golden_dir = Path::new(ROOT).join("tests/data/poc/golden");
    let bless = std::env::var_os("VASTPLAN_BLESS").is_some();
    let mut names: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    for sc in names {
        let v: toml::Value = toml::from_str(&fs::read_to_string(&sc).unwrap()).unwrap();
        let stem = sc.file_stem().unwrap().to_str().unwrap().to_string();
        let mut all = String::new();
        for shape in v["candidates"].as_array().unwrap() {
            let shape = shape.as_str().unwrap();
            let d = tmp(&format!("golden_{stem}_{shape}"));
            let args = [
                "benchplan",
                sc.to_str().unwrap(),
                "--shape",
                shape,
                "--out",
                d.to_str().unwrap(),
            ];
            let first = ok(&args);
            let csv1 = fs::read_to_string(d.join("benchplan.csv")).unwrap();
            let md1 = fs::read_to_string(d.join("benchplan.md")).unwrap();
            // Same inputs, same bytes.
            assert_eq!(
                first,
                ok(&args),
                "{stem} {shape}: stdout differs between runs"
            );
            assert_eq!(csv1, fs::read_to_string(d.join("benchplan.csv")).unwrap());
            assert_eq!(md1, fs::read_to_string(d.join("benchplan.md")).unwrap());
            assert!(
                first
                    .lines()
                    .filter(|l| !l.starts_with("wrote "))
                    .all(|l| l.chars().count() <= 120),
                "{stem} {shape}: wider than 120 columns\n{first}"
            );
            check_csv(&format!("{stem} {shape}"), &csv1);
            // Every test a POC needs is there, each predicted and naming what binds.
            for id in ["seq-read-", "seq-write-", "rand-read-4k", ",mix,"] {
                assert!(csv1.contains(id), "{stem} {shape}: no {id}\n{csv1}");
            }
            all.push_str(&format!("# {shape}\n{csv1}"));
        }
        let golden = golden_dir.join(format!("{stem}.csv"));
        if bless {
            fs::create_dir_all(&golden_dir).unwrap();
            fs::write(&golden, &all).unwrap();
        } else {
            let want = fs::read_to_string(&golden).unwrap_or_else(|_| {
                panic!(
                    "{} missing: run VASTPLAN_BLESS=1 cargo test poc",
                    golden.display()
                )
            });
            assert_eq!(
                all, want,
                "{stem}: plan changed; if meant, VASTPLAN_BLESS=1 cargo test poc"
            );
        }
    }
}

/// snake_case headers; plain numbers outside the textual columns; no infinities.
fn check_csv(what: &str, text: &str) {
    const TEXTUAL: [&str; 7] = [
        "test_id",
        "kind",
        "tool",
        "transport",
        "metric",
        "binding",
        "fits_model",
    ];
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    for h in &header {
        assert!(
            h.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{what}: header {h:?}"
        );
    }
    for rec in r.records() {
        let rec = rec.unwrap();
        for (h, cell) in header.iter().zip(rec.iter()) {
            if !TEXTUAL.contains(&h.as_str()) && !cell.is_empty() {
                let v: f64 = cell
                    .parse()
                    .unwrap_or_else(|_| panic!("{what}: {h}: {cell:?}"));
                assert!(v.is_finite() && v >= 0.0, "{what}: {h}: {cell}");
            }
        }
    }
}

#[test]
fn bad_results_fail_in_one_line_and_write_nothing() {
    let d = tmp("bad");
    let p = d.join("plan");
    ok(&[
        "benchplan",
        WAVE,
        "--shape",
        DF,
        "--out",
        p.to_str().unwrap(),
    ]);
    let out = d.join("cal.toml");
    let run = |files: &[String], needles: &[&str]| {
        let mut a = vec![
            "calibrate",
            "--plan",
            p.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--measured",
        ];
        a.extend(files.iter().map(String::as_str));
        fails(&a, needles);
        assert!(
            !out.exists(),
            "a failed calibration wrote {}",
            out.display()
        );
    };
    let good = write(
        &d,
        "ok/seq-read-rdma.json",
        &fio_json("seq-read-rdma", "1M", 1e11, 0.0),
    );
    // A file no tool wrote.
    let junk = write(&d, "junk.txt", "hello\n");
    run(
        std::slice::from_ref(&junk),
        &["junk.txt", "unknown result format"],
    );
    // A test the plan does not have.
    let other = write(
        &d,
        "x/nvme-burst.json",
        &fio_json("nvme-burst", "1M", 1e11, 0.0),
    );
    run(&[other], &["nvme-burst.json", "jobname", "not in the plan"]);
    // Units that do not match: MB/s where elbencho writes MiB/s; a 4k block for a 1M test;
    // a random-read test measured by a file that reports no operations.
    let mb = write(
        &d,
        "ckpt-burst.csv",
        &elbencho_csv("ckpt-burst", "WRITE", "MB/s", 2e10),
    );
    run(
        &[mb],
        &["ckpt-burst.csv", "MB/s [last]", "units do not match"],
    );
    let small = write(
        &d,
        "s/seq-read-rdma.json",
        &fio_json("seq-read-rdma", "4k", 1e11, 0.0),
    );
    run(
        &[small],
        &["seq-read-rdma.json", "job options.bs", "does not match"],
    );
    let mlp = write(
        &d,
        "c/summary.json",
        r#"{"metric":{"save_checkpoint_io_mean_GB_per_second":3.0}}"#,
    );
    run(
        &[mlp],
        &[
            "summary.json",
            "save_checkpoint_io_mean_GB_per_second",
            "units do not match",
        ],
    );
    // Ill-posed fits: nothing that informs a parameter; a TCP read above the RDMA one (an
    // efficiency above 1); a zero rate.
    let rr = write(
        &d,
        "rand-read-4k.json",
        &fio_json("rand-read-4k", "4k", 4e9, 0.0),
    );
    run(&[rr], &["rand-read-4k.json", "no measured test informs"]);
    let tcp = write(
        &d,
        "t/seq-read-tcp.json",
        &fio_json("seq-read-tcp", "1M", 1.5e11, 0.0),
    );
    run(
        &[good.clone(), tcp],
        &["seq-read-tcp.json", "tcp_protocol_efficiency", "ill-posed"],
    );
    let zero = write(
        &d,
        "z/seq-read-rdma.json",
        &fio_json("seq-read-rdma", "1M", 0.0, 0.0),
    );
    run(
        &[zero],
        &["seq-read-rdma.json", "read.bw_bytes", "no result"],
    );
    // The same test twice.
    run(&[good.clone(), good.clone()], &["measured twice"]);
    // A calibration file with a typo, and one whose value breaks its rule.
    let typo = write(&d, "typo.toml", "plan = \"p\"\nshape = \"x\"\nparms = []\n");
    fails(
        &["shapes", "--calibration", &typo],
        &["typo.toml:3", "parms"],
    );
    let range = write(
        &d,
        "range.toml",
        "plan = \"p\"\nshape = \"x\"\n[[param]]\ninput = \"assumptions.tcp_protocol_efficiency\"\nvalue = 3.0\nwas = 0.6\nsource = \"f\"\ntests = []\n",
    );
    fails(
        &["shapes", "--calibration", &range],
        &["range.toml", "tcp_protocol_efficiency"],
    );
    // Not a plan directory.
    fails(
        &[
            "calibrate",
            "--plan",
            d.join("nope").to_str().unwrap(),
            "--measured",
            &good,
        ],
        &["benchplan.toml"],
    );
}

#[test]
fn benchplan_flags_are_checked() {
    let d = tmp("flags");
    let o = d.to_str().unwrap();
    fails(
        &[
            "benchplan",
            WAVE,
            "--shape",
            "L96as_v5",
            "--cnodes",
            "4",
            "--out",
            o,
        ],
        &["--cnodes", "converged"],
    );
    fails(
        &["benchplan", WAVE, "--shape", DF, "--nodes", "0", "--out", o],
        &["--nodes"],
    );
    fails(
        &["benchplan", WAVE, "--shape", "vast-df3120-gen7", "--out", o],
        &["vast-df3120-gen6"],
    );
}

#[test]
fn a_steady_mix_is_tested_as_the_scenario_states_it_with_a_joint_mark() {
    // The UK Met Office reads 1,500 and writes 600 GB/s at once, and `plan` sized the
    // candidates on that one mix: the POC runs it (71/29) against both targets summed,
    // scaled like every mark (the read mark's scale, since both share it).
    let d = tmp("steady_mix");
    ok(&[
        "benchplan",
        "datasets/scenarios/ukmo.toml",
        "--shape",
        DF,
        "--out",
        d.to_str().unwrap(),
    ]);
    let mut r = csv::Reader::from_path(d.join("benchplan.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let get = |id: &str, c: &str| -> f64 {
        let row = rows.iter().find(|x| &x[col("test_id")] == id).unwrap();
        row[col(c)].parse().unwrap()
    };
    assert!((get("mix-71-29", "read_share_fraction") - 1500.0 / 2100.0).abs() < 1e-9);
    let read_mark = get("seq-read-tcp", "success_min_per_s");
    let mix_mark = get("mix-71-29", "success_min_per_s");
    assert!(
        (mix_mark / read_mark - 2100.0 / 1500.0).abs() < 1e-9,
        "{mix_mark} vs {read_mark}"
    );
}
