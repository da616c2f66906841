//! Which stripes a set of down devices and racks puts out of reach, counted by the
//! durability model's own [`Placement`], so that `simulate` and `durability` share one
//! placement model.
//!
//! A stripe is `data + parity` strips on distinct drives drawn uniformly at random, subject
//! to "at most `m` strips in one failure domain" ([`StripeLayout`]); it is out of reach when
//! more than `parity` of its strips are.
//!
//! - Node domain (the default): the `drives_per_node` drives of one storage device form a
//!   domain, `m` = the catalog's `vast_strips_per_failure_domain` (DBox-HA: 2), the rule the
//!   durability command applies to every VAST box, EBoxes and VMs included, and the one the
//!   capacity model sizes the stripe width by (`EcRules::stripe`). A down device, alone or
//!   with its rack, is a lost domain: `a` of them give `Placement::stripe_loss(0, a)`, the
//!   number the durability chain uses for `a` lost domains. Exact.
//! - Rack domain: the drives of one storage rack form a domain, at most `m` strips of a
//!   stripe per rack. A rack without power or reachable network is a lost domain. A device
//!   down in another rack is its `drives_per_node` drives failed inside that rack (two down
//!   in one rack, twice that): the failed drives are grouped, not a random set, and since
//!   the simulation knows the grouping the tail is [`Placement::loss_with`] for that exact
//!   occupancy, not `stripe_loss`'s average over random drives.
//!
//! Approximations, rack domain only:
//! 1. Racks are taken as equal, each holding the cluster's drives split evenly (rounded
//!    down). VAST requires racks to differ by at most one box, which the spread of DBoxes
//!    over the CNode racks meets (`devices.rs`); a converged cluster's partial last rack
//!    departs further.
//! 2. Inside a rack a stripe's strips may sit on any of its drives: DBox-HA's per-box limit
//!    is not imposed as well. With `m ≤ 2` it holds anyway; with `m` of 3 or 4 the model
//!    lets one box hold 3 or 4 strips of a stripe, so a box down alone in its rack weighs
//!    slightly more than under both rules.
//!
//! Not counted, in either layout (as before): single failed drives. The simulation carries
//! their rebuild traffic, not which drive failed.
//!
//! Cost: the simulation asks on every re-route. A failure set that holds at most `parity`
//! strips whatever the placement (few domains hit) is answered without counting; otherwise
//! one [`Placement`] per cluster size (tranches change it) answers, memoising every failure
//! pattern it has met.

use super::devices::{Devices, SideKey};
use super::input::{FailureDomain, StripeLayout};
use crate::durability::code::Code;
use crate::durability::placement::Placement;
use std::collections::HashMap;

/// The stripes of one run and the placements counted so far.
pub(super) struct Stripes {
    layout: StripeLayout,
    /// `None`: the cluster keeps no stripes of its own (Blob).
    code: Option<Code>,
    drives_per_node: usize,
    /// By (drives, domains).
    placements: HashMap<(usize, usize), Placement>,
}

impl Stripes {
    pub(super) fn new(layout: StripeLayout, data: u32, parity: u32, drives_per_node: u32) -> Self {
        Stripes {
            layout,
            code: (data > 0).then(|| Code::mds(data, parity)),
            drives_per_node: drives_per_node.max(1) as usize,
            placements: HashMap::new(),
        }
    }

