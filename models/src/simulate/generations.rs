//! Generations: how the data of a cluster grown with another shape spreads over its
//! devices.

use super::devices::SideKey;
use super::sim::Sim;

/// Per-device shares `s_g` of a whole for `n[g]` devices of raw capacity `raw[g]`:
/// proportional to raw capacity, none above `cap`, summing to 1 over the devices (as
/// close as the cap allows: if every device is capped, each holds `cap`).
fn water_fill(n: &[f64], raw: &[f64], cap: f64) -> Vec<f64> {
    let mut capped = vec![false; n.len()];
    loop {
        let taken: f64 = (0..n.len())
            .filter(|&g| capped[g])
            .map(|g| n[g] * cap)
            .sum();
        let free: f64 = (0..n.len())
            .filter(|&g| !capped[g])
            .map(|g| n[g] * raw[g])
            .sum();
        if free <= 0.0 {
            return vec![cap; n.len()];
        }
        let level = (1.0 - taken).max(0.0) / free;
        let mut more = false;
        for g in 0..n.len() {
            if !capped[g] && n[g] > 0.0 && level * raw[g] > cap {
                capped[g] = true;
                more = true;
            }
        }
        if !more {
            return (0..n.len())
                .map(|g| if capped[g] { cap } else { level * raw[g] })
                .collect();
        }
    }
}

impl Sim<'_> {
    /// How the data spreads over generations: every device takes data in proportion to
    /// its raw capacity (VAST fills the emptiest SSDs first, so in steady state every drive
    /// is equally full), except that the layout lets one device hold at most
    /// `strips_per_domain` of a stripe's `width` strips (DBox-HA: 2), which caps its share
    /// of all data at that fraction; what the capped devices cannot take is water-filled
    /// over the rest, and their remaining raw capacity is stranded. Steady state, not the
    /// day of arrival: new boxes come empty and fill with new writes.
    pub(super) fn spread_data(&mut self) {
        let by_gen = self.topo.devices.by_gen(SideKey::Storage);
        let raw: Vec<f64> = (0..by_gen.len())
            .map(|g| match g {
                0 => 1.0,
                g => self.topo.generations[g - 1].raw_ratio,
            })
            .collect();
        let pr = &self.input.spec.protection;
        let width = (pr.stripe_data + pr.stripe_parity) as f64;
        let layout = self.input.topology.layout;
        let cap = if layout.domain == super::input::FailureDomain::Node && width > 0.0 {
            (layout.strips_per_domain as f64 / width).min(1.0)
        } else {
            1.0
        };
        let n: Vec<f64> = by_gen.iter().map(|c| c[0] as f64).collect();
        let shares = water_fill(&n, &raw, cap);
        let base = shares.first().copied().filter(|&s| s > 0.0).unwrap_or(1.0);
        self.topo.data_weights = shares.iter().map(|s| s / base).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::water_fill;

    #[test]
    fn data_fills_by_raw_capacity_up_to_the_layout_cap() {
        // One generation: an even share, whatever the cap above it.
        assert_eq!(water_fill(&[10.0], &[1.0], 0.2), vec![0.1]);
        // 14 small boxes and 6 eight times larger, 2 strips of 28 each at most: the large
        // ones are capped at 1/14 and the small ones share the rest.
        let s = water_fill(&[14.0, 6.0], &[1.0, 8.0], 2.0 / 28.0);
        assert!((s[1] - 2.0 / 28.0).abs() < 1e-15);
        assert!((14.0 * s[0] + 6.0 * s[1] - 1.0).abs() < 1e-12);
        // Below the cap, plain proportion: 8 of 62 per large box.
        let p = water_fill(&[14.0, 6.0], &[1.0, 8.0], 1.0);
        assert!((p[1] - 8.0 / 62.0).abs() < 1e-15 && (p[0] - 1.0 / 62.0).abs() < 1e-15);
        // Too few devices for the cap to hold everything: each holds the cap.
        assert_eq!(water_fill(&[2.0, 1.0], &[1.0, 2.0], 0.25), vec![0.25; 2]);
    }
}
