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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any input, sensible or not, gives a result or an error naming a field — never a
    /// panic, never a NaN.
    #[test]
    fn any_input_is_an_answer_or_an_error(
        domains in 0u64..60,
        g in 0u64..12,
        bump in prop_oneof![4 => Just(0u64), 1 => 1u64..3],
        data in 0u32..30,
        parity in 0u32..8,
        afr in prop_oneof![8 => 0.0f64..1.0, 1 => -1.0f64..0.0, 1 => Just(f64::NAN), 1 => Just(f64::INFINITY)],
        loss in prop_oneof![Just(0.0), 0.0f64..2.0, -0.5f64..0.0],
        outage in prop_oneof![Just(0.0), 0.0f64..5.0],
        outage_h in prop_oneof![4 => 0.01f64..10.0, 1 => -1.0f64..0.01],
        per_domain in 0u32..5,
        drive_bytes in prop_oneof![1 => Just(0.0), 8 => 1e9f64..1e13],
        strip_bytes in prop_oneof![1 => Just(0.0), 8 => 1e3f64..1e9],
        rebuild in prop_oneof![1 => Just(0.0), 1 => -1.0f64..0.0, 8 => 1e6f64..1e10],
    ) {
        let drives = domains * g + bump;
        let input = DurabilityInput {
            drives,
            drive_bytes,
            drive_afr: afr,
            domains,
            domain_loss_per_year: loss,
            domain_outage_per_year: outage,
            domain_outage_hours: outage_h,
            strips_per_domain_max: per_domain,
            code: Code::mds(data, parity),
            strip_bytes,
            rebuild_bytes_per_s: rebuild,
        };
        match evaluate(&input) {
            Ok(o) => {
                prop_assert!(!o.p_loss_per_year.is_nan() && !o.mttdl_hours.is_nan(), "{o:?}");
                prop_assert!(!o.degraded_hours_per_year.is_nan());
                prop_assert!(!o.unavailable_hours_per_year.is_nan());
            }
            Err(e) => prop_assert!(e.field.is_some(), "{e}"),
        }
    }
}