    /// Share of stripes with more strips out of reach than the parity.
    pub(super) fn unavailable(&mut self, d: &Devices) -> f64 {
        let Some(code) = self.code else {
            return 0.0;
        };
        let g = self.drives_per_node;
        let down = d.storage_down();
        let storage = d.storage as usize;
        let (domains, lost, failed): (usize, usize, Vec<usize>) = match self.layout.domain {
            FailureDomain::Node => {
                let in_racks: u32 = down
                    .racks
                    .iter()
                    .map(|&r| d.in_rack(SideKey::Storage, r).1)
                    .sum();
                let alone: u32 = down.devices.values().sum();
                (storage, (in_racks + alone) as usize, Vec::new())
            }
            FailureDomain::Rack => (
                d.storage_racks() as usize,
                down.racks.len(),
                down.devices.values().map(|&k| k as usize * g).collect(),
            ),
        };
        if lost == 0 && failed.is_empty() {
            return 0.0;
        }
        let width = code.width() as usize;
        let drives = storage * g;
        let per_domain = drives / domains.max(1);
        // A stripe that fits nowhere has no strips to lose (the resolver refuses such a
        // cluster); a layout too tight for the stripe is taken at the tightest that fits.
        if domains == 0 || width > per_domain * domains {
            return 0.0;
        }
        let m = (self.layout.strips_per_domain as usize)
            .max(width.div_ceil(domains))
            .min(per_domain);
        let most = lost * m + failed.iter().map(|&e| e.min(m)).sum::<usize>();
        if most <= code.tolerates() as usize {
            return 0.0;
        }
        self.placements
            .entry((drives, domains))
            .or_insert_with(|| Placement::new(&code, drives, domains, m))
            .loss_with(lost, &failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::durability::code::ln_binom;
    use crate::simulate::devices::{DevState, RackState};

    fn down(d: &mut Devices, i: u32) {
        let side = d.key_of(SideKey::Storage);
        d.dev.insert((side, i), DevState::Down);
    }

    fn power_off(d: &mut Devices, r: u32) {
        d.rack.insert(
            r,
            RackState {
                power_down: true,
                network: 1.0,
            },
        );
    }

    /// What `unavailable_fraction` computed before stripes followed the layout: strips on
    /// distinct random slots, one per device (two per DBox when disaggregated), the down
    /// slots hypergeometric.
    fn old_slots(slots: usize, down: usize, w: usize, p: usize) -> f64 {
        if down <= p || slots < w {
            return 0.0;
        }
        let total = ln_binom(slots, w);
        ((p + 1)..=w.min(down))
            .map(|x| (ln_binom(down, x) + ln_binom(slots - down, w - x) - total).exp())
            .sum::<f64>()
            .clamp(0.0, 1.0)
    }

    fn node(m: u32) -> StripeLayout {
        StripeLayout {
            domain: FailureDomain::Node,
            strips_per_domain: m,
        }
    }

    fn rack(m: u32) -> StripeLayout {
        StripeLayout {
            domain: FailureDomain::Rack,
            strips_per_domain: m,
        }
    }

    #[test]
    fn one_strip_per_node_is_the_hypergeometric_it_replaces() {
        // Converged, 40 nodes of 12 drives in racks of 8, a 30+4 stripe: at most one strip
        // per node is one slot per node, so the old closed form must come back.
        for k in [5u32, 6, 9, 14, 20] {
            let mut d = Devices::new(false, 40, 40, 8);
            for i in 0..k {
                down(&mut d, i * 2);
            }
            let got = Stripes::new(node(1), 30, 4, 12).unavailable(&d);
            let old = old_slots(40, k as usize, 34, 4);
            assert!(old > 0.0);
            assert!(
                (got - old).abs() <= 1e-12 * old,
                "k={k}: {got} vs hypergeometric {old}"
            );
        }
        // A rack without power is its 8 nodes down, as the old count had it.
        let mut d = Devices::new(false, 40, 40, 8);
        power_off(&mut d, 2);
        let got = Stripes::new(node(1), 30, 4, 12).unavailable(&d);
        assert!((got - old_slots(40, 8, 34, 4)).abs() <= 1e-12 * got);
    }

    #[test]
    fn the_default_layout_differs_from_two_slots_per_box_only_by_the_drives_per_box() {
        // The old disaggregated count gave each DBox two slots. The layout's count with two
        // drives per box is exactly that (a box holds c strips in C(2, c) ways either way);
        // with a DBox's 22 drives it holds two strips in C(22, 2) = 231 ways against 22 for
        // one, so stripes crowd into fewer boxes and a few boxes down lose more of them.
        // Converged nodes had one slot each and now take two strips (DBox-HA, as the
        // durability command and the stripe width assume), so they lose more than before.
        let (n, data, p) = (30u32, 16u32, 4u32);
        let w = (data + p) as usize;
        for k in [3u32, 4, 5] {
            let mut d = Devices::new(true, 6, n, 5);
            let mut c = Devices::new(false, n, n, 5);
            for i in 0..k {
                down(&mut d, 3 * i);
                down(&mut c, 3 * i);
            }
            let two = Stripes::new(StripeLayout::default(), data, p, 2).unavailable(&d);
            let old = old_slots(2 * n as usize, 2 * k as usize, w, p as usize);
            assert!(old > 0.0);
            assert!((two - old).abs() <= 1e-12 * old, "k={k}: {two} vs {old}");
            let dbox = Stripes::new(StripeLayout::default(), data, p, 22).unavailable(&d);
            assert!(dbox > old * 1.01, "k={k}: {dbox} vs {old}");

            let conv = Stripes::new(StripeLayout::default(), data, p, 12).unavailable(&c);
            let old_conv = old_slots(n as usize, k as usize, w, p as usize);
            assert!(conv > old_conv, "k={k}: {conv} vs {old_conv}");
        }
    }

    #[test]
    fn a_lost_rack_is_survivable_exactly_when_the_layout_says_so() {
        // 16 racks holding 3 or 2 DBoxes of 22 drives, a 12+4 stripe.
        let mut d = Devices::new(true, 16, 40, 1);
        assert_eq!(d.in_rack(SideKey::Storage, 3).1, 3);
        power_off(&mut d, 3);
        for m in 1..=4 {
            assert_eq!(Stripes::new(rack(m), 12, 4, 22).unavailable(&d), 0.0);
        }
        // The default layout puts up to two strips on each of the rack's 3 DBoxes.
        let node = Stripes::new(StripeLayout::default(), 12, 4, 22).unavailable(&d);
        assert!(node > 0.0, "{node}");
        // A rack and one box elsewhere: 4 + 4 strips at most under m = 4, so some stripes
        // go; under m = 2 at most 2 + 2.
        down(&mut d, 0);
        assert!(Stripes::new(rack(4), 12, 4, 22).unavailable(&d) > 0.0);
        assert_eq!(Stripes::new(rack(2), 12, 4, 22).unavailable(&d), 0.0);
    }

    /// Every placement of a `w`-stripe on the drives (`groups[k]` lists the drives of
    /// domain k) with at most `m` per domain, and the share with more than `p` strips on
    /// `failed` drives: the count itself, not the polynomial algebra.
    fn brute_force(groups: &[Vec<usize>], m: usize, w: usize, p: usize, failed: &[usize]) -> f64 {
        let drives = groups.iter().map(|g| g.len()).sum::<usize>();
        let domain_of: Vec<usize> = (0..drives)
            .map(|x| groups.iter().position(|g| g.contains(&x)).unwrap())
            .collect();
        let (mut all, mut lost) = (0u64, 0u64);
        for mask in 0u32..(1 << drives) {
            if mask.count_ones() as usize != w {
                continue;
            }
            let mut per = vec![0usize; groups.len()];
            for x in 0..drives {
                if mask & (1 << x) != 0 {
                    per[domain_of[x]] += 1;
                }
            }
            if per.iter().any(|&c| c > m) {
                continue;
            }
            all += 1;
            let hit = failed.iter().filter(|&&x| mask & (1 << x) != 0).count();
            if hit > p {
                lost += 1;
            }
        }
        lost as f64 / all as f64
    }

    #[test]
    fn devices_map_onto_the_placement_as_a_full_count_says() {
        // 4 racks, 2 DBoxes each, 2 drives per DBox (drives 4r..4r+4 in rack r, DBox b
        // holds 2b, 2b+1): 16 drives, a 4+2 stripe.
        let racks: Vec<Vec<usize>> = (0..4).map(|r| (4 * r..4 * r + 4).collect()).collect();
        let boxes: Vec<Vec<usize>> = (0..8).map(|b| vec![2 * b, 2 * b + 1]).collect();
        let drives_of = |b: usize| vec![2 * b, 2 * b + 1];
        type Case = (Vec<u32>, Vec<u32>);
        let cases: Vec<Case> = vec![
            (vec![0], vec![]),
            (vec![], vec![2, 4]),
            (vec![], vec![2, 3, 5]),
            (vec![1], vec![0]),
            (vec![1], vec![0, 4]),
            (vec![], vec![0, 1, 4]),
        ];
        for (off, dead) in cases {
            let mut d = Devices::new(true, 4, 8, 1);
            let mut failed: Vec<usize> = Vec::new();
            for &r in &off {
                power_off(&mut d, r);
                failed.extend(racks[r as usize].iter());
            }
            for &b in &dead {
                down(&mut d, b);
                if !off.contains(&(b / 2)) {
                    failed.extend(drives_of(b as usize));
                }
            }
            for m in [2usize, 3, 4] {
                let got = Stripes::new(rack(m as u32), 4, 2, 2).unavailable(&d);
                let want = brute_force(&racks, m, 6, 2, &failed);
                assert!(
                    (got - want).abs() < 1e-12,
                    "racks {off:?} boxes {dead:?} m={m}: {got} vs {want}"
                );
            }
            let got = Stripes::new(node(2), 4, 2, 2).unavailable(&d);
            let want = brute_force(&boxes, 2, 6, 2, &failed);
            assert!(
                (got - want).abs() < 1e-12,
                "racks {off:?} boxes {dead:?} by box: {got} vs {want}"
            );
        }
    }

    #[test]
    fn the_durability_command_counts_the_same_failure_sets() {
        use crate::durability::candidate::{candidate, Overrides};
        use crate::simulate::resolve::{sim_input, sizing};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cat = crate::Catalog::load(&root.join("datasets")).unwrap();
        let sc = crate::scenario::parse_scenario(
            "t.toml",
            "name = \"t\"\ndescription = \"t\"\nseed = 1\ncandidates = [\"x\"]\n\
             [request]\nlogical_pb = 2\nworkload_class = \"ai-training\"\n",
        )
        .unwrap();
        // DBoxes (disaggregated) and cloud VMs (converged), each sized both ways: the
        // simulation's resolver and the durability command's candidate.
        for (id, nodes) in [("vast-df3120-gen6", 30u64), ("L128aos_v5", 24)] {
            let shape = cat.shape(id).unwrap().clone();
            let counts = crate::sizing::counts_for(&shape, nodes, None);
            let sized = sizing(&cat, &sc, &shape, Some(counts), "t.toml").unwrap();
            let inp = sim_input(&cat, &sc, &shape, &sized, Some(1.0), None, "t.toml").unwrap();
            let dur = candidate(&cat, &shape, counts, &Overrides::default())
                .unwrap()
                .input;
            let mut placement = Placement::new(
                &dur.code,
                dur.drives as usize,
                dur.domains as usize,
                dur.strips_per_domain_max as usize,
            );
            let pr = &inp.spec.protection;
            let mut stripes = Stripes::new(
                inp.topology.layout,
                pr.stripe_data,
                pr.stripe_parity,
                inp.drives_per_node,
            );
            let devices = || {
                Devices::new(
                    inp.disaggregated,
                    inp.compute_nodes,
                    inp.nodes,
                    inp.spec.topology.nodes_per_rack,
                )
            };
            let mut d = devices();
            let mut positive = 0;
            for a in 1..=10u32 {
                down(&mut d, 3 * (a - 1));
                let sim = stripes.unavailable(&d);
                let want = placement.stripe_loss(0, a as usize);
                assert!(
                    (sim - want).abs() <= 1e-12 * want,
                    "{id}, {a} down: simulation {sim} vs durability {want}"
                );
                positive += usize::from(want > 0.0);
            }
            assert!(positive >= 5, "{id}: only {positive} sets lose data");
            // A rack without power is its devices lost, for both.
            let mut d = devices();
            power_off(&mut d, 0);
            let n = d.in_rack(SideKey::Storage, 0).1 as usize;
            let (sim, want) = (stripes.unavailable(&d), placement.stripe_loss(0, n));
            assert!(
                (sim - want).abs() <= 1e-12 * want,
                "{id}, rack of {n}: {sim} vs {want}"
            );
        }
    }

    #[test]
    fn no_stripes_or_nothing_down_is_nothing_unavailable() {
        let mut d = Devices::new(true, 8, 40, 1);
        assert_eq!(Stripes::new(rack(1), 24, 4, 22).unavailable(&d), 0.0);
        power_off(&mut d, 0);
        power_off(&mut d, 1);
        assert_eq!(Stripes::new(node(2), 0, 0, 22).unavailable(&d), 0.0);
        assert!(Stripes::new(node(2), 24, 4, 22).unavailable(&d) > 0.5);
    }
}
