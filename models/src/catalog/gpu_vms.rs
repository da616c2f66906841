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

/// An Azure GPU VM that reads from storage (a client).
#[derive(Clone, Debug, Serialize)]
pub struct GpuVm {
    /// Azure's size name, e.g. `ND96isr_H100_v5`.
    pub id: String,
    /// Host CPU model.
    pub cpu: String,
    /// GPU model as Azure names it.
    pub gpu_model: String,
    /// The scale-out fabric, as Azure describes it.
    pub backend_fabric: String,
    /// vCPUs per VM.
    pub vcpus: Param,
    /// Memory per VM, GiB.
    pub memory_gib: Param,
    /// GPUs per VM.
    pub gpus: Param,
    /// Scale-out (InfiniBand) bandwidth per VM, Gbps.
    pub backend_gbps: Param,
    /// Frontend Ethernet per VM, Mbps as Azure prints it; storage traffic uses this.
    pub frontend_mbps: Param,
    /// Frontend NICs per VM.
    pub frontend_nics: Param,
    /// Local NVMe per VM, TiB (where asynchronous checkpoints land first).
    pub local_nvme_tib: Param,
    /// Where the figures come from.
    pub source: String,
    /// The row's `confidence` column.
    pub confidence: Confidence,
}

/// Loads `azure_gpu_vms.csv`.
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
