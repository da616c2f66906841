//! Shared segments against the same flows with the segment written into each route: the
//! completion instants must agree with the oracle (which knows nothing of segments) to
//! 1e-9 of each flow's duration, bytes carried must add up, and a retired segment must be
//! freed once its flows are done.

use super::tests::{cases, close};
use super::*;
use crate::time::{SimDuration, SimTime};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Instance {
    capacities: Vec<f64>,
    /// (resource, weight) lists.
    segments: Vec<Vec<(u32, f64)>>,
    /// A flow and the segment it crosses, if any.
    flows: Vec<(TimedFlow, Option<usize>)>,
    changes: Vec<CapacityChange>,
}

fn instance() -> impl Strategy<Value = Instance> {
    (2..10usize, 1..4usize, prop::bool::ANY).prop_flat_map(|(nr, ns, round)| {
        let capacity = if round {
            prop_oneof![Just(5e8f64), Just(1e9), Just(2e9)].boxed()
        } else {
            (1e8f64..2e9).boxed()
        };
        let caps = prop::collection::vec(capacity, nr);
        let weight = if round {
            prop_oneof![Just(0.5f64), Just(1.0), Just(2.0)].boxed()
        } else {
            (0.05f64..3.0).boxed()
        };
        let segment = prop::collection::vec((0..nr as u32, weight.clone()), 1..7);
        let segments = prop::collection::vec(segment, ns);
        let flow = (
            0u64..2_000_000_000,
            1e6f64..2e9,
            prop::collection::vec((0..nr as u32, weight), 0..3),
            prop::option::weighted(0.3, 5e7f64..1e9),
            prop_oneof![3 => Just(1u32), 1 => 1u32..5],
            prop::option::weighted(0.8, 0..ns),
        );
        let flows = prop::collection::vec(flow, 1..30);
        let change = (
            0u64..4_000_000_000,
            0..nr as u32,
            prop_oneof![1 => Just(0.0), 3 => 1e8f64..2e9],
        );
        let changes = prop::collection::vec(change, 0..4);
        (caps, segments, flows, changes).prop_map(|(capacities, segments, flows, changes)| {
            Instance {
                capacities,
                segments,
                flows: flows
                    .into_iter()
                    .map(|(start, size, own, cap, n, seg)| {
                        let route = own.iter().map(|e| ResourceId(e.0)).collect();
                        let weights = own.iter().map(|e| e.1).collect();
                        let mut spec = FlowSpec::new(size, route)
                            .with_weights(weights)
                            .with_multiplicity(n);
                        spec.cap = cap;
                        (
                            TimedFlow {
                                start: SimTime(start),
                                spec,
                            },
                            seg,
                        )
                    })
                    .collect(),
                changes: changes
                    .into_iter()
                    .map(|(at, r, c)| CapacityChange {
                        at: SimTime(at),
                        resource: ResourceId(r),
                        capacity: c,
                    })
                    .collect(),
            }
        })
    })
}

fn network(inst: &Instance) -> FlowNetwork {
    let mut net = FlowNetwork::new();
    for &c in &inst.capacities {
        net.add_resource(c, SimDuration::ZERO);
    }
    net
}

/// The flows as the segments would have them, and as plain routes.
fn flows(inst: &Instance, ids: &[SegmentId]) -> (Vec<TimedFlow>, Vec<TimedFlow>) {
    let mut with = Vec::new();
    let mut written = Vec::new();
    for (f, seg) in &inst.flows {
        let mut a = f.clone();
        let mut b = f.clone();
        if let Some(s) = *seg {
            a.spec.segment = Some(ids[s]);
            let mut w: Vec<f64> = (0..b.spec.route.len()).map(|k| b.spec.weight(k)).collect();
            for &(r, x) in &inst.segments[s] {
                b.spec.route.push(ResourceId(r));
                w.push(x);
            }
            b.spec.weights = w;
        }
        with.push(a);
        written.push(b);
    }
    (with, written)
}

/// The instance's segments, added to `net` in order.
fn add_segments(net: &mut FlowNetwork, inst: &Instance) -> Vec<SegmentId> {
    inst.segments
        .iter()
        .map(|s| {
            let (r, w): (Vec<ResourceId>, Vec<f64>) =
                s.iter().map(|&(r, w)| (ResourceId(r), w)).unzip();
            net.add_segment(&r, &w)
        })
        .collect()
}

/// The instance's resources as the oracle takes them.
fn oracle_resources(inst: &Instance) -> Vec<(f64, SimDuration)> {
    inst.capacities
        .iter()
        .map(|&c| (c, SimDuration::ZERO))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn a_segment_is_its_pairs_written_into_every_route(inst in instance()) {
        let mut net = network(&inst);
        let ids = add_segments(&mut net, &inst);
        let (with, written) = flows(&inst, &ids);
        let got = run_batch_exact(&mut net, &with, &inst.changes, |_| {});
        let resources = oracle_resources(&inst);
        let want = oracle::simulate_exact(&resources, &written, &inst.changes);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            prop_assert!(close(with[i].start, *g, *w), "flow {}: {:?} vs oracle {:?}", i, g, w);
        }
        // Every byte crossed its route and its segment with their weights.
        // (Flows are numbered in start order, as `run_batch` starts them.)
        let mut order: Vec<usize> = (0..written.len()).collect();
        order.sort_by_key(|&i| written[i].start);
        let mut expected = 0.0;
        for (id, &i) in order.iter().enumerate() {
            let tf = &written[i];
            let hops: f64 = (0..tf.spec.route.len()).map(|k| tf.spec.weight(k)).sum();
            expected += net.flow_stats(FlowId(id as u32)).bytes_moved * hops;
        }
        let carried: f64 = (0..net.resource_count())
            .map(|r| net.resource_stats(ResourceId(r as u32)).bytes_carried)
            .sum();
        prop_assert!(
            (carried - expected).abs() <= 1e-6 * expected.max(1.0),
            "carried {} vs moved×hops {}", carried, expected
        );
        // Retired, a segment is freed unless a flow on it never finished (stalled on a
        // resource left at zero).
        for &s in &ids {
            net.retire_segment(s);
        }
        let stalled: std::collections::BTreeSet<usize> = inst
            .flows
            .iter()
            .zip(&got)
            .filter_map(|((_, seg), g)| if g.is_none() { *seg } else { None })
            .collect();
        prop_assert_eq!(net.segments_held(), stalled.len());
    }
}

