//! `vastplan ratio`: storage nodes, capacity and bandwidth per GPU as a fleet grows.

use super::table::{money, num, Table};
use super::{apply_sets, drr_param, Format};
use crate::error::CliError;
use clap::Args;
use std::io::Write;
use vastplan_models::catalog::close_matches;
use vastplan_models::netmodel::NetOptions;
use vastplan_models::ratio::{ratio_rows, RatioQuery, RatioRow};
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct RatioArgs {
    /// GPU generation of the workload parameters (A100, H100, B200, ...).
    #[arg(long)]
    pub gpu: String,
    /// MLPerf Storage workload (unet3d, resnet50, cosmoflow, ...).
    #[arg(long)]
    pub workload: String,
    /// Candidate shape id.
    #[arg(long)]
    pub shape: String,
    /// GPU client VM (frontend NIC and GPUs per VM); default by GPU generation.
    #[arg(long)]
    pub client_vm: Option<String>,
    /// Share of GPUs reading at once.
    #[arg(long, default_value_t = 1.0)]
    pub reading_fraction: f64,
    /// Logical TB to provision per GPU (a capacity policy).
    #[arg(long, default_value_t = 0.0)]
    pub tb_per_gpu: f64,
    /// GPU counts, comma separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "256,1024,4096,16384,32768,65536"
    )]
    pub counts: Vec<u32>,
    /// Data-reduction ratio (default: assumption drr_ai_training).
    #[arg(long)]
    pub drr: Option<f64>,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Show the binding resource's full name rather than a 14-character prefix.
    #[arg(long)]
    pub wide: bool,
}

/// The error for a workload × GPU pair the catalog lacks: the nearest known GPU for that
/// workload (`--gpu GB200` → B200), else the nearest workload.
fn unknown_pair(c: &Catalog, workload: &str, gpu: &str) -> CliError {
    let (workload, gpu) = (workload.to_lowercase(), gpu.to_lowercase());
    let ids: Vec<&str> = c.workloads.iter().map(|w| w.id.as_str()).collect();
    let gpus_of = |wl: &str| -> Vec<&str> {
        ids.iter()
            .filter_map(|id| id.strip_prefix(wl).and_then(|r| r.strip_prefix('-')))
            .collect()
    };
    let gpus = gpus_of(&workload);
    if !gpus.is_empty() {
        let close = close_matches(&gpu, &gpus);
        let hint = if close.is_empty() {
            format!("it has {}", gpus.join(", "))
        } else {
            format!(
                "did you mean {}? (it has {})",
                close
                    .iter()
                    .map(|g| g.to_uppercase())
                    .collect::<Vec<_>>()
                    .join(", "),
                gpus.join(", ")
            )
        };
        return CliError::input(format!(
            "--gpu: workload {workload} has no {} parameters; {hint}",
            gpu.to_uppercase()
        ));
    }
    let mut names: Vec<&str> = ids
        .iter()
        .filter_map(|id| id.rsplit_once('-').map(|(w, _)| w))
        .collect();
    names.dedup();
    let close = close_matches(&workload, &names);
    let hint = if close.is_empty() {
        format!("known: {}", names.join(", "))
    } else {
        format!("did you mean {}?", close.join(", "))
    };
    CliError::input(format!("--workload: unknown workload {workload:?}; {hint}"))
}

/// Each row's note, with runs of rows that share a note written once.
fn write_notes(rows: &[RatioRow], out: &mut dyn Write) -> std::io::Result<()> {
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1].note == rows[i].note {
            j += 1;
        }
        if !rows[i].note.is_empty() {
            let who = if i == j {
                format!("{} GPUs", rows[i].gpus)
            } else {
                format!("{}-{} GPUs", rows[i].gpus, rows[j].gpus)
            };
            super::table::para(out, &format!("{who}: {}", rows[i].note))?;
        }
        i = j + 1;
    }
    Ok(())
}

