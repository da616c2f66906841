//! Small multiples: one small line chart per series, on a grid, all on the same axes, so
//! eight candidates' utilisation over time read one at a time instead of as eight lines
//! tangled on one plot. Each panel has its own colour and a heading with the series'
//! name and a one-line summary (its mean, its binding resource).

use super::axis::{axis_ticks, AxisFormat};
use super::canvas::{
    text_width, truncate, wrap_words, Anchor, Canvas, TextStyle, GRID, MUTED, WIDTH,
};
use super::line::{decimate, step_post};
use super::{finite_range, Axis, Chart, RefLine, Series};

const PAD: f64 = 16.0;
const TITLE_SIZE: f64 = 22.0;
const PANEL_TITLE: f64 = 15.0;
const NOTE_SIZE: f64 = 14.0;
const TICK_SIZE: f64 = 14.0;
const GAP: f64 = 28.0;
const PANEL_H: f64 = 120.0;
const NOTE_LINES: usize = 3;

/// Colours for panels: the chart palette, then three more so that up to ten panels all
/// differ (a panel is alone on its axes, so the dashes a line chart falls back on would
/// only add noise).
const PANEL_COLOURS: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#882255",
    "#44AA99", "#999933",
];

/// One panel: its series (the name is the panel's heading) and a short note under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    pub series: Series,
    /// Up to three lines (`\n` starts a new one; long lines wrap between words).
    pub note: String,
}

