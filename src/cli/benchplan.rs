//! `vastplan benchplan`: the benchmark plan of a proof of concept of one candidate —
//! tests with the tools' parameters, the closed form's predicted results with a band,
//! the resource that should bind, and success criteria scaled from the scenario's
//! targets. Writes `benchplan.md`, `benchplan.csv` and `benchplan.toml` (what
//! `calibrate` needs to re-run the same model).

use super::table::Table;
use super::{apply_scenario, apply_sets};
use crate::error::CliError;
use crate::output::write_atomic;
use crate::poc::planfile::{self, PlanFile};
use clap::Args;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use vastplan_models::netmodel::Transport;
use vastplan_models::poc::predict::{
    enough_clients, percent, plan, poc_counts, BenchPlan, Prediction,
};
use vastplan_models::poc::{Kind, Metric, PocTest, Setup, Tool};
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct BenchplanArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Candidate shape id to prove (see `vastplan shapes`).
    #[arg(long)]
    pub shape: String,
    /// Storage boxes in the POC: DBoxes of a disaggregated VAST shape, else nodes
    /// (VMs, EBoxes, servers) [default: the shape's minimum].
    #[arg(long)]
    pub nodes: Option<u32>,
    /// CNodes of a disaggregated VAST shape, in whole chassis [default: the shape's
    /// minimum]; other shapes have none apart from their nodes.
    #[arg(long)]
    pub cnodes: Option<u32>,
    /// Client VMs driving the load [default: the fewest that leave the storage, not the
    /// clients, binding].
    #[arg(long)]
    pub clients: Option<u32>,
    /// Directory for benchplan.md, benchplan.csv and benchplan.toml.
    #[arg(long, default_value = "benchplan")]
    pub out: PathBuf,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
}

pub fn run(
    mut cat: Catalog,
    a: &BenchplanArgs,
    calibration: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (sc, file) = apply_scenario(&mut cat, &a.scenario)?;
    apply_sets(&mut cat, &a.sets)?;
    let shape = cat.shape(&a.shape)?.clone();
    super::check_counts(&shape, a.nodes.map(u64::from), a.cnodes)?;
    if a.clients == Some(0) {
        return Err(CliError::input("--clients must be at least 1"));
    }
    let client_vm = sc
        .clients
        .as_ref()
        .map_or("ND96isr_H100_v5".to_string(), |c| c.gpu_vm.clone());
    let mut setup = Setup {
        shape: shape.id.clone(),
        counts: poc_counts(&cat, &shape, a.nodes, a.cnodes)?,
        clients: a.clients.unwrap_or(1),
        client_vm,
    };
    let clients_basis = match a.clients {
        Some(_) => "--clients".to_string(),
        None => {
            setup.clients = enough_clients(&cat, &sc, &file, &shape, &setup)?;
            "the fewest that leave the storage, not the clients, binding (client NICs and \
             uplinks at most 80 % busy at every ceiling)"
                .to_string()
        }
    };
    let bp = plan(&cat, &sc, &file, &setup)?;
    std::fs::create_dir_all(&a.out)
        .map_err(|e| CliError::input(format!("cannot create {}: {e}", a.out.display())))?;
    let scenario = std::fs::canonicalize(&a.scenario)
        .unwrap_or_else(|_| a.scenario.clone())
        .display()
        .to_string();
    let pf = PlanFile {
        scenario,
        shape: shape.id.clone(),
        storage_nodes: setup.counts.storage,
        compute_nodes: setup.counts.compute,
        clients: setup.clients,
        client_vm: setup.client_vm.clone(),
        sets: a.sets.clone(),
        calibration: calibration.map(|c| {
            std::fs::canonicalize(c).map_or_else(|_| c.to_string(), |p| p.display().to_string())
        }),
    };
    let md = markdown(&bp, &sc.name, &shape, &clients_basis, calibration, &a.out);
    let mut csv = Vec::new();
    csv_table(&bp).write_csv(&mut csv)?;
    write_atomic(&a.out.join("benchplan.md"), md.as_bytes())?;
    write_atomic(&a.out.join("benchplan.csv"), &csv)?;
    write_atomic(
        &a.out.join(planfile::NAME),
        planfile::to_toml(&pf).as_bytes(),
    )?;
    if let Some(c) = calibration {
        writeln!(out, "calibrated from {c}")?;
    }
    for l in super::table::wrap(&setup_line(&bp, &shape), super::table::WIDTH) {
        writeln!(out, "{l}")?;
    }
    terminal_table(&bp).write_text(out, false)?;
    if bp.rows.iter().any(Prediction::predicted_to_fail) {
        writeln!(out, "{FAIL_NOTE}")?;
    }
    writeln!(
        out,
        "wrote {0}/benchplan.md, {0}/benchplan.csv, {0}/{1}",
        a.out.display(),
        planfile::NAME
    )?;
    Ok(())
}

