//! Storage per GPU: for a fleet growing from one scalable unit to tens of thousands of
//! GPUs, the nodes, capacity and bandwidth per GPU a candidate needs to keep every GPU at
//! its utilisation floor while holding a capacity policy.

use crate::bandwidth::{nodes_for_bandwidth, BandwidthFit, BandwidthQuery};
use crate::catalog::{Catalog, Shape};
use crate::error::InputError;
use crate::netmodel::{ceiling, cluster_spec, NetOptions};
use crate::provenance::Param;
use crate::sizing::{min_counts, nodes_for_capacity, size_at, Request};
use crate::units::Bytes;
use crate::workload::step::StepModel;
use serde::Serialize;

#[derive(Clone, Debug)]
pub struct RatioQuery {
    pub step: StepModel,
    pub reading_fraction: f64,
    /// GPU VM whose frontend NIC the clients have, and its GPUs per VM.
    pub client_vm: Option<String>,
    pub gpus_per_vm: u32,
    pub tb_per_gpu: f64,
    pub drr: Param,
    pub opts: NetOptions,
}

#[derive(Clone, Debug, Serialize)]
pub struct RatioRow {
    pub gpus: u32,
    pub demand_gbs: f64,
    pub nodes_for_capacity: u64,
    pub nodes_for_bandwidth: Option<u64>,
    pub nodes: u64,
    /// CNodes when disaggregated, else `nodes`.
    pub compute_nodes: u64,
    pub usable_tb_per_gpu: f64,
    pub read_gbs_per_gpu: f64,
    pub binding: String,
    pub usd_per_gpu_month: f64,
    pub note: String,
}

pub fn ratio_rows(
    cat: &Catalog,
    shape: &Shape,
    q: &RatioQuery,
    counts: &[u32],
) -> Result<Vec<RatioRow>, InputError> {
    let mut rows = Vec::new();
    for &gpus in counts {
        let client_vms = gpus.div_ceil(q.gpus_per_vm.max(1));
        let demand = gpus as f64 * q.reading_fraction * q.step.demand_at_floor();
        // A zero capacity policy still needs some capacity to size against.
        let req = Request::new(
            Bytes((q.tb_per_gpu * 1e12 * gpus as f64).max(1e12)),
            q.drr.clone(),
        );
        let cap_nodes = nodes_for_capacity(cat, shape, &req)?;
        let mut opts = q.opts.clone();
        opts.client_vm = q.client_vm.clone();
        let bq = BandwidthQuery {
            drr: q.drr.value,
            opts: opts.clone(),
            client_vms,
            read: demand,
            write: 0.0,
            min: min_counts(shape, cap_nodes),
        };
        let (bw, note) = match nodes_for_bandwidth(cat, shape, &bq)? {
            BandwidthFit::Fits(n) => (Some(n), String::new()),
            BandwidthFit::Unreachable(w) => {
                (None, format!("{w} binds: GPUs cannot be fed at the floor"))
            }
        };
        let counts = bw.unwrap_or_else(|| min_counts(shape, cap_nodes));
        let sized = size_at(cat, shape, &req, counts)?;
        let spec = cluster_spec(cat, shape, counts.storage, q.drr.value, &opts)?;
        let pools = spec.pools(counts, client_vms);
        let c = ceiling(&pools, 1.0);
        rows.push(RatioRow {
            gpus,
            demand_gbs: demand / 1e9,
            nodes_for_capacity: cap_nodes,
            nodes_for_bandwidth: bw.map(|c| c.storage as u64),
            nodes: counts.storage as u64,
            compute_nodes: counts.compute as u64,
            usable_tb_per_gpu: sized.capacity.usable.0 / 1e12 / gpus as f64,
            read_gbs_per_gpu: c.read / 1e9 / gpus as f64,
            binding: c
                .binding
                .map_or_else(|| "none".into(), |i| pools[i].name.clone()),
            usd_per_gpu_month: sized.usd_per_month / gpus as f64,
            note,
        });
    }
    Ok(rows)
}
