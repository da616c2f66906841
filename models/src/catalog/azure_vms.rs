//! `azure_storage_vms.csv`: Azure L-series VMs, each a candidate EBox-per-VM shape.

use super::csvfile::CsvFile;
use super::field as f;
use super::prices::PriceBook;
use super::vast_hw::{protocol_reference, Component};
use super::{DeploymentKind, Packaging, Shape};
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
    "protocol_reference",
    "source",
    "confidence",
];

pub fn load(
    path: &Path,
    hw: &BTreeMap<String, Component>,
    prices: &mut PriceBook,
) -> Result<Vec<Shape>, InputError> {
    let file = CsvFile::read(path, COLS, &["estimated_fields", "notes"])?;
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
        put(f::DRIVES_PER_NODE, r.param("nvme_count")?);
        put(f::DRIVE_BYTES, r.param("nvme_size_gb")?.scaled(GB));
        put(f::NVME_READ_BPS, r.param("read_mbps")?.scaled(1e6));
        put(f::NVME_WRITE_BPS, r.param("write_mbps")?.scaled(1e6));
        // Azure prints Mbps = 1e6 bit/s, per VM across all NICs, egress-metered.
        put(f::NETWORK_BPS, r.param("network_mbps")?.scaled(1e6 / 8.0));
        // Rack space, power and the cluster minimum are computed at sizing time from
        // this share and the (overridable) assumptions, so overriding those propagates.
        put(f::HOST_FRACTION, host_fraction);
        for (k, v) in protocol_reference(r, hw)? {
            put(k, v);
        }
        let price = prices.take(&id, f::PRICE_USD_PER_HOUR).ok_or_else(|| {
            r.err(
                "id",
                format!("no {} row in prices.csv for {id}", f::PRICE_USD_PER_HOUR),
            )
        })?;
        put(f::PRICE_USD_PER_HOUR, price);
        // Listed for the reader; the model sizes on bandwidth and capacity, not these.
        let info = BTreeMap::from([
            (
                f::MEMORY_BYTES.to_string(),
                r.param("memory_gib")?.scaled(TIB / 1024.0),
            ),
            ("read_iops".to_string(), r.param("read_iops")?),
            ("write_iops".to_string(), r.param("write_iops")?),
            ("nics".to_string(), r.param("nics")?),
        ]);
        out.push(Shape {
            description: format!("VAST EBox per Azure {} VM ({})", id, r.text("series")?),
            id,
            kind: DeploymentKind::VastEboxCloudVm,
            packaging: Packaging::Converged,
            info,
            components: Vec::new(),
            cpu: r.text("cpu")?,
            nic_type: r.text("nic_type")?,
            origin: format!("{}:{}", file.name, r.line),
            params: p,
        });
    }
    Ok(out)
}
