//! The calibration file: catalog numbers a proof of concept measured, each with the
//! result files behind it. `vastplan calibrate` writes it; `--calibration FILE` applies it
//! to the catalog of any command, where each value carries confidence `measured`.

use crate::catalog::{Catalog, ASSUMPTIONS};
use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationFile {
    /// The benchmark plan directory the measurements were matched against.
    pub plan: String,
    /// The shape the POC ran.
    pub shape: String,
    #[serde(rename = "param", default)]
    pub params: Vec<MeasuredParam>,
}

/// One fitted number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredParam {
    /// `SHAPE.field`, or `assumptions.name` (an assumption applies to every shape).
    pub input: String,
    pub value: f64,
    /// The catalog's value before the fit.
    pub was: f64,
    /// The result files that identify it.
    pub source: String,
    /// The plan's tests that identify it.
    pub tests: Vec<String>,
}

/// `SHAPE.field` or `assumptions.name` split into (id, field); a bare name is an
/// assumption.
pub fn split_input(name: &str) -> (&str, &str) {
    name.rsplit_once('.').unwrap_or((ASSUMPTIONS, name))
}

/// Reads a calibration file strictly (an unknown key is an error naming it).
pub fn load(path: &Path) -> Result<CalibrationFile, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&file, format!("cannot read: {e}")))?;
    toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let msg = e.message().replace('\n', " ");
        match line {
            Some(l) => InputError::new(&file, msg).at_line(l),
            None => InputError::new(&file, msg),
        }
    })
}

/// Applies every measured value to the catalog (each checked against `rules.rs`).
pub fn apply(cat: &mut Catalog, cal: &CalibrationFile, file: &str) -> Result<(), InputError> {
    for p in &cal.params {
        let (id, field) = split_input(&p.input);
        let source = format!("measured: {} (calibrated from {file})", p.source);
        cat.apply_measured(id, field, p.value, &source)
            .map_err(|e| InputError::new(file, e.message).field(format!("param {}", p.input)))?;
    }
    Ok(())
}

/// The file's text, with a header saying what it is and how to use it.
pub fn to_toml(cal: &CalibrationFile) -> String {
    let body = toml::to_string(cal).unwrap_or_default();
    format!(
        "# Catalog numbers measured by a proof of concept (written by `vastplan calibrate`).\n\
         # Apply to any command with --calibration FILE; each value then has confidence `measured`.\n\
         {body}"
    )
}
