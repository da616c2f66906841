//! Where a stripe's strips land, and the chance that a given set of failures takes out
//! more strips of one stripe than its code can decode.
//!
//! Placement model: each stripe is a uniformly random choice of `w` drives among the `D`
//! drives, subject to the layout rule "at most `m` strips in any failure domain" (DBox-HA:
//! `m = 2`; unconstrained when `m ≥` drives per domain, which is then plain hypergeometric
//! sampling). Failure sets are `a` whole domains plus `i` single drives, the drives a
//! uniformly random set among the surviving domains (averaged exactly over how they group
//! into domains, see [`Placement::stripe_loss`]).
//! The simulation asks the same model about the failure set it holds (which devices and
//! racks are down, so nothing to average: [`Placement::loss_with`]; `simulate/layout.rs`).
//!
//! Counting: the number of placements is `[x^w] F(x)^N` with the per-domain polynomial
//! `F(x) = Σ_{c ≤ m} C(g, c) x^c` (choose `c` of the domain's `g` drives). Marking lost
//! strips with `y`: a lost domain contributes `L(x, y) = Σ_c C(g, c) (xy)^c`; a surviving
//! domain with `e` failed drives `H_e(x, y) = Σ_c Σ_j C(e, j) C(g-e, c-j) y^j x^c`. So for
//! failed drives spread `e_1, e_2, ...` over `k` domains,
//! `P(X = j) = [x^w y^j] F^{N-a-k} L^a Π H_e / [x^w] F^N`, exactly.
//!
//! Numerics: the raw counts overflow f64 (`C(10^4, 150)` ~ 10^370), so every domain
//! polynomial is exponentially tilted, `x → s x`, and divided by `F(s)`, with `s` chosen so
//! the tilted per-domain mean is `w / N`. The ratio is unchanged (both sides pick up
//! `s^w / F(s)^N`), and `[x^w]` of the tilted `F^N` becomes the probability that a sum of
//! `N` i.i.d. bounded counts equals its mean — of order `1/√N`, comfortably in range. The
//! `y` degree saturates at the code's loss threshold, so the loss tail is a sum of positive
//! terms, never `1 - P(no loss)`.

use super::code::{ln_binom, Code};
use std::collections::HashMap;

/// Per-stripe loss probabilities for failure sets of a cluster.
#[derive(Clone, Debug)]
pub struct Placement {
    width: usize,
    domains: usize,
    per_domain: usize,
    /// `y` degrees `0..=threshold`; degree `threshold` collects every larger loss.
    threshold: usize,
    /// `u(k)` for `k` in `0..=threshold` (the last is 1).
    unrecoverable: Vec<f64>,
    /// Tilted, normalised per-domain weights of holding `c` strips.
    f: Vec<f64>,
    /// `[x^w] F^N` (tilted).
    denominator: f64,
    powers: HashMap<usize, Vec<f64>>,
    /// `L^a H^i`, memoised: each is one product away from a smaller one.
    marked: HashMap<(Vec<usize>, usize), Vec<f64>>,
    tails: HashMap<(usize, usize), f64>,
    /// [`Placement::loss_with`] by (pattern, lost domains).
    known: HashMap<(Vec<usize>, usize), f64>,
}

