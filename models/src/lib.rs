//! `vastplan-models`: hardware, VAST, Azure, GPUs and money — everything the planner knows
//! about the domain. Builds on `vastplan-sim` for the simulation side.

pub mod durability;
pub mod error;
pub mod iopath;
pub mod workload;

pub use error::InputError;
