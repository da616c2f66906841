//! Properties of the durability model over random small clusters: durability never
//! improves when failures get likelier or rebuild slower; more parity never hurts; the
//! DBox-HA rule (≤ 2 strips per domain) never does worse than an unconstrained layout
//! under the same domain failures.

use proptest::prelude::*;
use vastplan_models::durability::{evaluate, Code, DurabilityInput};

/// Loss probabilities compare with a relative slack for rounding only.
fn no_better(worse: f64, better: f64) -> bool {
    worse >= better * (1.0 - 1e-9) - 1e-300
}

prop_compose! {
    fn cluster()(
        domains in 11u64..40,
        per_domain in 2u64..8,
        data in 2u32..14,
        parity in 1u32..5,
        drive_afr in 0.002f64..0.3,
        domain_loss in prop_oneof![Just(0.0), 0.001f64..0.3],
        rebuild_hours in 0.5f64..100.0,
        stripes_log10 in 2.0f64..9.0,
    ) -> DurabilityInput {
        let drives = domains * per_domain;
        let drive_bytes = 1e13;
        let width = (data + parity) as f64;
        DurabilityInput {
            drives,
            drive_bytes,
            drive_afr,
            domains,
            domain_loss_per_year: domain_loss,
            domain_outage_per_year: 0.0,
            domain_outage_hours: 0.0,
            strips_per_domain_max: 2,
            code: Code::mds(data, parity),
            strip_bytes: (drives as f64 * drive_bytes / width / 10f64.powf(stripes_log10))
                .min(drive_bytes),
            rebuild_bytes_per_s: drive_bytes / (rebuild_hours * 3600.0),
        }
    }
}

fn fits(i: &DurabilityInput) -> bool {
    i.validate().is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn higher_afr_never_helps(base in cluster(), factor in 1.0f64..5.0) {
        prop_assume!(fits(&base));
        let mut worse = base.clone();
        worse.drive_afr *= factor;
        worse.domain_loss_per_year *= factor;
        let a = evaluate(&base).unwrap();
        let b = evaluate(&worse).unwrap();
        prop_assert!(no_better(b.p_loss_per_year, a.p_loss_per_year), "{a:?}\n{b:?}");
        prop_assert!(b.mttdl_hours <= a.mttdl_hours * (1.0 + 1e-9));
        prop_assert!(b.degraded_hours_per_year >= a.degraded_hours_per_year * (1.0 - 1e-9));
    }

    #[test]
    fn slower_rebuild_never_helps(base in cluster(), factor in 1.0f64..10.0) {
        prop_assume!(fits(&base));
        let mut slow = base.clone();
        slow.rebuild_bytes_per_s /= factor;
        let a = evaluate(&base).unwrap();
        let b = evaluate(&slow).unwrap();
        prop_assert!(no_better(b.p_loss_per_year, a.p_loss_per_year), "{a:?}\n{b:?}");
        prop_assert!(b.mttdl_hours <= a.mttdl_hours * (1.0 + 1e-9));
    }

    #[test]
    fn more_parity_never_hurts(base in cluster()) {
        let Code::Mds { data, parity } = base.code else { unreachable!() };
        let mut more = base.clone();
        more.code = Code::mds(data, parity + 1);
        prop_assume!(fits(&base) && fits(&more));
        let a = evaluate(&base).unwrap();
        let b = evaluate(&more).unwrap();
        prop_assert!(no_better(a.p_loss_per_year, b.p_loss_per_year), "{a:?}\n{b:?}");
    }

    #[test]
    fn dbox_ha_never_worse_than_unconstrained(base in cluster()) {
        prop_assume!(fits(&base));
        let mut free = base.clone();
        free.strips_per_domain_max = u32::MAX;
        let ha = evaluate(&base).unwrap();
        let fr = evaluate(&free).unwrap();
        prop_assert!(no_better(fr.p_loss_per_year, ha.p_loss_per_year), "{ha:?}\n{fr:?}");
    }

    #[test]
    fn outputs_are_consistent(base in cluster()) {
        prop_assume!(fits(&base));
        let o = evaluate(&base).unwrap();
        prop_assert!(o.p_loss_per_year > 0.0 && o.p_loss_per_year <= 1.0);
        prop_assert!((o.nines + o.p_loss_per_year.log10()).abs() < 1e-12);
        prop_assert!(o.stripe_p_loss_per_year <= o.p_loss_per_year * (1.0 + 1e-9));
        prop_assert!(o.degraded_hours_per_year >= 0.0 && o.degraded_hours_per_year <= 8766.0);
        // A year's loss probability cannot exceed what an exponential with the MTTDL gives
        // by more than the start-up transient allows, nor be far below it.
        let approx = -(-8766.0 / o.mttdl_hours).exp_m1();
        prop_assert!(o.p_loss_per_year <= approx * 1.05 + 1e-300, "{o:?}");
    }
}
