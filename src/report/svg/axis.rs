//! Axis description (label + unit) and the tick-label formatting derived from it.

use super::ticks::{nice_ticks, Ticks};
use crate::report::format::{fmt_fixed, si_prefix, usd_scale};

/// How values on an axis are displayed. Data are always given in base units (DESIGN.md
/// §6: bytes, seconds, bytes/s); the axis picks one display scale for all its ticks and
/// names it in the axis title, e.g. values in B/s become "Throughput (GB/s)" with ticks
/// "0, 100, 200".
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Unit {
    /// A bare number; ticks get thousands separators.
    #[default]
    None,
    /// A unit that is not scaled, e.g. "GPUs", "racks", "h"; thousands separators.
    Plain(String),
    /// An SI base unit, e.g. "B", "B/s", "W", "s"; the axis picks k/M/G/T/P/E.
    Si(String),
    /// Data are fractions (0.85); ticks read as percent (85).
    Percent,
    /// US dollars; the axis picks $k/$M/$B.
    Usd,
}

impl Unit {
    pub fn plain(u: impl Into<String>) -> Self {
        Unit::Plain(u.into())
    }
    pub fn si(u: impl Into<String>) -> Self {
        Unit::Si(u.into())
    }
}

/// One axis: what it measures, in which unit, and optionally a range it must cover.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    pub label: String,
    pub unit: Unit,
    /// Values the axis must include besides the data, e.g. `Some((0.0, 1.0))` to show a
    /// utilisation axis in full. It only widens the axis: data are never clipped, so a
    /// chart cannot silently hide a point.
    pub include: Option<(f64, f64)>,
}

impl Axis {
    pub fn new(label: impl Into<String>, unit: Unit) -> Self {
        Axis {
            label: label.into(),
            unit,
            include: None,
        }
    }
    /// Builder form of [`Axis::include`].
    pub fn including(mut self, lo: f64, hi: f64) -> Self {
        self.include = Some((lo, hi));
        self
    }
}

/// The display scale chosen for an axis once its ticks are known.
#[derive(Debug, Clone)]
pub(crate) struct AxisFormat {
    /// Displayed value = data value / divisor.
    divisor: f64,
    decimals: usize,
    /// The axis title including the unit, e.g. "Delivered (GB/s)".
    pub title: String,
    /// The scaled unit alone: "GB/s", "$M", "%".
    unit_text: String,
}

impl AxisFormat {
    pub(crate) fn new(axis: &Axis, ticks: &Ticks) -> Self {
        let mag = ticks.lo.abs().max(ticks.hi.abs());
        let (divisor, unit_text) = match &axis.unit {
            Unit::None => (1.0, String::new()),
            Unit::Plain(u) => (1.0, u.clone()),
            Unit::Si(u) => {
                let (e, sym) = si_prefix(mag, -12);
                (10f64.powi(e), format!("{sym}{u}"))
            }
            Unit::Percent => (0.01, "%".to_string()),
            Unit::Usd => {
                let (scale, sym) = usd_scale(mag);
                (scale, format!("${sym}"))
            }
        };
        let shown_step = ticks.step / divisor;
        let decimals = if shown_step.is_finite() && shown_step > 0.0 {
            (-(shown_step.log10() + 1e-9).floor()).clamp(0.0, 12.0) as usize
        } else {
            2
        };
        // "Racks" in racks needs no "(racks)": a unit the label already names is left out.
        let named = axis
            .label
            .to_lowercase()
            .split_whitespace()
            .any(|w| w == unit_text.to_lowercase());
        let title = match (axis.label.is_empty(), unit_text.is_empty() || named) {
            (_, true) => axis.label.clone(),
            (true, false) => unit_text.clone(),
            (false, false) => format!("{} ({unit_text})", axis.label),
        };
        AxisFormat {
            divisor,
            decimals,
            title,
            unit_text,
        }
    }

    /// The scaled unit to print after a value: "GB/s", "M" (of "$M"), "%".
    pub(crate) fn suffix(&self) -> &str {
        self.unit_text.trim_start_matches('$')
    }

    pub(crate) fn tick(&self, v: f64) -> String {
        fmt_fixed(v / self.divisor, self.decimals)
    }

    /// A data value (not a tick) in the axis's display scale with up to 3 significant
    /// digits, for labels on bars: "50", "1.95", "-120".
    pub(crate) fn value(&self, v: f64) -> String {
        let s = crate::report::format::fmt_sig(v / self.divisor, 3);
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// Ticks for the values an axis must show (data, reference lines, `include`).
pub(crate) fn axis_ticks(
    axis: &Axis,
    mut lo: f64,
    mut hi: f64,
    zero: bool,
    target: usize,
) -> Ticks {
    if let Some((a, b)) = axis.include {
        for v in [a, b] {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    nice_ticks(lo, hi, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_axis_scales_and_names_unit() {
        let a = Axis::new("Delivered", Unit::si("B/s"));
        let t = nice_ticks(0.0, 437e9, 5);
        let f = AxisFormat::new(&a, &t);
        assert_eq!(f.title, "Delivered (GB/s)");
        assert_eq!(f.tick(300e9), "300");
        let t = nice_ticks(0.0, 1.2e15, 6);
        let f = AxisFormat::new(&a, &t);
        assert_eq!(f.title, "Delivered (PB/s)");
        assert_eq!(f.tick(t.values[1]), "0.2");
    }

    #[test]
    fn other_units() {
        let t = nice_ticks(0.0, 1.0, 5);
        let f = AxisFormat::new(&Axis::new("GPU utilisation", Unit::Percent), &t);
        assert_eq!(f.title, "GPU utilisation (%)");
        assert_eq!(f.tick(t.values[3]), "60");
        let t = nice_ticks(0.0, 24000.0, 5);
        let f = AxisFormat::new(&Axis::new("GPUs", Unit::None), &t);
        assert_eq!(f.tick(20000.0), "20,000");
        let t = nice_ticks(0.0, 3.4e6, 5);
        let f = AxisFormat::new(&Axis::new("Cost per month", Unit::Usd), &t);
        assert_eq!(f.title, "Cost per month ($M)");
        assert_eq!(f.tick(t.values[1]), "1");
        let t = nice_ticks(0.0, 12.0, 5);
        let f = AxisFormat::new(&Axis::new("Racks", Unit::plain("racks")), &t);
        assert_eq!(f.title, "Racks");
        let f = AxisFormat::new(&Axis::new("Time", Unit::plain("days")), &t);
        assert_eq!(f.title, "Time (days)");
    }
}
