//! The solver against continuous (floating-point) time: events fire on whole nanoseconds,
//! but rates change at the exact instants flows complete, so the completion times it
//! reports must match an event loop in f64 seconds to 1e-9 of each flow's duration, also
//! for microsecond flows whose rate changes fall inside one nanosecond. The reference
//! here reuses only the oracle's rate computation; its clock is a plain f64.

use proptest::prelude::*;
use vastplan_sim::flow::oracle::max_min_rates;
use vastplan_sim::flow::{run_batch_exact, FlowNetwork, FlowSpec, ResourceId, TimedFlow};
use vastplan_sim::{SimDuration, SimTime};

/// Completion times of flows that all start at 0 with no latency, in f64 seconds.
fn continuous(capacity: &[f64], routes: &[Vec<usize>], sizes: &[f64]) -> Vec<f64> {
    let n = sizes.len();
    let weights: Vec<Vec<f64>> = routes.iter().map(|r| vec![1.0; r.len()]).collect();
    let ones = vec![1u32; n];
    let caps = vec![f64::INFINITY; n];
    let mut left = sizes.to_vec();
    let mut active = vec![true; n];
    let mut finish = vec![f64::NAN; n];
    let mut t = 0.0;
    while active.iter().any(|&a| a) {
        let rate = max_min_rates(capacity, routes, &weights, &ones, &caps, &active);
        let dt = (0..n)
            .filter(|&i| active[i])
            .map(|i| left[i] / rate[i])
            .fold(f64::INFINITY, f64::min);
        t += dt;
        for i in 0..n {
            if !active[i] {
                continue;
            }
            if left[i] / rate[i] <= dt * (1.0 + 1e-12) {
                active[i] = false;
                finish[i] = t;
            } else {
                left[i] -= rate[i] * dt;
            }
        }
    }
    finish
}

fn check(caps: &[f64], flows: &[(Vec<usize>, f64)]) -> Result<(), TestCaseError> {
    let nr = caps.len();
    let routes: Vec<Vec<usize>> = flows
        .iter()
        .map(|(r, _)| r.iter().map(|x| x % nr).collect())
        .collect();
    let sizes: Vec<f64> = flows.iter().map(|f| f.1).collect();
    let want = continuous(caps, &routes, &sizes);
    let mut net = FlowNetwork::new();
    for &c in caps {
        net.add_resource(c, SimDuration::ZERO);
    }
    let batch: Vec<TimedFlow> = routes
        .iter()
        .zip(&sizes)
        .map(|(r, &s)| TimedFlow {
            start: SimTime::ZERO,
            spec: FlowSpec::new(s, r.iter().map(|&x| ResourceId(x as u32)).collect()),
        })
        .collect();
    let got = run_batch_exact(&mut net, &batch, &[], |_| {});
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let g = g.expect("every flow completes");
        prop_assert!(
            (g - w).abs() <= 1e-9 * w,
            "flow {}: {} vs continuous {}",
            i,
            g,
            w
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn reported_times_match_continuous_time_to_1e9(
        caps in prop::collection::vec(1e8f64..1e10, 2..12),
        flows in prop::collection::vec((prop::collection::vec(0usize..64, 1..4), 1e5f64..1e9), 1..80),
    ) {
        check(&caps, &flows)?;
    }

    #[test]
    fn microsecond_flows_match_continuous_time_to_1e9(
        caps in prop::collection::vec(1e9f64..1e11, 2..12),
        flows in prop::collection::vec((prop::collection::vec(0usize..64, 1..6), 1e3f64..1e6), 1..80),
    ) {
        check(&caps, &flows)?;
    }
}
