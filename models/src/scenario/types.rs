use crate::error::InputError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// One planning question.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short id, used in file names of reports.
    pub name: String,
    /// What the customer asked, in a sentence or two.
    pub description: String,
    /// Master seed of the simulation: same scenario and seed, byte-identical output.
    pub seed: u64,
    pub request: Request,
    /// Catalog shape ids to size and compare.
    pub candidates: Vec<String>,
    /// GPU clients and what they run. Absent: a pure capacity request.
    pub clients: Option<Clients>,
    pub checkpoint: Option<Checkpoint>,
    /// GPU interruptions, each followed by a restore read of the last checkpoint.
    pub interruptions: Option<Interruptions>,
    pub failures: Option<Failures>,
    /// Capacity and demand that arrive during the run, in order.
    #[serde(default)]
    pub tranches: Vec<Tranche>,
    /// Scripted incidents: a device, rack, leaf or spine plane lost or slowed on a day.
    #[serde(default)]
    pub incidents: Vec<IncidentSpec>,
    /// Catalog values replaced for this scenario: `"SHAPE_ID.field" = value` or
    /// `"assumptions.name" = value`. Each one marks its input as user-supplied.
    #[serde(default)]
    pub overrides: BTreeMap<String, f64>,
    pub simulation: Option<Simulation>,
    /// Storage-per-GPU curve: the GPU counts to evaluate.
    pub ratio: Option<Ratio>,
    pub network: Option<Network>,
    /// Inference KV-cache offload to the cluster, as a steady read/write mix.
    pub inference: Option<Inference>,
    /// How money is counted where the scenario chooses (absent: pay-as-you-go VMs).
    pub cost: Option<Cost>,
    /// Where each key sits in the file (set by the parser; not a scenario key).
    #[serde(skip)]
    pub key_lines: super::KeyLines,
    /// What a candidate must achieve to be `met` (absent fields take stated defaults).
    pub targets: Option<TargetsSpec>,
    /// Where the strips of a stripe may sit, which decides the data a lost device or
    /// rack puts out of reach in the simulation (absent: DBox-HA, at most the catalog's
    /// `vast_strips_per_failure_domain` strips per storage node).
    pub layout: Option<LayoutSpec>,
}

/// The unit a stripe layout is built to survive losing.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FailureDomainSpec {
    /// A storage node: a DBox, or (converged) an EBox, VM or server.
    Node,
    /// A storage rack (VAST rack resiliency: at least 7 racks).
    Rack,
}

/// A stripe layout: at most `strips_per_domain` strips of one stripe per failure domain.
/// Azure Blob candidates keep the provider's own layout and ignore it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LayoutSpec {
    /// "node" or "rack".
    pub failure_domain: FailureDomainSpec,
    /// Most strips of one stripe in one domain. Absent: for "node" the catalog's
    /// `vast_strips_per_failure_domain` (DBox-HA: 2); for "rack" the stripe's parity, the
    /// widest layout that still survives a whole rack. A rack layout takes 1 to the parity.
    pub strips_per_domain: Option<u32>,
}

/// A scenario's targets. Every one is optional; `plan` states the default it used.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetsSpec {
    /// Lowest acceptable mean GPU utilisation, 0..1 (default: the workload's MLPerf AU
    /// floor).
    pub gpu_utilisation_min: Option<f64>,
    /// Longest acceptable p99 synchronous checkpoint, seconds (default:
    /// `checkpoint.target_seconds`).
    pub checkpoint_p99_s: Option<f64>,
    /// Fewest acceptable nines of annual durability (default: 9).
    pub durability_nines_min: Option<f64>,
    /// Budget ceiling, USD per month (default: `request.max_usd_per_month`).
    pub usd_per_month_max: Option<f64>,
    /// Price-performance ceiling, USD per month per GB/s of read ceiling (default:
    /// `request.max_usd_per_gbs_month`).
    pub usd_per_gbs_month_max: Option<f64>,
    /// Sustained client read and write, GB/s (default: `request.read_gbs`/`write_gbs`, or
    /// derived from the clients and checkpoints).
    pub read_gbs: Option<f64>,
    pub write_gbs: Option<f64>,
}

