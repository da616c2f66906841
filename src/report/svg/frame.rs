//! The scaffold every chart shares: title, legend, plot area, axes, gridlines and
//! reference lines. Charts compute their data ranges, hand them here, then draw data
//! into the returned [`Area`].

use super::axis::{axis_ticks, Axis, AxisFormat};
use super::canvas::{
    colour, dash, text_width, truncate, truncate_middle, wrap_words, Anchor, Canvas, TextStyle,
    GRID, HEIGHT, MUTED, TEXT, WIDTH,
};
use super::ticks::Ticks;
use super::RefLine;

const PAD: f64 = 16.0;
const TITLE_SIZE: f64 = 22.0;
const LEGEND_SIZE: f64 = 15.0;
const LEGEND_ROW: f64 = 24.0;
const TICK_SIZE: f64 = 14.0;
const AXIS_TITLE_SIZE: f64 = 16.0;
const CATEGORY_LINE: f64 = 17.0;
const REF_COLOUR: &str = "#333333";
/// Degrees by which category labels are slanted when their bands are too narrow.
const SLANT: f64 = 40.0;

/// Category labels under a bar chart: wrapped into up to three lines, or slanted.
enum CatLabels {
    Wrapped(Vec<Vec<String>>),
    Slanted { texts: Vec<String>, room: f64 },
}

impl CatLabels {
    /// Vertical space the labels take under the plot.
    fn room(&self) -> f64 {
        match self {
            CatLabels::Wrapped(all) => {
                all.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64 * CATEGORY_LINE
            }
            CatLabels::Slanted { room, .. } => *room,
        }
    }
}

/// How a legend entry is drawn: a line sample for line charts, a filled box for bars.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Line,
    Box,
}

pub(crate) struct LegendItem {
    pub name: String,
    pub index: usize,
    pub swatch: Swatch,
}

/// One legend entry per series, in series order; none for a single series, whose name the
/// title already carries.
pub(crate) fn legend<'a>(
    names: impl ExactSizeIterator<Item = &'a str>,
    swatch: Swatch,
) -> Vec<LegendItem> {
    if names.len() <= 1 {
        return Vec::new();
    }
    names
        .enumerate()
        .map(|(index, name)| LegendItem {
            name: name.to_string(),
            index,
            swatch,
        })
        .collect()
}

pub(crate) enum XKind<'a> {
    /// A numeric axis covering `[lo, hi]`.
    Numeric { axis: &'a Axis, lo: f64, hi: f64 },
    /// Evenly spaced bands, one per category.
    Categories {
        labels: &'a [String],
        title: &'a str,
    },
}

pub(crate) struct Frame<'a> {
    pub title: &'a str,
    pub legend: Vec<LegendItem>,
    pub y: &'a Axis,
    pub y_lo: f64,
    pub y_hi: f64,
    /// Bars and throughput must be read against zero; some line charts float.
    pub y_zero: bool,
    pub x: XKind<'a>,
}

/// The plot rectangle with its scales.
pub(crate) struct Area {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    y_ticks: Ticks,
    pub y_fmt: AxisFormat,
    x_ticks: Option<Ticks>,
    bands: usize,
}

impl Area {
    pub(crate) fn py(&self, v: f64) -> f64 {
        let t = &self.y_ticks;
        let span = t.hi - t.lo;
        let f = if span > 0.0 && span.is_finite() {
            (v - t.lo) / span
        } else {
            0.5
        };
        self.bottom - f * (self.bottom - self.top)
    }

    pub(crate) fn px(&self, v: f64) -> f64 {
        match &self.x_ticks {
            Some(t) => {
                let span = t.hi - t.lo;
                let f = if span > 0.0 && span.is_finite() {
                    (v - t.lo) / span
                } else {
                    0.5
                };
                self.left + f * (self.right - self.left)
            }
            None => self.left,
        }
    }

    /// Left edge and width of category band `i`.
    pub(crate) fn band(&self, i: usize) -> (f64, f64) {
        let w = (self.right - self.left) / self.bands.max(1) as f64;
        (self.left + w * i as f64, w)
    }

