//! The sweep file (TOML), parsed as strictly as a scenario: an unknown key, a wrong type or
//! a bad range is an error naming the file, line and key (exit 2).
//!
//! ```toml
//! scenario = "../scenarios/neocloud-ratio.toml"   # relative to this file
//! seed = 11                                       # master seed; absent: the scenario's
//! days = 0.25                                     # simulated days per run; absent: the scenario's
//!
//! [axes]
//! shape = ["L128aos_v5", "vast-df3120-gen6"]      # absent: every scenario candidate
//! nodes = { from = 8, to = 64, step = 8 }         # or a list, or one number; absent: sized for capacity
//! node_gbps = [100, 200]                          # per-node network override, Gbps
//! gpus = [1024, 4096]                             # clients.gpus
//! drive_afr = [0.01, 0.03]                        # failures.drive_afr
//! replicates = 5                                  # failure seeds per point
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};
use vastplan_models::scenario::{line_of_key, toml_error};
use vastplan_models::InputError;

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    scenario: String,
    seed: Option<u64>,
    days: Option<f64>,
    #[serde(default)]
    axes: Axes,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Axes {
    shape: Option<OneOrMany<String>>,
    nodes: Option<Axis<u64>>,
    node_gbps: Option<Axis<f64>>,
    gpus: Option<Axis<u32>>,
    drive_afr: Option<Axis<f64>>,
    replicates: Option<u32>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// A list, one value, or an inclusive range `{from, to, step}`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
enum Axis<T> {
    Values(OneOrMany<T>),
    Range(Range<T>),
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Range<T> {
    from: T,
    to: T,
    step: T,
}

/// A parsed, validated sweep. Axis value lists are sorted and free of duplicates, so two
/// files that list the same values in another order describe the same runs.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSpec {
    /// The sweep file, for error messages.
    pub file: String,
    /// Base scenario, resolved against the sweep file's directory.
    pub scenario: PathBuf,
    pub seed: Option<u64>,
    pub days: Option<f64>,
    /// `None`: the scenario's candidates.
    pub shapes: Option<Vec<String>>,
    pub nodes: Option<Vec<u64>>,
    pub node_gbps: Option<Vec<f64>>,
    pub gpus: Option<Vec<u32>>,
    pub drive_afr: Option<Vec<f64>>,
    pub replicates: u32,
}

/// Reads and validates a sweep file.
pub fn load_sweep(path: &Path) -> Result<SweepSpec, InputError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&name, format!("cannot read sweep file: {e}")))?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse_sweep(&name, &text, base)
}

/// Parses sweep text; `file` names it in errors and `base` is the directory the scenario
/// path is relative to.
pub fn parse_sweep(file: &str, text: &str, base: &Path) -> Result<SweepSpec, InputError> {
    let f: SweepFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let err = |key: &str, msg: String| {
        let mut e = InputError::new(file, msg).field(key);
        if let Some(l) = line_of_key(text, key) {
            e = e.at_line(l);
        }
        e
    };
    if let Some(d) = f.days {
        if !(d.is_finite() && d > 0.0) {
            return Err(err("days", format!("must be a positive number, got {d}")));
        }
    }
    let a = f.axes;
    let shapes = match a.shape {
        None => None,
        Some(s) => {
            let mut v = many(s);
            v.sort();
            v.dedup();
            if v.is_empty() {
                return Err(err("axes.shape", "list at least one shape".into()));
            }
            Some(v)
        }
    };
    let nodes = match a.nodes {
        None => None,
        Some(ax) => Some(int_axis(ax, 1).map_err(|m| err("axes.nodes", m))?),
    };
    let gpus = match a.gpus {
        None => None,
        Some(ax) => {
            let ax = match ax {
                Axis::Values(v) => Axis::Values(OneOrMany::Many(
                    many(v).into_iter().map(u64::from).collect(),
                )),
                Axis::Range(r) => Axis::Range(Range {
                    from: r.from.into(),
                    to: r.to.into(),
                    step: r.step.into(),
                }),
            };
            let v = int_axis(ax, 0).map_err(|m| err("axes.gpus", m))?;
            Some(v.into_iter().map(|g| g as u32).collect())
        }
    };
    let node_gbps = match a.node_gbps {
        None => None,
        Some(ax) => Some(float_axis(ax, false).map_err(|m| err("axes.node_gbps", m))?),
    };
    let drive_afr = match a.drive_afr {
        None => None,
        Some(ax) => Some(float_axis(ax, true).map_err(|m| err("axes.drive_afr", m))?),
    };
    let replicates = a.replicates.unwrap_or(1);
    if replicates == 0 {
        return Err(err("axes.replicates", "must be at least 1".into()));
    }
    Ok(SweepSpec {
        file: file.to_string(),
        scenario: base.join(&f.scenario),
        seed: f.seed,
        days: f.days,
        shapes,
        nodes,
        node_gbps,
        gpus,
        drive_afr,
        replicates,
    })
}

