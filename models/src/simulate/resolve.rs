//! From a scenario, a candidate shape and (optionally) a node count to a [`SimInput`]:
//! the one place where scenario assumptions meet the catalog.

use super::devices::{Devices, SideKey};
use super::input::{
    CheckpointPlan, FailureDomain, FailurePlan, Generation, Incident, IncidentKind, SimInput, Skew,
    SteadyDemand, StripeLayout, Target, TopologyInput, Training, TrancheEvent,
};
use crate::catalog::{field as f, Catalog, Shape};
use crate::cluster::Counts;
use crate::error::InputError;
use crate::netmodel::{cluster_spec, ClusterSpec, NetOptions};
use crate::provenance::{Confidence, Param};
use crate::scenario::Scenario;
use crate::sizing::{min_counts, nodes_for_capacity, size_at, Request, Sizing};
use crate::units::Bytes;
use crate::workload::checkpoint::checkpoint_bytes;
use vastplan_sim::{SimDuration, SimTime};

/// Applies the scenario's `[overrides]` to a catalog (each becomes a user input).
pub fn apply_overrides(cat: &mut Catalog, sc: &Scenario, file: &str) -> Result<(), InputError> {
    for (key, v) in &sc.overrides {
        let path = format!("overrides.{key}");
        let (id, field) = key.rsplit_once('.').ok_or_else(|| {
            sc.error_at(
                file,
                &path,
                "overrides",
                format!("override {key:?}: expected \"ID.field\""),
            )
        })?;
        cat.apply_override(id, field, *v)
            .map_err(|e| sc.error_at(file, &path, &path, e.message))?;
    }
    Ok(())
}

/// The scenario's data-reduction ratio as a parameter with provenance.
pub fn drr(cat: &Catalog, sc: &Scenario, file: &str) -> Result<Param, InputError> {
    match sc.request.drr {
        Some(d) => Ok(Param::new(
            d,
            format!("{file} request.drr"),
            Confidence::User,
        )),
        None => {
            let key = format!("drr_{}", sc.request.workload_class.replace('-', "_"));
            cat.assumptions.get(&key).cloned().ok_or_else(|| {
                sc.error_at(
                    file,
                    "request.workload_class",
                    "request.workload_class",
                    format!("no assumption {key} for this workload class"),
                )
            })
        }
    }
}

/// Network options the scenario sets.
pub fn net_options(sc: &Scenario) -> NetOptions {
    let n = sc.network.clone().unwrap_or(crate::scenario::Network {
        oversubscription: None,
        nodes_per_rack: None,
        clients_per_rack: None,
        transport: None,
        leaves_per_rack: None,
        hot_cnode_fraction: None,
        hot_connection_share: None,
    });
    NetOptions {
        oversubscription: n.oversubscription,
        nodes_per_rack: n.nodes_per_rack,
        clients_per_rack: n.clients_per_rack,
        transport: n.transport,
        client_vm: sc.clients.as_ref().map(|c| c.gpu_vm.clone()),
        node_network: None,
    }
}

/// The scenario's request for sizing: capacity, data reduction, the traffic Blob bills
/// transactions on, and how VMs are paid for.
pub fn request(cat: &Catalog, sc: &Scenario, file: &str) -> Result<Request, InputError> {
    let mut req = Request::new(Bytes::from_pb(sc.request.logical_pb), drr(cat, sc, file)?);
    let t = crate::plan::targets(cat, sc)?;
    req.read_bps = t.read_bps;
    req.write_bps = t.write_bps;
    req.vm_pricing = sc
        .cost
        .as_ref()
        .map_or_else(Default::default, |c| c.vm_pricing);
    Ok(req)
}

/// Sizing of `shape` for the scenario's capacity, or at `counts` if given.
pub fn sizing(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    counts: Option<Counts>,
    file: &str,
) -> Result<Sizing, InputError> {
    let req = request(cat, sc, file)?;
    let c = match counts {
        Some(c) => c,
        None => min_counts(shape, nodes_for_capacity(cat, shape, &req)?),
    };
    size_at(cat, shape, &req, c)
}

