//! `vastplan calibrate`: matches result files to the tests of a benchmark plan, fits the
//! catalog numbers they identify, prints per test the prediction before and after and the
//! measured value, and writes the numbers as a calibration file (`--calibration`).
//!
//! Matching: a result belongs to the plan's test whose id the file names — the fio job
//! name, the elbencho label, else the file name (without `.json`/`.csv` and a
//! `.summary` tail), else (MLPerf) the directory holding `summary.json`.

use super::table::Table;
use super::{apply_scenario, apply_sets};
use crate::error::CliError;
use crate::output::write_atomic;
use crate::poc::formats::{self, bad, Measured};
use crate::poc::planfile;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use vastplan_models::poc::calibration::{self, CalibrationFile, MeasuredParam};
use vastplan_models::poc::fit::{fit, Observation};
use vastplan_models::poc::predict::plan;
use vastplan_models::poc::{Metric, PocTest, Setup};
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// A directory written by `vastplan benchplan`.
    #[arg(long, value_name = "DIR")]
    pub plan: PathBuf,
    /// Result files: fio JSON, elbencho CSV, MLPerf Storage summary.json; each names its
    /// test by the fio job name, the elbencho label, or its file name.
    #[arg(long, value_name = "FILE", num_args = 1.., required = true)]
    pub measured: Vec<PathBuf>,
    /// Where to write the fitted numbers.
    #[arg(long, default_value = "calibration.toml")]
    pub out: PathBuf,
}

pub fn run(
    mut cat: Catalog,
    a: &CalibrateArgs,
    calibration: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let pf = planfile::load(&a.plan)?;
    // The plan's predictions rest on the calibration it was made with; the fit must start
    // from the same catalog.
    match (&pf.calibration, calibration) {
        (Some(p), None) => {
            let c = vastplan_models::poc::calibration::load(Path::new(p))?;
            vastplan_models::poc::calibration::apply(&mut cat, &c, p)?;
        }
        (Some(p), Some(g)) if std::fs::canonicalize(g).ok() != Some(PathBuf::from(p)) => {
            return Err(CliError::input(format!(
                "--calibration {}: the plan in {} was made with {p}; give that one or none",
                g.display(),
                a.plan.display()
            )));
        }
        (None, Some(g)) => {
            return Err(CliError::input(format!(
                "--calibration {}: the plan in {} was made without one; re-run benchplan with it",
                g.display(),
                a.plan.display()
            )));
        }
        _ => {}
    }
    let (sc, file) = apply_scenario(&mut cat, Path::new(&pf.scenario))?;
    apply_sets(&mut cat, &pf.sets)?;
    cat.shape(&pf.shape)?;
    let setup = Setup {
        shape: pf.shape.clone(),
        counts: vastplan_models::cluster::Counts::new(pf.storage_nodes, pf.compute_nodes),
        clients: pf.clients,
        client_vm: pf.client_vm.clone(),
    };
    let planned = plan(&cat, &sc, &file, &setup)?.rows;
    // The plan's success marks, by test, to say whether the POC passed.
    let marks: std::collections::BTreeMap<String, f64> = planned
        .iter()
        .filter_map(|r| r.criterion.as_ref().map(|c| (r.test.id.clone(), c.min)))
        .collect();
    let plan_tests: Vec<PocTest> = planned.into_iter().map(|r| r.test).collect();
    let mut obs: Vec<Observation> = Vec::new();
    for path in &a.measured {
        let m = formats::read(path)?;
        let o = observe(&cat, path, &m, &plan_tests)?;
        if let Some(prev) = obs.iter().find(|p| p.test == o.test) {
            return Err(bad(
                path,
                None,
                format!(
                    "test {} is measured twice (also by {})",
                    o.test, prev.source
                ),
            ));
        }
        obs.push(o);
    }
    let files: Vec<String> = a.measured.iter().map(|p| p.display().to_string()).collect();
    let f = fit(
        &cat,
        &sc,
        &file,
        &setup,
        &plan_tests,
        &obs,
        &files.join(", "),
    )?;
    let cal = CalibrationFile {
        plan: a.plan.display().to_string(),
        shape: pf.shape.clone(),
        params: f
            .fitted
            .iter()
            .map(|p| MeasuredParam {
                input: if p.input.contains('.') {
                    p.input.clone()
                } else {
                    format!("assumptions.{}", p.input)
                },
                value: p.after,
                was: p.before,
                source: p.sources.join(", "),
                tests: p.tests.clone(),
            })
            .collect(),
    };
    write_atomic(&a.out, calibration::to_toml(&cal).as_bytes())?;

    let mut t = Table::new(&[
        "test",
        "measured",
        "before",
        "after",
        "after/measured",
        "fitted",
        "mark",
        "passed",
    ]);
    let mut verdicts: Vec<(String, bool)> = Vec::new();
    for r in &f.rows {
        let m = plan_tests
            .iter()
            .find(|t| t.id == r.test)
            .map_or(Metric::ReadBps, |t| t.metric);
        let v = |x: f64| match m {
            Metric::ReadIops => format!("{:.1} kIOPS", x / 1e3),
            _ => format!("{:.2} GB/s", x / 1e9),
        };
        t.push(vec![
            r.test.clone(),
            r.measured.map_or("-".into(), v),
            v(r.before),
            v(r.after),
            r.measured
                .map_or("-".into(), |x| format!("{:.3}", r.after / x)),
            if r.used { "yes" } else { "no" }.into(),
            marks.get(&r.test).map_or("-".into(), |&x| v(x)),
            match (marks.get(&r.test), r.measured) {
                (Some(&min), Some(x)) => {
                    let ok = x >= min;
                    verdicts.push((r.test.clone(), ok));
                    if ok { "PASS" } else { "FAIL" }.into()
                }
                _ => "-".into(),
            },
        ]);
    }
    t.write_text(out, false)?;
    if !verdicts.is_empty() {
        let failed: Vec<&str> = verdicts
            .iter()
            .filter(|(_, ok)| !ok)
            .map(|(id, _)| id.as_str())
            .collect();
        writeln!(
            out,
            "POC verdict: {} of {} success marks met{}",
            verdicts.len() - failed.len(),
            verdicts.len(),
            if failed.is_empty() {
                String::new()
            } else {
                format!("; missed: {}", failed.join(", "))
            }
        )?;
    }
    writeln!(out)?;
    writeln!(out, "fitted (confidence before -> measured):")?;
    let mut p = Table::new(&["input", "before", "after", "was", "identified by"]);
    for x in &f.fitted {
        p.push(vec![
            x.input.clone(),
            format!("{}", x.before),
            format!("{:.6e}", x.after),
            x.confidence_before.to_string(),
            x.tests.join(", "),
        ]);
    }
    p.write_text(out, false)?;
    if !f.unidentified.is_empty() {
        writeln!(
            out,
            "\nnot identified by these measurements (kept as they were):"
        )?;
        for u in &f.unidentified {
            writeln!(out, "  {}: {}", u.input, u.why)?;
        }
    }
    if f.fitted.iter().any(|x| !x.input.contains('.')) {
        writeln!(
            out,
            "\nnote: an assumption (no shape prefix) applies to every shape once calibrated."
        )?;
    }
    writeln!(out, "\nwrote {}", a.out.display())?;
    Ok(())
}

