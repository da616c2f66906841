//! Erasure codes as seen by the durability model: a width and, for each number of lost
//! strips `k`, the fraction `u(k)` of `k`-strip loss patterns that cannot be decoded.

use crate::InputError;
use serde::Serialize;

/// A stripe's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// Maximum-distance-separable `data + parity` (Reed–Solomon-like; VAST's LDEC D+4
    /// tolerates any 4 lost strips; replication `1 + (copies-1)`): decodable iff at most
    /// `parity` strips are lost.
    Mds { data: u32, parity: u32 },
    /// Azure's locally reconstructable code LRC(k, l, r): `data` fragments in `local_groups`
    /// equal groups, one local parity per group, `global` global parities
    /// (vast/azure facts §3: LRC 12+2+2, Huang et al., USENIX ATC 2012).
    Lrc {
        data: u32,
        local_groups: u32,
        global: u32,
    },
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Code::Mds { data: 1, parity } => write!(f, "{} copies", parity + 1),
            Code::Mds { data, parity } => write!(f, "{data}+{parity}"),
            Code::Lrc {
                data,
                local_groups,
                global,
            } => write!(f, "LRC {data}+{local_groups}+{global}"),
        }
    }
}

impl Code {
    pub fn mds(data: u32, parity: u32) -> Self {
        Code::Mds { data, parity }
    }

    /// `copies` full replicas: an MDS code with one data strip.
    pub fn replicas(copies: u32) -> Self {
        Code::Mds {
            data: 1,
            parity: copies.saturating_sub(1),
        }
    }

    pub fn width(&self) -> u32 {
        match *self {
            Code::Mds { data, parity } => data + parity,
            Code::Lrc {
                data,
                local_groups,
                global,
            } => data + local_groups + global,
        }
    }

    pub fn data(&self) -> u32 {
        match *self {
            Code::Mds { data, .. } | Code::Lrc { data, .. } => data,
        }
    }

    /// Rejects codes that cannot exist, naming the field.
    pub fn validate(&self, file: &str) -> Result<(), InputError> {
        match *self {
            Code::Mds { data, parity } => {
                if data == 0 {
                    return Err(
                        InputError::new(file, "a stripe needs at least one data strip")
                            .field("stripe_data"),
                    );
                }
                if parity == 0 {
                    return Err(InputError::new(
                        file,
                        "a stripe without parity loses data on any failure; parity must be ≥ 1",
                    )
                    .field("stripe_parity"));
                }
                if data.checked_add(parity).is_none_or(|w| parity >= w) {
                    return Err(
                        InputError::new(file, "parity must be less than the stripe width")
                            .field("stripe_parity"),
                    );
                }
            }
            Code::Lrc {
                data,
                local_groups,
                global,
            } => {
                if data == 0 || local_groups == 0 || data % local_groups != 0 {
                    return Err(InputError::new(
                        file,
                        format!("LRC needs data ({data}) divisible into {local_groups} equal local groups"),
                    )
                    .field("local_groups"));
                }
                if global == 0 {
                    return Err(
                        InputError::new(file, "LRC needs at least one global parity")
                            .field("global"),
                    );
                }
            }
        }
        Ok(())
    }

    /// Fraction of the `C(width, k)` patterns of `k` lost strips that cannot be decoded.
    pub fn unrecoverable_fraction(&self, k: u32) -> f64 {
        match *self {
            Code::Mds { parity, .. } => {
                if k > parity {
                    1.0
                } else {
                    0.0
                }
            }
            Code::Lrc {
                data,
                local_groups,
                global,
            } => lrc_unrecoverable_fraction(data, local_groups, global, k),
        }
    }

    /// The smallest `k` with `u(k) = 1`: every pattern of that many lost strips loses data.
    pub fn loss_threshold(&self) -> u32 {
        (0..=self.width())
            .find(|&k| self.unrecoverable_fraction(k) >= 1.0)
            .unwrap_or(self.width() + 1)
    }

    /// The largest `k` such that every `k`-strip loss is decodable.
    pub fn tolerates(&self) -> u32 {
        (0..=self.width())
            .take_while(|&k| self.unrecoverable_fraction(k) == 0.0)
            .last()
            .unwrap_or(0)
    }
}

