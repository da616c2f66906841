//! Queueing-theory validation of the kernel: an M/M/c queue built on the engine must match
//! Erlang C, and an M/D/1 queue must match Pollaczek–Khinchine.
//!
//! Tolerances come from the run itself: waits are autocorrelated, so the standard error is
//! estimated by batch means (30 batches of consecutive customers, each far longer than the
//! queue's relaxation time), and each check allows 4.5 standard errors. A run too short to
//! pin the mean within 4 % is itself a failure, so the tolerance can never silently widen.
//!
//! What breaks these tests: events popped out of time order (departures before their
//! arrivals distort waits), equal-time ties broken arbitrarily, or a service/arrival
//! distribution other than the one claimed — `deterministic_service_is_rejected_by_the_mm1_formula`
//! shows the M/M/1 check has the power to reject a wrong distribution.

use rand_distr::{Distribution, Exp};
use std::collections::VecDeque;
use vastplan_sim::stats::TimeWeighted;
use vastplan_sim::{Engine, RngStreams, Scheduler, SimDuration, SimTime, StreamRng};

#[derive(Clone, Copy)]
enum Ev {
    Arrival,
    Departure,
}

enum Service {
    Exponential(Exp<f64>),
    Deterministic(f64),
}

impl Service {
    fn draw(&self, rng: &mut StreamRng) -> f64 {
        match self {
            Service::Exponential(e) => e.sample(rng),
            Service::Deterministic(d) => *d,
        }
    }
}

struct Mmc {
    servers: usize,
    busy: usize,
    arrivals: Exp<f64>,
    service: Service,
    arrival_rng: StreamRng,
    service_rng: StreamRng,
    waiting: VecDeque<SimTime>,
    waits: Vec<f64>,
    busy_tw: TimeWeighted,
    max_customers: usize,
    arrived: usize,
}

impl Mmc {
    fn start_service(&mut self, s: &mut Scheduler<Ev>, arrived_at: SimTime) {
        self.waits.push((s.now() - arrived_at).as_secs_f64());
        self.busy += 1;
        self.busy_tw.set(s.now(), self.busy as f64);
        let d = self.service.draw(&mut self.service_rng);
        s.schedule_in(SimDuration::from_secs_f64(d), Ev::Departure);
    }

    fn handle(&mut self, s: &mut Scheduler<Ev>, ev: Ev) {
        match ev {
            Ev::Arrival => {
                self.arrived += 1;
                if self.arrived < self.max_customers {
                    let gap = self.arrivals.sample(&mut self.arrival_rng);
                    s.schedule_in(SimDuration::from_secs_f64(gap), Ev::Arrival);
                }
                if self.busy < self.servers {
                    self.start_service(s, s.now());
                } else {
                    self.waiting.push_back(s.now());
                }
            }
            Ev::Departure => {
                self.busy -= 1;
                self.busy_tw.set(s.now(), self.busy as f64);
                if let Some(t) = self.waiting.pop_front() {
                    self.start_service(s, t);
                }
            }
        }
    }
}

struct Outcome {
    mean_wait: f64,
    stderr: f64,
    utilisation: f64,
}

/// Runs `customers` through a c-server FIFO queue; time unit is the second.
fn run(lambda: f64, service: Service, servers: usize, customers: usize, seed: u64) -> Outcome {
    let streams = RngStreams::new(seed);
    let mut m = Mmc {
        servers,
        busy: 0,
        arrivals: Exp::new(lambda).unwrap(),
        service,
        arrival_rng: streams.stream(0),
        service_rng: streams.stream(1),
        waiting: VecDeque::new(),
        waits: Vec::with_capacity(customers),
        busy_tw: TimeWeighted::new(SimTime::ZERO, 0.0),
        max_customers: customers,
        arrived: 0,
    };
    let mut eng = Engine::new();
    eng.scheduler().schedule_at(SimTime::ZERO, Ev::Arrival);
    let mut model = |s: &mut Scheduler<Ev>, e: Ev| m.handle(s, e);
    eng.run(&mut model);
    let end = eng.now();
    // Drop a warm-up of 2 % (the queue starts empty), then batch means.
    let waits = &m.waits[customers / 50..];
    let batches = 30;
    let per = waits.len() / batches;
    let means: Vec<f64> = (0..batches)
        .map(|b| waits[b * per..(b + 1) * per].iter().sum::<f64>() / per as f64)
        .collect();
    let mean = means.iter().sum::<f64>() / batches as f64;
    let var = means.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (batches - 1) as f64;
    Outcome {
        mean_wait: mean,
        stderr: (var / batches as f64).sqrt(),
        utilisation: m.busy_tw.mean(end) / servers as f64,
    }
}