/// The plan's test a result file names, and its measured value in that test's metric.
fn observe(
    cat: &Catalog,
    path: &Path,
    m: &Measured,
    plan: &[PocTest],
) -> Result<Observation, CliError> {
    let (field, t) = m
        .ids
        .iter()
        .find_map(|(f, id)| plan.iter().find(|t| &t.id == id).map(|t| (f, t)))
        .ok_or_else(|| {
            let (f, id) = m.ids.first().cloned().unwrap_or_default();
            let known: Vec<&str> = plan.iter().map(|t| t.id.as_str()).collect();
            bad(
                path,
                Some(&f),
                format!(
                    "test {id:?} is not in the plan; {}",
                    vastplan_models::catalog::suggest(&id, &known)
                ),
            )
        })?;
    if let Some((b, bf)) = &m.block_bytes {
        if m.format != "mlperf" && *b != t.block_bytes {
            return Err(bad(
                path,
                Some(bf),
                format!(
                    "block size {b} B does not match test {}'s {} B",
                    t.id, t.block_bytes
                ),
            ));
        }
    }
    let (value, vf) = match t.metric {
        Metric::ReadBps => (m.read_bps, &m.read_field),
        Metric::WriteBps => (m.write_bps, &m.write_field),
        Metric::TotalBps => (
            m.read_bps.zip(m.write_bps).map(|(r, w)| r + w),
            &m.read_field,
        ),
        Metric::ReadIops => (m.read_iops, &m.iops_field),
    };
    let value = value.ok_or_else(|| {
        bad(
            path,
            Some(field),
            format!(
                "units do not match: test {} measures {}, which this {} file does not report",
                t.id,
                t.metric.as_str(),
                m.format
            ),
        )
    })?;
    if !(value.is_finite() && value > 0.0) {
        return Err(bad(
            path,
            Some(vf),
            format!(
                "{value} is no result for test {} ({})",
                t.id,
                t.metric.as_str()
            ),
        ));
    }
    // MLPerf: a run whose accelerators kept up was not storage-bound, so its throughput
    // is a floor under the ceiling, not the ceiling: shown, not fitted.
    let mut informs = true;
    if let (Some(au), Some(w)) = (m.au, &t.workload) {
        let floor = cat.workload(w)?.step().au_floor;
        informs = au < floor;
    }
    Ok(Observation {
        test: t.id.clone(),
        value,
        source: path.display().to_string(),
        informs,
    })
}
