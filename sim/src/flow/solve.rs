//! Re-solving after a change: a lazy progressive filling that starts from the previous
//! allocation and pulls in only the flows that must move.
//!
//! # Why it is exact
//!
//! A feasible allocation in which every flow is *bottlenecked* (it sits at its cap, or it
//! crosses a saturated resource where no flow has a higher per-stream rate) is the max-min
//! allocation, and it is unique. The fill keeps every flow it has not pulled in ("frozen")
//! at its previous rate, fills the pulled-in flows ("active") by progressive filling over
//! what the frozen ones leave, and pulls a frozen flow in as soon as either half of that
//! certificate could fail for it:
//!
//! - **It may have to slow down.** A resource saturating at level λ with a frozen flow
//!   above λ on it is no bottleneck for its active flows. The frozen flows above the
//!   resource's water level (its level once those flows' own consumption is handed back)
//!   are pulled in; the resource is then re-queued at its new, higher level.
//! - **It may speed up.** A frozen flow whose bottleneck is a resource the fill touches
//!   (or that lost its bottleneck altogether) is re-examined when the fill level reaches
//!   its rate: if a resource the fill never touched still justifies it (saturated at a
//!   level equal to the flow's rate, or its cap) it stays frozen, otherwise it is pulled
//!   in there and filled upward.
//!
//! Resources remember the level at which they last saturated (`Resource::level`); that is
//! what lets an untouched resource justify a frozen flow without being re-solved. When
//! floating-point noise breaks an assumption of the argument (a frozen flow below the
//! current level turns out to have no untouched bottleneck), the fill gives up and the
//! whole connected component is re-solved from scratch, which needs no assumption.
//!
//! A network with shared segments (`segment.rs`) always re-fills whole components: every
//! flow is active, so nothing needs vouching for. A segment's resources are not re-keyed
//! when one of its members is fixed: fixing a flow at the current level never lowers
//! another resource's level (`rem − x·w` over `shares − w` is at least `rem / shares`
//! when `x` is at most it), so a stale key is a lower bound, corrected when it reaches
//! the top. That argument needs the whole-component fill: it starts every resource at
//! its full capacity with no frozen flow, so no level is negative and no flow is fixed
//! above a level still queued (caps are taken at their own level). With frozen flows over
//! capacity it would not hold, which is one more reason the lazy fill is not used once a
//! segment has been (the flag stays set for the network's life).
//!
//! Comparisons between rates use a relative tolerance of [`TIE`]: a frozen flow within it
//! of a level counts as equal (a tie, not a violation). Loosening it makes results less
//! exact; tightening it only pulls in more flows.

use super::network::FlowNetwork;
use super::segment::NO_SEGMENT;
use std::cmp::Reverse;

/// Relative tolerance under which two rates count as equal (see the module docs).
const TIE: f64 = 1e-12;
/// A resource over capacity by more than this fraction forces its frozen flows to move.
const OVERLOAD: f64 = 1e-9;

/// Fill steps, ordered by level and, at equal levels, by kind: caps first, then
/// saturating resources, then re-examinations of frozen flows. Resources wait in an
/// indexed heap (`levels`), the other two kinds in `events`.
const KIND_CAP: u64 = 0;
const KIND_RESOURCE: u64 = 1;
const KIND_CHECK: u64 = 2;

fn tag(kind: u64, id: u32) -> u64 {
    kind << 32 | id as u64
}

const NO_BOTTLENECK: u32 = u32::MAX;

/// Heap key for a level: the IEEE bits of a non-negative f64 order like the value.
fn level_key(x: f64) -> u64 {
    x.max(0.0).to_bits()
}

/// The lazy fill hit a case its argument does not cover; re-solve the component whole.
struct Abort;

impl FlowNetwork {
    /// Re-solves after the changes since the last solve, if any.
    pub(super) fn flush(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        if self.segments_used {
            // See `segment.rs`: segments are filled whole.
            self.fill_component();
        } else if self.component_fill_only || self.fill_lazily().is_err() {
            self.fallbacks += 1;
            self.fill_component();
        }
        self.seed_res.clear();
        self.seed_flows.clear();
        if self.comp_res.is_empty() && self.comp_flows.is_empty() {
            return;
        }
        self.solves += 1;
        self.solved_flows += self.comp_flows.len() as u64;
        self.apply();
    }

