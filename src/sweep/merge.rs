//! Joining the run files of one sweep, possibly spread over several directories (one per
//! shard or per machine), into one CSV sorted by run id — only when every run is there and
//! every file is what the manifest says it is.
//!
//! The manifest is checked against its own sweep id (whose first half hashes the run
//! list, so a truncated, edited or reordered manifest shows); each run file must have the
//! run-file header of that manifest, exactly one row ending in a newline, the manifest's
//! cells for its run (id, parameters, seed, sweep id) and results that parse. Anything
//! else is an input error naming the file and line.

use super::expand::id_width;
use super::id::{fnv1a, run_list_half};
use super::run::{
    csv_bytes, run_file, run_header, run_list_bytes, Kind, MANIFEST_LEAD, MANIFEST_TAIL,
    RESULT_COLUMNS,
};
use crate::error::CliError;
use std::path::{Path, PathBuf};

fn read(p: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(p).map_err(|e| CliError::input(format!("cannot read {}: {e}", p.display())))
}

fn at(p: &Path, line: u64, msg: impl std::fmt::Display) -> CliError {
    CliError::input(format!("{}:{line}: {msg}", p.display()))
}

/// A manifest that passed its checks.
struct Manifest {
    header: Vec<String>,
    /// Rows in run order; row `i` is run `i`.
    rows: Vec<Vec<String>>,
}

fn csv_err(p: &Path, e: &csv::Error) -> CliError {
    let line = e.position().map_or(0, |pos| pos.line());
    let msg = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} cells where the header has {expected_len}"),
        _ => e.to_string(),
    };
    at(p, line, msg)
}

fn parse_manifest(p: &Path, bytes: &[u8]) -> Result<Manifest, CliError> {
    let not_ours = |why: String| at(p, 1, format!("not a sweep manifest: {why}"));
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| csv_err(p, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let (lead, tail) = (MANIFEST_LEAD.len(), MANIFEST_TAIL.len());
    if header.len() < lead + tail
        || header[..lead] != MANIFEST_LEAD
        || header[header.len() - tail..] != MANIFEST_TAIL
    {
        return Err(not_ours(format!(
            "expected columns {} … {}",
            MANIFEST_LEAD.join(","),
            MANIFEST_TAIL.join(",")
        )));
    }
    let keys = &header[lead..header.len() - tail];
    if let Some(k) = keys.iter().find(|k| !k.contains('.')) {
        return Err(not_ours(format!("column {k:?} is not a set-axis key")));
    }
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| csv_err(p, &e))?;
        lines.push(rec.position().map_or(0, |pos| pos.line()));
        rows.push(rec.iter().map(str::to_string).collect::<Vec<_>>());
    }
    if rows.is_empty() {
        return Err(at(p, 2, "no runs listed"));
    }
    let w = id_width(rows.len());
    let id = rows[0].last().cloned().unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        let want = format!("r{i:0w$}");
        if row[0] != want {
            return Err(at(
                p,
                lines[i],
                format!(
                    "run id {:?} where {want} belongs (rows missing, repeated or edited)",
                    row[0]
                ),
            ));
        }
        if row.last() != Some(&id) {
            return Err(at(p, lines[i], "sweep_id differs from the first row's"));
        }
    }
    let half = run_list_half(&id)
        .ok_or_else(|| at(p, lines[0], format!("sweep_id {id:?} is not an id")))?;
    let list = run_list_bytes(&header, &rows)?;
    if format!("{:016x}", fnv1a(&[&list])) != half {
        return Err(CliError::input(format!(
            "{}: the run list does not match its sweep id {id}: truncated or edited",
            p.display()
        )));
    }
    Ok(Manifest { header, rows })
}

