//! `vastplan design`: the inverse of `plan`. Instead of sizing the catalog's shapes for a
//! scenario, search a space of hypothetical storage servers (drives, egress, cores, DPU)
//! sized by the same closed form, and say which one to ask for and what each part of it
//! is worth.
//!
//! - `space`: the design space file and the drive table, read strictly;
//! - `node`: one point as parts, price, power, feasibility and a catalog row;
//! - `search`: every point sized by `plan::size_candidate`, the frontier, the cheapest
//!   point that meets every target;
//! - `pareto`: the frontier itself;
//! - `marginal`: the recommended node with one part changed.

pub mod marginal;
pub mod node;
pub mod pareto;
pub mod search;
pub mod space;

use crate::catalog::{Catalog, ServerRow};
use crate::error::InputError;
use crate::plan::{targets, Targets};
use crate::scenario::Scenario;

/// Everything `vastplan design` reports.
#[derive(Clone, Debug)]
pub struct Design {
    pub scenario: String,
    pub targets: Targets,
    pub search: search::Search,
    pub marginals: Vec<marginal::Marginal>,
    pub catalog: Vec<search::CatalogPoint>,
}

impl Design {
    /// The recommended node's catalog row (`--emit-shape`).
    pub fn best_row(&self, space: &space::Space) -> Option<ServerRow> {
        self.search
            .best
            .as_ref()
            .map(|b| node::server_row(space, &self.search.points[b.index].node, &self.scenario))
    }
}

/// Designs for scenario `sc` (read from `file`) over `space`.
pub fn design(
    cat: &Catalog,
    sc: &Scenario,
    space: &space::Space,
    file: &str,
) -> Result<Design, InputError> {
    let t = targets(cat, sc)?;
    let s = search::search(cat, sc, space, &t, file)?;
    let marginals = match &s.best {
        Some(b) => marginal::marginals(
            cat,
            sc,
            space,
            &t,
            (&s.points[b.index].node.spec, &b.plan),
            file,
        )?,
        None => Vec::new(),
    };
    let catalog = search::catalog_points(cat, sc, &t, file);
    Ok(Design {
        scenario: sc.name.clone(),
        targets: t,
        search: s,
        marginals,
        catalog,
    })
}