/// Rate at which one storage node loses its data. The scenario's `node_loss_per_year`
/// speaks of cloud VMs (a VM that leaves its host loses its local NVMe); an owned box or a
/// DPU server keeps its drives' contents when it fails, so those take the catalog's
/// `vast_box_loss_per_year`, and Blob repairs itself out of sight.
pub fn node_loss_per_year(cat: &Catalog, sc: &Scenario, shape: &Shape) -> Option<f64> {
    let f = sc.failures.as_ref()?;
    Some(match shape.kind {
        crate::catalog::DeploymentKind::VastEboxCloudVm => f.node_loss_per_year,
        crate::catalog::DeploymentKind::AzureBlob => 0.0,
        _ => cat
            .assumption("vast_box_loss_per_year")
            .map_or(0.0, |p| p.value),
    })
}

/// KV-cache offload as (read, write) bytes/s: tokens/s × bytes per token (layers × KV
/// heads × head dim × 2 × dtype bytes) written, and that × reads per token read back.
pub fn kv_offload(cat: &Catalog, sc: &Scenario) -> Result<Option<(f64, f64)>, InputError> {
    let Some(i) = &sc.inference else {
        return Ok(None);
    };
    let m = cat.model(&i.model)?;
    let per_token = crate::workload::kvcache::kv_bytes_per_token(
        m.layers.value,
        m.kv_heads.value,
        m.head_dim.value,
        m.kv_dtype_bytes.value,
    );
    let write = i.offloaded_tokens_per_s * per_token;
    Ok(Some((write * i.reads_per_token, write)))
}

/// GPUs per client VM of the scenario's client shape.
pub fn gpus_per_vm(cat: &Catalog, sc: &Scenario) -> Result<u32, InputError> {
    match &sc.clients {
        Some(c) => Ok(cat.gpu_vm(&c.gpu_vm)?.gpus.value.max(1.0) as u32),
        None => Ok(1),
    }
}

/// What a caller may override of a scenario when building a run (all `None`: the
/// scenario's own values).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOverrides {
    pub days: Option<f64>,
    pub seed: Option<u64>,
    /// Per-node network, bytes/s ([`NetOptions::node_network`]).
    pub node_network: Option<f64>,
}

/// Builds the simulation input. `days` and `seed` override the scenario's.
pub fn sim_input(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    sized: &Sizing,
    days: Option<f64>,
    seed: Option<u64>,
    file: &str,
) -> Result<SimInput, InputError> {
    let o = RunOverrides {
        days,
        seed,
        node_network: None,
    };
    sim_input_with(cat, sc, shape, sized, &o, file)
}