    /// Horizontal reference lines (targets, floors), drawn over the data so they are
    /// never hidden behind a bar.
    ///
    /// Each label goes to whichever corner (right/left end, above/below the line) overlaps
    /// the fewest `marks` — pixel boxes of what the chart drew — so it does not sit on
    /// the data when there is a free spot.
    pub(crate) fn y_refs(&self, c: &mut Canvas, refs: &[RefLine], marks: &[Mark]) {
        for r in refs.iter().filter(|r| r.value.is_finite()) {
            let y = self.py(r.value);
            c.line(
                self.left,
                y,
                self.right,
                y,
                REF_COLOUR,
                2.0,
                Some("7 5"),
                "ref",
            );
            let max_chars = ((self.right - self.left - 12.0) / (TICK_SIZE * 0.6)) as usize;
            let label = truncate(&r.label, max_chars);
            let w = text_width(&label, TICK_SIZE);
            let mut best: Option<(usize, f64, Anchor)> = None;
            let mut best_x = self.right - 6.0;
            // Preference order breaks ties: right end first, above before below.
            for (end, above) in [(true, true), (true, false), (false, true), (false, false)] {
                let ty = if above { y - 7.0 } else { y + 19.0 };
                // Stay clear of the legend above and the x labels below the plot.
                if ty - TICK_SIZE < self.top - 2.0 || ty > self.bottom - 2.0 {
                    continue;
                }
                let (x0, tx, anchor) = if end {
                    (self.right - 6.0 - w, self.right - 6.0, Anchor::End)
                } else {
                    (self.left + 6.0, self.left + 6.0, Anchor::Start)
                };
                let boxed = Mark::new(x0 - 2.0, ty - TICK_SIZE, x0 + w + 2.0, ty + 4.0);
                let hits = marks.iter().filter(|m| m.overlaps(&boxed)).count();
                if best.as_ref().is_none_or(|b| hits < b.0) {
                    best = Some((hits, ty, anchor));
                    best_x = tx;
                }
            }
            let (_, ty, anchor) = best.unwrap_or((0, y - 7.0, Anchor::End));
            let mut st = TextStyle::new(TICK_SIZE, anchor);
            st.halo = true;
            st.fill = REF_COLOUR;
            c.text(best_x, ty, &st, &label);
        }
    }

    /// Vertical reference lines (deadlines, thresholds on a numeric x axis).
    pub(crate) fn x_refs(&self, c: &mut Canvas, refs: &[RefLine]) {
        if self.x_ticks.is_none() {
            return;
        }
        for r in refs.iter().filter(|r| r.value.is_finite()) {
            // Above the plot, in the gap kept free for it, so it never sits on the data.
            let label = truncate(&r.label, 40);
            let x = self.px(r.value);
            vertical_ref(c, x, (self.top, self.bottom), &label, PAD, self.top - 6.0);
        }
    }
}

/// A dashed vertical reference line at `x` over `span` (top, bottom), its label centred
/// on it at `label_y` and shifted inwards near the edges (no further left than `left`)
/// so that it is not cut off.
pub(crate) fn vertical_ref(
    c: &mut Canvas,
    x: f64,
    span: (f64, f64),
    label: &str,
    left: f64,
    label_y: f64,
) {
    c.line(x, span.0, x, span.1, REF_COLOUR, 2.0, Some("7 5"), "ref");
    let mut st = TextStyle::new(TICK_SIZE, Anchor::Middle);
    st.halo = true;
    st.fill = REF_COLOUR;
    let half = text_width(label, TICK_SIZE) / 2.0;
    let tx = x.clamp(left + half, WIDTH - PAD - half);
    c.text(tx, label_y, &st, label);
}

/// A pixel box something was drawn in; reference labels avoid these.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Mark {
    pub(crate) fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        Mark {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    fn overlaps(&self, o: &Mark) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }

    /// Marks along a polyline, at most `step` px apart, so a steep segment between two
    /// distant points still counts as occupying the space it crosses.
    pub(crate) fn along(points: &[(f64, f64)], step: f64) -> Vec<Mark> {
        let mut out = Vec::with_capacity(points.len());
        for (i, &(x, y)) in points.iter().enumerate() {
            out.push(Mark::new(x, y, x, y));
            if let Some(&(nx, ny)) = points.get(i + 1) {
                let len = ((nx - x).powi(2) + (ny - y).powi(2)).sqrt();
                let k = (len / step).ceil().min(1000.0) as usize;
                for j in 1..k {
                    let f = j as f64 / k as f64;
                    let (px, py) = (x + (nx - x) * f, y + (ny - y) * f);
                    out.push(Mark::new(px, py, px, py));
                }
            }
        }
        out
    }
}

/// Draws a chart with only its title and a "no data" note; used when nothing finite is
/// left to plot, so a report never ships a blank or broken figure.
pub(crate) fn no_data(title: &str) -> String {
    let mut c = Canvas::new(title);
    draw_title(&mut c, title);
    let mut st = TextStyle::new(20.0, Anchor::Middle);
    st.fill = MUTED;
    c.text(WIDTH / 2.0, HEIGHT / 2.0, &st, "no data");
    c.finish()
}

fn draw_title(c: &mut Canvas, title: &str) {
    let mut st = TextStyle::new(TITLE_SIZE, Anchor::Start);
    st.bold = true;
    // Bold glyphs run about 10 % wider than the regular estimate.
    let max_chars = ((WIDTH - 2.0 * PAD) / (TITLE_SIZE * 0.66)) as usize;
    c.text(PAD, 34.0, &st, &truncate(title, max_chars));
}

