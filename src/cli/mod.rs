//! Command-line entry: parses arguments and dispatches to one module per subcommand.

pub mod durability;
pub mod shapes;
pub mod size;
mod table;

use crate::error::CliError;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use vastplan_models::Catalog;

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
    /// List the catalog: candidate shapes (or GPU client VMs) with source and confidence.
    Shapes(shapes::ShapesArgs),
    /// Size every candidate shape for a logical capacity, side by side.
    Size(size::SizeArgs),
    /// Durability and availability (nines) of one shape at a node count, beside the
    /// other layout rule and Azure Blob's codes under the same inputs.
    Durability(durability::DurabilityArgs),
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
    let dir = datasets_dir(cli.datasets);
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Shapes(a) => shapes::run(&load(&dir)?, &a, &mut out),
        Command::Size(a) => size::run(load(&dir)?, &a, &mut out),
        Command::Durability(a) => durability::run(&load(&dir)?, &a, &mut out),
    }
}

fn load(dir: &std::path::Path) -> Result<Catalog, CliError> {
    if !dir.is_dir() {
        return Err(CliError::input(format!(
            "datasets directory {} not found (use --datasets DIR or VASTPLAN_DATASETS)",
            dir.display()
        )));
    }
    Ok(Catalog::load(dir)?)
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
