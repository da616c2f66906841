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
//!
//! [axes.set]                                      # any overridable catalog number
//! "assumptions.tcp_protocol_efficiency" = [0.5, 0.6]
//! "L128aos_v5.network_bps" = { from = 5e9, to = 1e10, step = 2.5e9 }
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vastplan_models::scenario::{line_of_key, toml_error, MAX_COUNT, MAX_DAYS};
use vastplan_models::sizing::MAX_NODES;
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
    // Integers are read as TOML's own i64 and range-checked here, so a value that does
    // not fit is an error naming the key rather than a wrapped number.
    nodes: Option<Axis<i64>>,
    node_gbps: Option<Axis<f64>>,
    gpus: Option<Axis<i64>>,
    drive_afr: Option<Axis<f64>>,
    replicates: Option<i64>,
    /// `"ID.field" = axis`: read as raw values so a dotted key written bare (a nested
    /// table) gets a message saying to quote it.
    set: Option<BTreeMap<String, toml::Value>>,
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
    /// `[axes.set]`, sorted by key.
    pub sets: Vec<SetAxis>,
    pub replicates: u32,
    /// Line of `replicates`, else of the `[axes]` header: where a sweep too large to run
    /// is reported.
    pub axes_line: Option<usize>,
}

/// One `[axes.set]` axis: a catalog number (`Catalog::apply_override(id, field, _)`)
/// and its values, sorted and free of duplicates.
#[derive(Clone, Debug, PartialEq)]
pub struct SetAxis {
    /// `ID.field` as written: the name of its column.
    pub key: String,
    pub id: String,
    pub field: String,
    pub values: Vec<f64>,
    /// Where the key is in the sweep file, for errors found once the catalog is loaded.
    pub line: Option<usize>,
    /// True for a `--set` flag (one value, already applied to the base catalog).
    pub from_flag: bool,
}

/// Most values one axis range may expand to.
pub const MAX_AXIS_VALUES: u64 = 100_000;

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
        if !(d.is_finite() && d > 0.0 && d <= MAX_DAYS) {
            return Err(err(
                "days",
                format!("must be a positive number of at most {MAX_DAYS}, got {d}"),
            ));
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
    // The bounds `--nodes` and a scenario's `clients.gpus` have: a value a command would
    // refuse is refused here, at the sweep file's line, not in a run.
    let nodes = match a.nodes {
        None => None,
        Some(ax) => Some(
            int_axis(ax, 1, MAX_NODES as i64)
                .map_err(|m| err("axes.nodes", m))?
                .into_iter()
                .map(|n| n as u64)
                .collect(),
        ),
    };
    let gpus = match a.gpus {
        None => None,
        Some(ax) => Some(
            int_axis(ax, 0, i64::from(MAX_COUNT))
                .map_err(|m| err("axes.gpus", m))?
                .into_iter()
                .map(|g| g as u32)
                .collect(),
        ),
    };
    let node_gbps = match a.node_gbps {
        None => None,
        Some(ax) => {
            Some(float_axis(ax, false, MAX_NODE_GBPS).map_err(|m| err("axes.node_gbps", m))?)
        }
    };
    let drive_afr = match a.drive_afr {
        None => None,
        Some(ax) => {
            Some(float_axis(ax, true, MAX_DRIVE_AFR).map_err(|m| err("axes.drive_afr", m))?)
        }
    };
    let replicates = a.replicates.unwrap_or(1);
    if !(1..=i64::from(u32::MAX)).contains(&replicates) {
        return Err(err(
            "axes.replicates",
            format!("must be from 1 to {}, got {replicates}", u32::MAX),
        ));
    }
    let replicates = replicates as u32;
    let mut sets = Vec::new();
    for (key, value) in a.set.unwrap_or_default() {
        let line = set_key_line(text, &key);
        let at = |msg: String| {
            let mut e = InputError::new(file, msg).field(format!("axes.set.{key}"));
            if let Some(l) = line {
                e = e.at_line(l);
            }
            e
        };
        let Some((id, field)) = key
            .rsplit_once('.')
            .filter(|(i, f)| !i.is_empty() && !f.is_empty())
        else {
            return Err(at(
                "expected a quoted \"SHAPE_ID.field\" or \"assumptions.name\" key".into(),
            ));
        };
        let ax = Axis::<f64>::deserialize(value.clone()).map_err(|_| {
            at(if value.is_table() && !is_range(&value) {
                "expected a number, a list or {from, to, step}; quote a dotted key whole: \"ID.field\" = …".into()
            } else {
                "expected a number, a list of numbers or {from, to, step}".into()
            })
        })?;
        let values = float_axis(ax, true, f64::MAX).map_err(at)?;
        // The field's own range, here rather than in each run.
        let rule = vastplan_models::catalog::rules::rule(field);
        if let Some(m) = values.iter().find_map(|&v| rule.check(v).err()) {
            return Err(at(m));
        }
        sets.push(SetAxis {
            key: key.clone(),
            id: id.to_string(),
            field: field.to_string(),
            values,
            line,
            from_flag: false,
        });
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
        sets,
        replicates,
        // `replicates`, else the table it would be in.
        axes_line: vastplan_models::scenario::KeyLines::of(text).line_of("axes.replicates"),
    })
}

