//! `benchplan.toml`: what `benchplan` planned (scenario, shape, counts, clients, `--set`s),
//! so that `calibrate` re-runs the same closed form against the measurements.

use crate::error::CliError;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const NAME: &str = "benchplan.toml";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// The scenario file, as an absolute path (the plan directory may move; the scenario
    /// is read again from here).
    pub scenario: String,
    pub shape: String,
    pub storage_nodes: u32,
    pub compute_nodes: u32,
    pub clients: u32,
    pub client_vm: String,
    /// `--set ID.FIELD=VALUE` given to `benchplan`, applied again by `calibrate`.
    #[serde(default)]
    pub sets: Vec<String>,
    /// The `--calibration` file the plan was made on, applied again by `calibrate` so that
    /// its "before" is the plan's prediction.
    pub calibration: Option<String>,
}

pub fn load(dir: &Path) -> Result<PlanFile, CliError> {
    let path = dir.join(NAME);
    let file = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CliError::input(format!(
            "{file}: cannot read ({e}); --plan must be a directory written by `vastplan benchplan`"
        ))
    })?;
    toml::from_str(&text)
        .map_err(|e| CliError::input(format!("{file}: {}", e.message().replace('\n', " "))))
}

pub fn to_toml(p: &PlanFile) -> String {
    format!(
        "# Written by `vastplan benchplan`; read by `vastplan calibrate --plan DIR`.\n{}",
        toml::to_string(p).unwrap_or_default()
    )
}
