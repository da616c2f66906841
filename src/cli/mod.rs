//! Command-line entry: parses arguments and dispatches to one module per subcommand.

pub mod benchplan;
pub mod calibrate;
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
    /// Catalog numbers measured by a POC (`vastplan calibrate`), applied over the catalog
    #[arg(long, global = true, value_name = "FILE")]
    pub calibration: Option<PathBuf>,
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
    /// The benchmark plan of a proof of concept: tests, tool parameters, predicted results
    /// with a band, the resource that should bind, and success criteria.
    Benchplan(benchplan::BenchplanArgs),
    /// Fit the model to a POC's result files (fio, elbencho, MLPerf Storage) and write a
    /// calibration file for `--calibration`.
    Calibrate(calibrate::CalibrateArgs),
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
    let cal = cli.calibration.clone();
    let dir = datasets_dir(cli.datasets.clone());
    let load_with = |extra: &[PathBuf]| load_calibrated(&dir, extra, cal.as_deref());
    let load = || load_with(&[]);
    let cal_name = cal.as_ref().map(|p| p.display().to_string());
    let result = match cli.command {
        // Flow instances and sweep outputs need no catalog, so a calibration would change
        // nothing: refused rather than ignored.
        Command::Flows(_) | Command::Merge(_) if cal.is_some() => Err(CliError::input(
            "--calibration: this command reads no catalog, so a calibration changes nothing",
        )),
        Command::Flows(a) => flows::run(a),
        Command::Merge(a) => merge::run(&a, &mut out),
        Command::Shapes(a) => shapes::run(&load()?, &a, &mut out),
        Command::Size(a) => size::run(load()?, &a, &mut out),
        Command::Netcheck(a) => netcheck::run(load()?, &a, &mut out),
        Command::Plan(a) => plan::run(load_with(&a.shapes)?, &a, &mut out),
        Command::Design(a) => design::run(load()?, &dir, &a, &mut out),
        Command::Ratio(a) => ratio::run(load()?, &a, &mut out),
        Command::Simulate(a) => simulate::run(load()?, &a, &mut out),
        Command::Durability(a) => durability::run(load()?, &a, &mut out),
        Command::Validate(a) => validate::run(load()?, &a, &mut out),
        Command::Sweep(a) => sweep::run(load()?, &a, &mut out),
        Command::Benchplan(a) => benchplan::run(load()?, &a, cal_name.as_deref(), &mut out),
        Command::Calibrate(a) => calibrate::run(load()?, &a, cal.as_deref(), &mut out),
    };
    // After the answer, and only with one: a failed command prints its one error line.
    if let (Ok(()), Some(c)) = (&result, &cal) {
        eprintln!("note: calibrated from {}", c.display());
    }
    result
}

/// A one-line warning on stderr: the input is legal but surely not what was meant. The
/// command goes on; stdout stays as it would be without the warning.
pub fn warn(message: &str) {
    eprintln!("warning: {message}");
}

/// "calibrated: ..." naming the catalog numbers a POC measured (`--calibration`), for the
/// tables built on them; `None` when there are none.
pub fn calibrated_line(c: &Catalog) -> Option<String> {
    let mut names: Vec<String> = c
        .assumptions
        .iter()
        .filter(|(_, p)| p.confidence == Confidence::Measured)
        .map(|(n, _)| n.clone())
        .collect();
    for s in &c.shapes {
        for (f, p) in &s.params {
            if p.confidence == Confidence::Measured {
                names.push(format!("{}.{f}", s.id));
            }
        }
    }
    (!names.is_empty()).then(|| format!("calibrated: measured {}", names.join(", ")))
}

