//! `azure_gpu_vms.csv`: the GPU VMs that read from storage (clients, not candidates).

use super::csvfile::CsvFile;
use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use serde::Serialize;
use std::path::Path;

const COLS: &[&str] = &[
    "id",
    "vcpus",
    "cpu",
    "memory_gib",
    "gpus",
    "gpu_model",
    "backend_gbps",
    "backend_fabric",
    "frontend_mbps",
    "frontend_nics",
    "local_nvme_tib",
    "source",
    "confidence",
];

#[derive(Clone, Debug, Serialize)]
pub struct GpuVm {
    pub id: String,
    pub cpu: String,
    pub gpu_model: String,
    pub backend_fabric: String,
    pub vcpus: Param,
    pub memory_gib: Param,
    pub gpus: Param,
    /// Scale-out (InfiniBand) bandwidth per VM, Gbps.
    pub backend_gbps: Param,
    /// Frontend Ethernet per VM, Mbps as Azure prints it; storage traffic uses this.
    pub frontend_mbps: Param,
    pub frontend_nics: Param,
    pub local_nvme_tib: Param,
    pub source: String,
    pub confidence: Confidence,
}

pub fn load(path: &Path) -> Result<Vec<GpuVm>, InputError> {
    let file = CsvFile::read(path, COLS, &["estimated_fields", "notes"])?;
    file.rows
        .iter()
        .map(|r| {
            Ok(GpuVm {
                id: r.text("id")?,
                cpu: r.text("cpu")?,
                gpu_model: r.text("gpu_model")?,
                backend_fabric: r.text("backend_fabric")?,
                vcpus: r.param("vcpus")?,
                memory_gib: r.param("memory_gib")?,
                gpus: r.param("gpus")?,
                backend_gbps: r.param("backend_gbps")?,
                frontend_mbps: r.param("frontend_mbps")?,
                frontend_nics: r.param("frontend_nics")?,
                local_nvme_tib: r.param("local_nvme_tib")?,
                source: r.source()?,
                confidence: r.confidence()?,
            })
        })
        .collect()
}
