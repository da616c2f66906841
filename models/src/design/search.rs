//! The exhaustive search: every point of the space built as a server shape and sized for
//! the scenario by `plan`'s own closed form (`plan::size_candidate`), the Pareto frontier
//! of $/usable-TB-month, $/GB/s-month and racks, and the cheapest point that meets every
//! target.
//!
//! Durability is the one costly verdict (an absorbing chain per point), and it is the
//! last one `plan` judges. The cheapest point that meets every target is therefore found
//! exactly by walking the points that meet all the others in order of $/month and
//! computing nines until one has enough: every cheaper point was either judged on all
//! targets or already misses one that does not need nines.

use super::node::{node, shape, Node, Spec};
use super::pareto::frontier;
use super::space::Space;
use crate::catalog::{Catalog, DeploymentKind};
use crate::error::InputError;
use crate::plan::{finish_candidate, size_candidate, CandidatePlan, PlanOptions, Targets};
use crate::scenario::Scenario;
use serde::Serialize;

/// What the search keeps of one sized point.
#[derive(Clone, Debug, Serialize)]
pub struct Sized {
    pub id: String,
    pub nodes: u64,
    pub racks: u64,
    pub usd_per_month: f64,
    pub usd_per_usable_tb_month: f64,
    pub usd_per_gbs_month: f64,
    pub usable_pb: f64,
    pub read_ceiling_bps: f64,
    pub write_ceiling_bps: f64,
    pub kw_peak: f64,
    pub binding: String,
    /// Meets every target judged before durability.
    pub meets_all_but_durability: bool,
}

impl Sized {
    /// The frontier's objectives, all minimised.
    pub fn objectives(&self) -> Vec<f64> {
        vec![
            self.usd_per_usable_tb_month,
            self.usd_per_gbs_month,
            self.racks as f64,
        ]
    }
}

/// One searched point: the node and, when it can be built and sized, its sizing.
#[derive(Clone, Debug)]
pub struct Point {
    pub node: Node,
    pub sized: Option<Sized>,
    /// Why the planner could not size it (e.g. more than the node limit), if so.
    pub error: Option<String>,
}

/// A catalog shape sized the same way, for comparison.
#[derive(Clone, Debug, Serialize)]
pub struct CatalogPoint {
    pub kind: DeploymentKind,
    pub sized: Sized,
}

/// The closed-form options of `plan --no-sim`.
pub fn closed_form() -> PlanOptions {
    PlanOptions {
        simulate: false,
        days: None,
        seed: None,
        max_growth_steps: 6,
    }
}

/// Sizes one shape for the scenario as `plan --no-sim` does, up to durability.
pub fn size_shape(
    cat: &Catalog,
    sc: &Scenario,
    shape: &crate::catalog::Shape,
    t: &Targets,
    file: &str,
) -> Result<Sized, InputError> {
    let s = size_candidate(cat, sc, shape, t, &closed_form(), file, &mut |_| {})?;
    let z = s.sizing();
    Ok(Sized {
        id: shape.id.clone(),
        nodes: z.nodes,
        racks: z.racks,
        usd_per_month: z.usd_per_month,
        usd_per_usable_tb_month: z.usd_per_usable_tb_month,
        usd_per_gbs_month: z.usd_per_month / (s.read_ceiling_bps() / 1e9).max(1e-9),
        usable_pb: z.capacity.usable.0 / 1e15,
        read_ceiling_bps: s.read_ceiling_bps(),
        write_ceiling_bps: s.write_ceiling_bps(),
        kw_peak: z.kw_peak,
        binding: s.binding().to_string(),
        meets_all_but_durability: s.meets_all_but_durability(),
    })
}