/// [`sim_input`] with every override a sweep axis can set.
pub fn sim_input_with(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    sized: &Sizing,
    o: &RunOverrides,
    file: &str,
) -> Result<SimInput, InputError> {
    let (days, seed) = (o.days, o.seed);
    let err = |field: &str, m: &str| sc.error_at(file, field, field, m);
    let drr_v = sized.drr.max(1.0);
    let counts = sized.counts();
    let nodes = counts.storage;
    let mut net = net_options(sc);
    net.node_network = o.node_network;
    let spec = cluster_spec(cat, shape, nodes, drr_v, &net)?;
    // Clients open streams to the protocol servers (or, on Blob, the accounts).
    let units = if spec.accounts > 0 {
        spec.accounts
    } else {
        counts.compute
    };
    let days = match (days, &sc.simulation) {
        (Some(d), _) => d,
        (None, Some(s)) => s.days,
        (None, None) => {
            return Err(err(
                "simulation.days",
                "the scenario has no [simulation] section; give --days",
            ))
        }
    };
    if !(days.is_finite() && days > 0.0) {
        return Err(err("simulation.days", "must be positive"));
    }
    let sample_s = sc
        .simulation
        .as_ref()
        .map_or(3600.0, |s| s.sample_interval_s);
    if days > crate::scenario::MAX_DAYS || days * 86_400.0 / sample_s > crate::scenario::MAX_SAMPLES
    {
        return Err(err(
            "simulation.days",
            &format!(
                "{days} days sampled every {sample_s} s is beyond what one run may hold (at most {} days and {} samples)",
                crate::scenario::MAX_DAYS,
                crate::scenario::MAX_SAMPLES
            ),
        ));
    }
    let per_vm = gpus_per_vm(cat, sc)?;
    let (gpus, training) = match &sc.clients {
        Some(c) => {
            let w = cat.workload(&c.workload)?;
            (
                c.gpus,
                Some(Training {
                    step: w.step(),
                    reading_fraction: c.reading_fraction,
                }),
            )
        }
        None => (0, None),
    };
    // Stated demand (HPC, ingest) when there are no GPU clients to derive it from, plus
    // any KV-cache offload; both run as steady capped streams.
    let (mut sr, mut sw) = match &sc.clients {
        None => (
            sc.request.read_gbs.unwrap_or(0.0) * 1e9,
            sc.request.write_gbs.unwrap_or(0.0) * 1e9,
        ),
        Some(_) => (0.0, 0.0),
    };
    if let Some((r, w)) = kv_offload(cat, sc)? {
        sr += r;
        sw += w;
    }
    let steady = (sr > 0.0 || sw > 0.0).then(|| SteadyDemand {
        read: sr,
        write: sw,
        // Many client streams share fairly with rebuilds, as real clients would.
        streams: (units * 8).max(1),
    });
    let checkpoint = match &sc.checkpoint {
        Some(c) => {
            let m = cat.model(&c.model)?;
            if gpus < c.jobs {
                return Err(err("checkpoint.jobs", "more jobs than GPUs"));
            }
            Some(CheckpointPlan {
                bytes_per_job: checkpoint_bytes(m.parameters.value, c.bytes_per_param),
                interval: SimDuration::from_secs_f64(c.interval_minutes * 60.0),
                mode: c.mode,
                jobs: c.jobs,
            })
        }
        None => None,
    };
    // Stored bytes per drive: reduced data plus parity, spread over every drive.
    let drives = shape.value(f::DRIVES_PER_NODE);
    let stored = sc.request.logical_pb * 1e15 / drr_v
        * if sized.capacity.stripe_data > 0 {
            (sized.capacity.stripe_data + sized.capacity.stripe_parity) as f64
                / sized.capacity.stripe_data as f64
        } else {
            1.0
        };
    let drive_used = (stored / (drives * nodes as f64)).min(shape.value(f::DRIVE_BYTES));
    let topology = topology(cat, sc, shape, &spec, counts, file)?;
    let tranches: Vec<TrancheEvent> = sc
        .tranches
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let generation = match &t.shape {
                Some(id) if id != &shape.id => Some(generation(
                    cat,
                    sc,
                    shape,
                    &spec,
                    (i, id),
                    (nodes, drr_v, &net),
                    file,
                )?),
                _ => None,
            };
            Ok(TrancheEvent {
                at: SimTime::from_secs_f64(t.day * 86_400.0),
                label: t.label.clone(),
                add_nodes: t.add_nodes,
                add_gpus: t.add_gpus,
                generation,
            })
        })
        .collect::<Result<_, InputError>>()?;
    if topology.layout.domain == FailureDomain::Rack {
        rack_capacity_after_tranches(sc, shape, &spec, counts, &tranches, file)?;
    }
    Ok(SimInput {
        spec,
        nodes,
        compute_nodes: counts.compute,
        disaggregated: shape.is_disaggregated(),
        drives_per_node: drives as u32,
        drive_used_bytes: drive_used,
        gpus,
        gpus_per_client_vm: per_vm,
        training,
        steady,
        checkpoint,
        gpu_mttf: sc
            .interruptions
            .as_ref()
            .map(|i| SimDuration::from_secs_f64(i.gpu_mttf_hours * 3600.0)),
        failures: sc.failures.as_ref().map(|fl| FailurePlan {
            drive_afr: fl.drive_afr,
            node_loss_per_year: node_loss_per_year(cat, sc, shape).unwrap_or(0.0),
            rebuild_cap: fl.rebuild_cap_gbs.map(|g| g * 1e9),
            rebuild_streams: fl.rebuild_streams,
        }),
        tranches,
        duration: SimDuration::from_secs_f64(days * 86_400.0),
        sample_interval: SimDuration::from_secs_f64(sample_s),
        seed: seed.unwrap_or(sc.seed),
        topology,
    })
}

