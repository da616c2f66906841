use serde::Serialize;

/// One row of the time series written for plots (means over the sample interval).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// End of the sample interval, seconds since the start.
    pub time_s: f64,
    /// Mean utilisation over all GPUs (0–1).
    pub gpu_utilisation: f64,
    /// Client read delivered, GB/s (10^9 B/s).
    pub read_gbs: f64,
    /// Client read demanded, GB/s.
    pub read_demand_gbs: f64,
    /// Client write delivered (checkpoints, ingest), GB/s.
    pub write_gbs: f64,
    /// Mean number of rebuilds running.
    pub rebuilds_active: f64,
    /// Utilisation of the pool that binds reads in the closed form.
    pub binding_utilisation: f64,
    /// Utilisation of the binding resource in each rack (storage racks, or client racks
    /// when a client-side resource binds), means over the interval; racks beyond 64 are
    /// grouped into 64 bands of neighbouring racks.
    #[serde(skip)]
    pub rack_utilisation: Vec<f64>,
}

/// What one scripted incident did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IncidentResult {
    pub kind: String,
    pub day: f64,
    /// The device or rack it hit.
    pub target: u32,
    /// Client read rate just before it, GB/s.
    pub read_gbs_before: f64,
    /// Mean client read rate while it lasted, GB/s.
    pub read_gbs_during: f64,
    /// Mean GPU utilisation while it lasted (`None`: no GPUs).
    pub gpu_utilisation_during: Option<f64>,
    /// Seconds from its start until reads were back to 99 % of before after dipping below
    /// it (0: they never dipped; `None`: not back by the end of the run).
    pub recovered_after_s: Option<f64>,
    /// Some data was out of reach while it lasted (more strips of a stripe down than the
    /// code's parity).
    pub data_unavailable: bool,
}

/// Headline metrics of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimResult {
    /// Simulated time, seconds.
    pub simulated_s: f64,
    /// Events the engine processed.
    pub events: u64,
    /// Solver flows started over the run, and the most held at once (live or finished
    /// within the current event): memory follows the second, not the first.
    pub solver_flows_started: u64,
    pub solver_flow_slots_peak: u64,
    /// Flow groups the solver made (one per distinct route, weights and cap).
    pub solver_groups: u64,
    /// Checkpoints completed.
    pub checkpoints: u64,
    /// Median checkpoint duration, seconds (`None`: no checkpoint completed).
    pub checkpoint_p50_s: Option<f64>,
    /// 99th-percentile checkpoint duration, seconds.
    pub checkpoint_p99_s: Option<f64>,
    /// Longest checkpoint, seconds.
    pub checkpoint_max_s: Option<f64>,
    /// Async checkpoints skipped because the previous one was still draining.
    pub checkpoint_overruns: u64,
    /// Restores (reads of the last checkpoint after an interruption) completed.
    pub restores: u64,
    /// Median restore duration, seconds.
    pub restore_p50_s: Option<f64>,
    /// 99th-percentile restore duration, seconds.
    pub restore_p99_s: Option<f64>,
    /// GPU interruptions (job restarts) that happened.
    pub interruptions: u64,
    /// Time-weighted mean utilisation over all GPUs (compute time / wall time); `None`
    /// when the scenario has no GPUs.
    pub gpu_utilisation: Option<f64>,
    /// GPU-hours spent waiting on storage (slow reads, synchronous checkpoints, restores).
    pub gpu_stall_hours: f64,
    /// GPU-hours of training lost to interruptions (work since the last checkpoint).
    pub gpu_lost_hours: f64,
    /// Mean client read delivered, GB/s.
    pub read_gbs_mean: f64,
    /// Mean client read demanded, GB/s.
    pub read_demand_gbs_mean: f64,
    /// Mean client write delivered, GB/s.
    pub write_gbs_mean: f64,
    /// Read ceiling of the cluster at the start in the closed form, for comparison.
    pub closed_form_read_gbs: f64,
    /// Write ceiling of the cluster at the start in the closed form, GB/s.
    pub closed_form_write_gbs: f64,
    /// Most GPUs the starting cluster keeps at the workload's utilisation floor (closed
    /// form: read ceiling / per-GPU read at the floor, with the scenario's reading share).
    pub max_gpus_at_floor: Option<u64>,
    /// The resource that binds reads in the closed form at the start.
    pub binding_resource: String,
    /// Drives that failed.
    pub drive_failures: u64,
    /// Nodes whose contents were lost (a VM moved off its host).
    pub node_losses: u64,
    /// Rebuilds that finished.
    pub rebuilds_completed: u64,
    /// Mean rebuild duration, seconds.
    pub rebuild_mean_s: Option<f64>,
    /// Longest rebuild, seconds.
    pub rebuild_max_s: Option<f64>,
    /// Mean rate of completed rebuilds, GB/s of data rebuilt (feeds the durability model's
    /// repair rate).
    pub rebuild_rate_gbs: Option<f64>,
    /// Mean client read rate while any rebuild ran, GB/s (`None`: no rebuild happened).
    pub degraded_read_gbs: Option<f64>,
    /// Hours at reduced protection (any rebuild running).
    pub exposure_hours: f64,
    /// First time (days) a job reading training data fell below its utilisation floor
    /// outside a rebuild, or `None` if headroom never ran out.
    pub headroom_exhausted_day: Option<f64>,
    /// One line per growth tranche applied, in order (tranches after the end never are).
    pub tranches_applied: Vec<String>,
    /// One entry per scripted incident, in the scenario's order.
    pub incidents: Vec<IncidentResult>,
    /// Hours during which some data was out of reach.
    pub unavailable_hours: f64,
    /// Names of the rows of `SeriesPoint::rack_utilisation` ("rack 3", "racks 0-15").
    #[serde(skip)]
    pub rack_labels: Vec<String>,
    /// The time series, one point per sample interval (`series.csv`).
    #[serde(skip)]
    pub series: Vec<SeriesPoint>,
}
