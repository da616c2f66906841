//! `azure_storage_vms.csv`: Azure L-series VMs, each a candidate EBox-per-VM shape.

use super::csvfile::CsvFile;
use super::field as f;
use super::prices::PriceBook;
use super::{DeploymentKind, Shape};
use crate::error::InputError;
use crate::provenance::Param;
use crate::units::{GB, TIB};
use std::collections::BTreeMap;
use std::path::Path;

const COLS: &[&str] = &[
    "id",
    "series",
    "vcpus",
    "memory_gib",
    "nvme_count",
    "nvme_size_gb",
    "read_iops",
    "read_mbps",
    "write_iops",
    "write_mbps",
    "network_mbps",
    "nics",
    "nic_type",
    "cpu",
    "host_fraction",
    "source",
    "confidence",
];

pub fn load(
    path: &Path,
    assumptions: &BTreeMap<String, Param>,
    prices: &mut PriceBook,
) -> Result<Vec<Shape>, InputError> {
    let file = CsvFile::read(path, COLS, &["estimated_fields", "notes"])?;
    let need = |name: &str| {
        assumptions.get(name).cloned().ok_or_else(|| {
            InputError::new(
                path.display().to_string(),
                "needs this assumption in assumptions.csv",
            )
            .field(name)
        })
    };
    let min_vms = need("vast_cloud_min_vms")?;
    let rack_u = need("rack_units_usable")?;
    let servers_per_rack = need("azure_servers_per_rack")?;
    let host_w_avg = need("azure_host_watts_avg")?;
    let host_w_peak = need("azure_host_watts_peak")?;
    let mut out = Vec::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let host_fraction = r.param("host_fraction")?;
        if host_fraction.value <= 0.0 || host_fraction.value > 1.0 {
            return Err(r.err("host_fraction", "must be in (0, 1]"));
        }
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: Param| {
            p.insert(k.to_string(), v);
        };
        put(f::VCPUS, r.param("vcpus")?);
        put(f::MEMORY_BYTES, r.param("memory_gib")?.scaled(TIB / 1024.0));
        put(f::DRIVES_PER_NODE, r.param("nvme_count")?);
        put(f::DRIVE_BYTES, r.param("nvme_size_gb")?.scaled(GB));
        put("read_iops", r.param("read_iops")?);
        put(f::NVME_READ_BPS, r.param("read_mbps")?.scaled(1e6));
        put("write_iops", r.param("write_iops")?);
        put(f::NVME_WRITE_BPS, r.param("write_mbps")?.scaled(1e6));
        // Azure prints Mbps = 1e6 bit/s, per VM across all NICs, egress-metered.
        put(f::NETWORK_BPS, r.param("network_mbps")?.scaled(1e6 / 8.0));
        put("nics", r.param("nics")?);
        put(f::MIN_NODES, min_vms.clone());
        // A VM occupies `host_fraction` of one Azure server; rack space and power are
        // that share of an (estimated) server and rack.
        put(
            f::RACK_UNITS,
            Param::derive(
                rack_u.value / servers_per_rack.value * host_fraction.value,
                &[&rack_u, &servers_per_rack, &host_fraction],
            ),
        );
        put(
            f::WATTS_AVG,
            Param::derive(
                host_w_avg.value * host_fraction.value,
                &[&host_w_avg, &host_fraction],
            ),
        );
        put(
            f::WATTS_PEAK,
            Param::derive(
                host_w_peak.value * host_fraction.value,
                &[&host_w_peak, &host_fraction],
            ),
        );
        let price = prices.take(&id, f::PRICE_USD_PER_HOUR).ok_or_else(|| {
            r.err(
                "id",
                format!("no {} row in prices.csv for {id}", f::PRICE_USD_PER_HOUR),
            )
        })?;
        put(f::PRICE_USD_PER_HOUR, price);
        out.push(Shape {
            description: format!("VAST EBox per Azure {} VM ({})", id, r.text("series")?),
            id,
            kind: DeploymentKind::VastEboxCloudVm,
            cpu: r.text("cpu")?,
            nic_type: r.text("nic_type")?,
            origin: format!("{}:{}", file.name, r.line),
            params: p,
        });
    }
    Ok(out)
}