/// The devices of tranche `i`'s shape `id` as a [`Generation`] of a cluster of
/// `shape`. Refused, at the tranche's `shape` line, when the shape is unknown or moves a
/// byte over other resources (another deployment kind or packaging): mixing those is two
/// clusters, not two generations of one.
#[allow(clippy::too_many_arguments)]
fn generation(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    spec: &ClusterSpec,
    (i, id): (usize, &str),
    (nodes, drr, net): (u32, f64, &NetOptions),
    file: &str,
) -> Result<Generation, InputError> {
    let err =
        |msg: String| sc.error_at(file, &format!("tranches[{i}].shape"), "tranches.shape", msg);
    let g = cat
        .shape(id)
        .map_err(|e| err(format!("tranche {}: {}", i + 1, e.message)))?;
    let packaging = |s: &Shape| {
        if s.is_disaggregated() {
            "CNodes apart from DBoxes"
        } else {
            "converged boxes"
        }
    };
    if g.kind != shape.kind {
        return Err(err(format!(
            "tranche {}: `{id}` ({}) cannot join a cluster of `{}` ({}): a tranche adds nodes of the same deployment kind",
            i + 1,
            g.kind.as_str(),
            shape.id,
            shape.kind.as_str()
        )));
    }
    if g.is_disaggregated() != shape.is_disaggregated() {
        return Err(err(format!(
            "tranche {}: `{id}` ({}) cannot join a cluster of `{}` ({}): a tranche adds nodes of the same packaging",
            i + 1,
            packaging(g),
            shape.id,
            packaging(shape)
        )));
    }
    let gspec = cluster_spec(cat, g, nodes, drr, net)?;
    let classes = |s: &ClusterSpec| -> Vec<_> {
        s.pools(crate::cluster::Counts::new(nodes, nodes), 1)
            .iter()
            .map(|p| p.class)
            .collect()
    };
    if classes(&gspec) != classes(spec) {
        return Err(err(format!(
            "tranche {}: `{id}` moves bytes over other resources than `{}` (a DPU or a network the other lacks); plan it as its own cluster",
            i + 1,
            shape.id
        )));
    }
    let raw = |s: &Shape| s.value(f::DRIVES_PER_NODE) * s.value(f::DRIVE_BYTES);
    Ok(Generation {
        shape: id.to_string(),
        spec: gspec,
        drives_per_node: g.value(f::DRIVES_PER_NODE) as u32,
        raw_ratio: raw(g) / raw(shape),
    })
}