    /// Starts a fill: new generation (so every visit mark is stale), empty scratch.
    fn begin_fill(&mut self) {
        self.gen = self.gen.wrapping_add(1);
        if self.gen == 0 {
            // After wrap-around an old mark could equal the new generation; reset them all.
            self.resources.iter_mut().for_each(|r| r.visit = 0);
            self.rates.iter_mut().for_each(|f| {
                f.visit = 0;
                f.fixed = 0;
                f.check = 0;
            });
            self.gen = 1;
        }
        self.comp_res.clear();
        self.comp_flows.clear();
        self.comp_segs.clear();
        self.events.clear();
        self.levels.clear();
        for &r in &self.touched {
            self.resources[r as usize].touched = false;
        }
        self.touched.clear();
        self.fill_level = 0.0;
    }

    /// The lazy fill: starts with the new flows active and the changed resources loaded,
    /// everything else frozen.
    fn fill_lazily(&mut self) -> Result<(), Abort> {
        self.begin_fill();
        let gen = self.gen;
        for i in 0..self.seed_flows.len() {
            let f = self.seed_flows[i];
            if self.rates[f as usize].active() && self.rates[f as usize].visit != gen {
                self.mark_active(f);
            }
        }
        // Every new flow is marked before any resource is loaded, so that loading counts
        // them as active rather than as frozen flows without a rate.
        for i in 0..self.comp_flows.len() {
            let f = self.comp_flows[i];
            for k in self.route(f) {
                let r = self.route_pool[k];
                if self.resources[r as usize].visit != gen {
                    self.load_resource(r)?;
                }
            }
        }
        for i in 0..self.seed_res.len() {
            let r = self.seed_res[i];
            if self.resources[r as usize].visit != gen {
                self.load_resource(r)?;
            }
        }
        self.requeue_touched();
        self.run_fill()
    }

