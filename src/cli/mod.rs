//! Command-line entry: parses arguments and dispatches to one module per subcommand.

pub mod design;
pub mod durability;
pub mod flows;
pub mod merge;
pub mod netcheck;
pub mod plan;
pub mod ratio;
pub mod shapes;
pub mod simulate;
pub mod size;
pub mod sweep;
mod table;
pub mod validate;

use crate::error::CliError;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use vastplan_models::scenario::{load_scenario, Scenario};
use vastplan_models::simulate::resolve::apply_overrides;
use vastplan_models::{Catalog, Confidence, Param};

/// Deployment-topology simulator and capacity planner for VAST Data clusters.
#[derive(Parser, Debug)]
#[command(name = "vastplan", version, about)]
pub struct Cli {
    /// Directory holding the catalog CSVs [env: VASTPLAN_DATASETS] [default: ./datasets]
    #[arg(long, global = true, value_name = "DIR")]
    pub datasets: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The end-to-end proposal for a scenario: size, simulate, judge, report.
    Plan(plan::PlanArgs),
    /// List the catalog: candidate shapes (or GPU client VMs) with source and confidence.
    Shapes(shapes::ShapesArgs),
    /// Size every candidate shape for a logical capacity, side by side.
    Size(size::SizeArgs),
    /// Per-resource demand vs capacity, the binding resource, and the network knee.
    Netcheck(netcheck::NetcheckArgs),
    /// The storage server to ask for: search a space of hypothetical nodes for the
    /// scenario, the frontier, the cheapest that meets every target, what each part is worth.
    Design(design::DesignArgs),
    /// Simulate one candidate of a scenario under load (checkpoints, failures, growth).
    Simulate(simulate::SimulateArgs),
    /// Storage nodes, TB and GB/s per GPU as a GPU fleet grows.
    Ratio(ratio::RatioArgs),
    /// Run flows over links with max-min fair sharing and print each flow's finish time.
    Flows(flows::FlowsArgs),
    /// Durability and availability (nines) of one shape at a node count, beside the
    /// other layout rule and Azure Blob's codes under the same inputs.
    Durability(durability::DurabilityArgs),
    /// Compare vastplan's answers with published figures (MLPerf Storage, NVIDIA, VAST,
    /// Azure, Meta, queueing theory) and print or write docs/VALIDATION.md.
    Validate(validate::ValidateArgs),
    /// Run a parameter sweep (or one shard of it) across all cores; one result file per run.
    Sweep(sweep::SweepArgs),
    /// Merge complete sweep output directories into one CSV sorted by run id.
    Merge(merge::MergeArgs),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let mut out = crate::output::stdout();
    let dir = || datasets_dir(cli.datasets.clone());
    match cli.command {
        // Flow instances need no catalog.
        Command::Flows(a) => flows::run(a),
        Command::Merge(a) => merge::run(&a, &mut out),
        Command::Shapes(a) => shapes::run(&load(&dir())?, &a, &mut out),
        Command::Size(a) => size::run(load(&dir())?, &a, &mut out),
        Command::Netcheck(a) => netcheck::run(load(&dir())?, &a, &mut out),
        Command::Plan(a) => plan::run(load_with(&dir(), &a.shapes)?, &a, &mut out),
        Command::Design(a) => design::run(load(&dir())?, &dir(), &a, &mut out),
        Command::Ratio(a) => ratio::run(load(&dir())?, &a, &mut out),
        Command::Simulate(a) => simulate::run(load(&dir())?, &a, &mut out),
        Command::Durability(a) => durability::run(load(&dir())?, &a, &mut out),
        Command::Validate(a) => validate::run(load(&dir())?, &a, &mut out),
        Command::Sweep(a) => sweep::run(load(&dir())?, &a, &mut out),
    }
}

/// A one-line warning on stderr: the input is legal but surely not what was meant. The
/// command goes on; stdout stays as it would be without the warning.
pub fn warn(message: &str) {
    eprintln!("warning: {message}");
}

