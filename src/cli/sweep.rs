//! `vastplan sweep`: run a sweep file's runs (or one shard of them) across all cores.

use super::{apply_scenario, apply_sets};
use crate::error::CliError;
use crate::progress::Progress;
use crate::sweep::run::{
    check, execute, manifest, remove_stale, run_file, write_manifest, write_run, Base,
};
use crate::sweep::shard::resolve_shard;
use crate::sweep::spec::{SetAxis, SweepSpec};
use crate::sweep::{expand, load_sweep};
use clap::Args;
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Sweep file (TOML), e.g. datasets/sweeps/neocloud-sweep.toml.
    pub sweep: PathBuf,
    /// Runs at once (default: every core).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Take only runs whose index is I modulo N. Absent: from SLURM_ARRAY_TASK_ID /
    /// SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX / VASTPLAN_SHARD_COUNT, else all.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Output directory: manifest.csv and `runs/<run_id>.csv` (default: `sweep-<file stem>`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Override a number for every run: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE
    /// (repeatable), after the scenario's `[overrides]`. Each becomes a manifest column, so
    /// another --set is another sweep.
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(mut cat: Catalog, a: &SweepArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let spec = load_sweep(&a.sweep)?;
    let shard = resolve_shard(a.shard.as_deref(), &|k| std::env::var(k).ok())?;
    let (sc, file) = apply_scenario(&mut cat, &spec.scenario)
        .map_err(|e| CliError::input(format!("{} (scenario of {})", strip(&e), spec.file)))?;
    // As every other command does it, after the scenario's own overrides.
    apply_sets(&mut cat, &a.sets)?;
    let mut spec = spec;
    add_flag_sets(&mut spec, &a.sets)?;
    let master = spec.seed.unwrap_or(sc.seed);
    let runs = expand(&spec, &sc.candidates, master)?;
    let mut base = Base {
        cat,
        sc,
        file,
        days: spec.days,
        sets: spec.sets.clone(),
        sweep_id: String::new(),
    };
    check(&base, &runs, &spec.file)?;
    // What every run shares beyond its row: another day count or an edited scenario
    // makes another sweep.
    let scenario_bytes = std::fs::read(&spec.scenario).unwrap_or_default();
    let days = format!("days={:?}", spec.days);
    let (manifest_bytes, id) = manifest(&runs, &base, &[days.as_bytes(), &scenario_bytes])?;
    base.sweep_id = id;
    let dir = a.out.clone().unwrap_or_else(|| {
        let stem = a
            .sweep
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("out");
        PathBuf::from(format!("sweep-{stem}"))
    });
    std::fs::create_dir_all(dir.join("runs"))
        .map_err(|e| CliError::input(format!("cannot create {}: {e}", dir.display())))?;
    // Every shard writes the same manifest, so any one of them can be merged from.
    write_manifest(&dir, &manifest_bytes, &base.sweep_id)?;

    let mine: Vec<_> = runs.iter().filter(|r| shard.takes(r.index)).collect();
    let stale = remove_stale(&dir, mine.iter().map(|r| r.id.as_str()));
    let todo: Vec<_> = mine
        .iter()
        .filter(|r| !run_file(&dir, &r.id).is_file())
        .collect();
    let jobs = match a.jobs {
        Some(0) => return Err(CliError::input("--jobs must be at least 1")),
        Some(j) => j,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| CliError::Internal(e.to_string()))?;
    let bar = Mutex::new(Progress::new(
        &format!("sweep shard {shard}: {} runs", todo.len()),
        a.quiet,
    ));
    let done = AtomicUsize::new(0);
    let start = Instant::now();
    // Each run reports its own error; the others still finish and are kept, so a re-run
    // after a fix redoes only the failed ones.
    let results: Vec<Result<(), (String, CliError)>> = pool.install(|| {
        todo.par_iter()
            .map(|r| {
                let res =
                    execute(&base, r).and_then(|bytes| write_run(&run_file(&dir, &r.id), &bytes));
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Ok(mut b) = bar.lock() {
                    b.set(n as f64 / todo.len().max(1) as f64);
                }
                res.map_err(|e| (r.id.clone(), e))
            })
            .collect()
    });
    if let Ok(mut b) = bar.lock() {
        b.finish();
    }
    let secs = start.elapsed().as_secs_f64();
    let failed: Vec<_> = results.into_iter().filter_map(Result::err).collect();
    if let Some((id, e)) = failed.first() {
        let more = match failed.len() {
            1 => String::new(),
            n => format!(" (and {} more runs failed)", n - 1),
        };
        let msg = format!("run {id}: {}{more}", strip(e));
        return Err(match e {
            CliError::Input(_) => CliError::Input(msg),
            CliError::Internal(_) => CliError::Internal(msg),
        });
    }
    if !a.quiet {
        let stale = match stale {
            0 => String::new(),
            n => format!("; removed {n} stale temporary files"),
        };
        writeln!(
            out,
            "shard {shard}: {} of {} runs; ran {}, {} already done; {:.2} s, {:.1} runs/s, {} jobs -> {}{stale}",
            mine.len(),
            runs.len(),
            todo.len(),
            mine.len() - todo.len(),
            secs,
            todo.len() as f64 / secs.max(1e-9),
            jobs,
            dir.display()
        )?;
    }
    Ok(())
}

/// Records each `--set ID.FIELD=VALUE` as a one-value set axis: a manifest column named
/// by its key, already applied to the base catalog by `apply_sets`. A key that is also a
/// set axis of the sweep file is refused (which value would a run use?).
fn add_flag_sets(spec: &mut SweepSpec, sets: &[String]) -> Result<(), CliError> {
    for s in sets {
        // `apply_sets` has accepted the spelling and the number.
        let (lhs, v) = s.split_once('=').unwrap_or_default();
        let (id, field) = lhs.rsplit_once('.').unwrap_or_default();
        let v: f64 = v.parse().unwrap_or_default();
        match spec.sets.iter_mut().find(|a| a.key == lhs) {
            Some(a) if a.from_flag => a.values = vec![v], // the last --set wins, as it does in apply_sets
            Some(_) => {
                return Err(CliError::input(format!(
                    "--set {s:?}: {} sweeps {lhs} as an axis; drop one",
                    spec.file
                )))
            }
            None => spec.sets.push(SetAxis {
                key: lhs.to_string(),
                id: id.to_string(),
                field: field.to_string(),
                values: vec![v],
                line: None,
                from_flag: true,
            }),
        }
    }
    spec.sets.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(())
}

/// The message of an error without its "error: " prefix, for wrapping.
fn strip(e: &CliError) -> String {
    match e {
        CliError::Input(m) | CliError::Internal(m) => m.clone(),
    }
}