/// Cost choices of the customer.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    /// "pay-as-you-go", "reserved-1y" or "reserved-3y", for every VM candidate.
    pub vm_pricing: crate::cost::VmPricing,
}

/// KV-cache offload: prefill writes each offloaded token's K and V, decode reads them back.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Inference {
    /// Model id (`llm_models.csv`) whose attention shape sets the bytes per token.
    pub model: String,
    /// Tokens per second whose KV cache is offloaded to the cluster (all replicas).
    pub offloaded_tokens_per_s: f64,
    /// Times each offloaded token's KV cache is read back (prefix reuse).
    pub reads_per_token: f64,
}

/// What the customer asks for.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// Logical capacity in PB (1e15 bytes), before data reduction.
    pub logical_pb: f64,
    /// Data-reduction ratio to assume; absent: the catalog's figure for `workload_class`.
    pub drr: Option<f64>,
    /// Workload class for the data-reduction estimate (e.g. "ai-training", "hpc").
    pub workload_class: String,
    /// Sustained client read bandwidth demanded, GB/s; absent: derived from the clients.
    pub read_gbs: Option<f64>,
    /// Sustained client write bandwidth demanded, GB/s; absent: derived from checkpoints.
    pub write_gbs: Option<f64>,
    /// Price-performance target: at most this many USD per month per GB/s delivered.
    pub max_usd_per_gbs_month: Option<f64>,
    /// Budget ceiling in USD per month, if any.
    pub max_usd_per_month: Option<f64>,
}