/// The note's lines as drawn: each given line wrapped at spaces, three lines at most.
fn note_lines(note: &str, chars: usize) -> Vec<String> {
    let mut out: Vec<String> = note.lines().flat_map(|l| wrap_words(l, chars, 3)).collect();
    if out.len() > NOTE_LINES {
        out.truncate(NOTE_LINES);
        if let Some(last) = out.last_mut() {
            *last = truncate(&format!("{last}…"), chars);
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SmallMultiples {
    pub title: String,
    /// A line under the title saying what the axes are and what the dashed line is.
    pub subtitle: String,
    pub x: Axis,
    pub y: Axis,
    pub panels: Vec<Panel>,
    /// Horizontal reference lines, drawn in every panel (unlabelled there: say what
    /// they are in the subtitle).
    pub y_refs: Vec<RefLine>,
    pub step: bool,
    /// Panels per row; 0 picks from the count (up to four a row, so eight candidates
    /// take two rows and the figure stays about as tall as any other chart).
    pub columns: usize,
}

impl SmallMultiples {
    pub fn new(title: impl Into<String>, x: Axis, y: Axis) -> Self {
        SmallMultiples {
            title: title.into(),
            x,
            y,
            ..Default::default()
        }
    }

    pub fn to_svg(&self) -> String {
        let pts = || {
            self.panels.iter().flat_map(|p| {
                p.series
                    .points
                    .iter()
                    .copied()
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
            })
        };
        let n = self.panels.len();
        let cols = match self.columns {
            0 if n <= 4 => n.max(1),
            0 if n <= 6 => 3,
            0 => 4,
            c => c.min(4),
        };
        let rows = self.panels.len().div_ceil(cols).max(1);
        let sub_lines = if self.subtitle.is_empty() {
            Vec::new()
        } else {
            wrap_words(
                &self.subtitle,
                ((WIDTH - 2.0 * PAD) / (NOTE_SIZE * 0.6)) as usize,
                2,
            )
        };
        let top0 = 44.0 + sub_lines.len() as f64 * 19.0 + 10.0;
        let cell_w = (WIDTH - 2.0 * PAD) / cols as f64;
        let note_chars = ((cell_w - GAP / 2.0) / (NOTE_SIZE * 0.6)) as usize;
        // Heading and the most note lines any panel has, above every panel's plot.
        let most = self
            .panels
            .iter()
            .map(|p| note_lines(&p.note, note_chars).len())
            .max()
            .unwrap_or(0);
        let head_h = 24.0 + most as f64 * 18.0 + 12.0;
        let cell_h = head_h + PANEL_H + 26.0 + GAP;
        let height = top0 + rows as f64 * cell_h + 30.0;
        let mut c = Canvas::sized(&self.title, WIDTH, height);
        let mut st = TextStyle::new(TITLE_SIZE, Anchor::Start);
        st.bold = true;
        c.text(
            PAD,
            34.0,
            &st,
            &truncate(
                &self.title,
                ((WIDTH - 2.0 * PAD) / (TITLE_SIZE * 0.66)) as usize,
            ),
        );
        let mut sub = TextStyle::new(NOTE_SIZE, Anchor::Start);
        sub.fill = MUTED;
        for (i, l) in sub_lines.iter().enumerate() {
            c.text(PAD, 58.0 + i as f64 * 19.0, &sub, l);
        }
        let (Some(xr), Some(yr)) = (
            finite_range(pts().map(|p| p.0)),
            finite_range(pts().map(|p| p.1)),
        ) else {
            let mut st = TextStyle::new(20.0, Anchor::Middle);
            st.fill = MUTED;
            c.text(WIDTH / 2.0, top0 + 40.0, &st, "no data");
            return c.finish();
        };
        let yr = super::with_refs(yr, &self.y_refs);
        let yt = axis_ticks(&self.y, yr.0, yr.1, true, 3);
        let yf = AxisFormat::new(&self.y, &yt);
        let xt = axis_ticks(&self.x, xr.0, xr.1, false, 4);
        let xf = AxisFormat::new(&self.x, &xt);
        let y_label_w = yt
            .values
            .iter()
            .map(|v| text_width(&yf.tick(*v), TICK_SIZE))
            .fold(0.0, f64::max);
        for (i, p) in self.panels.iter().enumerate() {
            let (col, row) = (i % cols, i / cols);
            let x0 = PAD + col as f64 * cell_w;
            let y0 = top0 + row as f64 * cell_h;
            let left = x0 + y_label_w + 10.0;
            let right = x0 + cell_w - GAP / 2.0 - text_width(&xf.tick(xt.hi), TICK_SIZE) / 2.0;
            let top = y0 + head_h;
            let bottom = top + PANEL_H;
            let colour = PANEL_COLOURS[i % PANEL_COLOURS.len()];
            let mut hs = TextStyle::new(PANEL_TITLE, Anchor::Start);
            hs.bold = true;
            let max_chars = ((cell_w - GAP / 2.0) / (PANEL_TITLE * 0.64)) as usize;
            c.text(x0, y0 + 16.0, &hs, &truncate(&p.series.name, max_chars));
            let mut ns = TextStyle::new(NOTE_SIZE, Anchor::Start);
            ns.fill = MUTED;
            for (k, l) in note_lines(&p.note, note_chars).iter().enumerate() {
                c.text(x0, y0 + 35.0 + k as f64 * 18.0, &ns, l);
            }
            let px = |v: f64| {
                left + (v - xt.lo) / (xt.hi - xt.lo).max(f64::MIN_POSITIVE) * (right - left)
            };
            let py = |v: f64| {
                bottom - (v - yt.lo) / (yt.hi - yt.lo).max(f64::MIN_POSITIVE) * (bottom - top)
            };
            let ts = TextStyle::new(TICK_SIZE, Anchor::End);
            for v in &yt.values {
                let y = py(*v);
                c.line(left, y, right, y, GRID, 1.0, None, "grid");
                c.text(left - 6.0, y + 5.0, &ts, &yf.tick(*v));
            }
            let xs = TextStyle::new(TICK_SIZE, Anchor::Middle);
            for v in &xt.values {
                let x = px(*v);
                c.line(x, bottom, x, bottom + 4.0, MUTED, 1.0, None, "tick");
                c.text(x, bottom + 20.0, &xs, &xf.tick(*v));
            }
            c.line(left, bottom, right, bottom, MUTED, 1.0, None, "axis");
            for r in self.y_refs.iter().filter(|r| r.value.is_finite()) {
                let y = py(r.value);
                c.line(left, y, right, y, "#333333", 1.5, Some("6 4"), "ref");
            }
            let pts: Vec<(f64, f64)> = p
                .series
                .points
                .iter()
                .copied()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .map(|(x, y)| (px(x), py(y)))
                .collect();
            let pts = decimate(pts);
            let drawn = if self.step { step_post(&pts) } else { pts };
            if drawn.len() == 1 {
                c.circle(drawn[0].0, drawn[0].1, 4.0, colour, "marker");
            } else if !drawn.is_empty() {
                c.polyline(&drawn, colour, 2.0, None, &p.series.name);
            }
        }
        let mut at = TextStyle::new(15.0, Anchor::Middle);
        at.fill = MUTED;
        c.text(
            WIDTH / 2.0,
            height - 12.0,
            &at,
            &format!("{} · {}", xf.title, yf.title),
        );
        c.finish()
    }
}

impl Chart for SmallMultiples {
    fn to_svg(&self) -> String {
        SmallMultiples::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg::Unit;

    #[test]
    fn one_panel_per_series_each_in_its_own_colour() {
        let mut m = SmallMultiples::new(
            "GPU utilisation",
            Axis::new("Time", Unit::plain("days")),
            Axis::new("GPU utilisation", Unit::Percent).including(0.0, 1.0),
        );
        for i in 0..8 {
            m.panels.push(Panel {
                series: Series::new(
                    format!("candidate {i}"),
                    vec![(0.0, 0.9), (1.0, 0.95), (2.0, 0.5)],
                ),
                note: "mean 78 %".into(),
            });
        }
        m.y_refs.push(RefLine::new(0.9, "floor"));
        let svg = m.to_svg();
        assert_eq!(svg.matches("class=\"series\"").count(), 8);
        for c in PANEL_COLOURS.iter().take(8) {
            assert!(svg.contains(&format!("stroke=\"{c}\"")), "{c}");
        }
        assert_eq!(svg.matches("class=\"ref\"").count(), 8);
        assert!(svg.contains("Time (days) · GPU utilisation (%)"));
    }
}