impl Placement {
    /// `drives` split evenly into `domains` of `drives / domains`; at most `max_per_domain`
    /// strips of a stripe in one domain. Caller has validated that the width fits:
    /// `width ≤ min(max_per_domain, per_domain) × domains`.
    pub fn new(code: &Code, drives: usize, domains: usize, max_per_domain: usize) -> Self {
        let width = code.width() as usize;
        let per_domain = drives / domains;
        let m = max_per_domain.min(per_domain).min(width);
        let threshold = code.loss_threshold() as usize;
        let unrecoverable = (0..=threshold)
            .map(|k| code.unrecoverable_fraction(k as u32))
            .collect();

        let ln_c: Vec<f64> = (0..=m).map(|c| ln_binom(per_domain, c)).collect();
        let weights = |ln_s: f64| -> Vec<f64> {
            let lw: Vec<f64> = (0..=m).map(|c| ln_c[c] + c as f64 * ln_s).collect();
            let max = lw.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let z: f64 = lw.iter().map(|v| (v - max).exp()).sum();
            lw.iter().map(|v| (v - max).exp() / z).collect()
        };
        let target = width as f64 / domains as f64;
        // The tilted mean rises monotonically from 0 to m as ln s goes from -inf to +inf.
        let (mut lo, mut hi) = (-200.0f64, 200.0f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            let mean: f64 = weights(mid)
                .iter()
                .enumerate()
                .map(|(c, p)| c as f64 * p)
                .sum();
            if mean < target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let f = weights(0.5 * (lo + hi));
        let mut p = Placement {
            width,
            domains,
            per_domain,
            threshold,
            unrecoverable,
            f,
            denominator: 0.0,
            powers: HashMap::new(),
            marked: HashMap::new(),
            tails: HashMap::new(),
            known: HashMap::new(),
        };
        p.denominator = p.power(domains)[width];
        p
    }

    pub fn threshold(&self) -> usize {
        self.threshold
    }

    pub fn domains(&self) -> usize {
        self.domains
    }

    pub fn per_domain(&self) -> usize {
        self.per_domain
    }

    /// Product of univariate polynomials truncated at degree `w`.
    fn mul1(&self, a: &[f64], b: &[f64]) -> Vec<f64> {
        let w = self.width;
        let mut out = vec![0.0; w + 1];
        for (i, &ai) in a.iter().enumerate() {
            if ai == 0.0 {
                continue;
            }
            for (j, &bj) in b.iter().enumerate().take(w + 1 - i) {
                out[i + j] += ai * bj;
            }
        }
        out
    }

    /// `F^n` truncated at degree `w`, by repeated squaring, memoised.
    fn power(&mut self, n: usize) -> Vec<f64> {
        if let Some(v) = self.powers.get(&n) {
            return v.clone();
        }
        let mut result = vec![0.0; self.width + 1];
        result[0] = 1.0;
        let mut base = self.f.clone();
        base.resize(self.width + 1, 0.0);
        let mut e = n;
        while e > 0 {
            if e & 1 == 1 {
                result = self.mul1(&result, &base);
            }
            e >>= 1;
            if e > 0 {
                base = self.mul1(&base, &base);
            }
        }
        self.powers.insert(n, result.clone());
        result
    }

    /// Bivariate (x degree ≤ w, y degree saturating at `threshold`) product.
    ///
    /// `b` is one domain's polynomial (x degree ≤ m), so only its few nonzero terms are
    /// visited: the cost is `w · t · nnz(b)`, not `(w · t)^2`, which is what lets the
    /// simulation ask on every re-route. They are visited in the order the dense loop
    /// would visit them, so every sum is formed in the same order as before.
    fn mul2(&self, a: &[f64], b: &[f64]) -> Vec<f64> {
        let (w, t) = (self.width, self.threshold);
        let ny = t + 1;
        let nonzero: Vec<(usize, usize, f64)> = b
            .iter()
            .enumerate()
            .filter(|&(_, &v)| v != 0.0)
            .map(|(k, &v)| (k / ny, k % ny, v))
            .collect();
        let mut out = vec![0.0; (w + 1) * ny];
        for ca in 0..=w {
            for ya in 0..ny {
                let va = a[ca * ny + ya];
                if va == 0.0 {
                    continue;
                }
                for &(cb, yb, vb) in &nonzero {
                    if cb > w - ca {
                        break;
                    }
                    out[(ca + cb) * ny + (ya + yb).min(t)] += va * vb;
                }
            }
        }
        out
    }

    fn lost_domain(&self) -> Vec<f64> {
        let ny = self.threshold + 1;
        let mut v = vec![0.0; (self.width + 1) * ny];
        for (c, &fc) in self.f.iter().enumerate() {
            v[c * ny + c.min(self.threshold)] += fc;
        }
        v
    }

    /// A surviving domain with `e` failed drives: of the `C(g, c)` ways to put `c` strips in
    /// it, `C(e, j) C(g-e, c-j)` put `j` of them on failed drives.
    fn domain_with_failed(&self, e: usize) -> Vec<f64> {
        let ny = self.threshold + 1;
        let g = self.per_domain;
        let mut v = vec![0.0; (self.width + 1) * ny];
        for (c, &fc) in self.f.iter().enumerate() {
            let all = ln_binom(g, c);
            for j in 0..=c.min(e) {
                let ways = ln_binom(e, j) + ln_binom(g - e, c - j);
                if ways > f64::NEG_INFINITY {
                    v[c * ny + j.min(self.threshold)] += fc * (ways - all).exp();
                }
            }
        }
        v
    }

    /// `L^domains · Π_e H_e` over the parts `e` of `pattern` (bivariate, truncated).
    fn marked(&mut self, pattern: &[usize], domains: usize) -> Vec<f64> {
        let key = (pattern.to_vec(), domains);
        if let Some(v) = self.marked.get(&key) {
            return v.clone();
        }
        let v = if let Some((&e, rest)) = pattern.split_last() {
            let prev = self.marked(rest, domains);
            self.mul2(&prev, &self.domain_with_failed(e))
        } else if domains > 0 {
            let prev = self.marked(&[], domains - 1);
            self.mul2(&prev, &self.lost_domain())
        } else {
            let mut unit = vec![0.0; (self.width + 1) * (self.threshold + 1)];
            unit[0] = 1.0;
            unit
        };
        self.marked.insert(key, v.clone());
        v
    }

    /// Probability that one stripe is undecodable when `domains` whole domains and `drives`
    /// single drives are lost, the drives a uniformly random set among the surviving
    /// domains' drives.
    ///
    /// Where the failed drives fall matters under a per-domain limit (two failed drives in
    /// one DBox can hold at most 2 strips of a stripe between them under DBox-HA), so the
    /// tail is averaged over the occupancy patterns — the partitions of `drives` into
    /// per-domain counts `e_1 ≥ e_2 ≥ ...` — weighted by their exact probability
    /// `[N'! / ((N'-k)! Π_e m_e!)] Π_parts C(g, e) / C(N' g, drives)` with `N'` surviving
    /// domains, `k` parts and `m_e` parts of size `e`. Without a limit every pattern gives
    /// the same hypergeometric answer; with one, the average is what a random failure sees.
    pub fn stripe_loss(&mut self, drives: usize, domains: usize) -> f64 {
        if let Some(&v) = self.tails.get(&(drives, domains)) {
            return v;
        }
        assert!(
            domains <= self.domains,
            "more lost domains than the cluster has"
        );
        let survivors = self.domains - domains;
        let g = self.per_domain;
        assert!(
            drives <= survivors * g,
            "more failed drives than the cluster has"
        );
        let ln_sets: f64 = (0..drives)
            .map(|k| (((survivors * g - k) as f64) / ((k + 1) as f64)).ln())
            .sum();
        let mut total = 0.0;
        for pattern in partitions(drives, g) {
            let parts = pattern.len();
            if parts > survivors {
                continue;
            }
            // ln [N'!/(N'-k)!] + Σ ln C(g, e) - Σ_e ln m_e!
            let mut ln_ways: f64 = (0..parts).map(|k| ((survivors - k) as f64).ln()).sum();
            ln_ways += pattern.iter().map(|&e| ln_binom(g, e)).sum::<f64>();
            let mut run = 1usize;
            for k in 1..=parts {
                if k < parts && pattern[k] == pattern[k - 1] {
                    run += 1;
                } else {
                    ln_ways -= (1..=run).map(|r| (r as f64).ln()).sum::<f64>();
                    run = 1;
                }
            }
            let weight = (ln_ways - ln_sets).exp();
            total += weight * self.pattern_loss(&pattern, domains);
        }
        let v = total.clamp(0.0, 1.0);
        self.tails.insert((drives, domains), v);
        v
    }

    /// Probability that one stripe is undecodable for one known failure set: `domains`
    /// whole domains lost and, in other domains, `failed[k]` failed drives each (one entry
    /// per domain; zeros are ignored, counts above the domain's drives are the whole
    /// domain). Unlike [`Placement::stripe_loss`] nothing is averaged: the set is given,
    /// and by symmetry only its shape matters, so the answer is exact for it.
    pub fn loss_with(&mut self, domains: usize, failed: &[usize]) -> f64 {
        let mut pattern: Vec<usize> = failed
            .iter()
            .filter(|&&e| e > 0)
            .map(|&e| e.min(self.per_domain))
            .collect();
        pattern.sort_unstable_by(|a, b| b.cmp(a));
        assert!(
            domains + pattern.len() <= self.domains,
            "more domains hit than the cluster has"
        );
        let key = (pattern, domains);
        if let Some(&v) = self.known.get(&key) {
            return v;
        }
        let v = self.pattern_loss(&key.0, domains);
        self.known.insert(key, v);
        v
    }

    /// The loss tail for failed drives in a fixed occupancy pattern.
    fn pattern_loss(&mut self, pattern: &[usize], domains: usize) -> f64 {
        let ny = self.threshold + 1;
        let b = self.marked(pattern, domains);
        let rest = self.power(self.domains - domains - pattern.len());
        let mut tail = 0.0;
        for k in 1..ny {
            let coef: f64 = (0..=self.width)
                .map(|c| rest[self.width - c] * b[c * ny + k])
                .sum();
            tail += self.unrecoverable[k] * coef;
        }
        (tail / self.denominator).clamp(0.0, 1.0)
    }

    /// Expected number of domains holding exactly `c` strips of a stripe, `c = 0..=m`:
    /// `N · f_c · [x^{w-c}] F^{N-1} / [x^w] F^N`.
    pub fn domain_profile(&mut self) -> Vec<f64> {
        let rest = self.power(self.domains - 1);
        let f = self.f.clone();
        f.iter()
            .enumerate()
            .map(|(c, &fc)| {
                if c > self.width {
                    0.0
                } else {
                    self.domains as f64 * fc * rest[self.width - c] / self.denominator
                }
            })
            .collect()
    }
}

/// Partitions of `n` into parts of at most `max`, each as a non-increasing list.
fn partitions(n: usize, max: usize) -> Vec<Vec<usize>> {
    fn go(n: usize, max: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if n == 0 {
            out.push(prefix.clone());
            return;
        }
        for e in (1..=max.min(n)).rev() {
            prefix.push(e);
            go(n - e, e, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    go(n, max, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::code::binom;
    use super::*;

    /// Hypergeometric P(X ≥ t) for X = strips of a w-stripe on k of D drives.
    fn hyper_tail(d: usize, k: usize, w: usize, t: usize) -> f64 {
        (t..=k.min(w))
            .map(|x| binom(k, x) * binom(d - k, w - x) / binom(d, w))
            .sum()
    }

    #[test]
    fn no_domains_is_hypergeometric() {
        let code = Code::mds(8, 2);
        let mut p = Placement::new(&code, 60, 60, 1);
        for k in 0..=6 {
            let got = p.stripe_loss(k, 0);
            let exact = hyper_tail(60, k, 10, 3);
            assert!(
                (got - exact).abs() <= 1e-12 * exact.max(1e-300),
                "k={k}: {got} vs {exact}"
            );
        }
        // The same cluster grouped into 6 domains of 10 with no per-domain limit: a lost
        // domain is 10 lost drives, still hypergeometric.
        let mut q = Placement::new(&code, 60, 6, 10);
        let exact = hyper_tail(60, 10, 10, 3);
        assert!((q.stripe_loss(0, 1) / exact - 1.0).abs() < 1e-10);
    }

    #[test]
    fn random_drive_failures_see_the_same_tail_under_any_layout_rule() {
        // For any fixed w-subset, a uniformly random i-set of drives meets it
        // hypergeometrically; so does a stripe drawn under any rule. The exact average over
        // occupancy patterns must reproduce that, with or without the per-domain limit.
        let code = Code::mds(16, 4);
        for &(d, n, m) in &[
            (88usize, 11usize, 2usize),
            (88, 11, 8),
            (60, 20, 1),
            (60, 20, 3),
        ] {
            let mut p = Placement::new(&code, d, n, m);
            for i in 0..=8 {
                let got = p.stripe_loss(i, 0);
                let exact = hyper_tail(d, i, 20, 5);
                assert!(
                    (got - exact).abs() <= 1e-10 * exact.max(1e-300),
                    "d={d} n={n} m={m} i={i}: {got} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn one_huge_domain_does_not_overflow() {
        // C(10^4, 150) ~ 10^370 overflows f64; the log-space weights must not.
        let code = Code::mds(146, 4);
        let mut p = Placement::new(&code, 10_000, 1, u32::MAX as usize);
        assert_eq!(p.stripe_loss(0, 1), 1.0);
        for i in [1usize, 5, 8] {
            let got = p.stripe_loss(i, 0);
            let exact: f64 = (5..=i)
                .map(|x| {
                    (ln_binom(i, x) + ln_binom(10_000 - i, 150 - x) - ln_binom(10_000, 150)).exp()
                })
                .sum();
            assert!(
                (got - exact).abs() <= 1e-9 * exact.max(1e-300),
                "i={i}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn partitions_are_complete() {
        assert_eq!(partitions(4, 4).len(), 5);
        assert_eq!(
            partitions(4, 2),
            vec![vec![2, 2], vec![2, 1, 1], vec![1, 1, 1, 1]]
        );
        assert_eq!(partitions(0, 3), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn a_stripe_as_wide_as_the_cluster_loses_exactly_when_failures_exceed_parity() {
        let code = Code::mds(4, 2);
        let mut p = Placement::new(&code, 6, 6, 1);
        assert_eq!(p.stripe_loss(2, 0), 0.0);
        assert!((p.stripe_loss(3, 0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn at_most_two_per_domain_makes_one_domain_loss_survivable_for_parity_two() {
        let code = Code::mds(18, 4);
        // 11 domains × 22 drives (the DBox-HA minimum), 22-wide stripes.
        let mut ha = Placement::new(&code, 242, 11, 2);
        assert_eq!(ha.stripe_loss(0, 1), 0.0);
        assert_eq!(ha.stripe_loss(0, 2), 0.0);
        assert!(ha.stripe_loss(0, 3) > 0.0);
        // Each of the 11 domains holds exactly 2 strips: the layout is forced.
        let prof = ha.domain_profile();
        assert!((prof[2] - 11.0).abs() < 1e-9, "{prof:?}");
        let mut free = Placement::new(&code, 242, 11, 22);
        assert!(free.stripe_loss(0, 1) > 0.0);
        let prof = free.domain_profile();
        assert!((prof.iter().sum::<f64>() - 11.0).abs() < 1e-9);
        let mean: f64 = prof.iter().enumerate().map(|(c, n)| c as f64 * n).sum();
        assert!((mean - 22.0).abs() < 1e-9);
    }
}
