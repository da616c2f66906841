//! `vastplan plan`: the end-to-end sizing proposal for every candidate of a scenario, as a
//! terminal table and as plan.csv, plan.json and report.html.

use super::table::{fixed, money, num, wrap, Table};
use super::{apply_scenario, apply_sets, Format};
use crate::error::CliError;
use crate::output::write_atomic;
use crate::progress::Progress;
use crate::report::plan_report::{plan_page, Decision};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use vastplan_models::catalog::rules::show;
use vastplan_models::plan::CandidatePlan;
use vastplan_models::proposal::{plan_scenario, Proposal, ProposalOptions};
use vastplan_models::scenario::{warnings, MAX_DAYS};
use vastplan_models::sensitivity::{Ranges, Sensitivity};
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Scenario file (TOML), e.g. datasets/scenarios/wave-40pb.toml.
    pub scenario: PathBuf,
    /// Write plan.csv, plan.json and report.html here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Closed form only: skip the simulation.
    #[arg(long)]
    pub no_sim: bool,
    /// Simulated days (default: the scenario's).
    #[arg(long)]
    pub days: Option<f64>,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print nothing but errors.
    #[arg(long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print each candidate's verdicts and sizing steps.
    #[arg(long)]
    pub verbose: bool,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable); applied
    /// after the scenario's `[overrides]`, and marked `user` in every output.
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    /// Also move each estimate-grade input over its confidence range, re-plan every
    /// candidate in closed form, and say which inputs could change the recommendation
    /// (sensitivity.csv and a section of the report).
    #[arg(long)]
    pub sensitivity: bool,
    /// Show every column of the terminal table (kind, $/GB/s-month, the binding resource,
    /// the least-confident input), not just those that fit 120 columns.
    #[arg(long)]
    pub wide: bool,
    /// Also plan the server rows of FILE (baremetal_dpu.csv's columns, e.g. written by
    /// `vastplan design --emit-shape`) as candidates (repeatable).
    #[arg(long = "shapes", value_name = "FILE")]
    pub shapes: Vec<PathBuf>,
}

