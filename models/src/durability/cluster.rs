//! The whole-cluster chain.
//!
//! ## Why not per-stripe chains multiplied together
//!
//! A VAST cluster holds millions of stripes, each 150 strips wide, spread over every drive.
//! Stripes share drives, so their losses are strongly dependent: when 5 drives are down at
//! once, whether *some* stripe has all 5 is a question about the whole placement, not about
//! one stripe. Treating stripes as independent (`1 - (1 - p_stripe)^S`) or the union bound
//! (`S · p_stripe`) counts the same drive failures millions of times over and lands orders of
//! magnitude off; the single-stripe probability is only a lower bound.
//!
//! ## Formulation
//!
//! The chain's state is the set of *concurrent outstanding failure events*, summarised by
//! counts `(i, a, b)`: `i` failed drives being rebuilt, `a` lost domains being rebuilt
//! (contents gone: a cloud VM whose host went into maintenance and lost its local NVMe, a
//! destroyed enclosure), `b` domains temporarily out (data intact but unreadable).
//!
//! Transitions (rates per hour):
//! - drive failure, `(D - i - (a+b)·g) λ` → `(i+1, a, b)`;
//! - domain loss, `(N - a - b) λ_L` → `(i, a+1, b)`; outage start `(N - a - b) λ_O` →
//!   `(i, a, b+1)`; outage end `b / t_O` → `(i, a, b-1)`;
//! - rebuild: the cluster's rebuild bandwidth `R` is shared equally by the `i + a` rebuilds
//!   in progress (declustered rebuild reads from and writes to all drives, so the aggregate
//!   is the limit), so a drive completes at total rate `R·i / ((i+a)·B)` and a domain at
//!   `R·a / ((i+a)·g·B)`, `B` the bytes to rebuild per drive. Completion times are taken as
//!   exponential (the Markov assumption; the classic RAID closed forms make the same one).
//!
//! A failure transition is fatal with the probability that the new failure set contains more
//! strips of some stripe than the code decodes, given that the old set did not. For one
//! stripe that probability is `t(i, a)` from the placement's combinatorics
//! ([`super::placement`]: hypergeometric, conditioned on the per-domain limit). The `S`
//! stripes are `S` independent draws of the placement, so for a given failure set they are
//! independent and `P(no stripe lost) = (1 - t)^S` exactly; the transition from `s` to `s'`
//! is fatal with probability `1 - (1 - t(s'))^S / (1 - t(s))^S`.
//!
//! ## Approximations, all stated
//!
//! 1. *Memoryless failure sets.* The chain remembers how many drives are down, not which.
//!    Along a run of failures without an intervening repair the conditioning above is exact;
//!    after a repair the surviving failed drives are treated as a fresh draw conditioned only
//!    on their own set being survivable. With `D` in the hundreds or more the difference is
//!    second order (the Monte Carlo test with real placements measures it on a tiny cluster).
//! 2. *Placement ensemble.* Stripes are modelled as independent uniform placements under the
//!    per-domain limit. VAST's allocator also picks drives by remaining endurance and
//!    capacity (rack-level-resilience blog part one); that bias is not modelled.
//! 3. *Failed drives anywhere outside failed domains.* Single failed drives are a uniform
//!    random set among the drives of domains not currently lost or out (the placement
//!    averages exactly over how they group into domains). Drives of an out-of-service
//!    domain neither fail nor count while it is out.
//! 4. *Truncation.* States with more than `threshold + 2` concurrent events are not built:
//!    a failure that would enter one is counted as data loss (conservative), an outage that
//!    would enter one is ignored (affects availability only; reaching such a state takes
//!    `threshold + 2` overlapping events, each ~`(rate × repair time)` likely).
//! 5. *No critical-first rebuild.* VAST rebuilds the most-damaged stripes first, which
//!    shortens the time spent one failure from loss; the chain repairs whole drives at the
//!    shared rate, so it understates durability for wide declustered stripes.
//! 6. *Exponential repair.* Real rebuilds are closer to fixed-length, and when loss needs
//!    several failures inside overlapping repair windows the answer depends on more than the
//!    mean. Measured on one stripe (`tests.rs`, fixed-length vs exponential repairs of the
//!    same mean): at double parity fixed repairs give a ~35% longer MTTDL (the chain errs
//!    towards loss); at single parity ~6% shorter (the chain is slightly optimistic). Other
//!    parities are not measured; the effect is not corrected for.

