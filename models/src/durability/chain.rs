//! Generic absorbing continuous-time Markov chain algebra.
//!
//! Transient states `0..n`, one absorbing state (data loss). The chain is given by its
//! off-diagonal rates between transient states and its rates into the absorbing state.
//!
//! Why not `nalgebra`'s LU on `-T` directly: in a durability chain the repair rates exceed
//! the failure rates by 10^4–10^8 and absorption is 10^-10-rare, so every row of `-T` sums
//! to (almost) zero and the matrix has condition number ~ MTTDL × largest rate (10^20 and
//! more). Partial-pivot LU then returns digits of noise. The elimination below is the
//! Grassmann–Taksar–Heyman (GTH) idea: never form a diagonal by subtraction; recompute it as
//! the sum of the (non-negative) rates leaving the state. Every operation adds or multiplies
//! non-negative numbers, so each result keeps nearly full relative precision.
//!
//! P(absorbed by t) uses uniformization with squaring, again subtraction-free (see
//! [`AbsorbingChain::absorbed_by`]).

use nalgebra::{DMatrix, DVector};

/// A CTMC with transient states `0..n` and one absorbing state.
#[derive(Clone, Debug)]
pub struct AbsorbingChain {
    /// `rates[(i, j)]`, `i != j`: rate from transient `i` to transient `j`. Diagonal unused.
    rates: DMatrix<f64>,
    /// Rate from transient `i` into the absorbing state.
    absorb: DVector<f64>,
}

/// The eliminated form of `-T` (an LU factorisation whose pivots are GTH row sums).
struct Factor {
    /// Upper part: `u[(k, j)]`, `j > k`, the rate from `k` to `j` after eliminating `0..k`;
    /// lower part: `u[(i, k)]`, `i > k`, the rate from `i` to `k` at that time.
    u: DMatrix<f64>,
    /// `d[k]`: total rate out of `k` (to the remaining states and to absorption) at the
    /// time `k` is eliminated.
    d: DVector<f64>,
}

impl AbsorbingChain {
    pub fn new(n: usize) -> Self {
        AbsorbingChain {
            rates: DMatrix::zeros(n, n),
            absorb: DVector::zeros(n),
        }
    }

    pub fn len(&self) -> usize {
        self.absorb.len()
    }

    pub fn is_empty(&self) -> bool {
        self.absorb.is_empty()
    }

    /// Adds `rate` (per unit time, ≥ 0) from `from` to `to` (`None`: the absorbing state).
    /// Self-loops are meaningless in a CTMC and ignored.
    pub fn add_rate(&mut self, from: usize, to: Option<usize>, rate: f64) {
        debug_assert!(rate >= 0.0 && rate.is_finite(), "rate {rate}");
        match to {
            Some(j) if j == from => {}
            Some(j) => self.rates[(from, j)] += rate,
            None => self.absorb[from] += rate,
        }
    }

    /// Total rate out of each state.
    fn exit_rates(&self) -> DVector<f64> {
        let n = self.len();
        DVector::from_fn(n, |i, _| {
            (0..n)
                .filter(|&j| j != i)
                .map(|j| self.rates[(i, j)])
                .sum::<f64>()
                + self.absorb[i]
        })
    }

    /// Gaussian elimination of `-T` in natural order. Eliminating state `k` from the
    /// equations `d_i x_i - Σ_j r_ij x_j = b_i` turns the rates of every remaining `i` into
    /// `r'_ij = r_ij + r_ik r_kj / d_k`, `a'_i = a_i + r_ik a_k / d_k` and the diagonal into
    /// `d_i - r_ik r_ki / d_k`. Expanding `r_ik = r_ik (Σ_{j≠k} r_kj + a_k) / d_k` shows that
    /// this diagonal equals `Σ_{j≠i} r'_ij + a'_i`, which is how it is computed (GTH).
    fn factor(&self) -> Factor {
        let n = self.len();
        let mut u = self.rates.clone();
        let mut a = self.absorb.clone();
        let mut d = DVector::zeros(n);
        for k in 0..n {
            let dk: f64 = ((k + 1)..n).map(|j| u[(k, j)]).sum::<f64>() + a[k];
            d[k] = dk;
            if dk <= 0.0 {
                // A trap: from here absorption is impossible. Solves yield +inf.
                continue;
            }
            for i in (k + 1)..n {
                let rik = u[(i, k)];
                if rik == 0.0 {
                    continue;
                }
                let f = rik / dk;
                for j in (k + 1)..n {
                    if j != i {
                        let rkj = u[(k, j)];
                        if rkj != 0.0 {
                            u[(i, j)] += f * rkj;
                        }
                    }
                }
                a[i] += f * a[k];
            }
        }
        Factor { u, d }
    }