pub fn run(mut c: Catalog, a: &RatioArgs, out: &mut dyn Write) -> Result<(), CliError> {
    apply_sets(&mut c, &a.sets)?;
    let id = format!("{}-{}", a.workload.to_lowercase(), a.gpu.to_lowercase());
    let w = match c.workload(&id) {
        Ok(w) => w.clone(),
        Err(_) => return Err(unknown_pair(&c, &a.workload, &a.gpu)),
    };
    if !(a.reading_fraction > 0.0 && a.reading_fraction <= 1.0) {
        return Err(CliError::input("--reading-fraction must be in (0, 1]"));
    }
    if !(a.tb_per_gpu.is_finite() && (0.0..=1e4).contains(&a.tb_per_gpu)) {
        return Err(CliError::input(format!(
            "--tb-per-gpu must be between 0 and 10000, got {:?}",
            a.tb_per_gpu
        )));
    }
    let max = vastplan_models::scenario::MAX_COUNT;
    if a.counts.is_empty() || a.counts.iter().any(|&n| n == 0 || n > max) {
        return Err(CliError::input(format!(
            "--counts must list GPU counts from 1 to {max}"
        )));
    }
    // The Azure VM that carries each generation; A100 has none in the catalog.
    let vm = a.client_vm.clone().or(match a.gpu.to_uppercase().as_str() {
        "H100" => Some("ND96isr_H100_v5".to_string()),
        "H200" => Some("ND96isr_H200_v5".to_string()),
        "B200" | "GB200" => Some("ND128isr_NDR_GB200_v6".to_string()),
        _ => None,
    });
    let gpus_per_vm = match &vm {
        Some(v) => c.gpu_vm(v)?.gpus.value.max(1.0) as u32,
        None => 8,
    };
    let shape = c.shape(&a.shape)?.clone();
    let q = RatioQuery {
        step: w.step(),
        reading_fraction: a.reading_fraction,
        client_vm: vm,
        gpus_per_vm,
        tb_per_gpu: a.tb_per_gpu,
        drr: drr_param(&c, a.drr, "ai_training")?,
        opts: NetOptions::default(),
    };
    let rows = ratio_rows(&c, &shape, &q, &a.counts)?;
    match a.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).map_err(|e| CliError::Internal(e.to_string()))?
        )?,
        Format::Csv => ratio_table(&rows, true).write_csv(out)?,
        Format::Table => {
            writeln!(
                out,
                "{} on {} ({:.3} GB/s per GPU at the {:.0}% floor; {} confidence)",
                id,
                shape.id,
                w.step().demand_at_floor() / 1e9,
                w.au_floor.value * 100.0,
                w.confidence
            )?;
            ratio_table(&rows, false).write_text(out, a.wide)?;
            write_notes(&rows, out)?;
        }
    }
    Ok(())
}

/// The storage-per-GPU rows: a terminal table (`exact == false`; the binding resource cut
/// to 14 characters unless wide) or CSV.
pub fn ratio_table(rows: &[RatioRow], exact: bool) -> Table {
    let mut t = if exact {
        Table::new(&[
            "gpus",
            "demand_gbs",
            "nodes_for_capacity",
            "nodes_for_bandwidth",
            "nodes",
            "usable_tb_per_gpu",
            "read_gbs_per_gpu",
            "binding",
            "usd_per_gpu_month",
        ])
    } else {
        Table::new(&[
            "gpus",
            "demand GB/s",
            "nodes (cap)",
            "nodes (bw)",
            "nodes",
            "usable TB/GPU",
            "GB/s per GPU",
            "binds",
            "binding resource",
            "$/GPU-month",
        ])
        .wide_only(&["binding resource"])
        .narrow_only(&["binds"])
    };
    for r in rows {
        if exact {
            t.push(vec![
                r.gpus.to_string(),
                num(r.demand_gbs),
                r.nodes_for_capacity.to_string(),
                r.nodes_for_bandwidth
                    .map_or(String::new(), |n| n.to_string()),
                r.nodes.to_string(),
                num(r.usable_tb_per_gpu),
                num(r.read_gbs_per_gpu),
                r.binding.clone(),
                num(r.usd_per_gpu_month),
            ]);
        } else {
            t.push(vec![
                r.gpus.to_string(),
                format!("{:.1}", r.demand_gbs),
                r.nodes_for_capacity.to_string(),
                // The note under the table says why.
                r.nodes_for_bandwidth
                    .map_or("none".into(), |n| n.to_string()),
                r.nodes.to_string(),
                format!("{:.2}", r.usable_tb_per_gpu),
                format!("{:.3}", r.read_gbs_per_gpu),
                if r.binding.chars().count() <= 14 {
                    r.binding.clone()
                } else {
                    format!("{}…", r.binding.chars().take(13).collect::<String>())
                },
                r.binding.clone(),
                money(r.usd_per_gpu_month),
            ]);
        }
    }
    t
}
