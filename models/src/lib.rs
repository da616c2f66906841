//! `vastplan-models`: hardware, VAST, Azure, GPUs and money — everything the planner knows
//! about the domain. Builds on `vastplan-sim` for the simulation side.

pub mod bandwidth;
pub mod bom;
pub mod capacity;
pub mod catalog;
pub mod cluster;
pub mod cost;
pub mod design;
pub mod durability;
pub mod error;
pub mod iopath;
pub mod netcheck;
pub mod netmodel;
pub mod plan;
pub mod poc;
pub mod proposal;
pub mod provenance;
pub mod ratio;
pub mod scenario;
pub mod sensitivity;
pub mod simulate;
pub mod sizing;
pub mod units;
pub mod workload;

pub use catalog::{Catalog, DeploymentKind, Shape};
pub use error::InputError;
pub use provenance::{Confidence, Param};