/// VAST's rack resiliency lets racks differ by at most 2x in capacity
/// (kb.vastdata.com rack-resiliency; shared/facts/vast.md §2). Devices join racks as the
/// simulation places them, so a tranche of bigger boxes can break that; it is refused at
/// its `shape` line, naming the two racks. (Only what a generation adds is judged: racks
/// uneven by their device counts alone, a partial last rack, are the starting layout's
/// question, not the tranche's.)
fn rack_capacity_after_tranches(
    sc: &Scenario,
    shape: &Shape,
    spec: &ClusterSpec,
    counts: Counts,
    tranches: &[TrancheEvent],
    file: &str,
) -> Result<(), InputError> {
    let mut d = Devices::new(
        shape.is_disaggregated(),
        counts.compute.max(1),
        counts.storage.max(1),
        spec.topology.nodes_per_rack,
    );
    let mut raw = vec![1.0];
    for (i, t) in tranches.iter().enumerate() {
        let storage = d.key_of(SideKey::Storage);
        let gen = t.generation.as_ref().map(|g| {
            raw.push(g.raw_ratio);
            u16::try_from(raw.len() - 1).unwrap_or(u16::MAX)
        });
        d.join(t.add_nodes, added_cnodes(t.add_nodes, counts), gen);
        if raw.len() == 1 {
            continue;
        }
        // (rack, raw capacity, devices) of every rack holding storage.
        let per_rack: Vec<(u32, f64, f64)> = (0..d.racks())
            .map(|r| {
                let (start, n) = d.in_rack(storage, r);
                let cap: f64 = (start..start + n)
                    .map(|x| raw[d.gen_of(storage, x) as usize])
                    .sum();
                (r, cap, n as f64)
            })
            .filter(|&(_, _, n)| n > 0.0)
            .collect();
        let spread = |key: fn(&(u32, f64, f64)) -> f64| {
            let lo = per_rack.iter().min_by(|a, b| key(a).total_cmp(&key(b)));
            let hi = per_rack.iter().max_by(|a, b| key(a).total_cmp(&key(b)));
            lo.zip(hi).map(|(lo, hi)| (lo.0, hi.0, key(hi) / key(lo)))
        };
        let by_count = spread(|r| r.2).map_or(1.0, |s| s.2);
        if let Some((lo, hi, ratio)) = spread(|r| r.1) {
            if ratio > 2.0f64.max(by_count) * (1.0 + 1e-12) {
                return Err(sc.error_at(
                    file,
                    &format!("tranches[{i}].shape"),
                    "tranches.shape",
                    format!(
                        "tranche {}: with a rack layout, racks may differ by at most 2x in capacity (VAST rack resiliency), but after it rack {hi} holds {ratio:.1}x the raw capacity of rack {lo}",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// CNodes a tranche of `add` DBoxes brings: the cluster's CNode-to-DBox ratio, rounded up.
pub(super) fn added_cnodes(add: u32, counts: Counts) -> u32 {
    let (s0, c0) = (counts.storage.max(1) as u64, counts.compute as u64);
    u32::try_from((add as u64 * c0).div_ceil(s0)).unwrap_or(u32::MAX)
}

/// Racks, leaves, repair times and the scripted incidents of a run.
///
/// Leaves per rack: VAST's own hardware and DPU servers sit under a mirrored leaf pair,
/// every device homed to both (`switch_node_ports` in `datasets/assumptions.csv`, from the
/// VAST field tool); a cloud VM's host has one top-of-rack switch (our assumption). Spine:
/// two planes (a spine pair, as `leaf_pairs_per_spine_pair` counts them). Repairs without a
/// stated duration take the catalog's outage hours for the kind of box.
pub fn topology(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    spec: &crate::netmodel::ClusterSpec,
    counts: Counts,
    file: &str,
) -> Result<TopologyInput, InputError> {
    use crate::catalog::DeploymentKind as K;
    use crate::scenario::{IncidentKindSpec as S, TargetSpec};
    let cloud_vm = shape.kind == K::VastEboxCloudVm;
    let leaves = sc
        .network
        .as_ref()
        .and_then(|n| n.leaves_per_rack)
        .unwrap_or(match shape.kind {
            K::VastEboxCloudVm | K::AzureBlob => 1,
            _ => 2,
        });
    let repair_h = match shape.kind {
        K::VastEboxCloudVm => cat.assumption("azure_vm_outage_hours")?.value,
        K::AzureBlob => cat.assumption("blob_node_outage_hours")?.value,
        _ => cat.assumption("vast_box_outage_hours")?.value,
    };
    let per_rack = spec.topology.nodes_per_rack.max(1);
    let mut incidents = Vec::new();
    for (k, i) in sc.incidents.iter().enumerate() {
        let kind = match i.kind {
            S::Drive => IncidentKind::Drive,
            S::Node => IncidentKind::Node,
            S::Rack => IncidentKind::Rack,
            S::Leaf => IncidentKind::Leaf,
            S::Spine => IncidentKind::Spine,
            S::Degrade => IncidentKind::Degrade,
        };
        // Devices that tranches added before the incident can be its target.
        let mut d = Devices::new(
            shape.is_disaggregated(),
            counts.compute.max(1),
            counts.storage.max(1),
            per_rack,
        );
        // (A tranche on the incident's day arrives first: tranches are scheduled first.)
        for t in sc.tranches.iter().filter(|t| t.day <= i.day) {
            d.join(t.add_nodes, added_cnodes(t.add_nodes, counts), None);
        }
        let n = match kind {
            IncidentKind::Rack | IncidentKind::Leaf => d.racks(),
            IncidentKind::Spine => 1,
            _ if i.cnode => d.compute,
            _ => d.storage,
        };
        let target = match &i.target {
            TargetSpec::Index(x) => {
                if *x >= n.max(1) {
                    return Err(sc.error_at(
                        file,
                        &format!("incidents[{k}].target"),
                        "incidents.target",
                        format!(
                            "incident {} ({}): target {x} is out of range: the cluster has {n} of them (0..{})",
                            k + 1,
                            kind.as_str(),
                            n.saturating_sub(1)
                        ),
                    ));
                }
                Target::Index(*x)
            }
            TargetSpec::Word(_) => Target::Random,
        };
        if i.cnode && !shape.is_disaggregated() {
            return Err(sc.error_at(
                file,
                &format!("incidents[{k}].cnode"),
                "incidents.cnode",
                format!(
                    "incident {}: cnode = true needs a disaggregated shape",
                    k + 1
                ),
            ));
        }
        incidents.push(Incident {
            at: SimTime::from_secs_f64(i.day * 86_400.0),
            kind,
            target,
            duration: i
                .duration_hours
                .map(|h| SimDuration::from_secs_f64(h * 3600.0)),
            capacity_fraction: i.capacity_fraction.unwrap_or(1.0),
            cnode: i.cnode,
        });
    }
    let skew = sc.network.as_ref().and_then(|n| {
        Some(Skew {
            hot_fraction: n.hot_cnode_fraction?,
            hot_share: n.hot_connection_share?,
        })
    });
    Ok(TopologyInput {
        expand: false,
        skew,
        incidents,
        leaves_per_rack: leaves,
        spine_planes: 2,
        repair: SimDuration::from_secs_f64(repair_h * 3600.0),
        node_loses_data: cloud_vm,
        layout: layout(
            cat,
            sc,
            shape,
            spec,
            counts,
            counts.compute.max(1).div_ceil(per_rack),
            file,
        )?,
    })
}

/// Fewest storage racks VAST's rack resiliency takes (kb.vastdata.com rack-resiliency:
/// "min 7 racks/failure domains"; shared/facts/vast.md §2).
pub const MIN_LAYOUT_RACKS: u32 = 7;

/// The stripe layout of a run: the scenario's `[layout]`, else DBox-HA at the catalog's
/// `vast_strips_per_failure_domain`, the rule the durability command and the stripe width
/// (`EcRules::stripe`) use. A layout the cluster's stripe cannot keep is refused: the
/// capacity model sizes the stripe by the per-node rule alone and does not narrow it to
/// a rack layout, so the error says how to narrow it (`vast_max_stripe_width`, which the
/// capacity follows).
fn layout(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    spec: &crate::netmodel::ClusterSpec,
    counts: Counts,
    racks: u32,
    file: &str,
) -> Result<StripeLayout, InputError> {
    use crate::scenario::FailureDomainSpec;
    let rules = crate::sizing::ec_rules(cat)?;
    let (data, parity) = (spec.protection.stripe_data, spec.protection.stripe_parity);
    let default = StripeLayout {
        domain: FailureDomain::Node,
        strips_per_domain: rules.strips_per_domain,
    };
    // Blob's layout is the provider's, whatever the scenario asks of VAST candidates.
    let blob = shape.kind == crate::catalog::DeploymentKind::AzureBlob;
    let Some(l) = sc.layout.as_ref().filter(|_| !blob && data > 0) else {
        return Ok(default);
    };
    let domain = match l.failure_domain {
        FailureDomainSpec::Node => FailureDomain::Node,
        FailureDomainSpec::Rack => FailureDomain::Rack,
    };
    let m = l.strips_per_domain.unwrap_or(match domain {
        FailureDomain::Node => rules.strips_per_domain,
        FailureDomain::Rack => parity,
    });
    let out = StripeLayout {
        domain,
        strips_per_domain: m,
    };
    let key = if l.strips_per_domain.is_some() {
        "layout.strips_per_domain"
    } else {
        "layout.failure_domain"
    };
    let err = |field: &str, m: String| sc.error_at(file, field, field, m);
    let drives_per_node = shape.value(f::DRIVES_PER_NODE).max(1.0) as u64;
    let (domains, per_domain, what) = match domain {
        FailureDomain::Node => (counts.storage, drives_per_node, "storage nodes"),
        FailureDomain::Rack => {
            // DBoxes spread over the CNode racks: a small cluster leaves some without.
            let storage_racks = if shape.is_disaggregated() {
                racks.min(counts.storage)
            } else {
                racks
            };
            if storage_racks < MIN_LAYOUT_RACKS {
                return Err(err(
                    "layout.failure_domain",
                    format!(
                        "a rack layout needs at least {MIN_LAYOUT_RACKS} storage racks (VAST rack resiliency); {} with {} storage nodes and {} per rack spans {storage_racks} (lower network.nodes_per_rack or add nodes)",
                        shape.id,
                        counts.storage,
                        spec.topology.nodes_per_rack.max(1)
                    ),
                ));
            }
            if m > parity {
                return Err(err(
                    "layout.strips_per_domain",
                    format!(
                        "a rack layout takes 1 to the parity ({parity}) strips per rack, so that a lost rack leaves every stripe readable; got {m}"
                    ),
                ));
            }
            (
                storage_racks,
                counts.storage as u64 * drives_per_node / storage_racks.max(1) as u64,
                "storage racks",
            )
        }
    };
    let width = (data + parity) as u64;
    let each = (m as u64).min(per_domain);
    if width > each * domains as u64 {
        let fits = each * domains as u64;
        return Err(err(
            key,
            format!(
                "a {data}+{parity} stripe does not fit {domains} {what} at {each} strips each (the stripe width follows the per-node rule only; narrow it with overrides \"assumptions.vast_max_stripe_width\" = {fits} or give more {what})"
            ),
        ));
    }
    Ok(out)
}
