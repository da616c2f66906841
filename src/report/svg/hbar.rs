//! Horizontal bars, one row per candidate, in panels that each get their own linear
//! axis. Rows read left to right with the whole name on the left, so names never wrap
//! under a narrow bar; values that live on different scales (rented VMs at $M a month,
//! owned hardware at $k) go in separate panels instead of one axis where the small ones
//! become slivers. Series either stack (cost by part: the bar's length is the total) or
//! sit one under another in the row (p50, p99 and max of one quantity).

use super::axis::AxisFormat;
use super::canvas::{
    colour, text_width, truncate, truncate_middle, wrap_words, Anchor, Canvas, TextStyle, GRID,
    MUTED, WIDTH,
};
use super::frame::{fit_ticks, vertical_ref, TickFit};
use super::{Axis, Chart, RefLine};

const PAD: f64 = 16.0;
const TITLE_SIZE: f64 = 22.0;
const PANEL_SIZE: f64 = 17.0;
const LABEL_SIZE: f64 = 15.0;
const SUB_SIZE: f64 = 14.0;
const TICK_SIZE: f64 = 14.0;
const LEGEND_SIZE: f64 = 15.0;
const LEGEND_ROW: f64 = 24.0;

/// One row: a name (first line) with an optional muted second line, a value per series
/// (`NaN`: none), and an optional label after the bar (the stack's total, say).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HBarRow {
    pub label: String,
    pub sublabel: String,
    pub values: Vec<f64>,
    /// Printed after the bar; by default the total (stacked) or nothing (grouped, whose
    /// bars each carry their own value).
    pub end_label: Option<String>,
}

/// Rows that share one axis, under a heading that says what they have in common.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HBarPanel {
    pub title: String,
    pub rows: Vec<HBarRow>,
}

#[derive(Debug, Clone, Default)]
pub struct HBarChart {
    pub title: String,
    pub x: Axis,
    /// Series names, in the order of each row's values; a legend when more than one.
    pub series: Vec<String>,
    /// Stack the series (parts of a whole) rather than draw one bar each.
    pub stacked: bool,
    pub panels: Vec<HBarPanel>,
    /// Vertical reference lines drawn in every panel whose axis reaches them.
    pub x_refs: Vec<RefLine>,
    /// Formats the values printed on bars (e.g. `fmt_bytes_per_s`, so they read in the
    /// same units as the tables); by default the axis's scale.
    pub value_format: Option<fn(f64) -> String>,
}

struct Layout {
    label_w: f64,
    left: f64,
    right: f64,
}

impl HBarChart {
    pub fn new(title: impl Into<String>, x: Axis, series: Vec<String>) -> Self {
        HBarChart {
            title: title.into(),
            x,
            series,
            ..Default::default()
        }
    }

    fn row_height(&self) -> f64 {
        if self.stacked || self.series.len() <= 1 {
            40.0
        } else {
            (self.series.len() as f64 * 17.0 + 10.0).max(40.0)
        }
    }

    fn value_label(&self, fmt: &AxisFormat, v: f64) -> String {
        if let Some(f) = self.value_format {
            return f(v);
        }
        let s = fmt.value(v);
        match &self.x.unit {
            super::Unit::Usd => format!("${s}{}", fmt.suffix()),
            super::Unit::Percent => format!("{s} %"),
            _ => format!("{s} {}", fmt.suffix()).trim_end().to_string(),
        }
    }

    fn panel_range(&self, p: &HBarPanel) -> Option<(f64, f64)> {
        let mut hi: Option<f64> = None;
        for r in &p.rows {
            let vals = r.values.iter().copied().filter(|v| v.is_finite());
            let v = if self.stacked {
                Some(vals.map(|v| v.max(0.0)).sum())
            } else {
                vals.reduce(f64::max)
            };
            if let Some(v) = v {
                hi = Some(hi.map_or(v, |h: f64| h.max(v)));
            }
        }
        let hi = hi?;
        let hi = self
            .x_refs
            .iter()
            .filter(|r| r.value.is_finite())
            .fold(hi, |h, r| h.max(r.value));
        Some((0.0, hi))
    }

