//! `vastplan shapes`: the catalog as a table, CSV or JSON, with source and confidence.

use super::table::{grouped, money, Table};
use super::Format;
use crate::error::CliError;
use clap::Args;
use std::io::Write;
use vastplan_models::catalog::field as f;
use vastplan_models::sizing::node_footprint;
use vastplan_models::{Catalog, DeploymentKind, Shape};

#[derive(Args, Debug)]
pub struct ShapesArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// List the GPU client VMs instead of the storage candidates.
    #[arg(long)]
    pub clients: bool,
}

pub fn run(c: &Catalog, a: &ShapesArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if a.format == Format::Json {
        let v = if a.clients {
            serde_json::to_value(&c.gpu_vms)
        } else {
            serde_json::to_value(&c.shapes)
        }
        .map_err(|e| CliError::Internal(e.to_string()))?;
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        )?;
        return Ok(());
    }
    let t = if a.clients { clients(c) } else { storage(c)? };
    match a.format {
        Format::Csv => t.write_csv(out)?,
        _ => t.write_text(out)?,
    }
    Ok(())
}

fn price(s: &Shape) -> String {
    let p = |k| s.param(k).map(|p| p.value);
    match s.kind {
        DeploymentKind::VastEboxCloudVm => {
            format!("${:.3}/h", p(f::PRICE_USD_PER_HOUR).unwrap_or(0.0))
        }
        DeploymentKind::AzureBlob => {
            format!("${}/GB-mo", p(f::PRICE_USD_PER_GB_MONTH).unwrap_or(0.0))
        }
        _ => format!("{} capex", money(p(f::CAPEX_USD).unwrap_or(0.0))),
    }
}

fn storage(c: &Catalog) -> Result<Table, CliError> {
    let mut t = Table::new(&[
        "id",
        "kind",
        "drives",
        "raw TB/node",
        "net Gbps",
        "read GB/s",
        "cpu",
        "U",
        "W avg",
        "price",
        "least confident",
        "source",
    ]);
    for s in &c.shapes {
        let v = |k: &str| s.param(k).map(|p| p.value);
        let drives = v(f::DRIVES_PER_NODE).unwrap_or(0.0);
        let drive_tb = v(f::DRIVE_BYTES).unwrap_or(0.0) / 1e12;
        // Media ceiling for VMs, vendor-tool CNode figure for VAST hardware.
        let read = v(f::NVME_READ_BPS)
            .or(v(f::CLIENT_READ_BPS))
            .map(|b| format!("{:.1}", b / 1e9))
            .unwrap_or_else(|| "-".into());
        let (field, conf) = s.least_confident();
        let fp = node_footprint(c, s)?;
        t.push(vec![
            s.id.clone(),
            s.kind.to_string(),
            format!("{drives} x {drive_tb} TB"),
            format!("{:.1}", drives * drive_tb),
            grouped(v(f::NETWORK_BPS).unwrap_or(0.0) * 8.0 / 1e9),
            read,
            s.cpu.clone(),
            format!("{:.2}", fp.rack_units),
            grouped(fp.watts_avg),
            price(s),
            format!("{conf} ({field})"),
            s.param(f::DRIVE_BYTES)
                .map(|p| p.source.clone())
                .unwrap_or_default(),
        ]);
    }
    Ok(t)
}

fn clients(c: &Catalog) -> Table {
    let mut t = Table::new(&[
        "id",
        "GPUs",
        "GPU",
        "vCPU",
        "frontend Gbps",
        "backend Gbps",
        "backend fabric",
        "local NVMe TiB",
        "confidence",
        "source",
    ]);
    for g in &c.gpu_vms {
        t.push(vec![
            g.id.clone(),
            format!("{}", g.gpus.value),
            g.gpu_model.clone(),
            format!("{}", g.vcpus.value),
            format!("{}", g.frontend_mbps.value / 1000.0),
            format!("{}", g.backend_gbps.value),
            g.backend_fabric.clone(),
            format!("{}", g.local_nvme_tib.value),
            g.confidence.to_string(),
            g.source.clone(),
        ]);
    }
    t
}
