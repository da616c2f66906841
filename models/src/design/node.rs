//! One point of the design space as a server: its parts, what it costs and draws, whether
//! it can be built (bays, PCIe lanes, cores left after software SDN), and the catalog row
//! (`ServerRow`) that the planner's closed form sizes.

use super::space::Space;
use crate::catalog::{server_shape, ServerParts, ServerRow, Shape, NO_DPU};
use crate::error::InputError;
use crate::provenance::{Confidence, Param};

/// The choice on each axis.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Spec {
    pub dpu: String,
    pub drive: String,
    pub drives: u32,
    /// Per-node egress, Gbps (an integer number of Gbps keeps specs hashable).
    pub egress_gbps: u32,
    pub cores: u32,
}

impl Spec {
    /// The point's id, also its catalog row's: `design-none-24xsolidigm-p5336-122t-800g-24c`.
    pub fn id(&self) -> String {
        format!(
            "design-{}-{}x{}-{}g-{}c",
            self.dpu, self.drives, self.drive, self.egress_gbps, self.cores
        )
    }
}

/// What one node is made of and why it can or cannot be built.
#[derive(Clone, Debug)]
pub struct Node {
    pub spec: Spec,
    pub rack_units: f64,
    pub bays: f64,
    pub nics: u32,
    pub pcie_lanes_used: f64,
    pub pcie_lanes: f64,
    /// vCPUs left for VAST after software SDN (if no DPU).
    pub vcpus: f64,
    pub watts_peak: f64,
    pub watts_avg: f64,
    pub capex_usd: f64,
    /// Capex by part, for the spec sheet.
    pub capex_parts: Vec<(&'static str, f64)>,
    /// Why it cannot be built, if so.
    pub infeasible: Option<String>,
}

/// The parts, price, power and feasibility of `spec`.
pub fn node(space: &Space, parts: &ServerParts, spec: &Spec) -> Node {
    let d = &space.drives[&spec.drive];
    let ff = &space.form_factors[&d.form_factor];
    let fact = |k: &str| space.fact(k);
    let dpu = (spec.dpu != NO_DPU).then(|| &space.dpu_parts[&spec.dpu]);
    let egress = spec.egress_gbps as f64;
    let n = spec.drives as f64;
    // With a DPU the DPU is the NIC; without one, whole 400G adapters carry the egress.
    let nics = match dpu {
        Some(_) => 0,
        None => (egress / fact("nic_port_gbps")).ceil() as u32,
    };
    // A VAST node acknowledges writes from its SCM/NVRAM write buffer before migrating
    // them to QLC: those devices and the boot drive take lanes, money and watts too.
    let buffers = fact("write_buffer_devices");
    let lanes_used = n * fact("pcie_lanes_per_drive")
        + nics as f64 * fact("nic_pcie_lanes")
        + dpu.map_or(0.0, |p| p.pcie_lanes.value)
        + buffers * fact("write_buffer_pcie_lanes")
        + fact("boot_pcie_lanes");
    let sdn_cores = match dpu {
        Some(_) => 0.0,
        None => egress / 100.0 * fact("sdn_cores_per_100gbps"),
    };
    let vcpus = ((spec.cores as f64 - sdn_cores) * fact("smt_threads_per_core")).floor();
    let cores = spec.cores as f64;
    let ru = ff.rack_units.value;
    let drive_usd = n * d.capacity_tb.value * d.usd_per_tb.value;
    let capex_parts = vec![
        ("chassis", ru * fact("chassis_usd_per_u")),
        ("cpu+memory", cores * fact("cpu_usd_per_core")),
        ("drives", drive_usd),
        ("nics", nics as f64 * fact("nic_usd")),
        ("dpu", dpu.map_or(0.0, |p| p.usd.value)),
        ("write buffer", buffers * fact("write_buffer_device_usd")),
    ];
    let watts_peak = ru * fact("chassis_watts_per_u")
        + cores * fact("cpu_watts_per_core")
        + n * d.watts.value
        + nics as f64 * fact("nic_watts")
        + dpu.map_or(0.0, |p| p.watts.value)
        + buffers * fact("write_buffer_device_watts");
    let mut infeasible = None;
    let mut no = |why: String| {
        if infeasible.is_none() {
            infeasible = Some(why);
        }
    };
    if n > ff.bays.value {
        no(format!(
            "{} {} drives do not fit {} bays",
            spec.drives, d.form_factor, ff.bays.value
        ));
    }
    if lanes_used > fact("host_pcie_lanes") {
        no(format!(
            "needs {lanes_used} PCIe lanes, the host has {}",
            fact("host_pcie_lanes")
        ));
    }
    if vcpus < 1.0 {
        no(format!(
            "software SDN for {egress} Gbps takes all {} cores",
            spec.cores
        ));
    }
    if let Some(d) = parts.dpus.get(&spec.dpu) {
        let ports = d.params["total_gbps"].value;
        if egress > ports {
            no(format!(
                "{egress} Gbps is more than the DPU's {ports} Gbps of ports"
            ));
        }
    }
    Node {
        spec: spec.clone(),
        rack_units: ru,
        bays: ff.bays.value,
        nics,
        pcie_lanes_used: lanes_used,
        pcie_lanes: fact("host_pcie_lanes"),
        vcpus,
        watts_peak,
        watts_avg: watts_peak * fact("watts_avg_share_of_peak"),
        capex_usd: capex_parts.iter().map(|p| p.1).sum(),
        capex_parts,
        infeasible,
    }
}

/// The catalog row of a node: what `--emit-shape` writes and what the search sizes.
/// Every number is the design's, so the row is hypothetical whatever its inputs.
pub fn server_row(space: &Space, n: &Node, scenario: &str) -> ServerRow {
    let d = &space.drives[&n.spec.drive];
    let src = format!("vastplan design {scenario}");
    let p = |v: f64| Param::new(v, src.clone(), Confidence::Hypothetical);
    ServerRow {
        id: n.spec.id(),
        dpu: (n.spec.dpu != NO_DPU).then(|| n.spec.dpu.clone()),
        drives: p(n.spec.drives as f64),
        drive_tb: p(d.capacity_tb.value),
        rack_units: p(n.rack_units),
        watts_avg: p(n.watts_avg),
        watts_peak: p(n.watts_peak),
        min_nodes: p(space.fact("min_nodes")),
        protocol_reference: space.protocol_reference.clone(),
        vcpus: Some(p(n.vcpus)),
        network_gbps: Some(p(n.spec.egress_gbps as f64)),
        nvme_read_mbps: Some(p(n.spec.drives as f64 * d.read_mbps.value)),
        nvme_write_mbps: Some(p(n.spec.drives as f64 * d.write_mbps.value)),
        capex_usd: Some(p(n.capex_usd)),
        origin: format!("{} ({})", space.file, n.spec.id()),
    }
}

/// The shape the planner sizes for `n`.
pub fn shape(
    space: &Space,
    n: &Node,
    scenario: &str,
    parts: &ServerParts,
) -> Result<Shape, InputError> {
    server_shape(&server_row(space, n, scenario), parts)
}
