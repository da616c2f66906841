//! What the answer hangs on: each of the least-confident inputs of the candidates, moved
//! down and up over a range set by its confidence, with every candidate re-planned in
//! closed form each time. The result says how far each input swings each candidate's
//! $/month, and which inputs, if wrong, would change the recommendation.

use crate::catalog::{Catalog, ASSUMPTIONS};
use crate::error::InputError;
use crate::plan::{plan_candidate, rank, CandidatePlan, PlanOptions};
use crate::provenance::Confidence;
use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::BTreeMap;

/// How far to move an input of each confidence class, as a fraction of its value.
#[derive(Clone, Debug, Serialize)]
pub struct Ranges {
    pub user: f64,
    pub hypothetical: f64,
    pub estimate: f64,
    /// Vendor-tool figures (an unofficial sizer): moved too, less.
    pub vendor_tool: f64,
}

impl Default for Ranges {
    /// Estimates ±30 %, hypothetical ±50 %, user-supplied ±30 %, vendor-tool ±15 %.
    fn default() -> Self {
        Ranges {
            user: 0.3,
            hypothetical: 0.5,
            estimate: 0.3,
            vendor_tool: 0.15,
        }
    }
}

impl Ranges {
    /// The range of a confidence class; `None` for sourced classes (derived, published,
    /// measured), which are not moved.
    pub fn of(&self, c: Confidence) -> Option<f64> {
        match c {
            Confidence::User => Some(self.user),
            Confidence::Hypothetical => Some(self.hypothetical),
            Confidence::Estimate => Some(self.estimate),
            Confidence::VendorTool => Some(self.vendor_tool),
            Confidence::Derived | Confidence::Published | Confidence::Measured => None,
        }
    }
}

/// One candidate's answer with an input moved.
#[derive(Clone, Debug, Serialize)]
pub struct Moved {
    pub usd_per_month: f64,
    pub nodes: u64,
    pub compute_nodes: u64,
    pub met: bool,
}

/// One input moved down and up.
#[derive(Clone, Debug, Serialize)]
pub struct Swing {
    /// `SHAPE.field` or an assumption name: what `--set` takes.
    pub input: String,
    pub confidence: Confidence,
    pub base_value: f64,
    pub low_value: f64,
    pub high_value: f64,
    /// Per candidate: the answer at the low and at the high value.
    pub low: BTreeMap<String, Moved>,
    pub high: BTreeMap<String, Moved>,
    /// The recommended candidate (rank 1 that meets every target and rests on no
    /// hypothetical input) at the low and the high value; `None`: no recommendation.
    pub recommended_low: Option<String>,
    pub recommended_high: Option<String>,
    /// Whether either end changes the recommendation.
    pub changes_recommendation: bool,
}

