//! Component discovery and progressive filling for the incremental solver.

use super::network::{FlowNetwork, FlowState};
use std::cmp::Reverse;

/// Heap key for a non-negative level: the IEEE bits of a non-negative f64 order like the
/// value, so the heap compares integers.
fn level_key(x: f64) -> u64 {
    x.max(0.0).to_bits()
}

impl FlowNetwork {
    /// Re-solves the component(s) touched since the last solve, if any.
    pub(super) fn flush(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let thr = self.freeze_threshold();
        self.batch_left = false;
        self.batch_joined = false;
        self.batch_other = false;
        self.batch_left_min_rate = f64::INFINITY;
        self.collect_component(thr);
        self.seed_res.clear();
        self.seed_flows.clear();
        if self.comp_res.is_empty() && self.comp_flows.is_empty() {
            return;
        }
        self.solves += 1;
        self.solved_flows += self.comp_flows.len() as u64;
        self.fill();
        self.apply();
    }

    /// Per-stream rate below which flows keep their rate through the pending batch.
    ///
    /// Progressive filling fixes flows in increasing rate order. Removing a flow of rate x
    /// cannot change the filling below level x: its resources saturate at ≥ x with or
    /// without it, so every flow slower than x keeps its rate, and flows at ≥ x stay at
    /// ≥ x. Adding flows is the same argument run backwards, with x bounded below by
    /// min(cap, capacity / shares) over the new flow's route (every flow gets at least the
    /// equal share of its bottleneck). Above the threshold the residual problem splits
    /// into components linked only by faster flows, so the BFS need not cross the slower
    /// ones: a change deep in a shared backbone re-solves only the flows that can move.
    /// Mixed batches and capacity changes fall back to the whole component (0).
    fn freeze_threshold(&self) -> f64 {
        if self.batch_other || (self.batch_left && self.batch_joined) {
            return 0.0;
        }
        let mut x = if self.batch_left {
            self.batch_left_min_rate
        } else {
            f64::INFINITY
        };
        if self.batch_joined {
            for &f in &self.seed_flows {
                let fl = &self.flows[f as usize];
                if fl.state != FlowState::Transferring {
                    continue;
                }
                let mut lb = fl.cap;
                for k in self.route(f) {
                    let res = &self.resources[self.route_pool[k] as usize];
                    lb = lb.min(res.capacity / res.total_shares);
                }
                x = x.min(lb);
            }
        }
        // Float noise may put a mathematically equal rate a hair below x; freezing less
        // is always safe.
        if x.is_finite() {
            x * (1.0 - 1e-9)
        } else {
            0.0
        }
    }

