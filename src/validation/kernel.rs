//! The kernel against theory: FIFO M/M/1 and M/M/c queues on the engine against their
//! closed forms, and the incremental flow solver against the exact progressive-filling
//! oracle on seeded random instances.

use super::{pct, Row};
use rand::Rng;
use rand_distr::{Distribution, Exp};
use std::collections::VecDeque;
use vastplan_sim::flow::{
    oracle, run_batch, CapacityChange, FlowNetwork, FlowSpec, ResourceId, TimedFlow,
};
use vastplan_sim::{Engine, RngStreams, Scheduler, SimDuration, SimTime, StreamRng};

pub const AREA: &str = "Queueing theory and the flow solver";

#[derive(Clone, Copy)]
enum Ev {
    Arrival,
    Departure,
}

struct Queue {
    servers: usize,
    busy: usize,
    arrivals: Exp<f64>,
    service: Exp<f64>,
    arrival_rng: StreamRng,
    service_rng: StreamRng,
    waiting: VecDeque<SimTime>,
    waits: Vec<f64>,
    customers: usize,
    arrived: usize,
}

impl Queue {
    fn serve(&mut self, s: &mut Scheduler<Ev>, arrived_at: SimTime) {
        self.waits.push((s.now() - arrived_at).as_secs_f64());
        self.busy += 1;
        let d = self.service.sample(&mut self.service_rng);
        s.schedule_in(SimDuration::from_secs_f64(d), Ev::Departure);
    }

    fn handle(&mut self, s: &mut Scheduler<Ev>, ev: Ev) {
        match ev {
            Ev::Arrival => {
                self.arrived += 1;
                if self.arrived < self.customers {
                    let gap = self.arrivals.sample(&mut self.arrival_rng);
                    s.schedule_in(SimDuration::from_secs_f64(gap), Ev::Arrival);
                }
                if self.busy < self.servers {
                    self.serve(s, s.now());
                } else {
                    self.waiting.push_back(s.now());
                }
            }
            Ev::Departure => {
                self.busy -= 1;
                if let Some(t) = self.waiting.pop_front() {
                    self.serve(s, t);
                }
            }
        }
    }
}

/// Mean wait in queue and its standard error by batch means (waits are autocorrelated, so
/// the naive standard error would be far too small).
fn mean_wait(lambda: f64, mu: f64, servers: usize, customers: usize, seed: u64) -> (f64, f64) {
    let streams = RngStreams::new(seed);
    let mut q = Queue {
        servers,
        busy: 0,
        arrivals: Exp::new(lambda).expect("positive rate"),
        service: Exp::new(mu).expect("positive rate"),
        arrival_rng: streams.stream(0),
        service_rng: streams.stream(1),
        waiting: VecDeque::new(),
        waits: Vec::with_capacity(customers),
        customers,
        arrived: 0,
    };
    let mut eng = Engine::new();
    eng.scheduler().schedule_at(SimTime::ZERO, Ev::Arrival);
    let mut model = |s: &mut Scheduler<Ev>, e: Ev| q.handle(s, e);
    eng.run(&mut model);
    // The queue starts empty: drop a 2 % warm-up, then 30 batches.
    let waits = &q.waits[customers / 50..];
    let batches = 30;
    let per = waits.len() / batches;
    let means: Vec<f64> = (0..batches)
        .map(|b| waits[b * per..(b + 1) * per].iter().sum::<f64>() / per as f64)
        .collect();
    let m = means.iter().sum::<f64>() / batches as f64;
    let var = means.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (batches - 1) as f64;
    (m, (var / batches as f64).sqrt())
}

/// Erlang C: the probability that an arrival waits, offered load `a` on `c` servers.
fn erlang_c(c: usize, a: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let top = term * a / c as f64 / (1.0 - a / c as f64);
    top / (sum + top)
}

fn queue_row(name: &str, lambda: f64, mu: f64, c: usize, theory: f64, seed: u64) -> Row {
    let (m, se) = mean_wait(lambda, mu, c, 400_000, seed);
    let z = (m - theory) / se;
    Row {
        area: AREA,
        check: format!(
            "{name}: mean wait in queue, λ = {lambda}, μ = {mu}, {c} server(s), 400,000 customers"
        ),
        source: if c == 1 {
            "M/M/1: Wq = ρ / (μ − λ) (any queueing text, e.g. Kleinrock, Queueing Systems Vol. 1)"
                .into()
        } else {
            "M/M/c: Wq = C(c, λ/μ) / (cμ − λ), Erlang C (Kleinrock, Queueing Systems Vol. 1)".into()
        },
        published: format!("{theory:.4} s"),
        vastplan: format!("{m:.4} s ± {se:.4} (batch means)"),
        error: format!("{} ({z:+.2} σ)", pct((m - theory) / theory)),
        tolerance: "|z| ≤ 4.5 and σ < 4 % of the mean".into(),
        pass: z.abs() <= 4.5 && se / theory < 0.04,
        note: "agrees".into(),
    }
}

