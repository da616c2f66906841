//! Distributions: a histogram of one sample, and empirical CDFs comparing several
//! (e.g. checkpoint completion times per candidate).

use super::axis::Unit;
use super::canvas::{colour, dash, Canvas};
use super::frame::{legend, no_data, Frame, Mark, Swatch, XKind};
use super::line::step_post;
use super::ticks::{nearest_nice_step, nice_step};
use super::{finite_range, with_refs, Axis, Chart, RefLine};

/// A named sample of observations in base units.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sample {
    pub name: String,
    pub values: Vec<f64>,
}

impl Sample {
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        Sample {
            name: name.into(),
            values,
        }
    }

    fn sorted_finite(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self
            .values
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Histogram {
    pub title: String,
    pub x: Axis,
    /// Y axis label; "Count" when empty.
    pub y_label: String,
    pub values: Vec<f64>,
    /// Number of bins to aim for; by default from Sturges' rule. Bin edges are always
    /// 1-2-5 multiples so they line up with the axis ticks.
    pub bins: Option<usize>,
    pub x_refs: Vec<RefLine>,
}

/// Bins over `sorted` (non-empty, finite): (start, width, counts).
pub(crate) fn bin(sorted: &[f64], target: Option<usize>) -> (f64, f64, Vec<u64>) {
    let (lo, hi) = (sorted[0], sorted[sorted.len() - 1]);
    let target = target
        .unwrap_or_else(|| ((sorted.len() as f64).log2().ceil() as usize + 1).clamp(5, 30))
        .clamp(1, 200);
    let width = if hi > lo && (hi - lo).is_finite() {
        nearest_nice_step((hi - lo) / target as f64)
    } else {
        // One distinct value: a single bin around it.
        nice_step(if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 })
    };
    let start = if hi > lo {
        (lo / width).floor() * width
    } else {
        lo - width / 2.0
    };
    let index = |v: f64| ((v - start) / width + 1e-9).floor().max(0.0) as usize;
    let n_bins = (index(hi) + 1).min(10_000);
    let mut counts = vec![0u64; n_bins];
    for &v in sorted {
        counts[index(v).min(n_bins - 1)] += 1;
    }
    (start, width, counts)
}

impl Histogram {
    pub fn new(title: impl Into<String>, x: Axis, values: Vec<f64>) -> Self {
        Histogram {
            title: title.into(),
            x,
            values,
            ..Default::default()
        }
    }

    pub fn to_svg(&self) -> String {
        let sorted = Sample::new("", self.values.clone()).sorted_finite();
        if sorted.is_empty() {
            return no_data(&self.title);
        }
        let (start, width, counts) = bin(&sorted, self.bins);
        let end = start + width * counts.len() as f64;
        let xr = with_refs((start, end), &self.x_refs);
        let max_count = counts.iter().copied().max().unwrap_or(0) as f64;
        let y_label = if self.y_label.is_empty() {
            "Count"
        } else {
            &self.y_label
        };
        // At least 0..5 so small counts get integer ticks, not 0.2 steps.
        let y_axis = Axis::new(y_label, Unit::None).including(0.0, 5.0);
        let mut c = Canvas::new(&self.title);
        let area = Frame {
            title: &self.title,
            legend: Vec::new(),
            y: &y_axis,
            y_lo: 0.0,
            y_hi: max_count,
            y_zero: true,
            x: XKind::Numeric {
                axis: &self.x,
                lo: xr.0,
                hi: xr.1,
            },
        }
        .draw(&mut c);
        let y0 = area.py(0.0);
        for (i, &n) in counts.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let a = start + width * i as f64;
            let (x0, x1) = (area.px(a), area.px(a + width));
            let yt = area.py(n as f64);
            // A 1 px gap keeps adjacent bins distinguishable.
            let tip = format!(
                "{n} in [{}, {})",
                area_fmt(&self.x, a),
                area_fmt(&self.x, a + width)
            );
            c.rect_titled(
                x0 + 0.5,
                yt,
                (x1 - x0 - 1.0).max(1.0),
                y0 - yt,
                colour(0),
                "bar",
                &tip,
            );
        }
        area.x_refs(&mut c, &self.x_refs);
        c.finish()
    }
}

