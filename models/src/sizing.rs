//! Closed-form sizing: how many devices of a shape hold a logical capacity, what they
//! occupy and draw, and the whole monthly cost by part.
//!
//! Capacity sets the storage count (DBoxes, EBoxes, VMs, servers). For a disaggregated
//! VAST shape the CNode count is a separate decision (performance, see `bandwidth`);
//! capacity alone asks only the shape's minimum. Racks are the larger of the space bound
//! (rack units) and the power bound (peak kW per rack). Money: see `cost`.

use crate::bom::{self, BomItem, Inputs};
use crate::capacity::{self, Capacity, EcRules};
use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::cluster::Counts;
use crate::cost::{amortised, owned_capex, MonthlyCost, VmPricing};
use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use crate::units::{Bytes, Watts, GB, PB, TB};
use serde::Serialize;

/// Above this many nodes a request is treated as impossible rather than searched.
pub const MAX_NODES: u64 = 10_000_000;

/// What is asked of a cluster, beyond which shape and how many.
#[derive(Clone, Debug)]
pub struct Request {
    pub logical: Bytes,
    /// Data-reduction ratio applied to VAST shapes (Blob stores bytes as given).
    pub drr: Param,
    /// Mean client read and write, bytes/s: what Blob's transactions are billed on.
    pub read_bps: f64,
    pub write_bps: f64,
    pub vm_pricing: VmPricing,
}

