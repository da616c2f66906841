//! Flow solver benchmarks: whole instances run start to finish through `run_batch`.
//!
//! - `random_spread`: random routes of 1–4 hops over n/4 resources, arrivals spread at
//!   1000 flows/s, so components stay small; the cost per event should stay flat with n.
//! - `leaf_spine_{light,loaded}`: 32 leaves × 32 hosts at 100 Gb/s, 8 spines at 400 Gb/s,
//!   random spine per flow, arrivals at 5k or 50k flows/s (about 6% or 57% mean NIC
//!   load). Under load, cross-leaf flows share spine links, so one component holds most
//!   active flows: the cost per event follows the load, not n.
//! - `random_burst`: every flow starts at t = 0 on random routes: one giant component that
//!   shrinks as flows finish, the pathological case for incremental solving. Route
//!   latencies (0–10 µs per link) stagger the starts of transfer, so each of the 10k
//!   joins is its own solve; `random_burst_no_latency` starts them all in one solve.
//!
//! Each instance prints its flow-event count, mean solved-component size and the time of
//! one run; instances whose single run exceeds 2 s are not sampled further.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::Rng;
use std::hint::black_box;
use std::time::{Duration, Instant};
use vastplan_sim::flow::{run_batch, FlowNetwork, FlowSpec, ResourceId, TimedFlow};
use vastplan_sim::{RngStreams, SimDuration, SimTime};

struct Instance {
    resources: Vec<(f64, SimDuration)>,
    flows: Vec<TimedFlow>,
}

fn size(rng: &mut impl Rng) -> f64 {
    // Log-uniform 1 MB .. 1 GB.
    10f64.powf(rng.random_range(6.0..9.0))
}

fn random_routes(n: usize, seed: u64, arrivals_per_s: Option<f64>, latency: bool) -> Instance {
    let streams = RngStreams::new(seed);
    let mut rng = streams.stream(0);
    let nr = (n / 4).max(8);
    let resources = (0..nr)
        .map(|_| {
            let capacity = rng.random_range(1e9..1e10);
            let lat = rng.random_range(0..10_000);
            (
                capacity,
                SimDuration::from_nanos(if latency { lat } else { 0 }),
            )
        })
        .collect();
    let mut t = 0.0f64;
    let flows = (0..n)
        .map(|_| {
            if let Some(rate) = arrivals_per_s {
                t += -(1.0 - rng.random::<f64>()).ln() / rate;
            }
            let hops = rng.random_range(1..=4);
            let route = (0..hops)
                .map(|_| ResourceId(rng.random_range(0..nr as u32)))
                .collect();
            TimedFlow {
                start: SimTime::from_secs_f64(t),
                spec: FlowSpec::new(size(&mut rng), route),
            }
        })
        .collect();
    Instance { resources, flows }
}

fn leaf_spine(n: usize, seed: u64, arrivals_per_s: f64) -> Instance {
    const LEAVES: u32 = 32;
    const HOSTS: u32 = 32;
    const SPINES: u32 = 8;
    let mut rng = RngStreams::new(seed).stream(1);
    let nic = 100e9 / 8.0;
    let uplink = 400e9 / 8.0;
    let lat = SimDuration::from_nanos(1_000);
    let mut resources = Vec::new();
    // Resource layout: host up, host down, then leaf→spine and spine→leaf per (leaf, spine).
    let hosts = LEAVES * HOSTS;
    for _ in 0..2 * hosts {
        resources.push((nic, lat));
    }
    for _ in 0..2 * LEAVES * SPINES {
        resources.push((uplink, lat));
    }
    let host_up = |h: u32| ResourceId(h);
    let host_down = |h: u32| ResourceId(hosts + h);
    let up = |l: u32, s: u32| ResourceId(2 * hosts + l * SPINES + s);
    let down = |l: u32, s: u32| ResourceId(2 * hosts + LEAVES * SPINES + l * SPINES + s);
    let mut t = 0.0f64;
    let flows = (0..n)
        .map(|_| {
            t += -(1.0 - rng.random::<f64>()).ln() / arrivals_per_s;
            let src = rng.random_range(0..hosts);
            let mut dst = rng.random_range(0..hosts - 1);
            if dst >= src {
                dst += 1;
            }
            let (ls, ld) = (src / HOSTS, dst / HOSTS);
            let route = if ls == ld {
                vec![host_up(src), host_down(dst)]
            } else {
                let s = rng.random_range(0..SPINES);
                vec![host_up(src), up(ls, s), down(ld, s), host_down(dst)]
            };
            TimedFlow {
                start: SimTime::from_secs_f64(t),
                spec: FlowSpec::new(size(&mut rng), route),
            }
        })
        .collect();
    Instance { resources, flows }
}

fn run(inst: &Instance) -> FlowNetwork {
    let mut net = FlowNetwork::new();
    for &(c, l) in &inst.resources {
        net.add_resource(c, l);
    }
    let fin = run_batch(&mut net, &inst.flows, &[], |_| {});
    black_box(fin);
    net
}

fn bench_family(c: &mut Criterion, name: &str, sizes: &[usize], make: impl Fn(usize) -> Instance) {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for &n in sizes {
        let inst = make(n);
        let t0 = Instant::now();
        let net = run(&inst);
        let once = t0.elapsed();
        let (solves, solved) = net.solve_counts();
        eprintln!(
            "{name}/{n}: {} flow events, {solves} solves, mean component {:.1} flows; \
             one run {:.3} s = {:.0} events/s",
            2 * n,
            solved as f64 / solves.max(1) as f64,
            once.as_secs_f64(),
            2.0 * n as f64 / once.as_secs_f64()
        );
        if once > Duration::from_secs(2) {
            // Ten samples of a run this long would dominate the bench; the single run above
            // is the measurement.
            continue;
        }
        // A flow event is a start or a completion: two per flow.
        g.throughput(Throughput::Elements(2 * n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &inst, |b, inst| {
            b.iter(|| run(inst))
        });
    }
    g.finish();
}

fn flows(c: &mut Criterion) {
    bench_family(c, "random_spread", &[1_000, 10_000, 100_000], |n| {
        random_routes(n, 7, Some(1000.0), true)
    });
    bench_family(c, "leaf_spine_light", &[1_000, 10_000, 100_000], |n| {
        leaf_spine(n, 11, 5_000.0)
    });
    bench_family(c, "leaf_spine_loaded", &[1_000, 10_000, 100_000], |n| {
        leaf_spine(n, 11, 50_000.0)
    });
    bench_family(c, "random_burst", &[1_000, 10_000], |n| {
        random_routes(n, 13, None, true)
    });
    bench_family(c, "random_burst_no_latency", &[1_000, 10_000], |n| {
        random_routes(n, 13, None, false)
    });
}

criterion_group!(benches, flows);
criterion_main!(benches);
