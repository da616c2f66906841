//! One self-contained HTML file per report: inline CSS, inline SVG charts, no scripts
//! and a Content-Security-Policy that forbids every network fetch, so the file can be
//! mailed, archived and opened offline, and renders the same everywhere.

use std::fmt::Write;
use std::path::Path;

use super::escape::escape_xml as esc;
use super::svg::Chart;

/// Column alignment. Numbers are right-aligned so their digits line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A plain data table. Column alignment is inferred (a column whose non-empty cells all
/// look numeric is right-aligned) unless set with [`Table::align`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    align: Vec<Option<Align>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }

    pub fn with_caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = caption.into();
        self
    }

    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Overrides the inferred alignment of column `col`.
    pub fn align(&mut self, col: usize, align: Align) -> &mut Self {
        if self.align.len() <= col {
            self.align.resize(col + 1, None);
        }
        self.align[col] = Some(align);
        self
    }

    fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0)
    }

    fn column_align(&self, col: usize) -> Align {
        if let Some(Some(a)) = self.align.get(col) {
            return *a;
        }
        let mut any = false;
        for r in &self.rows {
            match r.get(col).map(|s| cell_kind(s)) {
                Some(CellKind::Number) => any = true,
                Some(CellKind::Text) => return Align::Left,
                Some(CellKind::Blank) | None => {}
            }
        }
        if any {
            Align::Right
        } else {
            Align::Left
        }
    }

    fn write(&self, out: &mut String) {
        let ncol = self.columns();
        let aligns: Vec<Align> = (0..ncol).map(|c| self.column_align(c)).collect();
        let class = |c: usize| {
            if aligns[c] == Align::Right {
                " class=\"num\""
            } else {
                ""
            }
        };
        out.push_str("<div class=\"table-wrap\"><table>");
        if !self.caption.is_empty() {
            let _ = write!(out, "<caption>{}</caption>", esc(&self.caption));
        }
        out.push_str("<thead><tr>");
        for c in 0..ncol {
            let h = self.headers.get(c).map(String::as_str).unwrap_or("");
            let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class(c), esc(h));
        }
        out.push_str("</tr></thead><tbody>");
        for r in &self.rows {
            out.push_str("<tr>");
            for c in 0..ncol {
                let v = r.get(c).map(String::as_str).unwrap_or("");
                let _ = write!(out, "<td{}>{}</td>", class(c), esc(v));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>\n");
    }
}

enum CellKind {
    Number,
    Text,
    Blank,
}

/// "1,234", "-5.2 GB/s", "$3.1M", "87.5%", "≈40 PB" count as numbers; "n/a" and "—"
/// are neutral, so a missing value does not flip a numeric column to the left.
fn cell_kind(s: &str) -> CellKind {
    let t = s.trim();
    if t.is_empty() || matches!(t, "n/a" | "—" | "-" | "–" | "∞" | "-∞") {
        return CellKind::Blank;
    }
    let body = t.trim_start_matches(['-', '+', '−', '$', '~', '≈', '<', '>', '≤', '≥', ' ']);
    let mut chars = body.chars();
    match (chars.next(), chars.next()) {
        (Some(c), _) if c.is_ascii_digit() => CellKind::Number,
        (Some('.'), Some(d)) if d.is_ascii_digit() => CellKind::Number,
        _ => CellKind::Text,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading {
        level: u8,
        text: String,
        id: String,
    },
    Paragraph(String),
    Table(Table),
    Figure {
        svg: String,
        caption: String,
    },
    /// A boxed block that stands out: the decision at the top of a page.
    Callout {
        lead: String,
        lines: Vec<String>,
    },
    /// Terms and their definitions (the request, a glossary).
    Defs(Vec<(String, String)>),
    List(Vec<String>),
}

/// A report page, built in reading order and rendered with [`Page::to_html`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    title: String,
    subtitle: String,
    meta: Vec<(String, String)>,
    blocks: Vec<Block>,
    notes: Vec<String>,
    sections: usize,
}

