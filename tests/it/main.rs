//! The root crate's integration tests, in one binary so the project is linked once for all
//! of them rather than once per file. Each module was a file of its own under `tests/`; they
//! share one process now, so a test must not change the environment or the current
//! directory, and scratch files go under a name unique to the test.

mod common;

mod bad_input;
mod cli_bad_input;
mod cli_design;
mod cli_durability;
mod cli_flows;
mod cli_netcheck;
mod cli_nines;
mod cli_output;
mod cli_pipe;
mod cli_plan;
mod cli_size;
mod cli_sweep;
mod cli_validate;
mod examples;
mod overrides;
mod poc;
mod readme_examples;
mod report_browser;
mod report_incidents;
mod validation;