fn setup_line(bp: &BenchPlan, shape: &vastplan_models::Shape) -> String {
    let s = &bp.setup;
    let nodes = if shape.is_disaggregated() {
        format!(
            "{} DBoxes and {} CNodes of {}",
            s.counts.storage, s.counts.compute, s.shape
        )
    } else {
        let n = s.counts.storage;
        format!("{n} node{} of {}", if n == 1 { "" } else { "s" }, s.shape)
    };
    format!(
        "POC: {nodes}, driven by {} {} client VMs; success = the scenario's targets x {}",
        s.clients,
        s.client_vm,
        percent(bp.scale)
    )
}

/// A result in its metric's display unit.
fn show(m: Metric, v: f64) -> String {
    if !v.is_finite() {
        return "unlimited".into();
    }
    match m {
        Metric::ReadIops => format!("{:.1} kIOPS", v / 1e3),
        _ => format!("{:.2} GB/s", v / 1e9),
    }
}

fn metric_id(m: Metric) -> &'static str {
    match m {
        Metric::ReadBps => "read_bytes",
        Metric::WriteBps => "write_bytes",
        Metric::TotalBps => "read_write_bytes",
        Metric::ReadIops => "read_ops",
    }
}

/// Sizes as fio and elbencho take them (k, M, G: powers of 1024).
fn tool_size(b: u64) -> String {
    if b.is_multiple_of(1 << 30) {
        format!("{}G", b >> 30)
    } else if b.is_multiple_of(1 << 20) {
        format!("{}M", b >> 20)
    } else if b.is_multiple_of(1024) {
        format!("{}k", b >> 10)
    } else {
        format!("{b}")
    }
}

fn terminal_table(bp: &BenchPlan) -> Table {
    let mut t = Table::new(&["test", "predicted", "band", "binds", "success if >="]);
    for r in &bp.rows {
        let m = r.test.metric;
        t.push(vec![
            r.test.id.clone(),
            bound(&r.test, show(m, r.value)),
            // A bytes-only bound has no band and no binding resource worth naming.
            if r.test.fits {
                format!("{} - {}", short(m, r.low), short(m, r.high))
            } else {
                "-".into()
            },
            if r.test.fits {
                r.binding.clone()
            } else {
                "(bytes only)".into()
            },
            success_cell(r),
        ]);
    }
    t
}

/// A figure the model only bounds (bytes without a per-operation cost) says so.
fn bound(t: &PocTest, v: String) -> String {
    if t.fits {
        v
    } else {
        format!("<= {v}")
    }
}

fn short(m: Metric, v: f64) -> String {
    match m {
        Metric::ReadIops => format!("{:.1}", v / 1e3),
        _ => format!("{:.2}", v / 1e9),
    }
}

