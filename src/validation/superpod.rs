//! NVIDIA DGX SuperPOD H100 storage guidance (RA-11333-001, Tables 5–6): the cluster of
//! each candidate shape that meets each tier.

use super::{pct, Row};
use vastplan_models::bandwidth::{nodes_for_bandwidth, BandwidthFit, BandwidthQuery};
use vastplan_models::catalog::Shape;
use vastplan_models::cluster::{Counts, Side};
use vastplan_models::netmodel::{ceiling, cluster_spec, NetOptions};
use vastplan_models::sizing::{min_counts, node_footprint};
use vastplan_models::{Catalog, InputError};

pub const AREA: &str = "NVIDIA DGX SuperPOD H100 storage tiers";

const SOURCE: &str =
    "NVIDIA RA-11333-001 V11 (DGX SuperPOD H100), Table 6; shared/facts/gpu-storage.md §1a";

/// (tier, scale, DGX nodes, read GB/s, write GB/s) from Table 6.
const TARGETS: [(&str, &str, u32, f64, f64); 6] = [
    ("Good", "1 SU", 32, 15.0, 7.0),
    ("Better", "1 SU", 32, 40.0, 20.0),
    ("Best", "1 SU", 32, 125.0, 62.0),
    ("Good", "4 SU", 128, 60.0, 30.0),
    ("Better", "4 SU", 128, 160.0, 80.0),
    ("Best", "4 SU", 128, 500.0, 250.0),
];

/// Single-node targets (read, write GB/s) from the same table.
const SINGLE_NODE: [(&str, f64, f64); 3] = [
    ("Good", 4.0, 2.0),
    ("Better", 8.0, 4.0),
    ("Best", 40.0, 20.0),
];

/// One VAST-owned and one Azure VM shape: the two ends of the candidate list.
const SHAPES: [&str; 2] = ["vast-df3120-gen6", "L128aos_v5"];

/// The client VM whose frontend limits a single node on Azure.
const CLIENT_VM: &str = "ND96isr_H100_v5";

struct Fit {
    nodes: Option<Counts>,
    reason: String,
}

fn fit(cat: &Catalog, shape: &Shape, q: &BandwidthQuery) -> Result<Fit, InputError> {
    Ok(match nodes_for_bandwidth(cat, shape, q)? {
        BandwidthFit::Fits(n) => Fit {
            nodes: Some(n),
            reason: String::new(),
        },
        BandwidthFit::Unreachable(r) => Fit {
            nodes: None,
            reason: r,
        },
    })
}

/// `n` with one device fewer on each side that is above `min` (one count when converged).
fn one_fewer(shape: &Shape, n: Counts, min: Counts) -> Vec<Counts> {
    if !shape.is_disaggregated() {
        return if n.storage > min.storage {
            vec![Counts::converged(n.storage - 1)]
        } else {
            Vec::new()
        };
    }
    [Side::Storage, Side::Compute]
        .into_iter()
        .filter(|s| n.of(*s) > min.of(*s))
        .map(|s| n.with(s, n.of(s) - 1))
        .collect()
}

/// "S DBoxes + C CNodes", or "N nodes" when converged.
fn describe(shape: &Shape, n: Counts) -> String {
    if shape.is_disaggregated() {
        format!("{} DBoxes + {} CNodes", n.storage, n.compute)
    } else {
        format!("{} nodes", n.storage)
    }
}

/// Read and write ceilings (bytes/s, each alone) of `nodes` nodes.
fn ceilings(
    cat: &Catalog,
    shape: &Shape,
    nodes: Counts,
    drr: f64,
    opts: &NetOptions,
    client_vms: u32,
) -> Result<(f64, f64), InputError> {
    let spec = cluster_spec(cat, shape, nodes.storage, drr, opts)?;
    let pools = spec.pools(nodes, client_vms);
    Ok((ceiling(&pools, 1.0).read, ceiling(&pools, 0.0).write))
}

