//! Meta's Llama 3 405B training (Llama 3 Herd of Models, arXiv 2407.21783): 240 PB on
//! Tectonic, 2 TB/s sustained and 7 TB/s peak for 16,384 H100s, and 419 unexpected
//! interruptions in 54 days.

use super::{pct, rel, Row};
use vastplan_models::bandwidth::{nodes_for_bandwidth, BandwidthFit, BandwidthQuery};
use vastplan_models::cluster::Counts;
use vastplan_models::netmodel::{ceiling, cluster_spec, NetOptions};
use vastplan_models::scenario::CheckpointMode;
use vastplan_models::simulate::{run, CheckpointPlan, SimInput};
use vastplan_models::sizing::{min_counts, node_footprint, nodes_for_capacity, size_at, Request};
use vastplan_models::units::Bytes;
use vastplan_models::workload::checkpoint::checkpoint_bytes;
use vastplan_models::{Catalog, Confidence, InputError, Param};
use vastplan_sim::SimDuration;

pub const AREA: &str = "Meta Llama 3 405B";

const SOURCE: &str =
    "Llama 3 Herd of Models, arXiv 2407.21783 (as summarised; shared/facts/gpu-storage.md §3)";
const FAIL_SOURCE: &str =
    "Meta Llama 3 report via datacenterdynamics.com (shared/facts/gpu-storage.md §4)";

const SHAPE: &str = "vast-df3120-gen6";
const GPUS: u32 = 16_384;
const DAYS: f64 = 54.0;
const PUBLISHED_INTERRUPTIONS: f64 = 419.0;

