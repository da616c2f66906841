//! Parameter sweeps: a sweep file names a base scenario and the axes to vary; it expands
//! into a canonical, sorted list of runs with stable ids, each run writes its own result
//! file, and `merge` joins complete sets.
//!
//! The split of work (threads, `--shard`, Slurm array tasks, Kubernetes indexed pods) never
//! changes what a run computes: its seed derives from the master seed and its run id only.

pub mod expand;
pub mod id;
pub mod merge;
pub mod run;
pub mod shard;
pub mod spec;

pub use expand::{expand, Run};
pub use spec::{load_sweep, parse_sweep, SweepSpec};
