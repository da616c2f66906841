//! Terminal tables (rendered by `comfy-table`) and CSV for command output.
//!
//! A terminal table fits [`WIDTH`] columns by default: columns marked with
//! [`Table::wide_only`] appear only under `--wide`. Rendering never looks at the terminal
//! (no width detection, no colour), so the same command prints the same bytes on a
//! terminal, into a pipe and into a file.
//!
//! CSV is for spreadsheets: snake_case headers that carry the unit (`price_usd_per_hour`,
//! `raw_tb_per_node`), and cells that are plain numbers; an empty cell means "none" or
//! "unbounded". A CSV table is built on its own, never derived from the terminal one.

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, ContentLineStyle, LineStyle,
    TableStyle,
};
use std::io::Write;

/// The width a default terminal table and the lines around it fit in.
pub const WIDTH: usize = 120;

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per column: shown only with `--wide`.
    wide: Vec<bool>,
    /// Per column: shown only without `--wide` (a short form of a wide column).
    narrow: Vec<bool>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            wide: vec![false; header.len()],
            narrow: vec![false; header.len()],
        }
    }

    /// Marks columns (by header) that only `--wide` shows.
    pub fn wide_only(mut self, columns: &[&str]) -> Self {
        for i in self.columns(columns) {
            self.wide[i] = true;
        }
        self
    }

    /// Marks columns (by header) that `--wide` hides: short forms of wide columns.
    pub fn narrow_only(mut self, columns: &[&str]) -> Self {
        for i in self.columns(columns) {
            self.narrow[i] = true;
        }
        self
    }

    fn columns(&self, names: &[&str]) -> Vec<usize> {
        names
            .iter()
            .map(|c| {
                self.header
                    .iter()
                    .position(|h| h == c)
                    .unwrap_or_else(|| panic!("no column {c:?}"))
            })
            .collect()
    }

    pub fn push(&mut self, row: Vec<String>) {
        debug_assert_eq!(row.len(), self.header.len(), "row width");
        self.rows.push(row);
    }

    /// Numbers (and money) right-aligned, text left-aligned, two spaces between columns,
    /// a rule of dashes under the header, no trailing spaces.
    pub fn write_text(&self, out: &mut dyn Write, wide: bool) -> std::io::Result<()> {
        let keep: Vec<usize> = (0..self.header.len())
            .filter(|&i| if wide { !self.narrow[i] } else { !self.wide[i] })
            .collect();
        let mut t = comfy_table::Table::new();
        // No borders; a space between columns (each but the last also padded by one on
        // the right, so two in all); one unbroken rule under the header.
        const STYLE: TableStyle = TableStyle::new()
            .header_lines(ContentLineStyle::none().junction(' '))
            .header_separator(LineStyle::none().fill('-').junction('-'))
            .content_lines(ContentLineStyle::none().junction(' '));
        t.load_style(STYLE)
            .set_content_arrangement(ContentArrangement::Disabled);
        let cells = |r: &[String]| -> Vec<Cell> {
            keep.iter()
                .map(|&i| {
                    let c = &r[i];
                    let numeric = c
                        .chars()
                        .next()
                        .is_some_and(|ch| ch.is_ascii_digit() || ch == '$');
                    Cell::new(c).set_alignment(if numeric {
                        CellAlignment::Right
                    } else {
                        CellAlignment::Left
                    })
                })
                .collect()
        };
        t.set_header(cells(&self.header));
        for r in &self.rows {
            t.add_row(cells(r));
        }
        let last = keep.len().saturating_sub(1);
        for (i, col) in t.column_iter_mut().enumerate() {
            col.set_padding((0, u16::from(i < last)));
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
        for line in t.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    pub fn write_csv(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut wtr = csv::Writer::from_writer(out);
        wtr.write_record(&self.header)?;
        for r in &self.rows {
            wtr.write_record(r)?;
        }
        wtr.flush()
    }
}

/// `text` broken at spaces into lines of at most `width` characters (a longer word
/// stands alone).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Writes `text` as it is if it fits [`WIDTH`], else wrapped at spaces with continuation
/// lines indented by two spaces.
pub fn para(out: &mut dyn Write, text: &str) -> std::io::Result<()> {
    if text.chars().count() <= WIDTH {
        return writeln!(out, "{text}");
    }
    for (i, l) in wrap(text, WIDTH - 2).iter().enumerate() {
        if i == 0 {
            writeln!(out, "{l}")?;
        } else {
            writeln!(out, "  {l}")?;
        }
    }
    Ok(())
}

/// A number for a CSV cell: shortest round-trip form; empty when not finite (none or
/// unbounded), so a spreadsheet sees a blank rather than `inf`.
pub fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// A number for a CSV cell rounded to `d` decimals (money: cents); empty when not finite.
pub fn fixed(v: f64, d: usize) -> String {
    if v.is_finite() {
        let s = format!("{v:.d$}");
        // "-0.00" reads as a negative number in a spreadsheet.
        if s.trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            s.trim_start_matches('-').to_string()
        } else {
            s
        }
    } else {
        String::new()
    }
}

/// Thousands separators for whole numbers, e.g. 12,345,678.
pub fn grouped(v: f64) -> String {
    let s = format!("{:.0}", v.round());
    let (sign, digits) = s
        .strip_prefix('-')
        .map(|d| ("-", d))
        .unwrap_or(("", s.as_str()));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}")
}

/// Money in compact form: $12.3M, $456k, $789 (the decision text's form).
pub fn money(v: f64) -> String {
    vastplan_models::plan::usd(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_layout_is_two_spaces_and_one_rule() {
        let mut t = Table::new(&["name", "n", "note"]).wide_only(&["note"]);
        t.push(vec!["alpha".into(), "12".into(), "long note".into()]);
        t.push(vec!["b".into(), "3".into(), "x".into()]);
        let mut narrow = Vec::new();
        t.write_text(&mut narrow, false).unwrap();
        assert_eq!(
            String::from_utf8(narrow).unwrap(),
            "name   n\n---------\nalpha  12\nb       3\n"
        );
        let mut wide = Vec::new();
        t.write_text(&mut wide, true).unwrap();
        assert!(String::from_utf8(wide).unwrap().contains("long note"));
    }

    #[test]
    fn csv_numbers_are_plain() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-1.5, 2), "-1.50");
        assert_eq!(num(f64::INFINITY), "");
        assert_eq!(num(2.5), "2.5");
    }
}
