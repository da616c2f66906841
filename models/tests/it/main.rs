//! The models crate's integration tests, in one binary (one link instead of one per file).
//! Proptest keeps the seeds of past failures in `models/tests/proptest-regressions/`.

mod catalog;
mod catalog_fuzz;
mod design;
mod durability_props;
mod properties;
mod scenario_fuzz;
mod simulate;
mod topology;