/// Checks one run file against its manifest row and returns its row's bytes.
fn check_run_file<'a>(
    p: &Path,
    bytes: &'a [u8],
    header_bytes: &[u8],
    header: &[String],
    want: &[String],
) -> Result<&'a [u8], CliError> {
    let redo = "; remove it and re-run the sweep to redo the run";
    if !bytes.starts_with(header_bytes) {
        let got = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let got = String::from_utf8_lossy(got);
        let first = got
            .split(',')
            .zip(header)
            .position(|(g, h)| g != h)
            .map_or_else(
                || "columns missing or added".to_string(),
                |i| {
                    format!(
                        "column {} is {:?}, expected {:?}",
                        i + 1,
                        got.split(',').nth(i).unwrap_or(""),
                        header[i]
                    )
                },
            );
        return Err(at(
            p,
            1,
            format!("not this sweep's run-file header: {first}{redo}"),
        ));
    }
    let row = &bytes[header_bytes.len()..];
    let newlines = row.iter().filter(|&&b| b == b'\n').count();
    if row.is_empty() || newlines == 0 {
        return Err(at(
            p,
            2,
            format!("row missing or cut short (no final newline){redo}"),
        ));
    }
    if newlines > 1 || !row.ends_with(b"\n") {
        return Err(at(
            p,
            3,
            format!("more than one row; a run file holds exactly one{redo}"),
        ));
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(row);
    let rec = match r.records().next() {
        Some(Ok(rec)) => rec,
        Some(Err(e)) => return Err(at(p, 2, format!("{e}{redo}"))),
        None => return Err(at(p, 2, format!("row missing{redo}"))),
    };
    let expected = want.len() + RESULT_COLUMNS.len();
    if rec.len() != expected {
        return Err(at(
            p,
            2,
            format!(
                "{} cells, expected {expected} (cut short, or glued to another row){redo}",
                rec.len()
            ),
        ));
    }
    if rec[0] != want[0] {
        return Err(at(
            p,
            2,
            format!(
                "holds run {:?}, not {} (another run's file){redo}",
                &rec[0], want[0]
            ),
        ));
    }
    for (j, w) in want.iter().enumerate() {
        if &rec[j] != w {
            return Err(at(
                p,
                2,
                format!(
                    "field `{}` is {:?} but the manifest says {w:?} (a file of another sweep){redo}",
                    header[j], &rec[j]
                ),
            ));
        }
    }
    for (k, (name, kind)) in RESULT_COLUMNS.iter().enumerate() {
        let c = &rec[want.len() + k];
        let ok = match kind {
            Kind::Count => c.parse::<u64>().is_ok(),
            Kind::Number => c.parse::<f64>().is_ok(),
            Kind::OptNumber => c.is_empty() || c.parse::<f64>().is_ok(),
            Kind::Text => !c.is_empty(),
        };
        if !ok {
            let what = match kind {
                Kind::Count => "a whole number",
                Kind::Number => "a number",
                Kind::OptNumber => "a number or empty",
                Kind::Text => "non-empty",
            };
            return Err(at(
                p,
                2,
                format!("field `{name}` is {c:?}, not {what}{redo}"),
            ));
        }
    }
    Ok(row)
}

/// The merged CSV of the sweep in `dirs`, or an error listing every missing run id (or
/// naming the first file that is not what the manifest says).
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
    let m = parse_manifest(&mpath, &manifest)?;
    let keys: Vec<&str> = m.header[MANIFEST_LEAD.len()..m.header.len() - MANIFEST_TAIL.len()]
        .iter()
        .map(String::as_str)
        .collect();
    let header = run_header(&keys);
    let header_bytes = csv_bytes(&header, &[])?;
    let mut body = Vec::new();
    let mut missing = Vec::new();
    for row in &m.rows {
        let id = &row[0];
        let Some(p) = dirs.iter().map(|d| run_file(d, id)).find(|p| p.is_file()) else {
            missing.push(id.as_str());
            continue;
        };
        let bytes = read(&p)?;
        body.extend_from_slice(check_run_file(&p, &bytes, &header_bytes, &header, row)?);
    }
    if !missing.is_empty() {
        return Err(CliError::input(format!(
            "incomplete sweep: {} of {} runs missing: {}",
            missing.len(),
            m.rows.len(),
            missing.join(" ")
        )));
    }
    let mut out = header_bytes;
    out.extend(body);
    Ok(out)
}
