//! What each part of the recommended node is worth: the same scenario planned again with
//! one part changed (one more drive, 100 Gbps more egress, 32 cores fewer), through the
//! same closed form, and what that changes in $/month and in which resource binds.

use super::node::{node, Spec};
use super::search::plan_point;
use super::space::Space;
use crate::catalog::{Catalog, NO_DPU};
use crate::error::InputError;
use crate::plan::{CandidatePlan, Targets};
use crate::scenario::Scenario;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Marginal {
    /// The change, in words.
    pub change: String,
    pub id: String,
    /// Why the changed node could not be built as specified (it is still planned, so
    /// the value of the part is known even where a chassis would have to change).
    pub infeasible: Option<String>,
    pub nodes: u64,
    pub racks: u64,
    pub usd_per_month: f64,
    /// Against the recommended node; negative is a saving.
    pub delta_usd_per_month: f64,
    /// Of that change, the VAST licence's part (the rest is hardware, facility and
    /// support): a part that adds usable TB mostly moves the licence, not the hardware.
    pub delta_software_usd_per_month: f64,
    pub usd_per_usable_tb_month: f64,
    pub read_ceiling_bps: f64,
    pub binding: String,
    pub met: bool,
    pub missed: Vec<String>,
}

/// The changes the spec sheet prices; `dpus` is the DPU axis (to swap the node's DPU).
pub fn changes(s: &Spec, dpus: &[String]) -> Vec<(String, Spec)> {
    let mut out = vec![
        (
            "one more drive".to_string(),
            Spec {
                drives: s.drives + 1,
                ..s.clone()
            },
        ),
        (
            "100 Gbps more egress".to_string(),
            Spec {
                egress_gbps: s.egress_gbps + 100,
                ..s.clone()
            },
        ),
    ];
    // 32 cores fewer, or half of them on a node that has no more than 32.
    let fewer = if s.cores > 32 { 32 } else { s.cores / 2 };
    if fewer > 0 {
        out.push((
            format!("{fewer} cores fewer"),
            Spec {
                cores: s.cores - fewer,
                ..s.clone()
            },
        ));
    }
    // What the DPU is worth: the same node without it, or with the axis's first DPU.
    let other = if s.dpu == NO_DPU {
        dpus.iter().find(|d| *d != NO_DPU)
    } else {
        dpus.iter().find(|d| *d == NO_DPU)
    };
    if let Some(o) = other {
        let what = if o == NO_DPU {
            "no DPU".to_string()
        } else {
            format!("with DPU {o}")
        };
        out.push((
            what,
            Spec {
                dpu: o.clone(),
                ..s.clone()
            },
        ));
    }
    out
}

/// Plans each change of `base` (the recommended node's spec and its plan).
pub fn marginals(
    cat: &Catalog,
    sc: &Scenario,
    space: &Space,
    t: &Targets,
    base: (&Spec, &CandidatePlan),
    file: &str,
) -> Result<Vec<Marginal>, InputError> {
    let (spec, plan) = base;
    let mut out = Vec::new();
    for (change, s) in changes(spec, &space.axes.dpus) {
        let n = node(space, &cat.server_parts, &s);
        // A node with no vCPUs left for VAST, or asked for more than its DPU's ports,
        // has no meaningful price: it is reported unpriced rather than priced on a
        // fiction. One that only outgrows its bays or lanes is still priced.
        let unpriced = if n.vcpus < 1.0 {
            n.infeasible.clone()
        } else {
            None
        };
        let planned = match unpriced {
            Some(why) => Err(why),
            None => match plan_point(cat, sc, space, t, &n, file) {
                Ok(p) => Ok(p),
                Err(e) if e.field.as_deref() == Some("network_gbps") => Err(e.message),
                Err(e) => return Err(e),
            },
        };
        let p = match planned {
            Ok(p) => p,
            Err(why) => {
                out.push(Marginal {
                    change,
                    id: s.id(),
                    infeasible: Some(why),
                    nodes: 0,
                    racks: 0,
                    usd_per_month: f64::NAN,
                    delta_usd_per_month: f64::NAN,
                    delta_software_usd_per_month: f64::NAN,
                    usd_per_usable_tb_month: f64::NAN,
                    read_ceiling_bps: f64::NAN,
                    binding: "-".into(),
                    met: false,
                    missed: vec![],
                });
                continue;
            }
        };
        out.push(Marginal {
            change,
            id: s.id(),
            infeasible: n.infeasible.clone(),
            nodes: p.nodes,
            racks: p.sizing.racks,
            usd_per_month: p.sizing.usd_per_month,
            delta_usd_per_month: p.sizing.usd_per_month - plan.sizing.usd_per_month,
            delta_software_usd_per_month: p.sizing.cost.software - plan.sizing.cost.software,
            usd_per_usable_tb_month: p.sizing.usd_per_usable_tb_month,
            read_ceiling_bps: p.read_ceiling_bps,
            binding: p.binding.clone(),
            met: p.met,
            missed: p.missed.clone(),
        });
    }
    Ok(out)
}
