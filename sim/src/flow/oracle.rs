//! A slow, obviously correct reference for the incremental solver.
//!
//! Its clock is a plain f64 number of seconds. At every event (a start, a latency end, a
//! capacity change, or the exact instant a flow completes) it recomputes every rate from
//! scratch by textbook progressive filling over all resources and flows, re-banks every
//! flow's progress, and finds the next event by a linear scan. It shares only the
//! semantics with [`FlowNetwork`](super::FlowNetwork) (latency first, rates re-solved at
//! exact completion instants, the same "done" epsilon), none of its data structures. Cost is O(events × rounds × (resources + route elements)): test sizes
//! only.

use super::{CapacityChange, TimedFlow, DONE_REL_EPS};
use crate::time::{SimDuration, SimTime};

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    NotStarted,
    Latency,
    Active,
    Done(f64),
}

/// Max-min fair per-stream rates by progressive filling, recomputed from nothing.
/// `routes[i]` lists resource indices (repeats consume repeatedly), `n[i]` the streams,
/// `cap[i]` the per-stream cap (infinity if none), `weights[i][k]` the consumption weight
/// of route element k. Inactive flows have `active[i] = false` and get rate 0.
pub fn max_min_rates(
    capacity: &[f64],
    routes: &[Vec<usize>],
    weights: &[Vec<f64>],
    n: &[u32],
    cap: &[f64],
    active: &[bool],
) -> Vec<f64> {
    let nf = routes.len();
    let mut rate = vec![0.0; nf];
    let mut fixed: Vec<bool> = active.iter().map(|a| !a).collect();
    let mut rem = capacity.to_vec();
    loop {
        if fixed.iter().all(|&x| x) {
            return rate;
        }
        let mut shares = vec![0.0f64; capacity.len()];
        let mut crossing = vec![false; capacity.len()];
        for i in (0..nf).filter(|&i| !fixed[i]) {
            for (k, &r) in routes[i].iter().enumerate() {
                shares[r] += n[i] as f64 * weights[i][k];
                crossing[r] = true;
            }
        }
        let level = |r: usize| rem[r].max(0.0) / shares[r];
        let best = (0..capacity.len())
            .filter(|&r| crossing[r])
            .map(level)
            .fold(f64::INFINITY, f64::min);
        let best_cap = (0..nf)
            .filter(|&i| !fixed[i])
            .map(|i| cap[i])
            .fold(f64::INFINITY, f64::min);
        let mut newly = Vec::new();
        if best == f64::INFINITY && best_cap == f64::INFINITY {
            // Only uncapped flows with empty routes are left: nothing limits them.
            for i in 0..nf {
                if !fixed[i] {
                    rate[i] = f64::INFINITY;
                    fixed[i] = true;
                }
            }
            return rate;
        } else if best_cap <= best {
            for i in 0..nf {
                if !fixed[i] && cap[i] == best_cap {
                    newly.push((i, best_cap));
                }
            }
        } else {
            for i in 0..nf {
                let saturated_here = routes[i].iter().any(|&r| crossing[r] && level(r) == best);
                if !fixed[i] && saturated_here {
                    newly.push((i, best));
                }
            }
        }
        for (i, x) in newly {
            fixed[i] = true;
            rate[i] = x;
            for (k, &r) in routes[i].iter().enumerate() {
                rem[r] -= n[i] as f64 * x * weights[i][k];
            }
        }
    }
}

/// Simulates the same input as [`run_batch`](super::run_batch) on resources given as
/// (initial capacity, latency), returning each flow's completion as the nanosecond its
/// event fires on (the exact instant of [`simulate_exact`] rounded up).
pub fn simulate(
    resources: &[(f64, SimDuration)],
    flows: &[TimedFlow],
    changes: &[CapacityChange],
) -> Vec<Option<SimTime>> {
    simulate_exact(resources, flows, changes)
        .into_iter()
        .map(|t| t.and_then(super::network::ceil_ns))
        .collect()
}