impl Swing {
    /// The widest $/month swing this input causes on `shape`.
    pub fn spread(&self, shape: &str) -> f64 {
        match (self.low.get(shape), self.high.get(shape)) {
            (Some(l), Some(h)) => (h.usd_per_month - l.usd_per_month).abs(),
            _ => 0.0,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Sensitivity {
    pub ranges: Ranges,
    /// The closed-form recommendation with every input as given.
    pub recommended: Option<String>,
    /// The candidate whose $/month orders the swings: the recommended one, else the
    /// cheapest.
    pub focus: Option<String>,
    /// The focus candidate's $/month with every input as given.
    pub base_usd_per_month: f64,
    /// Every moved input, widest swing of the recommended (else the cheapest) candidate
    /// first.
    pub swings: Vec<Swing>,
}

/// The recommendation among ranked plans, if any.
pub fn recommended(plans: &[CandidatePlan]) -> Option<String> {
    plans
        .iter()
        .find(|p| p.rank == Some(1) && p.met && !p.hypothetical)
        .map(|p| p.shape.clone())
}

fn closed_form(cat: &Catalog, sc: &Scenario, file: &str) -> Result<Vec<CandidatePlan>, InputError> {
    let o = PlanOptions {
        simulate: false,
        days: None,
        seed: None,
        max_growth_steps: 0,
    };
    let mut plans = sc
        .candidates
        .iter()
        .map(|id| plan_candidate(cat, sc, cat.shape(id)?, &o, file, &mut |_| {}))
        .collect::<Result<Vec<_>, _>>()?;
    rank(&mut plans);
    Ok(plans)
}

/// The inputs worth moving: every input of every candidate whose confidence has a range,
/// with the value the catalog holds now. Ordered by name, so runs are reproducible.
fn uncertain_inputs(
    cat: &Catalog,
    plans: &[CandidatePlan],
    ranges: &Ranges,
) -> BTreeMap<String, (Confidence, f64)> {
    let mut out = BTreeMap::new();
    for p in plans {
        for i in &p.sizing.inputs {
            if ranges.of(i.confidence).is_some() && overridable(cat, &i.name) {
                out.insert(i.name.clone(), (i.confidence, i.value));
            }
        }
    }
    out
}

/// Whether `name` is something `--set` reaches (a shape parameter or an assumption).
fn overridable(cat: &Catalog, name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((id, field)) => cat.shape(id).is_ok_and(|s| s.params.contains_key(field)),
        None => cat.assumptions.contains_key(name),
    }
}

fn target_of(name: &str) -> (&str, &str) {
    name.rsplit_once('.').unwrap_or((ASSUMPTIONS, name))
}

/// Moves every uncertain input down and up by its class's range and re-plans every
/// candidate in closed form, against the closed-form plan of the catalog as given.
pub fn sensitivity(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    ranges: &Ranges,
) -> Result<Sensitivity, InputError> {
    let base = &closed_form(cat, sc, file)?;
    let base_rec = recommended(base);
    let mut swings = Vec::new();
    for (name, (conf, value)) in uncertain_inputs(cat, base, ranges) {
        let r = ranges.of(conf).unwrap_or(0.0);
        // A count (drives, boxes, strips, months) moves in whole steps, at least one.
        let (low_value, high_value) = if value.fract() == 0.0 && value >= 1.0 {
            (
                (value * (1.0 - r)).floor().min(value - 1.0).max(0.0),
                (value * (1.0 + r)).ceil().max(value + 1.0),
            )
        } else {
            (value * (1.0 - r), value * (1.0 + r))
        };
        let (id, field) = target_of(&name);
        let mut ends = Vec::new();
        for v in [low_value, high_value] {
            let mut c = cat.clone();
            // A value the model cannot take (a count below 1, a share above 1) leaves
            // that end unmoved rather than failing the whole analysis.
            let plans = match c.apply_override(id, field, v) {
                Ok(()) => closed_form(&c, sc, file).ok(),
                Err(_) => None,
            };
            ends.push(plans);
        }
        let (Some(lo), Some(hi)) = (&ends[0], &ends[1]) else {
            continue;
        };
        let moved = |plans: &[CandidatePlan]| {
            plans
                .iter()
                .map(|p| {
                    (
                        p.shape.clone(),
                        Moved {
                            usd_per_month: p.sizing.usd_per_month,
                            nodes: p.nodes,
                            compute_nodes: p.compute_nodes,
                            met: p.met,
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>()
        };
        let (rl, rh) = (recommended(lo), recommended(hi));
        swings.push(Swing {
            changes_recommendation: rl != base_rec || rh != base_rec,
            input: name,
            confidence: conf,
            base_value: value,
            low_value,
            high_value,
            low: moved(lo),
            high: moved(hi),
            recommended_low: rl,
            recommended_high: rh,
        });
    }
    let focus = base_rec.clone().or_else(|| {
        base.iter()
            .min_by(|a, b| a.sizing.usd_per_month.total_cmp(&b.sizing.usd_per_month))
            .map(|p| p.shape.clone())
    });
    if let Some(f) = &focus {
        swings.sort_by(|a, b| {
            b.changes_recommendation
                .cmp(&a.changes_recommendation)
                .then(b.spread(f).total_cmp(&a.spread(f)))
                .then(a.input.cmp(&b.input))
        });
    }
    let base_usd_per_month = focus
        .as_ref()
        .and_then(|f| base.iter().find(|p| &p.shape == f))
        .map_or(f64::NAN, |p| p.sizing.usd_per_month);
    Ok(Sensitivity {
        ranges: ranges.clone(),
        recommended: base_rec,
        focus,
        base_usd_per_month,
        swings,
    })
}
