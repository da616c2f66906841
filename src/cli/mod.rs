//! Command-line entry: parses arguments and dispatches to one module per subcommand.

use crate::error::CliError;
use clap::{Parser, Subcommand};

pub mod flows;

/// Deployment-topology simulator and capacity planner for VAST Data clusters.
#[derive(Parser, Debug)]
#[command(name = "vastplan", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run flows over links with max-min fair sharing and print each flow's finish time.
    Flows(flows::FlowsArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Flows(args) => flows::run(args),
    }
}
