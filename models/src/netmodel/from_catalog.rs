//! Turns a catalog shape into a [`ClusterSpec`]: which ceiling each resource has, and why.
//!
//! Every limit names its basis so that `netcheck` can say what binds and where the number
//! came from. Unknowns are catalog assumptions (overridable by name), never constants here.

use super::spec::{ClusterSpec, Limit, NodeLimits};
use super::topology::Topology;
use crate::capacity::EcRules;
use crate::catalog::{field as f, Catalog, DeploymentKind, Packaging, Shape};
use crate::error::InputError;
use crate::iopath::{PathKind, Protection};
use crate::provenance::Param;
use crate::sizing::Input;
use std::cell::RefCell;

/// How clients reach the cluster; it decides the protocol CPU cost per byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tcp,
    Rdma,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Rdma => "rdma",
        }
    }
}

/// Network choices a scenario or the command line may make; `None` takes the catalog's
/// assumption.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NetOptions {
    pub oversubscription: Option<f64>,
    pub nodes_per_rack: Option<u32>,
    pub clients_per_rack: Option<u32>,
    /// Cloud VMs without documented RDMA always use TCP.
    pub transport: Option<Transport>,
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
    match (shape.kind, shape.packaging) {
        // An EBox is CNode and DNodes in one box: east-west traffic shares its NIC, as
        // on a cloud VM, whether the box is owned or rented.
        (DeploymentKind::VastOwnHardware, Packaging::Converged) => PathKind::VastEboxVm,
        (DeploymentKind::VastOwnHardware, Packaging::Disaggregated) => PathKind::VastOwnHardware,
        (DeploymentKind::VastEboxCloudVm, _) => PathKind::VastEboxVm,
        (DeploymentKind::VastBareMetalDpu, _) => PathKind::VastBareMetalDpu,
        (DeploymentKind::AzureBlob, _) => PathKind::AzureBlob,
    }
}

