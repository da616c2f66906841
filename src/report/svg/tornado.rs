//! A tornado chart: one horizontal bar per input, from the answer at the input's low value
//! to the answer at its high value, around a vertical line at the base answer; widest
//! swing on top. Bars of inputs that change the decision are marked.

use super::canvas::{colour, text_width, truncate, Anchor, Canvas, TextStyle, HEIGHT, WIDTH};
use super::frame::no_data;
use super::ticks::nice_ticks;
use super::Chart;

/// One input: the answer at its low and high value, and whether it flips the decision.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub at_low: f64,
    pub at_high: f64,
    pub flips: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TornadoChart {
    pub title: String,
    /// What the bars measure, e.g. "$/month of the recommended candidate".
    pub x_label: String,
    pub base: f64,
    pub bars: Vec<TornadoBar>,
    /// Formats a value on the axis and in tooltips.
    pub money: bool,
}

const LABEL_SIZE: f64 = 14.0;
const MAX_BARS: usize = 14;

fn fmt(v: f64, money: bool) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if x.abs() >= 100.0 {
        format!("{x:.0}{suffix}")
    } else {
        format!("{x:.1}{suffix}")
    };
    if money {
        format!("${s}")
    } else {
        s
    }
}

impl TornadoChart {
    pub fn to_svg(&self) -> String {
        let mut bars: Vec<&TornadoBar> = self
            .bars
            .iter()
            .filter(|b| b.at_low.is_finite() && b.at_high.is_finite())
            .collect();
        if bars.is_empty() || !self.base.is_finite() {
            return no_data(&self.title);
        }
        bars.sort_by(|a, b| {
            let sa = (a.at_high - a.at_low).abs();
            let sb = (b.at_high - b.at_low).abs();
            sb.total_cmp(&sa)
        });
        bars.truncate(MAX_BARS);
        let lo = bars
            .iter()
            .map(|b| b.at_low.min(b.at_high))
            .fold(self.base, f64::min);
        let hi = bars
            .iter()
            .map(|b| b.at_low.max(b.at_high))
            .fold(self.base, f64::max);
        let (lo, hi) = if hi - lo <= 0.0 {
            (lo - 1.0, hi + 1.0)
        } else {
            (lo, hi)
        };
        let t = nice_ticks(lo, hi, 6);
        let (t_lo, t_hi) = (t.lo.min(lo), t.hi.max(hi));
        let ticks = t.values;
        let mut c = Canvas::new(&self.title);
        let mut title = TextStyle::new(18.0, Anchor::Start);
        title.bold = true;
        c.text(16.0, 28.0, &title, &self.title);
        // Labels on the left get the width the longest needs, within a third of the chart.
        let label_chars = (WIDTH * 0.4 / (LABEL_SIZE * 0.6)) as usize;
        let left = bars
            .iter()
            .map(|b| text_width(&truncate(&b.label, label_chars), LABEL_SIZE))
            .fold(0.0, f64::max)
            .min(WIDTH * 0.4)
            + 24.0;
        // Room under the plot for tick labels, the axis title and the legend, each on a
        // line of its own.
        // The last tick's label is centred on the plot's right edge: leave it half its width.
        let (top, bottom, right) = (52.0, HEIGHT - 90.0, WIDTH - 48.0);
        let px = |v: f64| left + (v - t_lo) / (t_hi - t_lo) * (right - left);
        let band = (bottom - top) / bars.len() as f64;
        let axis = TextStyle::new(LABEL_SIZE, Anchor::Middle);
        for t in &ticks {
            let x = px(*t);
            c.line(x, top, x, bottom, "#e0e0e0", 1.0, None, "grid");
            c.text(x, bottom + 20.0, &axis, &fmt(*t, self.money));
        }
        c.text(
            (left + right) / 2.0,
            bottom + 42.0,
            &TextStyle::new(LABEL_SIZE, Anchor::Middle),
            &self.x_label,
        );
        let lab = TextStyle::new(LABEL_SIZE, Anchor::End);
        for (i, b) in bars.iter().enumerate() {
            let y = top + band * i as f64;
            let h = (band * 0.7).min(28.0);
            let yb = y + (band - h) / 2.0;
            c.text(
                left - 8.0,
                yb + h / 2.0 + 5.0,
                &lab,
                &truncate(&b.label, label_chars),
            );
            // Low end in one colour, high end in another, each from the base line.
            for (v, col, end) in [(b.at_low, colour(0), "low"), (b.at_high, colour(1), "high")] {
                let (x0, x1) = (px(self.base.min(v)), px(self.base.max(v)));
                let tip = format!(
                    "{} at its {end} value: {}{}",
                    b.label,
                    fmt(v, self.money),
                    if b.flips {
                        " (changes the recommendation)"
                    } else {
                        ""
                    }
                );
                c.rect_titled(x0, yb, (x1 - x0).max(1.0), h, col, "bar", &tip);
            }
            if b.flips {
                let mut st = TextStyle::new(LABEL_SIZE, Anchor::Start);
                st.bold = true;
                st.halo = true;
                let x = px(b.at_low.max(b.at_high)) + 6.0;
                c.text(x.min(right - 20.0), yb + h / 2.0 + 5.0, &st, "⚑");
            }
        }
        let xb = px(self.base);
        c.line(xb, top - 6.0, xb, bottom, "#000000", 2.0, None, "base");
        let mut st = TextStyle::new(LABEL_SIZE, Anchor::Middle);
        st.halo = true;
        c.text(
            xb,
            top - 10.0,
            &st,
            &format!("base {}", fmt(self.base, self.money)),
        );
        // Legend: which colour is which end.
        let ly = HEIGHT - 14.0;
        let legend = TextStyle::new(LABEL_SIZE, Anchor::Start);
        let mut x = 16.0;
        let any_flip = bars.iter().any(|b| b.flips);
        let names: &[&str] = if any_flip {
            &[
                "input at its low value",
                "input at its high value",
                "⚑ changes the recommendation",
            ]
        } else {
            &["input at its low value", "input at its high value"]
        };
        for (i, name) in names.iter().enumerate() {
            if i < 2 {
                c.rect(x, ly - 11.0, 14.0, 14.0, colour(i), "swatch");
                x += 20.0;
            }
            c.text(x, ly, &legend, name);
            x += text_width(name, LABEL_SIZE) + 24.0;
        }
        c.finish()
    }
}

impl Chart for TornadoChart {
    fn to_svg(&self) -> String {
        TornadoChart::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widest_swing_first_and_flips_marked() {
        let t = TornadoChart {
            title: "t".into(),
            x_label: "$/month".into(),
            base: 100.0,
            bars: vec![
                TornadoBar {
                    label: "narrow".into(),
                    at_low: 95.0,
                    at_high: 105.0,
                    flips: false,
                },
                TornadoBar {
                    label: "wide".into(),
                    at_low: 60.0,
                    at_high: 150.0,
                    flips: true,
                },
            ],
            money: true,
        };
        let svg = t.to_svg();
        assert!(svg.find(">wide<").unwrap() < svg.find(">narrow<").unwrap());
        assert!(svg.contains("changes the recommendation"));
        assert!(svg.contains("base $100"));
    }

    #[test]
    fn nothing_finite_says_no_data() {
        let t = TornadoChart {
            title: "t".into(),
            base: f64::NAN,
            ..Default::default()
        };
        assert!(t.to_svg().contains("no data"));
    }
}
