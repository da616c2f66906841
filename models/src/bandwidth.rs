//! Bandwidth-driven sizing: the fewest devices whose closed-form ceiling carries a
//! demanded read and write rate. It joins capacity-driven sizing; the larger count wins,
//! each side on its own: for disaggregated VAST, CNodes grow for protocol and client-port
//! limits, DBoxes for media and fabric-port limits, and neither buys the other.

use crate::catalog::{Catalog, Shape};
use crate::cluster::{Counts, Side};
use crate::error::InputError;
use crate::netmodel::{ceiling, cluster_spec, NetOptions, Pool};
use crate::sizing::{whole_chassis, MAX_NODES};

/// Result of a bandwidth search.
#[derive(Clone, Debug, PartialEq)]
pub enum BandwidthFit {
    /// These counts carry the demand.
    Fits(Counts),
    /// No count does: a resource that does not grow with the cluster binds (the clients'
    /// own NICs or uplinks, Blob's account limits), named here.
    Unreachable(String),
}

/// The pools of `shape` at `counts`.
pub fn pools_at(
    cat: &Catalog,
    shape: &Shape,
    counts: Counts,
    drr: f64,
    opts: &NetOptions,
    client_vms: u32,
) -> Result<Vec<Pool>, InputError> {
    let spec = cluster_spec(cat, shape, counts.storage, drr, opts)?;
    Ok(spec.pools(counts, client_vms))
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
    /// Start here (e.g. the capacity-driven counts, or the shape's minimum).
    pub min: Counts,
}

/// Whether the pools `keep` selects carry (`read`, `write`); when they do not, the name
/// of the one that binds.
fn carries(
    pools: &[Pool],
    keep: impl Fn(&Pool) -> bool,
    read: f64,
    write: f64,
) -> Result<(), String> {
    let sel: Vec<Pool> = pools.iter().filter(|p| keep(p)).cloned().collect();
    let c = ceiling(&sel, read / (read + write));
    if c.total() >= (read + write) * (1.0 - 1e-12) {
        return Ok(());
    }
    Err(c
        .binding
        .map_or_else(|| "none".into(), |i| sel[i].name.clone()))
}

/// The fewest devices (at least `q.min`) of `shape` that carry `q.read` and `q.write`
/// bytes/s for `q.client_vms` clients.
///
/// Each side's pools depend on its own count only (the stripe width, which follows the
/// DBox count, only lowers CNode-side costs as it widens), so each side is searched on
/// its own pools: CNodes until the CNode-side pools carry the demand, DBoxes until theirs
/// do. A converged shape searches its one count on all pools.
pub fn nodes_for_bandwidth(
    cat: &Catalog,
    shape: &Shape,
    q: &BandwidthQuery,
) -> Result<BandwidthFit, InputError> {
    let (read, write) = (q.read, q.write);
    let counts = Counts::new(q.min.storage.max(1), q.min.compute.max(1));
    if read + write <= 0.0 {
        return Ok(BandwidthFit::Fits(counts));
    }
    let at = |c: Counts| pools_at(cat, shape, c, q.drr, &q.opts, q.client_vms);
    // Pools no device count grows (clients, Blob accounts) must carry it as they are.
    if let Err(name) = carries(&at(counts)?, |p| Side::of(p.class).is_none(), read, write) {
        return Ok(BandwidthFit::Unreachable(name));
    }
    search_sides(cat, shape, q, counts, read, write)
}

/// What the storage must carry when a resource no device count grows binds first: the
/// counts that carry everything the clients (or Blob's accounts) let through, so the
/// storage is never the narrower bottleneck, with the name of what binds. `Ok(None)`
/// when nothing fixed binds (use [`nodes_for_bandwidth`]).
pub fn nodes_for_what_clients_carry(
    cat: &Catalog,
    shape: &Shape,
    q: &BandwidthQuery,
) -> Result<Option<(Counts, String)>, InputError> {
    let (read, write) = (q.read, q.write);
    let counts = Counts::new(q.min.storage.max(1), q.min.compute.max(1));
    if read + write <= 0.0 {
        return Ok(None);
    }
    let pools = pools_at(cat, shape, counts, q.drr, &q.opts, q.client_vms)?;
    let fixed: Vec<Pool> = pools
        .iter()
        .filter(|p| Side::of(p.class).is_none())
        .cloned()
        .collect();
    let c = ceiling(&fixed, read / (read + write));
    let Some(i) = c.binding else {
        return Ok(None);
    };
    if c.total() >= (read + write) * (1.0 - 1e-12) {
        return Ok(None);
    }
    let k = c.total() / (read + write);
    match search_sides(cat, shape, q, counts, read * k, write * k)? {
        BandwidthFit::Fits(n) => Ok(Some((n, fixed[i].name.clone()))),
        BandwidthFit::Unreachable(_) => Ok(None),
    }
}

/// The fewest devices of each side, from `counts`, that carry (`read`, `write`).
fn search_sides(
    cat: &Catalog,
    shape: &Shape,
    q: &BandwidthQuery,
    mut counts: Counts,
    read: f64,
    write: f64,
) -> Result<BandwidthFit, InputError> {
    let at = |c: Counts| pools_at(cat, shape, c, q.drr, &q.opts, q.client_vms);
    let sides: &[Option<Side>] = if shape.is_disaggregated() {
        &[Some(Side::Compute), Some(Side::Storage)]
    } else {
        &[None]
    };
    for &side in sides {
        let keep = |p: &Pool| match side {
            Some(s) => Side::of(p.class) == Some(s),
            None => Side::of(p.class).is_some(),
        };
        let set = |c: Counts, n: u32| -> Counts {
            match side {
                None => Counts::converged(n),
                Some(Side::Compute) => c.with(Side::Compute, whole_chassis(shape, n)),
                Some(s) => c.with(s, n),
            }
        };
        let short = |c: Counts| -> Result<bool, InputError> {
            Ok(carries(&at(c)?, keep, read, write).is_err())
        };
        let now = counts.of(side.unwrap_or(Side::Storage));
        if !short(counts)? {
            continue;
        }
        // Ceilings grow with the count: double until it carries, then bisect.
        let (mut lo, mut hi) = (now, now.saturating_mul(2));
        while short(set(counts, hi))? {
            if hi as u64 >= MAX_NODES {
                let name = carries(&at(set(counts, hi))?, keep, read, write)
                    .err()
                    .unwrap_or_default();
                return Ok(BandwidthFit::Unreachable(format!(
                    "{name} even at {MAX_NODES} devices"
                )));
            }
            lo = hi;
            hi = hi.saturating_mul(2).min(MAX_NODES as u32);
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if short(set(counts, mid))? {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        counts = set(counts, hi);
    }
    Ok(BandwidthFit::Fits(counts))
}
