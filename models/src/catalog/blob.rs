//! `azure_blob.csv`: the incumbent. Published account limits and redundancy, plus the
//! server and rack density Microsoft does not publish (estimates, labelled per field).

use super::csvfile::CsvFile;
use super::field as f;
use super::prices::PriceBook;
use super::{DeploymentKind, Packaging, Shape};
use crate::error::InputError;
use crate::units::{PIB, TB};
use std::collections::BTreeMap;
use std::path::Path;

const COLS: &[&str] = &[
    "id",
    "tier",
    "media",
    "redundancy",
    "raw_per_usable",
    "account_max_pib",
    "account_ingress_gbps",
    "account_egress_gbps",
    "drives_per_node",
    "drive_tb",
    "rack_units_per_node",
    "watts_avg_per_node",
    "watts_peak_per_node",
    "durability_nines",
    "source",
    "confidence",
];

const OPTIONAL: &[&str] = &["drive_read_mbps", "estimated_fields", "notes"];

pub fn load(path: &Path, prices: &mut PriceBook) -> Result<Vec<Shape>, InputError> {
    let file = CsvFile::read(path, COLS, OPTIONAL)?;
    let mut out = Vec::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let mut p = BTreeMap::new();
        let overhead = r.param("raw_per_usable")?;
        if overhead.value < 1.0 {
            return Err(r.err("raw_per_usable", "redundancy cannot store more than raw"));
        }
        p.insert(f::RAW_PER_USABLE.to_string(), overhead);
        p.insert(
            f::DURABILITY_NINES.to_string(),
            r.param("durability_nines")?,
        );
        if let Some(d) = r.opt_param("drive_read_mbps")? {
            p.insert(f::DRIVE_READ_BPS.to_string(), d.scaled(1e6));
        }
        p.insert(
            f::ACCOUNT_MAX_BYTES.to_string(),
            r.param("account_max_pib")?.scaled(PIB),
        );
        p.insert(
            f::ACCOUNT_INGRESS_BPS.to_string(),
            r.param("account_ingress_gbps")?.scaled(1e9 / 8.0),
        );
        // The per-account egress target stands in for the "node" network ceiling:
        // clients see Blob through accounts, not servers.
        p.insert(
            f::NETWORK_BPS.to_string(),
            r.param("account_egress_gbps")?.scaled(1e9 / 8.0),
        );
        p.insert(f::DRIVES_PER_NODE.to_string(), r.param("drives_per_node")?);
        p.insert(f::DRIVE_BYTES.to_string(), r.param("drive_tb")?.scaled(TB));
        p.insert(f::RACK_UNITS.to_string(), r.param("rack_units_per_node")?);
        p.insert(f::WATTS_AVG.to_string(), r.param("watts_avg_per_node")?);
        p.insert(f::WATTS_PEAK.to_string(), r.param("watts_peak_per_node")?);
        p.insert(
            f::MIN_NODES.to_string(),
            crate::provenance::Param::new(
                1.0,
                "a service: no minimum the customer sees",
                crate::provenance::Confidence::Derived,
            ),
        );
        let price = prices.take(&id, f::PRICE_USD_PER_GB_MONTH).ok_or_else(|| {
            r.err(
                "id",
                format!("no price_usd_per_gb_month row in prices.csv for {id}"),
            )
        })?;
        p.insert(f::PRICE_USD_PER_GB_MONTH.to_string(), price);
        out.push(Shape {
            description: format!(
                "Azure Blob {} ({}, {})",
                r.text("tier")?,
                r.text("media")?,
                r.text("redundancy")?
            ),
            id,
            kind: DeploymentKind::AzureBlob,
            packaging: Packaging::Converged,
            info: BTreeMap::new(),
            components: Vec::new(),
            cpu: "-".to_string(),
            nic_type: "storage service endpoint".to_string(),
            origin: format!("{}:{}", file.name, r.line),
            params: p,
        });
    }
    Ok(out)
}
