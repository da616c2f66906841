//! How many of each device a cluster has. VAST's own hardware is disaggregated (DASE):
//! capacity buys DBoxes, performance buys CNodes, and the two counts move apart. Every
//! other deployment is converged: one VM, EBox or server is both, so the counts are equal.

use crate::iopath::ResourceClass;
use serde::Serialize;

/// Device counts of one cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Counts {
    /// Boxes that hold data: DBoxes, EBoxes, VMs, DPU servers (Blob: storage nodes).
    pub storage: u32,
    /// Boxes that serve protocols: CNodes; equal to `storage` when converged.
    pub compute: u32,
}

impl Counts {
    /// A converged cluster of `n` nodes.
    pub fn converged(n: u32) -> Counts {
        Counts {
            storage: n,
            compute: n,
        }
    }

    pub fn new(storage: u32, compute: u32) -> Counts {
        Counts { storage, compute }
    }

    /// The count of `side`.
    pub fn of(self, side: Side) -> u32 {
        match side {
            Side::Storage => self.storage,
            Side::Compute => self.compute,
        }
    }

    /// These counts with `side` set to `n`.
    pub fn with(self, side: Side, n: u32) -> Counts {
        match side {
            Side::Storage => Counts { storage: n, ..self },
            Side::Compute => Counts { compute: n, ..self },
        }
    }
}

/// Which count a node-side resource scales with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// DBox side: media, write buffer, DBox fabric ports, Blob account limits.
    Storage,
    /// CNode side: client-facing ports, protocol budget, CNode fabric ports, and the
    /// leaf uplinks of the racks those ports sit in.
    Compute,
}

impl Side {
    /// The side of a storage-side resource class; `None` for classes no storage device
    /// count changes (the clients' NICs and uplinks, Blob's per-account limits).
    pub fn of(class: ResourceClass) -> Option<Side> {
        use ResourceClass::*;
        match class {
            ClientNicRx | ClientNicTx | ClientUplinkRx | ClientUplinkTx => None,
            NodeNicRx | NodeNicTx | Protocol | FabricCnodeRx | FabricCnodeTx | StorageUplinkRx
            | StorageUplinkTx => Some(Side::Compute),
            FabricDboxRx | FabricDboxTx | MediaRead | MediaWrite | BufferWrite | BufferRead => {
                Some(Side::Storage)
            }
            // Blob's limits are per storage account: the customer's account count, not
            // any device count, sets how many there are.
            AccountIngress | AccountEgress => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Storage => "storage",
            Side::Compute => "compute",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converged_counts_are_equal_and_with_changes_one_side() {
        let c = Counts::converged(11);
        assert_eq!(c.of(Side::Storage), c.of(Side::Compute));
        let d = c.with(Side::Compute, 40);
        assert_eq!((d.storage, d.compute), (11, 40));
    }

    #[test]
    fn every_node_class_has_a_side_and_client_classes_none() {
        assert_eq!(Side::of(ResourceClass::Protocol), Some(Side::Compute));
        assert_eq!(Side::of(ResourceClass::MediaRead), Some(Side::Storage));
        assert_eq!(Side::of(ResourceClass::ClientNicRx), None);
    }
}
