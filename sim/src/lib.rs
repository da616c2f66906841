//! `vastplan-sim`: a deterministic discrete-event simulation kernel that knows nothing of
//! storage or clouds.
//!
//! - [`time`]: integer-nanosecond simulated time.
//! - [`queue`]: the pending-event set, ordered by (time, insertion sequence), with cancellation.
//! - [`engine`]: the run loop (until empty, until a time, for n events).
//! - [`rng`]: one master seed, an independent random stream per entity.
//! - [`stats`]: counters, time-weighted averages, histograms, fixed-interval series.
//! - [`flow`]: flow-level max-min resource sharing, solved incrementally.

pub mod engine;
pub mod flow;
pub mod queue;
pub mod rng;
pub mod stats;
pub mod time;

pub use engine::{Engine, Model, Scheduler, StopReason};
pub use queue::{EventId, EventQueue};
pub use rng::{derive_seed, RngStreams, StreamRng};
pub use time::{SimDuration, SimTime};