    fn legend_rows(&self) -> Vec<Vec<(f64, usize)>> {
        if self.series.len() <= 1 {
            return Vec::new();
        }
        let mut rows: Vec<Vec<(f64, usize)>> = vec![Vec::new()];
        let mut x = PAD;
        for (i, name) in self.series.iter().enumerate() {
            let w = 24.0 + text_width(name, LEGEND_SIZE) + 24.0;
            if x > PAD && x + w > WIDTH - PAD {
                rows.push(Vec::new());
                x = PAD;
            }
            rows.last_mut().expect("one row").push((x, i));
            x += w;
        }
        rows
    }

    fn layout(&self) -> Layout {
        // Names get the room the longest needs, within 38 % of the width; longer ones wrap.
        let widest = self
            .panels
            .iter()
            .flat_map(|p| &p.rows)
            .map(|r| text_width(&r.label, LABEL_SIZE).max(text_width(&r.sublabel, SUB_SIZE)))
            .fold(0.0, f64::max);
        let label_w = widest.min(WIDTH * 0.38);
        let left = PAD + label_w + 12.0;
        // Room after the longest bar for its label.
        let end_w = self
            .panels
            .iter()
            .flat_map(|p| &p.rows)
            .filter_map(|r| r.end_label.as_ref())
            .map(|l| text_width(l, LABEL_SIZE))
            .fold(0.0, f64::max);
        // A stacked row without its own end label prints its total there (up to about
        // eight characters); a grouped row prints each bar's value.
        let unlabelled = self
            .panels
            .iter()
            .flat_map(|p| &p.rows)
            .any(|r| r.end_label.is_none());
        let least = if unlabelled || !self.stacked {
            text_width("$000.0k/s", LABEL_SIZE)
        } else {
            0.0
        };
        let right = WIDTH - PAD - end_w.max(least) - 8.0;
        Layout {
            label_w,
            left,
            right,
        }
    }

    fn panel_height(&self, p: &HBarPanel) -> f64 {
        let refs = if self.x_refs.is_empty() { 0.0 } else { 22.0 };
        let heading = if p.title.is_empty() { 0.0 } else { 30.0 };
        heading + refs + p.rows.len() as f64 * self.row_height() + 24.0 + 26.0 + 18.0
    }

    pub fn to_svg(&self) -> String {
        let legend = self.legend_rows();
        let top0 = 48.0 + legend.len() as f64 * LEGEND_ROW + 6.0;
        let height = top0
            + self
                .panels
                .iter()
                .map(|p| self.panel_height(p))
                .sum::<f64>()
            + 4.0;
        let mut c = Canvas::sized(&self.title, WIDTH, height.max(160.0));
        let mut st = TextStyle::new(TITLE_SIZE, Anchor::Start);
        st.bold = true;
        let max_chars = ((WIDTH - 2.0 * PAD) / (TITLE_SIZE * 0.66)) as usize;
        c.text(PAD, 34.0, &st, &truncate(&self.title, max_chars));
        for (k, row) in legend.iter().enumerate() {
            let mid = 48.0 + k as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
            for &(x, i) in row {
                c.rect(x, mid - 7.0, 14.0, 14.0, colour(i), "legend");
                let st = TextStyle::new(LEGEND_SIZE, Anchor::Start);
                c.text(x + 22.0, mid + 5.0, &st, &self.series[i]);
            }
        }
        let lay = self.layout();
        let mut y = top0;
        for p in &self.panels {
            self.draw_panel(&mut c, p, y, &lay);
            y += self.panel_height(p);
        }
        c.finish()
    }