/// Applies `--set ID.FIELD=VALUE` overrides to the catalog.
pub fn apply_sets(c: &mut Catalog, sets: &[String]) -> Result<(), CliError> {
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for s in sets {
        let bad = || CliError::input(format!("--set {s:?}: expected ID.FIELD=VALUE"));
        let (lhs, v) = s.split_once('=').ok_or_else(bad)?;
        // Two values for one number: which was meant cannot be guessed.
        if let Some(first) = seen.insert(lhs, v) {
            if first != v {
                return Err(CliError::input(format!(
                    "--set {s:?}: {lhs} is already set to {first}"
                )));
            }
        }
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
    // Ids the catalog must have, at the scenario's line (the catalog's own message
    // suggests the nearest id).
    let at = |path: &str, e: vastplan_models::InputError| sc.error_at(&file, path, path, e.message);
    for id in &sc.candidates {
        c.shape(id).map_err(|e| at("candidates", e))?;
    }
    // A class names a data-reduction assumption even when `request.drr` overrides it: an
    // unknown one is a typo, not a new class.
    let class = &sc.request.workload_class;
    if !c
        .assumptions
        .contains_key(&format!("drr_{}", class.replace('-', "_")))
    {
        let known: Vec<String> = c
            .assumptions
            .keys()
            .filter_map(|k| k.strip_prefix("drr_"))
            .map(|k| k.replace('_', "-"))
            .collect();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        return Err(sc
            .error_at(
                &file,
                "request.workload_class",
                "request.workload_class",
                format!(
                    "unknown workload class {class:?}; {}",
                    vastplan_models::catalog::suggest(class, &known)
                ),
            )
            .into());
    }
    if let Some(cl) = &sc.clients {
        c.gpu_vm(&cl.gpu_vm).map_err(|e| at("clients.gpu_vm", e))?;
        c.workload(&cl.workload)
            .map_err(|e| at("clients.workload", e))?;
    }
    if let Some(ck) = &sc.checkpoint {
        c.model(&ck.model).map_err(|e| at("checkpoint.model", e))?;
    }
    if let Some(inf) = &sc.inference {
        c.model(&inf.model).map_err(|e| at("inference.model", e))?;
    }
    Ok((sc, file))
}

/// The catalog with a calibration file's measured numbers applied, if one is given (`run`
/// says so on stderr, since every table and report after it rests on those numbers).
/// The catalog (plus the server rows of `extra`, `plan --shapes`), calibrated if asked.
fn load_calibrated(
    dir: &std::path::Path,
    extra: &[PathBuf],
    calibration: Option<&std::path::Path>,
) -> Result<Catalog, CliError> {
    let mut c = load_with(dir, extra)?;
    if let Some(p) = calibration {
        let cal = vastplan_models::poc::calibration::load(p)?;
        let file = p.display().to_string();
        vastplan_models::poc::calibration::apply(&mut c, &cal, &file)?;
    }
    Ok(c)
}

/// `--nodes` and `--cnodes` for `shape`: each from 1 to the largest cluster the model
/// sizes, and `--cnodes` only where CNodes are counted apart from the storage.
pub(crate) fn check_counts(
    shape: &vastplan_models::Shape,
    nodes: Option<u64>,
    cnodes: Option<u32>,
) -> Result<(), CliError> {
    use vastplan_models::sizing::MAX_NODES;
    for (flag, v) in [("--nodes", nodes), ("--cnodes", cnodes.map(u64::from))] {
        if let Some(n) = v {
            if n == 0 || n > MAX_NODES {
                return Err(CliError::input(format!(
                    "{flag} must be between 1 and {MAX_NODES}, got {n}"
                )));
            }
        }
    }
    if cnodes.is_some() && !shape.is_disaggregated() {
        return Err(CliError::input(format!(
            "--cnodes: {} is converged (each node serves protocols and holds data); give --nodes only",
            shape.id
        )));
    }
    Ok(())
}

/// A flag's value checked against the range of the catalog field it stands for
/// (`field`, in the field's units = the flag's × `scale`), reported in the flag's units.
pub(crate) fn check_flag(
    flag: &str,
    v: Option<f64>,
    field: &str,
    scale: f64,
) -> Result<Option<f64>, CliError> {
    let Some(x) = v else { return Ok(None) };
    let rule = vastplan_models::catalog::rules::rule(field);
    if rule.check(x * scale).is_err() {
        let why = rule
            .in_units(scale)
            .check(x)
            .err()
            .unwrap_or_else(|| format!("{x} is out of range"));
        return Err(CliError::input(format!("{flag}: {why}")));
    }
    Ok(Some(x * scale))
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
