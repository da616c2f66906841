//! The library's front door: a scenario planned end to end, as `vastplan plan` does it.
//!
//! ```
//! use std::path::Path;
//! use vastplan_models::proposal::{plan_scenario, ProposalOptions};
//! use vastplan_models::scenario::load_scenario;
//! use vastplan_models::Catalog;
//!
//! let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
//! let cat = Catalog::load(&root.join("datasets")).unwrap();
//! let file = root.join("datasets/scenarios/ukmo.toml");
//! let sc = load_scenario(&file).unwrap();
//! let opts = ProposalOptions { simulate: false, ..ProposalOptions::default() };
//! let p = plan_scenario(&cat, &sc, &file.display().to_string(), &opts, &mut |_, _| {}).unwrap();
//! // Every candidate is ranked; the decision says what to build and why.
//! assert!(p.plans.iter().all(|c| c.rank.is_some()));
//! assert!(p.decision.starts_with("Recommended") || p.decision.starts_with("No "));
//! ```

use crate::catalog::Catalog;
use crate::error::InputError;
use crate::plan::{decision, plan_candidate, rank, targets, CandidatePlan, PlanOptions, Targets};
use crate::ratio::{ratio_rows, RatioQuery, RatioRow};
use crate::scenario::Scenario;
use crate::sensitivity::{sensitivity, Ranges, Sensitivity};
use crate::simulate::resolve::{drr, gpus_per_vm, net_options};
use serde::Serialize;

/// How far to go.
#[derive(Clone, Debug)]
pub struct ProposalOptions {
    /// Simulate each candidate under the scenario's load (else closed form only).
    pub simulate: bool,
    /// Simulated days (default: the scenario's `[simulation] days`).
    pub days: Option<f64>,
    /// Master seed (default: the scenario's `seed`).
    pub seed: Option<u64>,
    /// Growth steps (each +25 % of the binding side) tried when the simulation misses.
    pub max_growth_steps: u32,
    /// Move the uncertain inputs over these ranges and say what the answer hangs on.
    pub sensitivity: Option<Ranges>,
}

impl Default for ProposalOptions {
    fn default() -> Self {
        ProposalOptions {
            simulate: true,
            days: None,
            seed: None,
            max_growth_steps: 6,
            sensitivity: None,
        }
    }
}

/// A planned scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Proposal {
    /// The scenario's `name`.
    pub scenario: String,
    /// The master seed the simulations used.
    pub seed: u64,
    /// What every candidate was judged against, each target with where it came from.
    pub targets: Targets,
    /// Every candidate, in the scenario's order, each with its `rank`.
    pub plans: Vec<CandidatePlan>,
    /// What to build and why, or why nothing qualifies.
    pub decision: String,
    pub sensitivity: Option<Sensitivity>,
    /// The storage-per-GPU curve on the first candidate, when the scenario asks for one.
    pub ratio: Option<(String, Vec<RatioRow>)>,
}

/// Plans every candidate of `sc` (sized, simulated unless told not to, judged, grown),
/// ranks them and states the decision. `progress(candidate, fraction)` is called as each
/// candidate's simulation advances.
pub fn plan_scenario(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
    o: &ProposalOptions,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<Proposal, InputError> {
    let po = PlanOptions {
        simulate: o.simulate,
        days: o.days,
        seed: o.seed,
        max_growth_steps: o.max_growth_steps,
    };
    let t = targets(cat, sc)?;
    let mut plans = Vec::new();
    for id in &sc.candidates {
        let shape = cat.shape(id)?;
        plans.push(plan_candidate(cat, sc, shape, &po, file, &mut |f| {
            progress(id, f)
        })?);
    }
    rank(&mut plans);
    let decision = decision(&plans);
    let sensitivity = match &o.sensitivity {
        Some(r) => Some(sensitivity(cat, sc, file, r)?),
        None => None,
    };
    Ok(Proposal {
        scenario: sc.name.clone(),
        seed: o.seed.unwrap_or(sc.seed),
        targets: t,
        plans,
        decision,
        sensitivity,
        ratio: ratio_for(cat, sc, file)?,
    })
}

/// The storage-per-GPU curve when the scenario asks for one, on its first candidate.
fn ratio_for(
    cat: &Catalog,
    sc: &Scenario,
    file: &str,
) -> Result<Option<(String, Vec<RatioRow>)>, InputError> {
    let (Some(r), Some(c)) = (&sc.ratio, &sc.clients) else {
        return Ok(None);
    };
    let shape = cat.shape(&sc.candidates[0])?;
    let q = RatioQuery {
        step: cat.workload(&c.workload)?.step(),
        reading_fraction: c.reading_fraction,
        client_vm: Some(c.gpu_vm.clone()),
        gpus_per_vm: gpus_per_vm(cat, sc)?,
        tb_per_gpu: r.tb_per_gpu,
        drr: drr(cat, sc, file)?,
        opts: net_options(sc),
    };
    Ok(Some((
        shape.id.clone(),
        ratio_rows(cat, shape, &q, &r.gpu_counts)?,
    )))
}