    fn draw_panel(&self, c: &mut Canvas, p: &HBarPanel, top: f64, lay: &Layout) {
        let mut y = top;
        if !p.title.is_empty() {
            let mut st = TextStyle::new(PANEL_SIZE, Anchor::Start);
            st.bold = true;
            let max_chars = ((WIDTH - 2.0 * PAD) / (PANEL_SIZE * 0.62)) as usize;
            c.text(PAD, y + 20.0, &st, &truncate(&p.title, max_chars));
            y += 30.0;
        }
        let refs_room = if self.x_refs.is_empty() { 0.0 } else { 22.0 };
        let rows_top = y + refs_room;
        let rows_bottom = rows_top + p.rows.len() as f64 * self.row_height();
        let Some((lo, hi)) = self.panel_range(p) else {
            let mut st = TextStyle::new(LABEL_SIZE, Anchor::Start);
            st.fill = MUTED;
            c.text(lay.left, rows_top + 20.0, &st, "no data");
            return;
        };
        let (ticks, fmt) = fit_ticks(
            &self.x,
            lo,
            hi,
            lay.right - lay.left,
            TickFit {
                max_target: 7,
                zero: true,
                gap: 16.0,
            },
        );
        let px = |v: f64| {
            let span = ticks.hi - ticks.lo;
            let f = if span > 0.0 {
                (v - ticks.lo) / span
            } else {
                0.0
            };
            lay.left + f * (lay.right - lay.left)
        };
        // Gridlines and ticks under the rows.
        let tick_st = TextStyle::new(TICK_SIZE, Anchor::Middle);
        for v in &ticks.values {
            let x = px(*v);
            c.line(x, rows_top, x, rows_bottom, GRID, 1.0, None, "grid");
            c.text(x, rows_bottom + 20.0, &tick_st, &fmt.tick(*v));
        }
        c.line(
            lay.left,
            rows_top,
            lay.left,
            rows_bottom,
            MUTED,
            1.0,
            None,
            "axis",
        );
        let mut at = TextStyle::new(15.0, Anchor::Middle);
        at.fill = MUTED;
        c.text(
            (lay.left + lay.right) / 2.0,
            rows_bottom + 44.0,
            &at,
            &fmt.title,
        );

        let rh = self.row_height();
        // Value labels are drawn last, haloed, so gridlines and reference lines pass
        // behind them instead of through them.
        let mut labels: Vec<(f64, f64, TextStyle, String)> = Vec::new();
        for (ri, r) in p.rows.iter().enumerate() {
            let ry = rows_top + ri as f64 * rh;
            self.draw_label(c, r, ry, rh, lay);
            let vals: Vec<f64> = (0..self.series.len())
                .map(|i| r.values.get(i).copied().unwrap_or(f64::NAN))
                .collect();
            if vals.iter().all(|v| !v.is_finite()) {
                let mut st = TextStyle::new(SUB_SIZE, Anchor::Start);
                st.fill = MUTED;
                c.text(lay.left + 8.0, ry + rh / 2.0 + 5.0, &st, "not simulated");
                continue;
            }
            if self.stacked {
                let h = (rh * 0.62).min(26.0);
                let yb = ry + (rh - h) / 2.0;
                let mut acc = 0.0;
                for (si, v) in vals.iter().enumerate() {
                    if !v.is_finite() || *v <= 0.0 {
                        continue;
                    }
                    let (x0, x1) = (px(acc), px(acc + v));
                    let tip = format!(
                        "{} – {}: {}",
                        r.label,
                        self.series[si],
                        self.value_label(&fmt, *v)
                    );
                    c.rect_titled(x0, yb, x1 - x0, h, colour(si), "bar", &tip);
                    acc += v;
                }
                let end = r
                    .end_label
                    .clone()
                    .unwrap_or_else(|| self.value_label(&fmt, acc));
                let st = TextStyle::new(LABEL_SIZE, Anchor::Start);
                labels.push((px(acc) + 6.0, yb + h / 2.0 + 5.0, st, end));
            } else {
                let n = vals.len().max(1) as f64;
                let h = ((rh - 10.0) / n).min(22.0);
                let y0 = ry + (rh - h * n) / 2.0;
                for (si, v) in vals.iter().enumerate() {
                    let yb = y0 + si as f64 * h;
                    let st = TextStyle::new(SUB_SIZE, Anchor::Start);
                    if !v.is_finite() {
                        continue;
                    }
                    let x1 = px(v.max(0.0));
                    let label = self.value_label(&fmt, *v);
                    let tip = format!("{} – {}: {label}", r.label, self.series[si]);
                    c.rect_titled(
                        lay.left,
                        yb + 1.0,
                        x1 - lay.left,
                        h - 2.0,
                        colour(si),
                        "bar",
                        &tip,
                    );
                    labels.push((x1 + 5.0, yb + h / 2.0 + 5.0, st, label));
                }
                if let Some(end) = &r.end_label {
                    let mut st = TextStyle::new(SUB_SIZE, Anchor::End);
                    st.fill = MUTED;
                    labels.push((WIDTH - PAD, ry + rh / 2.0 + 5.0, st, end.clone()));
                }
            }
        }
        // Reference lines over the bars, their labels above the rows so they never sit on
        // a bar; a label that would run off the side is shifted inwards.
        for r in self.x_refs.iter().filter(|r| r.value.is_finite()) {
            let span = (rows_top - 4.0, rows_bottom);
            vertical_ref(c, px(r.value), span, &r.label, lay.left, rows_top - 8.0);
        }
        for (x, y, mut st, text) in labels {
            st.halo = true;
            c.text(x, y, &st, &text);
        }
    }

