//! `vastplan shapes`: the catalog as a table, CSV or JSON, with source and confidence.

use super::table::{fixed, grouped, money, num, Table};
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
    /// Show every column of the terminal table (CPU, the least-confident field, the
    /// source), not just those that fit 120 columns.
    #[arg(long)]
    pub wide: bool,
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
    let csv = a.format == Format::Csv;
    let t = if a.clients {
        clients(c, csv)
    } else {
        storage(c, csv)?
    };
    if csv {
        t.write_csv(out)?;
    } else {
        t.write_text(out, a.wide)?;
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

/// The storage candidates: a terminal table, or CSV with units in the headers and plain
/// numbers in the cells.
fn storage(c: &Catalog, csv: bool) -> Result<Table, CliError> {
    let mut t = if csv {
        Table::new(&[
            "id",
            "kind",
            "drives_per_node",
            "drive_tb",
            "raw_tb_per_node",
            "network_gbps",
            "read_gbs",
            "cpu",
            "rack_units",
            "watts_avg",
            "price_usd_per_hour",
            "price_usd_per_gb_month",
            "capex_usd",
            "least_confident_field",
            "least_confidence",
            "source",
        ])
    } else {
        Table::new(&[
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
            "weakest",
            "least-confident field",
            "source",
        ])
        .wide_only(&["drives", "cpu", "least-confident field", "source"])
    };
    for s in &c.shapes {
        let v = |k: &str| s.param(k).map(|p| p.value);
        let drives = v(f::DRIVES_PER_NODE).unwrap_or(0.0);
        let drive_tb = v(f::DRIVE_BYTES).unwrap_or(0.0) / 1e12;
        // Media ceiling for VMs, vendor-tool CNode figure for VAST hardware.
        let read = v(f::NVME_READ_BPS)
            .or(v(f::CLIENT_READ_BPS))
            .map(|b| b / 1e9);
        let (field, conf) = s.least_confident();
        let fp = node_footprint(c, s)?;
        let net_gbps = v(f::NETWORK_BPS).unwrap_or(0.0) * 8.0 / 1e9;
        let source = s
            .param(f::DRIVE_BYTES)
            .map(|p| p.source.clone())
            .unwrap_or_default();
        if csv {
            let by_kind = |k: DeploymentKind, field: &str| {
                if s.kind == k {
                    v(field).map_or(String::new(), num)
                } else {
                    String::new()
                }
            };
            let capex = match s.kind {
                DeploymentKind::VastEboxCloudVm | DeploymentKind::AzureBlob => String::new(),
                _ => fixed(v(f::CAPEX_USD).unwrap_or(0.0), 2),
            };
            t.push(vec![
                s.id.clone(),
                s.kind.to_string(),
                num(drives),
                num(drive_tb),
                num(drives * drive_tb),
                num(net_gbps),
                read.map_or(String::new(), num),
                s.cpu.clone(),
                num(fp.rack_units),
                num(fp.watts_avg),
                by_kind(DeploymentKind::VastEboxCloudVm, f::PRICE_USD_PER_HOUR),
                by_kind(DeploymentKind::AzureBlob, f::PRICE_USD_PER_GB_MONTH),
                capex,
                field.to_string(),
                conf.to_string(),
                source,
            ]);
        } else {
            t.push(vec![
                s.id.clone(),
                s.kind.to_string(),
                format!("{drives} x {drive_tb} TB"),
                format!("{:.1}", drives * drive_tb),
                grouped(net_gbps),
                read.map_or_else(|| "-".into(), |r| format!("{r:.1}")),
                s.cpu.clone(),
                format!("{:.2}", fp.rack_units),
                grouped(fp.watts_avg),
                price(s),
                conf.to_string(),
                field.to_string(),
                source,
            ]);
        }
    }
    Ok(t)
}

/// The GPU client VMs.
fn clients(c: &Catalog, csv: bool) -> Table {
    let mut t = if csv {
        Table::new(&[
            "id",
            "gpus",
            "gpu_model",
            "vcpus",
            "frontend_gbps",
            "backend_gbps",
            "backend_fabric",
            "local_nvme_tib",
            "confidence",
            "source",
        ])
    } else {
        Table::new(&[
            "id",
            "GPUs",
            "GPU",
            "GPU model",
            "vCPU",
            "frontend Gbps",
            "backend Gbps",
            "NVMe TiB",
            "confidence",
            "backend fabric",
            "source",
        ])
        .wide_only(&["GPU model", "backend fabric", "source"])
        .narrow_only(&["GPU"])
    };
    for g in &c.gpu_vms {
        let n = |v: f64| if csv { num(v) } else { format!("{v}") };
        let mut row = vec![g.id.clone(), n(g.gpus.value)];
        if !csv {
            let short = if g.gpu_model.chars().count() > 30 {
                format!("{}…", g.gpu_model.chars().take(29).collect::<String>())
            } else {
                g.gpu_model.clone()
            };
            row.push(short);
        }
        row.extend([
            g.gpu_model.clone(),
            n(g.vcpus.value),
            n(g.frontend_mbps.value / 1000.0),
            n(g.backend_gbps.value),
        ]);
        if csv {
            row.extend([
                g.backend_fabric.clone(),
                num(g.local_nvme_tib.value),
                g.confidence.to_string(),
                g.source.clone(),
            ]);
        } else {
            row.extend([
                format!("{}", g.local_nvme_tib.value),
                g.confidence.to_string(),
                g.backend_fabric.clone(),
                g.source.clone(),
            ]);
        }
        t.push(row);
    }
    t
}
