//! `vastplan merge`: one CSV of a complete sweep, sorted by run id.

use crate::error::CliError;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Sweep output directories (one, or one per shard / machine).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Merged CSV to write; `-` for standard output.
    #[arg(long, value_name = "FILE.csv")]
    pub out: PathBuf,
}

pub fn run(a: &MergeArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let bytes = crate::sweep::merge::merge(&a.dirs)?;
    if a.out.as_os_str() == "-" {
        out.write_all(&bytes)?;
        return Ok(());
    }
    // The atomic write renames over its target: never do that to a device or directory
    // (`--out /dev/stdout` would replace the link itself).
    if let Ok(m) = std::fs::metadata(&a.out) {
        if !m.is_file() {
            return Err(CliError::input(format!(
                "--out {}: not a regular file (use - for standard output)",
                a.out.display()
            )));
        }
    }
    crate::output::write_atomic(&a.out, &bytes)
}