    /// The plain fill: every transferring flow in the connected component of the changes
    /// is active. Used when the lazy fill gives up.
    fn fill_component(&mut self) {
        self.begin_fill();
        let gen = self.gen;
        for i in 0..self.seed_flows.len() {
            let f = self.seed_flows[i];
            self.visit_flow(f, gen);
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
                let f = self.resources[r].elems[e].flow;
                self.visit_flow(f, gen);
            }
            for e in 0..self.resources[r].segs.len() {
                let sg = self.resources[r].segs[e].0;
                self.visit_segment(sg, gen);
            }
        }
        // Every member of a visited segment is active: its sums start from all of them.
        for i in 0..self.comp_segs.len() {
            let sg = self.comp_segs[i] as usize;
            let mut n = 0.0;
            for k in 0..self.segments[sg].members.len() {
                n += self.rates[self.segments[sg].members[k] as usize].n;
            }
            let seg = &mut self.segments[sg];
            seg.active_n = n;
            seg.active = seg.members.len() as u32;
            seg.fixed_load = 0.0;
        }
        // The component is closed: no frozen flow to re-examine or pull in, so neither
        // loading nor filling can give up.
        for i in 0..self.comp_res.len() {
            let r = self.comp_res[i];
            self.tally_resource(r, false)
                .unwrap_or_else(|_| unreachable!("a closed component has no frozen flow"));
        }
        self.requeue_touched();
        self.run_fill()
            .unwrap_or_else(|_| unreachable!("a closed component has no frozen flow"));
    }

    /// BFS step of [`fill_component`](Self::fill_component).
    fn visit_flow(&mut self, f: u32, gen: u32) {
        if self.rates[f as usize].visit == gen || !self.rates[f as usize].active() {
            return;
        }
        self.mark_active(f);
        for k in self.route(f) {
            let r = self.route_pool[k] as usize;
            if self.resources[r].visit != gen {
                self.resources[r].visit = gen;
                self.comp_res.push(r as u32);
            }
        }
        let sg = self.rates[f as usize].segment;
        if sg != NO_SEGMENT {
            self.visit_segment(sg, gen);
        }
    }

    /// BFS step of [`fill_component`](Self::fill_component) through a shared segment:
    /// its resources and its members join the component.
    fn visit_segment(&mut self, sg: u32, gen: u32) {
        if self.segments[sg as usize].visit == gen {
            return;
        }
        self.segments[sg as usize].visit = gen;
        self.comp_segs.push(sg);
        for k in 0..self.segments[sg as usize].entries.len() {
            let r = self.segments[sg as usize].entries[k].0 as usize;
            if self.resources[r].visit != gen {
                self.resources[r].visit = gen;
                self.comp_res.push(r as u32);
            }
        }
        for k in 0..self.segments[sg as usize].members.len() {
            let f = self.segments[sg as usize].members[k];
            self.visit_flow(f, gen);
        }
    }

    /// Makes `f` active: its rate is to be filled in this solve.
    fn mark_active(&mut self, f: u32) {
        let gen = self.gen;
        let fl = &mut self.rates[f as usize];
        fl.visit = gen;
        // An uncapped flow with an empty route is limited by nothing.
        fl.new_rate = f64::INFINITY;
        let cap = fl.cap;
        self.comp_flows.push(f);
        if cap.is_finite() {
            self.events
                .push(Reverse((level_key(cap), tag(KIND_CAP, f))));
        }
    }

    /// Brings resource `r` into the fill.
    fn load_resource(&mut self, r: u32) -> Result<(), Abort> {
        let res = &mut self.resources[r as usize];
        res.visit = self.gen;
        self.comp_res.push(r);
        self.tally_resource(r, true)
    }

    /// Computes what is left of `r` for its active flows from its flows, and, if
    /// `check`, re-examines the frozen flows it was vouching for.
    fn tally_resource(&mut self, r: u32, check: bool) -> Result<(), Abort> {
        let gen = self.gen;
        let ri = r as usize;
        let (mut rem, mut shares, mut frozen, mut active) =
            (self.resources[ri].capacity, 0.0, 0.0, 0u32);
        for e in 0..self.resources[ri].elems.len() {
            let elem = self.resources[ri].elems[e];
            let fl = &self.rates[elem.flow as usize];
            if fl.visit != gen {
                rem -= fl.rate * elem.share;
                frozen += fl.rate * elem.share;
            } else if fl.fixed == gen {
                rem -= fl.new_rate * elem.share;
                frozen += fl.new_rate * elem.share;
            } else {
                shares += elem.share;
                active += 1;
            }
        }
        let res = &mut self.resources[ri];
        res.rem = rem;
        res.shares = shares;
        res.active = active;
        res.new_load = frozen;
        res.sat_level = f64::INFINITY;
        if check {
            self.recheck_vouched(r)?;
        }
        self.touch(r);
        Ok(())
    }

    /// Brings resource `r`, untouched since its last solve, into the fill with all its
    /// flows frozen: its load is still exact, so nothing needs summing.
    fn enter_settled(&mut self, r: u32) -> Result<(), Abort> {
        let res = &mut self.resources[r as usize];
        res.visit = self.gen;
        res.rem = res.capacity - res.load;
        res.new_load = res.load;
        res.shares = 0.0;
        res.active = 0;
        res.sat_level = f64::INFINITY;
        self.comp_res.push(r);
        self.recheck_vouched(r)?;
        self.touch(r);
        Ok(())
    }

    /// `r` has just joined the fill, so it can no longer vouch for a frozen flow: queues
    /// a re-examination of the frozen flows at its saturation level (the only ones it
    /// was vouching for; every other flow keeps whatever justified it before).
    fn recheck_vouched(&mut self, r: u32) -> Result<(), Abort> {
        let gen = self.gen;
        let ri = r as usize;
        let level = self.resources[ri].level;
        if !level.is_finite() {
            return Ok(());
        }
        for e in 0..self.resources[ri].elems.len() {
            let f = self.resources[ri].elems[e].flow;
            let fl = &self.rates[f as usize];
            if fl.visit == gen || fl.check == gen || fl.rate < level * (1.0 - TIE) {
                continue;
            }
            if self.justified(f) {
                continue;
            }
            let x = fl.rate;
            // One queued re-examination per flow and fill is enough: once a flow has no
            // bottleneck outside the fill it cannot regain one, the fill only grows.
            if x >= self.fill_level {
                self.rates[f as usize].check = gen;
                self.events
                    .push(Reverse((level_key(x), tag(KIND_CHECK, f))));
            } else {
                // Below the fill level, a frozen flow can no longer be pulled in without
                // breaking the filling order (NaN lands here too).
                return Err(Abort);
            }
        }
        Ok(())
    }

    /// Whether frozen flow `f` is bottlenecked by its cap or by a resource outside the
    /// fill, so that nothing in this solve can change its rate.
    fn justified(&self, f: u32) -> bool {
        let fl = &self.rates[f as usize];
        let x = fl.rate;
        if x >= fl.cap * (1.0 - TIE) {
            return true;
        }
        let vouches = |r: u32| {
            let res = &self.resources[r as usize];
            res.visit != self.gen && x >= res.level * (1.0 - TIE)
        };
        // Usually the resource that fixed the rate last time still holds it.
        let hint = fl.bottleneck;
        if hint != NO_BOTTLENECK && vouches(hint) {
            return true;
        }
        self.route(f).any(|k| {
            let r = self.route_pool[k];
            r != hint && vouches(r)
        })
    }

    /// Pulls frozen flow `f` into the fill: hands its consumption back to its resources.
    fn activate(&mut self, f: u32) -> Result<(), Abort> {
        let gen = self.gen;
        self.mark_active(f);
        let (x, n) = (self.rates[f as usize].rate, self.rates[f as usize].n);
        for k in self.route(f) {
            let r = self.route_pool[k];
            if self.resources[r as usize].visit != gen {
                self.enter_settled(r)?;
            }
        }
        // Every resource of the route is in the fill now: hand the consumption back (once
        // per mention, as it was taken).
        for k in self.route(f) {
            let r = self.route_pool[k];
            let w = n * self.weight_pool[k];
            let res = &mut self.resources[r as usize];
            res.rem += x * w;
            res.new_load -= x * w;
            res.shares += w;
            res.active += 1;
            // It may have saturated earlier in this fill; it is no longer known to be.
            res.sat_level = f64::INFINITY;
            self.touch(r);
        }
        Ok(())
    }

    fn touch(&mut self, r: u32) {
        let res = &mut self.resources[r as usize];
        if !res.touched {
            res.touched = true;
            self.touched.push(r);
        }
    }

    /// Re-keys the resources changed since the last call: once per fill step, not once
    /// per flow fixed, since a saturating resource often fixes many flows that cross the
    /// same next resource.
    fn requeue_touched(&mut self) {
        for i in 0..self.touched.len() {
            let r = self.touched[i];
            self.resources[r as usize].touched = false;
            let (rem, shares, active) = self.rem_shares(r);
            if active {
                self.levels.set(r, level_key(rem / shares));
            } else if rem < -OVERLOAD * self.resources[r as usize].capacity {
                // Over capacity with only frozen flows: they must make room at once.
                self.levels.set(r, 0);
            } else {
                self.levels.remove(r);
            }
        }
        self.touched.clear();
    }

    /// The next fill step: the lowest level, ties broken by kind.
    fn next_step(&mut self) -> Option<(u64, u64)> {
        let event = self.events.peek().map(|e| e.0);
        let resource = self
            .levels
            .peek()
            .map(|(key, r)| (key, tag(KIND_RESOURCE, r)));
        match (event, resource) {
            (Some(e), Some(r)) if r < e => Some(r),
            (Some(e), _) => {
                self.events.pop();
                Some(e)
            }
            (None, r) => r,
        }
    }

    /// Progressive filling from the queued events until every active flow is fixed.
    fn run_fill(&mut self) -> Result<(), Abort> {
        let gen = self.gen;
        while let Some((key, tag)) = self.next_step() {
            let lvl = f64::from_bits(key);
            let id = tag as u32;
            match tag >> 32 {
                KIND_CAP => {
                    let fl = &self.rates[id as usize];
                    if fl.visit != gen || fl.fixed == gen {
                        continue;
                    }
                    // Levels only rise during filling; clamping to the last level stops
                    // float noise from ever handing out a lower share later.
                    self.fill_level = self.fill_level.max(lvl);
                    let cap = fl.cap;
                    self.fix(id, cap, NO_BOTTLENECK);
                }
                KIND_RESOURCE => {
                    if !self.resources[id as usize].segs.is_empty() {
                        // Its key may be stale: members of its segments fixed since it
                        // was keyed raised its level (never lowered it).
                        let (rem, shares, active) = self.rem_shares(id);
                        if !active {
                            self.levels.remove(id);
                            continue;
                        }
                        let now = level_key(rem / shares);
                        if now > key {
                            self.levels.set(id, now);
                            continue;
                        }
                    }
                    self.fill_level = self.fill_level.max(lvl);
                    if !self.pull_in_above_water(id)? {
                        self.levels.remove(id);
                        self.saturate(id);
                    }
                }
                _ => {
                    let fl = &self.rates[id as usize];
                    if fl.visit == gen || self.justified(id) {
                        continue;
                    }
                    self.fill_level = self.fill_level.max(lvl);
                    self.activate(id)?;
                }
            }
            self.requeue_touched();
        }
        Ok(())
    }

    /// Resource `r` is at the top of the fill. If frozen flows on it run faster than the
    /// fill level, pulls in those above its water level and returns true (it is queued
    /// again at its new level); otherwise returns false, leaving its unfixed active flows
    /// in `to_fix` for [`saturate`](Self::saturate).
    fn pull_in_above_water(&mut self, r: u32) -> Result<bool, Abort> {
        let gen = self.gen;
        let lvl = self.fill_level;
        let ri = r as usize;
        self.above.clear();
        self.to_fix.clear();
        for e in 0..self.resources[ri].elems.len() {
            let elem = self.resources[ri].elems[e];
            let fl = &self.rates[elem.flow as usize];
            if fl.visit != gen {
                if fl.rate > lvl * (1.0 + TIE) {
                    self.above.push((fl.rate, elem.share, elem.flow));
                }
            } else if fl.fixed != gen {
                self.to_fix.push(elem.flow);
            }
        }
        for e in 0..self.resources[ri].segs.len() {
            let sg = self.resources[ri].segs[e].0 as usize;
            if self.segments[sg].active == 0 {
                continue;
            }
            for k in 0..self.segments[sg].members.len() {
                let f = self.segments[sg].members[k];
                let fl = &self.rates[f as usize];
                if fl.visit == gen && fl.fixed != gen {
                    self.to_fix.push(f);
                }
            }
        }
        if self.above.is_empty() {
            return Ok(false);
        }
        // Water level: hand back the fastest frozen flows' consumption one at a time
        // while the next one is still above the level that results.
        self.above
            .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        let (mut rem, mut shares) = (self.resources[ri].rem, self.resources[ri].shares);
        let mut take = 0;
        for &(x, w, _) in &self.above {
            let water = if shares > 0.0 {
                (rem / shares).max(lvl)
            } else if rem < 0.0 {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            if x <= water * (1.0 + TIE) {
                break;
            }
            rem += x * w;
            shares += w;
            take += 1;
        }
        for i in 0..take {
            let f = self.above[i].2;
            // A flow that crosses `r` twice is listed twice.
            if self.rates[f as usize].visit != gen {
                self.activate(f)?;
            }
        }
        let res = &self.resources[ri];
        if res.rem.abs() <= 1e-9 * res.capacity || res.capacity == 0.0 {
            // Handing consumption back to a full resource leaves rounding residue that
            // would dominate its small remainder (and would hand a resource with no
            // capacity a trickle); recount it.
            self.tally_resource(r, false)?;
        }
        Ok(take > 0)
    }

    /// Saturates `r` at the current level: fixes its remaining active flows (`to_fix`)
    /// there.
    fn saturate(&mut self, r: u32) {
        let gen = self.gen;
        let lvl = self.fill_level;
        self.resources[r as usize].sat_level = lvl;
        for i in 0..self.to_fix.len() {
            let f = self.to_fix[i];
            // A flow that crosses `r` twice is listed twice.
            if self.rates[f as usize].fixed != gen {
                let x = lvl.min(self.rates[f as usize].cap);
                self.fix(f, x, r);
            }
        }
    }

    /// Fixes active flow `f` at per-stream rate `x` and takes its consumption off its
    /// route. `bottleneck` is the resource being saturated, which needs no new heap entry.
    fn fix(&mut self, f: u32, x: f64, bottleneck: u32) {
        let gen = self.gen;
        let fl = &mut self.rates[f as usize];
        fl.fixed = gen;
        fl.new_rate = x;
        fl.bottleneck = bottleneck;
        let n = fl.n;
        for k in self.route(f) {
            let r = self.route_pool[k];
            let w = n * self.weight_pool[k];
            let res = &mut self.resources[r as usize];
            res.rem -= x * w;
            res.shares -= w;
            res.active -= 1;
            res.new_load += x * w;
            if r != bottleneck {
                self.touch(r);
            }
        }
        let sg = self.rates[f as usize].segment;
        if sg != NO_SEGMENT {
            // Its resources are not re-keyed here: their levels only rose.
            let seg = &mut self.segments[sg as usize];
            seg.fixed_load += n * x;
            seg.active_n -= n;
            seg.active -= 1;
        }
    }

    /// The level `r` vouches for after this fill. A resource that saturated and then
    /// gained an active flow (or entered saturated and kept its flows' rates) never
    /// popped again; if it is still full, its level is its fastest flow's rate.
    fn final_level(&self, r: usize) -> f64 {
        let res = &self.resources[r];
        if res.sat_level.is_finite()
            || res.elems.is_empty()
            || res.rem > TIE * res.capacity
            || !res.segs.is_empty()
        {
            // (A resource of a segment only ever takes part in whole-component fills,
            // which need no vouching level.)
            return res.sat_level;
        }
        let gen = self.gen;
        res.elems
            .iter()
            .map(|e| {
                let fl = &self.rates[e.flow as usize];
                if fl.visit == gen {
                    fl.new_rate
                } else {
                    fl.rate
                }
            })
            .fold(0.0, f64::max)
    }

    /// Installs the new rates and loads: banks accounting at the old load, re-anchors
    /// groups whose rate changed and re-predicts their next completion.
    fn apply(&mut self) {
        let at = self.series_time();
        for i in 0..self.comp_segs.len() {
            let sg = self.comp_segs[i] as usize;
            let mut load = 0.0;
            for k in 0..self.segments[sg].members.len() {
                let fr = &self.rates[self.segments[sg].members[k] as usize];
                load += fr.n * fr.new_rate;
            }
            self.segments[sg].load = load;
        }
        for i in 0..self.comp_res.len() {
            let r = self.comp_res[i] as usize;
            self.settle_resource(r);
            let level = self.final_level(r);
            let mut load = self.resources[r].new_load;
            for &(sg, w) in &self.resources[r].segs {
                load += w * self.segments[sg as usize].load;
            }
            let res = &mut self.resources[r];
            res.load = load;
            res.level = level;
            if let Some(s) = res.series.as_mut() {
                let util = if res.capacity > 0.0 {
                    res.load / res.capacity
                } else {
                    0.0
                };
                s.set(at, util);
            }
        }
        for i in 0..self.comp_flows.len() {
            let g = self.comp_flows[i];
            let fr = &self.rates[g as usize];
            if fr.new_rate.to_bits() == fr.rate.to_bits() {
                continue;
            }
            self.bank(g);
            let fr = &mut self.rates[g as usize];
            fr.rate = fr.new_rate;
            self.predict(g);
        }
    }
}
