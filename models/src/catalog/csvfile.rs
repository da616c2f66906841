//! Strict CSV reading: every problem becomes an `InputError` naming file, line and
//! field. Cells are parsed by hand rather than through serde's derive because the
//! derive reports positions, not field names, and cannot tell "empty" from "absent".

use crate::error::InputError;
use crate::provenance::{Cell, Confidence, Param};
use std::collections::HashMap;
use std::path::Path;

pub struct CsvFile {
    pub name: String,
    pub rows: Vec<Row>,
}

pub struct Row {
    file: String,
    pub line: usize,
    cells: HashMap<String, String>,
}

impl CsvFile {
    /// Reads `path`, requiring every column in `required`. Unknown extra columns are an
    /// error too: a misspelt optional column would otherwise be silently ignored.
    pub fn read(path: &Path, required: &[&str], optional: &[&str]) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError::new(&name, format!("cannot read: {e}")))?;
        Self::parse(&name, &text, required, optional)
    }

    pub fn parse(
        name: &str,
        text: &str,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Self, InputError> {
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| InputError::new(name, format!("bad header: {e}")).at_line(1))?
            .clone();
        // The header is the first line that is neither blank nor a comment (the shipped
        // files keep their comments just below it, so line 1).
        let header_line = text
            .lines()
            .position(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map_or(1, |i| i + 1);
        for col in required {
            if !headers.iter().any(|h| h == *col) {
                return Err(InputError::new(name, "missing column")
                    .at_line(header_line)
                    .field(*col));
            }
        }
        for h in headers.iter() {
            if !required.contains(&h) && !optional.contains(&h) {
                return Err(InputError::new(name, "unknown column")
                    .at_line(header_line)
                    .field(h));
            }
        }
        let mut rows = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| line_at(text, p.byte() as usize));
                InputError::new(name, format!("malformed row: {e}")).at_line(line)
            })?;
            // A record's position is where the reader began looking for it, before any
            // comment lines it skipped on the way: the row is the first line after them.
            let line = rec
                .position()
                .map_or(0, |p| line_at(text, p.byte() as usize));
            let cells = headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            let row = Row {
                file: name.to_string(),
                line,
                cells,
            };
            // A misspelt name would silently leave a figure at its row's confidence.
            for f in row.estimated_fields() {
                let meta = ["source", "confidence", "estimated_fields", "notes"];
                if meta.contains(&f.as_str()) || !headers.iter().any(|h| h == f) {
                    return Err(row.err(
                        "estimated_fields",
                        format!("{f:?} is not a column of this file"),
                    ));
                }
            }
            rows.push(row);
        }
        Ok(CsvFile {
            name: name.to_string(),
            rows,
        })
    }
}

/// The 1-based line of the first row at or after byte `at` of `text` (a line at the
/// start of a line that is neither a comment nor blank).
fn line_at(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    let mut line = text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    while let Some(rest) = text.get(at..) {
        let next = rest.lines().next().unwrap_or("");
        if !(next.starts_with('#') || next.trim().is_empty()) || at >= text.len() {
            break;
        }
        at += rest.find('\n').map_or(rest.len(), |i| i + 1);
        line += 1;
    }
    line
}

impl Row {
    pub fn err(&self, field: &str, msg: impl Into<String>) -> InputError {
        InputError::new(&self.file, msg)
            .at_line(self.line)
            .field(field)
    }

    /// A cell that must be present and non-empty.
    pub fn text(&self, field: &str) -> Result<String, InputError> {
        match self.cells.get(field).map(|s| s.as_str()) {
            Some("") | None => Err(self.err(field, "empty")),
            Some(s) => Ok(s.to_string()),
        }
    }

    /// A cell that may be empty; empty means "not known", never zero.
    pub fn opt_text(&self, field: &str) -> Option<String> {
        self.cells
            .get(field)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
    }

    /// A finite, non-negative number.
    pub fn num(&self, field: &str) -> Result<f64, InputError> {
        let s = self.text(field)?;
        parse_num(&s).map_err(|m| self.err(field, m))
    }

    pub fn opt_num(&self, field: &str) -> Result<Option<f64>, InputError> {
        match self.opt_text(field) {
            None => Ok(None),
            Some(s) => parse_num(&s).map(Some).map_err(|m| self.err(field, m)),
        }
    }

    pub fn confidence(&self) -> Result<Confidence, InputError> {
        let s = self.text("confidence")?;
        s.parse().map_err(|m: String| self.err("confidence", m))
    }

    pub fn source(&self) -> Result<String, InputError> {
        let s = self.text("source")?;
        // A bare key such as "A4" is not a source a reader can follow.
        if s.len() < 8 {
            return Err(self.err("source", format!("{s:?} is not a spelled-out source")));
        }
        Ok(s)
    }