    /// BFS over the resource–flow graph from the seeds, into `comp_res` / `comp_flows`,
    /// crossing only flows with a per-stream rate of at least `thr` (new flows always).
    fn collect_component(&mut self, thr: f64) {
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            // After wrap-around an old mark could equal the new generation; reset them all.
            self.resources.iter_mut().for_each(|r| r.visit = 0);
            self.flows.iter_mut().for_each(|f| {
                f.visit = 0;
                f.fixed = 0;
            });
            self.gen = 1;
        }
        let gen = self.gen;
        self.comp_res.clear();
        self.comp_flows.clear();
        for i in 0..self.seed_flows.len() {
            let f = self.seed_flows[i];
            self.visit_flow(f, gen, thr);
        }
        for i in 0..self.seed_res.len() {
            let r = self.seed_res[i] as usize;
            if self.resources[r].visit != gen {
                self.resources[r].visit = gen;
                self.comp_res.push(r as u32);
            }
        }
        let mut qi = 0;
        while qi < self.comp_res.len() {
            let r = self.comp_res[qi] as usize;
            qi += 1;
            for e in 0..self.resources[r].elems.len() {
                let f = self.resources[r].elems[e].0;
                self.visit_flow(f, gen, thr);
            }
        }
    }

    fn visit_flow(&mut self, f: u32, gen: u32, thr: f64) {
        let fl = &mut self.flows[f as usize];
        if fl.visit == gen || fl.state != FlowState::Transferring || fl.rate < thr {
            return;
        }
        fl.visit = gen;
        self.comp_flows.push(f);
        for k in self.route(f) {
            let r = self.route_pool[k] as usize;
            if self.resources[r].visit != gen {
                self.resources[r].visit = gen;
                self.comp_res.push(r as u32);
            }
        }
    }

    /// Progressive filling over the component: sets every component flow's `new_rate`
    /// (per stream) and every component resource's `new_load`. Flows on component
    /// resources that are not in the component are frozen: their consumption is simply
    /// taken off the capacity.
    fn fill(&mut self) {
        let gen = self.gen;
        for &r in &self.comp_res {
            let res = &mut self.resources[r as usize];
            let (mut rem, mut shares, mut frozen, mut active) = (res.capacity, 0.0, 0.0, 0u32);
            for &(f, k) in &res.elems {
                let fl = &self.flows[f as usize];
                let w = self.weight_pool[(fl.route_off + k) as usize];
                if fl.visit == gen {
                    shares += fl.n as f64 * w;
                    active += 1;
                } else {
                    let c = fl.n as f64 * fl.rate * w;
                    rem -= c;
                    frozen += c;
                }
            }
            res.rem = rem;
            res.shares = shares;
            res.active = active;
            res.new_load = frozen;
        }
        self.capped.clear();
        for i in 0..self.comp_flows.len() {
            let f = self.comp_flows[i];
            let fl = &mut self.flows[f as usize];
            // An uncapped flow with an empty route is limited by nothing.
            fl.new_rate = f64::INFINITY;
            if fl.cap.is_finite() {
                self.capped.push((fl.cap, f));
            }
        }
        self.capped
            .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.fill_heap.clear();
        for &r in &self.comp_res {
            let res = &mut self.resources[r as usize];
            res.stamp = res.stamp.wrapping_add(1);
            if res.active > 0 {
                let lvl = res.rem / res.shares;
                self.fill_heap.push(Reverse((level_key(lvl), r, res.stamp)));
            }
        }

        // Levels only rise during filling (fixing a flow at level x leaves every other
        // resource's fair share ≥ x); clamping to the last level stops float noise from
        // ever handing out a lower share later.
        let mut level = 0.0f64;
        let mut ci = 0;
        loop {
            let res_top = loop {
                match self.fill_heap.peek() {
                    Some(&Reverse((key, r, stamp))) => {
                        let res = &self.resources[r as usize];
                        if res.stamp == stamp && res.active > 0 {
                            break Some((f64::from_bits(key), r));
                        }
                        self.fill_heap.pop();
                    }
                    None => break None,
                }
            };
            while ci < self.capped.len() && self.flows[self.capped[ci].1 as usize].fixed == gen {
                ci += 1;
            }
            let cap_top = self.capped.get(ci).copied();
            match (res_top, cap_top) {
                (None, None) => break,
                (Some((lvl, _)), Some((cap, f))) if cap <= lvl => {
                    ci += 1;
                    level = level.max(cap.min(lvl));
                    self.fix(f, cap, u32::MAX);
                }
                (None, Some((cap, f))) => {
                    ci += 1;
                    level = level.max(cap);
                    self.fix(f, cap, u32::MAX);
                }
                (Some((lvl, r)), _) => {
                    self.fill_heap.pop();
                    level = level.max(lvl);
                    let res = &mut self.resources[r as usize];
                    res.stamp = res.stamp.wrapping_add(1);
                    for e in 0..self.resources[r as usize].elems.len() {
                        let f = self.resources[r as usize].elems[e].0;
                        let fl = &self.flows[f as usize];
                        if fl.visit == gen && fl.fixed != gen {
                            let x = level.min(fl.cap);
                            self.fix(f, x, r);
                        }
                    }
                }
            }
        }
    }

    /// Freezes flow `f` at per-stream rate `x` and takes its consumption off its route.
    /// `bottleneck` is the resource being saturated, which needs no new heap entry.
    fn fix(&mut self, f: u32, x: f64, bottleneck: u32) {
        let gen = self.gen;
        let fl = &mut self.flows[f as usize];
        fl.fixed = gen;
        fl.new_rate = x;
        let n = fl.n as f64;
        for k in self.route(f) {
            let r = self.route_pool[k];
            let w = self.weight_pool[k];
            let use_ = n * x * w;
            let res = &mut self.resources[r as usize];
            res.rem -= use_;
            res.shares -= n * w;
            res.active -= 1;
            res.new_load += use_;
            if res.active > 0 && r != bottleneck {
                res.stamp = res.stamp.wrapping_add(1);
                let lvl = res.rem / res.shares;
                self.fill_heap.push(Reverse((level_key(lvl), r, res.stamp)));
            }
        }
    }

    /// Installs the new rates and loads: banks accounting at the old load, re-anchors
    /// flows whose rate changed and re-predicts their completion.
    fn apply(&mut self) {
        let now = self.now;
        for i in 0..self.comp_res.len() {
            let r = self.comp_res[i] as usize;
            self.settle_resource(r);
            let res = &mut self.resources[r];
            res.load = res.new_load;
            if let Some(s) = res.series.as_mut() {
                let util = if res.capacity > 0.0 {
                    res.load / res.capacity
                } else {
                    0.0
                };
                s.set(now, util);
            }
        }
        for i in 0..self.comp_flows.len() {
            let f = self.comp_flows[i];
            let fl = &mut self.flows[f as usize];
            if fl.new_rate.to_bits() == fl.rate.to_bits() {
                continue;
            }
            fl.anchor_moved = fl.moved_at(now).min(fl.size);
            fl.anchor = now;
            fl.rate = fl.new_rate;
            let due = self.predict(f);
            self.set_due(f, due);
        }
    }
}
