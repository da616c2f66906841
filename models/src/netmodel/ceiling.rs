use super::Pool;

/// The most client throughput a cluster sustains at a given read/write mix.
#[derive(Clone, Debug, PartialEq)]
pub struct Ceiling {
    /// Client read bytes/s at the ceiling.
    pub read: f64,
    /// Client write bytes/s at the ceiling.
    pub write: f64,
    /// Index into the pools of the resource that saturates first (`None` if no pool is
    /// loaded at all by this mix, i.e. unlimited).
    pub binding: Option<usize>,
}

impl Ceiling {
    pub fn total(&self) -> f64 {
        self.read + self.write
    }
}

/// Demand against one pool.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolLoad {
    /// Bytes/s demanded of one instance.
    pub demand: f64,
    /// Capacity of one instance.
    pub available: f64,
    /// demand / available (infinite if a zero-capacity pool is loaded).
    pub utilisation: f64,
}

impl PoolLoad {
    pub fn headroom(&self) -> f64 {
        self.available - self.demand
    }
}

/// Loads every pool with client rates (`read`, `write`).
pub fn evaluate(pools: &[Pool], read: f64, write: f64) -> Vec<PoolLoad> {
    pools
        .iter()
        .map(|p| {
            let demand = p.load_per_instance(read, write);
            let utilisation = if demand <= 0.0 {
                0.0
            } else if p.capacity <= 0.0 {
                f64::INFINITY
            } else {
                demand / p.capacity
            };
            PoolLoad {
                demand,
                available: p.capacity,
                utilisation,
            }
        })
        .collect()
}

/// Scales a read fraction `read_share` (0 = all writes, 1 = all reads) up until the first
/// pool saturates. Loads are linear in the client rates, so the ceiling is the unit mix
/// divided by the largest per-unit utilisation.
pub fn ceiling(pools: &[Pool], read_share: f64) -> Ceiling {
    let r = read_share.clamp(0.0, 1.0);
    let w = 1.0 - r;
    let loads = evaluate(pools, r, w);
    let mut worst: Option<(usize, f64)> = None;
    for (i, l) in loads.iter().enumerate() {
        // Ties go to the earlier pool, so the report names a stable binding resource.
        if l.utilisation > 0.0 && worst.is_none_or(|(_, u)| l.utilisation > u) {
            worst = Some((i, l.utilisation));
        }
    }
    match worst {
        Some((i, u)) => Ceiling {
            read: r / u,
            write: w / u,
            binding: Some(i),
        },
        None => Ceiling {
            read: if r > 0.0 { f64::INFINITY } else { 0.0 },
            write: if w > 0.0 { f64::INFINITY } else { 0.0 },
            binding: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iopath::ResourceClass;

    fn pool(name: &str, n: u32, cap: f64, rc: f64, wc: f64) -> Pool {
        Pool {
            class: ResourceClass::NodeNicTx,
            name: name.into(),
            instances: n,
            capacity: cap,
            read_cost: rc,
            write_cost: wc,
            rebuild_cost: 0.0,
            degraded_read_cost: 0.0,
            basis: String::new(),
        }
    }

    #[test]
    fn eight_vms_reading_hit_the_egress_cap_first() {
        // 8 VMs, 8.75 GB/s egress each (70 Gbps), 36 GB/s NVMe read each.
        // Egress carries 1.875 B per client byte: ceiling = 8 × 8.75 / 1.875 = 37.33 GB/s;
        // NVMe alone would allow 8 × 36 = 288 GB/s.
        let pools = vec![
            pool("nvme read", 8, 36e9, 1.0, 0.0),
            pool("egress", 8, 8.75e9, 1.875, 0.0),
        ];
        let c = ceiling(&pools, 1.0);
        assert_eq!(c.binding, Some(1));
        assert!((c.read - 8.0 * 8.75e9 / 1.875).abs() < 1.0);
        assert_eq!(c.write, 0.0);
    }

    #[test]
    fn linear_budget_reproduces_vasts_published_example() {
        // "If the sizer reports 100 GBps reads and 50 GBps writes, the cluster can support
        // 70 GBps reads and 15 GBps writes": 70/100 + 15/50 = 1. With capacity 100 GB/s in
        // read-equivalent bytes and write cost 100/50 = 2, the 70:15 mix saturates exactly.
        let pools = vec![pool("cnode budget", 1, 100e9, 1.0, 2.0)];
        let share = 70.0 / 85.0;
        let c = ceiling(&pools, share);
        assert!((c.read - 70e9).abs() < 1e3, "{}", c.read);
        assert!((c.write - 15e9).abs() < 1e3, "{}", c.write);
    }

    #[test]
    fn unloaded_pools_mean_no_ceiling() {
        let pools = vec![pool("writes only", 4, 1e9, 0.0, 1.0)];
        let c = ceiling(&pools, 1.0);
        assert_eq!(c.binding, None);
        assert!(c.read.is_infinite());
    }

    #[test]
    fn evaluate_reports_headroom() {
        let pools = vec![pool("x", 2, 10.0, 1.0, 1.0)];
        let l = &evaluate(&pools, 6.0, 2.0)[0];
        assert_eq!(l.demand, 4.0);
        assert_eq!(l.headroom(), 6.0);
        assert!((l.utilisation - 0.4).abs() < 1e-12);
    }
}
