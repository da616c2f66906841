//! Running the runs of one shard: each run becomes `DIR/runs/<run_id>.csv` (a header and
//! one row), written atomically, and a run whose file exists is skipped — so a retried
//! array task or replaced pod redoes only what is missing, and a killed one leaves no
//! half-written file behind (and its leftover temporary file is removed by the next run
//! of that shard).
//!
//! A directory belongs to one sweep: `DIR/manifest.csv` is created once, whole, by a hard
//! link (which fails if it exists), and carries the sweep's id on every row; a process
//! whose sweep has another id is refused.

use super::expand::Run;
use super::id::sweep_id;
use super::spec::SetAxis;
use crate::error::CliError;
use std::borrow::Cow;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use vastplan_models::scenario::{Failures, Scenario};
use vastplan_models::simulate::resolve::{sim_input_with, sizing, RunOverrides};
use vastplan_models::simulate::run;
use vastplan_models::sizing::counts_for;
use vastplan_models::{Catalog, InputError};

/// Manifest columns before the set-axis columns: the run id and the axis values as the
/// sweep set them (empty: the scenario's own).
pub const MANIFEST_LEAD: [&str; 6] = ["run_id", "shape", "nodes", "node_gbps", "gpus", "drive_afr"];
/// Manifest columns after the set-axis columns (one per `[axes.set]` key or `--set`,
/// named by the key).
pub const MANIFEST_TAIL: [&str; 3] = ["replicate", "seed", "sweep_id"];

/// What a result cell holds, for `merge` to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Count,
    /// A number.
    Number,
    /// A number, or empty for "none".
    OptNumber,
    /// Non-empty text.
    Text,
}

/// Columns of a run's result after the manifest's: the values the run actually used and
/// its headline metrics. Empty cells mean "none" (no checkpoint, no rebuild, no GPUs...).
pub const RESULT_COLUMNS: [(&str, Kind); 17] = [
    ("nodes_used", Kind::Count),
    ("gpus_used", Kind::Count),
    ("usd_per_month", Kind::Number),
    ("read_gbs", Kind::Number),
    ("read_demand_gbs", Kind::Number),
    ("closed_form_read_gbs", Kind::Number),
    ("binding_resource", Kind::Text),
    ("write_gbs", Kind::Number),
    ("gpu_utilisation", Kind::OptNumber),
    ("checkpoints", Kind::Count),
    ("checkpoint_p99_s", Kind::OptNumber),
    ("drive_failures", Kind::Count),
    ("node_losses", Kind::Count),
    ("rebuilds", Kind::Count),
    ("rebuild_mean_s", Kind::OptNumber),
    ("headroom_exhausted_day", Kind::OptNumber),
    ("events", Kind::Count),
];

/// Everything the runs share: the catalog with the scenario's overrides and `--set`
/// flags applied, the scenario, the sweep's simulated days, its set axes and its id.
pub struct Base {
    pub cat: Catalog,
    pub sc: Scenario,
    /// The scenario file, for error messages.
    pub file: String,
    pub days: Option<f64>,
    /// The sweep's set axes (flags included), in column order.
    pub sets: Vec<SetAxis>,
    /// Filled in by [`manifest`].
    pub sweep_id: String,
}

fn cell<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |x| x.to_string())
}

/// The manifest header for these set-axis keys.
pub fn manifest_header(set_keys: &[&str]) -> Vec<String> {
    MANIFEST_LEAD
        .iter()
        .chain(set_keys)
        .chain(MANIFEST_TAIL.iter())
        .map(|s| s.to_string())
        .collect()
}

/// A run file's header: the manifest's, then the results'.
pub fn run_header(set_keys: &[&str]) -> Vec<String> {
    let mut h = manifest_header(set_keys);
    h.extend(RESULT_COLUMNS.iter().map(|(c, _)| c.to_string()));
    h
}

/// The manifest row of a run in the sweep `id`.
pub fn manifest_row(r: &Run, id: &str) -> Vec<String> {
    let mut row = vec![
        r.id.clone(),
        r.shape.clone(),
        cell(r.nodes),
        cell(r.node_gbps),
        cell(r.gpus),
        cell(r.drive_afr),
    ];
    row.extend(r.sets.iter().map(f64::to_string));
    row.extend([r.replicate.to_string(), r.seed.to_string(), id.to_string()]);
    row
}

/// CSV bytes of a header and rows.
pub fn csv_bytes<S: AsRef<[u8]>>(header: &[S], rows: &[Vec<String>]) -> Result<Vec<u8>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let internal = |e: csv::Error| CliError::Internal(e.to_string());
    w.write_record(header).map_err(internal)?;
    for r in rows {
        w.write_record(r).map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| CliError::Internal(e.to_string()))
}