pub fn rows(cat: &Catalog) -> Result<Vec<Row>, InputError> {
    let mut out = Vec::new();
    let shape = cat.shape(SHAPE)?;
    // Tectonic's 240 PB is provisioned capacity; no data-reduction credit is taken, so the
    // comparison is byte for byte.
    let req = Request::new(
        Bytes::from_pb(240.0),
        Param::new(1.0, "validation: no reduction credit", Confidence::User),
    );
    let n_cap = nodes_for_capacity(cat, shape, &req)?;
    let base = min_counts(shape, n_cap);
    let sized = size_at(cat, shape, &req, base)?;
    let usable_pb = sized.capacity.usable.pb();
    let per_node = usable_pb / n_cap as f64;
    let e = rel(usable_pb, 240.0);
    out.push(Row {
        area: AREA,
        check: format!("capacity for 240 PB on {SHAPE}"),
        source: SOURCE.into(),
        published: "240 PB on 7,500 SSD servers (Tectonic)".into(),
        vastplan: format!(
            "{n_cap} DBoxes (+{} CNodes), {usable_pb:.1} PB usable, {} racks",
            sized.compute_nodes, sized.racks
        ),
        error: pct(e),
        tolerance: format!("0 to +{:.2} % (less than one node over)", per_node / 240.0 * 100.0),
        pass: e >= 0.0 && usable_pb - per_node < 240.0,
        note: "agrees (capacity-driven count is minimal); box counts are not comparable: Tectonic's 7,500 servers are a shared fleet of smaller drives, a DF-3120 holds 22 x 122.88 TB".into(),
    });

    // Bandwidth: what the capacity-sized cluster carries, and what count each published
    // rate needs (reads, clients not modelled: Meta's client NICs are not published).
    let opts = NetOptions::default();
    let min = min_counts(shape, node_footprint(cat, shape)?.min_nodes.max(1.0) as u64);
    let client_vms = GPUS / 8;
    let read_at = |n: Counts| -> Result<f64, InputError> {
        let spec = cluster_spec(cat, shape, n.storage, 1.0, &opts)?;
        Ok(ceiling(&spec.pools(n, client_vms), 1.0).read)
    };
    let at_cap = read_at(base)?;
    for (what, tbs) in [("sustained", 2.0), ("peak", 7.0)] {
        let q = BandwidthQuery {
            drr: 1.0,
            opts: opts.clone(),
            client_vms,
            read: tbs * 1e12,
            write: 0.0,
            min,
        };
        let (vastplan, pass, e) = match nodes_for_bandwidth(cat, shape, &q)? {
            BandwidthFit::Fits(m) => {
                let c = read_at(m)?;
                // Minimal: one CNode fewer no longer carries it (DBoxes stay at the minimum).
                let fewer = Counts::new(m.storage, m.compute.saturating_sub(1).max(1));
                let minimal = m == min || read_at(fewer)? < tbs * 1e12;
                (
                    format!(
                        "{} DBoxes + {} CNodes carry it ({:.2} TB/s); the 240 PB cluster ({n_cap} DBoxes + {} CNodes) gives {:.2} TB/s; provision {} DBoxes + {} CNodes",
                        m.storage,
                        m.compute,
                        c / 1e12,
                        base.compute,
                        at_cap / 1e12,
                        m.storage.max(base.storage),
                        m.compute.max(base.compute)
                    ),
                    c >= tbs * 1e12 * (1.0 - 1e-12) && minimal,
                    rel(at_cap, tbs * 1e12),
                )
            }
            BandwidthFit::Unreachable(r) => (format!("unreachable: {r}"), false, f64::NAN),
        };
        out.push(Row {
            area: AREA,
            check: format!("{what} read {tbs} TB/s for {GPUS} H100 on {SHAPE}"),
            source: SOURCE.into(),
            published: format!(
                "{tbs} TB/s {what} ({:.0} MB/s per GPU)",
                tbs * 1e6 / GPUS as f64
            ),
            vastplan,
            error: format!("240 PB cluster {}", pct(e)),
            tolerance: "bandwidth count is minimal and meets the rate".into(),
            pass,
            note: if at_cap >= tbs * 1e12 {
                "capacity drives the size: the 240 PB cluster already exceeds the rate".into()
            } else {
                "bandwidth drives the size beyond the 240 PB count".into()
            },
        });
    }

    // Interruptions: one 16,384-GPU job under MLCommons' accelerator MTTF (an independent
    // figure, not fitted to Meta's count), simulated for 54 days on the sized cluster.
    let mttf_h = cat.assumption("gpu_mttf_hours_mlcommons")?.value;
    let model = cat.model("llama3-405b")?;
    let bpp = cat.assumption("checkpoint_bytes_per_param_dlio")?.value;
    let spec = cluster_spec(cat, shape, base.storage, 1.0, &opts)?;
    let input = SimInput {
        spec,
        nodes: base.storage,
        compute_nodes: base.compute,
        disaggregated: shape.is_disaggregated(),
        drives_per_node: 1,
        drive_used_bytes: 0.0,
        gpus: GPUS,
        gpus_per_client_vm: 8,
        // Text training reads are tiny next to the cluster; the question is the count.
        training: None,
        steady: None,
        checkpoint: Some(CheckpointPlan {
            bytes_per_job: checkpoint_bytes(model.parameters.value, bpp),
            interval: SimDuration::from_secs_f64(30.0 * 60.0),
            mode: CheckpointMode::Sync,
            jobs: 1,
        }),
        gpu_mttf: Some(SimDuration::from_secs_f64(mttf_h * 3600.0)),
        failures: None,
        tranches: Vec::new(),
        duration: SimDuration::from_secs_f64(DAYS * 86_400.0),
        sample_interval: SimDuration::from_secs_f64(3600.0),
        seed: 2407,
        topology: Default::default(),
    };
    let r = run(&input);
    let expected = GPUS as f64 * DAYS * 24.0 / mttf_h;
    let sim = r.interruptions as f64;
    let e = rel(sim, PUBLISHED_INTERRUPTIONS);
    // Three Poisson standard deviations of the published count.
    let tol = 3.0 / PUBLISHED_INTERRUPTIONS.sqrt();
    out.push(Row {
        area: AREA,
        check: format!("unexpected interruptions of {GPUS} GPUs in {DAYS:.0} days (simulated, MTTF {mttf_h:.0} h per GPU)"),
        source: format!("{FAIL_SOURCE}; MTTF: MLCommons MLPerf Storage v2.0 release (50,000 h)"),
        published: format!("{PUBLISHED_INTERRUPTIONS:.0} (job MTTI {:.2} h)", DAYS * 24.0 / PUBLISHED_INTERRUPTIONS),
        vastplan: format!("{sim:.0} simulated (expectation {expected:.1}); {} restores", r.restores),
        error: pct(e),
        tolerance: format!("±{:.1} % (3 Poisson σ of the published count)", tol * 100.0),
        pass: e.abs() <= tol,
        note: format!(
            "agrees: MLCommons' {mttf_h:.0} h per accelerator (independent of Meta's count) expects {} against Meta's observation; this seed's Poisson draw adds the rest",
            pct(rel(expected, PUBLISHED_INTERRUPTIONS))
        ),
    });
    Ok(out)
}