pub fn run(mut cat: Catalog, a: &PlanArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (mut sc, file) = apply_scenario(&mut cat, &a.scenario)?;
    // Rows of --shapes files join the scenario's candidates.
    for p in &a.shapes {
        let from = format!("{}:", p.display());
        for s in cat.shapes.iter().filter(|s| s.origin.starts_with(&from)) {
            if !sc.candidates.contains(&s.id) {
                sc.candidates.push(s.id.clone());
            }
        }
    }
    apply_sets(&mut cat, &a.sets)?;
    if let Some(d) = a.days {
        if !(d.is_finite() && d > 0.0 && d <= MAX_DAYS) {
            return Err(CliError::input(format!(
                "--days must be positive and at most {MAX_DAYS}, got {}",
                show(d)
            )));
        }
    }
    if a.no_sim && a.days.is_some() {
        return Err(CliError::input(
            "--days has no effect with --no-sim (nothing is simulated): drop one",
        ));
    }
    if !a.no_sim && sc.simulation.is_none() && a.days.is_none() {
        return Err(CliError::input(format!(
            "{file}: the scenario has no [simulation] section; add one, give --days, or use --no-sim"
        )));
    }
    for w in warnings(&sc) {
        super::warn(&format!("{file}: {w}"));
    }
    let opts = ProposalOptions {
        simulate: !a.no_sim,
        days: a.days,
        seed: a.seed,
        max_growth_steps: 6,
        sensitivity: a.sensitivity.then(Ranges::default),
    };
    // One progress bar per candidate, on a terminal only.
    let mut bar: Option<(String, Progress)> = None;
    let proposal = plan_scenario(&cat, &sc, &file, &opts, &mut |id, f| {
        if bar.as_ref().is_none_or(|(b, _)| b != id) {
            if let Some((_, mut done)) = bar.take() {
                done.finish();
            }
            bar = Some((
                id.to_string(),
                Progress::new(&format!("planning {id:<18}"), a.quiet),
            ));
        }
        if let Some((_, b)) = bar.as_mut() {
            b.set(f);
        }
    })
    .map_err(|e| {
        // Sizing errors speak of "the request": point at the scenario's request line.
        if e.file == "request" {
            let key = "request.logical_pb";
            sc.error_at(&file, key, key, e.message.clone())
        } else {
            e
        }
    })?;
    if let Some((_, mut done)) = bar.take() {
        done.finish();
    }
    let Proposal {
        targets: t,
        plans,
        decision,
        sensitivity: sens,
        ratio,
        ..
    } = proposal;
    let seed = a.seed.unwrap_or(sc.seed);
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::input(format!("cannot create {}: {e}", dir.display())))?;
        let mut csv = Vec::new();
        table(&plans, true).write_csv(&mut csv)?;
        write_atomic(&dir.join("plan.csv"), &csv)?;
        if let Some(sens) = &sens {
            let mut buf = Vec::new();
            sensitivity_table(sens).write_csv(&mut buf)?;
            write_atomic(&dir.join("sensitivity.csv"), &buf)?;
        }
        let mut bom = Vec::new();
        bom_table(&plans).write_csv(&mut bom)?;
        write_atomic(&dir.join("bom.csv"), &bom)?;
        let json = serde_json::json!({"scenario": sc.name, "seed": seed, "decision": decision, "targets": t, "candidates": plans, "ratio": ratio.as_ref().map(|r| &r.1)});
        write_atomic(
            &dir.join("plan.json"),
            serde_json::to_string_pretty(&json)
                .map_err(|e| CliError::Internal(e.to_string()))?
                .as_bytes(),
        )?;
        let mut page = plan_page(
            &sc,
            &file,
            seed,
            &t,
            &plans,
            ratio.as_ref().map(|(s, r)| (s.as_str(), r.as_slice())),
            &Decision {
                text: &decision,
                sensitivity: sens.as_ref(),
            },
        );
        // A calibrated answer says so at the top, with what a POC measured.
        if let Some(c) = super::calibrated_line(&cat) {
            page.meta("Calibrated", c.trim_start_matches("calibrated: "));
        }
        write_atomic(&dir.join("report.html"), page.to_html().as_bytes())?;
    }
    if a.quiet {
        return Ok(());
    }
    match a.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&plans).map_err(|e| CliError::Internal(e.to_string()))?
        )?,
        Format::Csv => table(&plans, true).write_csv(out)?,
        Format::Table => {
            writeln!(out, "{} — {} PB logical", sc.name, sc.request.logical_pb)?;
            for l in wrap(&decision, 120) {
                writeln!(out, "{l}")?;
            }
            for l in wrap(&format!("targets: {}", t.stated.join("; ")), 120) {
                writeln!(out, "{l}")?;
            }
            if let Some(c) = super::calibrated_line(&cat) {
                for l in wrap(&c, 120) {
                    writeln!(out, "{l}")?;
                }
            }
            let mut sorted: Vec<&CandidatePlan> = plans.iter().collect();
            sorted.sort_by_key(|p| p.rank);
            table_of(&sorted, false).write_text(out, a.wide)?;
            for p in &sorted {
                if let Some(w) = &p.why_not {
                    for l in wrap(&format!("{}: {w}", p.shape), 120) {
                        writeln!(out, "{l}")?;
                    }
                }
                if a.verbose {
                    super::table::para(
                        out,
                        &format!(
                        "{}: {} nodes for capacity, {} for bandwidth, grown {} times; binds: {}",
                        p.shape,
                        p.nodes_for_capacity,
                        p.nodes_for_bandwidth
                            .map_or("unreachable".into(), |n| n.to_string()),
                        p.growth_steps,
                        p.binding
                        ),
                    )?;
                    for v in &p.verdicts {
                        writeln!(
                            out,
                            "  {:<22} goal {:>10.1}  value {:>10.1}  {}",
                            v.target.label(),
                            v.goal,
                            v.value,
                            if v.met { "met" } else { "MISSED" }
                        )?;
                    }
                }
            }
            if let Some(sens) = &sens {
                let flips: Vec<&str> = sens
                    .swings
                    .iter()
                    .filter(|s| s.changes_recommendation)
                    .map(|s| s.input.as_str())
                    .collect();
                let line = if flips.is_empty() {
                    format!(
                        "sensitivity: {} inputs moved over their confidence range; none changes the recommendation",
                        sens.swings.len()
                    )
                } else {
                    format!(
                        "sensitivity: {} of {} inputs, moved over their confidence range, change the recommendation: {}",
                        flips.len(),
                        sens.swings.len(),
                        flips.join(", ")
                    )
                };
                for l in wrap(&line, 120) {
                    writeln!(out, "{l}")?;
                }
            }
            if let Some((shape, rows)) = &ratio {
                writeln!(out, "\nstorage per GPU on {shape}:")?;
                super::ratio::ratio_table(rows, false).write_text(out, a.wide)?;
            }
            if let Some(dir) = &a.out {
                writeln!(
                    out,
                    "wrote {}/plan.csv, bom.csv, plan.json, report.html",
                    dir.display()
                )?;
            }
        }
    }
    Ok(())
}

