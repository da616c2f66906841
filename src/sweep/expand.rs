//! From a sweep to its canonical list of runs.
//!
//! Order: shape, nodes, node_gbps, gpus, drive_afr, the `[axes.set]` keys (sorted),
//! replicate — each axis's values sorted — as nested loops with the replicate innermost. A run's id is its position in that list
//! (`r00042`), zero-padded so ids sort like positions, and its seed is
//! `derive_seed(master, position)`: nothing about how the work is split enters either.

use super::spec::SweepSpec;
use vastplan_models::InputError;
use vastplan_sim::derive_seed;

/// Most runs one sweep may have: the run list is held in memory, and a sweep this size
/// already takes hours.
pub const MAX_RUNS: u64 = 1_000_000;

/// One point of the sweep. `None` fields take the base scenario's value.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub index: usize,
    pub id: String,
    pub shape: String,
    pub nodes: Option<u64>,
    pub node_gbps: Option<f64>,
    pub gpus: Option<u32>,
    pub drive_afr: Option<f64>,
    /// One value per `spec.sets` axis, in its (key) order.
    pub sets: Vec<f64>,
    pub replicate: u32,
    pub seed: u64,
}

/// Width of run ids: at least five digits, more for huge sweeps, so that ids of one sweep
/// always have the same length and sort in run order.
pub fn id_width(total: usize) -> usize {
    total.saturating_sub(1).to_string().len().max(5)
}

/// Expands `spec` into its runs. `candidates` are the scenario's shapes, used when the
/// sweep has no shape axis; `master` is the master seed. More than [`MAX_RUNS`] runs is
/// an error naming the sweep file.
pub fn expand(
    spec: &SweepSpec,
    candidates: &[String],
    master: u64,
) -> Result<Vec<Run>, InputError> {
    let shapes = spec.shapes.clone().unwrap_or_else(|| candidates.to_vec());
    let len = |n: Option<usize>| n.unwrap_or(1) as u64;
    let total = [
        shapes.len() as u64,
        len(spec.nodes.as_ref().map(Vec::len)),
        len(spec.node_gbps.as_ref().map(Vec::len)),
        len(spec.gpus.as_ref().map(Vec::len)),
        len(spec.drive_afr.as_ref().map(Vec::len)),
        u64::from(spec.replicates),
    ]
    .into_iter()
    .chain(spec.sets.iter().map(|s| s.values.len() as u64))
    .try_fold(1u64, |a, n| a.checked_mul(n))
    .filter(|&t| t <= MAX_RUNS);
    if total.is_none() {
        let e = InputError::new(
            &spec.file,
            format!("the axes expand to more than {MAX_RUNS} runs; split the sweep"),
        )
        .field("axes");
        return Err(match spec.axes_line {
            Some(l) => e.at_line(l),
            None => e,
        });
    }
    // Every combination of the set axes, first key outermost.
    let mut combos: Vec<Vec<f64>> = vec![Vec::new()];
    for ax in &spec.sets {
        combos = combos
            .iter()
            .flat_map(|c| {
                ax.values.iter().map(move |&v| {
                    let mut c = c.clone();
                    c.push(v);
                    c
                })
            })
            .collect();
    }
    // An absent axis is one point: the scenario's own value.
    fn axis<T: Copy>(v: &Option<Vec<T>>) -> Vec<Option<T>> {
        match v {
            Some(v) => v.iter().copied().map(Some).collect(),
            None => vec![None],
        }
    }
    let (nodes, gbps, gpus, afr) = (
        axis(&spec.nodes),
        axis(&spec.node_gbps),
        axis(&spec.gpus),
        axis(&spec.drive_afr),
    );
    let mut runs = Vec::new();
    for s in &shapes {
        for &n in &nodes {
            for &g in &gbps {
                for &p in &gpus {
                    for &a in &afr {
                        for c in &combos {
                            for rep in 0..spec.replicates {
                                runs.push(Run {
                                    index: runs.len(),
                                    id: String::new(),
                                    shape: s.clone(),
                                    nodes: n,
                                    node_gbps: g,
                                    gpus: p,
                                    drive_afr: a,
                                    sets: c.clone(),
                                    replicate: rep,
                                    seed: derive_seed(master, runs.len() as u64),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    let w = id_width(runs.len());
    for r in &mut runs {
        r.id = format!("r{:0w$}", r.index);
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn ids_sort_like_positions_and_seeds_ignore_the_split() {
        let spec = super::super::spec::parse_sweep(
            "s",
            "scenario = \"a\"\n[axes]\nshape = [\"B\", \"A\"]\nnodes = [16, 8]\nreplicates = 3\n",
            Path::new("."),
        )
        .unwrap();
        let runs = expand(&spec, &[], 7).unwrap();
        assert_eq!(runs.len(), 12);
        assert_eq!(runs[0].id, "r00000");
        assert_eq!((runs[0].shape.as_str(), runs[0].nodes), ("A", Some(8)));
        assert_eq!((runs[11].shape.as_str(), runs[11].nodes), ("B", Some(16)));
        let mut ids: Vec<_> = runs.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        assert_eq!(ids, runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
        assert_eq!(runs[5].seed, derive_seed(7, 5));
        assert_eq!(id_width(100_001), 6);
    }

    #[test]
    fn a_sweep_too_large_names_its_replicates_line() {
        let spec = super::super::spec::parse_sweep(
            "s.toml",
            "scenario = \"a\"\n[axes]\nshape = \"A\"\nreplicates = 3000000\n",
            Path::new("."),
        )
        .unwrap();
        let e = expand(&spec, &[], 7).unwrap_err().to_string();
        assert!(
            e.starts_with("s.toml:4: field `axes`: the axes expand"),
            "{e}"
        );
    }

    #[test]
    fn set_axes_nest_inside_drive_afr_and_ignore_listing_order() {
        let parse = |axes: &str| {
            super::super::spec::parse_sweep(
                "s",
                &format!(
                    "scenario = \"a\"\n[axes]\nshape = \"A\"\nreplicates = 2\n[axes.set]\n{axes}"
                ),
                Path::new("."),
            )
            .unwrap()
        };
        let a = parse("\"b.y\" = [2, 1]\n\"a.x\" = {from = 0.5, to = 1.5, step = 0.5}\n");
        let b = parse("\"a.x\" = [1.5, 0.5, 1, 1]\n\"b.y\" = [1, 2]\n");
        let axes = |s: &SweepSpec| -> Vec<(String, Vec<f64>)> {
            s.sets
                .iter()
                .map(|x| (x.key.clone(), x.values.clone()))
                .collect()
        };
        assert_eq!(axes(&a), axes(&b));
        assert_eq!(expand(&a, &[], 3).unwrap(), expand(&b, &[], 3).unwrap());
        let runs = expand(&a, &[], 3).unwrap();
        assert_eq!(runs.len(), 12);
        assert_eq!(runs[0].sets, vec![0.5, 1.0]);
        assert_eq!(runs[1].sets, vec![0.5, 1.0]);
        assert_eq!(runs[1].replicate, 1);
        assert_eq!(runs[2].sets, vec![0.5, 2.0]);
        assert_eq!(runs[11].sets, vec![1.5, 2.0]);
    }

    #[test]
    fn too_many_runs_is_an_error_not_an_allocation() {
        let spec = super::super::spec::parse_sweep(
            "s",
            "scenario = \"a\"\n[axes]\nshape = \"A\"\nnodes = {from = 1, to = 100000, step = 1}\nreplicates = 4294967295\n",
            Path::new("."),
        )
        .unwrap();
        let e = expand(&spec, &[], 1).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("axes"), "{e}");
    }
}