fn is_range(v: &toml::Value) -> bool {
    v.as_table().is_some_and(|t| {
        t.keys()
            .all(|k| ["from", "to", "step"].contains(&k.as_str()))
    })
}

/// The line of a `[axes.set]` key: its quoted spelling at the start of a line, or the
/// line of the `[axes.set]` header (for an inline table or an unusual spelling).
fn set_key_line(text: &str, key: &str) -> Option<usize> {
    let spellings = [format!("\"{key}\""), format!("'{key}'"), key.to_string()];
    let mut header = None;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim_start();
        let found = spellings.iter().any(|k| {
            t.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.starts_with([' ', '=', '.', '\t']))
        });
        if found {
            return Some(i + 1);
        }
        let squeezed = t.replace([' ', '\t'], "");
        if header.is_none() && (squeezed.starts_with("[axes.set]") || squeezed.starts_with("set="))
        {
            header = Some(i + 1);
        }
    }
    header
}

fn many<T>(v: OneOrMany<T>) -> Vec<T> {
    match v {
        OneOrMany::One(x) => vec![x],
        OneOrMany::Many(v) => v,
    }
}

/// Integer axis values, sorted and deduplicated; each from `min` to `max`.
fn int_axis(ax: Axis<i64>, min: i64, max: i64) -> Result<Vec<i64>, String> {
    let mut v = match ax {
        Axis::Values(v) => many(v),
        Axis::Range(r) => {
            if r.step < 1 || r.from > r.to {
                return Err(format!(
                    "range needs from <= to and step >= 1, got from={} to={} step={}",
                    r.from, r.to, r.step
                ));
            }
            // In i128: `to - from` of two i64 can overflow.
            let n = (i128::from(r.to) - i128::from(r.from)) / i128::from(r.step) + 1;
            if n > i128::from(MAX_AXIS_VALUES) {
                return Err(format!("range has {n} values; at most {MAX_AXIS_VALUES}"));
            }
            (0..n as i64).map(|i| r.from + i * r.step).collect()
        }
    };
    v.sort_unstable();
    v.dedup();
    if v.is_empty() {
        return Err("list at least one value".into());
    }
    if let Some(bad) = v.iter().find(|&&x| x < min || x > max) {
        return Err(format!("must be from {min} to {max}, got {bad}"));
    }
    Ok(v)
}

/// Most per-node network a sweep may set, Gbps: the catalog's ceiling on any bytes/s
/// figure (`rules::MAX_VALUE`) in bits.
const MAX_NODE_GBPS: f64 = vastplan_models::catalog::rules::MAX_VALUE * 8.0 / 1e9;
/// A scenario's `failures.drive_afr` bound.
const MAX_DRIVE_AFR: f64 = 100.0;

/// Float axis values, sorted and deduplicated; each positive (or zero if `zero_ok`) and
/// at most `max`.
fn float_axis(ax: Axis<f64>, zero_ok: bool, max: f64) -> Result<Vec<f64>, String> {
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
            if n >= MAX_AXIS_VALUES {
                return Err(format!(
                    "range has {} values; at most {MAX_AXIS_VALUES}",
                    n.saturating_add(1)
                ));
            }
            // Rounded to 12 significant digits, so 0.1 + 5 x 0.1 is 0.6 in ids' columns
            // and in the catalog, not 0.6000000000000001.
            (0..=n)
                .map(|i| round12(r.from + i as f64 * r.step))
                .collect()
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
    if let Some(bad) = v.iter().find(|x| **x > max) {
        return Err(format!("values must be at most {max}, got {bad}"));
    }
    v.sort_by(f64::total_cmp);
    v.dedup();
    if v.is_empty() {
        return Err("list at least one value".into());
    }
    Ok(v)
}

