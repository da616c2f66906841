//! Output fit for terminals and spreadsheets, for every command on the bundled data:
//! default tables fit 120 columns (`--wide` shows more), every CSV has snake_case headers
//! and plain numbers in its numeric columns, unknown ids suggest the nearest known id, and
//! legal-but-surely-wrong inputs warn on stderr.

use crate::common::{stderr, stdout, vastplan_elsewhere as run};
use std::fs;
use std::path::{Path, PathBuf};

const D: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets");

fn scenario(name: &str) -> String {
    format!("{D}/scenarios/{name}.toml")
}

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn ok(args: &[&str]) -> (String, String) {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    (stdout(&o), stderr(&o))
}

fn widest(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// One invocation of each command with a table (and the variants that change its
/// columns), on bundled data.
fn table_commands() -> Vec<Vec<String>> {
    let wave = scenario("wave-40pb");
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["plan", &wave, "--days", "0.5"]),
        v(&["plan", &scenario("neocloud-ratio"), "--no-sim"]),
        v(&["plan", &scenario("exabyte"), "--no-sim", "--verbose"]),
        v(&["size", "--logical-pb", "40"]),
        v(&["size", "--logical-pb", "40", "--read-gbs", "800"]),
        v(&["shapes"]),
        v(&["shapes", "--clients"]),
        v(&["netcheck", "--shape", "L160iaos_v5", "--nodes", "16"]),
        v(&[
            "netcheck",
            "--shape",
            "vast-df3120-gen6",
            "--nodes",
            "20",
            "--clients",
            "64",
            "--read-gbs",
            "500",
        ]),
        v(&["simulate", &wave, "--days", "0.5"]),
        v(&[
            "ratio",
            "--gpu",
            "H100",
            "--workload",
            "resnet50",
            "--shape",
            "L128aos_v5",
        ]),
        v(&["durability", "--shape", "vast-df3120-gen6", "--nodes", "20"]),
        v(&["durability", "--shape", "L96as_v5", "--nodes", "100"]),
        v(&["validate"]),
        v(&["design", &scenario("ukmo")]),
    ]
}

#[test]
fn every_default_table_fits_120_columns_and_wide_shows_more() {
    for args in table_commands() {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (out, _) = ok(&a);
        let w = widest(&out);
        assert!(w <= 120, "{a:?}: {w} columns\n{out}");
        if !["simulate"].contains(&a[0]) {
            let mut wide = a.clone();
            wide.push("--wide");
            let (out_wide, _) = ok(&wide);
            assert!(
                out_wide.len() > out.len(),
                "{a:?}: --wide shows nothing more"
            );
        }
    }
}

/// Columns whose cells are words, not numbers.
const TEXTUAL: &[&str] = &[
    "id",
    "shape",
    "kind",
    "cpu",
    "source",
    "rack_bound",
    "durability_basis",
    "least_confident_input",
    "least_confident_field",
    "least_confidence",
    "confidence",
    "gpu_model",
    "backend_fabric",
    "resource",
    "basis",
    "binding",
    "model",
    "code",
    "met",
    "missed",
    "candidate",
    "item",
    "role",
    "input",
    "met_low",
    "met_high",
    "recommended_low",
    "recommended_high",
    "changes_recommendation",
    "dpu",
    "drive",
];

/// A plain number a spreadsheet reads as one: no unit, no currency, no thousands
/// separator, no `inf`. Empty means none.
fn plain_number(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let t = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (t, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac) && exp.is_none_or(digits)
}

fn check_csv(what: &str, text: &str) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert!(!header.is_empty(), "{what}: no header");
    for h in &header {
        assert!(
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{what}: header {h:?} is not snake_case"
        );
    }
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        rows += 1;
        for (h, cell) in header.iter().zip(rec.iter()) {
            if TEXTUAL.contains(&h.as_str()) {
                continue;
            }
            assert!(
                plain_number(cell),
                "{what}: column {h}: {cell:?} is not a plain number"
            );
        }
    }
    assert!(rows > 0, "{what}: no rows");
}

#[test]
fn every_csv_has_snake_case_headers_and_plain_numbers() {
    let wave = scenario("wave-40pb");
    let csv = |a: &[&str]| {
        let mut v = a.to_vec();
        v.extend(["--format", "csv"]);
        let (out, _) = ok(&v);
        check_csv(&format!("{a:?}"), &out);
    };
    csv(&["size", "--logical-pb", "40"]);
    csv(&["shapes"]);
    csv(&["shapes", "--clients"]);
    csv(&["netcheck", "--shape", "L160iaos_v5", "--nodes", "16"]);
    csv(&[
        "ratio",
        "--gpu",
        "H100",
        "--workload",
        "unet3d",
        "--shape",
        "L96as_v5",
    ]);
    csv(&["durability", "--shape", "vast-df3120-gen6", "--nodes", "20"]);
    csv(&["durability", "--shape", "L96as_v5", "--nodes", "100"]);
    csv(&["plan", &wave, "--days", "0.5"]);
    csv(&["design", &scenario("ukmo")]);

    let d = tmp("csv_files");
    let out = d.to_str().unwrap();
    ok(&[
        "plan",
        &wave,
        "--days",
        "0.5",
        "--sensitivity",
        "--out",
        out,
        "--quiet",
    ]);
    let sim = d.join("sim");
    ok(&[
        "simulate",
        &wave,
        "--days",
        "0.5",
        "--out",
        sim.to_str().unwrap(),
        "--quiet",
    ]);
    for f in [
        d.join("plan.csv"),
        d.join("bom.csv"),
        d.join("sensitivity.csv"),
        sim.join("series.csv"),
    ] {
        check_csv(&f.display().to_string(), &fs::read_to_string(&f).unwrap());
    }
}

