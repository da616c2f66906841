//! The bill of materials of a sized cluster: every device it needs, with its count,
//! unit cost, space and power, and where each number came from.
//!
//! Switches follow VAST's field sizing tool: each DBox takes two ports on each switch of
//! a mirrored leaf pair (one per DNode), each CNode (or EBox) one; a 64-port leaf keeps
//! some ports for ISLs and uplinks, so a pair serves `switch_node_ports` node ports per
//! switch. More than one leaf pair needs a spine pair.

use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::cluster::Counts;
use crate::error::InputError;
use crate::provenance::Confidence;
use serde::Serialize;

/// What a line of the bill is for; the cost model splits money by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemRole {
    /// Boxes that hold data (DBoxes, EBoxes, DPU servers).
    Storage,
    /// Boxes that serve protocols (CNode chassis).
    Compute,
    /// Leaf and spine switches.
    Network,
    /// Rented capacity (VMs, Blob): no owned device.
    Service,
}

#[derive(Clone, Debug, Serialize)]
pub struct BomItem {
    pub item: String,
    pub role: ItemRole,
    pub count: u64,
    /// Purchase price of one, USD (0 for rented items).
    pub unit_capex_usd: f64,
    pub unit_rack_units: f64,
    pub unit_watts_avg: f64,
    pub unit_watts_peak: f64,
    pub source: String,
    pub confidence: Confidence,
}

impl BomItem {
    pub fn capex(&self) -> f64 {
        self.unit_capex_usd * self.count as f64
    }
    pub fn rack_units(&self) -> f64 {
        self.unit_rack_units * self.count as f64
    }
    pub fn watts_avg(&self) -> f64 {
        self.unit_watts_avg * self.count as f64
    }
    pub fn watts_peak(&self) -> f64 {
        self.unit_watts_peak * self.count as f64
    }
}

/// Reads a parameter and remembers it as an input of the result.
pub(crate) trait Inputs {
    fn shape(&mut self, s: &Shape, name: &str) -> f64;
    fn global(&mut self, c: &Catalog, name: &str) -> Result<f64, InputError>;
}

/// Switches for `ports` node ports per switch: a mirrored leaf pair per `per_switch`
/// ports, and a spine pair for every `leaf_pairs_per_spine` leaf pairs once there is more
/// than one leaf pair.
pub fn switch_count(ports: f64, per_switch: f64, leaf_pairs_per_spine: f64) -> u64 {
    let leaf_pairs = (ports / per_switch.max(1.0)).ceil().max(1.0);
    let spine_pairs = if leaf_pairs > 1.0 {
        (leaf_pairs / leaf_pairs_per_spine.max(1.0)).ceil()
    } else {
        0.0
    };
    (2.0 * (leaf_pairs + spine_pairs)) as u64
}

/// CNode chassis for `compute` CNodes.
pub fn cnode_chassis(s: &Shape, compute: u32) -> u64 {
    let per = s.value(f::CNODES_PER_CHASSIS).max(1.0) as u64;
    (compute as u64).div_ceil(per)
}

