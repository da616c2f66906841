//! `dpus.csv` (Fungible F1, BlueField-3: published port speeds and cores) and
//! `baremetal_dpu.csv` (hypothetical Azure Storage servers running VAST behind a DPU;
//! the servers are not public, so every field is a parameter the scenario may override).

use super::csvfile::CsvFile;
use super::field as f;
use super::prices::PriceBook;
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

#[derive(Clone, Debug)]
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

/// Columns a designed server (`vastplan design --emit-shape`) fills and the shipped rows
/// leave out: they take the host vCPUs from `dpu_host_vcpus`, the media from
/// `qlc_drive_*_bps`, the network from the DPU and the capex from `prices.csv`.
const BM_OPTIONAL: &[&str] = &[
    "vcpus",
    "network_gbps",
    "nvme_read_mbps",
    "nvme_write_mbps",
    "capex_usd",
    "estimated_fields",
    "notes",
];

/// `dpu` cell of a server whose NIC is a plain NIC and whose SDN runs on host cores.
pub const NO_DPU: &str = "none";

/// One bare-metal server as `baremetal_dpu.csv` states it: the loader and `design`
/// both turn it into a [`Shape`] through [`server_shape`], so a designed row planned
/// from a file is the same shape the design sized.
#[derive(Clone, Debug)]
pub struct ServerRow {
    pub id: String,
    /// `None`: no DPU.
    pub dpu: Option<String>,
    pub drives: Param,
    pub drive_tb: Param,
    pub rack_units: Param,
    pub watts_avg: Param,
    pub watts_peak: Param,
    pub min_nodes: Param,
    pub protocol_reference: String,
    pub vcpus: Option<Param>,
    pub network_gbps: Option<Param>,
    pub nvme_read_mbps: Option<Param>,
    pub nvme_write_mbps: Option<Param>,
    pub capex_usd: Option<Param>,
    /// Where the row came from (file:line, or the design), for error messages.
    pub origin: String,
}

/// What [`server_shape`] needs from the rest of the catalog: the DPUs and the measured
/// budget of each CNode a row may name as its protocol reference.
#[derive(Clone, Debug, Default)]
pub struct ServerParts {
    pub dpus: BTreeMap<String, Dpu>,
    pub cnode_budgets: BTreeMap<String, super::vast_hw::CnodeBudget>,
}

pub fn load_shapes(
    path: &Path,
    parts: &ServerParts,
    prices: &mut PriceBook,
) -> Result<Vec<Shape>, InputError> {
    let file = CsvFile::read(path, BM_COLS, BM_OPTIONAL)?;
    let mut out = Vec::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let dpu = r.text("dpu")?;
        let mut capex_usd = r.opt_param("capex_usd")?;
        if capex_usd.is_none() {
            capex_usd = Some(prices.take(&id, f::CAPEX_USD).ok_or_else(|| {
                r.err(
                    "id",
                    format!("no capex_usd column or prices.csv row for {id}"),
                )
            })?);
        }
        let row = ServerRow {
            dpu: (dpu != NO_DPU).then_some(dpu),
            drives: r.param("drives")?,
            drive_tb: r.param("drive_tb")?,
            rack_units: r.param("rack_units")?,
            watts_avg: r.param("watts_avg")?,
            watts_peak: r.param("watts_peak")?,
            min_nodes: r.param("min_nodes")?,
            protocol_reference: r.text("protocol_reference")?,
            vcpus: r.opt_param("vcpus")?,
            network_gbps: r.opt_param("network_gbps")?,
            nvme_read_mbps: r.opt_param("nvme_read_mbps")?,
            nvme_write_mbps: r.opt_param("nvme_write_mbps")?,
            capex_usd,
            origin: format!("{}:{}", file.name, r.line),
            id,
        };
        out.push(server_shape(&row, parts)?);
    }
    Ok(out)
}

