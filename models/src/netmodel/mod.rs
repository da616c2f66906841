//! The network and resource model of a cluster under client load, shared by the closed
//! form and the simulation.
//!
//! A cluster is a list of [`Pool`]s: a class of resource (every VM's NIC transmit side,
//! every DBox's fabric ports, every storage rack's leaf uplinks, ...) with a number of
//! identical instances, a capacity per instance, and the cluster-total bytes it carries per
//! client byte read and written (from [`crate::iopath`] and the topology). The closed form
//! ([`ceiling`]) and the simulation build on the same pools, which is what lets the two
//! answers agree.

mod ceiling;
mod from_catalog;
mod pool;
mod spec;
mod topology;

pub use ceiling::{ceiling, evaluate, Ceiling, PoolLoad};
pub use from_catalog::{blob_accounts, cluster_spec, path_kind, protection, NetOptions, Transport};
pub use pool::Pool;
pub use spec::{ClusterSpec, Limit, NodeLimits};
pub use topology::{cross_rack_fraction, racks_for, Topology};