/// The GPU fleet reading from the cluster.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Clients {
    /// GPU VM shape id (catalog `azure_gpu_vms.csv`).
    pub gpu_vm: String,
    /// GPUs at the start of the run.
    pub gpus: u32,
    /// MLPerf-style training workload id (`workloads_mlperf.csv`), read by every GPU.
    pub workload: String,
    /// Share of GPUs actively reading training data at any time (0..1]; the rest are in
    /// other phases. 1.0 is the MLPerf worst case.
    pub reading_fraction: f64,
    /// NFS/S3 sessions each client VM opens to the cluster (nconnect × mounts), for the
    /// per-VM connection-limit check.
    pub sessions_per_client: u32,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CheckpointMode {
    /// All ranks write at once and training waits until the last byte is stored.
    Sync,
    /// Ranks snapshot to local NVMe, training resumes, the snapshot drains in background.
    Async,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Model id (`llm_models.csv`) whose parameters set the checkpoint size.
    pub model: String,
    /// Bytes per parameter: 14 (DLIO/MLPerf) or 16 (ZeRO with gradients).
    pub bytes_per_param: f64,
    pub interval_minutes: f64,
    pub mode: CheckpointMode,
    /// How many concurrent jobs checkpoint this model (each its own burst).
    pub jobs: u32,
    /// A synchronous checkpoint should finish within this many seconds (p99); absent: no
    /// checkpoint target, only the report.
    pub target_seconds: Option<f64>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Interruptions {
    /// Mean time to failure of one GPU, hours (Llama 3: ~50,700 h).
    pub gpu_mttf_hours: f64,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Failures {
    /// Annual failure rate of one drive (fraction per year).
    pub drive_afr: f64,
    /// Annual rate at which a cloud VM loses its local NVMe (host maintenance or failure),
    /// so the whole node rebuilds. Owned boxes and DPU servers keep their drives' data
    /// when they fail and use the catalog's `vast_box_loss_per_year` instead.
    pub node_loss_per_year: f64,
    /// Ceiling on each rebuild's rate, GB/s of rebuilt data cluster-wide; absent: the
    /// rebuild takes its fair share.
    pub rebuild_cap_gbs: Option<f64>,
    /// Shares a rebuild competes with, against one per client stream: its priority.
    /// Absent: one per storage node (every node rebuilds its part in parallel).
    pub rebuild_streams: Option<u32>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tranche {
    /// Day of the run on which it arrives (0 = start).
    pub day: f64,
    /// Label shown in reports (e.g. "April 2027 storage").
    pub label: String,
    #[serde(default)]
    pub add_nodes: u32,
    #[serde(default)]
    pub add_gpus: u32,
    /// Catalog shape of the added nodes (absent: the candidate's own), for a cluster
    /// that grows with a newer generation. It must move bytes the same way: the same
    /// deployment kind and packaging.
    #[serde(default)]
    pub shape: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    pub days: f64,
    /// Interval of the time series written for plots, seconds.
    pub sample_interval_s: f64,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    pub gpu_counts: Vec<u32>,
    /// Logical capacity to provision per GPU, TB (a policy, not a physics result).
    pub tb_per_gpu: f64,
}

/// Network assumptions of the deployment (all overridable; absent: catalog assumptions).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Leaf downlink:uplink ratio (≥ 1).
    pub oversubscription: Option<f64>,
    /// Storage nodes per rack.
    pub nodes_per_rack: Option<u32>,
    /// GPU client VMs per rack.
    pub clients_per_rack: Option<u32>,
    /// "tcp" or "rdma": decides protocol CPU cost per byte.
    pub transport: Option<crate::netmodel::Transport>,
    /// Leaf switches per storage rack, every device homed to each (absent: 2, the
    /// mirrored pair, for VAST's own hardware and DPU servers; 1 for cloud VMs).
    pub leaves_per_rack: Option<u32>,
    /// Uneven client connections (simulation only; absent: every client spreads its
    /// traffic evenly over the serving CNodes or VMs): this fraction of them, the first
    /// by index, ... A finite transfer (a checkpoint, a restore) then waits on the hot
    /// ones; steady reads are independent streams under max-min sharing, so a saturated
    /// cluster still fills its cold CNodes (a job whose reads are coupled across its
    /// connections is not modelled).
    pub hot_cnode_fraction: Option<f64>,
    /// ... carries this share of every client's traffic (at least the fraction; given
    /// together with it).
    pub hot_connection_share: Option<f64>,
}

/// What a scripted incident hits.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum IncidentKindSpec {
    Drive,
    Node,
    Rack,
    Leaf,
    Spine,
    Degrade,
}

/// A device or rack index, or the word "random".
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum TargetSpec {
    Index(u32),
    Word(String),
}

/// One scripted incident.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    /// Day of the run on which it happens.
    pub day: f64,
    /// drive, node, rack, leaf, spine or degrade.
    pub kind: IncidentKindSpec,
    /// Storage device index (drive, node, degrade), storage rack index (rack, leaf), or
    /// "random".
    pub target: TargetSpec,
    /// Absent: until repaired at the kind's repair time (a node whose data is lost: until
    /// rebuilt).
    pub duration_hours: Option<f64>,
    /// For degrade: the capacity left, 0..1 (a throttled NIC, a slow host).
    pub capacity_fraction: Option<f64>,
    /// The target is a CNode of a disaggregated cluster (node and degrade), not a DBox.
    #[serde(default)]
    pub cnode: bool,
}

impl Scenario {
    /// An error about key `path` of this scenario (see [`super::KeyLines`]), at its line
    /// when the file has it, naming `field`.
    pub fn error_at(
        &self,
        file: &str,
        path: &str,
        field: &str,
        msg: impl Into<String>,
    ) -> InputError {
        let e = InputError::new(file, msg).field(field);
        match self.key_lines.line_of(path) {
            Some(l) => e.at_line(l),
            None => e,
        }
    }
}
