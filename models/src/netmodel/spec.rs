//! From a deployment's per-node capacities to the pools of a cluster of N nodes and M
//! client VMs. This is the one place where the I/O path, the node ceilings and the
//! topology meet, so the closed form and the simulation see the same resources.

use super::topology::{cross_rack_fraction, racks_for, Topology};
use super::Pool;
use crate::cluster::{Counts, Side};
use crate::iopath::{path_costs, PathCosts, PathKind, Protection, ResourceClass};
use ResourceClass::*;

/// A capacity with the reason it has that value (source, or how it was derived).
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub bytes_per_s: f64,
    pub basis: String,
}

impl Limit {
    pub fn new(bytes_per_s: f64, basis: impl Into<String>) -> Self {
        Limit {
            bytes_per_s,
            basis: basis.into(),
        }
    }
}

/// Per-node ceilings of a deployment. `None` means the node has no such resource (an
/// Azure VM has no NVMe-oF fabric; Blob has no media the customer sees).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeLimits {
    pub nic_tx: Option<Limit>,
    pub nic_rx: Option<Limit>,
    /// Linear read/write protocol budget: reads alone reach `protocol_read`, writes alone
    /// `protocol_write`, and a mix shares one budget linearly.
    pub protocol_read: Option<Limit>,
    pub protocol_write: Option<Limit>,
    pub fabric_cnode: Option<Limit>,
    pub fabric_dbox: Option<Limit>,
    pub media_read: Option<Limit>,
    pub media_write: Option<Limit>,
    pub buffer_write: Option<Limit>,
    pub buffer_read: Option<Limit>,
    pub account_ingress: Option<Limit>,
    pub account_egress: Option<Limit>,
    /// Line rate of the node's ports, for sizing its rack's leaf uplinks.
    pub line_rate: Option<Limit>,
}

/// Everything needed to lay out a cluster of any size from one kind of node.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSpec {
    /// The catalog inputs the limits rest on, least confident first.
    pub inputs: Vec<(String, crate::provenance::Confidence)>,
    /// The same inputs with their values and sources, for a report's list of them.
    pub input_values: Vec<crate::sizing::Input>,
    pub kind: PathKind,
    pub protection: Protection,
    pub node: NodeLimits,
    /// Frontend NIC of one GPU client VM, each direction.
    pub client_nic: Limit,
    pub topology: Topology,
    /// Blob storage accounts the data is sharded over (each has its own ingress and
    /// egress limit); 0 for deployments without accounts.
    pub accounts: u32,
}

impl ClusterSpec {
    /// Per-byte costs; the east-west shares follow the number of data-holding boxes.
    pub fn costs(&self, counts: Counts) -> PathCosts {
        path_costs(self.kind, counts.storage, &self.protection)
    }

    /// Instances of a node-side resource class: CNode-side classes scale with the
    /// compute count, DBox-side ones with the storage count, Blob's account limits with
    /// the accounts.
    fn instances(&self, class: ResourceClass, counts: Counts) -> u32 {
        match Side::of(class) {
            Some(side) => counts.of(side),
            None => self.accounts,
        }
    }

