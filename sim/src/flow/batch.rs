//! Running a fixed list of flow starts and capacity changes to completion: the common case
//! of the command line, the benchmarks and the differential tests.

use super::FlowId;
use super::{FlowNetwork, FlowSpec, ResourceId};
use crate::time::SimTime;

/// A flow and when it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedFlow {
    pub start: SimTime,
    pub spec: FlowSpec,
}

/// A resource's capacity becomes `capacity` at `at`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CapacityChange {
    pub at: SimTime,
    pub resource: ResourceId,
    pub capacity: f64,
}

/// Runs `flows` and `changes` on `net` until nothing more can happen, and returns each
/// flow's completion in input order: the nanosecond its event fired on (`SimTime::MAX`
/// past the clock's range; `None` if it never completes, e.g. infinite size or stalled
/// on a zero-capacity resource). At equal times, capacity changes apply
/// before flow starts, and both in input order. `observe` is called once per distinct
/// event time after the network is solved (tests use it to check invariants).
pub fn run_batch(
    net: &mut FlowNetwork,
    flows: &[TimedFlow],
    changes: &[CapacityChange],
    observe: impl FnMut(&mut FlowNetwork),
) -> Vec<Option<SimTime>> {
    run(net, flows, changes, observe, |net, id| net.end_time(id))
}

/// As [`run_batch`], returning each flow's exact completion instant in seconds (rates
/// change at these instants; its event fires on the next nanosecond).
pub fn run_batch_exact(
    net: &mut FlowNetwork,
    flows: &[TimedFlow],
    changes: &[CapacityChange],
    observe: impl FnMut(&mut FlowNetwork),
) -> Vec<Option<f64>> {
    run(net, flows, changes, observe, |net, id| {
        net.flow_stats(id).exact_end_s
    })
}

fn run<T: Clone>(
    net: &mut FlowNetwork,
    flows: &[TimedFlow],
    changes: &[CapacityChange],
    mut observe: impl FnMut(&mut FlowNetwork),
    finished: impl Fn(&mut FlowNetwork, FlowId) -> Option<T>,
) -> Vec<Option<T>> {
    let base = net.flow_count() as u32;
    let mut order: Vec<u32> = (0..flows.len() as u32).collect();
    order.sort_by_key(|&i| flows[i as usize].start);
    let mut chg: Vec<u32> = (0..changes.len() as u32).collect();
    chg.sort_by_key(|&i| changes[i as usize].at);
    let mut finish = vec![None; flows.len()];
    let (mut fi, mut ci) = (0, 0);
    let mut done = Vec::new();
    // Flows start in time order, so ids follow that order, not the input's.
    let mut input_of: Vec<u32> = Vec::with_capacity(flows.len());
    loop {
        let t_start = order.get(fi).map(|&i| flows[i as usize].start);
        let t_chg = chg.get(ci).map(|&i| changes[i as usize].at);
        let t_wake = net.next_wake_time();
        let Some(t) = [t_start, t_chg, t_wake].into_iter().flatten().min() else {
            // Nothing more from outside: completions past the nanosecond clock's range
            // (if any) still have exact instants.
            net.drain_into(&mut done);
            for id in done.drain(..) {
                if let Some(&i) =
                    id.0.checked_sub(base)
                        .and_then(|k| input_of.get(k as usize))
                {
                    finish[i as usize] = finished(net, id);
                }
            }
            break;
        };
        net.advance_to_into(t, &mut done);
        while ci < chg.len() && changes[chg[ci] as usize].at == t {
            let c = &changes[chg[ci] as usize];
            net.set_capacity(t, c.resource, c.capacity);
            ci += 1;
        }
        while fi < order.len() && flows[order[fi] as usize].start == t {
            net.start_flow(t, &flows[order[fi] as usize].spec);
            input_of.push(order[fi]);
            fi += 1;
        }
        // Mutations may have found more completions due at t.
        net.advance_to_into(t, &mut done);
        for id in done.drain(..) {
            if let Some(&i) =
                id.0.checked_sub(base)
                    .and_then(|k| input_of.get(k as usize))
            {
                finish[i as usize] = finished(net, id);
            }
        }
        net.flush();
        observe(net);
    }
    finish
}
