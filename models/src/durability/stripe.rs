//! The per-stripe chain: one stripe in isolation.
//!
//! States `j = 0 .. threshold-1` count lost strips of one stripe; absorption is an
//! undecodable stripe. From `j`:
//! - each of the `w - j` surviving strips fails at the drive rate `λ` → `j + 1`;
//! - a domain holding `c` of the stripe's strips is lost at rate `λ_D` → `j + c`; the
//!   stripe meets `n_c` such domains on average (the placement's domain profile), so the
//!   jump rate is `n_c λ_D` (taken as constant: depleting the profile as domains fail would
//!   lower it by at most `threshold / n_c`, so this errs on the side of loss);
//! - the lost strips are rebuilt at rate `μ` (one at a time; rebuild bandwidth is shared).
//!
//! A jump from `j` to `j' ≥ j` is fatal with probability `(u(j') - u(j)) / (1 - u(j))`:
//! decodable loss patterns are closed under taking subsets, so an undecodable `j'`-pattern
//! whose random `j`-subset is decodable has probability `u(j') - u(j)`.
//!
//! This view is exact for a RAID group (one stripe on its own drives, domains = drives)
//! and is the lower bound for a cluster (the cluster loses data whenever this stripe does);
//! `S ×` its loss probability is the union bound the cluster chain is checked against.

use super::chain::AbsorbingChain;
use super::code::Code;

/// One stripe's chain parameters (rates per hour).
#[derive(Clone, Debug)]
pub struct StripeChain {
    pub code: Code,
    /// Failure rate of one drive (per hour).
    pub strip_failure_rate: f64,
    /// `(c, rate)`: domain-loss events that take `c` strips at once, total rate per hour.
    pub domain_jumps: Vec<(usize, f64)>,
    /// Rate at which the stripe gets one lost strip back (per hour).
    pub repair_rate: f64,
}

impl StripeChain {
    pub fn chain(&self) -> AbsorbingChain {
        let t = self.code.loss_threshold() as usize;
        let w = self.code.width() as usize;
        let u = |k: usize| self.code.unrecoverable_fraction(k as u32);
        let mut ch = AbsorbingChain::new(t);
        let jump = |ch: &mut AbsorbingChain, j: usize, c: usize, rate: f64| {
            let to = j + c;
            let fatal = if to >= t {
                1.0
            } else {
                ((u(to) - u(j)) / (1.0 - u(j))).clamp(0.0, 1.0)
            };
            if fatal > 0.0 {
                ch.add_rate(j, None, rate * fatal);
            }
            if fatal < 1.0 {
                ch.add_rate(j, Some(to), rate * (1.0 - fatal));
            }
        };
        for j in 0..t {
            jump(&mut ch, j, 1, (w - j) as f64 * self.strip_failure_rate);
            for &(c, rate) in &self.domain_jumps {
                if c > 0 && rate > 0.0 {
                    jump(&mut ch, j, c, rate);
                }
            }
            if j > 0 {
                ch.add_rate(j, Some(j - 1), self.repair_rate);
            }
        }
        ch
    }

    pub fn mttdl_hours(&self) -> f64 {
        self.chain().mean_times_to_absorption()[0]
    }

    pub fn p_loss_within(&self, hours: f64) -> f64 {
        self.chain().absorbed_by(0, hours)
    }
}

#[cfg(test)]
mod tests {
    use super::super::chain::birth_death_mtta;
    use super::*;

    fn raid(n: u32, parity: u32, l: f64, mu: f64) -> StripeChain {
        StripeChain {
            code: Code::mds(n - parity, parity),
            strip_failure_rate: l,
            domain_jumps: vec![],
            repair_rate: mu,
        }
    }

    #[test]
    fn single_parity_matches_the_closed_form() {
        // MTTDL = ((2n-1)λ + μ) / (n(n-1)λ²), the classic RAID-5 result.
        for &(n, l, mu) in &[(5u32, 1e-5, 0.1), (10, 2e-6, 1.0 / 24.0), (3, 0.3, 2.0)] {
            let nf = n as f64;
            let exact = ((2.0 * nf - 1.0) * l + mu) / (nf * (nf - 1.0) * l * l);
            let got = raid(n, 1, l, mu).mttdl_hours();
            assert!((got / exact - 1.0).abs() < 1e-12, "n={n}: {got} vs {exact}");
        }
    }

    #[test]
    fn double_parity_matches_the_closed_form() {
        // From the birth–death sum (chain.rs) with λ_k = (n-k)λ and μ_1 = μ_2 = μ:
        // MTTDL = ((3n²-6n+2)λ² + 2(n-1)λμ + μ²) / (n(n-1)(n-2)λ³).
        for &(n, l, mu) in &[(6u32, 1e-5, 0.1), (12, 1e-6, 0.05), (4, 0.2, 1.5)] {
            let nf = n as f64;
            let exact =
                ((3.0 * nf * nf - 6.0 * nf + 2.0) * l * l + 2.0 * (nf - 1.0) * l * mu + mu * mu)
                    / (nf * (nf - 1.0) * (nf - 2.0) * l.powi(3));
            let got = raid(n, 2, l, mu).mttdl_hours();
            assert!((got / exact - 1.0).abs() < 1e-12, "n={n}: {got} vs {exact}");
        }
    }

    #[test]
    fn wide_stripe_matches_birth_death_sum() {
        let (l, mu) = (0.01 / 8766.0, 1.0 / 10.0);
        let up: Vec<f64> = (0..5).map(|k| (150 - k) as f64 * l).collect();
        let down = vec![mu; 5];
        let exact = birth_death_mtta(&up, &down);
        let got = raid(150, 4, l, mu).mttdl_hours();
        assert!((got / exact - 1.0).abs() < 1e-12);
    }

    #[test]
    fn domain_jumps_shorten_life() {
        let base = raid(22, 4, 1e-5, 0.1);
        let mut with = base.clone();
        with.domain_jumps = vec![(2, 11.0 * 1e-5)];
        assert!(with.mttdl_hours() < base.mttdl_hours());
        // A jump past the threshold is immediate loss.
        let mut fatal = base.clone();
        fatal.domain_jumps = vec![(5, 1e-3)];
        assert!(fatal.mttdl_hours() < 1000.0 + 1e-6);
    }
}