    /// The pools of a cluster of `counts` storage devices and `client_vms` GPU client
    /// VMs. Pools no byte crosses are left out.
    pub fn pools(&self, counts: Counts, client_vms: u32) -> Vec<Pool> {
        let c = self.costs(counts);
        let mut pools = Vec::new();
        let mut add =
            |class: ResourceClass, name: &str, instances: u32, limit: &Limit, scale_write: f64| {
                let (r, w) = (c.read_cost(class), c.write_cost(class) * scale_write);
                let (rb, dg) = (c.rebuild_cost(class), c.degraded_read_cost(class));
                // An unbounded resource never binds and would only poison sums with infinities.
                if instances == 0
                    || !limit.bytes_per_s.is_finite()
                    || (r == 0.0 && w == 0.0 && rb == 0.0 && dg == 0.0)
                {
                    return;
                }
                pools.push(Pool {
                    class,
                    name: name.to_string(),
                    instances,
                    capacity: limit.bytes_per_s,
                    read_cost: r,
                    write_cost: w,
                    rebuild_cost: rb,
                    degraded_read_cost: dg,
                    basis: limit.basis.clone(),
                });
            };
        add(
            ClientNicRx,
            "GPU client NIC rx",
            client_vms,
            &self.client_nic,
            1.0,
        );
        add(
            ClientNicTx,
            "GPU client NIC tx",
            client_vms,
            &self.client_nic,
            1.0,
        );
        let n = &self.node;
        let node_pools: [(ResourceClass, &str, &Option<Limit>); 12] = [
            (NodeNicTx, "node NIC tx (egress)", &n.nic_tx),
            (NodeNicRx, "node NIC rx", &n.nic_rx),
            (FabricCnodeTx, "CNode fabric tx", &n.fabric_cnode),
            (FabricCnodeRx, "CNode fabric rx", &n.fabric_cnode),
            (FabricDboxTx, "DBox fabric tx", &n.fabric_dbox),
            (FabricDboxRx, "DBox fabric rx", &n.fabric_dbox),
            (MediaRead, "media read", &n.media_read),
            (MediaWrite, "media write", &n.media_write),
            (BufferWrite, "write buffer write", &n.buffer_write),
            (BufferRead, "write buffer read", &n.buffer_read),
            (AccountIngress, "account ingress", &n.account_ingress),
            (AccountEgress, "account egress", &n.account_egress),
        ];
        for (class, name, limit) in node_pools {
            if let Some(l) = limit {
                add(class, name, self.instances(class, counts), l, 1.0);
            }
        }
        if let (Some(pr), Some(pw)) = (&n.protocol_read, &n.protocol_write) {
            // One linear budget in read-equivalent bytes: a written byte costs R/W of it.
            let scale = if pw.bytes_per_s > 0.0 {
                pr.bytes_per_s / pw.bytes_per_s
            } else {
                f64::INFINITY
            };
            let basis = if pr.basis == pw.basis {
                pr.basis.clone()
            } else {
                format!("{}; writes: {}", pr.basis, pw.basis)
            };
            add(
                Protocol,
                "protocol CPU budget (read-equivalent)",
                counts.compute,
                &Limit::new(pr.bytes_per_s, basis),
                scale,
            );
        }
        pools.extend(self.uplink_pools(counts.compute, client_vms, &c));
        pools
    }

