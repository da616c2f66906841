//! `vastplan validate`: every published-figure comparison as markdown, to stdout or to the
//! file `tests/validation.rs` holds the code to (docs/VALIDATION.md).

use crate::error::CliError;
use crate::validation::{markdown, rows};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use vastplan_models::Catalog;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Write the markdown to this file (e.g. docs/VALIDATION.md) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
}

pub fn run(cat: Catalog, a: &ValidateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let rows = rows(&cat)?;
    let text = markdown(&rows);
    match &a.write {
        Some(p) => {
            std::fs::write(p, &text)
                .map_err(|e| CliError::input(format!("cannot write {}: {e}", p.display())))?;
            let failed = rows.iter().filter(|r| !r.pass).count();
            writeln!(
                out,
                "wrote {} ({} rows, {failed} outside tolerance)",
                p.display(),
                rows.len()
            )
            .map_err(CliError::from)?;
        }
        None => out.write_all(text.as_bytes()).map_err(CliError::from)?,
    }
    // A row outside its tolerance is the code's fault, not the user's: exit 1, after the
    // document (which marks the row) is out.
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| !r.pass)
        .map(|r| r.check.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Internal(format!(
            "{} validation row(s) outside tolerance: {}",
            failed.len(),
            failed.join("; ")
        )))
    }
}