/// Every combination of the axes, in axis order.
pub fn specs(space: &Space) -> Vec<Spec> {
    let a = &space.axes;
    let mut out = Vec::new();
    for dpu in &a.dpus {
        for drive in &a.drives {
            for &drives in &a.drive_counts {
                for &g in &a.egress_gbps {
                    for &cores in &a.cores {
                        out.push(Spec {
                            dpu: dpu.clone(),
                            drive: drive.clone(),
                            drives,
                            egress_gbps: g.round() as u32,
                            cores,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Builds and sizes one spec; a point that cannot be built is kept with its reason.
pub fn evaluate(
    cat: &Catalog,
    sc: &Scenario,
    space: &Space,
    t: &Targets,
    spec: &Spec,
    file: &str,
) -> Result<Point, InputError> {
    let n = node(space, &cat.server_parts, spec);
    if n.infeasible.is_some() {
        return Ok(Point {
            node: n,
            sized: None,
            error: None,
        });
    }
    let sh = shape(space, &n, &sc.name, &cat.server_parts)?;
    Ok(match size_shape(cat, sc, &sh, t, file) {
        Ok(s) => Point {
            node: n,
            sized: Some(s),
            error: None,
        },
        // The request itself was valid for the catalog: what fails here is this node
        // (e.g. so small that it would need more than the node limit).
        Err(e) if e.file == "request" => Point {
            node: n,
            sized: None,
            error: Some(e.message),
        },
        Err(e) => return Err(e),
    })
}

/// The recommended point, planned in full (with durability), as `plan --no-sim` would
/// plan its catalog row.
#[derive(Clone, Debug)]
pub struct Best {
    pub index: usize,
    pub plan: CandidatePlan,
}

/// The search's answer.
#[derive(Clone, Debug)]
pub struct Search {
    pub points: Vec<Point>,
    /// Indices into `points` of the frontier, in ascending $/usable-TB-month.
    pub frontier: Vec<usize>,
    pub best: Option<Best>,
    /// Points whose nines were computed on the way to `best`.
    pub nines_computed: usize,
}

impl Search {
    pub fn sized(&self) -> usize {
        self.points.iter().filter(|p| p.sized.is_some()).count()
    }
    pub fn infeasible(&self) -> usize {
        self.points
            .iter()
            .filter(|p| p.node.infeasible.is_some())
            .count()
    }
}

/// Searches the whole space.
pub fn search(
    cat: &Catalog,
    sc: &Scenario,
    space: &Space,
    t: &Targets,
    file: &str,
) -> Result<Search, InputError> {
    let points = specs(space)
        .iter()
        .map(|s| evaluate(cat, sc, space, t, s, file))
        .collect::<Result<Vec<Point>, InputError>>()?;
    let sized: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].sized.is_some())
        .collect();
    let objectives: Vec<Vec<f64>> = sized
        .iter()
        .map(|&i| points[i].sized.as_ref().map_or(vec![], Sized::objectives))
        .collect();
    let front: Vec<usize> = frontier(&objectives)
        .into_iter()
        .map(|k| sized[k])
        .collect();
    let mut by_cost: Vec<usize> = sized
        .iter()
        .copied()
        .filter(|&i| {
            points[i]
                .sized
                .as_ref()
                .is_some_and(|s| s.meets_all_but_durability)
        })
        .collect();
    let cost = |i: usize| {
        points[i]
            .sized
            .as_ref()
            .map_or(f64::INFINITY, |s| s.usd_per_month)
    };
    by_cost.sort_by(|&a, &b| cost(a).total_cmp(&cost(b)).then(a.cmp(&b)));
    let mut best = None;
    let mut nines_computed = 0;
    for i in by_cost {
        let plan = plan_point(cat, sc, space, t, &points[i].node, file)?;
        nines_computed += 1;
        if plan.met {
            best = Some(Best { index: i, plan });
            break;
        }
    }
    Ok(Search {
        points,
        frontier: front,
        best,
        nines_computed,
    })
}

/// `plan --no-sim`'s whole row for one node: sized, then judged on durability too.
pub fn plan_point(
    cat: &Catalog,
    sc: &Scenario,
    space: &Space,
    t: &Targets,
    n: &Node,
    file: &str,
) -> Result<CandidatePlan, InputError> {
    let sh = shape(space, n, &sc.name, &cat.server_parts)?;
    let s = size_candidate(cat, sc, &sh, t, &closed_form(), file, &mut |_| {})?;
    finish_candidate(cat, sc, &sh, t, s)
}

/// Every catalog shape sized for the scenario, for the chart; shapes the request cannot
/// be sized on are left out.
pub fn catalog_points(cat: &Catalog, sc: &Scenario, t: &Targets, file: &str) -> Vec<CatalogPoint> {
    cat.shapes
        .iter()
        .filter_map(|sh| {
            size_shape(cat, sc, sh, t, file)
                .ok()
                .map(|sized| CatalogPoint {
                    kind: sh.kind,
                    sized,
                })
        })
        .collect()
}
