//! Report rendering: number formatting, self-contained SVG charts and a single-file HTML
//! page writer. Nothing here knows about storage or Azure; callers hand over plain numbers
//! and labels, so the planner and the simulator can both feed it.
//!
//! Every writer is deterministic: the same inputs give byte-identical output (no hash-map
//! iteration, fixed float formatting, no timestamps), because reports are diffed and
//! checked into proposals.

pub mod escape;
pub mod format;
pub mod html;
pub mod svg;

pub use html::{Align, Page, Table};
pub use svg::{
    Axis, BarChart, BarSeries, CdfChart, Chart, Histogram, LineChart, RefLine, Sample, Series, Unit,
};