fn csv_table(bp: &BenchPlan) -> Table {
    let mut t = Table::new(&[
        "test_id",
        "kind",
        "tool",
        "transport",
        "read_share_fraction",
        "clients",
        "threads_per_client",
        "iodepth",
        "block_bytes",
        "file_bytes",
        "files_per_thread",
        "duration_s",
        "accelerators",
        "metric",
        "predicted_per_s",
        "predicted_low_per_s",
        "predicted_high_per_s",
        "success_min_per_s",
        "binding",
        "fits_model",
    ]);
    let n = |v: f64| {
        if v.is_finite() {
            format!("{v}")
        } else {
            String::new()
        }
    };
    for r in &bp.rows {
        let x = &r.test;
        t.push(vec![
            x.id.clone(),
            kind_id(x.kind).into(),
            x.tool.as_str().into(),
            x.transport.as_str().into(),
            n(x.read_share),
            x.clients.to_string(),
            x.threads_per_client.to_string(),
            x.iodepth.to_string(),
            x.block_bytes.to_string(),
            x.file_bytes.to_string(),
            x.files_per_thread.to_string(),
            x.duration_s.to_string(),
            x.accelerators.map_or(String::new(), |a| a.to_string()),
            metric_id(x.metric).into(),
            n(r.value),
            n(r.low),
            n(r.high),
            r.criterion.as_ref().map_or(String::new(), |c| n(c.min)),
            r.binding.clone(),
            x.fits.to_string(),
        ]);
    }
    t
}

fn kind_id(k: Kind) -> &'static str {
    match k {
        Kind::SeqRead => "seq-read",
        Kind::SeqWrite => "seq-write",
        Kind::RandRead => "rand-read",
        Kind::Mix => "mix",
        Kind::CheckpointBurst => "checkpoint-burst",
        Kind::Mlperf => "mlperf-training",
        Kind::RebuildUnderLoad => "rebuild-under-load",
    }
}

/// The command that runs a test, writing the result file `calibrate` reads.
fn command(t: &PocTest) -> String {
    let dir = mount_point(t);
    let dir = dir.as_str();
    match t.tool {
        Tool::Fio => {
            let rw = match t.kind {
                Kind::SeqWrite => "write".to_string(),
                Kind::RandRead => "randread".to_string(),
                Kind::Mix => format!("rw --rwmixread={:.0}", t.read_share * 100.0),
                _ => "read".to_string(),
            };
            format!(
                "fio --client=hosts.txt --name={id} --directory={dir} \
                 --filename_format='$jobname.$clientuid.$jobnum.$filenum' --rw={rw} --bs={bs} \
                 --direct=1 --ioengine=libaio --iodepth={qd} --numjobs={th} --size={size} \
                 --time_based --ramp_time=30 --runtime={dur} --group_reporting \
                 --output-format=json --output={id}.json",
                id = t.id,
                bs = tool_size(t.block_bytes),
                qd = t.iodepth,
                th = t.threads_per_client,
                size = tool_size(t.file_bytes),
                dur = t.duration_s,
            )
        }
        Tool::Elbencho => format!(
            "elbencho --hosts $(paste -sd, hosts.txt) --write --mkdirs --direct --threads {th} \
             --files {files} --size {size} --block {bs} --iodepth {qd} --label {id} \
             --csvfile {id}.csv {dir}/{id}",
            th = t.threads_per_client,
            files = t.files_per_thread,
            size = tool_size(t.file_bytes),
            bs = tool_size(t.block_bytes),
            qd = t.iodepth,
            id = t.id,
        ),
        Tool::Mlperf => {
            let w = t.workload.clone().unwrap_or_default();
            let (model, acc) = w.split_once('-').unwrap_or((w.as_str(), "h100"));
            // Size the dataset (at least five times the clients' memory, MLPerf's rule
            // against cache hits), generate it, then run on every client host.
            let mem = t.client_memory_gib.unwrap_or(0);
            format!(
                "H=$(paste -sd, hosts.txt)\n\
                 mlpstorage training datasize --model {model} --accelerator-type {acc} \
                 --max-accelerators {n} --num-client-hosts {c} --client-host-memory-in-gb {mem}\n\
                 mlpstorage training datagen --hosts $H --model {model} --num-processes {p} \
                 --data-dir {dir}/{id}   # with the dataset.num_files_train datasize printed\n\
                 mlpstorage training run --hosts $H --model {model} --accelerator-type {acc} \
                 --num-accelerators {n} --num-client-hosts {c} --client-host-memory-in-gb {mem} \
                 --data-dir {dir}/{id} --results-dir results/{id}",
                n = t.accelerators.unwrap_or(1),
                c = t.clients,
                p = t.clients * 8,
                id = t.id,
            )
        }
    }
}