const CSS: &str = "\
:root{--fg:#222;--muted:#555;--rule:#ccc;--stripe:#f4f6f8;--accent:#0072B2}\
*{box-sizing:border-box}\
body{margin:0 auto;max-width:1200px;padding:24px 32px 48px;color:var(--fg);background:#fff;\
font:16px/1.5 'Segoe UI','Helvetica Neue',Arial,'Liberation Sans','DejaVu Sans',sans-serif}\
h1{font-size:30px;line-height:1.2;margin:0 0 4px}\
.subtitle{font-size:19px;color:var(--muted);margin:0 0 12px;max-width:80ch}\
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 20px;\
font-size:15px;color:var(--muted)}\
dl.meta dt{font-weight:600}dl.meta dd{margin:0}\
dl.defs{display:grid;grid-template-columns:minmax(9em,max-content) minmax(0,1fr);gap:4px 20px;\
margin:8px 0 16px;font-size:15px}\
dl.defs dt{font-weight:600}dl.defs dd{margin:0;max-width:90ch}\
.callout{border-left:6px solid var(--accent);background:#eef5fb;padding:10px 18px;margin:12px 0}\
.callout p{font-size:18px;margin:4px 0;max-width:none}.callout ul{margin:6px 0;padding-left:22px}\
.callout li{margin:3px 0}\
h2{font-size:23px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--accent)}\
h3{font-size:19px;margin:24px 0 6px}\
p{margin:8px 0;max-width:90ch}\
ul{max-width:90ch}\
figure{margin:16px 0;break-inside:avoid}\
figure svg{display:block;width:100%;height:auto;max-width:960px;border:1px solid var(--rule)}\
figcaption{font-size:15px;color:var(--muted);margin-top:4px;max-width:90ch}\
.table-wrap{overflow-x:auto;margin:12px 0}\
table{border-collapse:collapse;font-size:14px;font-variant-numeric:tabular-nums}\
caption{text-align:left;font-weight:600;padding:4px 0}\
th,td{padding:5px 7px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}\
th{border-bottom:2px solid var(--fg)}\
tbody tr:nth-child(even){background:var(--stripe)}\
.num{text-align:right;white-space:nowrap}th.num{white-space:normal}\
ol.notes{font-size:14px;color:var(--muted);padding-left:24px}\
footer{margin-top:32px;font-size:13px;color:var(--muted);border-top:1px solid var(--rule);padding-top:8px}\
@page{size:A4 landscape;margin:12mm}\
@media print{body{max-width:none;padding:0;font-size:10pt}\
h2{break-after:avoid}h3{break-after:avoid}figure svg{border:none;max-width:100%;max-height:170mm}\
table{font-size:8.5pt}th,td{padding:2px 5px}\
.callout{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
tr{break-inside:avoid}.table-wrap{overflow:visible}a{color:inherit}}\
";

impl Page {
    pub fn new(title: impl Into<String>) -> Self {
        Page {
            title: title.into(),
            ..Default::default()
        }
    }

    pub fn subtitle(&mut self, text: impl Into<String>) -> &mut Self {
        self.subtitle = text.into();
        self
    }

    /// A key/value line under the title (scenario, seed, catalog version…), in the order
    /// added. Never put wall-clock time here: reports must be reproducible.
    pub fn meta(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.meta.push((key.into(), value.into()));
        self
    }

    /// Starts a section (`<h2>`).
    pub fn section(&mut self, heading: impl Into<String>) -> &mut Self {
        self.sections += 1;
        let id = format!("s{}", self.sections);
        self.blocks.push(Block::Heading {
            level: 2,
            text: heading.into(),
            id,
        });
        self
    }

    /// A sub-heading (`<h3>`) inside the current section.
    pub fn subsection(&mut self, heading: impl Into<String>) -> &mut Self {
        let id = format!("s{}-{}", self.sections, self.blocks.len());
        self.blocks.push(Block::Heading {
            level: 3,
            text: heading.into(),
            id,
        });
        self
    }

    /// A paragraph of plain text (escaped; no markup).
    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    pub fn table(&mut self, table: Table) -> &mut Self {
        self.blocks.push(Block::Table(table));
        self
    }

    /// Embeds a chart inline; an empty caption falls back to none.
    pub fn chart(&mut self, chart: &dyn Chart, caption: impl Into<String>) -> &mut Self {
        self.blocks.push(Block::Figure {
            svg: chart.to_svg(),
            caption: caption.into(),
        });
        self
    }

    /// A boxed paragraph (`lead`) with bullet points under it, for what a reader must
    /// not miss.
    pub fn callout(&mut self, lead: impl Into<String>, lines: Vec<String>) -> &mut Self {
        self.blocks.push(Block::Callout {
            lead: lead.into(),
            lines,
        });
        self
    }

