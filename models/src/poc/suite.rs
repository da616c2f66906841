//! The tests of a proof of concept at its size: what each runs, with which tool and
//! parameters, and what it measures.

use crate::catalog::{Catalog, DeploymentKind, Shape};
use crate::cluster::Counts;
use crate::error::InputError;
use crate::netmodel::Transport;
use crate::scenario::Scenario;
use serde::Serialize;

/// What the POC is: a shape at a size, and the client VMs that drive it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setup {
    pub shape: String,
    pub counts: Counts,
    pub clients: u32,
    pub client_vm: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    SeqRead,
    SeqWrite,
    RandRead,
    Mix,
    CheckpointBurst,
    Mlperf,
    RebuildUnderLoad,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    Fio,
    Elbencho,
    /// MLPerf Storage (`mlpstorage`, which runs DLIO).
    Mlperf,
}

impl Tool {
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Fio => "fio",
            Tool::Elbencho => "elbencho",
            Tool::Mlperf => "mlperf-storage",
        }
    }
}

/// What a test's result is, in SI units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Client read bytes/s.
    ReadBps,
    /// Client write bytes/s.
    WriteBps,
    /// Client read + write bytes/s.
    TotalBps,
    /// Read operations/s.
    ReadIops,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::ReadBps => "read bytes/s",
            Metric::WriteBps => "write bytes/s",
            Metric::TotalBps => "read+write bytes/s",
            Metric::ReadIops => "read IOPS",
        }
    }
    pub fn is_bytes(self) -> bool {
        self != Metric::ReadIops
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PocTest {
    /// Stable id; result files name it (fio job name, elbencho label, file name).
    pub id: String,
    pub kind: Kind,
    pub tool: Tool,
    pub transport: Transport,
    /// Share of client bytes that are reads.
    pub read_share: f64,
    pub clients: u32,
    pub threads_per_client: u32,
    /// Outstanding I/Os per thread (fio iodepth, elbencho --iodepth).
    pub iodepth: u32,
    pub block_bytes: u64,
    pub file_bytes: u64,
    pub files_per_thread: u32,
    pub duration_s: u32,
    pub metric: Metric,
    /// Whether a measurement can inform the fit. Small random reads cannot: the model
    /// charges bytes, not operations, so its IOPS figure is a bound, not a prediction of
    /// what binds.
    pub fits: bool,
    /// MLPerf: the emulated accelerators to run (the most the POC is predicted to keep
    /// at the AU floor).
    pub accelerators: Option<u64>,
    /// MLPerf: the workload id (`workloads_mlperf.csv`).
    pub workload: Option<String>,
    /// MLPerf: each client VM's memory (GiB), which sets the dataset MLPerf requires.
    pub client_memory_gib: Option<u64>,
    /// What the test is for, in a sentence.
    pub purpose: String,
}

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

/// Threads per client: VAST asks 8 nconnect sessions per 100 Gb/s over TCP
/// (assumption `tcp_protocol_efficiency`'s source); 16 keeps a 200 Gb/s client busy.
const THREADS: u32 = 16;
/// Per-thread file of the bandwidth tests: with 16 threads, 512 GiB a client, far beyond
/// any client's page cache and the cluster's write buffer.
const FILE_BYTES: u64 = 32 * GIB;
/// Steady-state seconds (after a ramp the commands add).
const DURATION_S: u32 = 300;

/// The transports worth testing: the scenario's, and the other one when the shape can
/// speak both — a TCP test beside an RDMA one is what separates the TCP efficiency
/// from the per-node budget.
pub fn transports(shape: &Shape, scenario: Option<Transport>) -> Vec<Transport> {
    match shape.kind {
        // Azure VMs document no RDMA; Blob speaks HTTPS (the TCP row stands for it).
        DeploymentKind::VastEboxCloudVm | DeploymentKind::AzureBlob => vec![Transport::Tcp],
        _ => {
            let first = scenario.unwrap_or(Transport::Rdma);
            let other = match first {
                Transport::Tcp => Transport::Rdma,
                Transport::Rdma => Transport::Tcp,
            };
            vec![first, other]
        }
    }
}

/// The tests of a POC of `setup`, before predictions (MLPerf's accelerator count is set
/// by `predict::plan`). `scale` is the POC's share of the planned cluster: the
/// checkpoint burst writes that share of one checkpoint.
pub fn tests(
    cat: &Catalog,
    sc: &Scenario,
    shape: &Shape,
    setup: &Setup,
    scale: f64,
) -> Result<Vec<PocTest>, InputError> {
    let sc_transport = sc.network.as_ref().and_then(|n| n.transport);
    let ts = transports(shape, sc_transport);
    let main = ts[0];
    let base = |id: String, kind, tool, transport, metric| PocTest {
        id,
        kind,
        tool,
        transport,
        read_share: 1.0,
        clients: setup.clients,
        threads_per_client: THREADS,
        iodepth: 16,
        block_bytes: MIB,
        file_bytes: FILE_BYTES,
        files_per_thread: 1,
        duration_s: DURATION_S,
        metric,
        fits: true,
        accelerators: None,
        workload: None,
        client_memory_gib: None,
        purpose: String::new(),
    };
    let mut out = Vec::new();
    for &t in &ts {
        let tag = t.as_str();
        let mut r = base(
            format!("seq-read-{tag}"),
            Kind::SeqRead,
            Tool::Fio,
            t,
            Metric::ReadBps,
        );
        r.purpose = format!("large sequential reads over {tag}: the read ceiling");
        out.push(r);
        let mut w = base(
            format!("seq-write-{tag}"),
            Kind::SeqWrite,
            Tool::Fio,
            t,
            Metric::WriteBps,
        );
        w.read_share = 0.0;
        w.purpose = format!("large sequential writes over {tag}: the write ceiling");
        out.push(w);
    }
    let mut rr = base(
        "rand-read-4k".into(),
        Kind::RandRead,
        Tool::Fio,
        main,
        Metric::ReadIops,
    );
    rr.block_bytes = 4096;
    rr.iodepth = 64;
    rr.fits = false;
    rr.purpose = "small random reads: IOPS (the model bounds them by bytes only)".into();
    out.push(rr);
    // A stated steady demand (no GPU jobs) reads and writes at once and `plan` sized it as
    // one mix: the POC runs that mix. Otherwise reads and checkpoints take turns, and a
    // 70/30 mix only measures the shared budget.
    let stated = match (&sc.clients, sc.request.read_gbs, sc.request.write_gbs) {
        (None, Some(r), Some(w)) if r > 0.0 && w > 0.0 => Some(r / (r + w)),
        _ => None,
    };
    let share = stated.unwrap_or(0.7);
    let pct = (share * 100.0).round();
    let mut mix = base(
        format!("mix-{pct:.0}-{:.0}", 100.0 - pct),
        Kind::Mix,
        Tool::Fio,
        main,
        Metric::TotalBps,
    );
    mix.read_share = share;
    mix.purpose = match stated {
        Some(_) => format!(
            "{pct:.0} % reads, {:.0} % writes at once: the scenario's own mix, which `plan` sized as one",
            100.0 - pct
        ),
        None => "70 % reads, 30 % writes at once: the shared read/write budget".into(),
    };
    out.push(mix);
    if let Some(ck) = &sc.checkpoint {
        let m = cat.model(&ck.model)?;
        let whole =
            crate::workload::checkpoint::checkpoint_bytes(m.parameters.value, ck.bytes_per_param);
        let bytes = whole * scale;
        let mut c = base(
            "ckpt-burst".into(),
            Kind::CheckpointBurst,
            Tool::Elbencho,
            main,
            Metric::WriteBps,
        );
        c.read_share = 0.0;
        // One job's checkpoint, one file per thread as sharded checkpoints are written,
        // in whole MiB.
        let files = (setup.clients.max(1) * THREADS) as u64;
        c.file_bytes = ((bytes / files as f64 / MIB as f64).ceil() as u64).max(1) * MIB;
        c.block_bytes = 16 * MIB;
        c.duration_s = 0;
        c.purpose = format!(
            "the POC's share ({}) of one {} checkpoint ({:.0} of {:.0} GB at {} B/param), \
             written at once by every client",
            super::predict::percent(scale),
            ck.model,
            bytes / 1e9,
            whole / 1e9,
            ck.bytes_per_param
        );
        out.push(c);
    }
    if let Some(cl) = &sc.clients {
        let (id, stand_in) = mlperf_workload(cat, &cl.workload)?;
        let w = cat.workload(&id)?;
        let mut t = base(
            format!("mlperf-{id}"),
            Kind::Mlperf,
            Tool::Mlperf,
            main,
            Metric::ReadBps,
        );
        t.block_bytes = w.record_bytes.value.round() as u64;
        t.file_bytes = t.block_bytes;
        t.threads_per_client = 0;
        t.duration_s = 0;
        t.workload = Some(id.clone());
        t.client_memory_gib = Some(cat.gpu_vm(&cl.gpu_vm)?.memory_gib.value.round() as u64);
        t.purpose = format!(
            "MLPerf Storage training, {id} ({:.2} MB records, batch {}): accelerators kept at the {:.0} % AU floor",
            w.record_bytes.value / 1e6,
            w.batch_size.value,
            w.au_floor.value * 100.0
        );
        if stand_in {
            t.purpose.push_str(&format!(
                " ({} is no MLPerf Storage training workload; {id} stands in as the storage-bound one)",
                cl.workload
            ));
        }
        out.push(t);
    }
    if shape.kind != DeploymentKind::AzureBlob {
        let mut rb = base(
            "rebuild-under-load".into(),
            Kind::RebuildUnderLoad,
            Tool::Fio,
            main,
            Metric::ReadBps,
        );
        rb.duration_s = 600;
        rb.purpose =
            "sequential reads while one storage box rebuilds: the read that holds during repair"
                .into();
        out.push(rb);
    }
    Ok(out)
}

/// MLPerf Storage's training workloads (others in the catalog are step models of real
/// training, which the benchmark does not ship).
const MLPERF_TRAINING: [&str; 3] = ["unet3d", "resnet50", "cosmoflow"];

/// The MLPerf Storage workload to run for the scenario's workload `id`: itself when the
/// benchmark has it, else unet3d (the most storage-bound) on the same accelerator if the
/// catalog has it, else on the H100. `true` when it stands in.
pub fn mlperf_workload(cat: &Catalog, id: &str) -> Result<(String, bool), InputError> {
    let w = cat.workload(id)?;
    if MLPERF_TRAINING.contains(&w.workload.as_str()) {
        return Ok((id.to_string(), false));
    }
    let same = format!("unet3d-{}", w.accelerator.to_lowercase());
    let pick = if cat.workload(&same).is_ok() {
        same
    } else {
        "unet3d-h100".to_string()
    };
    cat.workload(&pick)?;
    Ok((pick, true))
}
