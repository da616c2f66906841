//! Azure Blob's internal protection under the same failure and rebuild inputs, for the
//! comparison every candidate needs.
//!
//! Azure Storage (WAS) writes each extent as 3 replicas, then lazily erasure-codes sealed
//! extents with LRC(12, 2, 2) (Huang et al., USENIX ATC 2012; `azure.md` §3, B7/B8).
//! Microsoft publishes "≥ 11 nines" per year for LRS. Fragments and replicas of one extent
//! are placed in distinct fault domains, so the layout rule is one strip per domain (or as
//! few as the domain count allows). Everything else — drives, AFR, domain events, rebuild
//! bandwidth, strip (extent) size — is taken from the candidate's input, so the two models
//! differ only in the code and the placement rule.

use super::{Code, DurabilityInput};

/// LRS as three full replicas.
pub fn lrs(base: &DurabilityInput) -> DurabilityInput {
    with_code(base, Code::replicas(3))
}

/// Sealed LRS data under LRC(12, 2, 2).
pub fn lrc_12_2_2(base: &DurabilityInput) -> DurabilityInput {
    with_code(
        base,
        Code::Lrc {
            data: 12,
            local_groups: 2,
            global: 2,
        },
    )
}

fn with_code(base: &DurabilityInput, code: Code) -> DurabilityInput {
    let width = code.width() as u64;
    let per_domain = width.div_ceil(base.domains.max(1)).max(1);
    DurabilityInput {
        code,
        strips_per_domain_max: per_domain.min(u32::MAX as u64) as u32,
        ..base.clone()
    }
}
