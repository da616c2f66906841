//! Closed-form sizing: how many nodes of a shape hold a logical capacity, and what
//! they occupy, draw and cost.
//!
//! Racks are the larger of the space bound (rack units) and the power bound (peak
//! kW per rack). Money:
//! - rented (Azure VMs): $/hour × hours/month; power and space are in the price.
//! - owned (VAST hardware, DPU servers): capex straight-line over the amortisation
//!   period + energy (average kW × PUE × $/kWh) + space ($ per rack-month).
//! - Azure Blob: list $/GB-month on the logical bytes stored (Blob bills what is
//!   stored and does not reduce it). Its racks and power are Microsoft's, shown for
//!   the footprint comparison only.

use crate::capacity::{self, Capacity, EcRules};
use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use crate::units::{Bytes, Watts, GB, PB};
use serde::Serialize;

/// Above this many nodes a request is treated as impossible rather than searched.
pub const MAX_NODES: u64 = 10_000_000;

#[derive(Clone, Debug)]
pub struct Request {
    pub logical: Bytes,
    /// Data-reduction ratio applied to VAST shapes (Blob stores bytes as given).
    pub drr: Param,
}

#[derive(Clone, Debug, Serialize)]
pub struct Input {
    pub name: String,
    pub value: f64,
    pub source: String,
    pub confidence: Confidence,
}

#[derive(Clone, Debug, Serialize)]
pub struct Sizing {
    pub shape: String,
    pub kind: DeploymentKind,
    pub nodes: u64,
    pub racks: u64,
    /// "space" or "power": which limit set the rack count.
    pub rack_bound: &'static str,
    pub capacity: Capacity,
    pub drr: f64,
    pub kw_avg: f64,
    pub kw_peak: f64,
    /// Average draw × PUE.
    pub kw_facility: f64,
    pub capex_usd: f64,
    pub usd_per_month: f64,
    pub tco_3y_usd: f64,
    pub tco_5y_usd: f64,
    pub usd_per_usable_pb_month: f64,
    pub usd_per_logical_pb_month: f64,
    /// Every input this row rests on, least confident first.
    pub inputs: Vec<Input>,
    pub warnings: Vec<String>,
}

impl Sizing {
    pub fn least_confident(&self) -> &Input {
        &self.inputs[0]
    }
}

struct Used(Vec<Input>);

impl Used {
    fn take(&mut self, name: &str, p: &Param) -> f64 {
        if !self.0.iter().any(|i| i.name == name) {
            self.0.push(Input {
                name: name.to_string(),
                value: p.value,
                source: p.source.clone(),
                confidence: p.confidence,
            });
        }
        p.value
    }
    fn shape(&mut self, s: &Shape, name: &str) -> f64 {
        let p = s
            .param(name)
            .unwrap_or_else(|| panic!("catalog guarantees {}.{name}", s.id));
        self.take(&format!("{}.{name}", s.id), p)
    }
    fn global(&mut self, c: &Catalog, name: &str) -> Result<f64, InputError> {
        let p = c.assumption(name)?;
        Ok(self.take(name, p))
    }
}

/// Space, power and minimum count of one node.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Footprint {
    pub rack_units: f64,
    pub watts_avg: f64,
    pub watts_peak: f64,
    pub min_nodes: f64,
}

fn footprint(c: &Catalog, s: &Shape, u: &mut Used) -> Result<Footprint, InputError> {
    if s.kind == DeploymentKind::VastEboxCloudVm {
        // A VM takes `host_fraction` of one Azure server; Azure's servers per rack and
        // server power are not public, so both are (overridable) assumptions.
        let share = u.shape(s, f::HOST_FRACTION);
        let rack_u = u.global(c, "rack_units_usable")?;
        let per_rack = u.global(c, "azure_servers_per_rack")?;
        return Ok(Footprint {
            rack_units: rack_u / per_rack * share,
            watts_avg: u.global(c, "azure_host_watts_avg")? * share,
            watts_peak: u.global(c, "azure_host_watts_peak")? * share,
            min_nodes: u.global(c, "vast_cloud_min_vms")?,
        });
    }
    Ok(Footprint {
        rack_units: u.shape(s, f::RACK_UNITS),
        watts_avg: u.shape(s, f::WATTS_AVG),
        watts_peak: u.shape(s, f::WATTS_PEAK),
        min_nodes: u.shape(s, f::MIN_NODES),
    })
}