/// The owned devices of `shape` at `counts` (rented shapes return one service line).
pub(crate) fn bill(
    c: &Catalog,
    s: &Shape,
    counts: Counts,
    u: &mut dyn Inputs,
) -> Result<Vec<BomItem>, InputError> {
    let p = |name: &str| {
        s.param(name)
            .cloned()
            .unwrap_or_else(|| panic!("catalog guarantees {}.{name}", s.id))
    };
    // One line of owned devices: `fields` are its capex, rack units, average and peak watts.
    let line = |item: String, role, count: u64, fields: [&str; 4], u: &mut dyn Inputs| {
        let [capex, ru, wa, wp] = fields;
        BomItem {
            item,
            role,
            count,
            unit_capex_usd: u.shape(s, capex),
            unit_rack_units: u.shape(s, ru),
            unit_watts_avg: u.shape(s, wa),
            unit_watts_peak: u.shape(s, wp),
            source: p(capex).source,
            confidence: fields
                .iter()
                .map(|n| p(n).confidence)
                .min()
                .unwrap_or(Confidence::Published),
        }
    };
    const BOX: [&str; 4] = [f::CAPEX_USD, f::RACK_UNITS, f::WATTS_AVG, f::WATTS_PEAK];
    const CNODE: [&str; 4] = [
        f::CNODE_CHASSIS_CAPEX_USD,
        f::CNODE_CHASSIS_RACK_UNITS,
        f::CNODE_CHASSIS_WATTS_AVG,
        f::CNODE_CHASSIS_WATTS_PEAK,
    ];
    const SWITCH: [&str; 4] = [
        f::SWITCH_CAPEX_USD,
        f::SWITCH_RACK_UNITS,
        f::SWITCH_WATTS_AVG,
        f::SWITCH_WATTS_PEAK,
    ];
    let component = |i: usize| s.components.get(i).cloned().unwrap_or_else(|| s.id.clone());
    let storage = counts.storage as u64;
    let mut out = Vec::new();
    match s.kind {
        DeploymentKind::VastOwnHardware => {
            // An EBox takes the ports of one CNode on each switch of the pair.
            let per_cnode = u.global(c, "vast_cnode_ports_per_switch")?;
            let ports = if s.is_disaggregated() {
                let name = format!("DBox {}", component(0));
                out.push(line(name, ItemRole::Storage, storage, BOX, u));
                u.shape(s, f::CNODES_PER_CHASSIS);
                let name = format!("CNode chassis {}", component(1));
                let chassis = cnode_chassis(s, counts.compute);
                out.push(line(name, ItemRole::Compute, chassis, CNODE, u));
                counts.storage as f64 * u.global(c, "vast_dbox_ports_per_switch")?
                    + counts.compute as f64 * per_cnode
            } else {
                let name = format!("EBox {}", component(0));
                out.push(line(name, ItemRole::Storage, storage, BOX, u));
                counts.storage as f64 * per_cnode
            };
            let switches = switch_count(
                ports,
                u.global(c, "switch_node_ports")?,
                u.global(c, "leaf_pairs_per_spine_pair")?,
            );
            let name = format!(
                "switch {}",
                s.components.last().cloned().unwrap_or_default()
            );
            out.push(line(name, ItemRole::Network, switches, SWITCH, u));
        }
        DeploymentKind::VastBareMetalDpu => {
            let name = format!("server {} (DPU, hypothetical)", s.id);
            out.push(line(name, ItemRole::Storage, storage, BOX, u));
        }
        DeploymentKind::VastEboxCloudVm | DeploymentKind::AzureBlob => {
            // Space and power of a rented node are Microsoft's; they are shown for the
            // footprint comparison only (see `sizing::footprint`).
            let fp = crate::sizing::footprint(c, s, u)?;
            let what = if s.kind == DeploymentKind::AzureBlob {
                "Blob storage node (Microsoft's, estimated)"
            } else {
                "VM (rented)"
            };
            out.push(BomItem {
                item: format!("{what} {}", s.id),
                role: ItemRole::Service,
                count: counts.storage as u64,
                unit_capex_usd: 0.0,
                unit_rack_units: fp.rack_units,
                unit_watts_avg: fp.watts_avg,
                unit_watts_peak: fp.watts_peak,
                source: fp.source,
                confidence: fp.confidence,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_leaf_pair_until_its_ports_run_out_then_a_spine() {
        // 11 DBoxes x 2 + 4 CNodes = 26 ports per switch: one pair.
        assert_eq!(switch_count(26.0, 58.0, 30.0), 2);
        // 59 ports: two leaf pairs and a spine pair.
        assert_eq!(switch_count(59.0, 58.0, 30.0), 6);
        // 31 leaf pairs need two spine pairs.
        assert_eq!(switch_count(31.0 * 58.0, 58.0, 30.0), 2 * (31 + 2));
    }
}