    /// Solves `-T x = b` for non-negative `b`.
    fn solve(f: &Factor, b: &DVector<f64>) -> DVector<f64> {
        let n = b.len();
        let mut y = b.clone();
        for k in 0..n {
            if f.d[k] <= 0.0 || y[k] == 0.0 {
                continue;
            }
            let yk = y[k] / f.d[k];
            for i in (k + 1)..n {
                let rik = f.u[(i, k)];
                if rik != 0.0 {
                    y[i] += rik * yk;
                }
            }
        }
        let mut x = DVector::zeros(n);
        for k in (0..n).rev() {
            // Skip zero rates: a zero rate into an unabsorbable (infinite-time) state must
            // contribute nothing, not 0 × inf = NaN.
            let s: f64 = y[k]
                + ((k + 1)..n)
                    .filter(|&j| f.u[(k, j)] != 0.0)
                    .map(|j| f.u[(k, j)] * x[j])
                    .sum::<f64>();
            x[k] = if s == 0.0 {
                0.0
            } else if f.d[k] <= 0.0 {
                f64::INFINITY
            } else {
                s / f.d[k]
            };
        }
        x
    }

    /// Mean time to absorption from each state: the solution of `-T t = 1`.
    pub fn mean_times_to_absorption(&self) -> DVector<f64> {
        let f = self.factor();
        Self::solve(&f, &DVector::from_element(self.len(), 1.0))
    }

    /// Expected time spent in each transient state before absorption, starting in `start`:
    /// row `start` of the fundamental matrix `N = (-T)^-1`. Column `j` of `N` solves
    /// `-T x = e_j`; one factorisation serves all `n` solves.
    pub fn occupancy(&self, start: usize) -> DVector<f64> {
        let n = self.len();
        let f = self.factor();
        DVector::from_fn(n, |j, _| {
            let mut e = DVector::zeros(n);
            e[j] = 1.0;
            Self::solve(&f, &e)[start]
        })
    }

    /// Long-run fraction of time in each transient state when every absorption is followed
    /// at once by a restart in `restart` (a lost cluster restored and put back in service).
    ///
    /// GTH state reduction on the recurrent chain: eliminating the highest state `k`
    /// reroutes its inflow through its exits, `r_ij += r_ik r_kj / s_k` with
    /// `s_k = Σ_{j<k} r_kj` (its rate to the states still kept, a sum, not a difference);
    /// then `π_k = Σ_{i<k} π_i r_ik / s_k` upwards from `π_0 = 1`. When absorption is
    /// possible this equals the renewal ratio `N[restart, ·] / MTTDL` (tested), and it
    /// still works when loss is impossible and the MTTDL is infinite.
    pub fn stationary_with_restart(&self, restart: usize) -> DVector<f64> {
        let n = self.len();
        let mut r = self.rates.clone();
        for i in 0..n {
            if i != restart {
                r[(i, restart)] += self.absorb[i];
            }
            r[(i, i)] = 0.0;
        }
        let mut s = DVector::zeros(n);
        for k in (1..n).rev() {
            let sk: f64 = (0..k).map(|j| r[(k, j)]).sum();
            s[k] = sk;
            if sk <= 0.0 {
                continue;
            }
            for i in 0..k {
                let rik = r[(i, k)];
                if rik == 0.0 {
                    continue;
                }
                for j in 0..k {
                    if j != i {
                        r[(i, j)] += rik * r[(k, j)] / sk;
                    }
                }
            }
        }
        let mut pi = DVector::zeros(n);
        if n == 0 {
            return pi;
        }
        pi[0] = 1.0;
        for k in 1..n {
            if s[k] > 0.0 {
                pi[k] = (0..k).map(|i| pi[i] * r[(i, k)]).sum::<f64>() / s[k];
            }
        }
        let total = pi.sum();
        pi / total
    }