/// Per-node footprint with the current assumptions (for listings).
pub fn node_footprint(c: &Catalog, s: &Shape) -> Result<Footprint, InputError> {
    footprint(c, s, &mut Used(Vec::new()))
}

/// EC rules from the (overridable) assumptions.
pub fn ec_rules(c: &Catalog) -> Result<EcRules, InputError> {
    let int = |n: &str| -> Result<u32, InputError> {
        let v = c.assumption(n)?.value;
        if v.fract() != 0.0 || v < 1.0 {
            return Err(
                InputError::new("datasets/assumptions.csv", "must be a positive integer").field(n),
            );
        }
        Ok(v as u32)
    };
    Ok(EcRules {
        parity: int("vast_parity_strips")?,
        max_width: int("vast_max_stripe_width")?,
        min_data: int("vast_min_data_strips")?,
        strips_per_domain: int("vast_strips_per_failure_domain")?,
    })
}

/// Nodes of `shape` needed for `req`, with footprint and cost.
pub fn size(c: &Catalog, shape: &Shape, req: &Request) -> Result<Sizing, InputError> {
    let nodes = nodes_for_capacity(c, shape, req)?;
    size_at(c, shape, req, nodes)
}

/// The smallest node count of `shape` that holds `req` (at least the shape's minimum).
pub fn nodes_for_capacity(c: &Catalog, shape: &Shape, req: &Request) -> Result<u64, InputError> {
    let bad = |m: String| InputError::new("request", m);
    if !(req.logical.0.is_finite() && req.logical.0 > 0.0) {
        return Err(bad("logical capacity must be positive".into()).field("logical-pb"));
    }
    if !(req.drr.value.is_finite() && req.drr.value > 0.0) {
        return Err(bad("data-reduction ratio must be positive".into()).field("drr"));
    }
    let mut u = Used(Vec::new());
    let drives = u.shape(shape, f::DRIVES_PER_NODE);
    let drive = u.shape(shape, f::DRIVE_BYTES);
    let raw_node = Bytes(drives * drive);
    let fp = footprint(c, shape, &mut u)?;
    let min_nodes = fp.min_nodes.ceil().max(1.0) as u64;
    if raw_node.0 <= 0.0 {
        return Err(bad(format!("shape {} has no raw capacity", shape.id)));
    }

    let nodes = if shape.kind.is_vast() {
        let reserve = u.global(c, "vast_install_reserve")?;
        let rules = ec_rules(c)?;
        let drr = req.drr.value;
        let target = req.logical.0 / drr;
        // Usable grows with node count (wider stripes, more raw), so the first count
        // that holds the target is the answer. Start from a lower bound so exabyte
        // requests do not walk up from the minimum.
        let full =
            raw_node.0 * (1.0 - reserve) * rules.max_width.saturating_sub(rules.parity) as f64
                / rules.max_width as f64;
        // `full` is the most any node can hold, so target/full never overshoots.
        let mut n = min_nodes.max((target / full).floor() as u64).max(1);
        loop {
            if n > MAX_NODES {
                return Err(bad(format!(
                    "{} would need more than {MAX_NODES} nodes",
                    shape.id
                )));
            }
            if let Some(cap) = capacity::vast(raw_node, n, reserve, &rules, drr) {
                if cap.usable.0 >= target {
                    break n;
                }
            }
            n += 1;
        }
    } else {
        let overhead = u.shape(shape, f::RAW_PER_USABLE);
        let nodes = ((req.logical.0 * overhead / raw_node.0).ceil() as u64).max(min_nodes);
        if nodes > MAX_NODES {
            return Err(bad(format!(
                "{} would need more than {MAX_NODES} nodes",
                shape.id
            )));
        }
        nodes
    };
    Ok(nodes)
}

