//! From a sweep to its canonical list of runs.
//!
//! Order: shape, nodes, node_gbps, gpus, drive_afr, replicate — each axis's values sorted —
//! as nested loops with the replicate innermost. A run's id is its position in that list
//! (`r00042`), zero-padded so ids sort like positions, and its seed is
//! `derive_seed(master, position)`: nothing about how the work is split enters either.

use super::spec::SweepSpec;
use vastplan_sim::derive_seed;

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
    pub replicate: u32,
    pub seed: u64,
}

/// Width of run ids: at least five digits, more for huge sweeps, so that ids of one sweep
/// always have the same length and sort in run order.
fn id_width(total: usize) -> usize {
    total.saturating_sub(1).to_string().len().max(5)
}

/// Expands `spec` into its runs. `candidates` are the scenario's shapes, used when the
/// sweep has no shape axis; `master` is the master seed.
pub fn expand(spec: &SweepSpec, candidates: &[String], master: u64) -> Vec<Run> {
    let shapes = spec.shapes.clone().unwrap_or_else(|| candidates.to_vec());
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
                        for rep in 0..spec.replicates {
                            runs.push(Run {
                                index: runs.len(),
                                id: String::new(),
                                shape: s.clone(),
                                nodes: n,
                                node_gbps: g,
                                gpus: p,
                                drive_afr: a,
                                replicate: rep,
                                seed: derive_seed(master, runs.len() as u64),
                            });
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
    runs
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
        let runs = expand(&spec, &[], 7);
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
}