fn many<T>(v: OneOrMany<T>) -> Vec<T> {
    match v {
        OneOrMany::One(x) => vec![x],
        OneOrMany::Many(v) => v,
    }
}

/// Integer axis values, sorted and deduplicated; each at least `min`.
fn int_axis(ax: Axis<u64>, min: u64) -> Result<Vec<u64>, String> {
    let mut v = match ax {
        Axis::Values(v) => many(v),
        Axis::Range(r) => {
            if r.step == 0 || r.from > r.to {
                return Err(format!(
                    "range needs from <= to and step >= 1, got from={} to={} step={}",
                    r.from, r.to, r.step
                ));
            }
            (r.from..=r.to).step_by(r.step as usize).collect()
        }
    };
    v.sort_unstable();
    v.dedup();
    if v.is_empty() {
        return Err("list at least one value".into());
    }
    if let Some(bad) = v.iter().find(|&&x| x < min) {
        return Err(format!("must be at least {min}, got {bad}"));
    }
    Ok(v)
}

/// Float axis values, sorted and deduplicated; each positive (or zero if `zero_ok`).
fn float_axis(ax: Axis<f64>, zero_ok: bool) -> Result<Vec<f64>, String> {
    let mut v = match ax {
        Axis::Values(v) => many(v),
        Axis::Range(r) => {
            if !(r.from.is_finite() && r.to.is_finite() && r.step > 0.0 && r.from <= r.to) {
                return Err(format!(
                    "range needs from <= to and step > 0, got from={} to={} step={}",
                    r.from, r.to, r.step
                ));
            }
            // Each value is from + i * step (never a running sum, so errors do not
            // accumulate); the end is included when within a millionth of a step.
            let n = ((r.to - r.from) / r.step + 1e-6).floor() as u64;
            if n > 100_000 {
                return Err(format!("range has {} values; at most 100000", n + 1));
            }
            (0..=n).map(|i| r.from + i as f64 * r.step).collect()
        }
    };
    if let Some(bad) = v
        .iter()
        .find(|x| !(x.is_finite() && (**x > 0.0 || (zero_ok && **x == 0.0))))
    {
        let what = if zero_ok {
            "zero or positive"
        } else {
            "positive"
        };
        return Err(format!("values must be {what}, got {bad}"));
    }
    v.sort_by(f64::total_cmp);
    v.dedup();
    if v.is_empty() {
        return Err("list at least one value".into());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SweepSpec, InputError> {
        parse_sweep("s.toml", text, Path::new("/d"))
    }

    #[test]
    fn ranges_lists_and_scalars() {
        let s = parse(
            "scenario = \"a.toml\"\n[axes]\nshape = \"X\"\nnodes = {from = 8, to = 30, step = 8}\n\
             gpus = [64, 8, 64]\nnode_gbps = {from = 100, to = 200, step = 50}\nreplicates = 3\n",
        )
        .unwrap();
        assert_eq!(s.scenario, Path::new("/d/a.toml"));
        assert_eq!(s.shapes, Some(vec!["X".to_string()]));
        assert_eq!(s.nodes, Some(vec![8, 16, 24]));
        assert_eq!(s.gpus, Some(vec![8, 64]));
        assert_eq!(s.node_gbps, Some(vec![100.0, 150.0, 200.0]));
        assert_eq!(s.replicates, 3);
        assert_eq!(s.drive_afr, None);
    }

    #[test]
    fn unknown_axis_names_file_line_and_key() {
        let e = parse("scenario = \"a.toml\"\n[axes]\nnodes = [8]\nnodez = [9]\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert_eq!(e.field.as_deref(), Some("axes.nodez"), "{e}");
    }

    #[test]
    fn bad_values_point_at_the_key() {
        for (text, key) in [
            ("scenario = \"a\"\n[axes]\nnodes = [0]\n", "axes.nodes"),
            (
                "scenario = \"a\"\n[axes]\nnodes = {from = 9, to = 8, step = 1}\n",
                "axes.nodes",
            ),
            (
                "scenario = \"a\"\n[axes]\ndrive_afr = [-1]\n",
                "axes.drive_afr",
            ),
            (
                "scenario = \"a\"\n[axes]\nreplicates = 0\n",
                "axes.replicates",
            ),
            ("scenario = \"a\"\ndays = 0\n", "days"),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(key), "{text}: {e}");
            assert_eq!(e.line, Some(text.lines().count()), "{text}: {e}");
        }
    }
}
