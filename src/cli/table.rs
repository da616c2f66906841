//! Plain aligned text tables and CSV for command output.

use std::io::Write;

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Numbers right-aligned, text left-aligned, two spaces between columns.
    pub fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
            let mut s = String::new();
            for (i, c) in cells.iter().enumerate() {
                let numeric = c
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit() || ch == '$');
                if numeric {
                    s.push_str(&format!("{c:>width$}", width = w[i]));
                } else {
                    s.push_str(&format!("{c:<width$}", width = w[i]));
                }
                if i + 1 < cells.len() {
                    s.push_str("  ");
                }
            }
            writeln!(out, "{}", s.trim_end())
        };
        line(&self.header, out)?;
        let rule: Vec<String> = w.iter().map(|n| "-".repeat(*n)).collect();
        line(&rule, out)?;
        for r in &self.rows {
            line(r, out)?;
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

/// Money in compact form: $12.3M, $456k, $789.
pub fn money(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("${:.2}B", v / 1e9)
    } else if a >= 1e6 {
        format!("${:.2}M", v / 1e6)
    } else if a >= 1e3 {
        format!("${:.1}k", v / 1e3)
    } else {
        format!("${v:.0}")
    }
}
