//! Scenario files (`datasets/scenarios/*.toml`): a customer request, the candidates to
//! compare, the load to test them under, and every assumption named.
//!
//! Parsing is strict: an unknown key, a wrong type or a missing field is an error naming
//! the file, line and key, never a silent default. Optional sections are optional because a
//! request may not have that kind of load (no checkpoints, no tranches), and each optional
//! field documents what its absence means.

mod key_lines;
mod load;
mod types;
mod warnings;

// The error mapping is shared with other strict TOML inputs (sweep files) so every file
// the user writes reports errors the same way.
pub use key_lines::KeyLines;
pub use load::{
    line_of_key, load_scenario, parse_scenario, toml_error, MAX_COUNT, MAX_DAYS, MAX_SAMPLES,
};
pub use types::*;
pub use warnings::warnings;
