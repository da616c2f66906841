use crate::netmodel::ClusterSpec;
use crate::scenario::CheckpointMode;
use crate::workload::step::StepModel;
use vastplan_sim::{SimDuration, SimTime};

/// GPU training reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    /// The MLPerf Storage step model: bytes read per step, step time, utilisation floor.
    pub step: StepModel,
    /// Share of GPUs reading at any time (0..1].
    pub reading_fraction: f64,
}

/// Steady client demand not tied to GPUs (HPC nodes, ingest), each direction capped at
/// what is asked, spread over `streams` client streams for fair sharing.
#[derive(Clone, Debug, PartialEq)]
pub struct SteadyDemand {
    /// Read asked for, bytes/s.
    pub read: f64,
    /// Write asked for, bytes/s.
    pub write: f64,
    /// Client streams the demand is spread over.
    pub streams: u32,
}

/// Periodic checkpoints of training jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckpointPlan {
    /// Bytes one job writes per checkpoint.
    pub bytes_per_job: f64,
    /// Training time between the end of one checkpoint and the start of the next.
    pub interval: SimDuration,
    /// Synchronous (training waits) or asynchronous (drains from local NVMe).
    pub mode: CheckpointMode,
    /// Concurrent jobs, each checkpointing on its own.
    pub jobs: u32,
}

/// Drive and node failures, and how rebuilds share the cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct FailurePlan {
    /// Drive failures per drive-year.
    pub drive_afr: f64,
    /// Events per node-year that destroy a node's contents.
    pub node_loss_per_year: f64,
    /// Rate cap on each rebuild, bytes/s of rebuilt data (`None`: fair share).
    pub rebuild_cap: Option<f64>,
    /// Shares a rebuild takes against client streams (`None`: one per storage node).
    pub rebuild_streams: Option<u32>,
}

/// Growth at a point in the run.
#[derive(Clone, Debug, PartialEq)]
pub struct TrancheEvent {
    /// When it happens.
    pub at: SimTime,
    /// Its name in results.
    pub label: String,
    /// Storage nodes added.
    pub add_nodes: u32,
    /// GPUs added (as client VMs of the scenario's kind).
    pub add_gpus: u32,
    /// The added nodes' shape when it is not the candidate's (a newer generation).
    pub generation: Option<Generation>,
}

/// Storage devices of another shape than the candidate's that join in a tranche: a
/// cluster of mixed generations. Same deployment kind and packaging, so a byte costs the
/// same resources; what differs is each device's capacity on them, its drives, and the
/// share of the data it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Generation {
    /// Catalog id of the shape.
    pub shape: String,
    /// Its ceilings: per-device capacities of every pool class.
    pub spec: ClusterSpec,
    /// Drives in one of its storage devices.
    pub drives_per_node: u32,
    /// Raw bytes of one of its storage devices over one of the candidate's: data spreads
    /// in proportion to raw capacity, up to what the stripe layout lets one device hold
    /// (the simulation's `spread_data`), and so do the media and east-west bytes of
    /// reading and writing it.
    pub raw_ratio: f64,
}

/// Everything one simulation run needs, resolved from a scenario, a shape and a size.
#[derive(Clone, Debug, PartialEq)]
pub struct SimInput {
    /// Node ceilings, byte costs per resource class and topology: the pools.
    pub spec: ClusterSpec,
    /// Storage devices at the start (DBoxes, EBoxes, VMs, servers; Blob storage nodes).
    pub nodes: u32,
    /// Protocol servers at the start: CNodes when disaggregated, else `nodes`.
    pub compute_nodes: u32,
    /// CNodes apart from DBoxes: a storage failure leaves the CNodes up.
    pub disaggregated: bool,
    /// Drives in one storage node.
    pub drives_per_node: u32,
    /// Stored (post-protection, post-reduction) bytes on one drive, which a drive failure
    /// must rebuild.
    pub drive_used_bytes: f64,
    /// GPUs at the start.
    pub gpus: u32,
    /// GPUs in one client VM (its frontend NIC carries their reads).
    pub gpus_per_client_vm: u32,
    /// Training reads, if the scenario has GPU clients.
    pub training: Option<Training>,
    /// Steady demand not tied to GPUs, if stated.
    pub steady: Option<SteadyDemand>,
    /// Checkpoints, if the scenario has them.
    pub checkpoint: Option<CheckpointPlan>,
    /// Mean time to failure of one GPU; each failure interrupts its job, which restores the
    /// last checkpoint.
    pub gpu_mttf: Option<SimDuration>,
    /// Failures, if the scenario has them.
    pub failures: Option<FailurePlan>,
    /// Growth, in time order.
    pub tranches: Vec<TrancheEvent>,
    /// Simulated time.
    pub duration: SimDuration,
    /// Interval of the time series.
    pub sample_interval: SimDuration,
    /// Master seed: every entity's random stream derives from it.
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

    /// Client VMs that hold `gpus` GPUs at `per_vm` each.
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
    /// Uneven client connections over the serving devices (absent: even).
    pub skew: Option<Skew>,
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
    /// Where the strips of a stripe may sit: decides which down devices and racks put
    /// data out of reach (`simulate/layout.rs`).
    pub layout: StripeLayout,
}

/// The unit whose loss a stripe layout is built to survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FailureDomain {
    /// One storage device: a DBox, or (converged) an EBox, VM or server.
    Node,
    /// One storage rack (VAST's rack-level resilience).
    Rack,
}

/// At most `strips_per_domain` strips of one stripe in any one failure domain. The
/// resolver checks that the cluster's stripe fits (`resolve::topology`); an input built
/// by hand that does not is taken at the tightest limit that holds the stripe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StripeLayout {
    pub domain: FailureDomain,
    pub strips_per_domain: u32,
}

impl Default for StripeLayout {
    /// DBox-HA: at most two strips of a stripe per DBox (or EBox, VM), the catalog's
    /// default `vast_strips_per_failure_domain`.
    fn default() -> Self {
        StripeLayout {
            domain: FailureDomain::Node,
            strips_per_domain: crate::capacity::EcRules::VAST.strips_per_domain,
        }
    }
}

/// A share of every client's traffic that lands on a fraction of the serving devices
/// (CNodes; converged: the nodes), the first ones by index: a hot spot from uneven
/// connection placement, with the rest spread evenly over the others.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Skew {
    pub hot_fraction: f64,
    pub hot_share: f64,
}

impl Skew {
    /// Hot devices of `n` serving ones: the fraction rounded, at least one, and at least
    /// one device left cold (0 when there are fewer than two).
    pub fn hot_of(&self, n: u32) -> u32 {
        if n < 2 {
            return 0;
        }
        ((self.hot_fraction * n as f64).round() as u32).clamp(1, n - 1)
    }

    /// Traffic per hot and per cold device relative to an even spread, for `hot` of `n`
    /// devices: `hot × w_hot + (n − hot) × w_cold = n`.
    pub fn weights(&self, hot: u32, n: u32) -> (f64, f64) {
        if hot == 0 || hot >= n {
            return (1.0, 1.0);
        }
        let f = hot as f64 / n as f64;
        (self.hot_share / f, (1.0 - self.hot_share) / (1.0 - f))
    }
}

impl Default for TopologyInput {
    fn default() -> Self {
        TopologyInput {
            expand: false,
            skew: None,
            incidents: Vec::new(),
            leaves_per_rack: 1,
            spine_planes: 2,
            repair: SimDuration::from_secs_f64(4.0 * 3600.0),
            node_loses_data: false,
            layout: StripeLayout::default(),
        }
    }
}
