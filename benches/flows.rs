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
//! - `issue17_random`: the instances of issue #17: leaf-spine links (host NICs at 12.5
//!   GB/s, leaf–spine links at 50 GB/s), routes of 1–5 links, sizes log-uniform 1e5–2e10 B,
//!   a third of the flows starting at t = 0 and the rest uniformly over 2 s; 10k flows
//!   over 1k links and 100k over 10k.
//! - `one_link_pair`: the bad-input review's case, every flow on the same two links, one
//!   start per µs, 1 MB each: one group, so O(log n) per event (it was quadratic).
//! - `storage_fabric`: the per-device simulation's shape: 1,000 storage nodes in 50 racks,
//!   200 client groups, one flow from every node to every group (200k flows, all starting
//!   within 10 ms), over node NICs, rack uplinks, 4 spines and group downlinks; a rack
//!   fails (its nodes' NICs and uplinks to 0) at 1 s and is back at 2 s. 20 groups (20k
//!   flows) by default; the full 200 with `FLOWS_BENCH_FULL=1` (minutes: ~1,000 flows
//!   share each rack uplink, and max-min moves all their rates at each completion).
//!
//! Each instance prints its flow-event count, mean solved-component size and the time of
//! one run; instances whose single run exceeds 2 s are not sampled further.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::Rng;
use std::hint::black_box;
use std::time::{Duration, Instant};
use vastplan_sim::flow::{run_batch, CapacityChange, FlowNetwork, FlowSpec, ResourceId, TimedFlow};
use vastplan_sim::{RngStreams, SimDuration, SimTime};

struct Instance {
    resources: Vec<(f64, SimDuration)>,
    flows: Vec<TimedFlow>,
    changes: Vec<CapacityChange>,
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
    Instance {
        resources,
        flows,
        changes: Vec::new(),
    }
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
    Instance {
        resources,
        flows,
        changes: Vec::new(),
    }
}

/// Issue #17's random instances; `links` ≈ 10 × leaves × spines (see the module docs).
fn issue17(n: usize, links: usize, seed: u64) -> Instance {
    let mut rng = RngStreams::new(seed).stream(2);
    let spines = ((links as f64 / 40.0).sqrt().round() as u32).max(1);
    let leaves = ((links as f64 / 10.0 / spines as f64).round() as u32).max(2);
    let hpl = 4 * spines;
    let hosts = leaves * hpl;
    let mut resources = vec![(12.5e9, SimDuration::ZERO); 2 * hosts as usize];
    resources.extend(vec![
        (50e9, SimDuration::ZERO);
        (2 * leaves * spines) as usize
    ]);
    let up = |h: u32| ResourceId(h);
    let down = |h: u32| ResourceId(hosts + h);
    let lu = |l: u32, s: u32| ResourceId(2 * hosts + l * spines + s);
    let ld = |l: u32, s: u32| ResourceId(2 * hosts + leaves * spines + l * spines + s);
    let flows = (0..n)
        .map(|_| {
            let start = if rng.random::<f64>() < 1.0 / 3.0 {
                0.0
            } else {
                rng.random_range(0.0..2.0)
            };
            let size = 10f64.powf(rng.random_range(5.0..2e10f64.log10()));
            let (src, dst) = (rng.random_range(0..hosts), rng.random_range(0..hosts));
            let (ls, ldst) = (src / hpl, dst / hpl);
            let (s, s2) = (rng.random_range(0..spines), rng.random_range(0..spines));
            let route = match rng.random_range(1..=5) {
                1 => vec![up(src)],
                2 => vec![up(src), down(dst)],
                3 => vec![up(src), lu(ls, s), down(dst)],
                4 => vec![up(src), lu(ls, s), ld(ldst, s), down(dst)],
                _ => vec![up(src), lu(ls, s), ld(ldst, s), lu(ldst, s2), down(dst)],
            };
            TimedFlow {
                start: SimTime::from_secs_f64(start),
                spec: FlowSpec::new(size, route),
            }
        })
        .collect();
    Instance {
        resources,
        flows,
        changes: Vec::new(),
    }
}

fn one_link_pair(n: usize) -> Instance {
    let flows = (0..n)
        .map(|i| TimedFlow {
            start: SimTime::from_nanos(1_000 * i as u64),
            spec: FlowSpec::new(1e6, vec![ResourceId(0), ResourceId(1)]),
        })
        .collect();
    Instance {
        resources: vec![(1e9, SimDuration::ZERO); 2],
        flows,
        changes: Vec::new(),
    }
}

