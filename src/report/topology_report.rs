//! What scripted incidents did to a candidate, rack by rack: a table of the incidents
//! (read rate before and during, GPU utilisation, recovery, data unavailability) and a
//! rack × time heatmap of the binding resource's utilisation.
//!
//! The heatmap is its own small SVG writer (the shared `Canvas` is private to the chart
//! module) but follows the same rules: 960 px wide and at most 540 px tall, an opaque white
//! background, an accessible `<title>`, fonts of at least 14 px, and byte-stable numbers.

use std::fmt::Write;

use super::escape::escape_xml;
use super::format::{fmt_bytes_per_s, fmt_pct, fmt_sig};
use super::svg::ticks::nice_ticks;
use super::{Chart, Page, Table};
use vastplan_models::simulate::{IncidentResult, SimResult};

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 540.0;
const PAD: f64 = 16.0;
const FONT: &str =
    "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
const TEXT: &str = "#222222";
const MUTED: &str = "#555555";
/// Cells with no value (a sample with fewer racks than the labels).
const MISSING: &str = "#e6e6e6";
/// More columns than this are averaged in neighbouring groups, so a long run does not
/// draw tens of thousands of cells.
const MAX_COLUMNS: usize = 240;
/// Stops of a sequential, perceptually even scale (viridis), from 0 to 1.
const STOPS: [(f64, [u8; 3]); 5] = [
    (0.0, [68, 1, 84]),
    (0.25, [59, 82, 139]),
    (0.5, [33, 145, 140]),
    (0.75, [94, 201, 98]),
    (1.0, [253, 231, 37]),
];