/// Each transport has its own mount, so a test's command says which it uses.
fn mount_point(t: &PocTest) -> String {
    format!("/mnt/vast/poc-{}", t.transport.as_str())
}

/// Mount options. A stock `nconnect` mount goes to one server address; VAST's NFS client
/// (multipath, NVIDIA's GDS guide documents it for VAST) spreads the mount's connections
/// over the CNodes' virtual IPs with `remoteports`, which the even spread the plan predicts
/// assumes.
fn mount_options(t: &PocTest) -> &'static str {
    match t.transport {
        Transport::Rdma => {
            "NFS over RDMA with VAST's multipath client: `mount -o proto=rdma,port=20049,vers=3,nconnect=16,remoteports=<VIP range> <VIP>:/<export>`"
        }
        Transport::Tcp => {
            "NFS over TCP with VAST's multipath client: `mount -o proto=tcp,vers=3,nconnect=16,remoteports=<VIP range> <VIP>:/<export>` (a stock nconnect mount reaches one server: spread the clients over the VIPs instead)"
        }
    }
}

fn result_file(t: &PocTest) -> String {
    match t.tool {
        Tool::Fio => format!("`{}.json`", t.id),
        Tool::Elbencho => format!("`{}.csv`", t.id),
        Tool::Mlperf => format!(
            "`{}.summary.json` (the run's `summary.json`, copied: the file name names the test)",
            t.id
        ),
    }
}

fn markdown(
    bp: &BenchPlan,
    scenario: &str,
    shape: &vastplan_models::Shape,
    clients_basis: &str,
    calibration: Option<&str>,
    dir: &std::path::Path,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# POC benchmark plan: {scenario}, {}\n", bp.setup.shape);
    if let Some(c) = calibration {
        let _ = writeln!(
            s,
            "Calibrated from {c}: its inputs have confidence `measured`.\n"
        );
    }
    let _ = writeln!(s, "{}.\n", setup_line(bp, shape));
    let counting = if shape.is_disaggregated() {
        "DBoxes (`--nodes`) and CNodes (`--cnodes`) are counted apart; without flags, the shape's minimum of each"
    } else {
        "one count (`--nodes`): each node serves protocols and holds data; without it, the shape's minimum"
    };
    let _ = writeln!(s, "- Size: {counting}.");
    let _ = writeln!(s, "- Clients: {clients_basis}.");
    let _ = writeln!(
        s,
        "- Whole request as `vastplan plan` sizes it (closed form): {} storage boxes, {} CNodes / protocol nodes. \
         Scale: {}.",
        bp.planned.storage, bp.planned.compute, bp.scale_basis
    );
    let _ = writeln!(s, "- Scenario targets: {}.", bp.targets.join("; "));
    let _ = writeln!(
        s,
        "- Predictions: the closed form `plan` sizes with (pools and ceiling at the POC's counts and clients). \
         Band: every input with a confidence range moved at once to the end that lowers (raises) the result \
         (estimate ±30 %, hypothetical ±50 %, user ±30 %, vendor-tool ±15 %). Least-confident input: {} ({}).",
        bp.least_confident.0, bp.least_confident.1
    );
    let _ = writeln!(
        s,
        "- A test passes when its measured result is at least the success figure. The other transport's \
         tests have none: they are there so that `calibrate` can tell the per-node budget from the TCP efficiency.\n"
    );
    let _ = writeln!(
        s,
        "| test | tool | transport | clients x threads | block | file | duration | predicted | band | should bind | success if at least |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &bp.rows {
        let t = &r.test;
        let m = t.metric;
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} - {} | {} | {} |",
            t.id,
            t.tool.as_str(),
            t.transport.as_str(),
            // MLPerf's processes are its emulated accelerators, spread over the hosts.
            if t.tool == Tool::Mlperf {
                format!("{} hosts", t.clients)
            } else {
                format!("{} x {}", t.clients, t.threads_per_client)
            },
            tool_size(t.block_bytes),
            tool_size(t.file_bytes),
            if t.duration_s > 0 {
                format!("{} s", t.duration_s)
            } else {
                "to completion".into()
            },
            bound(t, show(m, r.value)),
            short(m, r.low),
            short(m, r.high),
            r.binding,
            success_cell(r),
        );
    }
    if bp.rows.iter().any(Prediction::predicted_to_fail) {
        let _ = writeln!(s, "\n{FAIL_NOTE}.");
    }
    let _ = writeln!(
        s,
        "\nBefore the runs: `fio --server` and `elbencho --service` on every client, and \
         passwordless ssh with MPI between the clients for MLPerf Storage. The commands and \
         flags follow the tools' documentation as of 2026 (fio 3.x, elbencho 3.x, mlpstorage \
         2.x); check them against the installed versions."
    );
    let _ = writeln!(s, "\n## How to run each test\n");
    let _ = writeln!(
        s,
        "`hosts.txt` lists the {} client VMs, one per line; on each, mount the cluster once per \
         transport the tests use, at /mnt/vast/poc-rdma and /mnt/vast/poc-tcp.\n",
        bp.setup.clients
    );
    for r in &bp.rows {
        write_test(&mut s, r);
    }
    let _ = writeln!(s, "## Feeding the results back\n");
    let _ = writeln!(
        s,
        "Each result file names its test (fio job name, elbencho label, or the file name). Then\n\n```\n\
         vastplan calibrate --plan {} --measured RESULT_FILES...\n```\n\n\
         fits the model's parameters these tests identify and writes calibration.toml; every command \
         takes it with `--calibration calibration.toml`.",
        dir.display()
    );
    s
}