impl Request {
    pub fn new(logical: Bytes, drr: Param) -> Request {
        Request {
            logical,
            drr,
            read_bps: 0.0,
            write_bps: 0.0,
            vm_pricing: VmPricing::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Input {
    pub name: String,
    pub value: f64,
    pub source: String,
    pub confidence: Confidence,
}

/// Which limit set the rack count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RackBound {
    Space,
    Power,
}

impl RackBound {
    pub fn as_str(self) -> &'static str {
        match self {
            RackBound::Space => "space",
            RackBound::Power => "power",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Sizing {
    pub shape: String,
    pub kind: DeploymentKind,
    /// Storage devices: DBoxes, EBoxes, VMs, servers (Blob: estimated storage nodes).
    pub nodes: u64,
    /// Protocol servers: CNodes when disaggregated, else equal to `nodes`.
    pub compute_nodes: u64,
    pub racks: u64,
    pub rack_bound: RackBound,
    pub capacity: Capacity,
    pub drr: f64,
    pub kw_avg: f64,
    pub kw_peak: f64,
    /// Average draw × PUE.
    pub kw_facility: f64,
    pub capex_usd: f64,
    pub bom: Vec<BomItem>,
    pub cost: MonthlyCost,
    /// `cost.total()`.
    pub usd_per_month: f64,
    pub vm_pricing: VmPricing,
    /// VM rows: the same cluster at each pricing term, USD per month (else empty).
    pub vm_terms: Vec<(VmPricing, f64)>,
    pub tco_3y_usd: f64,
    pub tco_5y_usd: f64,
    pub usd_per_usable_tb_month: f64,
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
    pub fn counts(&self) -> Counts {
        Counts::new(to_u32(self.nodes), to_u32(self.compute_nodes))
    }
}

/// A count as u32, saturating: every count reaching the network model was bounded by
/// `MAX_NODES` first.
pub fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) struct Used(pub(crate) Vec<Input>);

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
}

impl Inputs for Used {
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

/// Space, power and minimum count of one storage node.
#[derive(Clone, Debug, Serialize)]
pub struct Footprint {
    pub rack_units: f64,
    pub watts_avg: f64,
    pub watts_peak: f64,
    pub min_nodes: f64,
    pub source: String,
    pub confidence: Confidence,
}

pub(crate) fn footprint(
    c: &Catalog,
    s: &Shape,
    u: &mut dyn Inputs,
) -> Result<Footprint, InputError> {
    if s.kind == DeploymentKind::VastEboxCloudVm {
        // A VM takes `host_fraction` of one Azure server; Azure's servers per rack and
        // server power are not public, so both are (overridable) assumptions.
        let share = u.shape(s, f::HOST_FRACTION);
        let rack_u = u.global(c, "rack_units_usable")?;
        let per_rack = u.global(c, "azure_servers_per_rack")?;
        let w = c.assumption("azure_host_watts_avg")?;
        return Ok(Footprint {
            rack_units: rack_u / per_rack * share,
            watts_avg: u.global(c, "azure_host_watts_avg")? * share,
            watts_peak: u.global(c, "azure_host_watts_peak")? * share,
            min_nodes: u.global(c, "vast_cloud_min_vms")?,
            source: w.source.clone(),
            confidence: w.confidence,
        });
    }
    let w = s
        .param(f::WATTS_AVG)
        .cloned()
        .unwrap_or_else(|| Param::new(0.0, "catalog", Confidence::Published));
    Ok(Footprint {
        rack_units: u.shape(s, f::RACK_UNITS),
        watts_avg: u.shape(s, f::WATTS_AVG),
        watts_peak: u.shape(s, f::WATTS_PEAK),
        min_nodes: u.shape(s, f::MIN_NODES),
        source: w.source,
        confidence: w.confidence,
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
        if v.fract() != 0.0 || !(1.0..=1e6).contains(&v) {
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

/// The fewest devices of each kind a cluster of `storage` storage nodes ships with: the
/// same count when converged; the shape's minimum CNodes, in whole chassis, otherwise.
pub fn min_counts(shape: &Shape, storage: u64) -> Counts {
    let storage = to_u32(storage);
    if !shape.is_disaggregated() {
        return Counts::converged(storage);
    }
    Counts::new(
        storage,
        whole_chassis(shape, shape.value(f::MIN_CNODES).max(1.0) as u32),
    )
}

/// Counts for `storage` storage devices and, when disaggregated, `compute` CNodes (in
/// whole chassis; `None`: the shape's minimum). A converged shape ignores `compute`.
pub fn counts_for(shape: &Shape, storage: u64, compute: Option<u32>) -> Counts {
    match compute {
        Some(c) if shape.is_disaggregated() => {
            Counts::new(to_u32(storage), whole_chassis(shape, c.max(1)))
        }
        _ => min_counts(shape, storage),
    }
}

/// `cnodes` rounded up to whole CNode chassis (a CBox ships all its CNodes).
pub fn whole_chassis(shape: &Shape, cnodes: u32) -> u32 {
    let per = shape.value(f::CNODES_PER_CHASSIS).max(1.0) as u32;
    cnodes.div_ceil(per).saturating_mul(per)
}

/// Storage count and minimum compute count of `shape` for `req`, with footprint and cost.
pub fn size(c: &Catalog, shape: &Shape, req: &Request) -> Result<Sizing, InputError> {
    let nodes = nodes_for_capacity(c, shape, req)?;
    size_at(c, shape, req, min_counts(shape, nodes))
}

/// Usable capacity of `nodes` VAST storage boxes: the published formula, capped by the
/// field tool's per-box usable where the catalog has it.
fn vast_capacity(
    c: &Catalog,
    shape: &Shape,
    nodes: u64,
    drr: f64,
    u: &mut Used,
) -> Result<Option<Capacity>, InputError> {
    let raw_node = Bytes(u.shape(shape, f::DRIVES_PER_NODE) * u.shape(shape, f::DRIVE_BYTES));
    let reserve = u.global(c, "vast_install_reserve")?;
    let rules = ec_rules(c)?;
    for n in [
        "vast_parity_strips",
        "vast_max_stripe_width",
        "vast_min_data_strips",
        "vast_strips_per_failure_domain",
    ] {
        u.global(c, n)?;
    }
    let Some(cap) = capacity::vast(raw_node, nodes, reserve, &rules, drr) else {
        return Ok(None);
    };
    Ok(Some(match shape.param(f::USABLE_BYTES_PER_NODE) {
        Some(_) => cap.capped(Bytes(u.shape(shape, f::USABLE_BYTES_PER_NODE)), nodes),
        None => cap,
    }))
}

/// The smallest storage count of `shape` that holds `req` (at least the shape's minimum).
pub fn nodes_for_capacity(c: &Catalog, shape: &Shape, req: &Request) -> Result<u64, InputError> {
    let bad = |m: String| InputError::new("request", m);
    if !(req.logical.0.is_finite() && req.logical.0 > 0.0) {
        return Err(bad("logical capacity must be positive".into()).field("logical-pb"));
    }
    if !(req.drr.value.is_finite() && req.drr.value > 0.0) {
        return Err(bad("data-reduction ratio must be positive".into()).field("drr"));
    }
    let mut u = Used(Vec::new());
    let raw_node = Bytes(u.shape(shape, f::DRIVES_PER_NODE) * u.shape(shape, f::DRIVE_BYTES));
    let fp = footprint(c, shape, &mut u)?;
    let min_nodes = fp.min_nodes.ceil().max(1.0) as u64;
    if raw_node.0 <= 0.0 {
        return Err(bad(format!("shape {} has no raw capacity", shape.id)));
    }
    let too_many = || {
        bad(format!(
            "{} would need more than {MAX_NODES} nodes",
            shape.id
        ))
    };
    if shape.kind.is_vast() {
        let drr = req.drr.value;
        let target = req.logical.0 / drr;
        // Usable grows with node count (wider stripes, more raw), so the first count
        // that holds the target is the answer. Start from a lower bound (the most any
        // node can hold) so exabyte requests do not walk up from the minimum.
        let full = Bytes(raw_node.0 * 1e6);
        let best = vast_capacity(c, shape, 1_000_000, 1.0, &mut u)?
            .map_or(raw_node.0, |cap| cap.usable.0 / 1e6)
            .min(full.0);
        let lower = (target / best).floor();
        if lower > MAX_NODES as f64 {
            return Err(too_many());
        }
        let mut n = min_nodes.max(lower as u64).max(1);
        loop {
            if n > MAX_NODES {
                return Err(too_many());
            }
            if let Some(cap) = vast_capacity(c, shape, n, drr, &mut u)? {
                if cap.usable.0 >= target {
                    return Ok(n);
                }
            }
            n += 1;
        }
    }
    let overhead = u.shape(shape, f::RAW_PER_USABLE);
    let nodes = (req.logical.0 * overhead / raw_node.0).ceil();
    if nodes > MAX_NODES as f64 {
        return Err(too_many());
    }
    Ok((nodes as u64).max(min_nodes))
}

/// Capacity, bill of materials, footprint and cost of exactly `counts` of `shape` (e.g.
/// after growing a cluster for bandwidth); `req` supplies the data-reduction ratio and,
/// for Blob, the billed bytes and traffic.
pub fn size_at(
    c: &Catalog,
    shape: &Shape,
    req: &Request,
    counts: Counts,
) -> Result<Sizing, InputError> {
    let bad = |m: String| InputError::new("request", m);
    let nodes = counts.storage as u64;
    let mut u = Used(Vec::new());
    let raw_node = Bytes(u.shape(shape, f::DRIVES_PER_NODE) * u.shape(shape, f::DRIVE_BYTES));
    let (cap, drr) = if shape.kind.is_vast() {
        let drr = u.take("drr", &req.drr);
        let cap = vast_capacity(c, shape, nodes, drr, &mut u)?.ok_or_else(|| {
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
    let bom = bom::bill(c, shape, counts, &mut u)?;
    let ru: f64 = bom.iter().map(BomItem::rack_units).sum();
    let w_avg = Watts(bom.iter().map(BomItem::watts_avg).sum());
    let w_peak = Watts(bom.iter().map(BomItem::watts_peak).sum());
    let rack_u = u.global(c, "rack_units_usable")?;
    let rack_kw = u.global(c, "rack_kw_limit")?;
    let by_space = (ru / rack_u).ceil();
    let by_power = (w_peak.kw() / rack_kw).ceil();
    let (racks, rack_bound) = if by_power > by_space {
        (by_power, RackBound::Power)
    } else {
        (by_space, RackBound::Space)
    };
    let pue = u.global(c, "pue")?;
    let hours = u.global(c, "hours_per_month")?;
    let n = nodes as f64;
    let usable_tb = cap.usable.0 / TB;

    let mut cost = MonthlyCost::default();
    let mut warnings = Vec::new();
    let mut vm_terms = Vec::new();
    let (device_capex, network_capex) = owned_capex(&bom);
    let capex = device_capex + network_capex;
    if shape.kind.is_vast() {
        cost.software = u.global(c, "vast_licence_usd_per_usable_tb_month")? * usable_tb;
    }
    match shape.kind {
        DeploymentKind::VastEboxCloudVm => {
            let payg = u.shape(shape, f::PRICE_USD_PER_HOUR) * hours * n;
            for term in [
                VmPricing::PayAsYouGo,
                VmPricing::Reserved1y,
                VmPricing::Reserved3y,
            ] {
                let off = match term.discount_assumption() {
                    Some(a) => u.global(c, a)?,
                    None => 0.0,
                };
                let hw = payg * (1.0 - off);
                vm_terms.push((term, hw));
                if term == req.vm_pricing {
                    cost.hardware = hw;
                }
            }
        }
        DeploymentKind::AzureBlob => {
            cost.hardware = u.shape(shape, f::PRICE_USD_PER_GB_MONTH) * req.logical.0 / GB;
            if req.read_bps > 0.0 || req.write_bps > 0.0 {
                // Each op moves one block; the stated traffic is taken as sustained.
                let op = u.global(c, "blob_op_bytes")?;
                let secs = hours * 3600.0;
                let ops = |bps: f64| bps * secs / op / 1e4;
                cost.network = ops(req.read_bps) * u.global(c, "blob_read_usd_per_10k_ops")?
                    + ops(req.write_bps) * u.global(c, "blob_write_usd_per_10k_ops")?
                    + req.read_bps * secs / GB * u.global(c, "blob_egress_usd_per_gb")?;
            }
            let acct = shape.value(f::ACCOUNT_MAX_BYTES);
            let accounts = (req.logical.0 / acct).ceil();
            let limit = u.global(c, "blob_accounts_per_region")?;
            if accounts > limit {
                warnings.push(format!(
                    "needs {accounts} storage accounts at the default max size, over the {limit} per region per subscription"
                ));
            }
        }
        DeploymentKind::VastOwnHardware | DeploymentKind::VastBareMetalDpu => {
            let months = u.global(c, "amortisation_months")?;
            let rate = u.global(c, "cost_of_money_per_year")?;
            cost.hardware = amortised(device_capex, months, rate);
            cost.network = amortised(network_capex, months, rate);
            cost.facility = w_peak.kw() * u.global(c, "facility_usd_per_kw_month")?
                + w_avg.kw() * pue * hours * u.global(c, "usd_per_kwh")?;
            cost.support = capex * u.global(c, "support_fraction_of_capex_per_year")? / 12.0;
        }
    }
    if shape.kind == DeploymentKind::VastOwnHardware {
        let limit = u.global(c, "vast_max_dboxes_per_cluster")?;
        if n > limit {
            warnings.push(format!(
                "{nodes} storage boxes exceed the {limit} per cluster VAST announced at launch: several clusters"
            ));
        }
    }
    let usd_per_month = cost.total();
    u.0.sort_by(|a, b| a.confidence.cmp(&b.confidence).then(a.name.cmp(&b.name)));
    Ok(Sizing {
        shape: shape.id.clone(),
        kind: shape.kind,
        nodes,
        compute_nodes: counts.compute as u64,
        racks: racks as u64,
        rack_bound,
        drr,
        kw_avg: w_avg.kw(),
        kw_peak: w_peak.kw(),
        kw_facility: w_avg.kw() * pue,
        capex_usd: capex,
        bom,
        cost,
        usd_per_month,
        vm_pricing: req.vm_pricing,
        vm_terms,
        tco_3y_usd: usd_per_month * 36.0,
        tco_5y_usd: usd_per_month * 60.0,
        usd_per_usable_tb_month: usd_per_month / usable_tb,
        usd_per_usable_pb_month: usd_per_month / (cap.usable.0 / PB),
        usd_per_logical_pb_month: usd_per_month / (cap.logical.0 / PB),
        capacity: cap,
        inputs: u.0,
        warnings,
    })
}
