//! `vastplan simulate`: one candidate of a scenario under load, with headline metrics and
//! time series.

use super::table::para;
use super::{apply_scenario, apply_sets};
use crate::error::CliError;
use crate::progress::Progress;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use vastplan_models::catalog::rules::show;
use vastplan_models::plan::{counts_for_targets, targets};
use vastplan_models::scenario::warnings;
use vastplan_models::scenario::MAX_DAYS;
use vastplan_models::simulate::resolve::{sim_input, sizing};
use vastplan_models::simulate::{run_with_progress, SimResult};
use vastplan_models::sizing::counts_for;
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Scenario file (TOML), e.g. datasets/scenarios/wave-40pb.toml.
    pub scenario: PathBuf,
    /// Candidate shape id (default: the scenario's first candidate).
    #[arg(long)]
    pub shape: Option<String>,
    /// Storage nodes (default: what the capacity request needs).
    #[arg(long)]
    pub nodes: Option<u64>,
    /// CNodes of a disaggregated VAST shape (default with --nodes: the shape's minimum;
    /// without: what the targets need).
    #[arg(long)]
    pub cnodes: Option<u32>,
    /// Simulated days (default: the scenario's).
    #[arg(long)]
    pub days: Option<f64>,
    /// Master seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write summary.json and series.csv here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable); applied
    /// after the scenario's `[overrides]`, and marked `user` in every output.
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
}

pub fn run(mut cat: Catalog, a: &SimulateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (sc, file) = apply_scenario(&mut cat, &a.scenario)?;
    apply_sets(&mut cat, &a.sets)?;
    let id = a.shape.clone().unwrap_or_else(|| sc.candidates[0].clone());
    let shape = cat.shape(&id)?.clone();
    super::check_counts(&shape, a.nodes, a.cnodes)?;
    if let Some(d) = a.days {
        if !(d.is_finite() && d > 0.0 && d <= MAX_DAYS) {
            return Err(CliError::input(format!(
                "--days must be positive and at most {MAX_DAYS}, got {}",
                show(d)
            )));
        }
    }
    // Without --nodes, the cluster the closed form sizes for the scenario's targets.
    let counts = match a.nodes {
        Some(n) => counts_for(&shape, n, a.cnodes),
        None => {
            let sized = counts_for_targets(&cat, &sc, &shape, &targets(&cat, &sc)?, &file)?;
            let c = sized.counts();
            counts_for(&shape, u64::from(c.storage), a.cnodes.or(Some(c.compute)))
        }
    };
    let sized = sizing(&cat, &sc, &shape, Some(counts), &file)?;
    for w in warnings(&sc) {
        super::warn(&format!("{file}: {w}"));
    }
    let held = sized.capacity.logical.pb();
    if a.nodes.is_some() && held < sc.request.logical_pb * (1.0 - 1e-9) {
        super::warn(&format!(
            "--nodes {}: {} x {id} hold {held:.2} PB logical, less than the {} PB requested",
            sized.nodes, sized.nodes, sc.request.logical_pb
        ));
    }
    let inp = sim_input(&cat, &sc, &shape, &sized, a.days, a.seed, &file)?;
    let what = if shape.is_disaggregated() {
        format!(
            "{} DBoxes + {} CNodes of {id}",
            sized.nodes, sized.compute_nodes
        )
    } else {
        format!("{} x {id}", sized.nodes)
    };
    let mut bar = Progress::new(&format!("simulating {what}"), a.quiet);
    let r = run_with_progress(&inp, &mut |f| bar.set(f));
    bar.finish();
    if let Some(dir) = &a.out {
        write_outputs(dir, &r)?;
    }
    if !a.quiet {
        write_summary(out, &what, &r)?;
    }
    Ok(())
}

pub fn write_outputs(dir: &std::path::Path, r: &SimResult) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::input(format!("cannot create {}: {e}", dir.display())))?;
    let json = serde_json::to_string_pretty(r).map_err(|e| CliError::Internal(e.to_string()))?;
    crate::output::write_atomic(&dir.join("summary.json"), json.as_bytes())?;
    // The series' own columns, then the binding resource's utilisation in each rack (or
    // band of racks), snake_case like every CSV header: `util_rack_3`, `util_racks_0_to_15`.
    crate::output::write_atomic_with(&dir.join("series.csv"), |out| {
        write_series(out, r).map_err(std::io::Error::other)
    })
}

