use super::{PathKind, Protection, ResourceClass};
use ResourceClass::*;

/// Cluster-total bytes on each resource class per client byte read and written, per byte
/// rebuilt after a failure, and per client byte read from data that is being rebuilt.
#[derive(Clone, Debug, PartialEq)]
pub struct PathCosts {
    pub read: Vec<(ResourceClass, f64)>,
    pub write: Vec<(ResourceClass, f64)>,
    /// Per byte of lost data reconstructed (empty: the service repairs itself, unseen).
    pub rebuild: Vec<(ResourceClass, f64)>,
    /// Per client byte read when the byte's strip is lost and must be decoded on the fly.
    pub degraded_read: Vec<(ResourceClass, f64)>,
}

impl PathCosts {
    pub fn rebuild_cost(&self, class: ResourceClass) -> f64 {
        lookup(&self.rebuild, class)
    }
    pub fn degraded_read_cost(&self, class: ResourceClass) -> f64 {
        lookup(&self.degraded_read, class)
    }
    pub fn read_cost(&self, class: ResourceClass) -> f64 {
        lookup(&self.read, class)
    }
    pub fn write_cost(&self, class: ResourceClass) -> f64 {
        lookup(&self.write, class)
    }
}

fn lookup(costs: &[(ResourceClass, f64)], class: ResourceClass) -> f64 {
    costs
        .iter()
        .filter(|(c, _)| *c == class)
        .map(|(_, v)| v)
        .sum()
}

