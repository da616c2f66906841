//! Turns a catalog shape into a [`ClusterSpec`]: which ceiling each resource has, and why.
//!
//! Every limit names its basis so that `netcheck` can say what binds and where the number
//! came from. Unknowns are catalog assumptions (overridable by name), never constants here.

use super::spec::{ClusterSpec, Limit, NodeLimits};
use super::topology::Topology;
use crate::capacity::EcRules;
use crate::catalog::{field as f, Catalog, DeploymentKind, Shape};
use crate::error::InputError;
use crate::iopath::{PathKind, Protection};
use crate::provenance::Confidence;
use std::cell::RefCell;

/// Network choices a scenario or the command line may make; `None` takes the catalog's
/// assumption.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetOptions {
    pub oversubscription: Option<f64>,
    pub nodes_per_rack: Option<u32>,
    pub clients_per_rack: Option<u32>,
    /// "tcp" or "rdma"; cloud VMs without documented RDMA always use TCP.
    pub transport: Option<String>,
    /// GPU client VM id whose frontend NIC the clients have.
    pub client_vm: Option<String>,
    /// Per-VM network override for the "what network would it need" question, bytes/s.
    pub node_network: Option<f64>,
}

/// Stripe of a cluster of `domains` failure domains (write buffer 8+2 as VAST 5.1+
/// defaults where at least 10 domains exist, narrower below).
pub fn protection(rules: &EcRules, domains: u32, drr: f64) -> Protection {
    let (d, p) = rules
        .stripe(domains as u64)
        .unwrap_or((rules.min_data, rules.parity));
    // The buffer is N+2 over distinct domains: 8+2 needs 10 (storagemath.com quotes
    // 6+2/8+2/10+2); fewer domains get the widest that fits, at least 2+2.
    let buffer_data = domains.saturating_sub(2).clamp(2, 8);
    Protection {
        buffer_data,
        buffer_parity: 2,
        stripe_data: d,
        stripe_parity: p,
        drr,
    }
}

/// The I/O path a shape's bytes take.
pub fn path_kind(shape: &Shape) -> PathKind {
    match shape.kind {
        // An EBox is CNode and DNodes in one box: east-west traffic shares its NIC, as
        // on a cloud VM, whether the box is owned or rented.
        DeploymentKind::VastOwnHardware
            if shape
                .param("cnodes_per_storage")
                .is_some_and(|p| p.value == 0.0) =>
        {
            PathKind::VastEboxVm
        }
        DeploymentKind::VastOwnHardware => PathKind::VastOwnHardware,
        DeploymentKind::VastEboxCloudVm => PathKind::VastEboxVm,
        DeploymentKind::VastBareMetalDpu => PathKind::VastBareMetalDpu,
        DeploymentKind::AzureBlob => PathKind::AzureBlob,
    }
}

/// How many network units (pool instances) `nodes` of a shape are: nodes, except for
/// Blob, whose limits are per storage account. An architect shards data over as many
/// accounts as the subscription may have in a region (`blob_accounts_per_region`, 250 by
/// default), so that is the count, or more if the capacity itself needs more accounts
/// (then `size` warns). More storage servers never add Blob bandwidth.
pub fn network_units(cat: &Catalog, shape: &Shape, nodes: u32) -> u32 {
    if shape.kind != DeploymentKind::AzureBlob {
        return nodes;
    }
    let raw = shape.value(f::DRIVES_PER_NODE) * shape.value(f::DRIVE_BYTES) * nodes as f64;
    let usable = raw / shape.value(f::RAW_PER_USABLE);
    let account = shape
        .param("account_max_bytes")
        .map_or(f64::INFINITY, |p| p.value);
    let for_capacity = ((usable / account).ceil() as u32).max(1);
    let region = cat
        .assumption("blob_accounts_per_region")
        .map_or(1, |p| p.value.max(1.0) as u32);
    for_capacity.max(region)
}