    /// Probability of absorption by time `t` starting in `start`.
    ///
    /// Uniformization: with `Λ ≥` every exit rate, `P = I + Q/Λ` (augmented with the
    /// absorbing state) is stochastic and `exp(Qh) = Σ_k e^{-Λh} (Λh)^k / k! P^k`. Taking
    /// `Λ = 1.5 × max exit rate` keeps every self-loop `1 - d_i/Λ ≥ 1/3`, so even that one
    /// subtraction loses no relative precision. `h = t / 2^s` with `Λh ≤ 1/2` makes the
    /// series converge in a few dozen terms (the term at k = 40 is below 1e-60 of the
    /// k = 5 term); then `exp(Qt) = exp(Qh)^(2^s)` by squaring. All entries are
    /// non-negative sums of non-negative products, so a 1e-13 loss probability comes out
    /// with ~12 good digits — `1 - survival` would have none.
    pub fn absorbed_by(&self, start: usize, t: f64) -> f64 {
        let n = self.len();
        if t <= 0.0 {
            return 0.0;
        }
        let exits = self.exit_rates();
        let max_exit = exits.iter().cloned().fold(0.0, f64::max);
        if max_exit <= 0.0 {
            return 0.0;
        }
        let lambda = 1.5 * max_exit;
        let mut p = DMatrix::zeros(n + 1, n + 1);
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    p[(i, j)] = self.rates[(i, j)] / lambda;
                }
            }
            p[(i, i)] = 1.0 - exits[i] / lambda;
            p[(i, n)] = self.absorb[i] / lambda;
        }
        p[(n, n)] = 1.0;

        let s = (2.0 * lambda * t).log2().ceil().max(0.0) as i32;
        let lh = lambda * t / 2f64.powi(s);
        let mut e = DMatrix::zeros(n + 1, n + 1);
        let mut term = DMatrix::identity(n + 1, n + 1);
        let mut w = (-lh).exp();
        for k in 0..=40 {
            if k > 0 {
                term = &term * &p;
                w *= lh / k as f64;
            }
            e += &term * w;
        }
        for _ in 0..s {
            e = &e * &e;
        }
        e[(start, n)].clamp(0.0, 1.0)
    }
}

