//! `dpus.csv` (Fungible F1, BlueField-3: published port speeds and cores) and
//! `baremetal_dpu.csv` (hypothetical Azure Storage servers running VAST behind a DPU;
//! the servers are not public, so every field is a parameter the scenario may override).

use super::csvfile::CsvFile;
use super::field as f;
use super::prices::PriceBook;
use super::vast_hw::{protocol_reference, Component};
use super::{DeploymentKind, Packaging, Shape};
use crate::error::InputError;
use crate::provenance::Param;
use crate::units::TB;
use std::collections::BTreeMap;
use std::path::Path;

const DPU_COLS: &[&str] = &[
    "id",
    "vendor",
    "ports",
    "port_gbps",
    "total_gbps",
    "host_pcie_gbps",
    "cores",
    "dram_gb",
    "source",
    "confidence",
];

pub struct Dpu {
    pub name: String,
    pub params: BTreeMap<String, Param>,
}

pub fn load_dpus(path: &Path) -> Result<BTreeMap<String, Dpu>, InputError> {
    let file = CsvFile::read(path, DPU_COLS, &["estimated_fields", "notes"])?;
    let mut out = BTreeMap::new();
    for r in &file.rows {
        let mut params = BTreeMap::new();
        for k in [
            "ports",
            "port_gbps",
            "total_gbps",
            "host_pcie_gbps",
            "cores",
            "dram_gb",
        ] {
            params.insert(k.to_string(), r.param(k)?);
        }
        let id = r.text("id")?;
        let dpu = Dpu {
            name: format!("{} {id}", r.text("vendor")?),
            params,
        };
        if out.insert(id.clone(), dpu).is_some() {
            return Err(r.err("id", format!("duplicate DPU id {id}")));
        }
    }
    Ok(out)
}

const BM_COLS: &[&str] = &[
    "id",
    "dpu",
    "drives",
    "drive_tb",
    "rack_units",
    "watts_avg",
    "watts_peak",
    "min_nodes",
    "protocol_reference",
    "source",
    "confidence",
];

pub fn load_shapes(
    path: &Path,
    dpus: &BTreeMap<String, Dpu>,
    hw: &BTreeMap<String, Component>,
    prices: &mut PriceBook,
) -> Result<Vec<Shape>, InputError> {
    let file = CsvFile::read(path, BM_COLS, &["estimated_fields", "notes"])?;
    let mut out = Vec::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let dpu_id = r.text("dpu")?;
        let dpu = dpus
            .get(&dpu_id)
            .ok_or_else(|| r.err("dpu", format!("no {dpu_id:?} in dpus.csv")))?;
        let mut p = BTreeMap::new();
        p.insert(f::DRIVES_PER_NODE.to_string(), r.param("drives")?);
        p.insert(f::DRIVE_BYTES.to_string(), r.param("drive_tb")?.scaled(TB));
        for (k, col) in [
            (f::RACK_UNITS, "rack_units"),
            (f::WATTS_AVG, "watts_avg"),
            (f::WATTS_PEAK, "watts_peak"),
            (f::MIN_NODES, "min_nodes"),
        ] {
            p.insert(k.to_string(), r.param(col)?);
        }
        // The DPU is the server's only network path, so its published line rate is
        // the node's network ceiling; its PCIe lanes bound what reaches the drives.
        p.insert(
            f::NETWORK_BPS.to_string(),
            dpu.params["total_gbps"].scaled(1e9 / 8.0),
        );
        p.insert(
            f::DPU_PCIE_BPS.to_string(),
            dpu.params["host_pcie_gbps"].scaled(1e9 / 8.0),
        );
        for (k, v) in protocol_reference(r, hw)? {
            p.insert(k.to_string(), v);
        }
        let capex = prices
            .take(&id, f::CAPEX_USD)
            .ok_or_else(|| r.err("id", format!("no capex_usd row in prices.csv for {id}")))?;
        p.insert(f::CAPEX_USD.to_string(), capex);
        out.push(Shape {
            description: format!("VAST bare metal on Azure Storage server + {}", dpu.name),
            id,
            kind: DeploymentKind::VastBareMetalDpu,
            packaging: Packaging::Converged,
            info: BTreeMap::from([(f::DPU_CORES.to_string(), dpu.params["cores"].clone())]),
            components: Vec::new(),
            cpu: dpu.name.clone(),
            nic_type: format!(
                "{} x {} GbE (DPU)",
                dpu.params["ports"].value, dpu.params["port_gbps"].value
            ),
            origin: format!("{}:{}", file.name, r.line),
            params: p,
        });
    }
    Ok(out)
}
