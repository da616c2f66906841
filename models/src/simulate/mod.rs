//! The "does it hold under load" half: a deterministic discrete-event simulation of a
//! sized cluster under GPU training reads, checkpoint bursts, restores after GPU
//! interruptions, drive and node failures with rebuilds, and tranches of growth.
//!
//! The cluster is the same list of resource pools the closed form uses
//! ([`crate::netmodel::ClusterSpec::pools`]), each one a resource of a
//! [`vastplan_sim::flow::FlowNetwork`] whose capacity is the pool's total. Every flow is
//! measured in client bytes (or rebuilt bytes) and crosses each pool with a weight equal to
//! the pool's cost per byte, so a flow's rate is directly what a client sees, and in steady
//! state the simulated throughput is the closed-form ceiling.
//!
//! Training reads are fluid: a job's read flow is capped at the rate that keeps its GPUs
//! 100 % busy, and utilisation follows the MLPerf step model with prefetch,
//! AU = min(1, rate / demand). Simulating every step of thousands of GPUs for 30 days would
//! cost billions of events and add nothing to a steady rate.

mod cluster;
mod devices;
mod failures;
mod flows;
mod generations;
mod input;
mod jobs;
mod layout;
mod recorder;
pub mod resolve;
mod result;
mod sim;

pub use input::{
    CheckpointPlan, FailureDomain, FailurePlan, Generation, Incident, IncidentKind, SimInput, Skew,
    SteadyDemand, StripeLayout, Target, TopologyInput, Training, TrancheEvent,
};
pub use result::{IncidentResult, SeriesPoint, SimResult};
pub use sim::{run, run_with_progress};
