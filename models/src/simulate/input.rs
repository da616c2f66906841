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
    /// Devices, racks and scripted incidents.
    pub topology: TopologyInput,
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

/// What a scripted incident does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentKind {
    /// One drive fails: its data is rebuilt.
    Drive,
    /// One storage device (DBox, EBox, VM, server) goes down.
    Node,
    /// A storage rack loses power: every device in it goes down.
    Rack,
    /// One leaf switch of a storage rack fails: the rack keeps the rest of its leaves.
    Leaf,
    /// One spine plane fails: every leaf uplink keeps the rest of its planes.
    Spine,
    /// One storage device serves at `capacity_fraction` of its capacity.
    Degrade,
}

impl IncidentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentKind::Drive => "drive",
            IncidentKind::Node => "node",
            IncidentKind::Rack => "rack",
            IncidentKind::Leaf => "leaf",
            IncidentKind::Spine => "spine",
            IncidentKind::Degrade => "degrade",
        }
    }
}

/// Which device or rack an incident hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Index(u32),
    /// Drawn from the incident's own random stream.
    Random,
}

/// One scripted incident.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    pub at: SimTime,
    pub kind: IncidentKind,
    pub target: Target,
    /// How long it lasts; `None`: until repaired at the kind's repair time (a node lost
    /// with its data: until rebuilt).
    pub duration: Option<SimDuration>,
    /// For `degrade`: the capacity left, 0..1.
    pub capacity_fraction: f64,
    /// The target is a CNode (disaggregated clusters; node and degrade only), not a
    /// storage device.
    pub cnode: bool,
}

/// Topology options of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct TopologyInput {
    /// Simulate every rack and device on its own (no symmetry reduction): for the
    /// differential test and the expanded benchmark.
    pub expand: bool,
    pub incidents: Vec<Incident>,
    /// Leaf switches per storage rack, each device homed to all of them (VAST: a mirrored
    /// pair): a lost leaf leaves (n − 1)/n of the rack's network.
    pub leaves_per_rack: u32,
    /// Spine planes: a lost plane leaves (n − 1)/n of every leaf uplink.
    pub spine_planes: u32,
    /// Repair time of a node, rack, leaf or spine incident without a duration.
    pub repair: SimDuration,
    /// A node incident loses the node's data (cloud VMs lose local NVMe with the host):
    /// it is rebuilt and the node returns when rebuilt.
    pub node_loses_data: bool,
}

impl Default for TopologyInput {
    fn default() -> Self {
        TopologyInput {
            expand: false,
            incidents: Vec::new(),
            leaves_per_rack: 1,
            spine_planes: 2,
            repair: SimDuration::from_secs_f64(4.0 * 3600.0),
            node_loses_data: false,
        }
    }
}