/// One decimal, no `-0`, so the output is byte-stable.
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A tick value without trailing zeros ("0.25", "1").
fn tick_label(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The scale's colour for a utilisation (clamped to 0..1); grey for none.
pub fn heat_colour(u: f64) -> String {
    if !u.is_finite() {
        return MISSING.into();
    }
    let u = u.clamp(0.0, 1.0);
    let i = STOPS
        .windows(2)
        .position(|w| u <= w[1].0)
        .unwrap_or(STOPS.len() - 2);
    let ((a, ca), (b, cb)) = (STOPS[i], STOPS[i + 1]);
    let f = if b > a { (u - a) / (b - a) } else { 0.0 };
    let c: Vec<u8> = (0..3)
        .map(|k| (ca[k] as f64 + f * (cb[k] as f64 - ca[k] as f64)).round() as u8)
        .collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Rows are racks (or bands of racks), columns are samples, colour is utilisation.
#[derive(Debug, Clone, Default)]
pub struct RackHeatmap {
    pub title: String,
    pub subtitle: String,
    pub rack_labels: Vec<String>,
    /// End of each sample, days.
    pub times_d: Vec<f64>,
    /// `values[sample][rack]`, utilisation 0..1.
    pub values: Vec<Vec<f64>>,
}

impl RackHeatmap {
    pub fn from_sim(title: impl Into<String>, sim: &SimResult) -> Self {
        RackHeatmap {
            title: title.into(),
            subtitle: format!(
                "Utilisation of the binding resource ({}) per rack, mean over each sample interval.",
                sim.binding_resource
            ),
            rack_labels: sim.rack_labels.clone(),
            times_d: sim.series.iter().map(|p| p.time_s / 86_400.0).collect(),
            values: sim
                .series
                .iter()
                .map(|p| p.rack_utilisation.clone())
                .collect(),
        }
    }

    /// The columns to draw: (start day, end day, one value per rack), neighbouring
    /// samples averaged when there are more than `MAX_COLUMNS`.
    fn columns(&self) -> Vec<(f64, f64, Vec<f64>)> {
        let n = self.times_d.len().min(self.values.len());
        if n == 0 {
            return Vec::new();
        }
        let group = n.div_ceil(MAX_COLUMNS);
        let rows = self.rack_labels.len();
        let step = if n > 1 {
            self.times_d[1] - self.times_d[0]
        } else {
            self.times_d[0]
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let j = (i + group).min(n);
            let start = if i == 0 {
                self.times_d[0] - step
            } else {
                self.times_d[i - 1]
            };
            let vals = (0..rows)
                .map(|r| {
                    let (s, k) = self.values[i..j]
                        .iter()
                        .filter_map(|v| v.get(r).copied().filter(|x| x.is_finite()))
                        .fold((0.0, 0usize), |(s, k), x| (s + x, k + 1));
                    if k == 0 {
                        f64::NAN
                    } else {
                        s / k as f64
                    }
                })
                .collect();
            out.push((start.max(0.0), self.times_d[j - 1], vals));
            i = j;
        }
        out
    }

    pub fn to_svg(&self) -> String {
        let mut o = String::with_capacity(64 * 1024);
        let _ = write!(
            o,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" font-family=\"{FONT}\" class=\"vp-chart\">",
            w = num(WIDTH),
            h = num(HEIGHT)
        );
        let _ = write!(o, "<title>{}</title>", escape_xml(&self.title));
        let _ = write!(
            o,
            "<rect class=\"background\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            num(WIDTH),
            num(HEIGHT)
        );
        let text = |o: &mut String,
                    x: f64,
                    y: f64,
                    size: f64,
                    anchor: &str,
                    fill: &str,
                    s: &str| {
            let _ = write!(
                o,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
                num(x),
                num(y),
                num(size),
                escape_xml(s)
            );
        };
        let bold_title = format!(
            "<text x=\"{}\" y=\"34\" font-size=\"22\" text-anchor=\"start\" fill=\"{TEXT}\" font-weight=\"bold\">{}</text>",
            num(PAD),
            escape_xml(&self.title)
        );
        o.push_str(&bold_title);
        if !self.subtitle.is_empty() {
            text(&mut o, PAD, 60.0, 14.0, "start", MUTED, &self.subtitle);
        }
        let cols = self.columns();
        let rows = self.rack_labels.len();
        if cols.is_empty() || rows == 0 {
            text(
                &mut o,
                WIDTH / 2.0,
                HEIGHT / 2.0,
                16.0,
                "middle",
                MUTED,
                "no data",
            );
            o.push_str("</svg>");
            return o;
        }
        let label_w = self
            .rack_labels
            .iter()
            .map(|l| l.chars().count() as f64 * 14.0 * 0.6)
            .fold(0.0, f64::max)
            .min(180.0);
        let (left, right) = (PAD + label_w + 10.0, WIDTH - PAD - 96.0);
        let (top, bottom) = (78.0, HEIGHT - 64.0);
        let t0 = cols[0].0;
        let t1 = cols[cols.len() - 1].1;
        let span = if t1 > t0 { t1 - t0 } else { 1.0 };
        let px = |t: f64| left + (t - t0) / span * (right - left);
        let rh = (bottom - top) / rows as f64;
        let cell = |o: &mut String, x0: f64, x1: f64, y0: f64, h: f64, fill: &str| {
            let _ = write!(
                o,
                "<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
                num(x0),
                num(y0),
                num((x1 - x0).max(0.5)),
                num(h)
            );
        };
        // Label every k-th row so labels never overlap.
        let every = (16.0 / rh).ceil().max(1.0) as usize;
        for (r, l) in self.rack_labels.iter().enumerate() {
            let y0 = top + r as f64 * rh;
            // Neighbouring cells of one colour are drawn as one rect: fewer elements and no
            // anti-aliased seams between them.
            let _ = write!(
                o,
                "<g class=\"rack\" shape-rendering=\"crispEdges\"><title>{}</title>",
                escape_xml(l)
            );
            let mut run: Option<(f64, f64, String)> = None;
            for (a, b, vals) in cols.iter().filter(|(a, b, _)| b > a) {
                let c = heat_colour(vals.get(r).copied().unwrap_or(f64::NAN));
                match &mut run {
                    Some((_, end, rc)) if *rc == c => *end = *b,
                    _ => {
                        if let Some((x0, x1, rc)) = run.take() {
                            cell(&mut o, px(x0), px(x1), y0, rh, &rc);
                        }
                        run = Some((*a, *b, c));
                    }
                }
            }
            if let Some((x0, x1, rc)) = run {
                cell(&mut o, px(x0), px(x1), y0, rh, &rc);
            }
            o.push_str("</g>");
            if r % every == 0 {
                let max_chars = (label_w / (14.0 * 0.6)).floor() as usize;
                let l: String = if l.chars().count() > max_chars {
                    let mut s: String = l.chars().take(max_chars.saturating_sub(1)).collect();
                    s.push('…');
                    s
                } else {
                    l.clone()
                };
                text(
                    &mut o,
                    left - 8.0,
                    y0 + rh / 2.0 + 5.0,
                    14.0,
                    "end",
                    TEXT,
                    &l,
                );
            }
        }
        let _ = write!(
            o,
            "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{MUTED}\" stroke-width=\"1\"/>",
            num(left),
            num(top),
            num(right - left),
            num(bottom - top)
        );
        // Time axis, in days.
        let ticks = nice_ticks(t0, t1, 6);
        for v in ticks
            .values
            .iter()
            .filter(|v| **v >= t0 - 1e-9 && **v <= t1 + 1e-9)
        {
            let x = px(*v);
            let _ = write!(
                o,
                "<line x1=\"{x}\" y1=\"{b}\" x2=\"{x}\" y2=\"{b6}\" stroke=\"{MUTED}\" stroke-width=\"1\"/>",
                x = num(x),
                b = num(bottom),
                b6 = num(bottom + 6.0)
            );
            text(
                &mut o,
                x,
                bottom + 24.0,
                14.0,
                "middle",
                TEXT,
                &tick_label(*v),
            );
        }
        text(
            &mut o,
            (left + right) / 2.0,
            bottom + 50.0,
            15.0,
            "middle",
            MUTED,
            "Time (days)",
        );
        // Legend: a vertical colour bar from 0 % (bottom) to 100 % (top).
        let (lx, lw) = (right + 24.0, 18.0);
        let (ltop, lbot) = (top + 22.0, bottom);
        text(
            &mut o,
            lx - 4.0,
            top + 10.0,
            14.0,
            "start",
            TEXT,
            "Utilisation",
        );
        let steps = 50;
        let sh = (lbot - ltop) / steps as f64;
        for k in 0..steps {
            let u = (k as f64 + 0.5) / steps as f64;
            let y = lbot - (k + 1) as f64 * sh;
            let _ = write!(
                o,
                "<rect class=\"legend\" shape-rendering=\"crispEdges\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                num(lx),
                num(y),
                num(lw),
                num(sh + 0.4),
                heat_colour(u)
            );
        }
        for (u, l) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            let y = lbot - u * (lbot - ltop);
            text(&mut o, lx + lw + 6.0, y + 5.0, 14.0, "start", TEXT, l);
        }
        o.push_str("</svg>");
        o
    }
}

impl Chart for RackHeatmap {
    fn to_svg(&self) -> String {
        RackHeatmap::to_svg(self)
    }
    fn title(&self) -> &str {
        &self.title
    }
}

/// How an incident's target reads: racks and leaves hit a rack, a spine a plane, the
/// rest a device.
fn target(i: &IncidentResult) -> String {
    match i.kind.as_str() {
        "rack" | "leaf" => format!("rack {}", i.target),
        "spine" => format!("plane {}", i.target),
        "drive" => format!("drive {}", i.target),
        _ => format!("device {}", i.target),
    }
}

/// The incident table of one simulation.
pub fn incident_table(sim: &SimResult) -> Table {
    let mut t = Table::new([
        "Incident",
        "Day",
        "Target",
        "Read before → during",
        "GPU utilisation during",
        "Recovered after",
        "Data unavailable",
    ]);
    for i in &sim.incidents {
        t.row([
            i.kind.clone(),
            format!("{:.2}", i.day),
            target(i),
            format!(
                "{} → {}",
                fmt_bytes_per_s(i.read_gbs_before * 1e9),
                fmt_bytes_per_s(i.read_gbs_during * 1e9)
            ),
            i.gpu_utilisation_during
                .map_or("-".into(), |u| fmt_pct(u, 1)),
            match i.recovered_after_s {
                Some(0.0) => "no dip".into(),
                Some(s) => format!("{} s", fmt_sig(s, 3)),
                None => "not by the end".into(),
            },
            if i.data_unavailable { "yes" } else { "no" }.into(),
        ]);
    }
    t
}

/// Adds an "Incidents" section with a table and a rack heatmap for each candidate (by
/// name) whose simulation scripted incidents; adds nothing when none did.
pub fn incidents_section(page: &mut Page, sims: &[(String, &SimResult)]) {
    let hit: Vec<&(String, &SimResult)> = sims
        .iter()
        .filter(|(_, s)| !s.incidents.is_empty())
        .collect();
    if hit.is_empty() {
        return;
    }
    page.section("Incidents, rack by rack").paragraph(
        "Each scripted incident with the client read rate just before it and while it lasted, the GPUs' utilisation meanwhile and when reads were back to 99 % of before; under it, the load on the binding resource in every rack over the run.",
    );
    for (name, sim) in hit {
        page.subsection(name.clone())
            .table(incident_table(sim).with_caption(format!("Incidents: {name}")));
        let map = RackHeatmap::from_sim(format!("Binding-resource load per rack: {name}"), sim);
        page.chart(
            &map,
            "Rows are racks (or bands of neighbouring racks), columns are sample intervals; brighter is busier.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_fits_and_has_a_title_and_legend() {
        let m = RackHeatmap {
            title: "Load <per> rack".into(),
            subtitle: String::new(),
            rack_labels: vec!["rack 0".into(), "rack 1".into()],
            times_d: (1..=4).map(|i| i as f64 / 4.0).collect(),
            values: vec![
                vec![0.1, 0.9],
                vec![0.2, 1.0],
                vec![0.3, f64::NAN],
                vec![0.4],
            ],
        };
        let svg = m.to_svg();
        assert!(svg.contains("<title>Load &lt;per&gt; rack</title>"));
        assert!(svg.contains("viewBox=\"0 0 960 540\""));
        // Row 1's last two samples are both missing: one rect.
        assert_eq!(svg.matches("class=\"cell\"").count(), 7);
        assert_eq!(tick_label(0.25), "0.25");
        assert_eq!(tick_label(1.0), "1");
        assert!(svg.contains(">100%<") && svg.contains(MISSING));
        assert_eq!(svg, m.to_svg());
    }

    #[test]
    fn long_runs_are_binned_and_colours_span_the_scale() {
        let n = 1000;
        let m = RackHeatmap {
            title: "t".into(),
            rack_labels: vec!["r".into()],
            times_d: (1..=n).map(|i| i as f64).collect(),
            values: vec![vec![0.5]; n],
            ..Default::default()
        };
        assert!(m.columns().len() <= MAX_COLUMNS);
        assert_eq!(heat_colour(0.0), "#440154");
        assert_eq!(heat_colour(1.0), "#fde725");
        assert_eq!(heat_colour(f64::NAN), MISSING);
        assert!(RackHeatmap::default().to_svg().contains("no data"));
    }
}