fn table(plans: &[CandidatePlan], exact: bool) -> Table {
    table_of(&plans.iter().collect::<Vec<_>>(), exact)
}

fn table_of(plans: &[&CandidatePlan], exact: bool) -> Table {
    let header: &[&str] = if exact {
        &[
            "rank",
            "shape",
            "kind",
            "nodes",
            "compute_nodes",
            "nodes_for_capacity",
            "nodes_for_bandwidth",
            "compute_nodes_for_bandwidth",
            "racks",
            "kw_facility",
            "usable_pb",
            "usd_per_month_hardware",
            "usd_per_month_software",
            "usd_per_month_facility",
            "usd_per_month_network",
            "usd_per_month_support",
            "usd_per_month",
            "usd_per_usable_tb_month",
            "usd_per_gbs_month",
            "tco_5y_usd",
            "read_ceiling_gbs",
            "write_ceiling_gbs",
            "binding",
            "sim_read_gbs",
            "checkpoint_p99_s",
            "gpu_utilisation",
            "nines",
            "durability_basis",
            "met",
            "missed",
            "least_confident_input",
            "least_confidence",
        ]
    } else {
        &[
            "rank",
            "shape",
            "kind",
            "nodes",
            "cnodes",
            "racks",
            "$/month",
            "$/GB/s-mo",
            "read GB/s",
            "binding",
            "ckpt p99",
            "GPU %",
            "nines",
            "verdict",
            "weakest",
            "least-confident input",
        ]
    };
    let mut t = Table::new(header);
    if !exact {
        t = t.wide_only(&["kind", "$/GB/s-mo", "binding", "least-confident input"]);
    }
    for p in plans {
        let s = p.sim.as_ref();
        if exact {
            t.push(vec![
                p.rank.map_or(String::new(), |r| r.to_string()),
                p.shape.clone(),
                p.kind.to_string(),
                p.nodes.to_string(),
                p.compute_nodes.to_string(),
                p.nodes_for_capacity.to_string(),
                p.nodes_for_bandwidth
                    .map_or(String::new(), |n| n.to_string()),
                p.compute_nodes_for_bandwidth
                    .map_or(String::new(), |n| n.to_string()),
                p.sizing.racks.to_string(),
                num(p.sizing.kw_facility),
                num(p.sizing.capacity.usable.pb()),
                fixed(p.sizing.cost.hardware, 2),
                fixed(p.sizing.cost.software, 2),
                fixed(p.sizing.cost.facility, 2),
                fixed(p.sizing.cost.network, 2),
                fixed(p.sizing.cost.support, 2),
                fixed(p.sizing.usd_per_month, 2),
                fixed(p.sizing.usd_per_usable_tb_month, 4),
                fixed(p.usd_per_gbs_month, 2),
                fixed(p.sizing.tco_5y_usd, 2),
                num(p.read_ceiling_bps / 1e9),
                num(p.write_ceiling_bps / 1e9),
                p.binding.clone(),
                s.map_or(String::new(), |s| num(s.read_gbs_mean)),
                s.and_then(|s| s.checkpoint_p99_s)
                    .map_or(String::new(), num),
                s.and_then(|s| s.gpu_utilisation).map_or(String::new(), num),
                p.nines.map_or(String::new(), num),
                p.durability_basis.clone(),
                p.met.to_string(),
                p.missed.join(";"),
                p.least_confident.clone(),
                p.least_confidence.to_string(),
            ]);
        } else {
            let short = |x: &str, n: usize| {
                if x.chars().count() > n {
                    format!("{}…", x.chars().take(n - 1).collect::<String>())
                } else {
                    x.to_string()
                }
            };
            t.push(vec![
                p.rank.map_or("-".into(), |r| r.to_string()),
                short(&p.shape, 16),
                p.kind.to_string(),
                p.nodes.to_string(),
                p.compute_nodes.to_string(),
                p.sizing.racks.to_string(),
                money(p.sizing.usd_per_month),
                money(p.usd_per_gbs_month),
                format!("{:.0}", p.read_ceiling_bps / 1e9),
                p.binding.clone(),
                s.and_then(|s| s.checkpoint_p99_s)
                    .map_or("-".into(), |v| format!("{v:.1}s")),
                s.and_then(|s| s.gpu_utilisation)
                    .map_or("-".into(), |u| format!("{:.1}", u * 100.0)),
                p.nines.map_or("-".into(), |n| format!("{n:.1}")),
                if p.met {
                    "met".into()
                } else {
                    format!("misses {}", p.missed.len())
                },
                // The terminal shows how weak; --wide, plan.csv and the report name the input.
                p.least_confidence.to_string(),
                p.least_confident.clone(),
            ]);
        }
    }
    t
}

