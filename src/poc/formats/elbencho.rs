//! elbencho `--csvfile`: a header row, then one row per phase (MKDIRS, WRITE, READ, ...).
//! Throughput is `MiB/s [last]` (the aggregate when the slowest thread finished); a mixed
//! run (`--rwmixpct`) reports its writes there and its reads in `rwmix read MiB/s [last]`.

use super::{bad, parse_size, stem, Measured};
use crate::error::CliError;
use std::path::Path;

const MIB: f64 = 1_048_576.0;

pub fn parse(path: &Path, text: &str) -> Result<Measured, CliError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad(path, None, format!("not CSV ({e})")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    // A throughput column in other units is not elbencho's: say so rather than misread it.
    if col("MiB/s [last]").is_none() {
        let other = header
            .iter()
            .find(|h| h.ends_with("/s [last]") && !h.starts_with("IOPS") && !h.contains("entries"));
        return Err(match other {
            Some(h) => bad(
                path,
                Some(h),
                "units do not match: elbencho reports MiB/s [last]",
            ),
            None => bad(
                path,
                Some("MiB/s [last]"),
                "missing: not an elbencho --csvfile",
            ),
        });
    }
    let op = col("operation").ok_or_else(|| bad(path, Some("operation"), "missing"))?;
    let mut chosen: Option<(usize, csv::StringRecord)> = None;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(path, None, format!("line {}: {e}", i + 2)))?;
        let o = rec.get(op).unwrap_or("").trim();
        if o == "READ" || o == "WRITE" {
            chosen = Some((i + 2, rec));
        }
    }
    let (line, rec) = chosen.ok_or_else(|| bad(path, Some("operation"), "no READ or WRITE row"))?;
    let get = |name: &str| col(name).and_then(|c| rec.get(c)).map(str::trim);
    let num = |name: &str| -> Result<Option<f64>, CliError> {
        match get(name) {
            None | Some("") => Ok(None),
            Some(s) => {
                let v: f64 = s.parse().map_err(|_| {
                    bad(
                        path,
                        Some(name),
                        format!("line {line}: {s:?} is not a number"),
                    )
                })?;
                if !v.is_finite() || v < 0.0 {
                    return Err(bad(
                        path,
                        Some(name),
                        format!("line {line}: {v} is not a rate"),
                    ));
                }
                Ok(Some(v))
            }
        }
    };
    let mut m = Measured {
        format: "elbencho",
        ..Default::default()
    };
    if let Some(l) = get("label").filter(|l| !l.is_empty()) {
        m.ids.push(("label".into(), l.to_string()));
    }
    m.ids.push(("file name".into(), stem(path)));
    if let Some(b) = get("block size").filter(|b| !b.is_empty()) {
        let v = parse_size(b)
            .ok_or_else(|| bad(path, Some("block size"), format!("{b:?} is not a size")))?;
        m.block_bytes = Some((v, "block size".into()));
    }
    let mib = num("MiB/s [last]")?.unwrap_or(0.0) * MIB;
    let iops = num("IOPS [last]")?;
    let mix_read = num("rwmix read MiB/s [last]")?;
    let is_read = get("operation") == Some("READ");
    match (is_read, mix_read) {
        (true, _) => {
            m.read_bps = Some(mib);
            m.read_iops = iops;
            m.read_field = "MiB/s [last]".into();
            m.iops_field = "IOPS [last]".into();
        }
        (false, Some(rm)) => {
            m.write_bps = Some(mib);
            m.read_bps = Some(rm * MIB);
            m.read_iops = num("rwmix read IOPS [last]")?;
            m.read_field = "rwmix read MiB/s [last]".into();
            m.write_field = "MiB/s [last]".into();
            m.iops_field = "rwmix read IOPS [last]".into();
        }
        (false, None) => {
            m.write_bps = Some(mib);
            m.read_bps = Some(0.0);
            m.write_field = "MiB/s [last]".into();
        }
    }
    Ok(m)
}