#[test]
fn plain_number_is_strict() {
    for good in ["0", "12", "-1.5", "2.59e9", "3.85e-10", ""] {
        assert!(plain_number(good), "{good}");
    }
    for bad in [
        "$6.680/h",
        "10 x 1.92 TB",
        "1,234",
        "inf",
        "NaN",
        "12%",
        "1.",
    ] {
        assert!(!plain_number(bad), "{bad}");
    }
}

#[test]
fn unknown_ids_suggest_the_nearest_known_id() {
    let wave = scenario("wave-40pb");
    for (args, want) in [
        (
            vec![
                "ratio",
                "--gpu",
                "GB200",
                "--workload",
                "unet3d",
                "--shape",
                "L96as_v5",
            ],
            "did you mean B200?",
        ),
        (
            vec![
                "ratio",
                "--gpu",
                "H100",
                "--workload",
                "resnet5",
                "--shape",
                "L96as_v5",
            ],
            "did you mean resnet50",
        ),
        (
            vec!["size", "--logical-pb", "1", "--shape", "L96as_v6"],
            "L96as_v5",
        ),
        (
            vec![
                "netcheck",
                "--shape",
                "L96as_v5",
                "--nodes",
                "8",
                "--client-vm",
                "ND96isr_H100_v6",
            ],
            "did you mean ND96isr_H100_v5",
        ),
        (
            vec!["size", "--logical-pb", "1", "--workload", "ai-trainin"],
            "did you mean ai_training",
        ),
        (
            vec![
                "size",
                "--logical-pb",
                "1",
                "--set",
                "assumptions.rack_kw_limt=30",
            ],
            "did you mean rack_kw_limit",
        ),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert!(e.contains(want), "{args:?}: {e}");
        assert_eq!(e.trim().lines().count(), 1, "{e}");
    }
    // An inference model named in a scenario: the file and the field, then the hint.
    let d = tmp("suggest_inference");
    let f = d.join("inf.toml");
    fs::write(
        &f,
        format!(
            "{}\n[inference]\nmodel = \"llama3-7b\"\noffloaded_tokens_per_s = 1000\nreads_per_token = 1\n",
            fs::read_to_string(&wave).unwrap()
        ),
    )
    .unwrap();
    let o = run(&["plan", f.to_str().unwrap(), "--no-sim"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("inf.toml") && e.contains("inference.model") && e.contains("llama3-8b?"),
        "{e}"
    );
    // A model and a workload named in a scenario.
    let text = fs::read_to_string(&wave).unwrap();
    let d = tmp("suggest_scenario");
    for (from, to, want) in [
        (
            "\"llama3-405b\"",
            "\"llama3-450b\"",
            "did you mean llama3-405b",
        ),
        (
            "\"resnet50-h100\"",
            "\"resnet50-h10\"",
            "did you mean resnet50-h100",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let f = d.join("s.toml");
        fs::write(&f, text.replacen(from, to, 1)).unwrap();
        let o = run(&["plan", f.to_str().unwrap(), "--no-sim"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(want), "{}", stderr(&o));
    }
}

#[test]
fn legal_but_surely_wrong_inputs_warn_on_stderr() {
    let d = tmp("warnings");
    let text = fs::read_to_string(scenario("wave-40pb")).unwrap();
    let f = d.join("late.toml");
    fs::write(
        &f,
        format!("{text}\n[[tranches]]\nday = 60\nlabel = \"too late\"\nadd_gpus = 1024\n"),
    )
    .unwrap();
    let f = f.to_str().unwrap();
    let (out, err) = ok(&["simulate", f, "--days", "0.2"]);
    assert!(
        err.contains("warning:") && err.contains("too late") && err.contains("day 60"),
        "{err}"
    );
    assert!(!out.contains("warning"), "warnings stay off stdout: {out}");
    let (_, err) = ok(&["plan", f, "--no-sim"]);
    assert!(err.contains("after the last simulated day"), "{err}");

    // Fewer nodes than the request needs.
    let (_, err) = ok(&[
        "simulate",
        &scenario("wave-40pb"),
        "--shape",
        "vast-df3120-gen6",
        "--nodes",
        "8",
        "--days",
        "0.2",
    ]);
    assert!(err.contains("less than the 40 PB requested"), "{err}");
    // The bundled scenarios are meant as written: no warnings.
    let (_, err) = ok(&["plan", &scenario("mai-dallas"), "--no-sim"]);
    assert!(err.is_empty(), "{err}");
}