/// The success mark, flagged `!` when the POC as sized is predicted to miss it.
fn success_cell(r: &Prediction) -> String {
    match &r.criterion {
        None => "-".into(),
        Some(c) if r.predicted_to_fail() => format!("{} !", show(r.test.metric, c.min)),
        Some(c) => show(r.test.metric, c.min),
    }
}

/// The note under a table that flags marks with `!`.
const FAIL_NOTE: &str =
    "! predicted to fail: the model predicts less than the mark for the POC as sized";

fn write_test(s: &mut String, r: &Prediction) {
    let t = &r.test;
    let _ = writeln!(s, "### {}\n", t.id);
    let _ = writeln!(s, "{}. Measures {}.", upper(&t.purpose), t.metric.as_str());
    let _ = writeln!(s, "Mount {}: {}.", mount_point(t), mount_options(t));
    if let Some(a) = t.accelerators {
        let _ = writeln!(
            s,
            "Run with {a} emulated accelerators: the success count, or the most the POC is predicted to keep at the AU floor if that is more. MLPerf itself passes a run on accelerator utilisation (`train_au_meet_expectation` in `summary.json`); the GB/s is what `calibrate` fits."
        );
    }
    if t.kind == Kind::CheckpointBurst {
        let _ = writeln!(
            s,
            "Each thread writes at least a minute's worth at the predicted rate (a shorter burst \
             measures start-up); the mark is the POC's share of one checkpoint within its target time."
        );
    }
    if t.kind == Kind::RebuildUnderLoad {
        let _ = writeln!(
            s,
            "Fail one storage box (power it off, or remove it from the cluster), wait until the \
             cluster reports the rebuild running, then start the reads: the whole run must fall \
             inside the rebuild, since fio reports the average over the run. Note the rebuild time. \
             On VAST hardware a box powered off keeps its data (degraded reads, no rebuild): fail \
             drives from the management system instead; on Azure only a deallocated VM loses its \
             local NVMe. There is no success mark: `plan` sizes for the healthy read target."
        );
    }
    if !t.fits {
        let _ = writeln!(
            s,
            "The prediction is a bound from bytes alone (the model has no per-operation cost); the \
             result is recorded but not fitted."
        );
    }
    if let Some(c) = &r.criterion {
        let _ = writeln!(
            s,
            "Success: at least {} ({}).",
            show(t.metric, c.min),
            c.basis
        );
        if r.predicted_to_fail() {
            let _ = writeln!(
                s,
                "**Predicted to fail**: the model predicts {}, below this mark, for the POC as sized.",
                show(t.metric, r.value)
            );
        }
    }
    let _ = writeln!(s, "\n```\n{}\n```\n", command(t));
    let _ = writeln!(s, "Result file: {}.\n", result_file(t));
}

fn upper(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