use super::chain::AbsorbingChain;
use super::placement::Placement;
use super::stripe::StripeChain;
use super::{DurabilityInput, DurabilityOutput, HOURS_PER_YEAR};
use std::collections::HashMap;

/// Builds and solves the cluster chain for validated input.
pub(super) fn solve(input: &DurabilityInput) -> DurabilityOutput {
    let d = input.drives as usize;
    let n = input.domains as usize;
    let g = d / n;
    let code = input.code;
    let w = code.width() as f64;
    let stripes = (input.drives as f64 * input.drive_bytes / (w * input.strip_bytes))
        .floor()
        .max(1.0);

    let lambda = input.drive_afr / HOURS_PER_YEAR;
    let lambda_loss = input.domain_loss_per_year / HOURS_PER_YEAR;
    let lambda_out = input.domain_outage_per_year / HOURS_PER_YEAR;
    let outage_end = if input.domain_outage_hours > 0.0 {
        1.0 / input.domain_outage_hours
    } else {
        0.0
    };
    let drive_repair = input.rebuild_bytes_per_s * 3600.0 / input.drive_bytes;
    let domain_repair = drive_repair / g as f64;

    let mut placement = Placement::new(&code, d, n, input.strips_per_domain_max as usize);
    let threshold = placement.threshold();
    let cap = threshold + 2;
    let max_a = if lambda_loss > 0.0 { cap } else { 0 };
    let max_b = if lambda_out > 0.0 && outage_end > 0.0 {
        cap
    } else {
        0
    };

    // ln P(no stripe undecodable) for `i` failed drives and `a` lost domains.
    let mut ln_ok = |i: usize, a: usize| -> f64 {
        if a > n || i > (n - a) * g {
            return f64::NEG_INFINITY;
        }
        let t = placement.stripe_loss(i, a);
        if t >= 1.0 {
            f64::NEG_INFINITY
        } else {
            stripes * (-t).ln_1p()
        }
    };

    let mut index: HashMap<(usize, usize, usize), usize> = HashMap::new();
    let mut states: Vec<(usize, usize, usize, f64)> = Vec::new();
    for total in 0..=cap {
        for a in 0..=total.min(max_a) {
            for b in 0..=(total - a).min(max_b) {
                let i = total - a - b;
                if a + b > n || i > (n - a - b) * g {
                    continue;
                }
                // Keep the state set closed under repair and outage end (rounding can leave
                // a tail a hair below 1 beyond a state whose tail is exactly 1).
                let closed = (i == 0 || index.contains_key(&(i - 1, a, b)))
                    && (a == 0 || index.contains_key(&(i, a - 1, b)))
                    && (b == 0 || index.contains_key(&(i, a, b - 1)));
                if !closed {
                    continue;
                }
                let lo = ln_ok(i, a);
                if lo > f64::NEG_INFINITY {
                    index.insert((i, a, b), states.len());
                    states.push((i, a, b, lo));
                }
            }
        }
    }

    let mut chain = AbsorbingChain::new(states.len());
    let fatal_split = |chain: &mut AbsorbingChain,
                       from: usize,
                       from_ok: f64,
                       to: Option<(usize, f64)>,
                       rate: f64| {
        if rate <= 0.0 {
            return;
        }
        match to {
            Some((j, to_ok)) => {
                let fatal = (-(to_ok - from_ok).min(0.0).exp_m1()).clamp(0.0, 1.0);
                chain.add_rate(from, None, rate * fatal);
                chain.add_rate(from, Some(j), rate * (1.0 - fatal));
            }
            None => chain.add_rate(from, None, rate),
        }
    };
    for (s, &(i, a, b, ok)) in states.iter().enumerate() {
        let target =
            |i2: usize, a2: usize, b2: usize| index.get(&(i2, a2, b2)).map(|&j| (j, states[j].3));
        let live_drives = d.saturating_sub(i + (a + b) * g) as f64;
        fatal_split(&mut chain, s, ok, target(i + 1, a, b), live_drives * lambda);
        let live_domains = n.saturating_sub(a + b) as f64;
        fatal_split(
            &mut chain,
            s,
            ok,
            target(i, a + 1, b),
            live_domains * lambda_loss,
        );
        if let Some(j) = index.get(&(i, a, b + 1)) {
            chain.add_rate(s, Some(*j), live_domains * lambda_out);
        }
        if b > 0 {
            chain.add_rate(s, Some(index[&(i, a, b - 1)]), b as f64 * outage_end);
        }
        if i + a > 0 {
            let share = 1.0 / (i + a) as f64;
            if i > 0 {
                chain.add_rate(
                    s,
                    Some(index[&(i - 1, a, b)]),
                    drive_repair * i as f64 * share,
                );
            }
            if a > 0 {
                chain.add_rate(
                    s,
                    Some(index[&(i, a - 1, b)]),
                    domain_repair * a as f64 * share,
                );
            }
        }
    }

    let mttdl = chain.mean_times_to_absorption()[0];
    let p_year = chain.absorbed_by(0, HOURS_PER_YEAR);

    // Renewal view: run the cluster until a loss, restore, repeat. The long-run fraction of
    // time in state s is (expected time in s per cycle) / (cycle length) = N[0,s] / MTTDL,
    // N the fundamental matrix — computed as the stationary distribution of the chain with
    // loss redirected to state 0, which also covers an infinite MTTDL.
    let (mut degraded, mut unavailable) = (0.0, 0.0);
    let pi = chain.stationary_with_restart(0);
    for (s, &(i, a, b, ok)) in states.iter().enumerate() {
        if i + a + b > 0 {
            degraded += pi[s];
        }
        if b > 0 {
            // Outage domains are unreadable: some stripe is unreadable if the failure set
            // with them counted as lost is undecodable, given it is decodable without.
            let all_ok = ln_ok(i, a + b);
            unavailable += pi[s] * (-(all_ok - ok).min(0.0).exp_m1()).clamp(0.0, 1.0);
        }
    }

    // The single-stripe chain, for the bounds.
    let mut jumps = Vec::new();
    if lambda_loss > 0.0 {
        for (c, nc) in placement.domain_profile().into_iter().enumerate() {
            if c > 0 && nc > 0.0 {
                jumps.push((c, nc * lambda_loss));
            }
        }
    }
    let stripe = StripeChain {
        code,
        strip_failure_rate: lambda,
        domain_jumps: jumps,
        repair_rate: drive_repair,
    };
    let stripe_p = stripe.p_loss_within(HOURS_PER_YEAR);

    DurabilityOutput {
        mttdl_hours: mttdl,
        p_loss_per_year: p_year,
        nines: nines(p_year),
        degraded_hours_per_year: degraded * HOURS_PER_YEAR,
        unavailable_hours_per_year: unavailable * HOURS_PER_YEAR,
        stripes,
        chain_states: states.len(),
        stripe_p_loss_per_year: stripe_p,
        union_bound_p_loss_per_year: (stripes * stripe_p).min(1.0),
    }
}

/// `-log10(p)`: 11 nines is `p = 1e-11`. Infinite when loss is impossible.
pub fn nines(p: f64) -> f64 {
    if p <= 0.0 {
        f64::INFINITY
    } else {
        -p.log10()
    }
}