fn write_series(out: &mut dyn std::io::Write, r: &SimResult) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut head: Vec<String> = [
        "time_s",
        "gpu_utilisation",
        "read_gbs",
        "read_demand_gbs",
        "write_gbs",
        "rebuilds_active",
        "binding_utilisation",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    head.extend(
        r.rack_labels
            .iter()
            .map(|l| format!("util_{}", l.replace(' ', "_").replace('-', "_to_"))),
    );
    w.write_record(&head)?;
    for p in &r.series {
        let mut row: Vec<String> = [
            p.time_s,
            p.gpu_utilisation,
            p.read_gbs,
            p.read_demand_gbs,
            p.write_gbs,
            p.rebuilds_active,
            p.binding_utilisation,
        ]
        .iter()
        .map(|v| format!("{v:?}"))
        .collect();
        row.extend(p.rack_utilisation.iter().map(|v| format!("{v:?}")));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.1} {unit}"))
}

pub fn write_summary(out: &mut dyn Write, cluster: &str, r: &SimResult) -> std::io::Result<()> {
    writeln!(
        out,
        "{cluster}, {:.1} simulated days, {} events",
        r.simulated_s / 86_400.0,
        r.events
    )?;
    // The closed form sizes the starting cluster; after a tranche it no longer applies.
    let at_start = if r.tranches_applied.is_empty() {
        ""
    } else {
        " at the start"
    };
    para(
        out,
        &format!(
            "read GB/s        delivered {:.1} of {:.1} demanded (closed-form ceiling{at_start} {:.1}, bound by {})",
            r.read_gbs_mean, r.read_demand_gbs_mean, r.closed_form_read_gbs, r.binding_resource
        ),
    )?;
    writeln!(
        out,
        "write GB/s       {:.1} mean (closed-form ceiling{at_start} {:.1})",
        r.write_gbs_mean, r.closed_form_write_gbs
    )?;
    match r.gpu_utilisation {
        Some(u) => writeln!(
            out,
            "GPU utilisation  {:.1}%  stall {:.0} GPU-h, lost to interruptions {:.0} GPU-h",
            u * 100.0,
            r.gpu_stall_hours,
            r.gpu_lost_hours
        )?,
        None => writeln!(out, "GPU utilisation  no GPUs in this scenario")?,
    }
    writeln!(
        out,
        "checkpoints      {} done, p50 {}, p99 {}, max {}{}",
        r.checkpoints,
        opt(r.checkpoint_p50_s, "s"),
        opt(r.checkpoint_p99_s, "s"),
        opt(r.checkpoint_max_s, "s"),
        if r.checkpoint_overruns > 0 {
            format!(", {} overruns", r.checkpoint_overruns)
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "interruptions    {} (restores p50 {}, p99 {})",
        r.interruptions,
        opt(r.restore_p50_s, "s"),
        opt(r.restore_p99_s, "s")
    )?;
    para(
        out,
        &format!(
        "failures         {} drives, {} nodes; {} rebuilds, mean {}, max {}; degraded read {}; exposure {:.1} h",
        r.drive_failures,
        r.node_losses,
        r.rebuilds_completed,
        opt(r.rebuild_mean_s, "s"),
        opt(r.rebuild_max_s, "s"),
        opt(r.degraded_read_gbs, "GB/s"),
        r.exposure_hours
        ),
    )?;
    if let Some(n) = r.max_gpus_at_floor {
        para(out, &format!("GPUs at the floor {n} (most the starting cluster keeps at the utilisation floor, closed form)"))?;
    }
    match r.headroom_exhausted_day {
        Some(d) => writeln!(out, "headroom         runs out on day {d:.1}")?,
        None => writeln!(out, "headroom         never runs out")?,
    }
    for t in &r.tranches_applied {
        writeln!(out, "tranche          {t}")?;
    }
    for i in &r.incidents {
        writeln!(
            out,
            "incident         day {:.2} {} {}: read {:.1} -> {:.1} GB/s, GPU utilisation {}, recovered {}{}",
            i.day,
            i.kind,
            i.target,
            i.read_gbs_before,
            i.read_gbs_during,
            i.gpu_utilisation_during
                .map_or("-".into(), |u| format!("{:.1}%", u * 100.0)),
            i.recovered_after_s
                .map_or("never".into(), |s| format!("after {s:.0} s")),
            if i.data_unavailable {
                ", data unavailable"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}