/// Builds the spec of `shape` for a cluster of `nodes`, at data-reduction ratio `drr`.
pub fn cluster_spec(
    cat: &Catalog,
    shape: &Shape,
    nodes: u32,
    drr: f64,
    opts: &NetOptions,
) -> Result<ClusterSpec, InputError> {
    // Bases name the input and its confidence; its source is one `vastplan shapes` or
    // datasets/assumptions.csv away, and would drown the table.
    // Every input the spec rests on is recorded, so a report can name the least
    // confident one.
    let used: RefCell<Vec<(String, Confidence)>> = RefCell::new(Vec::new());
    let a = |name: &str| {
        cat.assumption(name).map(|p| {
            used.borrow_mut().push((name.to_string(), p.confidence));
            (p.value, format!("{name} ({})", p.confidence))
        })
    };
    let p = |name: &str| -> Result<(f64, String), InputError> {
        let prm = shape.param(name).ok_or_else(|| {
            InputError::new("catalog", format!("shape {} has no `{name}`", shape.id)).field(name)
        })?;
        used.borrow_mut()
            .push((format!("{}.{name}", shape.id), prm.confidence));
        Ok((
            prm.value,
            format!("{}.{name} ({})", shape.id, prm.confidence),
        ))
    };
    let kind = path_kind(shape);
    let rules = crate::sizing::ec_rules(cat)?;
    let protection = protection(&rules, nodes, drr);
    let gbps = |g: f64| g * 1e9 / 8.0;

    let transport = match (&opts.transport, shape.kind) {
        (_, DeploymentKind::VastEboxCloudVm) => "tcp".to_string(),
        (Some(t), _) => t.clone(),
        (None, _) => "rdma".to_string(),
    };
    let (tcp_eff, tcp_basis) = a("tcp_protocol_efficiency")?;
    let transport_factor = if transport == "tcp" { tcp_eff } else { 1.0 };
    let transport_note = if transport == "tcp" {
        format!(" x TCP efficiency {tcp_basis}")
    } else {
        " (RDMA)".to_string()
    };
    // Scale VAST's measured per-CNode budget (GEN6: 37 GB/s read, 7.6 GB/s sustained
    // write; vendor tool) to a server or VM by its vCPUs.
    let cnode = cat.shape("vast-df3120-gen6").ok();
    let (ref_vcpus, ref_basis) = a("cnode_reference_vcpus")?;
    let per_vcpu_budget = |vcpus: f64, vbasis: &str| -> Option<(Limit, Limit)> {
        let c = cnode?;
        let r = c.param(f::CLIENT_READ_BPS)?.value / ref_vcpus * vcpus * transport_factor;
        let w = c.param(f::CLIENT_WRITE_BPS)?.value / ref_vcpus * vcpus * transport_factor;
        let basis = format!(
            "GEN6 CNode read/write budget (vendor-tool) x {vbasis} / {ref_basis}{transport_note}"
        );
        Some((Limit::new(r, basis.clone()), Limit::new(w, basis)))
    };

    let mut node = NodeLimits::default();
    match shape.kind {
        DeploymentKind::VastEboxCloudVm => {
            let (net, net_basis) = match opts.node_network {
                Some(v) => (v, "per-VM network override".to_string()),
                None => p(f::NETWORK_BPS)?,
            };
            node.nic_tx = Some(Limit::new(
                net,
                format!("Azure per-VM egress cap {net_basis}"),
            ));
            let (ing, ing_basis) = a("azure_vm_ingress_ceiling_gbps")?;
            node.nic_rx = Some(Limit::new(
                gbps(ing).max(net),
                format!("host NIC ceiling {ing_basis}"),
            ));
            node.line_rate = Some(Limit::new(
                gbps(ing).max(net),
                format!("host NIC {ing_basis}"),
            ));
            let (r, rb) = p(f::NVME_READ_BPS)?;
            let (w, wb) = p(f::NVME_WRITE_BPS)?;
            node.media_read = Some(Limit::new(r, format!("local NVMe read {rb}")));
            node.media_write = Some(Limit::new(w, format!("local NVMe write {wb}")));
            let (v, vb) = p(f::VCPUS)?;
            if let Some((pr, pw)) = per_vcpu_budget(v, &vb) {
                node.protocol_read = Some(pr);
                node.protocol_write = Some(pw);
            }
        }
        DeploymentKind::VastOwnHardware => {
            let (net, nb) = p(f::NETWORK_BPS)?;
            let (ports, pb) = p(f::STORAGE_PORTS_BPS)?;
            let (r, rb) = p(f::CLIENT_READ_BPS)?;
            let (w, wb) = p(f::CLIENT_WRITE_BPS)?;
            let rt = r * transport_factor;
            let wt = w * transport_factor;
            node.protocol_read = Some(Limit::new(
                rt,
                format!("CNode read budget {rb}{transport_note}"),
            ));
            node.protocol_write = Some(Limit::new(
                wt,
                format!("CNode sustained write {wb}{transport_note}"),
            ));
            let (qr, qrb) = a("qlc_drive_read_bps")?;
            let (qw, qwb) = a("qlc_drive_write_bps")?;
            let (drives, db) = p(f::DRIVES_PER_NODE)?;
            node.media_read = Some(Limit::new(qr * drives, format!("{db} x {qrb}")));
            node.media_write = Some(Limit::new(qw * drives, format!("{db} x {qwb}")));
            if kind == PathKind::VastEboxVm {
                // An EBox: one box, one set of ports for everything.
                node.nic_tx = Some(Limit::new(ports, format!("EBox ports {pb}")));
                node.nic_rx = Some(Limit::new(ports, format!("EBox ports {pb}")));
                node.line_rate = Some(Limit::new(ports, format!("EBox ports {pb}")));
            } else {
                let (share, sb) = a("vast_cnode_frontend_port_share")?;
                let front = Limit::new(
                    net * share,
                    format!("CNode ports {nb} x frontend share {sb}"),
                );
                let back = Limit::new(
                    net * (1.0 - share),
                    format!("CNode ports {nb} x fabric share"),
                );
                node.nic_tx = Some(front.clone());
                node.nic_rx = Some(front.clone());
                node.line_rate = Some(front);
                node.fabric_cnode = Some(back);
                node.fabric_dbox = Some(Limit::new(ports, format!("DBox ports {pb}")));
            }
        }
        DeploymentKind::VastBareMetalDpu => {
            let (ports, pb) = match opts.node_network {
                Some(v) => (v, "per-server network override".to_string()),
                None => p(f::NETWORK_BPS)?,
            };
            // The DPU carries Azure's host networking: the path runs at the least of its
            // ports and each SDN function it must perform (named, overridable limits).
            let mut best = Limit::new(ports, format!("DPU ports {pb}"));
            for name in ["dpu_sdn_encap_gbps", "dpu_sdn_acl_gbps", "dpu_crypto_gbps"] {
                let (g, gb) = a(name)?;
                if gbps(g) < best.bytes_per_s {
                    best = Limit::new(gbps(g), format!("DPU function {gb}"));
                }
            }
            node.nic_tx = Some(best.clone());
            node.nic_rx = Some(best.clone());
            node.line_rate = Some(Limit::new(ports, format!("DPU ports {pb}")));
            let (qr, qrb) = a("qlc_drive_read_bps")?;
            let (qw, qwb) = a("qlc_drive_write_bps")?;
            let (drives, db) = p(f::DRIVES_PER_NODE)?;
            node.media_read = Some(Limit::new(qr * drives, format!("{db} x {qrb}")));
            node.media_write = Some(Limit::new(qw * drives, format!("{db} x {qwb}")));
            let (v, vb) = a("dpu_host_vcpus")?;
            if let Some((pr, pw)) = per_vcpu_budget(v, &vb) {
                node.protocol_read = Some(pr);
                node.protocol_write = Some(pw);
            }
        }
        DeploymentKind::AzureBlob => {
            let (eg, eb) = p(f::NETWORK_BPS)?;
            let (ing, ib) = p("account_ingress_bps")?;
            node.account_egress = Some(Limit::new(eg, format!("per-account egress {eb}")));
            node.account_ingress = Some(Limit::new(ing, format!("per-account ingress {ib}")));
        }
    }

    let client_nic = match &opts.client_vm {
        Some(id) => {
            let g = cat.gpu_vm(id)?;
            Limit::new(
                g.frontend_mbps.value * 1e6 / 8.0,
                format!("{id} frontend Ethernet ({})", g.frontend_mbps.confidence),
            )
        }
        None => Limit::new(f64::INFINITY, "no client NIC limit (clients not modelled)"),
    };
    let (ru, _) = a("rack_units_usable")?;
    let node_u = crate::sizing::node_footprint(cat, shape)?.rack_units;
    let per_rack_default = (ru / node_u).floor().max(1.0) as u32;
    let (os, _) = a("leaf_oversubscription")?;
    let (cpr, _) = a("gpu_client_vms_per_rack")?;
    let topology = Topology {
        nodes_per_rack: opts.nodes_per_rack.unwrap_or(per_rack_default),
        clients_per_rack: opts.clients_per_rack.unwrap_or(cpr.max(1.0) as u32),
        oversubscription: opts.oversubscription.unwrap_or(os),
    };
    if topology.oversubscription.is_nan() || topology.oversubscription < 1.0 {
        return Err(InputError::new(
            "network",
            format!(
                "oversubscription must be at least 1, got {}",
                topology.oversubscription
            ),
        )
        .field("oversubscription"));
    }
    if let Some(id) = &opts.client_vm {
        let g = cat.gpu_vm(id)?;
        used.borrow_mut()
            .push((format!("{id}.frontend_mbps"), g.frontend_mbps.confidence));
    }
    let mut inputs = used.into_inner();
    inputs.sort_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(&y.0)));
    inputs.dedup();
    Ok(ClusterSpec {
        inputs,
        kind,
        protection,
        node,
        client_nic,
        topology,
    })
}
