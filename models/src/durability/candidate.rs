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
//! - aggregate rebuild bandwidth = the rebuild ceiling of the very pools the simulation
//!   and the closed form use (each pool's total capacity over its bytes per rebuilt byte,
//!   the least of them) × `durability_rebuild_share`, the share of the cluster a rebuild
//!   gets while clients run — so `size`, `durability` and `plan` (with or without the
//!   simulation) see one rebuild rate for one cluster;
//! - node loss (contents gone) and outage (contents intact) rates by kind: a cloud VM
//!   loses its local NVMe when moved off its host; VAST boxes keep their SSDs' data
//!   through enclosure faults.
//!
//! All of these are assumptions in `datasets/assumptions.csv` (confidence `estimate`) and
//! can be overridden by name or with the [`Overrides`] the command line fills.

use super::{Code, DurabilityInput};
use crate::bandwidth::pools_at;
use crate::capacity::EcRules;
use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::cluster::Counts;
use crate::error::InputError;
use crate::netmodel::NetOptions;
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

/// Rebuild bytes/s the cluster's pools allow with nothing else running: the least, over
/// pools a rebuild crosses, of total capacity over bytes per rebuilt byte. `None` when
/// no pool carries rebuild traffic (Blob repairs out of sight).
pub fn rebuild_ceiling(
    c: &Catalog,
    shape: &Shape,
    counts: Counts,
) -> Result<Option<f64>, InputError> {
    let pools = pools_at(c, shape, counts, 1.0, &NetOptions::default(), 0)?;
    Ok(pools
        .iter()
        .filter(|p| p.rebuild_cost > 0.0)
        .map(|p| p.total_capacity() / p.rebuild_cost)
        .min_by(f64::total_cmp))
}

/// Builds the durability input of a cluster of `counts` of `shape` (its storage boxes are
/// the failure domains).
pub fn candidate(
    c: &Catalog,
    shape: &Shape,
    counts: Counts,
    o: &Overrides,
) -> Result<Candidate, InputError> {
    let nodes = counts.storage as u64;
    // Command-line values pass the same ranges as the catalog's assumptions.
    for (name, v) in [
        ("durability_drive_afr", o.drive_afr),
        ("vast_box_loss_per_year", o.node_loss_per_year),
        ("vast_box_outage_per_year", o.node_outage_per_year),
        ("vast_box_outage_hours", o.node_outage_hours),
        ("durability_fill", o.fill),
        ("rebuild_bytes_per_s", o.rebuild_bytes_per_s),
        ("vast_strip_bytes", o.strip_bytes),
    ] {
        if let Some(v) = v {
            crate::catalog::rules::rule(name)
                .check(v)
                .map_err(|m| InputError::new("durability", m).field(name))?;
        }
    }
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

    let rebuild = match o.rebuild_bytes_per_s {
        Some(v) => u.take(
            "rebuild_bytes_per_s",
            &Param::new(v, "command line", Confidence::User),
        ),
        None => {
            let share = u.global(c, "durability_rebuild_share", None)?;
            match rebuild_ceiling(c, shape, counts)? {
                Some(r) => r * share,
                // The provider repairs out of sight: the slowest write path stands in.
                None => {
                    let slowest = [f::NETWORK_BPS, f::ACCOUNT_INGRESS_BPS]
                        .iter()
                        .filter_map(|k| u.shape(shape, k))
                        .fold(f64::INFINITY, f64::min);
                    if !slowest.is_finite() {
                        return Err(bad(format!(
                            "shape {} has no write or network bandwidth to rebuild with; give one",
                            shape.id
                        ))
                        .field("rebuild_bytes_per_s"));
                    }
                    nodes as f64 * slowest * share
                }
            }
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

/// The nines every command prints for one cluster, with what they rest on.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Nines {
    pub nines: f64,
    /// Where the figure comes from: the provider's publication, or our chain with its
    /// node-loss rate and rebuild rate.
    pub basis: String,
    /// Events per storage node-year that destroy its contents (chain only).
    pub node_loss_per_year: Option<f64>,
    /// Aggregate rebuild bytes/s the chain assumed (chain only).
    pub rebuild_bytes_per_s: Option<f64>,
}

/// Annual durability of `counts` of `shape` under `o`: for a layout the customer does not
/// control (Blob) the provider's published figure; otherwise the absorbing-chain model.
/// `size`, `durability`, `plan --no-sim` and `plan` all call this, so the same cluster
/// and assumptions give the same nines everywhere.
pub fn nines_of(
    c: &Catalog,
    shape: &Shape,
    counts: Counts,
    o: &Overrides,
) -> Result<Nines, InputError> {
    if let Some(p) = shape.param(f::DURABILITY_NINES) {
        return Ok(Nines {
            nines: p.value,
            basis: format!("published by the provider ({})", p.confidence),
            node_loss_per_year: None,
            rebuild_bytes_per_s: None,
        });
    }
    let cand = candidate(c, shape, counts, o)?;
    let out = super::evaluate(&cand.input)?;
    let loss = cand.input.domain_loss_per_year;
    let rebuild = cand.input.rebuild_bytes_per_s;
    Ok(Nines {
        nines: out.nines,
        basis: format!(
            "absorbing chain: node loss {loss} per node-year, rebuild {:.1} GB/s",
            rebuild / 1e9
        ),
        node_loss_per_year: Some(loss),
        rebuild_bytes_per_s: Some(rebuild),
    })
}
