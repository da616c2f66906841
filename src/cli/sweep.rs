//! `vastplan sweep`: run a sweep file's runs (or one shard of them) across all cores.

use super::apply_scenario;
use crate::error::CliError;
use crate::progress::Progress;
use crate::sweep::run::{check, execute, manifest, run_file, write_manifest, Base};
use crate::sweep::shard::resolve_shard;
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
    /// Print nothing but errors.
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(mut cat: Catalog, a: &SweepArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let spec = load_sweep(&a.sweep)?;
    let shard = resolve_shard(a.shard.as_deref(), &|k| std::env::var(k).ok())?;
    let (sc, file) = apply_scenario(&mut cat, &spec.scenario)
        .map_err(|e| CliError::input(format!("{} (scenario of {})", strip(&e), spec.file)))?;
    let master = spec.seed.unwrap_or(sc.seed);
    let runs = expand(&spec, &sc.candidates, master);
    let base = Base {
        cat,
        sc,
        file,
        days: spec.days,
    };
    check(&base, &runs, &spec.file)?;
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
    write_manifest(&dir, &manifest(&runs)?)?;

    let mine: Vec<_> = runs.iter().filter(|r| shard.takes(r.index)).collect();
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
                let res = execute(&base, r)
                    .and_then(|bytes| crate::output::write_atomic(&run_file(&dir, &r.id), &bytes));
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
        writeln!(
            out,
            "shard {shard}: {} of {} runs; ran {}, {} already done; {:.2} s, {:.1} runs/s, {} jobs -> {}",
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

/// The message of an error without its "error: " prefix, for wrapping.
fn strip(e: &CliError) -> String {
    match e {
        CliError::Input(m) | CliError::Internal(m) => m.clone(),
    }
}
