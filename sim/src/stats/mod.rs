//! Run statistics: counters, time-weighted averages, latency histograms and fixed-interval
//! time series. All of them take simulated time explicitly, so they never read a clock.

mod counter;
mod histogram;
mod series;
mod time_weighted;

pub use counter::Counter;
pub use histogram::Histogram;
pub use series::IntervalSeries;
pub use time_weighted::TimeWeighted;