/// Blob storage accounts that `nodes` storage nodes' worth of data is sharded over: the
/// accounts the customer uses (`blob_accounts_used`, a stated assumption), or more if the
/// capacity itself needs more accounts at the per-account maximum. Each account has its
/// own ingress and egress limit, so this — not the storage node count — sets Blob's
/// bandwidth. 0 for other deployments.
pub fn blob_accounts(cat: &Catalog, shape: &Shape, nodes: u32) -> Result<u32, InputError> {
    if shape.kind != DeploymentKind::AzureBlob {
        return Ok(0);
    }
    let raw = shape.value(f::DRIVES_PER_NODE) * shape.value(f::DRIVE_BYTES) * nodes as f64;
    let usable = raw / shape.value(f::RAW_PER_USABLE);
    let account = shape.value(f::ACCOUNT_MAX_BYTES);
    let for_capacity = (usable / account).ceil().max(1.0);
    let used = cat.assumption("blob_accounts_used")?.value.max(1.0);
    Ok(for_capacity.max(used).min(u32::MAX as f64) as u32)
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
    let used: RefCell<Vec<Input>> = RefCell::new(Vec::new());
    let note = |name: String, p: &Param| {
        used.borrow_mut().push(Input {
            name,
            value: p.value,
            source: p.source.clone(),
            confidence: p.confidence,
        })
    };
    let a = |name: &str| {
        cat.assumption(name).map(|p| {
            note(name.to_string(), p);
            (p.value, format!("{name} ({})", p.confidence))
        })
    };
    let p = |name: &str| -> Result<(f64, String), InputError> {
        let prm = shape.param(name).ok_or_else(|| {
            InputError::new("catalog", format!("shape {} has no `{name}`", shape.id)).field(name)
        })?;
        note(format!("{}.{name}", shape.id), prm);
        Ok((
            prm.value,
            format!("{}.{name} ({})", shape.id, prm.confidence),
        ))
    };
    let kind = path_kind(shape);
    let rules = crate::sizing::ec_rules(cat)?;
    let protection = protection(&rules, nodes, drr);
    let gbps = |g: f64| g * 1e9 / 8.0;

    // Azure L-series document no RDMA, so VM clusters speak TCP whatever is asked.
    let transport = match (opts.transport, shape.kind) {
        (_, DeploymentKind::VastEboxCloudVm) => Transport::Tcp,
        (Some(t), _) => t,
        (None, _) => Transport::Rdma,
    };
    let (tcp_eff, tcp_basis) = a("tcp_protocol_efficiency")?;
    let transport_factor = match transport {
        Transport::Tcp => tcp_eff,
        Transport::Rdma => 1.0,
    };
    let transport_note = match transport {
        Transport::Tcp => format!(" x TCP efficiency {tcp_basis}"),
        Transport::Rdma => " (RDMA)".to_string(),
    };
    // Scale the measured budget of the CNode the shape names (its `protocol_reference`)
    // to a server or VM by its vCPUs.
    let (ref_vcpus, ref_basis) = a("cnode_reference_vcpus")?;
    let per_vcpu_budget = |vcpus: f64, vbasis: &str| -> Result<(Limit, Limit), InputError> {
        let (cr, crb) = p(f::REFERENCE_CNODE_READ_BPS)?;
        let (cw, _) = p(f::REFERENCE_CNODE_WRITE_BPS)?;
        let r = cr / ref_vcpus * vcpus * transport_factor;
        let w = cw / ref_vcpus * vcpus * transport_factor;
        let basis =
            format!("reference CNode budget {crb} x {vbasis} / {ref_basis}{transport_note}");
        Ok((Limit::new(r, basis.clone()), Limit::new(w, basis)))
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
            let (pr, pw) = per_vcpu_budget(v, &vb)?;
            node.protocol_read = Some(pr);
            node.protocol_write = Some(pw);
        }
        DeploymentKind::VastOwnHardware => {
            let (net, nb) = p(f::NETWORK_BPS)?;
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
                node.nic_tx = Some(Limit::new(net, format!("EBox ports {nb}")));
                node.nic_rx = Some(Limit::new(net, format!("EBox ports {nb}")));
                node.line_rate = Some(Limit::new(net, format!("EBox ports {nb}")));
            } else {
                let (ports, pb) = p(f::STORAGE_PORTS_BPS)?;
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
            let mut best = Limit::new(ports, format!("DPU ports {pb}"));
            // A server with a DPU: the DPU carries Azure's host networking, so the path
            // runs at the least of its ports and each SDN function it must perform
            // (named, overridable limits), and every network byte also crosses its PCIe
            // link to the host's drives. Without one (a designed server with a plain
            // NIC) the SDN runs on host cores, which the design took off its vCPUs.
            if shape.param(f::DPU_PCIE_BPS).is_some() {
                for name in ["dpu_sdn_encap_gbps", "dpu_sdn_acl_gbps", "dpu_crypto_gbps"] {
                    let (g, gb) = a(name)?;
                    if gbps(g) < best.bytes_per_s {
                        best = Limit::new(gbps(g), format!("DPU function {gb}"));
                    }
                }
                let (pcie, pcb) = p(f::DPU_PCIE_BPS)?;
                if pcie < best.bytes_per_s {
                    best = Limit::new(pcie, format!("DPU host PCIe {pcb}"));
                }
            } else {
                best = Limit::new(ports, format!("server NIC {pb}"));
            }
            node.nic_tx = Some(best.clone());
            node.nic_rx = Some(best.clone());
            let port_name = if shape.param(f::DPU_PCIE_BPS).is_some() {
                "DPU ports"
            } else {
                "server NIC"
            };
            node.line_rate = Some(Limit::new(ports, format!("{port_name} {pb}")));
            // A designed server states its drives' media rate; the shipped rows assume
            // the catalog's QLC drive.
            if shape.param(f::NVME_READ_BPS).is_some() {
                let (r, rb) = p(f::NVME_READ_BPS)?;
                let (w, wb) = p(f::NVME_WRITE_BPS)?;
                node.media_read = Some(Limit::new(r, format!("server NVMe read {rb}")));
                node.media_write = Some(Limit::new(w, format!("server NVMe write {wb}")));
            } else {
                let (qr, qrb) = a("qlc_drive_read_bps")?;
                let (qw, qwb) = a("qlc_drive_write_bps")?;
                let (drives, db) = p(f::DRIVES_PER_NODE)?;
                node.media_read = Some(Limit::new(qr * drives, format!("{db} x {qrb}")));
                node.media_write = Some(Limit::new(qw * drives, format!("{db} x {qwb}")));
            }
            let (v, vb) = if shape.param(f::VCPUS).is_some() {
                p(f::VCPUS)?
            } else {
                a("dpu_host_vcpus")?
            };
            let (pr, pw) = per_vcpu_budget(v, &vb)?;
            node.protocol_read = Some(pr);
            node.protocol_write = Some(pw);
        }
        DeploymentKind::AzureBlob => {
            let (eg, eb) = p(f::NETWORK_BPS)?;
            let (ing, ib) = p(f::ACCOUNT_INGRESS_BPS)?;
            node.account_egress = Some(Limit::new(eg, format!("per-account egress {eb}")));
            node.account_ingress = Some(Limit::new(ing, format!("per-account ingress {ib}")));
            if shape.param(f::DRIVE_READ_BPS).is_some() {
                // Behind the accounts sit drives: an HDD gives a few hundred MB/s, so at
                // enough accounts the media binds, not the account limits.
                let (d, dbb) = p(f::DRIVE_READ_BPS)?;
                let (drives, db) = p(f::DRIVES_PER_NODE)?;
                node.media_read = Some(Limit::new(d * drives, format!("{db} x {dbb}")));
            }
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
    // The racks whose uplinks carry client bytes are those of the client-facing boxes:
    // CNodes when disaggregated, every node otherwise.
    let front_u = if shape.is_disaggregated() {
        p(f::CNODE_CHASSIS_RACK_UNITS)?.0 / p(f::CNODES_PER_CHASSIS)?.0.max(1.0)
    } else {
        crate::sizing::node_footprint(cat, shape)?.rack_units
    };
    let per_rack_default = (ru / front_u).floor().max(1.0) as u32;
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
        note(format!("{id}.frontend_mbps"), &g.frontend_mbps);
    }
    let mut input_values = used.into_inner();
    input_values.sort_by(|x, y| x.confidence.cmp(&y.confidence).then(x.name.cmp(&y.name)));
    input_values.dedup_by(|x, y| x.name == y.name);
    let inputs = input_values
        .iter()
        .map(|i| (i.name.clone(), i.confidence))
        .collect();
    Ok(ClusterSpec {
        inputs,
        input_values,
        kind,
        protection,
        node,
        client_nic,
        topology,
        accounts: blob_accounts(cat, shape, nodes)?,
    })
}
