//! Standalone SVG charts: hand-written markup, no scripts, no external fonts or styles,
//! so a chart can be inlined into the HTML report or saved as a `.svg` for slides.
//!
//! All charts share one 960×540 (16:9) canvas, fonts of at least 14 px, an Okabe–Ito
//! palette, 1-2-5 axis ticks and a legend when there is more than one series.
//! Non-finite values are dropped; a chart with nothing left to draw says "no data".

mod axis;
mod bar;
mod canvas;
mod dist;
mod frame;
mod hbar;
mod line;
mod multiples;
mod scatter;
pub mod ticks;
mod tornado;

pub use axis::{Axis, Unit};
pub use bar::{BarChart, BarSeries};
pub use dist::{CdfChart, Histogram, Sample};
pub use hbar::{HBarChart, HBarPanel, HBarRow};
pub use line::{LineChart, Series};
pub use multiples::{Panel, SmallMultiples};
pub use scatter::{ScatterChart, ScatterSeries};
pub use tornado::{TornadoBar, TornadoChart};

/// Anything that renders to a standalone `<svg>` element.
pub trait Chart {
    fn to_svg(&self) -> String;
    /// The chart's title, used as the figure's accessible name and caption fallback.
    fn title(&self) -> &str;
}

/// A labelled reference line across the plot: a target ("demanded 400 GB/s") or a floor
/// ("utilisation floor 90 %"). Its value is in the axis's base unit, like the data, and
/// the axis always stretches to show it.
#[derive(Debug, Clone, PartialEq)]
pub struct RefLine {
    pub value: f64,
    pub label: String,
}

impl RefLine {
    pub fn new(value: f64, label: impl Into<String>) -> Self {
        RefLine {
            value,
            label: label.into(),
        }
    }
}

/// Min and max of the finite values, or `None` when there are none.
pub(crate) fn finite_range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Widens `(lo, hi)` to include the finite reference values.
pub(crate) fn with_refs(range: (f64, f64), refs: &[RefLine]) -> (f64, f64) {
    refs.iter()
        .filter(|r| r.value.is_finite())
        .fold(range, |(lo, hi), r| (lo.min(r.value), hi.max(r.value)))
}

#[cfg(test)]
mod tests;