/// Applies `--set ID.FIELD=VALUE` overrides to the catalog.
pub fn apply_sets(c: &mut Catalog, sets: &[String]) -> Result<(), CliError> {
    for s in sets {
        let bad = || CliError::input(format!("--set {s:?}: expected ID.FIELD=VALUE"));
        let (lhs, v) = s.split_once('=').ok_or_else(bad)?;
        let (id, field) = lhs.rsplit_once('.').ok_or_else(bad)?;
        let v: f64 = v
            .parse()
            .map_err(|_| CliError::input(format!("--set {s:?}: {v:?} is not a number")))?;
        c.apply_override(id, field, v)
            .map_err(|e| CliError::input(format!("--set {s:?}: {}", e.message)))?;
    }
    Ok(())
}

/// The data-reduction ratio: `--drr` if given (a user input), else the catalog's
/// assumption `drr_<workload>`.
pub fn drr_param(c: &Catalog, drr: Option<f64>, workload: &str) -> Result<Param, CliError> {
    match drr {
        Some(d) if d.is_finite() && (1.0..=100.0).contains(&d) => {
            Ok(Param::new(d, "--drr", Confidence::User))
        }
        Some(d) => Err(CliError::input(format!(
            "--drr must be between 1 and 100, got {}",
            vastplan_models::catalog::rules::show(d)
        ))),
        None => {
            let key = format!("drr_{}", workload.replace('-', "_"));
            c.assumptions.get(&key).cloned().ok_or_else(|| {
                let known: Vec<&str> = c
                    .assumptions
                    .keys()
                    .filter_map(|k| k.strip_prefix("drr_"))
                    .collect();
                CliError::input(format!(
                    "--workload: unknown workload {workload:?}; {}",
                    vastplan_models::catalog::suggest(workload, &known)
                ))
            })
        }
    }
}

/// Loads a scenario and applies its overrides to the catalog; returns the scenario and
/// the file name errors should name.
pub fn apply_scenario(
    c: &mut Catalog,
    path: &std::path::Path,
) -> Result<(Scenario, String), CliError> {
    let sc = load_scenario(path)?;
    let file = path.display().to_string();
    apply_overrides(c, &sc, &file)?;
    for id in &sc.candidates {
        c.shape(id)
            .map_err(|e| CliError::input(format!("{file}: field `candidates`: {}", e.message)))?;
    }
    if let Some(cl) = &sc.clients {
        for r in [
            c.gpu_vm(&cl.gpu_vm).map(|_| ()),
            c.workload(&cl.workload).map(|_| ()),
        ] {
            r.map_err(|e| CliError::input(format!("{file}: section `clients`: {}", e.message)))?;
        }
    }
    if let Some(ck) = &sc.checkpoint {
        c.model(&ck.model).map_err(|e| {
            CliError::input(format!("{file}: field `checkpoint.model`: {}", e.message))
        })?;
    }
    if let Some(inf) = &sc.inference {
        c.model(&inf.model).map_err(|e| {
            CliError::input(format!("{file}: field `inference.model`: {}", e.message))
        })?;
    }
    Ok((sc, file))
}

fn load(dir: &std::path::Path) -> Result<Catalog, CliError> {
    load_with(dir, &[])
}

/// The catalog plus the server rows of `extra` (`plan --shapes`).
fn load_with(dir: &std::path::Path, extra: &[PathBuf]) -> Result<Catalog, CliError> {
    if !dir.is_dir() {
        return Err(CliError::input(format!(
            "datasets directory {} not found (use --datasets DIR or VASTPLAN_DATASETS)",
            dir.display()
        )));
    }
    Ok(Catalog::load_with(dir, extra)?)
}

/// `--datasets`, else `$VASTPLAN_DATASETS`, else `./datasets`, else the datasets
/// shipped in the source tree this binary was built from.
fn datasets_dir(flag: Option<PathBuf>) -> PathBuf {
    if let Some(d) = flag {
        return d;
    }
    if let Some(d) = std::env::var_os("VASTPLAN_DATASETS") {
        return PathBuf::from(d);
    }
    let local = PathBuf::from("datasets");
    if local.is_dir() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets")
}
