//! Bandwidth-driven sizing: the fewest nodes whose closed-form ceiling carries a demanded
//! read and write rate. It joins capacity-driven sizing; the larger count wins.

use crate::catalog::{Catalog, Shape};
use crate::error::InputError;
use crate::iopath::ResourceClass;
use crate::netmodel::{ceiling, cluster_spec, network_units, NetOptions, Pool};

/// Result of a bandwidth search.
#[derive(Clone, Debug, PartialEq)]
pub enum BandwidthFit {
    /// This many nodes carry the demand.
    Nodes(u32),
    /// No node count does: a resource that does not grow with the cluster binds (the
    /// clients' own NICs or uplinks), named here.
    Unreachable(String),
}

const MAX_NODES: u32 = 1_000_000;

fn pools_at(
    cat: &Catalog,
    shape: &Shape,
    nodes: u32,
    drr: f64,
    opts: &NetOptions,
    client_vms: u32,
) -> Result<Vec<Pool>, InputError> {
    let spec = cluster_spec(cat, shape, nodes, drr, opts)?;
    Ok(spec.pools(network_units(cat, shape, nodes), client_vms))
}

/// True if the cluster of `nodes` carries (`read`, `write`) bytes/s.
fn fits(pools: &[Pool], read: f64, write: f64) -> (bool, Option<usize>) {
    if read + write <= 0.0 {
        return (true, None);
    }
    let c = ceiling(pools, read / (read + write));
    (c.total() >= (read + write) * (1.0 - 1e-12), c.binding)
}

/// What a bandwidth search must carry.
#[derive(Clone, Debug)]
pub struct BandwidthQuery {
    pub drr: f64,
    pub opts: NetOptions,
    pub client_vms: u32,
    /// Client read and write, bytes/s.
    pub read: f64,
    pub write: f64,
    /// Start here (e.g. the capacity-driven count, or the shape's minimum).
    pub min_nodes: u32,
}

/// The fewest nodes (at least `q.min_nodes`) of `shape` that carry `q.read` and
/// `q.write` bytes/s for `q.client_vms` clients.
pub fn nodes_for_bandwidth(
    cat: &Catalog,
    shape: &Shape,
    q: &BandwidthQuery,
) -> Result<BandwidthFit, InputError> {
    let (drr, opts, client_vms, read, write) = (q.drr, &q.opts, q.client_vms, q.read, q.write);
    let min_nodes = q.min_nodes.max(1);
    let check = |n: u32| -> Result<(bool, String, bool), InputError> {
        let pools = pools_at(cat, shape, n, drr, opts, client_vms)?;
        let (ok, b) = fits(&pools, read, write);
        let (name, client_side) = match b {
            Some(i) => (
                pools[i].name.clone(),
                matches!(
                    pools[i].class,
                    ResourceClass::ClientNicRx
                        | ResourceClass::ClientNicTx
                        | ResourceClass::ClientUplinkRx
                        | ResourceClass::ClientUplinkTx
                ),
            ),
            None => ("none".to_string(), false),
        };
        Ok((ok, name, client_side))
    };
    let (ok, name, client_side) = check(min_nodes)?;
    if ok {
        return Ok(BandwidthFit::Nodes(min_nodes));
    }
    if client_side {
        return Ok(BandwidthFit::Unreachable(name));
    }
    // Ceilings grow with node count (more of every node-side resource), so double until
    // the demand fits, then bisect.
    let (mut lo, mut hi) = (min_nodes, min_nodes.saturating_mul(2));
    loop {
        if hi > MAX_NODES {
            return Ok(BandwidthFit::Unreachable(format!(
                "{name} even at {MAX_NODES} nodes"
            )));
        }
        let (ok, name, client_side) = check(hi)?;
        if ok {
            break;
        }
        if client_side {
            return Ok(BandwidthFit::Unreachable(name));
        }
        lo = hi;
        hi = hi.saturating_mul(2);
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if check(mid)?.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(BandwidthFit::Nodes(hi))
}