/// The per-byte costs of a deployment of `nodes` storage nodes (VMs, EBoxes, servers; for
/// own hardware, the number of DBoxes holding data).
pub fn path_costs(kind: PathKind, nodes: u32, p: &Protection) -> PathCosts {
    let n = nodes.max(1) as f64;
    // Share of a node's data that lives on *other* nodes: strips are spread evenly over all
    // nodes, so a node holds 1/N of any file and fetches (N−1)/N from its peers.
    let remote = (n - 1.0) / n;
    let buf = p.buffer_amplification();
    let stripe = p.stripe_amplification();
    let k = p.rebuild_read_factor();
    match kind {
        PathKind::VastOwnHardware => {
            // Read: the DBox reads the byte from QLC (1), sends it over the fabric (DBox tx 1,
            // CNode rx 1); the CNode serves it to the client (CNode tx 1, client rx 1).
            // Healthy reads touch data strips only: parity is read on rebuild, not here.
            let read = vec![
                (ClientNicRx, 1.0),
                (NodeNicTx, 1.0),
                (Protocol, 1.0),
                (FabricCnodeRx, 1.0),
                (FabricDboxTx, 1.0),
                (MediaRead, 1.0),
            ];
            // Write: client → CNode (1). The CNode erasure-codes into the SCM write buffer:
            // buf = (w+2)/w bytes cross the fabric (CNode tx, DBox rx) and land in SCM.
            // Migration later reads the w data strips back (SCM read 1, DBox tx 1, CNode rx 1),
            // reduces by DRR and writes wide stripes: stripe = (D+4)/(D·DRR) bytes over the
            // fabric again (CNode tx, DBox rx) onto QLC.
            let write = vec![
                (ClientNicTx, 1.0),
                (NodeNicRx, 1.0),
                (Protocol, 1.0),
                (FabricCnodeTx, buf + stripe),
                (FabricDboxRx, buf + stripe),
                (BufferWrite, buf),
                (BufferRead, 1.0),
                (FabricDboxTx, 1.0),
                (FabricCnodeRx, 1.0),
                (MediaWrite, stripe),
            ];
            // Rebuild: DBoxes read k surviving strips per lost byte and send them to a CNode
            // (DBox tx k, CNode rx k), which decodes (protocol 1) and writes the byte back
            // (CNode tx 1, DBox rx 1, QLC write 1).
            let rebuild = vec![
                (MediaRead, k),
                (FabricDboxTx, k),
                (FabricCnodeRx, k),
                (Protocol, 1.0),
                (FabricCnodeTx, 1.0),
                (FabricDboxRx, 1.0),
                (MediaWrite, 1.0),
            ];
            // Degraded read: the k strips come over the fabric instead of one, then the
            // decoded byte goes to the client as usual.
            let degraded_read = vec![
                (ClientNicRx, 1.0),
                (NodeNicTx, 1.0),
                (Protocol, 1.0),
                (FabricCnodeRx, k),
                (FabricDboxTx, k),
                (MediaRead, k),
            ];
            PathCosts {
                read,
                write,
                rebuild,
                degraded_read,
            }
        }
        PathKind::VastEboxVm | PathKind::VastBareMetalDpu => {
            // Read: the VM holding the connection needs the byte; (N−1)/N of it is on peers,
            // which read it from NVMe and send it (peer tx (N−1)/N, serving rx (N−1)/N); the
            // serving VM then sends all of it to the client (tx 1). NIC tx total = 1 + (N−1)/N:
            // almost twice the client's read rate leaves the VMs, and egress is what Azure caps.
            let read = vec![
                (ClientNicRx, 1.0),
                (NodeNicTx, 1.0 + remote),
                (NodeNicRx, remote),
                (Protocol, 1.0),
                (MediaRead, 1.0),
            ];
            // Write: client → serving VM (rx 1). Three east-west legs follow, each with
            // (N−1)/N of its bytes on peers: the buffer write (buf), the migration read of the
            // data strips (1) and the capacity-stripe write (stripe). The buffer lives on the
            // same local NVMe, so media writes are buf + stripe and media reads 1.
            let east_west = remote * (buf + 1.0 + stripe);
            let write = vec![
                (ClientNicTx, 1.0),
                (NodeNicRx, 1.0 + east_west),
                (NodeNicTx, east_west),
                (Protocol, 1.0),
                (MediaWrite, buf + stripe),
                (MediaRead, 1.0),
            ];
            // Rebuild: k surviving strips per lost byte are read from peers ((N−1)/N of them
            // remote) to the rebuilding node, decoded, and the byte written to a peer's spare
            // space ((N−1)/N remote again).
            let rebuild = vec![
                (MediaRead, k),
                (NodeNicTx, remote * (k + 1.0)),
                (NodeNicRx, remote * (k + 1.0)),
                (Protocol, 1.0),
                (MediaWrite, 1.0),
            ];
            let degraded_read = vec![
                (ClientNicRx, 1.0),
                (NodeNicTx, 1.0 + remote * k),
                (NodeNicRx, remote * k),
                (Protocol, 1.0),
                (MediaRead, k),
            ];
            PathCosts {
                read,
                write,
                rebuild,
                degraded_read,
            }
        }
        PathKind::AzureBlob => {
            // The service is a black box with per-account ingress and egress limits; its
            // internal copies (3 replicas, later LRC 12+2+2) are not on the customer's path.
            // A read still comes off a drive: one data fragment per byte (media read 1; a
            // pool exists only where the catalog states the drives' bandwidth).
            let read = vec![(ClientNicRx, 1.0), (AccountEgress, 1.0), (MediaRead, 1.0)];
            PathCosts {
                degraded_read: read.clone(),
                read,
                write: vec![(ClientNicTx, 1.0), (AccountIngress, 1.0)],
                rebuild: Vec::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prot(w: u32, d: u32, drr: f64) -> Protection {
        Protection {
            buffer_data: w,
            buffer_parity: 2,
            stripe_data: d,
            stripe_parity: 4,
            drr,
        }
    }

    #[test]
    fn ebox_read_egress_for_eight_vms() {
        // 8 VMs: 7/8 of every byte comes from a peer, then all of it goes to the client:
        // egress = 1 + 7/8 = 1.875 bytes per client byte.
        let c = path_costs(PathKind::VastEboxVm, 8, &prot(8, 12, 1.0));
        assert!((c.read_cost(NodeNicTx) - 1.875).abs() < 1e-12);
        assert!((c.read_cost(NodeNicRx) - 0.875).abs() < 1e-12);
        assert_eq!(c.read_cost(MediaRead), 1.0);
    }

    #[test]
    fn ebox_write_egress_hand_worked() {
        // 11 EBoxes, 8+2 buffer (1.25), 18+4 stripes at DRR 1 (22/18 = 1.2222…):
        // east-west = 10/11 × (1.25 + 1 + 1.2222…) = 10/11 × 3.4722… = 3.15656…
        let c = path_costs(PathKind::VastEboxVm, 11, &prot(8, 18, 1.0));
        let ew = 10.0 / 11.0 * (1.25 + 1.0 + 22.0 / 18.0);
        assert!((c.write_cost(NodeNicTx) - ew).abs() < 1e-12);
        assert!((c.write_cost(NodeNicRx) - (1.0 + ew)).abs() < 1e-12);
        assert!((c.write_cost(MediaWrite) - (1.25 + 22.0 / 18.0)).abs() < 1e-12);
    }

    #[test]
    fn single_node_has_no_east_west_traffic() {
        let c = path_costs(PathKind::VastEboxVm, 1, &prot(8, 8, 1.0));
        assert_eq!(c.read_cost(NodeNicTx), 1.0);
        assert_eq!(c.read_cost(NodeNicRx), 0.0);
        assert_eq!(c.write_cost(NodeNicTx), 0.0);
    }

    #[test]
    fn own_hardware_write_crosses_fabric_three_times() {
        // 146+4 at DRR 1.5: stripe = 150/146/1.5 = 0.68493…; buffer 8+2 = 1.25.
        let c = path_costs(PathKind::VastOwnHardware, 20, &prot(8, 146, 1.5));
        let stripe = 150.0 / 146.0 / 1.5;
        assert!((c.write_cost(FabricDboxRx) - (1.25 + stripe)).abs() < 1e-12);
        assert_eq!(c.write_cost(FabricDboxTx), 1.0);
        assert_eq!(c.write_cost(BufferWrite), 1.25);
        assert!((c.write_cost(MediaWrite) - stripe).abs() < 1e-12);
        // Client-facing NIC carries each byte once.
        assert_eq!(c.write_cost(NodeNicRx), 1.0);
        assert_eq!(c.read_cost(NodeNicTx), 1.0);
    }

    #[test]
    fn ebox_rebuild_reads_a_quarter_of_the_stripe() {
        // 146+4 LDEC: k = 146/4 = 36.5 strips read per lost byte; 40 nodes: 39/40 remote.
        let c = path_costs(PathKind::VastEboxVm, 40, &prot(8, 146, 1.0));
        assert!((c.rebuild_cost(MediaRead) - 36.5).abs() < 1e-12);
        assert!((c.rebuild_cost(NodeNicTx) - 39.0 / 40.0 * 37.5).abs() < 1e-12);
        assert_eq!(c.rebuild_cost(MediaWrite), 1.0);
        // A narrow stripe never reads less than one strip per lost byte.
        let narrow = path_costs(PathKind::VastEboxVm, 8, &prot(8, 2, 1.0));
        assert_eq!(narrow.rebuild_cost(MediaRead), 1.0);
    }

    #[test]
    fn degraded_reads_cost_more_than_healthy_reads() {
        for kind in [PathKind::VastOwnHardware, PathKind::VastEboxVm] {
            let c = path_costs(kind, 20, &prot(8, 36, 1.0));
            assert!(c.degraded_read_cost(MediaRead) > c.read_cost(MediaRead));
            assert_eq!(c.degraded_read_cost(ClientNicRx), c.read_cost(ClientNicRx));
        }
    }

    #[test]
    fn data_reduction_only_shrinks_the_capacity_write() {
        let a = path_costs(PathKind::VastEboxVm, 16, &prot(8, 28, 1.0));
        let b = path_costs(PathKind::VastEboxVm, 16, &prot(8, 28, 2.0));
        assert!(b.write_cost(MediaWrite) < a.write_cost(MediaWrite));
        assert_eq!(a.read, b.read);
    }
}
