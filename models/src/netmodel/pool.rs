use crate::iopath::ResourceClass;

/// A class of identical resources in a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Pool {
    pub class: ResourceClass,
    /// What a person calls it in a report ("VM egress cap", "DBox fabric ports").
    pub name: String,
    pub instances: u32,
    /// Capacity of one instance, in bytes/s (or read-equivalent bytes/s for a linear
    /// read/write budget: see `write_cost`).
    pub capacity: f64,
    /// Cluster-total load per byte/s of client reads.
    pub read_cost: f64,
    /// Cluster-total load per byte/s of client writes. For a resource with one linear
    /// read/write budget (VAST: "100 GB/s reads or 50 GB/s writes"), the write cost is
    /// scaled by read ceiling / write ceiling so that one capacity covers both.
    pub write_cost: f64,
    /// Cluster-total load per byte/s of rebuild (lost bytes reconstructed).
    pub rebuild_cost: f64,
    /// Cluster-total load per byte/s of client reads of lost data (decoded on the fly).
    pub degraded_read_cost: f64,
    /// Where the capacity comes from, for reports.
    pub basis: String,
}

impl Pool {
    /// Load on one instance for client rates `read` and `write` (bytes/s), assuming the
    /// cluster spreads load evenly over the instances.
    pub fn load_per_instance(&self, read: f64, write: f64) -> f64 {
        if self.instances == 0 {
            return 0.0;
        }
        (read * self.read_cost + write * self.write_cost) / self.instances as f64
    }

    /// Total capacity of the pool.
    pub fn total_capacity(&self) -> f64 {
        self.capacity * self.instances as f64
    }
}