    fn draw_label(&self, c: &mut Canvas, r: &HBarRow, ry: f64, rh: f64, lay: &Layout) {
        let chars = (lay.label_w / (LABEL_SIZE * 0.6)).floor() as usize;
        let x = PAD + lay.label_w;
        let mut lines: Vec<(String, bool)> = wrap_words(&r.label, chars, 2)
            .into_iter()
            .map(|l| (l, false))
            .collect();
        if !r.sublabel.is_empty() {
            let sub_chars = (lay.label_w / (SUB_SIZE * 0.6)).floor() as usize;
            lines.truncate(1);
            lines.push((truncate_middle(&r.sublabel, sub_chars), true));
        }
        let n = lines.len() as f64;
        let mut y = ry + rh / 2.0 - (n - 1.0) * 8.5 + 5.0;
        for (text, muted) in lines {
            let mut st = TextStyle::new(if muted { SUB_SIZE } else { LABEL_SIZE }, Anchor::End);
            if muted {
                st.fill = MUTED;
            }
            c.text(x, y, &st, &text);
            y += 17.0;
        }
    }
}

impl Chart for HBarChart {
    fn to_svg(&self) -> String {
        HBarChart::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg::Unit;

    fn row(label: &str, values: Vec<f64>) -> HBarRow {
        HBarRow {
            label: label.into(),
            values,
            ..Default::default()
        }
    }

    #[test]
    fn stacked_panels_scale_separately() {
        let mut c = HBarChart::new(
            "Cost",
            Axis::new("Cost per month", Unit::Usd),
            vec!["hardware".into(), "software".into()],
        );
        c.stacked = true;
        c.panels.push(HBarPanel {
            title: "Rented".into(),
            rows: vec![row("L96as_v5", vec![3e6, 1e6])],
        });
        c.panels.push(HBarPanel {
            title: "Owned".into(),
            rows: vec![row("azstor-bf3-hyp", vec![2e5, 1e5])],
        });
        let svg = c.to_svg();
        assert!(svg.contains("Cost per month ($M)"));
        assert!(svg.contains("Cost per month ($k)"));
        assert_eq!(svg.matches("class=\"bar\"").count(), 4);
        assert!(svg.contains(">$4M<") && svg.contains(">$300k<"), "{svg}");
        // The name is whole: never broken inside the word.
        assert!(svg.contains(">azstor-bf3-hyp<"));
    }

    #[test]
    fn grouped_rows_label_each_bar_and_refs_sit_above_rows() {
        let mut c = HBarChart::new(
            "Checkpoint",
            Axis::new("Time", Unit::si("s")),
            vec!["p50".into(), "p99".into(), "max".into()],
        );
        c.panels.push(HBarPanel {
            title: String::new(),
            rows: vec![
                row("a", vec![10.0, 20.0, 30.0]),
                row("b", vec![f64::NAN, f64::NAN, f64::NAN]),
            ],
        });
        c.x_refs.push(RefLine::new(120.0, "target 120 s"));
        let svg = c.to_svg();
        assert_eq!(svg.matches("class=\"bar\"").count(), 3);
        assert!(svg.contains("not simulated"));
        assert!(svg.contains(">target 120 s<"));
    }
}