/// Bin edges in a tooltip, in the axis's unit family.
fn area_fmt(axis: &Axis, v: f64) -> String {
    use crate::report::format::{fmt_pct, fmt_si, fmt_sig, fmt_usd_short};
    match &axis.unit {
        Unit::Si(u) => fmt_si(v, u),
        Unit::Percent => fmt_pct(v, 1),
        Unit::Usd => fmt_usd_short(v),
        Unit::Plain(u) => format!("{} {u}", fmt_sig(v, 3)),
        Unit::None => fmt_sig(v, 3),
    }
}

impl Chart for Histogram {
    fn to_svg(&self) -> String {
        Histogram::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CdfChart {
    pub title: String,
    pub x: Axis,
    pub series: Vec<Sample>,
    /// Vertical reference lines, e.g. a checkpoint deadline.
    pub x_refs: Vec<RefLine>,
    /// Horizontal lines at a share, e.g. `RefLine::new(0.99, "p99")`.
    pub y_refs: Vec<RefLine>,
}

/// Empirical CDFs with many points are drawn from this many quantiles: beyond the
/// pixel resolution more points only bloat the file.
const CDF_MAX_POINTS: usize = 2000;

impl CdfChart {
    pub fn new(title: impl Into<String>, x: Axis) -> Self {
        CdfChart {
            title: title.into(),
            x,
            ..Default::default()
        }
    }

    /// Builder: adds a sample.
    pub fn with_sample(mut self, name: impl Into<String>, values: Vec<f64>) -> Self {
        self.series.push(Sample::new(name, values));
        self
    }

    pub fn to_svg(&self) -> String {
        let sorted: Vec<Vec<f64>> = self.series.iter().map(Sample::sorted_finite).collect();
        let Some(xr) = finite_range(sorted.iter().flatten().copied()) else {
            return no_data(&self.title);
        };
        let xr = with_refs(xr, &self.x_refs);
        let y_axis = Axis::new("Share of samples ≤ x", Unit::Percent).including(0.0, 1.0);
        let legend = legend(self.series.iter().map(|s| s.name.as_str()), Swatch::Line);
        let mut c = Canvas::new(&self.title);
        let area = Frame {
            title: &self.title,
            legend,
            y: &y_axis,
            y_lo: 0.0,
            y_hi: 1.0,
            y_zero: true,
            x: XKind::Numeric {
                axis: &self.x,
                lo: xr.0,
                hi: xr.1,
            },
        }
        .draw(&mut c);
        let mut marks = Vec::new();
        for (i, (s, v)) in self.series.iter().zip(&sorted).enumerate() {
            if v.is_empty() {
                continue;
            }
            let n = v.len();
            // (value, share ≤ value) at the last occurrence of each distinct value.
            let mut pts: Vec<(f64, f64)> = vec![(v[0], 0.0)];
            for (k, &x) in v.iter().enumerate() {
                if k + 1 == n || v[k + 1] != x {
                    pts.push((x, (k + 1) as f64 / n as f64));
                }
            }
            if pts.len() > CDF_MAX_POINTS {
                let last = pts.len() - 1;
                pts = (0..CDF_MAX_POINTS)
                    .map(|j| pts[j * last / (CDF_MAX_POINTS - 1)])
                    .collect();
            }
            let px: Vec<(f64, f64)> = pts.iter().map(|&(x, p)| (area.px(x), area.py(p))).collect();
            let drawn = step_post(&px);
            c.polyline(&drawn, colour(i), 2.5, dash(i), &s.name);
            marks.extend(Mark::along(&drawn, 6.0));
        }
        area.y_refs(&mut c, &self.y_refs, &marks);
        area.x_refs(&mut c, &self.x_refs);
        c.finish()
    }
}

impl Chart for CdfChart {
    fn to_svg(&self) -> String {
        CdfChart::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}