    /// Fields this row names in `estimated_fields` (semicolon-separated): the row's
    /// source does not cover them, they are estimates explained in `notes`.
    pub fn estimated_fields(&self) -> Vec<String> {
        self.opt_text("estimated_fields")
            .map(|s| s.split(';').map(|f| f.trim().to_string()).collect())
            .unwrap_or_default()
    }

    /// A numeric cell wrapped with this row's provenance.
    pub fn param(&self, field: &str) -> Result<Param, InputError> {
        let v = self.num(field)?;
        self.wrap(field, v)
    }

    pub fn opt_param(&self, field: &str) -> Result<Option<Param>, InputError> {
        match self.opt_num(field)? {
            None => Ok(None),
            Some(v) => self.wrap(field, v).map(Some),
        }
    }

    fn wrap(&self, field: &str, v: f64) -> Result<Param, InputError> {
        let mut conf = self.confidence()?;
        if self.estimated_fields().iter().any(|f| f == field) {
            conf = conf.min(Confidence::Estimate);
        }
        Ok(Param::new(v, self.source()?, conf).from_cell(Cell {
            file: self.file.clone(),
            line: self.line,
            column: field.to_string(),
            raw: v,
            scale: 1.0,
        }))
    }
}

fn parse_num(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .replace('_', "")
        .parse()
        .map_err(|_| format!("not a number: {s:?}"))?;
    if !v.is_finite() {
        return Err(format!("not a finite number: {s:?}"));
    }
    if v < 0.0 {
        return Err(format!("negative: {s}"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[&str] = &["id", "x", "source", "confidence"];

    fn parse(text: &str) -> Result<CsvFile, InputError> {
        CsvFile::parse("t.csv", text, COLS, &["notes", "estimated_fields"])
    }

    #[test]
    fn missing_column_names_the_field() {
        let e = parse("id,source,confidence\na,some source,published\n")
            .err()
            .unwrap();
        assert_eq!(e.to_string(), "t.csv:1: field `x`: missing column");
    }

    #[test]
    fn bad_cells_name_file_line_and_field() {
        let f = parse("id,x,source,confidence\na,1,long source,published\nb,abc,long source,published\nc,-3,long source,guess\n").unwrap();
        assert!(f.rows[0].param("x").is_ok());
        assert_eq!(
            f.rows[1].num("x").unwrap_err().to_string(),
            "t.csv:3: field `x`: not a number: \"abc\""
        );
        assert_eq!(
            f.rows[2].num("x").unwrap_err().to_string(),
            "t.csv:4: field `x`: negative: -3"
        );
        let e = f.rows[2].confidence().unwrap_err().to_string();
        assert!(
            e.starts_with("t.csv:4: field `confidence`: unknown confidence"),
            "{e}"
        );
    }

    #[test]
    fn rows_after_comment_lines_name_their_own_line() {
        let f = parse("id,x,source,confidence\n# a\n\n# b\na,abc,long source,published\n# c\nb,def,long source,published\n").unwrap();
        assert_eq!(f.rows[0].line, 5);
        assert_eq!(f.rows[1].line, 7);
    }

    #[test]
    fn an_estimated_field_must_be_a_column() {
        let e = CsvFile::parse(
            "t.csv",
            "id,x,source,confidence,estimated_fields\na,1,long source,published,x;y\n",
            COLS,
            &["estimated_fields"],
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "t.csv:2: field `estimated_fields`: \"y\" is not a column of this file"
        );
    }

    #[test]
    fn lines_count_the_comments_a_reader_sees() {
        let f = parse("id,x,source,confidence\n# a comment\n# another\na,1,long source,published\nb,x,long source,published\n").unwrap();
        let long = format!(
            "id,x,source,confidence\n# {}\n# b\na,1,long source,published\n",
            "c".repeat(9000)
        );
        assert_eq!(parse(&long).unwrap().rows[0].line, 4);
        assert_eq!(f.rows[0].line, 4);
        assert_eq!(
            f.rows[1].num("x").unwrap_err().to_string(),
            "t.csv:5: field `x`: not a number: \"x\""
        );
    }

    #[test]
    fn short_source_key_is_rejected() {
        let f = parse("id,x,source,confidence\na,1,A4,published\n").unwrap();
        assert!(f.rows[0].param("x").is_err());
    }

    #[test]
    fn estimated_field_lowers_confidence() {
        let f = CsvFile::parse(
            "t.csv",
            "id,x,source,confidence,estimated_fields\na,1,long source,published,x\n",
            COLS,
            &["estimated_fields"],
        )
        .unwrap();
        assert_eq!(
            f.rows[0].param("x").unwrap().confidence,
            Confidence::Estimate
        );
    }
}