    /// Leaf uplinks: every client byte leaves a storage rack and enters a client rack (GPU
    /// clients sit in their own racks); east-west bytes between storage nodes leave the
    /// rack in proportion to the peers elsewhere. Own hardware keeps its NVMe-oF traffic on
    /// a separate back-end fabric, so only client bytes cross its uplinks, and the racks
    /// that matter are those of the CNodes (`nodes` is the compute count).
    fn uplink_pools(&self, nodes: u32, client_vms: u32, c: &PathCosts) -> Vec<Pool> {
        let t = &self.topology;
        let mut out = Vec::new();
        let storage_racks = racks_for(nodes, t.nodes_per_rack);
        let client_racks = racks_for(client_vms, t.clients_per_rack);
        let cross = match self.kind {
            PathKind::VastEboxVm | PathKind::VastBareMetalDpu => {
                cross_rack_fraction(nodes, t.nodes_per_rack)
            }
            _ => 0.0,
        };
        // East-west share of node NIC tx per cost vector: NIC tx minus the client-facing byte.
        let ew = |v: &[(ResourceClass, f64)], client_facing: f64| {
            let tx: f64 = v
                .iter()
                .filter(|(k, _)| *k == NodeNicTx)
                .map(|(_, x)| x)
                .sum();
            (tx - client_facing).max(0.0) * cross
        };
        if let Some(line) = &self.node.line_rate {
            if self.kind != PathKind::AzureBlob {
                let cap = line.bytes_per_s * t.nodes_per_rack.min(nodes.max(1)) as f64
                    / t.oversubscription;
                let basis = format!(
                    "leaf uplinks: {} nodes/rack x {} / oversubscription {}",
                    t.nodes_per_rack, line.basis, t.oversubscription
                );
                for (class, name, client_read, client_write) in [
                    (StorageUplinkTx, "storage leaf uplink tx", 1.0, 0.0),
                    (StorageUplinkRx, "storage leaf uplink rx", 0.0, 1.0),
                ] {
                    let read = client_read + ew(&c.read, 1.0);
                    let write = client_write + ew(&c.write, 0.0);
                    let rebuild = ew(&c.rebuild, 0.0);
                    let degraded = client_read + ew(&c.degraded_read, 1.0);
                    out.push(Pool {
                        class,
                        name: name.into(),
                        instances: storage_racks,
                        capacity: cap,
                        read_cost: read,
                        write_cost: write,
                        rebuild_cost: rebuild,
                        degraded_read_cost: degraded,
                        basis: basis.clone(),
                    });
                }
            }
        }
        if client_vms > 0 {
            let cap = self.client_nic.bytes_per_s * t.clients_per_rack.min(client_vms) as f64
                / t.oversubscription;
            let basis = format!(
                "leaf uplinks: {} client VMs/rack x {} / oversubscription {}",
                t.clients_per_rack, self.client_nic.basis, t.oversubscription
            );
            for (class, name, r, w) in [
                (ClientUplinkRx, "client leaf uplink rx", 1.0, 0.0),
                (ClientUplinkTx, "client leaf uplink tx", 0.0, 1.0),
            ] {
                out.push(Pool {
                    class,
                    name: name.into(),
                    instances: client_racks,
                    capacity: cap,
                    read_cost: r,
                    write_cost: w,
                    rebuild_cost: 0.0,
                    degraded_read_cost: r,
                    basis: basis.clone(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netmodel::ceiling;

    fn ebox_spec() -> ClusterSpec {
        ClusterSpec {
            inputs: Vec::new(),
            input_values: Vec::new(),
            kind: PathKind::VastEboxVm,
            protection: Protection {
                buffer_data: 8,
                buffer_parity: 2,
                stripe_data: 12,
                stripe_parity: 4,
                drr: 1.0,
            },
            node: NodeLimits {
                nic_tx: Some(Limit::new(70e9 / 8.0, "70 Gbps egress")),
                nic_rx: Some(Limit::new(200e9 / 8.0, "200 Gbps Boost")),
                media_read: Some(Limit::new(36e9, "nvme")),
                media_write: Some(Limit::new(18e9, "nvme")),
                protocol_read: Some(Limit::new(30e9, "cpu")),
                protocol_write: Some(Limit::new(6e9, "cpu")),
                line_rate: Some(Limit::new(200e9 / 8.0, "200 GbE")),
                ..Default::default()
            },
            client_nic: Limit::new(80e9 / 8.0, "80 Gbps"),
            topology: Topology {
                nodes_per_rack: 16,
                clients_per_rack: 16,
                oversubscription: 1.0,
            },
            accounts: 0,
        }
    }

    #[test]
    fn eight_l96as_v5_read_ceiling_is_egress_bound() {
        // 8 VMs × 8.75 GB/s egress / (1 + 7/8) = 37.33 GB/s, far under 8 × 36 GB/s NVMe.
        let pools = ebox_spec().pools(Counts::converged(8), 64);
        let c = ceiling(&pools, 1.0);
        let b = &pools[c.binding.unwrap()];
        assert_eq!(b.class, NodeNicTx);
        assert!((c.read - 8.0 * 8.75e9 / 1.875).abs() < 1e3, "{}", c.read);
    }

    #[test]
    fn protocol_budget_scales_writes() {
        let pools = ebox_spec().pools(Counts::converged(8), 64);
        let p = pools.iter().find(|p| p.class == Protocol).unwrap();
        assert_eq!(p.read_cost, 1.0);
        assert!((p.write_cost - 5.0).abs() < 1e-12);
    }

    #[test]
    fn one_rack_keeps_east_west_off_the_uplinks() {
        let pools = ebox_spec().pools(Counts::converged(8), 64);
        let up = pools.iter().find(|p| p.class == StorageUplinkTx).unwrap();
        assert_eq!(
            up.read_cost, 1.0,
            "only the client-facing byte leaves the rack"
        );
        let pools = ebox_spec().pools(Counts::converged(32), 64); // two racks of 16: 16/31 of peers elsewhere
        let up = pools.iter().find(|p| p.class == StorageUplinkTx).unwrap();
        let expect = 1.0 + 31.0 / 32.0 * (16.0 / 31.0);
        assert!((up.read_cost - expect).abs() < 1e-12, "{}", up.read_cost);
    }

    #[test]
    fn few_clients_bind_on_their_own_nics() {
        let pools = ebox_spec().pools(Counts::converged(8), 2);
        let c = ceiling(&pools, 1.0);
        assert_eq!(pools[c.binding.unwrap()].class, ClientNicRx);
        assert!((c.read - 2.0 * 10e9).abs() < 1e3);
    }
}