/// Capacity, footprint and cost of exactly `nodes` of `shape` (e.g. after growing a
/// cluster for bandwidth); `req` supplies the data-reduction ratio and, for Blob, the
/// billed bytes.
pub fn size_at(
    c: &Catalog,
    shape: &Shape,
    req: &Request,
    nodes: u64,
) -> Result<Sizing, InputError> {
    let bad = |m: String| InputError::new("request", m);
    let mut u = Used(Vec::new());
    let drives = u.shape(shape, f::DRIVES_PER_NODE);
    let drive = u.shape(shape, f::DRIVE_BYTES);
    let raw_node = Bytes(drives * drive);
    let fp = footprint(c, shape, &mut u)?;
    let (cap, drr) = if shape.kind.is_vast() {
        let reserve = u.global(c, "vast_install_reserve")?;
        let rules = ec_rules(c)?;
        for n in [
            "vast_parity_strips",
            "vast_max_stripe_width",
            "vast_strips_per_failure_domain",
        ] {
            u.global(c, n)?;
        }
        let drr = u.take("drr", &req.drr);
        let cap = capacity::vast(raw_node, nodes, reserve, &rules, drr).ok_or_else(|| {
            bad(format!(
                "{nodes} nodes of {} are too few for any legal stripe",
                shape.id
            ))
        })?;
        (cap, drr)
    } else {
        let overhead = u.shape(shape, f::RAW_PER_USABLE);
        (capacity::blob(raw_node, nodes, overhead), 1.0)
    };

    let n = nodes as f64;
    let ru = fp.rack_units * n;
    let w_avg = Watts(fp.watts_avg * n);
    let w_peak = Watts(fp.watts_peak * n);
    let rack_u = u.global(c, "rack_units_usable")?;
    let rack_kw = u.global(c, "rack_kw_limit")?;
    let by_space = (ru / rack_u).ceil() as u64;
    let by_power = (w_peak.kw() / rack_kw).ceil() as u64;
    let (racks, rack_bound) = if by_power > by_space {
        (by_power, "power")
    } else {
        (by_space, "space")
    };
    let pue = u.global(c, "pue")?;
    let hours = u.global(c, "hours_per_month")?;

    let mut capex = 0.0;
    let mut warnings = Vec::new();
    let monthly_run; // recurring $/month excluding capex
    match shape.kind {
        DeploymentKind::VastEboxCloudVm => {
            monthly_run = u.shape(shape, f::PRICE_USD_PER_HOUR) * hours * n;
        }
        DeploymentKind::AzureBlob => {
            let gb = req.logical.0 / GB;
            monthly_run = u.shape(shape, f::PRICE_USD_PER_GB_MONTH) * gb;
            let acct = shape
                .param("account_max_bytes")
                .map(|p| p.value)
                .unwrap_or(f64::INFINITY);
            let accounts = (req.logical.0 / acct).ceil();
            let limit = u.global(c, "blob_accounts_per_region")?;
            if accounts > limit {
                warnings.push(format!(
                    "needs {accounts} storage accounts at the default max size, over the {limit} per region per subscription"
                ));
            }
        }
        DeploymentKind::VastOwnHardware | DeploymentKind::VastBareMetalDpu => {
            capex = u.shape(shape, f::CAPEX_USD) * n;
            let kwh = u.global(c, "usd_per_kwh")?;
            let rack_month = u.global(c, "usd_per_rack_month")?;
            let energy = w_avg.kw() * pue * hours * kwh;
            monthly_run = energy + racks as f64 * rack_month;
        }
    }
    let amort = if capex > 0.0 {
        u.global(c, "amortisation_months")?
    } else {
        1.0
    };
    if shape.kind == DeploymentKind::VastOwnHardware {
        let limit = u.global(c, "vast_max_dboxes_per_cluster")?;
        if n > limit {
            warnings.push(format!(
                "{nodes} storage boxes exceed the {limit} per cluster VAST announced at launch: several clusters"
            ));
        }
    }
    let usd_per_month = monthly_run + capex / amort;
    let tco = |months: f64| capex + monthly_run * months;
    u.0.sort_by(|a, b| a.confidence.cmp(&b.confidence).then(a.name.cmp(&b.name)));
    Ok(Sizing {
        shape: shape.id.clone(),
        kind: shape.kind,
        nodes,
        racks,
        rack_bound,
        drr,
        kw_avg: w_avg.kw(),
        kw_peak: w_peak.kw(),
        kw_facility: w_avg.kw() * pue,
        capex_usd: capex,
        usd_per_month,
        tco_3y_usd: tco(36.0),
        tco_5y_usd: tco(60.0),
        usd_per_usable_pb_month: usd_per_month / (cap.usable.0 / PB),
        usd_per_logical_pb_month: usd_per_month / (cap.logical.0 / PB),
        capacity: cap,
        inputs: u.0,
        warnings,
    })
}
