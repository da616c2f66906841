//! Properties of the pending-event set and the engine: time never goes backwards, ties
//! pop in insertion order, cancelled events never fire, and a seeded run is a pure function
//! of its seed.

use proptest::prelude::*;
use rand::Rng;
use std::collections::HashSet;
use vastplan_sim::{Engine, EventQueue, RngStreams, Scheduler, SimDuration, SimTime};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn pops_in_time_order_with_ties_in_insertion_order(times in prop::collection::vec(0u64..50, 0..400)) {
        let mut q = EventQueue::new();
        for (i, &t) in times.iter().enumerate() {
            q.push(SimTime(t), i);
        }
        let mut last: Option<(SimTime, usize)> = None;
        let mut popped = 0;
        while let Some((t, _, i)) = q.pop() {
            prop_assert_eq!(SimTime(times[i]), t);
            if let Some((lt, li)) = last {
                prop_assert!(t >= lt, "time went backwards");
                if t == lt {
                    prop_assert!(i > li, "equal times out of insertion order");
                }
            }
            last = Some((t, i));
            popped += 1;
        }
        prop_assert_eq!(popped, times.len());
    }

    #[test]
    fn cancelled_events_never_fire(
        times in prop::collection::vec(0u64..100, 1..300),
        cancel_mask in prop::collection::vec(any::<bool>(), 300),
    ) {
        let mut q = EventQueue::new();
        let ids: Vec<_> = times.iter().enumerate().map(|(i, &t)| q.push(SimTime(t), i)).collect();
        let mut cancelled = HashSet::new();
        for (i, id) in ids.iter().enumerate() {
            if cancel_mask[i] {
                prop_assert!(q.cancel(*id));
                cancelled.insert(i);
            }
        }
        let mut fired = HashSet::new();
        while let Some((_, _, i)) = q.pop() {
            prop_assert!(!cancelled.contains(&i), "cancelled event {} fired", i);
            fired.insert(i);
        }
        prop_assert_eq!(fired.len() + cancelled.len(), times.len());
    }

    #[test]
    fn cancelling_inside_a_run_prevents_firing(n in 1usize..60, seed in any::<u64>()) {
        // Each event may cancel a later, still-pending event; none cancelled may fire.
        let mut eng: Engine<usize> = Engine::new();
        let mut rng = RngStreams::new(seed).stream(0);
        let ids: Vec<_> = (0..n).map(|i| eng.scheduler().schedule_at(SimTime(rng.random_range(0..20)), i)).collect();
        let mut cancelled = HashSet::new();
        let mut fired = Vec::new();
        let mut model = |s: &mut Scheduler<usize>, e: usize| {
            prop_assert!(!cancelled.contains(&e));
            fired.push(e);
            let victim = rng.random_range(0..n);
            if !fired.contains(&victim) && s.cancel(ids[victim]) {
                cancelled.insert(victim);
            }
            Ok(())
        };
        let mut result = Ok(());
        let mut wrapped = |s: &mut Scheduler<usize>, e: usize| {
            if result.is_ok() {
                result = model(s, e);
            }
        };
        eng.run(&mut wrapped);
        result?;
    }

    #[test]
    fn same_seed_gives_identical_traces(seed in any::<u64>()) {
        let trace = |seed: u64| {
            let streams = RngStreams::new(seed);
            let mut rngs: Vec<_> = (0..4).map(|e| streams.stream(e)).collect();
            let mut eng: Engine<u64> = Engine::new();
            for e in 0..4 {
                eng.scheduler().schedule_at(SimTime(0), e);
            }
            let mut out = Vec::new();
            let mut model = |s: &mut Scheduler<u64>, e: u64| {
                out.push((s.now().0, e));
                if out.len() < 500 {
                    let d: u64 = rngs[e as usize].random_range(0..1_000);
                    s.schedule_in(SimDuration(d), e);
                }
            };
            eng.run(&mut model);
            out
        };
        prop_assert_eq!(trace(seed), trace(seed));
    }
}
