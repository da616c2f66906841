//! Bar charts over categories; with more than one series the bars are grouped per
//! category (e.g. delivered vs demanded GB/s for each candidate).

use super::canvas::{colour, text_width, Anchor, Canvas, TextStyle};
use super::frame::{legend, no_data, Frame, Mark, Swatch, XKind};
use super::{finite_range, with_refs, Axis, Chart, RefLine};

const VALUE_SIZE: f64 = 14.0;

/// One series of bars: `values[i]` belongs to category `i`. A missing or non-finite
/// value leaves a gap, never a zero-height bar that would read as "zero".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarSeries {
    pub name: String,
    pub values: Vec<f64>,
}

impl BarSeries {
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        BarSeries {
            name: name.into(),
            values,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarChart {
    pub title: String,
    /// Title under the category labels, e.g. "Candidate"; may be empty.
    pub x_label: String,
    pub y: Axis,
    pub categories: Vec<String>,
    pub series: Vec<BarSeries>,
    pub y_refs: Vec<RefLine>,
    /// Suppress the value printed on each bar (they are shown when they fit).
    pub hide_values: bool,
}

impl BarChart {
    pub fn new(title: impl Into<String>, y: Axis, categories: Vec<String>) -> Self {
        BarChart {
            title: title.into(),
            y,
            categories,
            ..Default::default()
        }
    }

    /// Builder: adds a series.
    pub fn with_series(mut self, name: impl Into<String>, values: Vec<f64>) -> Self {
        self.series.push(BarSeries::new(name, values));
        self
    }

    fn value(&self, s: usize, c: usize) -> Option<f64> {
        self.series[s]
            .values
            .get(c)
            .copied()
            .filter(|v| v.is_finite())
    }

    pub fn to_svg(&self) -> String {
        let n_cat = self.categories.len();
        let all = (0..self.series.len()).flat_map(|s| (0..n_cat).map(move |c| (s, c)));
        let Some(yr) = finite_range(all.filter_map(|(s, c)| self.value(s, c))) else {
            return no_data(&self.title);
        };
        let yr = with_refs(yr, &self.y_refs);
        let legend = legend(self.series.iter().map(|s| s.name.as_str()), Swatch::Box);
        let mut c = Canvas::new(&self.title);
        let area = Frame {
            title: &self.title,
            legend,
            y: &self.y,
            y_lo: yr.0,
            y_hi: yr.1,
            y_zero: true,
            x: XKind::Categories {
                labels: &self.categories,
                title: &self.x_label,
            },
        }
        .draw(&mut c);

        let m = self.series.len().max(1);
        let y0 = area.py(0.0);
        let bar_w = {
            let (_, band) = area.band(0);
            band * 0.8 / m as f64
        };
        // All bars carry their value or none do: a few labelled bars among unlabelled
        // ones look like a highlight.
        let show_values = !self.hide_values
            && (0..self.series.len())
                .flat_map(|s| (0..n_cat).map(move |c| (s, c)))
                .filter_map(|(s, c)| self.value(s, c))
                .all(|v| text_width(&area.y_fmt.value(v), VALUE_SIZE) + 2.0 <= bar_w);
        let mut marks = Vec::new();
        let mut labels = Vec::new();
        for ci in 0..n_cat {
            let (x0, band) = area.band(ci);
            let inner = band * 0.8;
            let gap = if m > 1 {
                2.0_f64.min(inner / m as f64 * 0.1)
            } else {
                0.0
            };
            let bar_w = inner / m as f64;
            for si in 0..self.series.len() {
                let Some(v) = self.value(si, ci) else {
                    continue;
                };
                let x = x0 + band * 0.1 + bar_w * si as f64 + gap / 2.0;
                let w = bar_w - gap;
                let yv = area.py(v);
                let (top, h) = if yv <= y0 {
                    (yv, y0 - yv)
                } else {
                    (y0, yv - y0)
                };
                let label = area.y_fmt.value(v);
                let tip = format!(
                    "{} – {}: {}",
                    self.categories[ci], self.series[si].name, label
                );
                c.rect_titled(x, top, w, h, colour(si), "bar", &tip);
                marks.push(Mark::new(x, top, x + w, top + h));
                if show_values {
                    let ty = if v >= 0.0 { top - 5.0 } else { top + h + 15.0 };
                    labels.push((x + w / 2.0, ty, label.clone()));
                    let half = text_width(&label, VALUE_SIZE) / 2.0;
                    let mid = x + w / 2.0;
                    marks.push(Mark::new(mid - half, ty - VALUE_SIZE, mid + half, ty + 3.0));
                }
            }
        }
        area.y_refs(&mut c, &self.y_refs, &marks);
        // Values go on top of reference lines, with a halo, so a target line running
        // through a label does not strike it out.
        let mut st = TextStyle::new(VALUE_SIZE, Anchor::Middle);
        st.halo = true;
        for (x, y, label) in &labels {
            c.text(*x, *y, &st, label);
        }
        c.finish()
    }
}

impl Chart for BarChart {
    fn to_svg(&self) -> String {
        BarChart::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}
