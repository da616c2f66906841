//! `vastplan validate`: every published-figure comparison as markdown, to stdout or to the
//! file `tests/validation.rs` holds the code to (docs/VALIDATION.md).

use super::table::Table;
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
    /// Print the markdown document (what --write writes) instead of the table.
    #[arg(long, conflicts_with = "write")]
    pub markdown: bool,
    /// Show every column of the table (source, tolerance, note) and whole cells.
    #[arg(long)]
    pub wide: bool,
}

/// The rows as a terminal table: one line per check, long cells cut unless wide.
fn write_table(
    rows: &[crate::validation::Row],
    wide: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let cut = |s: &str, n: usize| {
        if wide || s.chars().count() <= n {
            s.to_string()
        } else {
            format!("{}…", s.chars().take(n - 1).collect::<String>())
        }
    };
    let mut t = Table::new(&[
        "check",
        "published",
        "vastplan",
        "error",
        "tolerance",
        "pass",
        "source",
        "note",
    ])
    .wide_only(&["tolerance", "source", "note"]);
    for r in rows {
        t.push(vec![
            cut(&r.check, 56),
            cut(&r.published, 16),
            cut(&r.vastplan, 20),
            cut(&r.error, 9),
            r.tolerance.clone(),
            if r.pass { "yes" } else { "NO" }.to_string(),
            r.source.clone(),
            r.note.clone(),
        ]);
    }
    t.write_text(out, wide)?;
    let failed = rows.iter().filter(|r| !r.pass).count();
    writeln!(
        out,
        "{} of {} rows pass; `vastplan validate --markdown` prints the document with sources and notes",
        rows.len() - failed,
        rows.len()
    )
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
        None if a.markdown => out.write_all(text.as_bytes()).map_err(CliError::from)?,
        None => write_table(&rows, a.wide, out)?,
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