pub fn rows(cat: &Catalog) -> Result<Vec<Row>, InputError> {
    let drr = cat.assumption("drr_ai_training")?.value;
    let mut out = Vec::new();
    for id in SHAPES {
        let shape = cat.shape(id)?;
        let min = min_counts(shape, node_footprint(cat, shape)?.min_nodes.max(1.0) as u64);
        let opts = NetOptions::default();
        for (tier, scale, dgx, r, w) in TARGETS {
            // The RA states read and write targets separately; a cluster meets the tier
            // when it carries each of them alone.
            let q = |read: f64, write: f64| BandwidthQuery {
                drr,
                opts: opts.clone(),
                client_vms: dgx,
                read: read * 1e9,
                write: write * 1e9,
                min,
            };
            let fr = fit(cat, shape, &q(r, 0.0))?;
            let fw = fit(cat, shape, &q(0.0, w))?;
            let (Some(nr), Some(nw)) = (fr.nodes, fw.nodes) else {
                out.push(Row {
                    area: AREA,
                    check: format!("{tier}, {scale} ({dgx} DGX H100): {id}"),
                    source: SOURCE.into(),
                    published: format!("read {r} / write {w} GB/s"),
                    vastplan: format!("unreachable: {} {}", fr.reason, fw.reason),
                    error: "n/a".into(),
                    tolerance: "reachable".into(),
                    pass: false,
                    note: "no node count carries the tier".into(),
                });
                continue;
            };
            let n = Counts::new(nr.storage.max(nw.storage), nr.compute.max(nw.compute));
            let (cr, cw) = ceilings(cat, shape, n, drr, &opts, dgx)?;
            let headroom = (cr / (r * 1e9)).min(cw / (w * 1e9)) - 1.0;
            let mut minimal = true;
            for fewer in one_fewer(shape, n, min) {
                let (pr, pw) = ceilings(cat, shape, fewer, drr, &opts, dgx)?;
                minimal &= pr < r * 1e9 * (1.0 - 1e-12) || pw < w * 1e9 * (1.0 - 1e-12);
            }
            let bound = if nr >= nw { "reads" } else { "writes" };
            out.push(Row {
                area: AREA,
                check: format!("{tier}, {scale} ({dgx} DGX H100): {id}"),
                source: SOURCE.into(),
                published: format!("read {r} / write {w} GB/s"),
                vastplan: format!(
                    "{}: read {:.1} / write {:.1} GB/s",
                    describe(shape, n),
                    cr / 1e9,
                    cw / 1e9
                ),
                error: format!("headroom {}", pct(headroom)),
                tolerance: if n == min {
                    "headroom ≥ 0 (at the shape's minimum count)".into()
                } else {
                    "headroom ≥ 0 and one device fewer falls short".into()
                },
                pass: headroom >= -1e-9 && minimal,
                note: if n == min {
                    format!(
                        "the minimum cluster ({}) already meets it",
                        describe(shape, min)
                    )
                } else {
                    format!("{bound} set the count")
                },
            });
        }
    }

    // One DGX node: on Azure the GPU VM's own frontend NIC is in the path.
    let shape = cat.shape(SHAPES[0])?;
    let min = min_counts(shape, node_footprint(cat, shape)?.min_nodes.max(1.0) as u64);
    let opts = NetOptions {
        client_vm: Some(CLIENT_VM.into()),
        ..Default::default()
    };
    let nic = cat.gpu_vm(CLIENT_VM)?.frontend_mbps.value * 1e6 / 8.0;
    for (tier, r, w) in SINGLE_NODE {
        let q = BandwidthQuery {
            drr,
            opts: opts.clone(),
            client_vms: 1,
            read: r * 1e9,
            write: 0.0,
            min,
        };
        let f = fit(cat, shape, &q)?;
        let (vastplan, pass, note) = match f.nodes {
            Some(n) => {
                let (cr, _) = ceilings(cat, shape, n, drr, &opts, 1)?;
                (
                    format!(
                        "{} deliver {:.1} GB/s to one {CLIENT_VM}",
                        describe(shape, n),
                        cr / 1e9
                    ),
                    cr >= r * 1e9 * (1.0 - 1e-12) && r * 1e9 <= nic,
                    "agrees".to_string(),
                )
            }
            None => (
                format!("unreachable: {} binds at {:.1} GB/s", f.reason, nic / 1e9),
                r * 1e9 > nic,
                format!(
                    "disagrees by construction: the RA assumes a storage fabric of up to 80 GBps per DGX; Azure's {CLIENT_VM} frontend is 80,000 Mbps = 10 GB/s, so no storage cluster reaches this tier for one Azure GPU VM"
                ),
            ),
        };
        out.push(Row {
            area: AREA,
            check: format!("{tier}, single node read: {} → one {CLIENT_VM}", SHAPES[0]),
            source: format!("{SOURCE}; learn.microsoft.com ndh100v5-series (80,000 Mbps frontend)"),
            published: format!("read {r} GB/s (write {w})"),
            vastplan,
            error: format!("client NIC {:.1} GB/s vs {r} GB/s", nic / 1e9),
            tolerance: "fits iff target ≤ client NIC".into(),
            pass,
            note,
        });
    }
    Ok(out)
}
