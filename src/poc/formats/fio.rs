//! fio `--output-format=json`. One job per test (`--group_reporting` folds the threads
//! into it); in client/server mode (`--client=HOSTS`) the per-host jobs are in
//! `client_stats`, with one entry named "All clients" holding the sum when there are
//! several hosts. Bandwidth is `bw_bytes` (bytes/s) in fio 3.x; older fio gives only
//! `bw` in KiB/s.

use super::{bad, number, parse_size, stem, Measured};
use crate::error::CliError;
use serde_json::Value;
use std::path::Path;

pub fn parse(path: &Path, v: &Value) -> Result<Measured, CliError> {
    let (key, jobs) = match (v.get("client_stats"), v.get("jobs")) {
        (Some(Value::Array(c)), _) => ("client_stats", c),
        (_, Some(Value::Array(j))) => ("jobs", j),
        _ => return Err(bad(path, Some("jobs"), "not an array")),
    };
    if jobs.is_empty() {
        return Err(bad(path, Some(key), "no jobs"));
    }
    // The aggregate if fio wrote one, else every job summed.
    let all: Vec<(usize, &Value)> = match jobs
        .iter()
        .position(|j| j.get("jobname").and_then(Value::as_str) == Some("All clients"))
    {
        Some(i) => vec![(i, &jobs[i])],
        None => jobs.iter().enumerate().collect(),
    };
    let mut m = Measured {
        format: "fio",
        ..Default::default()
    };
    let named = jobs
        .iter()
        .enumerate()
        .find(|(_, j)| j.get("jobname").and_then(Value::as_str) != Some("All clients"));
    if let Some((i, j)) = named {
        if let Some(n) = j.get("jobname").and_then(Value::as_str) {
            m.ids.push((format!("{key}[{i}].jobname"), n.to_string()));
        }
        let opts = j.get("job options");
        let bs = opts
            .and_then(|o| o.get("bs").or_else(|| o.get("blocksize")))
            .or_else(|| v.get("global options").and_then(|g| g.get("bs")));
        if let Some(Value::String(s)) = bs {
            let field = format!("{key}[{i}].job options.bs");
            let b = parse_size(s)
                .ok_or_else(|| bad(path, Some(&field), format!("{s:?} is not a block size")))?;
            m.block_bytes = Some((b, field));
        }
    }
    m.ids.push(("file name".into(), stem(path)));
    let (mut r, mut w, mut iops) = (0.0, 0.0, 0.0);
    for (i, j) in &all {
        for (dir, acc) in [("read", &mut r), ("write", &mut w)] {
            let d = j.get(dir);
            let field = format!("{key}[{i}].{dir}.bw_bytes");
            *acc += match d.and_then(|d| d.get("bw_bytes")) {
                Some(x) => number(path, &field, Some(x))?,
                None => {
                    let kib = format!("{key}[{i}].{dir}.bw");
                    number(path, &kib, d.and_then(|d| d.get("bw")))? * 1024.0
                }
            };
        }
        let field = format!("{key}[{i}].read.iops");
        iops += number(path, &field, j.get("read").and_then(|d| d.get("iops")))?;
    }
    m.read_bps = Some(r);
    m.write_bps = Some(w);
    m.read_iops = Some(iops);
    m.read_field = format!("{key}[].read.bw_bytes");
    m.write_field = format!("{key}[].write.bw_bytes");
    m.iops_field = format!("{key}[].read.iops");
    Ok(m)
}