    /// Terms and their definitions, as a two-column list.
    pub fn defs<K: Into<String>, V: Into<String>>(
        &mut self,
        items: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Self {
        self.blocks.push(Block::Defs(
            items
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        ));
        self
    }

    /// A bulleted list.
    pub fn list<S: Into<String>>(&mut self, items: impl IntoIterator<Item = S>) -> &mut Self {
        self.blocks
            .push(Block::List(items.into_iter().map(Into::into).collect()));
        self
    }

    /// Adds a source or assumption to the notes at the end and returns its marker,
    /// e.g. `"[3]"`, to cite in a paragraph or table cell.
    pub fn note(&mut self, text: impl Into<String>) -> String {
        self.notes.push(text.into());
        format!("[{}]", self.notes.len())
    }

    pub fn to_html(&self) -> String {
        let mut o = String::with_capacity(64 * 1024);
        o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // No script, no fetch of any kind: the report is data, not an application.
        o.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
        );
        o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(o, "<title>{}</title>", esc(&self.title));
        let _ = writeln!(o, "<style>{CSS}</style>\n</head>\n<body>");
        let _ = writeln!(o, "<header>\n<h1>{}</h1>", esc(&self.title));
        if !self.subtitle.is_empty() {
            let _ = writeln!(o, "<p class=\"subtitle\">{}</p>", esc(&self.subtitle));
        }
        if !self.meta.is_empty() {
            o.push_str("<dl class=\"meta\">");
            for (k, v) in &self.meta {
                let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
            }
            o.push_str("</dl>\n");
        }
        o.push_str("</header>\n<main>\n");
        for b in &self.blocks {
            match b {
                Block::Heading { level, text, id } => {
                    let _ = writeln!(o, "<h{level} id=\"{id}\">{}</h{level}>", esc(text));
                }
                Block::Paragraph(t) => {
                    let _ = writeln!(o, "<p>{}</p>", esc(t));
                }
                Block::Table(t) => t.write(&mut o),
                Block::Callout { lead, lines } => {
                    let _ = write!(o, "<div class=\"callout\"><p>{}</p>", esc(lead));
                    if !lines.is_empty() {
                        o.push_str("<ul>");
                        for l in lines {
                            let _ = write!(o, "<li>{}</li>", esc(l));
                        }
                        o.push_str("</ul>");
                    }
                    o.push_str("</div>\n");
                }
                Block::Defs(items) => {
                    o.push_str("<dl class=\"defs\">");
                    for (k, v) in items {
                        let _ = write!(o, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
                    }
                    o.push_str("</dl>\n");
                }
                Block::List(items) => {
                    o.push_str("<ul>");
                    for l in items {
                        let _ = write!(o, "<li>{}</li>", esc(l));
                    }
                    o.push_str("</ul>\n");
                }
                Block::Figure { svg, caption } => {
                    o.push_str("<figure>");
                    o.push_str(svg);
                    if !caption.is_empty() {
                        let _ = write!(o, "<figcaption>{}</figcaption>", esc(caption));
                    }
                    o.push_str("</figure>\n");
                }
            }
        }
        o.push_str("</main>\n");
        if !self.notes.is_empty() {
            o.push_str("<section>\n<h2 id=\"notes\">Notes</h2>\n<ol class=\"notes\">");
            for (i, n) in self.notes.iter().enumerate() {
                let _ = write!(o, "<li id=\"n{}\">{}</li>", i + 1, esc(n));
            }
            o.push_str("</ol>\n</section>\n");
        }
        let _ = writeln!(
            o,
            "<footer>Generated by vastplan {}. Same inputs and seed give this file byte for byte.</footer>",
            env!("CARGO_PKG_VERSION")
        );
        o.push_str("</body>\n</html>\n");
        o
    }

    pub fn write_to(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, self.to_html())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_columns_are_right_aligned() {
        let mut t = Table::new(["Shape", "Nodes", "Throughput", "Note"]);
        t.row(["L80s v3", "24", "400 GB/s", "x"]);
        t.row(["Ceres", "n/a", "1,200 GB/s", "5-year"]);
        assert_eq!(t.column_align(0), Align::Left);
        assert_eq!(t.column_align(1), Align::Right);
        assert_eq!(t.column_align(2), Align::Right);
        assert_eq!(t.column_align(3), Align::Left);
        t.align(3, Align::Right);
        assert_eq!(t.column_align(3), Align::Right);
        let mut html = String::new();
        t.write(&mut html);
        assert!(html.contains("<th scope=\"col\" class=\"num\">Nodes</th>"));
        assert!(html.contains("<td class=\"num\">1,200 GB/s</td>"));
    }

    #[test]
    fn ragged_rows_are_padded_and_text_escaped() {
        let mut t = Table::new(["a"]);
        t.row(["<b>", "extra"]);
        let mut html = String::new();
        t.write(&mut html);
        assert!(html.contains("<td>&lt;b&gt;</td><td>extra</td>"));
        assert_eq!(html.matches("<th ").count(), 2);
    }

    #[test]
    fn page_has_no_script_and_escapes() {
        let mut p = Page::new("A <b> & c");
        p.meta("Seed", "42");
        let n = p.note("Azure price list, <2026>");
        p.section("S").paragraph(format!("cite {n}"));
        let html = p.to_html();
        assert!(html.contains("<title>A &lt;b&gt; &amp; c</title>"));
        assert!(html.contains("cite [1]"));
        assert!(html.contains("<li id=\"n1\">Azure price list, &lt;2026&gt;</li>"));
        assert!(!html.to_lowercase().contains("<script"));
        assert_eq!(html, p.to_html());
    }
}
