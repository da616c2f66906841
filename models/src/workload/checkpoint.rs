//! Checkpoint sizes and cadence.

/// Bytes of one full checkpoint: parameters × bytes per parameter. 14 B/param is the DLIO /
/// MLPerf model (fp16 weights + fp32 optimizer states); 16 B/param adds fp16 gradients (ZeRO).
pub fn checkpoint_bytes(parameters: f64, bytes_per_param: f64) -> f64 {
    parameters * bytes_per_param
}

/// Young's interval that minimises lost time: sqrt(2 · MTTF_job · save time).
pub fn young_interval_s(job_mttf_s: f64, save_s: f64) -> f64 {
    (2.0 * job_mttf_s * save_s).sqrt()
}

/// Mean time between interruptions of a job on `gpus` GPUs, each failing independently
/// with mean time to failure `gpu_mttf_s`.
pub fn job_mttf_s(gpu_mttf_s: f64, gpus: f64) -> f64 {
    gpu_mttf_s / gpus
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama3_405b_at_14_bytes_matches_dlio_size() {
        // MLPerf v2.0 reports 5,292.2 GiB for 405B at 14 B/param: 405.9e9 parameters.
        let b = checkpoint_bytes(405.9e9, 14.0);
        assert!((b / 2f64.powi(30) - 5292.2).abs() / 5292.2 < 1e-3);
    }

    #[test]
    fn llama3_interval_worked_example() {
        // gpu-storage.md §3: MTTF 3.09 h (16,384 GPUs at ~50,700 h), T_s = 60 s → ≈ 19 min.
        let mttf = job_mttf_s(50_700.0 * 3600.0, 16_384.0);
        assert!((mttf / 3600.0 - 3.09).abs() < 0.01);
        let t = young_interval_s(mttf, 60.0);
        assert!((t / 60.0 - 19.3).abs() < 0.2, "{}", t / 60.0);
    }
}