/// The run list a sweep id hashes: the manifest without its `sweep_id` column. `merge`
/// rebuilds the same bytes from a manifest it reads.
pub fn run_list_bytes(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, CliError> {
    let cut = |r: &[String]| r[..r.len() - 1].to_vec();
    let rows: Vec<_> = rows.iter().map(|r| cut(r)).collect();
    csv_bytes(&cut(header), &rows)
}

/// The manifest of a whole sweep, in run order, and the sweep's id; `context` is what the
/// runs share beyond their rows (see [`super::id`]).
pub fn manifest(
    runs: &[Run],
    base: &Base,
    context: &[&[u8]],
) -> Result<(Vec<u8>, String), CliError> {
    let keys: Vec<&str> = base.sets.iter().map(|s| s.key.as_str()).collect();
    let header = manifest_header(&keys);
    let mut rows: Vec<_> = runs.iter().map(|r| manifest_row(r, "")).collect();
    let id = sweep_id(&run_list_bytes(&header, &rows)?, context);
    for r in &mut rows {
        *r.last_mut().expect("a manifest row has columns") = id.clone();
    }
    Ok((csv_bytes(&header, &rows)?, id))
}

/// The sweep id on the first row of a manifest's bytes, if it has one.
fn id_in(manifest: &[u8]) -> Option<String> {
    let mut r = csv::Reader::from_reader(manifest);
    let h = r.headers().ok()?.clone();
    let at = h.iter().position(|c| c == "sweep_id")?;
    let rec = r.records().next()?.ok()?;
    rec.get(at).map(str::to_string)
}

/// A temporary name for a write of `path`, unique to this write: the process id alone is
/// not (every pod of a Kubernetes Job may be process 1, on one shared volume).
fn tmp_name(path: &Path) -> PathBuf {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{nanos:x}-{n}", std::process::id()))
}

fn cannot_write(p: &Path, e: std::io::Error) -> CliError {
    CliError::input(format!("cannot write {}: {e}", p.display()))
}

/// Creates `DIR/manifest.csv` with `bytes` if there is none, or checks that the one there
/// is the same sweep's. Creation is one atomic step (a hard link from a complete
/// temporary file, which fails if the manifest exists), so of two processes started
/// together on one directory exactly one creates it and the other compares against it.
pub fn write_manifest(dir: &Path, bytes: &[u8], id: &str) -> Result<(), CliError> {
    let path = dir.join("manifest.csv");
    // A few rounds: our temporary file may be removed by a concurrent process's clean-up
    // (we then write it again), or we may meet a manifest still being written by the
    // fallback path below (we then wait for it).
    for _ in 0..200 {
        match std::fs::read(&path) {
            Ok(old) if old == bytes => return Ok(()),
            Ok(old) if bytes.starts_with(&old) => {
                std::thread::sleep(Duration::from_millis(25));
                continue;
            }
            Ok(old) => {
                let theirs = id_in(&old).map_or_else(
                    || " (its manifest has no sweep_id: an older vastplan's?)".to_string(),
                    |i| format!(" {i}"),
                );
                return Err(CliError::input(format!(
                    "{} belongs to a different sweep{theirs} (this one is {id}); use another --out or remove that directory",
                    path.display()
                )));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CliError::input(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        }
        let tmp = tmp_name(&path);
        std::fs::write(&tmp, bytes).map_err(|e| cannot_write(&path, e))?;
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => return Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::AlreadyExists | ErrorKind::NotFound) => {}
            // A file system without hard links: create_new is atomic too, but a reader
            // may see the file before it is whole (hence the prefix wait above).
            Err(_) => {
                use std::io::Write;
                match std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                {
                    Ok(mut f) => {
                        return f
                            .write_all(bytes)
                            .and_then(|()| f.sync_all())
                            .map_err(|e| cannot_write(&path, e))
                    }
                    Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(cannot_write(&path, e)),
                }
            }
        }
    }
    Err(CliError::input(format!(
        "{}: could not create or read it whole; is another process rewriting it?",
        path.display()
    )))
}

/// Writes a run's file through a temporary file and a rename. The temporary file may be
/// removed under us by a concurrent clean-up of the same shard (see [`remove_stale`]): the
/// write is then tried again. A failed write leaves no temporary file.
pub fn write_run(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut last = None;
    for _ in 0..3 {
        let tmp = tmp_name(path);
        let r = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
        match r {
            Ok(()) => return Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                if e.kind() != ErrorKind::NotFound {
                    return Err(cannot_write(path, e));
                }
                last = Some(e);
            }
        }
    }
    Err(cannot_write(path, last.expect("three failed tries")))
}

