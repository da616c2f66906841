//! The kernel's integration tests, in one binary (one link instead of one per file).

mod flow_exact_time;
mod queue_props;
mod queueing;