/// The shape of one bare-metal server row.
pub fn server_shape(r: &ServerRow, parts: &ServerParts) -> Result<Shape, InputError> {
    let err = |field: &str, m: String| InputError::new(&r.origin, m).field(field);
    let dpu = match &r.dpu {
        Some(d) => Some(parts.dpus.get(d).ok_or_else(|| {
            err(
                "dpu",
                format!("no {d:?} in dpus.csv (or {NO_DPU:?} for a plain NIC)"),
            )
        })?),
        None => None,
    };
    let mut p = BTreeMap::new();
    p.insert(f::DRIVES_PER_NODE.to_string(), r.drives.clone());
    p.insert(f::DRIVE_BYTES.to_string(), r.drive_tb.scaled(TB));
    p.insert(f::RACK_UNITS.to_string(), r.rack_units.clone());
    p.insert(f::WATTS_AVG.to_string(), r.watts_avg.clone());
    p.insert(f::WATTS_PEAK.to_string(), r.watts_peak.clone());
    p.insert(f::MIN_NODES.to_string(), r.min_nodes.clone());
    // The DPU is the server's only network path, so its published line rate is the
    // node's network ceiling unless the row states a lower egress; its PCIe lanes bound
    // what reaches the drives.
    let network = match (&r.network_gbps, dpu) {
        (Some(n), Some(d)) if n.value > d.params["total_gbps"].value => {
            return Err(err(
                "network_gbps",
                format!(
                    "{} Gbps is more than the {} DPU's {} Gbps",
                    n.value, d.name, d.params["total_gbps"].value
                ),
            ))
        }
        (Some(n), _) => n.clone(),
        (None, Some(d)) => d.params["total_gbps"].clone(),
        (None, None) => {
            return Err(err(
                "network_gbps",
                format!("a server without a DPU (dpu = {NO_DPU}) needs its NIC's Gbps"),
            ))
        }
    };
    p.insert(f::NETWORK_BPS.to_string(), network.scaled(1e9 / 8.0));
    if let Some(d) = dpu {
        p.insert(
            f::DPU_PCIE_BPS.to_string(),
            d.params["host_pcie_gbps"].scaled(1e9 / 8.0),
        );
    }
    for (k, v) in [
        (f::VCPUS, &r.vcpus),
        (
            f::NVME_READ_BPS,
            &r.nvme_read_mbps.as_ref().map(|m| m.scaled(1e6)),
        ),
        (
            f::NVME_WRITE_BPS,
            &r.nvme_write_mbps.as_ref().map(|m| m.scaled(1e6)),
        ),
    ] {
        if let Some(v) = v {
            p.insert(k.to_string(), v.clone());
        }
    }
    let budgets = parts
        .cnode_budgets
        .get(&r.protocol_reference)
        .ok_or_else(|| {
            err(
                "protocol_reference",
                format!("no cnode {:?} in vast_hardware.csv", r.protocol_reference),
            )
        })?;
    for (k, v) in budgets {
        p.insert(k.to_string(), v.clone());
    }
    let capex = r
        .capex_usd
        .clone()
        .ok_or_else(|| err("capex_usd", format!("no capex for {}", r.id)))?;
    p.insert(f::CAPEX_USD.to_string(), capex);
    let (cpu, nic_type, info) = match dpu {
        Some(d) => (
            d.name.clone(),
            format!(
                "{} x {} GbE (DPU)",
                d.params["ports"].value, d.params["port_gbps"].value
            ),
            BTreeMap::from([(f::DPU_CORES.to_string(), d.params["cores"].clone())]),
        ),
        None => (
            "host CPU (SDN in software)".to_string(),
            format!("{} Gbps NIC, no DPU", network.value),
            BTreeMap::new(),
        ),
    };
    Ok(Shape {
        description: match dpu {
            Some(d) => format!("VAST bare metal on Azure Storage server + {}", d.name),
            None => "VAST bare metal on Azure Storage server, plain NIC".to_string(),
        },
        id: r.id.clone(),
        kind: DeploymentKind::VastBareMetalDpu,
        packaging: Packaging::Converged,
        info,
        components: Vec::new(),
        cpu,
        nic_type,
        origin: r.origin.clone(),
        params: p,
    })
}