/// Counts undecodable patterns of an LRC(k, l, r) with maximally recoverable coefficients.
///
/// Decodability: group `g` (its `k/l` data fragments plus its local parity) with `f_g`
/// lost fragments has `f_g - [local parity lost]` unknown data fragments and
/// `1 - [local parity lost]` local equations, a deficit of `f_g - 1` whenever `f_g ≥ 1`.
/// The surviving global parities (`r - lost globals`) are shared by all groups, so with
/// maximally recoverable coefficients the pattern decodes iff
/// `Σ_g max(f_g - 1, 0) ≤ r - lost globals`. For (12, 2, 2) this gives 252 undecodable
/// 4-patterns of 1,820, i.e. 86.2% of 4-failures recoverable — the figure Huang et al.
/// report — and no undecodable 3-pattern.
fn lrc_unrecoverable_fraction(data: u32, groups: u32, global: u32, k: u32) -> f64 {
    let group_size = (data / groups + 1) as usize;
    let width = (data + groups + global) as usize;
    let k = k as usize;
    if k > width {
        return 1.0;
    }
    // ways[t][def]: number of ways to lose t fragments among the groups so far with a total
    // deficit `def` (capped at global + 1, which is already undecodable).
    let cap = global as usize + 1;
    let mut ways = vec![vec![0f64; cap + 1]; width + 1];
    ways[0][0] = 1.0;
    for _ in 0..groups {
        let mut next = vec![vec![0f64; cap + 1]; width + 1];
        for (t, row) in ways.iter().enumerate() {
            for (def, &w) in row.iter().enumerate() {
                if w == 0.0 {
                    continue;
                }
                for f in 0..=group_size.min(width - t) {
                    let d = (def + f.saturating_sub(1)).min(cap);
                    next[t + f][d] += w * binom(group_size, f);
                }
            }
        }
        ways = next;
    }
    let mut bad = 0.0;
    for g in 0..=(global as usize).min(k) {
        let t = k - g;
        if t > width {
            continue;
        }
        for (def, &w) in ways[t].iter().enumerate() {
            if def > global as usize - g {
                bad += w * binom(global as usize, g);
            }
        }
    }
    bad / binom(width, k)
}

/// Binomial coefficient as f64 (exact for the small arguments used here).
pub(crate) fn binom(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    let k = k.min(n - k);
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// `ln C(n, k)`, finite where `C(n, k)` itself overflows f64 (a 10,000-drive domain);
/// `-inf` when `k > n`.
pub(crate) fn ln_binom(n: usize, k: usize) -> f64 {
    if k > n {
        return f64::NEG_INFINITY;
    }
    let k = k.min(n - k);
    (0..k).map(|i| ((n - i) as f64 / (i + 1) as f64).ln()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mds_thresholds() {
        let c = Code::mds(146, 4);
        assert_eq!(c.width(), 150);
        assert_eq!(c.tolerates(), 4);
        assert_eq!(c.loss_threshold(), 5);
        assert_eq!(Code::replicas(3), Code::mds(1, 2));
    }

    #[test]
    fn lrc_12_2_2_recovers_all_3_failures_and_86_percent_of_4() {
        let c = Code::Lrc {
            data: 12,
            local_groups: 2,
            global: 2,
        };
        assert_eq!(c.width(), 16);
        assert_eq!(c.tolerates(), 3);
        let u4 = c.unrecoverable_fraction(4);
        assert!((u4 - 252.0 / 1820.0).abs() < 1e-12, "{u4}");
        assert!(((1.0 - u4) * 100.0 - 86.2).abs() < 0.1);
        assert_eq!(c.loss_threshold(), 5);
    }

    #[test]
    fn bad_codes_are_errors() {
        assert!(Code::mds(0, 4).validate("x").is_err());
        assert!(Code::mds(4, 0).validate("x").is_err());
        assert!(Code::Lrc {
            data: 13,
            local_groups: 2,
            global: 2
        }
        .validate("x")
        .is_err());
        assert!(Code::mds(146, 4).validate("x").is_ok());
    }
}
