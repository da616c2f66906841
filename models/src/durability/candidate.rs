//! A catalog shape × node count → [`DurabilityInput`], every number named with its source.
//!
//! Mapping, per deployment kind:
//! - drives = nodes × drives per node; one node (DBox+CNodes set, EBox, VM, DPU server) is
//!   one failure domain;
//! - VAST stripe: the capacity model's (`EcRules::stripe`, the same D+P the sizing uses);
//!   layout rule `vast_strips_per_failure_domain` (DBox-HA: 2) or none (`Classic`);
//! - Blob: LRC(12,2,2) when the shape's raw/usable is below 2 (sealed standard data),
//!   else 3 replicas; one fragment per node;
//! - bytes to rebuild per drive = drive size × `durability_fill`;
//! - aggregate rebuild bandwidth = nodes × (slowest of the node's write paths: client
//!   write, NVMe write, network, DPU PCIe) × `durability_rebuild_share` — an assumption
//!   until the simulation measures rebuild under load;
//! - node loss (contents gone) and outage (contents intact) rates by kind: a cloud VM
//!   loses its local NVMe when moved off its host; VAST boxes keep their SSDs' data
//!   through enclosure faults.
//!
//! All of these are assumptions in `datasets/assumptions.csv` (confidence `estimate`) and
//! can be overridden by name or with the [`Overrides`] the command line fills.

use super::{Code, DurabilityInput};
use crate::capacity::EcRules;
use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use crate::sizing::{ec_rules, Input};

/// Where the strips of a stripe may sit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// At most `vast_strips_per_failure_domain` strips per node (DBox-HA).
    #[default]
    DomainHa,
    /// No per-node limit ("VAST Classic" ignores DBox placement: rack-level-resilience
    /// blog part one).
    Classic,
}

/// User values that replace assumptions (all optional).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub drive_afr: Option<f64>,
    pub node_loss_per_year: Option<f64>,
    pub node_outage_per_year: Option<f64>,
    pub node_outage_hours: Option<f64>,
    pub rebuild_bytes_per_s: Option<f64>,
    pub fill: Option<f64>,
    pub strip_bytes: Option<f64>,
    pub layout: Layout,
}

/// The model input for one candidate, with the inputs it rests on.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub input: DurabilityInput,
    pub used: Vec<Input>,
}

