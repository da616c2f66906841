//! From proposal to proof: the benchmark plan of a proof of concept (POC) with the
//! closed form's predicted results, and the fit that folds what the POC measured back
//! into the catalog.
//!
//! - `suite`: which tests to run at the POC's size, with the tools' parameters;
//! - `predict`: each test's result from the very pools and ceiling `plan` uses, with a
//!   band from the inputs' confidence ranges (`sensitivity::Ranges`), and the success
//!   criterion (the scenario's targets scaled to the POC);
//! - `fit`: the catalog parameters the measured tests identify, by least squares;
//! - `calibration`: the file `calibrate` writes and every command reads.

pub mod calibration;
pub mod fit;
pub mod predict;
pub mod suite;

pub use suite::{Kind, Metric, PocTest, Setup, Tool};
