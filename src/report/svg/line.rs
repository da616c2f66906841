//! Line charts: several numeric series over a numeric x axis, e.g. GPU utilisation or
//! the utilisation of binding resources over simulated time.

use super::canvas::{colour, dash, Canvas};
use super::frame::{legend, no_data, Frame, Mark, Swatch, XKind};
use super::{finite_range, with_refs, Axis, Chart, RefLine};

/// One named line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub name: String,
    /// (x, y) in base units, drawn in the given order. Points with a non-finite
    /// coordinate are dropped.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series {
            name: name.into(),
            points,
        }
    }

    fn finite_points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    pub title: String,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    /// Horizontal reference lines, e.g. a target throughput or a utilisation floor.
    pub y_refs: Vec<RefLine>,
    /// Vertical reference lines, e.g. the moment a failure is injected.
    pub x_refs: Vec<RefLine>,
    /// Draw each series as a step function (value holds until the next point), the
    /// honest picture of a sampled piecewise-constant quantity such as a rate.
    pub step: bool,
    /// Let the y axis fit the data instead of starting at zero. Off by default: a
    /// throughput axis that starts at 380 GB/s exaggerates every wiggle.
    pub y_float: bool,
}

impl LineChart {
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        LineChart {
            title: title.into(),
            x,
            y,
            ..Default::default()
        }
    }

    pub fn to_svg(&self) -> String {
        let xs = finite_range(
            self.series
                .iter()
                .flat_map(|s| s.finite_points().map(|p| p.0)),
        );
        let ys = finite_range(
            self.series
                .iter()
                .flat_map(|s| s.finite_points().map(|p| p.1)),
        );
        let (Some(xr), Some(yr)) = (xs, ys) else {
            return no_data(&self.title);
        };
        let xr = with_refs(xr, &self.x_refs);
        let yr = with_refs(yr, &self.y_refs);
        let legend = legend(self.series.iter().map(|s| s.name.as_str()), Swatch::Line);
        let mut c = Canvas::new(&self.title);
        let area = Frame {
            title: &self.title,
            legend,
            y: &self.y,
            y_lo: yr.0,
            y_hi: yr.1,
            y_zero: !self.y_float,
            x: XKind::Numeric {
                axis: &self.x,
                lo: xr.0,
                hi: xr.1,
            },
        }
        .draw(&mut c);

        let mut marks = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            let pts: Vec<(f64, f64)> = s
                .finite_points()
                .map(|(x, y)| (area.px(x), area.py(y)))
                .collect();
            if pts.is_empty() {
                continue;
            }
            let pts = decimate(pts);
            let drawn = if self.step { step_post(&pts) } else { pts };
            c.polyline(&drawn, colour(i), 2.5, dash(i), &s.name);
            marks.extend(Mark::along(&drawn, 6.0));
            // A lone point has no length to stroke; mark it so it is visible.
            if drawn.len() == 1 {
                c.circle(drawn[0].0, drawn[0].1, 5.0, colour(i), "marker");
            }
        }
        area.y_refs(&mut c, &self.y_refs, &marks);
        area.x_refs(&mut c, &self.x_refs);
        c.finish()
    }
}

/// Above this many points a series is thinned to what a pixel column can show.
const DECIMATE_ABOVE: usize = 4000;

/// Thins a long series, in pixel coordinates, to the first, lowest, highest and last
/// point of each pixel column. The drawn envelope is unchanged — a one-sample dip
/// still shows — while a week of per-second samples stops making a 10 MB SVG. Only
/// applies when x never decreases, since columns assume left-to-right order.
pub(crate) fn decimate(pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if pts.len() <= DECIMATE_ABOVE || pts.windows(2).any(|w| w[1].0 < w[0].0) {
        return pts;
    }
    let mut keep = Vec::with_capacity(4 * 1000);
    let mut i = 0;
    while i < pts.len() {
        let col = pts[i].0.floor();
        let (start, mut lo, mut hi) = (i, i, i);
        while i < pts.len() && pts[i].0.floor() == col {
            if pts[i].1 < pts[lo].1 {
                lo = i;
            }
            if pts[i].1 > pts[hi].1 {
                hi = i;
            }
            i += 1;
        }
        let mut idx = [start, lo, hi, i - 1];
        idx.sort_unstable();
        for (k, &j) in idx.iter().enumerate() {
            if k == 0 || idx[k - 1] != j {
                keep.push(pts[j]);
            }
        }
    }
    keep
}

/// Pixel points of a step function that holds each value until the next x.
pub(crate) fn step_post(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(pts.len() * 2);
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            out.push((p.0, pts[i - 1].1));
        }
        out.push(*p);
    }
    out
}

impl Chart for LineChart {
    fn to_svg(&self) -> String {
        LineChart::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}