impl Candidate {
    /// The least trustworthy input (first of equals).
    pub fn least_confident(&self) -> Option<&Input> {
        self.used.iter().min_by_key(|i| i.confidence)
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
    fn global(&mut self, c: &Catalog, name: &str, user: Option<f64>) -> Result<f64, InputError> {
        match user {
            Some(v) => Ok(self.take(name, &Param::new(v, "command line", Confidence::User))),
            None => Ok(self.take(name, c.assumption(name)?)),
        }
    }
    fn shape(&mut self, s: &Shape, name: &str) -> Option<f64> {
        let p = s.param(name)?;
        Some(self.take(&format!("{}.{name}", s.id), p))
    }
}

/// Builds the durability input of `nodes` nodes of `shape`.
pub fn candidate(
    c: &Catalog,
    shape: &Shape,
    nodes: u64,
    o: &Overrides,
) -> Result<Candidate, InputError> {
    let bad = |m: String| InputError::new("durability", m);
    if nodes == 0 {
        return Err(bad("need at least one node".into()).field("nodes"));
    }
    let mut u = Used(Vec::new());
    let per_node = u
        .shape(shape, f::DRIVES_PER_NODE)
        .ok_or_else(|| bad(format!("shape {} lists no drives", shape.id)))?;
    let drive = u
        .shape(shape, f::DRIVE_BYTES)
        .ok_or_else(|| bad(format!("shape {} lists no drive size", shape.id)))?;
    if per_node < 1.0 || per_node.fract() != 0.0 || drive <= 0.0 {
        return Err(bad(format!(
            "shape {} needs a whole number of drives ≥ 1 with a size > 0",
            shape.id
        )));
    }
    let drives = nodes
        .checked_mul(per_node as u64)
        .ok_or_else(|| bad("too many drives".into()).field("nodes"))?;

    let fill = u.global(c, "durability_fill", o.fill)?;
    if !(fill > 0.0 && fill <= 1.0) {
        return Err(bad(format!("fill must be in (0, 1], got {fill}")).field("durability_fill"));
    }
    let afr = u.global(c, "durability_drive_afr", o.drive_afr)?;

    // The slowest write path of a node bounds what it can contribute to a rebuild.
    let paths: Vec<f64> = [
        f::CLIENT_WRITE_BPS,
        f::NVME_WRITE_BPS,
        f::NETWORK_BPS,
        "dpu_pcie_bps",
    ]
    .iter()
    .filter_map(|k| u.shape(shape, k))
    .collect();
    let rebuild = match o.rebuild_bytes_per_s {
        Some(v) => u.take(
            "rebuild_bytes_per_s",
            &Param::new(v, "command line", Confidence::User),
        ),
        None => {
            let slowest = paths.iter().cloned().fold(f64::INFINITY, f64::min);
            if !slowest.is_finite() {
                return Err(bad(format!(
                    "shape {} has no write or network bandwidth to rebuild with; give one",
                    shape.id
                ))
                .field("rebuild_bytes_per_s"));
            }
            nodes as f64 * slowest * u.global(c, "durability_rebuild_share", None)?
        }
    };

    let (code, per_domain, strip, loss, outage, hours) = match shape.kind {
        DeploymentKind::AzureBlob => {
            let overhead = u.shape(shape, f::RAW_PER_USABLE).unwrap_or(3.0);
            let code = if overhead < 2.0 {
                Code::Lrc {
                    data: 12,
                    local_groups: 2,
                    global: 2,
                }
            } else {
                Code::replicas(3)
            };
            let w = code.width() as u64;
            (
                code,
                w.div_ceil(nodes).max(1) as u32,
                u.global(c, "blob_extent_bytes", o.strip_bytes)?,
                u.global(c, "blob_node_loss_per_year", o.node_loss_per_year)?,
                u.global(c, "blob_node_outage_per_year", o.node_outage_per_year)?,
                u.global(c, "blob_node_outage_hours", o.node_outage_hours)?,
            )
        }
        kind => {
            let rules: EcRules = ec_rules(c)?;
            for n in [
                "vast_parity_strips",
                "vast_max_stripe_width",
                "vast_min_data_strips",
                "vast_strips_per_failure_domain",
            ] {
                u.global(c, n, None)?;
            }
            let (d, p) = rules.stripe(nodes).ok_or_else(|| {
                bad(format!(
                    "{nodes} nodes are too few for a VAST stripe (≥ {}+{} at ≤ {} per node)",
                    rules.min_data, rules.parity, rules.strips_per_domain
                ))
                .field("nodes")
            })?;
            let per_domain = match o.layout {
                Layout::DomainHa => rules.strips_per_domain,
                Layout::Classic => u32::MAX,
            };
            let (l, out, h) = if kind == DeploymentKind::VastEboxCloudVm {
                (
                    u.global(c, "azure_vm_nvme_loss_per_year", o.node_loss_per_year)?,
                    u.global(c, "azure_vm_outage_per_year", o.node_outage_per_year)?,
                    u.global(c, "azure_vm_outage_hours", o.node_outage_hours)?,
                )
            } else {
                (
                    u.global(c, "vast_box_loss_per_year", o.node_loss_per_year)?,
                    u.global(c, "vast_box_outage_per_year", o.node_outage_per_year)?,
                    u.global(c, "vast_box_outage_hours", o.node_outage_hours)?,
                )
            };
            (
                Code::mds(d, p),
                per_domain,
                u.global(c, "vast_strip_bytes", o.strip_bytes)?,
                l,
                out,
                h,
            )
        }
    };
    Ok(Candidate {
        input: DurabilityInput {
            drives,
            drive_bytes: drive * fill,
            drive_afr: afr,
            domains: nodes,
            domain_loss_per_year: loss,
            domain_outage_per_year: outage,
            domain_outage_hours: hours,
            strips_per_domain_max: per_domain,
            code,
            strip_bytes: strip,
            rebuild_bytes_per_s: rebuild,
        },
        used: u.0,
    })
}
