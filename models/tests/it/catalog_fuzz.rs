//! The catalog loaders never panic and never let a number the models cannot use through:
//! one cell of one shipped CSV at a time is replaced by zero, a negative, a fraction, a huge
//! value, text or nothing, and the catalog either refuses it with one line naming the file,
//! or loads and then sizes every shape without a panic or a non-finite answer.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use vastplan_models::sizing::{size, Request};
use vastplan_models::units::Bytes;
use vastplan_models::{Catalog, Confidence, Param};

const FILES: &[&str] = &[
    "assumptions.csv",
    "azure_blob.csv",
    "azure_gpu_vms.csv",
    "azure_storage_vms.csv",
    "baremetal_dpu.csv",
    "dpus.csv",
    "llm_models.csv",
    "prices.csv",
    "vast_hardware.csv",
    "vast_shapes.csv",
    "workloads_mlperf.csv",
];

const CELLS: &[&str] = &[
    "", "0", "-1", "0.5", "2.5", "1e308", "1e19", "nan", "inf", "abc", "\"", "1,2", "0.0001",
];

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../datasets")
}

/// `text` with column `col` of data row `row` (counted over non-comment lines after the
/// header, wrapping) replaced by `cell`.
fn with_cell(text: &str, row: usize, col: usize, cell: &str) -> String {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut recs: Vec<Vec<String>> = rdr
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    if recs.len() < 2 {
        return text.to_string();
    }
    let r = 1 + row % (recs.len() - 1);
    let c = col % recs[r].len();
    recs[r][c] = cell.to_string();
    let mut w = csv::Writer::from_writer(Vec::new());
    for rec in &recs {
        w.write_record(rec).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_bad_cell_is_refused_in_one_line_or_sizes_finitely(
        file in 0usize..FILES.len(),
        row in 0usize..64,
        col in 0usize..32,
        cell in 0usize..CELLS.len(),
    ) {
        let dir = std::env::temp_dir().join(format!(
            "vastplan-catfuzz-{}-{file}-{row}-{col}-{cell}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for f in FILES {
            std::fs::copy(shipped().join(f), dir.join(f)).unwrap();
        }
        let name = FILES[file];
        let text = std::fs::read_to_string(shipped().join(name)).unwrap();
        std::fs::write(dir.join(name), with_cell(&text, row, col, CELLS[cell])).unwrap();
        match Catalog::load(&dir) {
            Err(e) => {
                let msg = e.to_string();
                prop_assert_eq!(msg.lines().count(), 1, "{}", msg);
                prop_assert!(!msg.is_empty());
            }
            Ok(cat) => {
                let req = Request::new(
                    Bytes::from_pb(40.0),
                    Param::new(1.2, "fuzz", Confidence::Derived),
                );
                for s in &cat.shapes {
                    if let Ok(r) = size(&cat, s, &req) {
                        prop_assert!(r.usd_per_month.is_finite(), "{}: {:?}", s.id, r.usd_per_month);
                        prop_assert!(r.capacity.usable.0.is_finite(), "{}", s.id);
                    }
                }
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
