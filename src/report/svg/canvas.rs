//! A minimal SVG writer. Every attribute value that comes from a caller goes through
//! `escape_xml`; every number goes through `num`, so output is byte-stable.

use std::fmt::Write;

use crate::report::escape::escape_xml;

pub(crate) const WIDTH: f64 = 960.0;
pub(crate) const HEIGHT: f64 = 540.0;

/// System fonts only: a report must render offline and on a locked-down laptop.
const FONT_FAMILY: &str =
    "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif";
pub(crate) const TEXT: &str = "#222222";
pub(crate) const MUTED: &str = "#555555";
pub(crate) const GRID: &str = "#dddddd";

/// Okabe–Ito palette (distinguishable under the common colour-vision deficiencies),
/// without its yellow, which vanishes on white at slide distance.
pub(crate) const PALETTE: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
];
/// Past seven series colours repeat, so the line style changes instead.
const DASHES: [Option<&str>; 4] = [None, Some("9 5"), Some("2 4"), Some("10 4 2 4")];

pub(crate) fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

pub(crate) fn dash(i: usize) -> Option<&'static str> {
    DASHES[(i / PALETTE.len()) % DASHES.len()]
}

/// A coordinate with one decimal: enough for 960 px, and `-0` never appears.
pub(crate) fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// Width of `text` at `size` px, estimated without font metrics. 0.6 em per character
/// is on the wide side for the sans-serif fonts above, so layout errs towards space.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// Shortens `text` to at most `max_chars` characters, marking the cut with "…".
pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    let n = text.chars().count();
    if n <= max_chars {
        return text.to_string();
    }
    let keep = max_chars.saturating_sub(1);
    let mut s: String = text.chars().take(keep).collect();
    s.push('…');
    s
}

/// Shortens `text` to at most `max_chars` by cutting out its middle, for names that
/// differ only at the end ("L80aos v5 × 64" vs "… × 128").
pub(crate) fn truncate_middle(text: &str, max_chars: usize) -> String {
    let n = text.chars().count();
    if n <= max_chars || max_chars < 5 {
        return truncate(text, max_chars);
    }
    let tail = (max_chars - 1) / 2;
    let head = max_chars - 1 - tail;
    let mut s: String = text.chars().take(head).collect();
    s.push('…');
    s.extend(text.chars().skip(n - tail));
    s
}