/// One row per device line of each candidate's bill of materials.
fn bom_table(plans: &[CandidatePlan]) -> Table {
    let mut t = Table::new(&[
        "candidate",
        "item",
        "role",
        "count",
        "unit_capex_usd",
        "capex_usd",
        "unit_rack_units",
        "unit_watts_avg",
        "unit_watts_peak",
        "source",
        "confidence",
    ]);
    for p in plans {
        for b in &p.sizing.bom {
            t.push(vec![
                p.shape.clone(),
                b.item.clone(),
                serde_json::to_value(b.role)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                b.count.to_string(),
                fixed(b.unit_capex_usd, 2),
                fixed(b.capex(), 2),
                num(b.unit_rack_units),
                num(b.unit_watts_avg),
                num(b.unit_watts_peak),
                b.source.clone(),
                b.confidence.to_string(),
            ]);
        }
    }
    t
}

/// One row per moved input and candidate: the answer at the low and the high value.
fn sensitivity_table(s: &Sensitivity) -> Table {
    let mut t = Table::new(&[
        "input",
        "confidence",
        "base_value",
        "low_value",
        "high_value",
        "candidate",
        "usd_per_month_low",
        "usd_per_month_high",
        "met_low",
        "met_high",
        "recommended_low",
        "recommended_high",
        "changes_recommendation",
    ]);
    for w in &s.swings {
        for (shape, lo) in &w.low {
            let Some(hi) = w.high.get(shape) else {
                continue;
            };
            t.push(vec![
                w.input.clone(),
                w.confidence.to_string(),
                num(w.base_value),
                num(w.low_value),
                num(w.high_value),
                shape.clone(),
                fixed(lo.usd_per_month, 2),
                fixed(hi.usd_per_month, 2),
                lo.met.to_string(),
                hi.met.to_string(),
                w.recommended_low.clone().unwrap_or_default(),
                w.recommended_high.clone().unwrap_or_default(),
                w.changes_recommendation.to_string(),
            ]);
        }
    }
    t
}