/// Removes temporary files that killed or failed writes left behind: those of the runs
/// in `ids` (this shard's; a concurrent process of another shard is never touched) and
/// manifest attempts (call it once the manifest is in place: this process has none left;
/// another's in flight is written again, see [`write_manifest`]). Returns how many it
/// removed.
pub fn remove_stale<'a>(dir: &Path, ids: impl IntoIterator<Item = &'a str>) -> usize {
    let mine: std::collections::HashSet<&str> = ids.into_iter().collect();
    let mut removed = 0;
    let mut sweep = |d: &Path, stale: &dyn Fn(&str) -> bool| {
        let Ok(entries) = std::fs::read_dir(d) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            if stale(name) && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
    };
    sweep(&dir.join("runs"), &|n| {
        n.strip_prefix('.')
            .and_then(|n| n.split_once(".csv.tmp-"))
            .is_some_and(|(id, _)| mine.contains(id))
    });
    sweep(dir, &|n| n.starts_with(".manifest.csv.tmp-"));
    removed
}

/// Applies a run's axis values to a copy of the base scenario.
fn scenario_for(base: &Base, r: &Run) -> Result<Scenario, CliError> {
    let mut sc = base.sc.clone();
    if let Some(g) = r.gpus {
        let c = sc.clients.as_mut().ok_or_else(|| {
            CliError::input(format!(
                "{}: axis `gpus` needs a [clients] section in the scenario",
                base.file
            ))
        })?;
        c.gpus = g;
    }
    if let Some(a) = r.drive_afr {
        // A scenario without [failures] gets one with only drive failures, so an AFR
        // axis works on any scenario; node losses stay as the scenario has them (none).
        sc.failures
            .get_or_insert(Failures {
                drive_afr: a,
                node_loss_per_year: 0.0,
                rebuild_cap_gbs: None,
                rebuild_streams: None,
            })
            .drive_afr = a;
    }
    Ok(sc)
}

/// Checks what can be checked before any run starts: shapes exist, axes apply (every
/// value of every set axis goes through `Catalog::apply_override`).
pub fn check(base: &Base, runs: &[Run], sweep_file: &str) -> Result<(), CliError> {
    let mut seen = std::collections::HashSet::new();
    for r in runs {
        if seen.insert(r.shape.as_str()) {
            base.cat.shape(&r.shape).map_err(|e| {
                CliError::input(format!("{sweep_file}: field `axes.shape`: {}", e.message))
            })?;
        }
    }
    let mut cat = base.cat.clone();
    for ax in base.sets.iter().filter(|a| !a.from_flag) {
        for &v in &ax.values {
            cat.apply_override(&ax.id, &ax.field, v).map_err(|e| {
                let mut err =
                    InputError::new(sweep_file, e.message).field(format!("axes.set.{}", ax.key));
                if let Some(l) = ax.line {
                    err = err.at_line(l);
                }
                CliError::from(err)
            })?;
        }
    }
    if let Some(r) = runs.first() {
        scenario_for(base, r)?;
    }
    Ok(())
}

/// The catalog of one run: the base's, with the run's set-axis values applied.
fn catalog_for<'a>(base: &'a Base, r: &Run) -> Result<Cow<'a, Catalog>, CliError> {
    let mut cat = Cow::Borrowed(&base.cat);
    for (ax, &v) in base.sets.iter().zip(&r.sets) {
        if !ax.from_flag {
            cat.to_mut().apply_override(&ax.id, &ax.field, v)?;
        }
    }
    Ok(cat)
}

/// Simulates one run and returns its result file's bytes.
pub fn execute(base: &Base, r: &Run) -> Result<Vec<u8>, CliError> {
    let sc = scenario_for(base, r)?;
    let cat = catalog_for(base, r)?;
    let shape = cat.shape(&r.shape)?.clone();
    let sized = sizing(
        &cat,
        &sc,
        &shape,
        r.nodes.map(|n| counts_for(&shape, n, None)),
        &base.file,
    )?;
    let o = RunOverrides {
        days: base.days,
        seed: Some(r.seed),
        node_network: r.node_gbps.map(|g| g * 1e9 / 8.0),
    };
    let inp = sim_input_with(&cat, &sc, &shape, &sized, &o, &base.file)?;
    let res = run(&inp);
    let mut row = manifest_row(r, &base.sweep_id);
    row.extend([
        sized.nodes.to_string(),
        inp.gpus.to_string(),
        sized.usd_per_month.to_string(),
        res.read_gbs_mean.to_string(),
        res.read_demand_gbs_mean.to_string(),
        res.closed_form_read_gbs.to_string(),
        res.binding_resource.clone(),
        res.write_gbs_mean.to_string(),
        cell(res.gpu_utilisation),
        res.checkpoints.to_string(),
        cell(res.checkpoint_p99_s),
        res.drive_failures.to_string(),
        res.node_losses.to_string(),
        res.rebuilds_completed.to_string(),
        cell(res.rebuild_mean_s),
        cell(res.headroom_exhausted_day),
        res.events.to_string(),
    ]);
    let keys: Vec<&str> = base.sets.iter().map(|s| s.key.as_str()).collect();
    csv_bytes(&run_header(&keys), &[row])
}

/// Path of a run's result file.
pub fn run_file(dir: &Path, id: &str) -> std::path::PathBuf {
    dir.join("runs").join(format!("{id}.csv"))
}
