//! Joining the run files of one sweep, possibly spread over several directories (one per
//! shard or per machine), into one CSV sorted by run id — only when every run is there.

use super::run::run_file;
use crate::error::CliError;
use std::path::{Path, PathBuf};

fn read(p: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(p).map_err(|e| CliError::input(format!("cannot read {}: {e}", p.display())))
}

/// Run ids listed in a manifest, in its (run-id) order.
fn manifest_ids(path: &Path, bytes: &[u8]) -> Result<Vec<String>, CliError> {
    let mut r = csv::Reader::from_reader(bytes);
    let mut ids = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| CliError::input(format!("{}: {e}", path.display())))?;
        ids.push(rec.get(0).unwrap_or_default().to_string());
    }
    if ids.is_empty() {
        return Err(CliError::input(format!(
            "{}: no runs listed",
            path.display()
        )));
    }
    Ok(ids)
}

/// Splits a run file into its header line and the rest (the row).
fn split_header<'a>(p: &Path, b: &'a [u8]) -> Result<(&'a [u8], &'a [u8]), CliError> {
    let nl = b
        .iter()
        .position(|&c| c == b'\n')
        .filter(|&i| i + 1 < b.len())
        .ok_or_else(|| CliError::input(format!("{}: not a run result file", p.display())))?;
    Ok((&b[..=nl], &b[nl + 1..]))
}

/// The merged CSV of the sweep in `dirs`, or an error listing every missing run id.
pub fn merge(dirs: &[PathBuf]) -> Result<Vec<u8>, CliError> {
    let first = dirs
        .first()
        .ok_or_else(|| CliError::input("merge: name at least one sweep directory"))?;
    let mpath = first.join("manifest.csv");
    let manifest = read(&mpath)?;
    for d in &dirs[1..] {
        let p = d.join("manifest.csv");
        // A directory without a manifest contributes nothing; one with a different
        // manifest belongs to another sweep.
        if p.exists() && read(&p)? != manifest {
            return Err(CliError::input(format!(
                "{} and {} describe different sweeps",
                mpath.display(),
                p.display()
            )));
        }
    }
    let ids = manifest_ids(&mpath, &manifest)?;
    let mut header: Option<Vec<u8>> = None;
    let mut body = Vec::new();
    let mut missing = Vec::new();
    for id in &ids {
        let Some(p) = dirs.iter().map(|d| run_file(d, id)).find(|p| p.is_file()) else {
            missing.push(id.as_str());
            continue;
        };
        let bytes = read(&p)?;
        let (h, row) = split_header(&p, &bytes)?;
        match &header {
            None => header = Some(h.to_vec()),
            Some(h0) if h0.as_slice() != h => {
                return Err(CliError::input(format!(
                    "{}: columns differ from the other run files",
                    p.display()
                )))
            }
            Some(_) => {}
        }
        body.extend_from_slice(row);
    }
    if !missing.is_empty() {
        return Err(CliError::input(format!(
            "incomplete sweep: {} of {} runs missing: {}",
            missing.len(),
            ids.len(),
            missing.join(" ")
        )));
    }
    let mut out = header.unwrap_or_default();
    out.extend(body);
    Ok(out)
}