/// Mean time to absorption from state 0 of a birth–death chain on `0..K` with absorption at
/// `K`, birth rates `up[k]` (k → k+1) and death rates `down[k]` (k → k-1, `down[0]` unused).
///
/// Derivation: let `τ_k` be the mean time to first reach `k+1` from `k`. Leaving `k` takes
/// `1/(λ_k+μ_k)`; with probability `μ_k/(λ_k+μ_k)` we fall to `k-1` and need `τ_{k-1} + τ_k`
/// more, so `τ_k = 1/λ_k + (μ_k/λ_k) τ_{k-1}`, i.e.
/// `τ_k = Σ_{j≤k} (1/λ_j) Π_{i=j+1..k} μ_i/λ_i`, and the MTTDL is `Σ_{k<K} τ_k`.
pub fn birth_death_mtta(up: &[f64], down: &[f64]) -> f64 {
    let mut total = 0.0;
    let mut tau = 0.0;
    for k in 0..up.len() {
        let mu = if k == 0 { 0.0 } else { down[k] };
        tau = 1.0 / up[k] + mu / up[k] * tau;
        total += tau;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn birth_death(up: &[f64], down: &[f64]) -> AbsorbingChain {
        let k = up.len();
        let mut c = AbsorbingChain::new(k);
        for i in 0..k {
            c.add_rate(i, if i + 1 < k { Some(i + 1) } else { None }, up[i]);
            if i > 0 {
                c.add_rate(i, Some(i - 1), down[i]);
            }
        }
        c
    }

    #[test]
    fn matches_nalgebra_lu_on_a_well_conditioned_chain() {
        let mut c = AbsorbingChain::new(3);
        c.add_rate(0, Some(1), 2.0);
        c.add_rate(0, Some(2), 1.0);
        c.add_rate(1, Some(0), 3.0);
        c.add_rate(1, None, 0.5);
        c.add_rate(2, Some(1), 1.5);
        c.add_rate(2, None, 0.25);
        let t = c.mean_times_to_absorption();
        let mut m = DMatrix::zeros(3, 3);
        let ex = c.exit_rates();
        for i in 0..3 {
            for j in 0..3 {
                m[(i, j)] = if i == j { ex[i] } else { -c.rates[(i, j)] };
            }
        }
        let lu = m
            .clone()
            .lu()
            .solve(&DVector::from_element(3, 1.0))
            .unwrap();
        for i in 0..3 {
            assert!((t[i] - lu[i]).abs() < 1e-12 * lu[i], "{t} vs {lu}");
        }
        // Occupancy sums to the mean time to absorption and equals row 0 of the inverse.
        let occ = c.occupancy(0);
        assert!((occ.sum() - t[0]).abs() < 1e-12 * t[0]);
        let inv = m.try_inverse().unwrap();
        let pi = c.stationary_with_restart(0);
        for j in 0..3 {
            assert!((pi[j] - occ[j] / t[0]).abs() < 1e-12, "{pi} vs {occ}");
        }
        for j in 0..3 {
            assert!((occ[j] - inv[(0, j)]).abs() < 1e-12 * inv[(0, j)].abs().max(1.0));
        }
    }

    #[test]
    fn stiff_chain_keeps_relative_precision() {
        // Double parity, 150 strips, λ = 1e-8/h, μ = 1/h: MTTDL ~ 3e17 h, far beyond
        // what an LU on -T resolves. The GTH answer agrees with the closed form to 1e-12.
        let n = 150.0;
        let (l, mu) = (1e-8, 1.0);
        let up = [n * l, (n - 1.0) * l, (n - 2.0) * l];
        let down = [0.0, mu, mu];
        let c = birth_death(&up, &down);
        let exact = birth_death_mtta(&up, &down);
        let got = c.mean_times_to_absorption()[0];
        assert!((got - exact).abs() < 1e-12 * exact, "{got} vs {exact}");
        assert!(exact > 1e17);
    }

    #[test]
    fn absorbed_by_matches_exponential_law_and_is_accurate_when_tiny() {
        // One state leaking at rate a: P(T ≤ t) = 1 - e^{-at}.
        let mut c = AbsorbingChain::new(1);
        c.add_rate(0, None, 1e-13);
        let p = c.absorbed_by(0, 8766.0);
        let exact = -(-1e-13f64 * 8766.0).exp_m1();
        assert!((p - exact).abs() < 1e-12 * exact, "{p} vs {exact}");

        // Stiff birth–death: when t ≪ MTTDL, P(T ≤ t) ≈ t / MTTDL (quasi-stationary
        // regime reached in ~1/μ ≪ t).
        let up = [10.0 * 1e-4, 9.0 * 1e-4];
        let down = [0.0, 0.5];
        let c = birth_death(&up, &down);
        let m = birth_death_mtta(&up, &down);
        let p = c.absorbed_by(0, 1000.0);
        let approx = -(-1000.0 / m).exp_m1();
        assert!((p / approx - 1.0).abs() < 0.01, "{p} vs {approx}");
        // Monotone in t and bounded by 1.
        assert!(c.absorbed_by(0, 10.0) < p);
        assert!(c.absorbed_by(0, 1e9) <= 1.0);
        assert!((c.absorbed_by(0, 1e9) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_trap_state_gives_infinite_time() {
        let mut c = AbsorbingChain::new(2);
        c.add_rate(0, Some(1), 1.0);
        let t = c.mean_times_to_absorption();
        assert!(t[0].is_infinite() && t[1].is_infinite());
        assert_eq!(c.absorbed_by(0, 100.0), 0.0);
    }
}
