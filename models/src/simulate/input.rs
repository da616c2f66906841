use crate::netmodel::ClusterSpec;
use crate::scenario::CheckpointMode;
use crate::workload::step::StepModel;
use vastplan_sim::{SimDuration, SimTime};

/// GPU training reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    pub step: StepModel,
    /// Share of GPUs reading at any time (0..1].
    pub reading_fraction: f64,
}

/// Steady client demand not tied to GPUs (HPC nodes, ingest), each direction capped at
/// what is asked, spread over `streams` client streams for fair sharing.
#[derive(Clone, Debug, PartialEq)]
pub struct SteadyDemand {
    pub read: f64,
    pub write: f64,
    pub streams: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckpointPlan {
    /// Bytes one job writes per checkpoint.
    pub bytes_per_job: f64,
    /// Training time between the end of one checkpoint and the start of the next.
    pub interval: SimDuration,
    pub mode: CheckpointMode,
    pub jobs: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FailurePlan {
    pub drive_afr: f64,
    pub node_loss_per_year: f64,
    /// Rate cap on each rebuild, bytes/s of rebuilt data (`None`: fair share).
    pub rebuild_cap: Option<f64>,
    /// Shares a rebuild takes against client streams (`None`: one per storage node).
    pub rebuild_streams: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrancheEvent {
    pub at: SimTime,
    pub label: String,
    pub add_nodes: u32,
    pub add_gpus: u32,
}

/// Everything one simulation run needs, resolved from a scenario, a shape and a size.
#[derive(Clone, Debug, PartialEq)]
pub struct SimInput {
    pub spec: ClusterSpec,
    /// Storage devices at the start (DBoxes, EBoxes, VMs, servers; Blob storage nodes).
    pub nodes: u32,
    /// Protocol servers at the start: CNodes when disaggregated, else `nodes`.
    pub compute_nodes: u32,
    /// CNodes apart from DBoxes: a storage failure leaves the CNodes up.
    pub disaggregated: bool,
    pub drives_per_node: u32,
    /// Stored (post-protection, post-reduction) bytes on one drive, which a drive failure
    /// must rebuild.
    pub drive_used_bytes: f64,
    pub gpus: u32,
    pub gpus_per_client_vm: u32,
    pub training: Option<Training>,
    pub steady: Option<SteadyDemand>,
    pub checkpoint: Option<CheckpointPlan>,
    /// Mean time to failure of one GPU; each failure interrupts its job, which restores the
    /// last checkpoint.
    pub gpu_mttf: Option<SimDuration>,
    pub failures: Option<FailurePlan>,
    pub tranches: Vec<TrancheEvent>,
    pub duration: SimDuration,
    pub sample_interval: SimDuration,
    pub seed: u64,
}

impl SimInput {
    /// The device counts the run starts with.
    pub fn counts(&self) -> crate::cluster::Counts {
        if self.disaggregated {
            crate::cluster::Counts::new(self.nodes, self.compute_nodes)
        } else {
            crate::cluster::Counts::converged(self.nodes)
        }
    }

    pub fn client_vms(gpus: u32, per_vm: u32) -> u32 {
        gpus.div_ceil(per_vm.max(1))
    }
}
