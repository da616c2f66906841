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
    pub id: String,
    pub workload: String,
    pub accelerator: String,
    pub record_bytes: Param,
    pub batch_size: Param,
    pub compute_s: Param,
    pub au_floor: Param,
    pub source: String,
    pub confidence: Confidence,
}

impl TrainingWorkload {
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
    pub id: String,
    pub parameters: Param,
    pub layers: Param,
    pub kv_heads: Param,
    pub head_dim: Param,
    pub kv_dtype_bytes: Param,
    pub source: String,
    pub confidence: Confidence,
}

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