/// Lays legend items out in rows across the width. Returns (x, row) per item and the
/// number of rows.
fn legend_layout(items: &[LegendItem]) -> (Vec<(f64, usize, String)>, usize) {
    let mut out = Vec::with_capacity(items.len());
    let (mut x, mut row) = (PAD, 0usize);
    for it in items {
        // A name is cut only when it cannot fit a row of its own.
        let name = truncate(
            &it.name,
            ((WIDTH - 2.0 * PAD - 52.0) / (LEGEND_SIZE * 0.6)) as usize,
        );
        let w = 30.0 + text_width(&name, LEGEND_SIZE) + 22.0;
        if x > PAD && x + w > WIDTH - PAD {
            x = PAD;
            row += 1;
        }
        out.push((x, row, name));
        x += w;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (out, rows)
}

fn draw_legend(c: &mut Canvas, items: &[LegendItem], top: f64) {
    let (pos, _) = legend_layout(items);
    for (it, (x, row, name)) in items.iter().zip(pos) {
        let mid = top + row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        match it.swatch {
            Swatch::Line => c.line(
                x,
                mid,
                x + 24.0,
                mid,
                colour(it.index),
                3.0,
                dash(it.index),
                "legend",
            ),
            Swatch::Box => c.rect(x + 5.0, mid - 7.0, 14.0, 14.0, colour(it.index), "legend"),
        }
        let st = TextStyle::new(LEGEND_SIZE, Anchor::Start);
        c.text(x + 30.0, mid + 5.0, &st, &name);
    }
}

/// How a value axis picks its ticks: at most `max_target` intervals, shrinking until the
/// widest label plus `gap` px fits between neighbours; `zero` keeps 0 on the axis.
#[derive(Clone, Copy)]
pub(crate) struct TickFit {
    pub max_target: usize,
    pub zero: bool,
    pub gap: f64,
}

/// Picks x ticks whose labels do not collide at the given plot width.
pub(crate) fn fit_ticks(
    axis: &Axis,
    lo: f64,
    hi: f64,
    width: f64,
    how: TickFit,
) -> (Ticks, AxisFormat) {
    let mut best = None;
    for target in (2..=how.max_target).rev() {
        let t = axis_ticks(axis, lo, hi, how.zero, target);
        let f = AxisFormat::new(axis, &t);
        let widest = t
            .values
            .iter()
            .map(|v| text_width(&f.tick(*v), TICK_SIZE))
            .fold(0.0, f64::max);
        let spacing = width / (t.values.len().max(2) - 1) as f64;
        let fits = widest + how.gap <= spacing;
        best = Some((t, f));
        if fits {
            break;
        }
    }
    best.expect("the loop runs at least once")
}

impl Frame<'_> {
    pub(crate) fn draw(self, c: &mut Canvas) -> Area {
        draw_title(c, self.title);
        let legend_top = 48.0;
        let (_, legend_rows) = legend_layout(&self.legend);
        draw_legend(c, &self.legend, legend_top);
        // Room for x reference labels between the legend and the plot.
        let top = legend_top + legend_rows as f64 * LEGEND_ROW + 24.0;

        let y_ticks = axis_ticks(self.y, self.y_lo, self.y_hi, self.y_zero, 6);
        let y_fmt = AxisFormat::new(self.y, &y_ticks);
        let y_label_w = y_ticks
            .values
            .iter()
            .map(|v| text_width(&y_fmt.tick(*v), TICK_SIZE))
            .fold(0.0, f64::max);
        let y_title_room = if y_fmt.title.is_empty() { 0.0 } else { 26.0 };
        let left = PAD + y_title_room + y_label_w + 12.0;

        // The bottom margin depends on how many lines the x labels need.
        let (bottom, right, x_ticks, x_fmt, cats, bands) = match &self.x {
            XKind::Numeric { axis, lo, hi } => {
                let right0 = WIDTH - 28.0;
                let (t, f) = fit_ticks(
                    axis,
                    *lo,
                    *hi,
                    right0 - left,
                    TickFit {
                        max_target: 8,
                        zero: false,
                        gap: 14.0,
                    },
                );
                // Half of the last tick label hangs past the plot's right edge.
                let last_w = text_width(&f.tick(t.hi), TICK_SIZE);
                let right = (WIDTH - PAD - last_w / 2.0).min(right0);
                let title_room = if f.title.is_empty() { 0.0 } else { 28.0 };
                (HEIGHT - 34.0 - title_room, right, Some(t), Some(f), None, 0)
            }
            XKind::Categories { labels, title } => {
                let right = WIDTH - 24.0;
                let n = labels.len().max(1);
                let band = (right - left) / n as f64;
                let max_chars = ((band - 6.0) / (TICK_SIZE * 0.6)).floor().max(1.0) as usize;
                let title_room = if title.is_empty() { 0.0 } else { 28.0 };
                // Narrow bands would wrap names into unreadable 3-letter stubs: slant them.
                let slant = max_chars < 10 && labels.iter().any(|l| l.chars().count() > max_chars);
                let cats = if slant {
                    let (cos, sin) = (SLANT.to_radians().cos(), SLANT.to_radians().sin());
                    let texts: Vec<String> = labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            // Keep the slanted text's left end on the canvas.
                            let cx = left + band * (i as f64 + 0.5);
                            let fit = ((cx - 4.0) / cos / (TICK_SIZE * 0.6)) as usize;
                            truncate_middle(l, fit.clamp(3, 22))
                        })
                        .collect();
                    let widest = texts
                        .iter()
                        .map(|t| text_width(t, TICK_SIZE))
                        .fold(0.0, f64::max);
                    let room = widest * sin + TICK_SIZE * cos + 12.0;
                    CatLabels::Slanted { texts, room }
                } else {
                    CatLabels::Wrapped(labels.iter().map(|l| wrap_words(l, max_chars, 3)).collect())
                };
                let bottom = HEIGHT - 18.0 - cats.room() - title_room;
                (bottom, right, None, None, Some(cats), n)
            }
        };

        let area = Area {
            left,
            top,
            right,
            bottom,
            y_ticks,
            y_fmt,
            x_ticks,
            bands,
        };

        // Gridlines and y tick labels.
        let tick_st = TextStyle::new(TICK_SIZE, Anchor::End);
        for v in &area.y_ticks.values {
            let y = area.py(*v);
            let (stroke, class) = if *v == 0.0 && area.y_ticks.lo < 0.0 {
                ("#888888", "zero")
            } else {
                (GRID, "grid")
            };
            c.line(left, y, right, y, stroke, 1.0, None, class);
            c.text(left - 8.0, y + 5.0, &tick_st, &area.y_fmt.tick(*v));
        }
        if !area.y_fmt.title.is_empty() {
            let mut st = TextStyle::new(AXIS_TITLE_SIZE, Anchor::Middle);
            st.rotate = -90.0;
            st.fill = TEXT;
            let max_chars = ((bottom - top) / (AXIS_TITLE_SIZE * 0.6)) as usize;
            c.text(
                PAD + 14.0,
                (top + bottom) / 2.0,
                &st,
                &truncate(&area.y_fmt.title, max_chars),
            );
        }
        c.line(left, top, left, bottom, MUTED, 1.0, None, "axis");
        c.line(left, bottom, right, bottom, MUTED, 1.0, None, "axis");

        match (&self.x, &area.x_ticks, &x_fmt) {
            (XKind::Numeric { .. }, Some(t), Some(f)) => {
                let st = TextStyle::new(TICK_SIZE, Anchor::Middle);
                for v in &t.values {
                    let x = area.px(*v);
                    c.line(x, bottom, x, bottom + 5.0, MUTED, 1.0, None, "tick");
                    c.text(x, bottom + 22.0, &st, &f.tick(*v));
                }
                if !f.title.is_empty() {
                    let st = TextStyle::new(AXIS_TITLE_SIZE, Anchor::Middle);
                    let max_chars = ((right - left) / (AXIS_TITLE_SIZE * 0.6)) as usize;
                    c.text(
                        (left + right) / 2.0,
                        bottom + 50.0,
                        &st,
                        &truncate(&f.title, max_chars),
                    );
                }
            }
            (XKind::Categories { title, .. }, _, _) => {
                let room = cats.as_ref().map_or(CATEGORY_LINE, CatLabels::room);
                match &cats {
                    Some(CatLabels::Wrapped(all)) => {
                        let st = TextStyle::new(TICK_SIZE, Anchor::Middle);
                        for (i, lines) in all.iter().enumerate() {
                            let (x0, w) = area.band(i);
                            for (k, line) in lines.iter().enumerate() {
                                let y = bottom + 20.0 + k as f64 * CATEGORY_LINE;
                                c.text(x0 + w / 2.0, y, &st, line);
                            }
                        }
                    }
                    Some(CatLabels::Slanted { texts, .. }) => {
                        let mut st = TextStyle::new(TICK_SIZE, Anchor::End);
                        st.rotate = -SLANT;
                        for (i, t) in texts.iter().enumerate() {
                            let (x0, w) = area.band(i);
                            c.text(x0 + w / 2.0 + 4.0, bottom + 16.0, &st, t);
                        }
                    }
                    None => {}
                }
                if !title.is_empty() {
                    let st = TextStyle::new(AXIS_TITLE_SIZE, Anchor::Middle);
                    c.text((left + right) / 2.0, bottom + room + 26.0, &st, title);
                }
            }
            _ => {}
        }
        area
    }
}