/// `nodes` storage nodes (20 per rack), `groups` client groups, one flow per (node,
/// group); rack 0 fails at 1 s and is back at 2 s.
fn storage_fabric(nodes: u32, groups: u32, seed: u64) -> Instance {
    const PER_RACK: u32 = 20;
    const SPINES: u32 = 4;
    let mut rng = RngStreams::new(seed).stream(3);
    let racks = nodes.div_ceil(PER_RACK);
    let nic = 2.0 * 100e9 / 8.0;
    let mut resources = Vec::new();
    let lat = SimDuration::from_nanos(500);
    // Node NICs, then rack uplinks per spine, then per spine a link down to the clients'
    // leaf of each group, then each group's downlink (16 clients × 100 Gb/s).
    resources.extend((0..nodes).map(|_| (nic, lat)));
    resources.extend((0..racks * SPINES).map(|_| (8.0 * 400e9 / 8.0 / SPINES as f64, lat)));
    resources.extend((0..groups * SPINES).map(|_| (4.0 * 400e9 / 8.0 / SPINES as f64, lat)));
    resources.extend((0..groups).map(|_| (16.0 * 100e9 / 8.0, lat)));
    let node = |n: u32| ResourceId(n);
    let rack_up = |r: u32, s: u32| ResourceId(nodes + r * SPINES + s);
    let spine_down = |g: u32, s: u32| ResourceId(nodes + racks * SPINES + g * SPINES + s);
    let group = |g: u32| ResourceId(nodes + racks * SPINES + groups * SPINES + g);
    let mut flows = Vec::with_capacity((nodes * groups) as usize);
    for g in 0..groups {
        for n in 0..nodes {
            let s = rng.random_range(0..SPINES);
            flows.push(TimedFlow {
                start: SimTime::from_nanos(rng.random_range(0..10_000_000)),
                // 0.5–2 GB per node and group: a few seconds of reading at full tilt.
                spec: FlowSpec::new(
                    rng.random_range(0.5e9..2e9),
                    vec![
                        node(n),
                        rack_up(n / PER_RACK, s),
                        spine_down(g, s),
                        group(g),
                    ],
                ),
            });
        }
    }
    let mut changes = Vec::new();
    for (at, up) in [(1.0, false), (2.0, true)] {
        for n in 0..PER_RACK.min(nodes) {
            changes.push(CapacityChange {
                at: SimTime::from_secs_f64(at),
                resource: node(n),
                capacity: if up { nic } else { 0.0 },
            });
        }
        for s in 0..SPINES {
            changes.push(CapacityChange {
                at: SimTime::from_secs_f64(at),
                resource: rack_up(0, s),
                capacity: if up {
                    8.0 * 400e9 / 8.0 / SPINES as f64
                } else {
                    0.0
                },
            });
        }
    }
    Instance {
        resources,
        flows,
        changes,
    }
}

fn run(inst: &Instance) -> FlowNetwork {
    let mut net = FlowNetwork::new();
    for &(c, l) in &inst.resources {
        net.add_resource(c, l);
    }
    let fin = run_batch(&mut net, &inst.flows, &inst.changes, |_| {});
    black_box(fin);
    net
}

fn bench_family(c: &mut Criterion, name: &str, sizes: &[usize], make: impl Fn(usize) -> Instance) {
    // `cargo bench --bench flows -- 'A|B'` runs only families whose name contains A or B
    // (criterion would filter the sampling, but not the single timed run below).
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .flat_map(|a| a.split('|').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
        return;
    }
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
            "{name}/{n}: {} flow events, {} groups, {solves} solves, {:.1} groups re-filled \
             and {:.1} due times re-keyed per solve; one run {:.3} s = {:.0} events/s",
            2 * n,
            net.group_count(),
            solved as f64 / solves.max(1) as f64,
            net.rekey_count() as f64 / solves.max(1) as f64,
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
    bench_family(c, "issue17_random", &[10_000, 100_000], |n| {
        issue17(n, n / 10, 17)
    });
    bench_family(c, "one_link_pair", &[10_000, 100_000], one_link_pair);
    // The full 200-group instance takes minutes (see the README); opt in with
    // FLOWS_BENCH_FULL=1.
    let fabric: &[usize] = if std::env::var_os("FLOWS_BENCH_FULL").is_some() {
        &[20_000, 200_000]
    } else {
        &[20_000]
    };
    bench_family(c, "storage_fabric", fabric, |n| {
        storage_fabric(1_000, (n / 1_000) as u32, 23)
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