/// Simulates the same input in continuous time: the clock is an f64 number of seconds,
/// every rate is re-solved at the exact instant a flow completes, and each flow's exact
/// completion instant is returned in input order (`None` if it never completes). Starts,
/// latency ends and capacity changes happen at their nanoseconds.
pub fn simulate_exact(
    resources: &[(f64, SimDuration)],
    flows: &[TimedFlow],
    changes: &[CapacityChange],
) -> Vec<Option<f64>> {
    let nf = flows.len();
    let mut capacity: Vec<f64> = resources.iter().map(|r| r.0).collect();
    let routes: Vec<Vec<usize>> = flows
        .iter()
        .map(|f| f.spec.route.iter().map(|r| r.0 as usize).collect())
        .collect();
    let weights: Vec<Vec<f64>> = flows
        .iter()
        .map(|f| (0..f.spec.route.len()).map(|k| f.spec.weight(k)).collect())
        .collect();
    let n: Vec<u32> = flows.iter().map(|f| f.spec.multiplicity).collect();
    let cap: Vec<f64> = flows
        .iter()
        .map(|f| f.spec.cap.unwrap_or(f64::INFINITY))
        .collect();
    let secs = |t: SimTime| t.as_secs_f64();
    let latency_end: Vec<f64> = flows
        .iter()
        .zip(&routes)
        .map(|(f, rt)| {
            let lat = rt
                .iter()
                .fold(SimDuration::ZERO, |a, &r| a + resources[r].1);
            secs(f.start + lat)
        })
        .collect();
    let mut phase = vec![Phase::NotStarted; nf];
    let mut moved = vec![0.0f64; nf];
    let mut rate = vec![0.0f64; nf];
    let mut due: Vec<Option<f64>> = vec![None; nf];
    let mut applied = vec![false; changes.len()];
    let mut now = 0.0f64;
    loop {
        // Next event: a start, a latency end, a completion or a capacity change.
        let mut next: Option<f64> = None;
        let mut consider = |t: f64| next = Some(next.map_or(t, |n: f64| n.min(t)));
        for i in 0..nf {
            match phase[i] {
                Phase::NotStarted => consider(secs(flows[i].start)),
                Phase::Latency => consider(latency_end[i]),
                Phase::Active => {
                    if let Some(t) = due[i] {
                        consider(t)
                    }
                }
                Phase::Done(_) => {}
            }
        }
        for (k, c) in changes.iter().enumerate() {
            if !applied[k] {
                consider(secs(c.at));
            }
        }
        let Some(t) = next else { break };
        // Bank progress of every active flow up to t.
        let dt = t - now;
        for i in 0..nf {
            if phase[i] == Phase::Active && rate[i] > 0.0 && rate[i].is_finite() && dt > 0.0 {
                moved[i] += n[i] as f64 * rate[i] * dt;
            }
        }
        now = t;
        for i in 0..nf {
            let size = flows[i].spec.size;
            // Due now, or done within float noise of it.
            let done =
                due[i] == Some(t) || (due[i].is_some() && size - moved[i] <= DONE_REL_EPS * size);
            if phase[i] == Phase::Active && done {
                phase[i] = Phase::Done(t);
            }
        }
        for (k, c) in changes.iter().enumerate() {
            if !applied[k] && secs(c.at) == t {
                capacity[c.resource.0 as usize] = c.capacity;
                applied[k] = true;
            }
        }
        for i in 0..nf {
            let size = flows[i].spec.size;
            if phase[i] == Phase::Latency && latency_end[i] == t {
                phase[i] = if size > 0.0 {
                    Phase::Active
                } else {
                    Phase::Done(t)
                };
            }
            if phase[i] == Phase::NotStarted && secs(flows[i].start) == t {
                phase[i] = if latency_end[i] > t || size == 0.0 {
                    Phase::Latency
                } else {
                    Phase::Active
                };
                if phase[i] == Phase::Latency && latency_end[i] == t {
                    phase[i] = Phase::Done(t);
                }
            }
        }
        let active: Vec<bool> = phase.iter().map(|p| *p == Phase::Active).collect();
        rate = max_min_rates(&capacity, &routes, &weights, &n, &cap, &active);
        for i in 0..nf {
            due[i] = if active[i] {
                let size = flows[i].spec.size;
                let total = n[i] as f64 * rate[i];
                let remaining = (size - moved[i]).max(0.0);
                if size.is_infinite() {
                    None
                } else if total == f64::INFINITY || remaining <= DONE_REL_EPS * size {
                    Some(t)
                } else if total > 0.0 {
                    Some(t + remaining / total).filter(|d| d.is_finite())
                } else {
                    None
                }
            } else {
                None
            };
        }
    }
    phase
        .iter()
        .map(|p| match p {
            Phase::Done(t) => Some(*t),
            _ => None,
        })
        .collect()
}
