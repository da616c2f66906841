//! MLPerf Storage training `summary.json` (written by DLIO). Its
//! `train_io_mean_MB_per_second` is samples/s × record bytes / 1024², i.e. MiB/s.

use super::{bad, number, stem, Measured};
use crate::error::CliError;
use serde_json::Value;
use std::path::Path;

pub fn parse(path: &Path, v: &Value) -> Result<Measured, CliError> {
    let metric = v
        .get("metric")
        .filter(|m| m.is_object())
        .ok_or_else(|| bad(path, Some("metric"), "not an object"))?;
    let io = "metric.train_io_mean_MB_per_second";
    if metric.get("train_io_mean_MB_per_second").is_none() {
        // A checkpointing summary reports GB/s of saves: a different test and unit.
        let other = metric
            .as_object()
            .and_then(|o| o.keys().find(|k| k.contains("per_second")).cloned());
        return Err(match other {
            Some(k) => bad(
                path,
                Some(&format!("metric.{k}")),
                "units do not match: a training run reports train_io_mean_MB_per_second",
            ),
            None => bad(path, Some(io), "missing"),
        });
    }
    let mib = number(path, io, metric.get("train_io_mean_MB_per_second"))?;
    let au = number(
        path,
        "metric.train_au_mean_percentage",
        metric.get("train_au_mean_percentage"),
    )?;
    let mut m = Measured {
        format: "mlperf",
        ..Default::default()
    };
    m.ids.push(("file name".into(), stem(path)));
    if let Some(d) = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
    {
        m.ids.push(("directory name".into(), d.to_string()));
    }
    m.read_bps = Some(mib * 1_048_576.0);
    m.write_bps = Some(0.0);
    m.read_field = io.into();
    m.au = Some(au / 100.0);
    m.accelerators = v.get("num_accelerators").and_then(Value::as_u64);
    Ok(m)
}
