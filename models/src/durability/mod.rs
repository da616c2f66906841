//! Durability and availability: how many nines a candidate layout really has.
//!
//! Exact Markov-chain algebra, no Monte Carlo:
//! - [`chain`]: absorbing CTMC algebra — mean time to absorption (fundamental matrix via a
//!   subtraction-free GTH elimination), P(absorbed by t) by uniformization with squaring,
//!   stationary occupancy with restart;
//! - [`code`]: MDS codes (VAST LDEC D+4, replication) and Azure's LRC(12,2,2);
//! - [`placement`]: the combinatorics of stripes over drives and failure domains under the
//!   "at most m strips per domain" rule (DBox-HA: m = 2) — the probability that a given set
//!   of failed drives and domains makes one stripe undecodable;
//! - [`stripe`]: one stripe's chain (exact for a RAID group; a lower bound for a cluster);
//! - `cluster` (private; its result is [`nines`]): the whole-cluster chain over concurrent failure events, whose fatal
//!   transitions carry the placement probability over all `S` stripes — the answer. Its
//!   module docs state the formulation and every approximation;
//! - [`blob`]: Azure Blob LRS (3 replicas) and LRC 12+2+2 under the same inputs.
//!
//! Sources for the structural facts: VAST LDEC D+4 up to 146+4, DBox-HA "no more than 2
//! drives per DBox per stripe", min 11 DBoxes (support.vastdata.com article 5713781959836,
//! vastdata.com rack-level-resilience blog); Azure LRS "3 copies, ≥ 11 nines",
//! LRC(12,2,2) (storage-redundancy doc; Huang et al., USENIX ATC 2012) — see
//! `shared/facts/vast.md` §2 and `azure.md` §3. Failure and rebuild rates are inputs.

pub mod blob;
pub mod candidate;
pub mod chain;
mod cluster;
pub mod code;
pub mod placement;
pub mod stripe;

pub use cluster::nines;
pub use code::Code;

use crate::InputError;
use serde::Serialize;

/// Hours in a (Julian) year: 365.25 × 24.
pub const HOURS_PER_YEAR: f64 = 8766.0;

/// Largest number of lost strips a code may tolerate (see `validate`).
pub const MAX_TOLERANCE: u32 = 12;

/// Where input errors point.
const SOURCE: &str = "durability input";

/// Everything the durability model needs. Rates are annualised (events per unit-year, the
/// way Backblaze-style AFRs are computed), bytes and bytes/s are SI.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DurabilityInput {
    /// Drives holding stripes (capacity tier).
    pub drives: u64,
    /// Bytes that must be rebuilt when one drive fails (its used capacity).
    pub drive_bytes: f64,
    /// Drive failures per drive-year (0.01 = 1% AFR).
    pub drive_afr: f64,
    /// Failure domains (DBoxes, EBoxes, VMs, racks); drives split evenly among them. Set
    /// equal to `drives` to model independent drives only.
    pub domains: u64,
    /// Per domain and year: events that destroy its contents so all its drives must be
    /// rebuilt (a cloud VM moved off a host under maintenance loses its local NVMe).
    pub domain_loss_per_year: f64,
    /// Per domain and year: outages that leave the data intact but unreadable.
    pub domain_outage_per_year: f64,
    /// Mean length of one outage, hours.
    pub domain_outage_hours: f64,
    /// Layout rule: at most this many strips of one stripe in one domain (DBox-HA: 2).
    /// Anything ≥ drives per domain means unconstrained.
    pub strips_per_domain_max: u32,
    /// The stripe's code.
    pub code: Code,
    /// Bytes per strip; with `drives × drive_bytes` it fixes the number of stripes.
    pub strip_bytes: f64,
    /// Aggregate rebuild bandwidth of the cluster, bytes/s, shared by concurrent rebuilds.
    pub rebuild_bytes_per_s: f64,
}