/// A seeded random flow instance: resources (capacity, latency), flows, capacity changes.
type Instance = (Vec<(f64, SimDuration)>, Vec<TimedFlow>, Vec<CapacityChange>);

fn instance(rng: &mut StreamRng) -> Instance {
    let nr = rng.random_range(2..7usize);
    let resources: Vec<(f64, SimDuration)> = (0..nr)
        .map(|_| {
            (
                rng.random_range(1e8..1e10),
                SimDuration::from_nanos(rng.random_range(0..2_000_000u64)),
            )
        })
        .collect();
    let flows = (0..rng.random_range(3..25usize))
        .map(|_| {
            let hops = rng.random_range(1..4usize);
            let route: Vec<ResourceId> = (0..hops)
                .map(|_| ResourceId(rng.random_range(0..nr) as u32))
                .collect();
            let weights = (0..hops).map(|_| rng.random_range(0.25..2.0)).collect();
            let mut spec = FlowSpec::new(rng.random_range(1e6..5e9), route)
                .with_weights(weights)
                .with_multiplicity(rng.random_range(1..5u32));
            if rng.random_bool(0.3) {
                spec = spec.with_cap(rng.random_range(1e7..2e9));
            }
            TimedFlow {
                start: SimTime::from_secs_f64(rng.random_range(0.0..5.0)),
                spec,
            }
        })
        .collect();
    let changes = (0..rng.random_range(0..4usize))
        .map(|_| CapacityChange {
            at: SimTime::from_secs_f64(rng.random_range(0.0..8.0)),
            resource: ResourceId(rng.random_range(0..nr) as u32),
            capacity: rng.random_range(1e8..1e10),
        })
        .collect();
    (resources, flows, changes)
}

fn flow_row() -> Row {
    const INSTANCES: u64 = 200;
    let streams = RngStreams::new(0x5EED);
    let (mut flows, mut worst, mut mismatched) = (0usize, 0.0f64, 0usize);
    for i in 0..INSTANCES {
        let (res, fl, ch) = instance(&mut streams.stream(i));
        let mut net = FlowNetwork::new();
        for &(c, l) in &res {
            net.add_resource(c, l);
        }
        let got = run_batch(&mut net, &fl, &ch, |_| {});
        let want = oracle::simulate(&res, &fl, &ch);
        for (g, w) in got.iter().zip(&want) {
            flows += 1;
            match (g, w) {
                (Some(g), Some(w)) => {
                    let (g, w) = (g.as_nanos() as f64, w.as_nanos() as f64);
                    worst = worst.max((g - w).abs() / g.max(w).max(1.0));
                }
                (None, None) => {}
                _ => mismatched += 1,
            }
        }
    }
    Row {
        area: AREA,
        check: format!("incremental max-min flow solver vs exact oracle: completion times of {flows} flows in {INSTANCES} seeded random instances (weights, multiplicity, caps, latency, capacity changes)"),
        source: "max-min fairness by progressive filling (Bertsekas & Gallager, Data Networks §6.5.2), recomputed from scratch at every event: sim/src/flow/oracle.rs".into(),
        published: "oracle completion times".into(),
        vastplan: format!("largest relative difference {worst:.1e}; {mismatched} flows finished in one and not the other"),
        error: format!("{worst:.1e}"),
        tolerance: "≤ 1e-9 relative, no mismatches".into(),
        pass: worst <= 1e-9 && mismatched == 0,
        note: "agrees: both round completions up to the nanosecond".into(),
    }
}

pub fn rows() -> Vec<Row> {
    // ρ = 0.7 on one server, ρ = 0.8 on four: loaded enough to queue, short enough
    // relaxation for 400,000 customers to pin the mean.
    let mm1 = 0.7 / (1.0 - 0.7);
    let mmc = erlang_c(4, 3.2) / (4.0 - 3.2);
    vec![
        queue_row("M/M/1", 0.7, 1.0, 1, mm1, 101),
        queue_row("M/M/4", 3.2, 1.0, 4, mmc, 202),
        flow_row(),
    ]
}
