//! `vastplan ratio`: storage nodes, capacity and bandwidth per GPU as a fleet grows.

use super::table::{money, Table};
use super::{apply_sets, drr_param, Format};
use crate::error::CliError;
use clap::Args;
use std::io::Write;
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
}

pub fn run(mut c: Catalog, a: &RatioArgs, out: &mut dyn Write) -> Result<(), CliError> {
    apply_sets(&mut c, &a.sets)?;
    let id = format!("{}-{}", a.workload.to_lowercase(), a.gpu.to_lowercase());
    let w = c.workload(&id)?.clone();
    if !(a.reading_fraction > 0.0 && a.reading_fraction <= 1.0) {
        return Err(CliError::input("--reading-fraction must be in (0, 1]"));
    }
    if !(a.tb_per_gpu.is_finite() && a.tb_per_gpu >= 0.0) {
        return Err(CliError::input("--tb-per-gpu must be zero or positive"));
    }
    if a.counts.is_empty() || a.counts.contains(&0) {
        return Err(CliError::input("--counts must list positive GPU counts"));
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
            ratio_table(&rows, false).write_text(out)?;
            for r in rows.iter().filter(|r| !r.note.is_empty()) {
                writeln!(out, "{} GPUs: {}", r.gpus, r.note)?;
            }
        }
    }
    Ok(())
}

pub fn ratio_table(rows: &[RatioRow], exact: bool) -> Table {
    let mut t = Table::new(&[
        "gpus",
        "demand GB/s",
        "nodes (cap)",
        "nodes (bw)",
        "nodes",
        "usable TB/GPU",
        "GB/s per GPU",
        "binds",
        "$/GPU-month",
    ]);
    for r in rows {
        let f = |v: f64, d: usize| {
            if exact {
                format!("{v}")
            } else {
                format!("{v:.d$}")
            }
        };
        t.push(vec![
            r.gpus.to_string(),
            f(r.demand_gbs, 1),
            r.nodes_for_capacity.to_string(),
            r.nodes_for_bandwidth
                .map_or("unreachable".into(), |n| n.to_string()),
            r.nodes.to_string(),
            f(r.usable_tb_per_gpu, 2),
            f(r.read_gbs_per_gpu, 3),
            if exact || r.binding.chars().count() <= 14 {
                r.binding.clone()
            } else {
                format!("{}…", r.binding.chars().take(13).collect::<String>())
            },
            if exact {
                format!("{}", r.usd_per_gpu_month)
            } else {
                money(r.usd_per_gpu_month)
            },
        ]);
    }
    t
}