/// Splits `text` into at most `max_lines` lines of at most `max_chars` characters at
/// spaces, never inside a word: a word longer than a line is broken
/// after one of its own separators ("azstor-bf3-" / "hyp"), and only a word with no
/// separator to break at is shortened in its middle, marked with "…".
pub(crate) fn wrap_words(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let max_chars = max_chars.max(5);
    // Each piece with whether it continues the same word (no space before it).
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for word in text.split_whitespace() {
        if word.chars().count() <= max_chars {
            pieces.push((word.to_string(), false));
            continue;
        }
        // Split after separators into parts, then pack the parts into lines.
        let mut parts: Vec<String> = Vec::new();
        let mut cur = String::new();
        for ch in word.chars() {
            cur.push(ch);
            if matches!(ch, '-' | '_' | '/' | '.' | ',') {
                parts.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            parts.push(cur);
        }
        let mut line = String::new();
        let mut first = true;
        for part in parts {
            if !line.is_empty() && line.chars().count() + part.chars().count() > max_chars {
                pieces.push((std::mem::take(&mut line), !first));
                first = false;
            }
            line.push_str(&part);
        }
        if !line.is_empty() {
            pieces.push((line, !first));
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (p, glued) in pieces {
        let p = if p.chars().count() > max_chars {
            truncate_middle(&p, max_chars)
        } else {
            p
        };
        let sep = usize::from(!cur.is_empty() && !glued);
        if cur.is_empty() || cur.chars().count() + sep + p.chars().count() <= max_chars {
            if sep == 1 {
                cur.push(' ');
            }
            cur.push_str(&p);
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = p;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let cut = truncate(last, max_chars.saturating_sub(1));
            *last = if cut.ends_with('…') {
                cut
            } else {
                format!("{cut}…")
            };
        }
    }
    lines
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Text styling for [`Canvas::text`].
pub(crate) struct TextStyle {
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub fill: &'static str,
    /// Degrees, around the text's anchor point.
    pub rotate: f64,
    /// A white outline under the glyphs, for labels drawn over data.
    pub halo: bool,
}

impl TextStyle {
    pub(crate) fn new(size: f64, anchor: Anchor) -> Self {
        TextStyle {
            size,
            anchor,
            bold: false,
            fill: TEXT,
            rotate: 0.0,
            halo: false,
        }
    }
}

pub(crate) struct Canvas {
    out: String,
}

impl Canvas {
    pub(crate) fn new(title: &str) -> Self {
        Canvas::sized(title, WIDTH, HEIGHT)
    }

    /// A canvas of another height (charts whose rows or panels set their height); the
    /// width stays the shared 960 px so every chart scales alike on the page.
    pub(crate) fn sized(title: &str, width: f64, height: f64) -> Self {
        let mut out = String::with_capacity(8 * 1024);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" font-family=\"{FONT_FAMILY}\" class=\"vp-chart\">",
            w = num(width),
            h = num(height),
        );
        let _ = write!(out, "<title>{}</title>", escape_xml(title));
        // An opaque background, so the chart reads the same pasted on a dark slide.
        let _ = write!(
            out,
            "<rect class=\"background\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            num(width),
            num(height)
        );
        Canvas { out }
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }

    pub(crate) fn text(&mut self, x: f64, y: f64, style: &TextStyle, content: &str) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\"",
            num(x),
            num(y),
            num(style.size),
            style.anchor.as_str(),
            style.fill
        );
        if style.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        if style.rotate != 0.0 {
            let _ = write!(
                self.out,
                " transform=\"rotate({} {} {})\"",
                num(style.rotate),
                num(x),
                num(y)
            );
        }
        if style.halo {
            self.out.push_str(
                " stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
            );
        }
        let _ = write!(self.out, ">{}</text>", escape_xml(content));
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn line(
        &mut self,
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: &str,
        width: f64,
        dash: Option<&str>,
        class: &str,
    ) {
        let _ = write!(
            self.out,
            "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            num(width)
        );
        if let Some(d) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{d}\"");
        }
        self.out.push_str("/>");
    }

    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, class: &str) {
        let _ = write!(
            self.out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// A rect with a tooltip (`<title>` child): the exact value survives rounding on the
    /// axis for a reader who hovers.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rect_titled(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        class: &str,
        tip: &str,
    ) {
        let _ = write!(
            self.out,
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"><title>{}</title></rect>",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            escape_xml(tip)
        );
    }

    pub(crate) fn polyline(
        &mut self,
        points: &[(f64, f64)],
        stroke: &str,
        width: f64,
        dash: Option<&str>,
        tip: &str,
    ) {
        self.out.push_str("<polyline class=\"series\" points=\"");
        for (i, (x, y)) in points.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            let _ = write!(self.out, "{},{}", num(*x), num(*y));
        }
        let _ = write!(
            self.out,
            "\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
            num(width)
        );
        if let Some(d) = dash {
            let _ = write!(self.out, " stroke-dasharray=\"{d}\"");
        }
        let _ = write!(self.out, "><title>{}</title></polyline>", escape_xml(tip));
    }

    pub(crate) fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str, class: &str) {
        let _ = write!(
            self.out,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"/>",
            num(cx),
            num(cy),
            num(r)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(3.25), "3.2");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn wrapping() {
        assert_eq!(
            wrap_words("L80s v3 × 24 nodes", 10, 3),
            vec!["L80s v3 ×", "24 nodes"]
        );
        assert_eq!(wrap_words("a b c d e f g h", 5, 2), vec!["a b c", "d e…"]);
        assert!(wrap_words("", 5, 2).is_empty());
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate_middle("Candidate number 12", 9), "Cand…r 12");
        assert_eq!(truncate_middle("short", 9), "short");
    }

    #[test]
    fn word_wrapping_never_breaks_mid_word() {
        assert_eq!(
            wrap_words("azstor-bf3-hyp", 12, 3),
            vec!["azstor-bf3-", "hyp"]
        );
        assert_eq!(
            wrap_words("8 x azstor-bf3-hyp", 12, 3),
            vec!["8 x", "azstor-bf3-", "hyp"]
        );
        assert_eq!(wrap_words("L96as_v5 x 40", 20, 3), vec!["L96as_v5 x 40"]);
        assert_eq!(wrap_words("abcdefghijklmno", 9, 2), vec!["abcd…lmno"]);
        assert_eq!(
            wrap_words("rebuilds. Dashed", 40, 2),
            vec!["rebuilds. Dashed"]
        );
    }
}