#[test]
fn a_retired_segment_lives_until_its_last_flow_ends() {
    let mut net = FlowNetwork::new();
    let a = net.add_resource(1e9, SimDuration::ZERO);
    let b = net.add_resource(2e9, SimDuration::ZERO);
    let s = net.add_segment(&[a, b], &[1.0, 2.0]);
    let f1 = net.start_flow(SimTime::ZERO, &FlowSpec::new(1e9, vec![]).with_segment(s));
    let f2 = net.start_flow(
        SimTime::ZERO,
        &FlowSpec::new(f64::INFINITY, vec![a]).with_segment(s),
    );
    net.retire_segment(s);
    assert_eq!(net.segments_held(), 1);
    // Two flows on `a` (weights 1 and 2: the second crosses it in its route and its
    // segment) and `b` (weight 2 each, 4 GB/s of demand at 0.5 GB/s per stream... ): each
    // gets a third of `a`, since 1·x + 2·x = 1e9.
    let r1 = net.rate(f1);
    assert!((r1 - 1e9 / 3.0).abs() < 1.0, "{r1}");
    assert!((net.resource_stats(b).load - 2.0 * 2e9 / 3.0).abs() < 1.0);
    let t = net.next_wake_time().unwrap();
    let done = net.advance_to(t);
    assert_eq!(done, vec![f1]);
    // Alone, the steady stream takes the whole of `a` (1·x + 1·x = 1e9).
    assert!((net.rate(f2) - 5e8).abs() < 1.0);
    net.cancel_flow(t, f2);
    assert_eq!(net.segments_held(), 0);
    // The id is reused by the next segment.
    assert_eq!(net.add_segment(&[b], &[]), s);
}

#[test]
fn freeing_a_segment_re_solves_every_resource_it_crossed() {
    // A and B hold a segment; X crosses only the segment, Y only B. When X ends and the
    // retired segment is freed, B must hand Y all of its capacity.
    let mut net = FlowNetwork::new();
    let a = net.add_resource(10.0, SimDuration::ZERO);
    let b = net.add_resource(10.0, SimDuration::ZERO);
    let s = net.add_segment(&[a, b], &[]);
    net.start_flow(SimTime::ZERO, &FlowSpec::new(1.0, vec![]).with_segment(s));
    let y = net.start_flow(SimTime::ZERO, &FlowSpec::new(100.0, vec![b]));
    net.retire_segment(s);
    let mut done = Vec::new();
    net.drain_into(&mut done);
    // 5 B/s each until X is done at 0.2 s (Y has moved 1 B), then 99 B at 10 B/s.
    let end = net.flow_stats(y).exact_end_s.unwrap();
    assert!((end - 10.1).abs() < 1e-9, "{end}");
    assert!((net.resource_stats(b).bytes_carried - 101.0).abs() < 1e-6);
    assert_eq!(net.resource_stats(b).load, 0.0);
}

#[test]
fn a_resource_named_twice_in_a_segment_adds_its_latency_twice() {
    let mut net = FlowNetwork::new();
    let r = net.add_resource(10.0, SimDuration::from_secs_f64(1e-3));
    let s = net.add_segment(&[r, r], &[]);
    let f = net.start_flow(SimTime::ZERO, &FlowSpec::new(1.0, vec![]).with_segment(s));
    let mut done = Vec::new();
    net.drain_into(&mut done);
    // 2 ms of latency, then 1 B at 5 B/s (it consumes twice on r).
    let end = net.flow_stats(f).exact_end_s.unwrap();
    assert!((end - 0.202).abs() < 1e-9, "{end}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Every flow starts at once and every segment is retired at once, so segments are
    /// freed mid-run as their last flows end.
    #[test]
    fn segments_retired_mid_run_match_the_oracle(inst in instance()) {
        let mut net = network(&inst);
        let ids = add_segments(&mut net, &inst);
        let (mut with, mut written) = flows(&inst, &ids);
        for f in with.iter_mut().chain(written.iter_mut()) {
            f.start = SimTime::ZERO;
        }
        let started: Vec<FlowId> =
            with.iter().map(|f| net.start_flow(SimTime::ZERO, &f.spec)).collect();
        for &s in &ids {
            net.retire_segment(s);
        }
        let mut done = Vec::new();
        net.drain_into(&mut done);
        let resources = oracle_resources(&inst);
        let want = oracle::simulate_exact(&resources, &written, &[]);
        for (i, (&id, w)) in started.iter().zip(&want).enumerate() {
            let g = net.flow_stats(id).exact_end_s;
            prop_assert!(close(SimTime::ZERO, g, *w), "flow {}: {:?} vs oracle {:?}", i, g, w);
        }
        prop_assert_eq!(net.segments_held(), 0);
    }
}
