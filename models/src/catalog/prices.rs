//! `assumptions.csv` (global numbers) and `prices.csv` (a price per item and field).
//! Prices live apart from hardware rows because their sources and confidence differ
//! from the spec sheets (Azure list prices were only found in third-party copies).

use super::csvfile::CsvFile;
use crate::error::InputError;
use crate::provenance::Param;
use std::collections::BTreeMap;
use std::path::Path;

const A_COLS: &[&str] = &["name", "value", "unit", "source", "confidence"];

pub fn load_assumptions(path: &Path) -> Result<BTreeMap<String, Param>, InputError> {
    let f = CsvFile::read(path, A_COLS, &["notes"])?;
    let mut out = BTreeMap::new();
    for r in &f.rows {
        let name = r.text("name")?;
        r.text("unit")?;
        let p = r.param("value")?;
        super::rules::rule(&name)
            .check(p.value)
            .map_err(|m| r.err("value", format!("{name}: {m}")))?;
        if out.insert(name.clone(), p).is_some() {
            return Err(r.err("name", format!("duplicate assumption {name}")));
        }
    }
    Ok(out)
}

const P_COLS: &[&str] = &["item", "field", "value", "unit", "source", "confidence"];

struct PriceRow {
    param: Param,
    line: usize,
    used: bool,
}

/// Prices keyed by (item id, field); remembers which were used so that a price for
/// a misspelt item is reported instead of silently ignored.
pub struct PriceBook {
    file: String,
    rows: BTreeMap<(String, String), PriceRow>,
}

impl PriceBook {
    pub fn load(path: &Path) -> Result<PriceBook, InputError> {
        let f = CsvFile::read(path, P_COLS, &["notes"])?;
        let mut rows = BTreeMap::new();
        for r in &f.rows {
            let key = (r.text("item")?, r.text("field")?);
            r.text("unit")?;
            let param = r.param("value")?;
            let row = PriceRow {
                param,
                line: r.line,
                used: false,
            };
            if rows.insert(key.clone(), row).is_some() {
                return Err(r.err("item", format!("duplicate price for {}.{}", key.0, key.1)));
            }
        }
        Ok(PriceBook { file: f.name, rows })
    }

    pub fn take(&mut self, item: &str, field: &str) -> Option<Param> {
        self.rows
            .get_mut(&(item.to_string(), field.to_string()))
            .map(|r| {
                r.used = true;
                r.param.clone()
            })
    }

    pub fn check_all_used(&self) -> Result<(), InputError> {
        match self.rows.iter().find(|(_, r)| !r.used) {
            None => Ok(()),
            Some(((item, field), r)) => Err(InputError::new(
                &self.file,
                format!("price for unknown item or field {item}.{field}"),
            )
            .at_line(r.line)
            .field("item")),
        }
    }
}
