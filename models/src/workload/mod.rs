//! Workloads: what GPU clients demand of storage.
//!
//! - [`step`]: the MLPerf Storage (DLIO) step model for training reads.
//! - [`checkpoint`]: checkpoint sizes and the interval that balances save cost and lost work.
//! - [`kvcache`]: KV-cache bytes per token for inference offload.

pub mod checkpoint;
pub mod kvcache;
pub mod step;