/// Erlang C: probability an arrival waits in an M/M/c queue with offered load a = λ/μ.
fn erlang_c(c: usize, a: f64) -> f64 {
    let rho = a / c as f64;
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let last = term * a / c as f64; // a^c / c!
    let top = last / (1.0 - rho);
    top / (sum + top)
}

fn assert_matches(name: &str, o: &Outcome, expected_wait: f64, expected_util: f64) {
    assert!(
        o.stderr / expected_wait < 0.04,
        "{name}: run too short to test (stderr {:.4} vs mean {expected_wait:.4})",
        o.stderr
    );
    let z = (o.mean_wait - expected_wait) / o.stderr;
    assert!(
        z.abs() < 4.5,
        "{name}: mean wait {:.4} vs theory {expected_wait:.4} ({z:.1} standard errors)",
        o.mean_wait
    );
    assert!(
        (o.utilisation - expected_util).abs() < 0.01,
        "{name}: utilisation {:.4} vs theory {expected_util:.4}",
        o.utilisation
    );
}

#[test]
fn erlang_c_matches_known_values() {
    // c = 1 reduces to ρ; a published table value: c = 2, a = 1 → 1/3.
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn mm1_mean_wait_and_utilisation_match_theory() {
    let (lambda, mu) = (0.7, 1.0);
    let o = run(
        lambda,
        Service::Exponential(Exp::new(mu).unwrap()),
        1,
        400_000,
        1,
    );
    let rho: f64 = lambda / mu;
    // Wq = ρ / (μ − λ)
    assert_matches("M/M/1", &o, rho / (mu - lambda), rho);
}

#[test]
fn mmc_mean_wait_and_utilisation_match_erlang_c() {
    let (lambda, mu, c) = (3.0, 1.0, 4usize);
    let o = run(
        lambda,
        Service::Exponential(Exp::new(mu).unwrap()),
        c,
        400_000,
        2,
    );
    // Wq = C(c, a) / (cμ − λ)
    let wq = erlang_c(c, lambda / mu) / (c as f64 * mu - lambda);
    assert_matches("M/M/4", &o, wq, lambda / (c as f64 * mu));
}

#[test]
fn md1_matches_pollaczek_khinchine() {
    let (lambda, d) = (0.7, 1.0);
    let o = run(lambda, Service::Deterministic(d), 1, 400_000, 3);
    let rho: f64 = lambda * d;
    // P-K with zero service variance: Wq = ρ·D / (2(1 − ρ))
    assert_matches("M/D/1", &o, rho * d / (2.0 * (1.0 - rho)), rho);
}

#[test]
fn deterministic_service_is_rejected_by_the_mm1_formula() {
    // The same check must fail when the service distribution is wrong: an M/D/1 queue
    // waits half as long as M/M/1 at the same load, far outside the tolerance.
    let o = run(0.7, Service::Deterministic(1.0), 1, 400_000, 4);
    let mm1 = 0.7 / (1.0 - 0.7);
    let z = (o.mean_wait - mm1) / o.stderr;
    assert!(z.abs() > 10.0, "check lacks power: z = {z}");
}

#[test]
fn same_seed_gives_identical_waits() {
    let a = run(
        0.5,
        Service::Exponential(Exp::new(1.0).unwrap()),
        2,
        20_000,
        9,
    );
    let b = run(
        0.5,
        Service::Exponential(Exp::new(1.0).unwrap()),
        2,
        20_000,
        9,
    );
    assert_eq!(a.mean_wait.to_bits(), b.mean_wait.to_bits());
    let c = run(
        0.5,
        Service::Exponential(Exp::new(1.0).unwrap()),
        2,
        20_000,
        10,
    );
    assert_ne!(a.mean_wait.to_bits(), c.mean_wait.to_bits());
}
