//! Scatter charts: named sets of (x, y) points over two numeric axes, each point a marker
//! and optionally a label, e.g. a design frontier beside today's catalog shapes.

use super::canvas::{colour, text_width, Anchor, Canvas, TextStyle};
use super::frame::{legend, no_data, Frame, Swatch, XKind};
use super::{finite_range, Axis, Chart};

/// One named set of points; a point's label (if any) is written beside its marker.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScatterSeries {
    pub name: String,
    pub points: Vec<(f64, f64, Option<String>)>,
}

impl ScatterSeries {
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64, Option<String>)>) -> Self {
        ScatterSeries {
            name: name.into(),
            points,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScatterChart {
    pub title: String,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<ScatterSeries>,
}

impl ScatterChart {
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        ScatterChart {
            title: title.into(),
            x,
            y,
            series: Vec::new(),
        }
    }

    pub fn with_series(mut self, s: ScatterSeries) -> Self {
        self.series.push(s);
        self
    }

    fn finite(&self) -> impl Iterator<Item = (usize, &(f64, f64, Option<String>))> + '_ {
        self.series.iter().enumerate().flat_map(|(i, s)| {
            s.points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(move |p| (i, p))
        })
    }

    pub fn to_svg(&self) -> String {
        let (Some(xr), Some(yr)) = (
            finite_range(self.finite().map(|(_, p)| p.0)),
            finite_range(self.finite().map(|(_, p)| p.1)),
        ) else {
            return no_data(&self.title);
        };
        let widen = |(lo, hi): (f64, f64), inc: Option<(f64, f64)>| match inc {
            Some((a, b)) => (lo.min(a), hi.max(b)),
            None => (lo, hi),
        };
        let xr = widen(xr, self.x.include);
        let yr = widen(yr, self.y.include);
        let mut c = Canvas::new(&self.title);
        let area = Frame {
            title: &self.title,
            legend: legend(self.series.iter().map(|s| s.name.as_str()), Swatch::Box),
            y: &self.y,
            y_lo: yr.0,
            y_hi: yr.1,
            y_zero: true,
            x: XKind::Numeric {
                axis: &self.x,
                lo: xr.0,
                hi: xr.1,
            },
        }
        .draw(&mut c);
        // Markers first, labels over them with a halo, so a label is never hidden.
        for (i, p) in self.finite() {
            let class = format!("point series-{i}");
            c.circle(area.px(p.0), area.py(p.1), 5.0, colour(i), &class);
        }
        // Labels beside their marker, on whichever side is free: a label that would
        // overlap a placed one or leave the plot is left out (the page's tables name
        // every point).
        let mut st = TextStyle::new(14.0, Anchor::Start);
        st.halo = true;
        let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
        let clear = |b: (f64, f64, f64, f64), placed: &[(f64, f64, f64, f64)]| {
            b.0 >= area.left
                && b.2 <= area.right + 20.0
                && b.1 >= area.top - 20.0
                && placed
                    .iter()
                    .all(|p| b.2 < p.0 || b.0 > p.2 || b.3 < p.1 || b.1 > p.3)
        };
        // Later series first: the caller lists what matters most (the answer) last.
        let mut labelled: Vec<_> = self.finite().collect();
        labelled.sort_by_key(|(i, _)| std::cmp::Reverse(*i));
        for (_, p) in labelled {
            let Some(l) = &p.2 else { continue };
            let (x, y) = (area.px(p.0), area.py(p.1));
            let w = text_width(l, st.size);
            let h = st.size + 2.0;
            let options = [
                (Anchor::Start, x + 8.0, y - 6.0),
                (Anchor::Start, x + 8.0, y + 18.0),
                (Anchor::End, x - 8.0, y - 6.0),
                (Anchor::End, x - 8.0, y + 18.0),
            ];
            for (anchor, tx, ty) in options {
                let left = if matches!(anchor, Anchor::End) {
                    tx - w
                } else {
                    tx
                };
                let b = (left - 2.0, ty - h, left + w + 2.0, ty + 4.0);
                if clear(b, &placed) {
                    st.anchor = anchor;
                    c.text(tx, ty, &st, l);
                    placed.push(b);
                    break;
                }
            }
        }
        c.finish()
    }
}

impl Chart for ScatterChart {
    fn to_svg(&self) -> String {
        ScatterChart::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}
