//! `vastplan merge`: one CSV of a complete sweep, sorted by run id.

use crate::error::CliError;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Sweep output directories (one, or one per shard / machine).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Merged CSV to write.
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
}

pub fn run(a: &MergeArgs) -> Result<(), CliError> {
    let bytes = crate::sweep::merge::merge(&a.dirs)?;
    crate::output::write_atomic(&a.out, &bytes)
}
