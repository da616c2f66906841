//! Kernel cost per event on the classic hold model: a pending-event set of fixed size N;
//! each operation pops the earliest event and schedules one at now + a random increment.
//!
//! The baseline is a bare `BinaryHeap` push+pop of the same payload with the same
//! (time, sequence) ordering, so the ratio isolates what the kernel adds (clock, run loop,
//! model dispatch, cancellation check). Increments are drawn up front so neither side pays
//! for random numbers.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::Rng;
use rand_distr::{Distribution, Exp};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use vastplan_sim::{Engine, RngStreams, Scheduler, SimDuration, SimTime};

const OPS: u64 = 100_000;

#[derive(Clone, Copy)]
struct Payload {
    entity: u32,
    kind: u32,
}

fn increments() -> Vec<u64> {
    let mut rng = RngStreams::new(7).stream(0);
    let exp = Exp::new(1.0 / 1_000_000.0).unwrap();
    (0..1 << 16)
        .map(|_| exp.sample(&mut rng) as u64 + 1)
        .collect()
}

fn hold(c: &mut Criterion) {
    let incs = increments();
    let mask = incs.len() - 1;
    let mut group = c.benchmark_group("hold");
    group.throughput(Throughput::Elements(OPS));
    group.sample_size(20);
    for &n in &[1_000usize, 100_000, 1_000_000] {
        let mut rng = RngStreams::new(1).stream(1);
        let initial: Vec<u64> = (0..n).map(|_| rng.random_range(0..1_000_000_000)).collect();

        let mut eng: Engine<Payload> = Engine::new();
        for (i, &t) in initial.iter().enumerate() {
            eng.scheduler().schedule_at(
                SimTime(t),
                Payload {
                    entity: i as u32,
                    kind: 0,
                },
            );
        }
        let mut k = 0usize;
        group.bench_with_input(BenchmarkId::new("engine", n), &n, |b, _| {
            b.iter(|| {
                let mut model = |s: &mut Scheduler<Payload>, p: Payload| {
                    std::hint::black_box(p.entity);
                    k = (k + 1) & mask;
                    s.schedule_in(
                        SimDuration(incs[k]),
                        Payload {
                            kind: p.kind ^ 1,
                            ..p
                        },
                    );
                };
                eng.run_events(OPS, &mut model)
            })
        });

        let mut heap: BinaryHeap<Reverse<(u64, u64, u32, u32)>> = initial
            .iter()
            .enumerate()
            .map(|(i, &t)| Reverse((t, i as u64, i as u32, 0)))
            .collect();
        let mut seq = n as u64;
        let mut k = 0usize;
        group.bench_with_input(BenchmarkId::new("bare_binary_heap", n), &n, |b, _| {
            b.iter(|| {
                for _ in 0..OPS {
                    let Reverse((t, _, e, kind)) = heap.pop().unwrap();
                    std::hint::black_box(e);
                    k = (k + 1) & mask;
                    heap.push(Reverse((t + incs[k], seq, e, kind ^ 1)));
                    seq += 1;
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, hold);
criterion_main!(benches);
