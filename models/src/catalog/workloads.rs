//! `workloads_mlperf.csv` (MLPerf Storage step-model parameters per workload and GPU
//! generation) and `llm_models.csv` (model shapes for checkpoint and KV-cache sizes).

use super::csvfile::CsvFile;
use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use crate::workload::step::StepModel;
use serde::Serialize;
use std::path::Path;

/// One MLPerf Storage training workload on one accelerator generation.
#[derive(Clone, Debug, Serialize)]
pub struct TrainingWorkload {
    /// `<workload>-<accelerator>`, e.g. `resnet50-h100`.
    pub id: String,
    /// The MLPerf Storage workload (`unet3d`, `resnet50`, `cosmoflow`, ...).
    pub workload: String,
    /// The accelerator generation the compute time was measured on (`h100`, `b200`, ...).
    pub accelerator: String,
    /// Bytes of one training record (sample file).
    pub record_bytes: Param,
    /// Records per step per accelerator.
    pub batch_size: Param,
    /// Compute time of one step, seconds (the emulated accelerator's work).
    pub compute_s: Param,
    /// MLPerf's accelerator-utilisation floor (0-1) a storage system must keep.
    pub au_floor: Param,
    /// Where the figures come from.
    pub source: String,
    /// The row's `confidence` column.
    pub confidence: Confidence,
}

impl TrainingWorkload {
    /// The step model these parameters describe (read demand per accelerator).
    pub fn step(&self) -> StepModel {
        StepModel {
            record_bytes: self.record_bytes.value,
            batch_size: self.batch_size.value,
            compute_s: self.compute_s.value,
            au_floor: self.au_floor.value,
        }
    }
}

/// A language model's size and attention shape.
#[derive(Clone, Debug, Serialize)]
pub struct LlmModel {
    /// E.g. `llama3-70b`.
    pub id: String,
    /// Parameters (weights); checkpoints are this × bytes per parameter.
    pub parameters: Param,
    /// Transformer layers.
    pub layers: Param,
    /// Key-value heads per layer (grouped-query attention).
    pub kv_heads: Param,
    /// Dimension of one attention head.
    pub head_dim: Param,
    /// Bytes per KV-cache element.
    pub kv_dtype_bytes: Param,
    /// Where the figures come from.
    pub source: String,
    /// The row's `confidence` column.
    pub confidence: Confidence,
}

/// Loads `workloads_mlperf.csv`.
pub fn load_training(path: &Path) -> Result<Vec<TrainingWorkload>, InputError> {
    let cols = [
        "id",
        "workload",
        "accelerator",
        "record_bytes",
        "batch_size",
        "compute_s_per_step",
        "au_floor",
        "source",
        "confidence",
    ];
    let file = CsvFile::read(path, &cols, &["notes", "estimated_fields"])?;
    file.rows
        .iter()
        .map(|r| {
            let w = TrainingWorkload {
                id: r.text("id")?,
                workload: r.text("workload")?,
                accelerator: r.text("accelerator")?,
                record_bytes: r.param("record_bytes")?,
                batch_size: r.param("batch_size")?,
                compute_s: r.param("compute_s_per_step")?,
                au_floor: r.param("au_floor")?,
                source: r.source()?,
                confidence: r.confidence()?,
            };
            if w.compute_s.value <= 0.0 {
                return Err(r.err("compute_s_per_step", "must be positive"));
            }
            if !(w.au_floor.value > 0.0 && w.au_floor.value <= 1.0) {
                return Err(r.err("au_floor", "must be in (0, 1]"));
            }
            Ok(w)
        })
        .collect()
}

/// Loads `llm_models.csv`.
pub fn load_models(path: &Path) -> Result<Vec<LlmModel>, InputError> {
    let cols = [
        "id",
        "parameters",
        "layers",
        "kv_heads",
        "head_dim",
        "kv_dtype_bytes",
        "source",
        "confidence",
    ];
    let file = CsvFile::read(path, &cols, &["notes", "estimated_fields"])?;
    file.rows
        .iter()
        .map(|r| {
            Ok(LlmModel {
                id: r.text("id")?,
                parameters: r.param("parameters")?,
                layers: r.param("layers")?,
                kv_heads: r.param("kv_heads")?,
                head_dim: r.param("head_dim")?,
                kv_dtype_bytes: r.param("kv_dtype_bytes")?,
                source: r.source()?,
                confidence: r.confidence()?,
            })
        })
        .collect()
}
