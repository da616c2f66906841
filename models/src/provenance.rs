//! Where a number came from and how far to trust it.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Trust in an input, ordered from least to most confident so that the
/// least-confident input a result rests on is a plain `min`.
///
/// `User` ranks lowest on purpose: an override replaces a sourced number with one
/// only the user can vouch for, and every report built on it should say so.
/// `VendorTool` (an unofficial field-engineering sizer) ranks below `Derived`
/// (arithmetic on published numbers) because its inputs are not public.
/// `Measured` ranks highest: a figure a proof of concept measured on the very deployment
/// (`vastplan calibrate`) beats a vendor's published figure for that deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    User,
    Hypothetical,
    Estimate,
    VendorTool,
    Derived,
    Published,
    Measured,
}

impl Confidence {
    pub const ALL: [Confidence; 7] = [
        Confidence::User,
        Confidence::Hypothetical,
        Confidence::Estimate,
        Confidence::VendorTool,
        Confidence::Derived,
        Confidence::Published,
        Confidence::Measured,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::User => "user",
            Confidence::Hypothetical => "hypothetical",
            Confidence::Estimate => "estimate",
            Confidence::VendorTool => "vendor-tool",
            Confidence::Derived => "derived",
            Confidence::Published => "published",
            Confidence::Measured => "measured",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Confidence::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Confidence::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown confidence {s:?} (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// A number with its provenance.
#[derive(Clone, Debug, Serialize)]
pub struct Param {
    pub value: f64,
    pub source: String,
    pub confidence: Confidence,
    /// The catalog cell it was read from, if it is one cell's number (in other units
    /// perhaps): an error about it names that file, line and column.
    #[serde(skip)]
    pub cell: Option<Box<Cell>>,
}

/// Where in a catalog CSV a number came from, and the factor from the file's units.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub file: String,
    pub line: usize,
    pub column: String,
    /// The value as written in the file.
    pub raw: f64,
    /// `Param::value` = `raw` × `scale`.
    pub scale: f64,
}

/// Two params are the same fact when value, source and confidence agree, wherever read.
impl PartialEq for Param {
    fn eq(&self, o: &Param) -> bool {
        self.value == o.value && self.source == o.source && self.confidence == o.confidence
    }
}

impl Param {
    pub fn new(value: f64, source: impl Into<String>, confidence: Confidence) -> Self {
        Param {
            value,
            source: source.into(),
            confidence,
            cell: None,
        }
    }

    /// This param, noted as read from `cell`.
    pub fn from_cell(mut self, cell: Cell) -> Self {
        self.cell = Some(Box::new(cell));
        self
    }

    /// The same fact in other units: keeps source, confidence and cell.
    pub fn scaled(&self, k: f64) -> Param {
        let mut p = Param {
            value: self.value * k,
            ..self.clone()
        };
        if let Some(c) = p.cell.as_mut() {
            c.scale *= k;
        }
        p
    }

    /// A number computed from others: it is as trustworthy as its weakest input,
    /// and capped at `Derived` because the arithmetic itself is ours.
    pub fn derive(value: f64, inputs: &[&Param]) -> Self {
        let confidence = inputs
            .iter()
            .map(|p| p.confidence)
            .min()
            .unwrap_or(Confidence::Derived)
            .min(Confidence::Derived);
        let mut sources: Vec<&str> = Vec::new();
        for p in inputs {
            for s in p.source.split(" ; ") {
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
        }
        Param {
            value,
            source: sources.join(" ; "),
            confidence,
            cell: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_runs_from_least_to_most_confident() {
        assert!(Confidence::User < Confidence::Hypothetical);
        assert!(Confidence::Hypothetical < Confidence::Estimate);
        assert!(Confidence::Estimate < Confidence::VendorTool);
        assert!(Confidence::VendorTool < Confidence::Derived);
        assert!(Confidence::Derived < Confidence::Published);
        assert!(Confidence::Published < Confidence::Measured);
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            "vendor-tool".parse::<Confidence>(),
            Ok(Confidence::VendorTool)
        );
        assert!("guess"
            .parse::<Confidence>()
            .unwrap_err()
            .contains("published"));
    }

    #[test]
    fn derived_takes_weakest_input_and_caps_at_derived() {
        let a = Param::new(1.0, "A4", Confidence::Published);
        let b = Param::new(2.0, "P1", Confidence::Estimate);
        assert_eq!(
            Param::derive(3.0, &[&a, &b]).confidence,
            Confidence::Estimate
        );
        assert_eq!(Param::derive(3.0, &[&a]).confidence, Confidence::Derived);
        assert_eq!(Param::derive(3.0, &[&a, &b]).source, "A4 ; P1");
    }
}
