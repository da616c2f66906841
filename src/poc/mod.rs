//! The command-line side of a proof of concept: the plan directory's machine-readable
//! inputs (`planfile`) and the readers of the benchmark tools' result files (`formats`).

pub mod formats;
pub mod planfile;