/// `x` to 12 significant digits (the float noise of `from + i * step` removed).
fn round12(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
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
        // A float range is from + i * step, without the float noise.
        let r = parse("scenario = \"a\"\n[axes]\ndrive_afr = {from = 0.1, to = 0.7, step = 0.1}\n")
            .unwrap();
        assert_eq!(r.drive_afr, Some(vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]));
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

    #[test]
    fn integers_that_do_not_fit_are_errors_not_wrapped() {
        for (text, key) in [
            ("scenario = \"a\"\n[axes]\nnodes = [4294967297]\n", "axes.nodes"),
            ("scenario = \"a\"\n[axes]\nnodes = [-8]\n", "axes.nodes"),
            ("scenario = \"a\"\n[axes]\ngpus = 4294967296\n", "axes.gpus"),
            (
                "scenario = \"a\"\n[axes]\nnodes = {from = 1, to = 9223372036854775807, step = 1}\n",
                "axes.nodes",
            ),
            (
                "scenario = \"a\"\n[axes]\nreplicates = 4294967296\n",
                "axes.replicates",
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(key), "{text}: {e}");
            assert_eq!(e.line, Some(3), "{text}: {e}");
        }
        let s = parse("scenario = \"a\"\n[axes]\nnodes = [10000000]\ngpus = [0]\n").unwrap();
        assert_eq!(s.nodes, Some(vec![10_000_000]));
        assert_eq!(s.gpus, Some(vec![0]));
    }

    #[test]
    fn values_a_command_would_refuse_are_refused_at_their_line() {
        for (text, key) in [
            ("scenario = \"a\"\n[axes]\nnodes = [10000001]\n", "axes.nodes"),
            ("scenario = \"a\"\n[axes]\ngpus = [10000001]\n", "axes.gpus"),
            ("scenario = \"a\"\n[axes]\ndrive_afr = [101]\n", "axes.drive_afr"),
            ("scenario = \"a\"\n[axes]\nnode_gbps = [1e308]\n", "axes.node_gbps"),
            ("scenario = \"a\"\n\ndays = 1e6\n", "days"),
            (
                "scenario = \"a\"\n[axes.set]\n\"assumptions.tcp_protocol_efficiency\" = [0.5, 7]\n",
                "axes.set.assumptions.tcp_protocol_efficiency",
            ),
        ] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(key), "{text}: {e}");
            assert_eq!(e.line, Some(3), "{text}: {e}");
        }
    }

    #[test]
    fn set_axes_are_sorted_and_bad_ones_name_their_line() {
        let s = parse("scenario = \"a\"\n[axes.set]\n\"b.y\" = 2\n'a.x' = [3, 1, 3]\n").unwrap();
        let got: Vec<_> = s
            .sets
            .iter()
            .map(|a| (a.key.as_str(), a.values.clone(), a.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.x", vec![1.0, 3.0], Some(4)),
                ("b.y", vec![2.0], Some(3))
            ]
        );
        assert_eq!(
            (s.sets[0].id.as_str(), s.sets[0].field.as_str()),
            ("a", "x")
        );
        for (text, line) in [
            // A bare dotted key is a nested table, not an "ID.field" key.
            ("scenario = \"a\"\n[axes.set]\nL8s_v3.vcpus = [8]\n", 3),
            ("scenario = \"a\"\n[axes.set]\n\"x.y\" = [-1]\n", 3),
            ("scenario = \"a\"\n[axes.set]\n\"x.y\" = \"fast\"\n", 3),
            ("scenario = \"a\"\n[axes]\nset = { \"noperiod\" = 1 }\n", 3),
        ] {
            let e = parse(text).unwrap_err();
            assert!(
                e.field.as_deref().unwrap_or("").starts_with("axes.set."),
                "{text}: {e}"
            );
            assert_eq!(e.line, Some(line), "{text}: {e}");
        }
    }
}
