//! The network question for one shape and node count: what each resource carries against
//! what it has, which binds first, and the per-node network at which the network stops
//! being the bottleneck (the "knee") — the number to ask a cloud for.

use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::cluster::Counts;
use crate::error::InputError;
use crate::iopath::ResourceClass;
use crate::netmodel::{ceiling, cluster_spec, evaluate, ClusterSpec, NetOptions, Pool};
use crate::sizing::{counts_for, size_at, Request};
use serde::Serialize;

/// What to check.
#[derive(Clone, Debug)]
pub struct NetcheckInput {
    pub nodes: u32,
    /// CNodes of a disaggregated shape (`None`: the shape's minimum); ignored when
    /// converged.
    pub compute_nodes: Option<u32>,
    pub drr: crate::provenance::Param,
    pub opts: NetOptions,
    pub client_vms: u32,
    pub sessions_per_client: u32,
    /// Demanded client read and write, bytes/s (`None`: report the ceilings only).
    pub read: Option<f64>,
    pub write: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PoolReport {
    pub resource: String,
    pub instances: u32,
    pub available_per_instance_bps: f64,
    pub demand_per_instance_bps: f64,
    pub utilisation: f64,
    pub headroom_per_instance_bps: f64,
    pub binding: bool,
    pub basis: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Knee {
    /// "read" or "write" (the mix the knee is found for).
    pub mix: String,
    pub network_now_bps: f64,
    /// Per-node network at which the network stops binding; `None` if it never binds.
    pub knee_network_bps: Option<f64>,
    pub ceiling_now_bps: f64,
    pub ceiling_at_knee_bps: f64,
    pub binding_now: String,
    pub binding_at_knee: String,
    pub usd_per_gbs_month_now: f64,
    pub usd_per_gbs_month_at_knee: f64,
    /// Per-node network at which the media (NVMe) alone would bind, ignoring the CPU
    /// budget: what it takes "to use all the NVMe".
    pub network_for_media_bps: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Connections {
    pub per_node: f64,
    pub limit: f64,
    pub limit_basis: String,
    pub within_limit: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Netcheck {
    pub shape: String,
    pub nodes: u32,
    pub compute_nodes: u32,
    /// Blob storage accounts the data is sharded over (0 for other kinds).
    pub accounts: u32,
    /// The mix the pool table is evaluated at (demanded rates, or the read ceiling).
    pub evaluated_read_bps: f64,
    pub evaluated_write_bps: f64,
    pub pools: Vec<PoolReport>,
    pub read_ceiling_bps: f64,
    pub read_binding: String,
    pub write_ceiling_bps: f64,
    pub write_binding: String,
    /// Ceiling at the demanded mix and whether the demand fits.
    pub mix_ceiling_bps: Option<f64>,
    pub demand_met: Option<bool>,
    pub usd_per_month: f64,
    pub knees: Vec<Knee>,
    pub connections: Option<Connections>,
}

fn is_network(c: ResourceClass) -> bool {
    use ResourceClass::*;
    matches!(
        c,
        NodeNicTx
            | NodeNicRx
            | StorageUplinkTx
            | StorageUplinkRx
            | FabricCnodeRx
            | FabricCnodeTx
            | FabricDboxRx
            | FabricDboxTx
    )
}

fn binding_name(pools: &[Pool], b: Option<usize>) -> String {
    b.map_or_else(|| "none".to_string(), |i| pools[i].name.clone())
}

/// The per-node network figure the knee varies: the VM's egress cap, the DPU's path, or
/// own hardware's CNode ports.
fn node_network(shape: &Shape) -> Option<f64> {
    match shape.kind {
        DeploymentKind::AzureBlob => None,
        _ => shape.param(f::NETWORK_BPS).map(|p| p.value),
    }
}

pub fn netcheck(cat: &Catalog, shape: &Shape, inp: &NetcheckInput) -> Result<Netcheck, InputError> {
    if inp.nodes == 0 {
        return Err(InputError::new("--nodes", "must be at least 1").field("nodes"));
    }
    for (name, v) in [("read", inp.read), ("write", inp.write)] {
        if let Some(v) = v {
            if !(v.is_finite() && v >= 0.0) {
                return Err(InputError::new(
                    format!("--{name}-gbs"),
                    format!("must be zero or positive, got {v}"),
                ));
            }
        }
    }
    let spec = cluster_spec(cat, shape, inp.nodes, inp.drr.value, &inp.opts)?;
    let units = counts_for(shape, inp.nodes as u64, inp.compute_nodes);
    let pools = spec.pools(units, inp.client_vms);
    let rc = ceiling(&pools, 1.0);
    let wc = ceiling(&pools, 0.0);
    let (er, ew, mix) = match (inp.read, inp.write) {
        (None, None) => (rc.read, 0.0, None),
        (r, w) => {
            let (r, w) = (r.unwrap_or(0.0), w.unwrap_or(0.0));
            let share = if r + w > 0.0 { r / (r + w) } else { 1.0 };
            (r, w, Some(ceiling(&pools, share)))
        }
    };
    let loads = evaluate(&pools, er, ew);
    let bind_idx = match &mix {
        Some(m) => m.binding,
        None => rc.binding,
    };
    let reports = pools
        .iter()
        .zip(&loads)
        .enumerate()
        .map(|(i, (p, l))| PoolReport {
            resource: p.name.clone(),
            instances: p.instances,
            available_per_instance_bps: l.available,
            demand_per_instance_bps: l.demand,
            utilisation: l.utilisation,
            headroom_per_instance_bps: l.headroom(),
            binding: Some(i) == bind_idx,
            basis: p.basis.clone(),
        })
        .collect();
    let req = Request::new(crate::units::Bytes(1e15), inp.drr.clone());
    let cost = size_at(cat, shape, &req, units)?.usd_per_month;
    let knees = match node_network(shape) {
        Some(now) => ["read", "write"]
            .iter()
            .map(|m| knee(cat, shape, inp, units, now, cost, m))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let connections = (inp.client_vms > 0)
        .then(|| connections(cat, shape, inp, units))
        .transpose()?;
    Ok(Netcheck {
        shape: shape.id.clone(),
        nodes: inp.nodes,
        compute_nodes: units.compute,
        accounts: spec.accounts,
        evaluated_read_bps: er,
        evaluated_write_bps: ew,
        pools: reports,
        read_ceiling_bps: rc.read,
        read_binding: binding_name(&pools, rc.binding),
        write_ceiling_bps: wc.write,
        write_binding: binding_name(&pools, wc.binding),
        mix_ceiling_bps: mix.as_ref().map(|m| m.total()),
        demand_met: mix
            .as_ref()
            .map(|m| m.read >= er * (1.0 - 1e-12) && m.write >= ew * (1.0 - 1e-12)),
        usd_per_month: cost,
        knees,
        connections,
    })
}

fn spec_with_network(
    cat: &Catalog,
    shape: &Shape,
    inp: &NetcheckInput,
    net: f64,
) -> Result<ClusterSpec, InputError> {
    let mut o = inp.opts.clone();
    o.node_network = Some(net);
    cluster_spec(cat, shape, inp.nodes, inp.drr.value, &o)
}

/// Finds the per-node network at which raising it further no longer raises the ceiling.
/// The ceiling is non-decreasing in the network figure and flat once a non-network pool
/// binds, so bisection on "ceiling(x) reached the no-network-limit ceiling" is exact to
/// the tolerance.
fn knee(
    cat: &Catalog,
    shape: &Shape,
    inp: &NetcheckInput,
    units: Counts,
    now: f64,
    cost: f64,
    mix: &str,
) -> Result<Knee, InputError> {
    let share = if mix == "read" { 1.0 } else { 0.0 };
    let at = |net: f64| -> Result<(f64, String, Vec<Pool>), InputError> {
        let pools = spec_with_network(cat, shape, inp, net)?.pools(units, inp.client_vms);
        let c = ceiling(&pools, share);
        let name = binding_name(&pools, c.binding);
        Ok((c.total(), name, pools))
    };
    let (c_now, b_now, _) = at(now)?;
    let huge = now * 1e6;
    let (c_inf, _, pools_inf) = at(huge)?;
    let binds_network_at_inf = ceiling(&pools_inf, share)
        .binding
        .is_some_and(|i| is_network(pools_inf[i].class));
    let per_gbs = |c: f64| {
        if c > 0.0 {
            cost / (c / 1e9)
        } else {
            f64::INFINITY
        }
    };
    let knee_net = if binds_network_at_inf || c_now >= c_inf * (1.0 - 1e-9) {
        // Either the network never stops binding (e.g. only network pools carry this
        // mix), or it does not bind now: no knee above the current figure.
        (c_now < c_inf * (1.0 - 1e-9))
            .then_some(huge)
            .filter(|_| false)
    } else {
        let (mut lo, mut hi) = (now, huge);
        for _ in 0..200 {
            let mid = (lo * hi).sqrt().max(lo + (hi - lo) / 2.0 * 1e-3);
            if at(mid)?.0 >= c_inf * (1.0 - 1e-9) {
                hi = mid;
            } else {
                lo = mid;
            }
            if hi - lo <= hi * 1e-9 {
                break;
            }
        }
        Some(hi)
    };
    let (c_knee, b_knee) = match knee_net {
        Some(k) => {
            // At the knee itself the network ties with what binds next; name the latter.
            let (c, _, _) = at(k)?;
            let (_, b, _) = at(k * 1.001)?;
            (c, b)
        }
        None => (c_now, b_now.clone()),
    };
    let network_for_media = network_for_media(cat, shape, inp, units, share, now)?;
    Ok(Knee {
        mix: mix.to_string(),
        network_now_bps: now,
        knee_network_bps: knee_net,
        ceiling_now_bps: c_now,
        ceiling_at_knee_bps: c_knee,
        binding_now: b_now,
        binding_at_knee: b_knee,
        usd_per_gbs_month_now: per_gbs(c_now),
        usd_per_gbs_month_at_knee: per_gbs(c_knee),
        network_for_media_bps: network_for_media,
    })
}

/// The per-node network at which the media pool's ceiling equals the network's, ignoring
/// every other pool: media ceiling × (network cost / media cost) per instance.
fn network_for_media(
    cat: &Catalog,
    shape: &Shape,
    inp: &NetcheckInput,
    units: Counts,
    share: f64,
    now: f64,
) -> Result<Option<f64>, InputError> {
    let pools = spec_with_network(cat, shape, inp, now)?.pools(units, inp.client_vms);
    let media_class = if share > 0.5 {
        ResourceClass::MediaRead
    } else {
        ResourceClass::MediaWrite
    };
    let Some(media) = pools.iter().find(|p| p.class == media_class) else {
        return Ok(None);
    };
    let unit = |p: &Pool| (share * p.read_cost + (1.0 - share) * p.write_cost) / p.instances as f64;
    let media_ceiling = media.capacity / unit(media);
    // The node NIC figure the knee varies is the egress side (Azure meters egress), or
    // both sides at once for a DPU or CNode port.
    let tx = pools.iter().find(|p| p.class == ResourceClass::NodeNicTx);
    Ok(tx.map(|p| {
        let need_tx = media_ceiling * unit(p);
        let rx_need = pools
            .iter()
            .find(|q| q.class == ResourceClass::NodeNicRx)
            .map_or(0.0, |q| media_ceiling * unit(q));
        match shape.kind {
            DeploymentKind::VastEboxCloudVm => need_tx,
            _ => need_tx.max(rx_need),
        }
    }))
}

fn connections(
    cat: &Catalog,
    shape: &Shape,
    inp: &NetcheckInput,
    units: Counts,
) -> Result<Connections, InputError> {
    // Each client session lands on one node; sessions spread evenly over the nodes.
    let per_node =
        inp.client_vms as f64 * inp.sessions_per_client as f64 / units.compute.max(1) as f64;
    let (limit, basis) = match shape.kind {
        DeploymentKind::VastEboxCloudVm => {
            let p = cat.assumption("azure_vm_connection_limit")?;
            (
                p.value,
                format!("azure_vm_connection_limit ({}, {})", p.confidence, p.source),
            )
        }
        DeploymentKind::VastBareMetalDpu => {
            let p = cat.assumption("dpu_flow_table_connections")?;
            (
                p.value,
                format!(
                    "dpu_flow_table_connections ({}, {})",
                    p.confidence, p.source
                ),
            )
        }
        _ => (
            f64::INFINITY,
            "no published per-node connection limit".to_string(),
        ),
    };
    Ok(Connections {
        per_node,
        limit,
        limit_basis: basis,
        within_limit: per_node <= limit,
    })
}
