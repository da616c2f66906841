//! Report rendering: number formatting, self-contained SVG charts and a single-file HTML
//! page writer. Nothing here knows about storage or Azure; callers hand over plain numbers
//! and labels, so the planner and the simulator can both feed it.
//!
//! Every writer is deterministic: the same inputs give byte-identical output (no hash-map
//! iteration, fixed float formatting, no timestamps), because reports are diffed and
//! checked into proposals.
//!
//! ```
//! use vastplan::report::{Axis, BarChart, Page, RefLine, Table, Unit};
//! use vastplan::report::format::fmt_bytes_per_s;
//!
//! let candidates = vec!["L80aos v5 × 64".to_string(), "EBox × 20".to_string()];
//! let mut chart = BarChart::new(
//!     "Delivered vs demanded read throughput",
//!     Axis::new("Read throughput", Unit::si("B/s")), // data in B/s, axis shows GB/s
//!     candidates.clone(),
//! )
//! .with_series("delivered", vec![512e9, 388e9]);
//! chart.y_refs.push(RefLine::new(400e9, "demanded 400 GB/s"));
//!
//! let mut table = Table::new(["Candidate", "Read"]);
//! table.row([candidates[0].clone(), fmt_bytes_per_s(512e9)]);
//!
//! let mut page = Page::new("Sizing proposal");
//! page.meta("Scenario", "wave-40pb.toml").meta("Seed", "42");
//! let src = page.note("Azure retail prices, 2026-10.");
//! page.section("Candidates")
//!     .paragraph(format!("Sized to 40 PB logical {src}."))
//!     .table(table)
//!     .chart(&chart, "Simulated steady state.");
//! let html = page.to_html();
//! assert_eq!(html, page.to_html()); // byte-identical for the same inputs
//! assert_eq!(html.matches("<svg").count(), 1);
//! ```

pub mod design_report;
pub mod escape;
pub mod format;
pub mod html;
pub mod plan_report;
pub mod svg;
pub mod topology_report;

pub use html::{Align, Page, Table};
pub use svg::{
    Axis, BarChart, BarSeries, CdfChart, Chart, HBarChart, HBarPanel, HBarRow, Histogram,
    LineChart, Panel, RefLine, Sample, Series, SmallMultiples, TornadoBar, TornadoChart, Unit,
};
