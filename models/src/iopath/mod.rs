//! I/O-path multipliers: for one byte a client reads or writes, how many bytes cross each
//! class of resource in the cluster.
//!
//! This is where most wrong sizings go wrong: a cloud VM that holds a client's connection
//! does not hold most of the client's data, so a read crosses the network twice, and a write
//! crosses it three times (into the write buffer, out of it, into the capacity stripes).
//! Each multiplier below is derived in a comment and checked against hand-worked cases.
//!
//! Multipliers are *cluster totals* per client byte, assuming client load and data are
//! spread evenly over the nodes (VAST stripes every file across all drives and any CNode
//! can serve any file). Dividing by the number of instances of a class gives the
//! per-instance load.

mod multipliers;

pub use multipliers::{path_costs, PathCosts};

/// How a deployment is built, which decides the path a byte takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathKind {
    /// VAST on its own hardware: CNodes serve protocols and reach DBoxes (NVMe JBOFs with
    /// SCM write buffers) over an NVMe-oF fabric separate from the client network.
    VastOwnHardware,
    /// One EBox per cloud VM: each VM runs a CNode and DNodes over its own local NVMe;
    /// client-facing and east-west traffic share the VM's NIC and its egress cap.
    VastEboxVm,
    /// VAST bare metal on storage servers whose network goes through a DPU: the EBox path,
    /// with the DPU's ports and host-networking functions instead of a VM's egress cap.
    VastBareMetalDpu,
    /// Azure Blob as a service: the client's byte goes to the account endpoint; internal
    /// replication is the provider's and is not metered to the customer.
    AzureBlob,
}

/// Classes of resource a byte can cross. Each class has one or more instances in a
/// cluster (every client, every node), with a capacity per instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceClass {
    /// GPU client NIC, receive direction.
    ClientNicRx,
    /// GPU client NIC, transmit direction.
    ClientNicTx,
    /// Storage-side NIC facing the network, receive (cloud VM / DPU: all traffic; own
    /// hardware: the CNode's client-facing ports).
    NodeNicRx,
    /// Storage-side NIC, transmit: on Azure this is what the per-VM egress cap meters.
    NodeNicTx,
    /// Protocol work (NFS/S3 serving, erasure coding) on the node that holds the client's
    /// connection, in bytes of client I/O.
    Protocol,
    /// Own hardware only: CNode ports towards the NVMe-oF fabric.
    FabricCnodeRx,
    FabricCnodeTx,
    /// Own hardware only: DBox ports on the NVMe-oF fabric.
    FabricDboxRx,
    FabricDboxTx,
    /// Capacity-tier media (QLC / local NVMe), read and write.
    MediaRead,
    MediaWrite,
    /// Write-buffer media (SCM in a DBox; on cloud VMs a region of the same local NVMe, so
    /// those are added to `MediaWrite`/`MediaRead` instead).
    BufferWrite,
    BufferRead,
    /// Service-side account limits (Azure Blob): ingress and egress per account.
    AccountIngress,
    AccountEgress,
    /// Leaf-to-spine uplinks of storage racks and of GPU client racks, each direction
    /// (added by the topology, not by the I/O path).
    StorageUplinkTx,
    StorageUplinkRx,
    ClientUplinkTx,
    ClientUplinkRx,
}

impl ResourceClass {
    /// A short name for reports.
    pub fn label(self) -> &'static str {
        match self {
            ResourceClass::ClientNicRx => "client NIC rx",
            ResourceClass::ClientNicTx => "client NIC tx",
            ResourceClass::NodeNicRx => "node NIC rx",
            ResourceClass::NodeNicTx => "node NIC tx (egress)",
            ResourceClass::Protocol => "protocol CPU budget",
            ResourceClass::FabricCnodeRx => "CNode fabric rx",
            ResourceClass::FabricCnodeTx => "CNode fabric tx",
            ResourceClass::FabricDboxRx => "DBox fabric rx",
            ResourceClass::FabricDboxTx => "DBox fabric tx",
            ResourceClass::MediaRead => "media read",
            ResourceClass::MediaWrite => "media write",
            ResourceClass::BufferWrite => "write buffer write",
            ResourceClass::BufferRead => "write buffer read",
            ResourceClass::AccountIngress => "account ingress",
            ResourceClass::AccountEgress => "account egress",
            ResourceClass::StorageUplinkTx => "storage leaf uplink tx",
            ResourceClass::StorageUplinkRx => "storage leaf uplink rx",
            ResourceClass::ClientUplinkTx => "client leaf uplink tx",
            ResourceClass::ClientUplinkRx => "client leaf uplink rx",
        }
    }
}

/// The data-protection and reduction parameters that shape the write path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Protection {
    /// Write buffer: `buffer_data + buffer_parity` erasure coding (e.g. 8+2 since VAST 5.1).
    pub buffer_data: u32,
    pub buffer_parity: u32,
    /// Capacity stripes: `stripe_data + stripe_parity` (e.g. 146+4).
    pub stripe_data: u32,
    pub stripe_parity: u32,
    /// Data-reduction ratio applied when data migrates from buffer to capacity tier.
    pub drr: f64,
}

impl Protection {
    /// Bytes written to the write buffer per byte of client data.
    pub fn buffer_amplification(&self) -> f64 {
        (self.buffer_data + self.buffer_parity) as f64 / self.buffer_data as f64
    }
    /// Bytes written to the capacity tier per byte of client data, after reduction.
    pub fn stripe_amplification(&self) -> f64 {
        (self.stripe_data + self.stripe_parity) as f64 / self.stripe_data as f64 / self.drr
    }
    /// Bytes read to reconstruct one lost byte. A conventional D+P code reads D surviving
    /// strips per lost strip; VAST's locally decodable codes read about a quarter of that
    /// (vastdata.com glossary, locally-decodable-erasure-code), never less than one.
    pub fn rebuild_read_factor(&self) -> f64 {
        (self.stripe_data as f64 / 4.0).max(1.0)
    }
}
