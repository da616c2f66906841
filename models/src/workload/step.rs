//! The MLPerf Storage step model (DLIO): each emulated accelerator, per step, needs
//! `batch × record` bytes read from storage and then computes for a fixed emulated time.
//! DLIO prefetches the next batch while the current one computes, so a step lasts
//! max(compute, load) and accelerator utilisation (AU) is compute / step time. A run passes
//! only if AU stays at or above the workload's floor (90 % for unet3d/resnet50, 70 % for
//! cosmoflow).

/// One workload on one accelerator generation.
#[derive(Clone, Debug, PartialEq)]
pub struct StepModel {
    pub record_bytes: f64,
    pub batch_size: f64,
    pub compute_s: f64,
    pub au_floor: f64,
}

impl StepModel {
    pub fn bytes_per_step(&self) -> f64 {
        self.record_bytes * self.batch_size
    }

    /// Read rate per accelerator that keeps it 100 % busy.
    pub fn demand_full(&self) -> f64 {
        self.bytes_per_step() / self.compute_s
    }

    /// Read rate per accelerator that holds AU exactly at the floor: the step may stretch
    /// to compute / floor, so the batch may take that long to arrive.
    pub fn demand_at_floor(&self) -> f64 {
        self.bytes_per_step() * self.au_floor / self.compute_s
    }

    /// Utilisation of an accelerator whose reads get `rate` bytes/s in steady state.
    pub fn utilisation_at_rate(&self, rate: f64) -> f64 {
        if rate <= 0.0 {
            return 0.0;
        }
        let load = self.bytes_per_step() / rate;
        self.compute_s / self.compute_s.max(load)
    }

    /// The largest accelerator count a storage system delivering `bandwidth` bytes/s can
    /// keep at or above the floor (all accelerators sharing it fairly).
    pub fn max_accelerators(&self, bandwidth: f64) -> u64 {
        let per = self.demand_at_floor();
        if per <= 0.0 || bandwidth <= 0.0 {
            return 0;
        }
        // A hair of slack so that an exact multiple is not lost to rounding.
        ((bandwidth / per) * (1.0 + 1e-12)).floor() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unet3d_h100() -> StepModel {
        StepModel {
            record_bytes: 146_600_628.0,
            batch_size: 7.0,
            compute_s: 0.323,
            au_floor: 0.90,
        }
    }

    #[test]
    fn unet3d_h100_demand_matches_the_published_derivation() {
        // gpu-storage.md §2b: 1,026.2 MB/step, 3.177 GB/s at 100 %, 2.859 GB/s at the floor.
        let m = unet3d_h100();
        assert!((m.bytes_per_step() / 1e6 - 1026.2).abs() < 0.1);
        assert!((m.demand_full() / 1e9 - 3.177).abs() < 0.001);
        assert!((m.demand_at_floor() / 1e9 - 2.859).abs() < 0.001);
    }

    #[test]
    fn utilisation_is_one_when_storage_keeps_up_and_floor_at_floor_rate() {
        let m = unet3d_h100();
        assert_eq!(m.utilisation_at_rate(10e9), 1.0);
        assert!((m.utilisation_at_rate(m.demand_at_floor()) - 0.90).abs() < 1e-12);
        assert!(m.utilisation_at_rate(1e9) < 0.90);
        assert_eq!(m.utilisation_at_rate(0.0), 0.0);
    }

    #[test]
    fn max_accelerators_is_bandwidth_over_floor_demand() {
        let m = unet3d_h100();
        let per = m.demand_at_floor();
        assert_eq!(m.max_accelerators(per * 100.0), 100);
        assert_eq!(m.max_accelerators(per * 100.0 - 1.0), 99);
        assert_eq!(m.max_accelerators(0.0), 0);
    }
}