/// The model's answer for one candidate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DurabilityOutput {
    /// Mean time to (first) data loss anywhere in the cluster, hours.
    pub mttdl_hours: f64,
    /// P(some stripe lost within one year), from a fully repaired start.
    pub p_loss_per_year: f64,
    /// `-log10(p_loss_per_year)`.
    pub nines: f64,
    /// Expected hours per year with any failure outstanding (reduced protection).
    pub degraded_hours_per_year: f64,
    /// Expected hours per year with some data unreadable because of outages.
    pub unavailable_hours_per_year: f64,
    /// Number of stripes in the cluster.
    pub stripes: f64,
    /// Transient states in the cluster chain.
    pub chain_states: usize,
    /// P(one given stripe lost within a year): a lower bound on the cluster's.
    pub stripe_p_loss_per_year: f64,
    /// `min(1, stripes × stripe_p_loss_per_year)`: the union bound, far too pessimistic for
    /// wide stripes because stripes share drives.
    pub union_bound_p_loss_per_year: f64,
}

impl DurabilityInput {
    /// Checks every field; the error names the field to fix.
    pub fn validate(&self) -> Result<(), InputError> {
        let err = |field: &str, msg: String| Err(InputError::new(SOURCE, msg).field(field));
        let nonneg = |field: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                err(field, format!("must be a finite number ≥ 0, got {v}"))
            }
        };
        let positive = |field: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                err(field, format!("must be a finite number > 0, got {v}"))
            }
        };
        self.code.validate(SOURCE)?;
        // The chain has ~(tolerance + 3)^3 / 6 states with domain losses and outages and the
        // solvers are cubic in that: parity 8 takes 0.2 s, parity 16 would take minutes.
        if self.code.tolerates() > MAX_TOLERANCE {
            return err(
                "stripe_parity",
                format!(
                    "codes tolerating more than {MAX_TOLERANCE} lost strips are beyond this model's exact chain (got {})",
                    self.code.tolerates()
                ),
            );
        }
        if self.drives == 0 {
            return err("drives", "a cluster needs at least one drive".into());
        }
        if self.domains == 0
            || self.domains > self.drives
            || !self.drives.is_multiple_of(self.domains)
        {
            return err(
                "domains",
                format!(
                    "{} drives must split evenly into {} failure domains",
                    self.drives, self.domains
                ),
            );
        }
        if self.drives > 100_000_000 {
            return err(
                "drives",
                format!("{} drives is beyond any cluster", self.drives),
            );
        }
        positive("drive_bytes", self.drive_bytes)?;
        positive("strip_bytes", self.strip_bytes)?;
        positive("rebuild_bytes_per_s", self.rebuild_bytes_per_s)?;
        nonneg("drive_afr", self.drive_afr)?;
        nonneg("domain_loss_per_year", self.domain_loss_per_year)?;
        nonneg("domain_outage_per_year", self.domain_outage_per_year)?;
        nonneg("domain_outage_hours", self.domain_outage_hours)?;
        if self.domain_outage_per_year > 0.0 && self.domain_outage_hours <= 0.0 {
            return err(
                "domain_outage_hours",
                "outages need a duration > 0 hours".into(),
            );
        }
        if self.strip_bytes > self.drive_bytes {
            return err(
                "strip_bytes",
                format!(
                    "a strip ({} B) larger than a drive's data ({} B)",
                    self.strip_bytes, self.drive_bytes
                ),
            );
        }
        if self.strips_per_domain_max == 0 {
            return err("strips_per_domain_max", "must be ≥ 1".into());
        }
        let width = self.code.width() as u64;
        if width > self.drives {
            return err(
                "drives",
                format!(
                    "a {width}-strip stripe needs at least {width} drives, got {}",
                    self.drives
                ),
            );
        }
        let per_domain = self.drives / self.domains;
        let fit = (self.strips_per_domain_max as u64).min(per_domain) * self.domains;
        if width > fit {
            return err(
                "strips_per_domain_max",
                format!(
                    "a {width}-strip stripe does not fit {} domains at ≤ {} strips each",
                    self.domains,
                    (self.strips_per_domain_max as u64).min(per_domain)
                ),
            );
        }
        Ok(())
    }

    /// Hours to rebuild one drive's data at the full rebuild bandwidth.
    pub fn drive_rebuild_hours(&self) -> f64 {
        self.drive_bytes / self.rebuild_bytes_per_s / 3600.0
    }
}

/// Durability and availability of one candidate layout.
pub fn evaluate(input: &DurabilityInput) -> Result<DurabilityOutput, InputError> {
    input.validate()?;
    Ok(cluster::solve(input))
}

#[cfg(test)]
mod tests;
