//! Result files as the benchmark tools write them, read into one shape: the test the file
//! names, and what it measured in SI units.
//!
//! - fio `--output-format=json` (`fio`): format from fio's HOWTO/man page ("JSON output")
//!   and fio's own `stat.c`; fields `jobs[].jobname`, `jobs[]."job options"`,
//!   `jobs[].read|write.bw_bytes|bw|iops`, and `client_stats[]` in client/server mode.
//! - elbencho `--csvfile` (`elbencho`): columns as elbencho's `CSV.md` documents them
//!   (`label`, `block size`, `operation`, `MiB/s [last]`, `IOPS [last]`, `rwmix read ...`).
//! - MLPerf Storage / DLIO `summary.json` (`mlperf`): fields as DLIO's `statscounter.py`
//!   writes them (`num_accelerators`, `metric.train_au_mean_percentage`,
//!   `metric.train_au_meet_expectation`, `metric.train_io_mean_MB_per_second`, which is
//!   MiB/s despite its name).

pub mod elbencho;
pub mod fio;
pub mod mlperf;

use crate::error::CliError;
use std::path::Path;

/// What one result file says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// Which tool wrote it.
    pub format: &'static str,
    /// Where the test id may be found, in order: (field, candidate id).
    pub ids: Vec<(String, String)>,
    pub read_bps: Option<f64>,
    pub write_bps: Option<f64>,
    pub read_iops: Option<f64>,
    /// Block size the tool ran with, bytes, and the field it came from.
    pub block_bytes: Option<(u64, String)>,
    /// MLPerf: emulated accelerators and mean accelerator utilisation (0-1).
    pub accelerators: Option<u64>,
    pub au: Option<f64>,
    /// The field each figure came from, for error messages.
    pub read_field: String,
    pub write_field: String,
    pub iops_field: String,
}

/// A one-line error about `file` (and `field`).
pub fn bad(file: &Path, field: Option<&str>, msg: impl std::fmt::Display) -> CliError {
    match field {
        Some(f) => CliError::input(format!("{}: field `{f}`: {msg}", file.display())),
        None => CliError::input(format!("{}: {msg}", file.display())),
    }
}

/// Reads a result file, telling the format by its content.
pub fn read(path: &Path) -> Result<Measured, CliError> {
    let bytes = std::fs::read(path).map_err(|e| bad(path, None, format!("cannot read: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut t = text.trim_start();
    // fio writing JSON to stdout may print notes ("note: both iodepth >= 1 and synchronous
    // I/O engine ...") before the document.
    if !t.starts_with('{') && t.contains("\"fio version\"") {
        if let Some(i) = t.find("\n{") {
            t = &t[i + 1..];
        }
    }
    if t.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(t)
            .map_err(|e| bad(path, None, format!("not valid JSON ({e})")))?;
        if v.get("jobs").is_some() || v.get("client_stats").is_some() {
            return fio::parse(path, &v);
        }
        if v.get("metric").is_some() {
            return mlperf::parse(path, &v);
        }
    } else if t.lines().next().is_some_and(|h| h.contains("operation")) {
        return elbencho::parse(path, t);
    }
    Err(bad(
        path,
        None,
        "unknown result format (expected fio --output-format=json, an elbencho --csvfile, \
         or an MLPerf Storage summary.json)",
    ))
}

/// A figure that must be a finite number at least zero.
pub fn number(path: &Path, field: &str, v: Option<&serde_json::Value>) -> Result<f64, CliError> {
    let x = v
        .and_then(|x| x.as_f64())
        .ok_or_else(|| bad(path, Some(field), "missing or not a number"))?;
    if !x.is_finite() || x < 0.0 {
        return Err(bad(path, Some(field), format!("{x} is not a rate")));
    }
    Ok(x)
}

/// The file name without `.json`/`.csv` and a `.summary`/`_summary` tail: a test id when
/// the tool records none.
pub fn stem(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut s = name;
    for ext in [".json", ".csv"] {
        s = s.strip_suffix(ext).unwrap_or(s);
    }
    for tail in [".summary", "_summary", "-summary"] {
        s = s.strip_suffix(tail).unwrap_or(s);
    }
    s.to_string()
}

/// Block size as fio and elbencho take it: a number with an optional k/m/g suffix
/// (powers of 1024, both tools' default), e.g. `1M`, `4k`, `1048576`, `16MiB`.
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.trim_end_matches('b').trim_end_matches('i');
    let (num, mult) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1u64 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        't' => (&t[..t.len() - 1], 1 << 40),
        _ => (t, 1),
    };
    let n: f64 = num.trim().parse().ok()?;
    (n.is_finite() && n > 0.0).then(|| (n * mult as f64).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_stems() {
        assert_eq!(parse_size("1M"), Some(1 << 20));
        assert_eq!(parse_size("4k"), Some(4096));
        assert_eq!(parse_size("16MiB"), Some(16 << 20));
        assert_eq!(parse_size("1048576"), Some(1 << 20));
        assert_eq!(parse_size("x"), None);
        assert_eq!(
            stem(Path::new("r/mlperf-unet3d-h100.summary.json")),
            "mlperf-unet3d-h100"
        );
    }
}
