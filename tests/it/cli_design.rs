//! `vastplan design` end to end: the exabyte and UK Met Office answers, the round trip
//! through `--emit-shape` and `plan --shapes`, the outputs' form, and bad design spaces.

use crate::common::vastplan;
use std::fs;
use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli_design_{name}"));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The designed row, planned by `plan --no-sim --shapes`, gives the design's own answer:
/// the same counts, money, ceiling and nines, to the bit.
#[test]
fn an_emitted_shape_plans_to_the_designs_answer() {
    for sc in ["ukmo", "exabyte"] {
        let dir = scratch(&format!("roundtrip_{sc}"));
        let scenario = format!("datasets/scenarios/{sc}.toml");
        let shape = dir.join("shape.csv");
        let (code, _, err) = vastplan(&[
            "design",
            &scenario,
            "--out",
            dir.to_str().unwrap(),
            "--emit-shape",
            shape.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let ask = json(&dir.join("design.json"))["ask"].clone();
        let id = ask["shape"].as_str().unwrap().to_string();
        let planned = dir.join("plan");
        let (code, _, err) = vastplan(&[
            "plan",
            &scenario,
            "--no-sim",
            "--shapes",
            shape.to_str().unwrap(),
            "--out",
            planned.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(code, 0, "{err}");
        let plan = json(&planned.join("plan.json"));
        let row = plan["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["shape"] == id.as_str())
            .unwrap_or_else(|| panic!("{sc}: plan did not plan {id}"))
            .clone();
        for key in [
            "nodes",
            "compute_nodes",
            "read_ceiling_bps",
            "write_ceiling_bps",
            "usd_per_gbs_month",
            "nines",
            "binding",
            "met",
        ] {
            assert_eq!(row[key], ask[key], "{sc}: {key}");
        }
        for key in [
            "usd_per_month",
            "racks",
            "usd_per_usable_tb_month",
            "kw_peak",
        ] {
            assert_eq!(row["sizing"][key], ask["sizing"][key], "{sc}: sizing.{key}");
        }
        assert_eq!(row["met"], true, "{sc}: the ask meets every target");
    }
}

#[test]
fn exabyte_and_ukmo_answers_fit_the_terminal_and_the_csv_is_plain() {
    for sc in ["exabyte", "ukmo"] {
        let dir = scratch(&format!("answer_{sc}"));
        let (code, out, err) = vastplan(&[
            "design",
            &format!("datasets/scenarios/{sc}.toml"),
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty(), "{sc}: stderr {err}");
        assert!(out.contains("the ask: design-"), "{out}");
        for l in out.lines() {
            assert!(l.chars().count() <= 120, "{sc}: {} columns: {l}", l.len());
        }
        let csv = fs::read_to_string(dir.join("design.csv")).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        for h in &header {
            assert!(
                h.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{h}"
            );
        }
        let text = ["id", "dpu", "drive", "binding"];
        let mut rows = 0;
        for l in lines {
            rows += 1;
            for (h, cell) in header.iter().zip(l.split(',')) {
                if !text.contains(h) {
                    assert!(cell.parse::<f64>().is_ok(), "{sc}: {h} = {cell:?}");
                }
            }
        }
        assert!(rows > 0);
        let ask = fs::read_to_string(dir.join("ask.md")).unwrap();
        assert!(ask.starts_with(&format!("# The ask — {sc}")), "{ask}");
        for part in [
            "Drives", "Chassis", "Network", "CPU", "DPU", "Power", "Price",
        ] {
            assert!(ask.contains(&format!("| {part} |")), "{sc}: {part}");
        }
        let html = fs::read_to_string(dir.join("design.html")).unwrap();
        assert_eq!(html.matches("<svg").count(), 1);
        // Deterministic: the same command writes the same bytes.
        let again = scratch(&format!("answer_{sc}_again"));
        let (code, out2, _) = vastplan(&[
            "design",
            &format!("datasets/scenarios/{sc}.toml"),
            "--out",
            again.to_str().unwrap(),
        ]);
        assert_eq!(code, 0);
        assert_eq!(
            out.replace(dir.to_str().unwrap(), ""),
            out2.replace(again.to_str().unwrap(), "")
        );
        for f in ["design.csv", "ask.md", "design.html", "design.json"] {
            assert_eq!(
                fs::read(dir.join(f)).unwrap(),
                fs::read(again.join(f)).unwrap(),
                "{f}"
            );
        }
    }
}

/// A design space with a zero, negative or unsourced number, or an empty axis: one line
/// naming file, line and field, exit 2.
#[test]
fn bad_design_spaces_name_file_line_and_field() {
    let good = fs::read_to_string("datasets/design_space.toml").unwrap();
    let dir = scratch("bad");
    let line_of = |needle: &str| good.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    let cases: Vec<(&str, String, String, String)> = vec![
        (
            "zero",
            good.replace("chassis_usd_per_u = { value = 4000,", "chassis_usd_per_u = { value = 0,"),
            format!(":{}: field `parts.chassis_usd_per_u`", line_of("chassis_usd_per_u")),
            "must be positive".into(),
        ),
        (
            "negative",
            good.replace("nic_usd = { value = 2500,", "nic_usd = { value = -2500,"),
            format!(":{}: field `parts.nic_usd`", line_of("nic_usd")),
            "must be positive".into(),
        ),
        (
            "unsourced",
            good.replace(
                "cpu_usd_per_core = { value = 120, source = \"our estimate: AMD EPYC 9005 list prices run about 100-130 USD per core at 64-128 cores, plus 8 GB DDR5 per core\",",
                "cpu_usd_per_core = { value = 120,",
            ),
            format!(":{}: field `parts.cpu_usd_per_core`", line_of("cpu_usd_per_core")),
            "no `source`".into(),
        ),
        (
            "empty-axis",
            good.replace("egress_gbps = [100, 200, 400, 800]", "egress_gbps = []"),
            format!(":{}: field `axes.egress_gbps`", line_of("egress_gbps")),
            "empty axis".into(),
        ),
        (
            "zero-bays",
            good.replace("E1L = { rack_units = 1, bays = 32,", "E1L = { rack_units = 1, bays = 0,"),
            format!(":{}: field `form_factors.E1L`", line_of("E1L")),
            "must be positive".into(),
        ),
    ];
    for (name, text, place, what) in cases {
        assert_ne!(text, good, "{name}: the replacement did not apply");
        let path = dir.join(format!("{name}.toml"));
        fs::write(&path, text).unwrap();
        let (code, out, err) = vastplan(&[
            "design",
            "datasets/scenarios/ukmo.toml",
            "--space",
            path.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(out.is_empty(), "{name}: {out}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err}");
        assert!(
            err.contains(&format!("{}{place}", path.display())) && err.contains(&what),
            "{name}: {err}"
        );
    }
    // A drive table with a zero.
    let drives = fs::read_to_string("datasets/drives.csv")
        .unwrap()
        .replace(",E1L,61.44,7000,", ",E1L,0,7000,");
    let path = dir.join("drives.csv");
    fs::write(&path, drives).unwrap();
    let (code, _, err) = vastplan(&[
        "design",
        "datasets/scenarios/ukmo.toml",
        "--drives",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("{}:4: field `capacity_tb`", path.display())),
        "{err}"
    );
}
