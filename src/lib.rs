//! `vastplan`: the command line, sweeps and report writers on top of `vastplan-models`
//! and `vastplan-sim`.

pub mod cli;
pub mod error;
pub mod output;
pub mod poc;
pub mod progress;
pub mod report;
pub mod sweep;
pub mod validation;
