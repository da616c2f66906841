//! KV-cache bytes per token, as the MLCommons KV-cache benchmark computes them:
//! layers × KV heads × head dimension × 2 (K and V) × bytes per element.

pub fn kv_bytes_per_token(layers: f64, kv_heads: f64, head_dim: f64, dtype_bytes: f64) -> f64 {
    layers * kv_heads * head_dim * 2.0 * dtype_bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llama31_8b_and_70b_match_the_benchmark_table() {
        // 128 KiB and 320 KiB per token at fp16 (gpu-storage.md, KV-cache offload).
        assert_eq!(kv_bytes_per_token(32.0, 8.0, 128.0, 2.0), 128.0 * 1024.0);
        assert_eq!(kv_bytes_per_token(80.0, 8.0, 128.0, 2.0), 320.0 * 1024.0);
    }
}
