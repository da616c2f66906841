//! Devices, racks and their state, and the exact symmetry reduction that keeps a large
//! cluster cheap: racks whose contents are interchangeable (same device counts, same device
//! states, same leaf state) form one [`RackClass`] with a multiplicity, and the devices of
//! one state inside such a class form one [`DevClass`]. An incident changes the state of a
//! device or a rack, which splits it out of its class at the next [`Devices::classes`].
//!
//! Placement. Storage racks are numbered from 0; the CNodes (converged: the nodes) fill
//! them `per_rack` at a time, in index order, like the closed form's racks. When
//! disaggregated, the DBoxes are spread over the same racks as evenly as integers allow
//! (earlier racks take the extra), so losing a rack loses both kinds. GPU client VMs fill
//! client racks `per_rack` at a time, job after job, so a client rack may hold VMs of two
//! jobs ([`client_classes`]).
//!
//! With `expand` set, nothing is merged: every rack and every device is its own class of
//! one. The differential test runs both and holds them equal.

use crate::cluster::Side;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// State of one device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DevState {
    Up,
    /// Unreachable or failed: no capacity, its data must be decoded from the others.
    Down,
    /// Serving at this fraction of its capacity (a throttled NIC, a slow host).
    Degraded(f64),
}

impl DevState {
    /// Capacity multiplier.
    pub fn factor(self) -> f64 {
        match self {
            DevState::Up => 1.0,
            DevState::Down => 0.0,
            DevState::Degraded(f) => f,
        }
    }

    fn key(self) -> String {
        match self {
            DevState::Up => "up".into(),
            DevState::Down => "down".into(),
            DevState::Degraded(f) => format!("deg{:016x}", f.to_bits()),
        }
    }
}

/// State of one rack.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RackState {
    /// Power lost: every device in it is down.
    pub power_down: bool,
    /// Fraction of the rack's network left (1 = all; a lost leaf of a mirrored pair: 0.5;
    /// the only leaf lost: 0, which makes every device unreachable).
    pub network: f64,
}

impl Default for RackState {
    fn default() -> Self {
        RackState {
            power_down: false,
            network: 1.0,
        }
    }
}

/// Devices of one side and state inside a rack class.
#[derive(Clone, Debug, PartialEq)]
pub struct DevClass {
    pub side: Side,
    pub state: DevState,
    /// Devices of this class in each rack of the class.
    pub per_rack: u32,
    /// Among the first `Devices::hot` serving devices, which take more of every client's
    /// traffic (uneven connections).
    pub hot: bool,
    /// Generation: 0 for the candidate's shape, `k` for the k-th other shape a tranche
    /// brought ([`Devices::gens`]).
    pub gen: u16,
    /// Stable identity for resource keys.
    pub key: String,
}

/// Racks with interchangeable contents.
#[derive(Clone, Debug, PartialEq)]
pub struct RackClass {
    pub key: String,
    pub racks: Vec<u32>,
    pub network: f64,
    /// CNodes (converged: nodes) and DBoxes per rack, whatever their state.
    pub compute_per_rack: u32,
    pub storage_per_rack: u32,
    pub devices: Vec<DevClass>,
}

impl RackClass {
    pub fn multiplicity(&self) -> u32 {
        self.racks.len() as u32
    }
}

/// Every storage-side device and rack of a cluster, and the few that differ from the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Devices {
    /// CNodes and DBoxes are separate devices; otherwise one device is both and only
    /// `Side::Compute` entries are used.
    pub disaggregated: bool,
    pub compute: u32,
    pub storage: u32,
    pub per_rack: u32,
    pub expand: bool,
    /// The first `hot` serving devices (CNodes; converged: nodes) are hot (0: even).
    pub hot: u32,
    pub dev: BTreeMap<(SideKey, u32), DevState>,
    pub rack: BTreeMap<u32, RackState>,
    /// Where each later generation begins: (side, first device index, generation), in
    /// the order tranches added them. Devices join at the end, so a generation is one
    /// run of indices on each side.
    pub gens: Vec<(SideKey, u32, u16)>,
}

/// What [`Devices::storage_down`] finds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StorageDown {
    /// Racks with storage whose devices are all out of reach, ascending.
    pub racks: Vec<u32>,
    /// Storage devices down in each other rack.
    pub devices: BTreeMap<u32, u32>,
}

/// [`Side`] with an order, for map keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SideKey {
    Compute,
    Storage,
}

impl SideKey {
    pub fn side(self) -> Side {
        match self {
            SideKey::Compute => Side::Compute,
            SideKey::Storage => Side::Storage,
        }
    }
}

/// `total` split over `parts`, earlier parts taking the extra.
fn share(total: u32, parts: u32, i: u32) -> u32 {
    let parts = parts.max(1);
    total / parts + u32::from(i < total % parts)
}

impl Devices {
    pub fn new(disaggregated: bool, compute: u32, storage: u32, per_rack: u32) -> Self {
        Devices {
            disaggregated,
            compute,
            storage: if disaggregated { storage } else { compute },
            per_rack: per_rack.max(1),
            expand: false,
            hot: 0,
            dev: BTreeMap::new(),
            rack: BTreeMap::new(),
            gens: Vec::new(),
        }
    }

    /// A tranche: `add` storage devices (and, disaggregated, `cnodes` CNodes) join at the
    /// end, as generation `gen` if they are of another shape.
    pub fn join(&mut self, add: u32, cnodes: u32, gen: Option<u16>) {
        if let Some(k) = gen {
            let storage = self.key_of(SideKey::Storage);
            self.gens.push((storage, self.storage, k));
            if self.disaggregated {
                self.gens.push((SideKey::Compute, self.compute, k));
            }
        }
        if self.disaggregated {
            self.storage = self.storage.saturating_add(add);
            self.compute = self.compute.saturating_add(cnodes);
        } else {
            self.compute = self.compute.saturating_add(add);
            self.storage = self.compute;
        }
    }

    /// Generation of device `i` of `side` (0: the candidate's shape).
    pub fn gen_of(&self, side: SideKey, i: u32) -> u16 {
        let side = self.key_of(side);
        self.gens
            .iter()
            .rev()
            .find(|&&(s, start, _)| s == side && i >= start)
            .map_or(0, |g| g.2)
    }

    /// Devices of `side` per generation: all of them, and those down (`[total, down]`
    /// for each generation in order).
    pub fn by_gen(&self, side: SideKey) -> Vec<[u32; 2]> {
        let side = self.key_of(side);
        let total = self.count(side);
        let n = self.gens.iter().map(|g| g.2 as usize).max().unwrap_or(0) + 1;
        let mut out = vec![[0u32; 2]; n];
        let mut bounds: Vec<(u32, u16)> = vec![(0, 0)];
        bounds.extend(self.gens.iter().filter(|g| g.0 == side).map(|g| (g.1, g.2)));
        for (k, &(start, g)) in bounds.iter().enumerate() {
            let end = bounds.get(k + 1).map_or(total, |b| b.0).min(total);
            out[g as usize][0] += end.saturating_sub(start);
        }
        for i in self.down(side) {
            out[self.gen_of(side, i) as usize][1] += 1;
        }
        out
    }

    /// Indices of the devices of `side` that are down, by rack or by themselves.
    pub fn down(&self, side: SideKey) -> Vec<u32> {
        let side = self.key_of(side);
        let total = self.count(side);
        let mut out = BTreeSet::new();
        for (&r, rs) in &self.rack {
            if rs.power_down || rs.network <= 0.0 {
                let (start, n) = self.in_rack(side, r);
                out.extend(start..start + n);
            }
        }
        for (&(s, i), st) in &self.dev {
            if s == side && *st == DevState::Down && i < total {
                out.insert(i);
            }
        }
        out.into_iter().collect()
    }

    /// The side a device of `side` is kept under (converged: always compute).
    pub fn key_of(&self, side: SideKey) -> SideKey {
        if self.disaggregated {
            side
        } else {
            SideKey::Compute
        }
    }

    pub fn racks(&self) -> u32 {
        self.compute.div_ceil(self.per_rack).max(1)
    }

    /// First index and count of the devices of `side` in rack `r`.
    pub fn in_rack(&self, side: SideKey, r: u32) -> (u32, u32) {
        match self.key_of(side) {
            SideKey::Compute => {
                let start = (r * self.per_rack).min(self.compute);
                let end = ((r + 1) * self.per_rack).min(self.compute);
                (start, end - start)
            }
            SideKey::Storage => {
                let racks = self.racks();
                // Earlier racks take one extra each: the first `rem` racks hold base + 1.
                let (base, rem) = (self.storage / racks, self.storage % racks);
                (r * base + r.min(rem), share(self.storage, racks, r))
            }
        }
    }

    /// Rack of device `i` of `side`.
    pub fn rack_of(&self, side: SideKey, i: u32) -> u32 {
        match self.key_of(side) {
            SideKey::Compute => i / self.per_rack,
            SideKey::Storage => {
                let racks = self.racks();
                let base = self.storage / racks;
                let rem = self.storage % racks;
                let big = rem * (base + 1);
                if i < big {
                    i / (base + 1)
                } else {
                    rem + (i - big) / base.max(1)
                }
            }
        }
    }

    pub fn rack_state(&self, r: u32) -> RackState {
        self.rack.get(&r).copied().unwrap_or_default()
    }

    /// The state a device acts in: down with its rack's power or its rack's only leaf.
    pub fn state(&self, side: SideKey, i: u32) -> DevState {
        let side = self.key_of(side);
        let rs = self.rack_state(self.rack_of(side, i));
        if rs.power_down || rs.network <= 0.0 {
            return DevState::Down;
        }
        self.dev.get(&(side, i)).copied().unwrap_or(DevState::Up)
    }

    fn sides(&self) -> &'static [SideKey] {
        if self.disaggregated {
            &[SideKey::Compute, SideKey::Storage]
        } else {
            &[SideKey::Compute]
        }
    }

    /// Devices of `side` that serve (not down).
    pub fn serving(&self, side: SideKey) -> u32 {
        let down = u32::try_from(self.down(side).len()).unwrap_or(u32::MAX);
        self.count(side).saturating_sub(down)
    }

    /// Devices of `side`, whatever their state.
    pub fn count(&self, side: SideKey) -> u32 {
        match self.key_of(side) {
            SideKey::Compute => self.compute,
            SideKey::Storage => self.storage,
        }
    }

    /// Storage devices out of reach, by rack: the racks that hold storage and have lost
    /// their power or their only network (every device in them is down), and, in every
    /// other rack, how many of its storage devices are down on their own.
    pub fn storage_down(&self) -> StorageDown {
        let side = self.key_of(SideKey::Storage);
        let total = self.count(side);
        let mut out = StorageDown::default();
        for (&r, rs) in &self.rack {
            if (rs.power_down || rs.network <= 0.0) && self.in_rack(side, r).1 > 0 {
                out.racks.push(r);
            }
        }
        for (&(s, i), st) in &self.dev {
            if s == side && *st == DevState::Down && i < total {
                let r = self.rack_of(side, i);
                if out.racks.binary_search(&r).is_err() {
                    *out.devices.entry(r).or_insert(0) += 1;
                }
            }
        }
        out
    }

    /// Racks holding at least one storage device (DBoxes are spread over the CNode racks,
    /// so a small disaggregated cluster may leave the last racks without any).
    pub fn storage_racks(&self) -> u32 {
        match self.key_of(SideKey::Storage) {
            SideKey::Compute => self.racks(),
            SideKey::Storage => self.racks().min(self.storage),
        }
    }

    /// The rack classes, in order of their first rack.
    pub fn classes(&self) -> Vec<RackClass> {
        let mut touched: BTreeSet<u32> = self.rack.keys().copied().collect();
        for &(s, i) in self.dev.keys() {
            touched.insert(self.rack_of(s, i));
        }
        let mut out: Vec<RackClass> = Vec::new();
        // Racks are grouped by a structural key; the text keys that name resources are
        // made once per class, not once per rack (an exabyte of VMs has thousands of
        // racks and is re-classed on every failure).
        let mut by_key: HashMap<ClassKey, usize> = HashMap::new();
        // Untouched racks differ only in their device counts: their class by the counts.
        let mut plain_class: BTreeMap<(u32, u32, u32), usize> = BTreeMap::new();
        for r in 0..self.racks() {
            let (c0, nc) = self.in_rack(SideKey::Compute, r);
            let ns = if self.disaggregated {
                self.in_rack(SideKey::Storage, r).1
            } else {
                nc
            };
            let rs = self.rack_state(r);
            // A rack holding a later generation is grouped device by device like a
            // touched one (its devices differ from the counts alone).
            let newest = self.sides().iter().map(|&side| {
                let (start, n) = self.in_rack(side, r);
                if n == 0 {
                    0
                } else {
                    self.gen_of(side, start + n - 1)
                }
            });
            let plain = !self.expand && !touched.contains(&r) && newest.max() == Some(0);
            let hot_here = self.hot.saturating_sub(c0).min(nc);
            if let Some(&k) = plain
                .then(|| plain_class.get(&(nc, ns, hot_here)))
                .flatten()
            {
                out[k].racks.push(r);
                continue;
            }
            let mut members: Vec<Member> = Vec::new();
            for &side in self.sides() {
                let (start, n) = self.in_rack(side, r);
                let is_hot = |i: u32| side == SideKey::Compute && i < self.hot;
                if plain {
                    // Hot devices (the first ones) before the rest, as they are indexed.
                    let hot = if side == SideKey::Compute {
                        hot_here
                    } else {
                        0
                    };
                    for (count, hot) in [(hot, true), (n - hot, false)] {
                        if count > 0 {
                            members.push(Member::new(side, None, DevState::Up, count, hot, 0));
                        }
                    }
                    continue;
                }
                if self.expand {
                    for i in start..start + n {
                        let st = self.state(side, i);
                        let g = self.gen_of(side, i);
                        members.push(Member::new(side, Some(i), st, 1, is_hot(i), g));
                    }
                    continue;
                }
                let mut groups: BTreeMap<(bool, u16, StateKey), (DevState, u32)> = BTreeMap::new();
                for i in start..start + n {
                    let st = self.state(side, i);
                    groups
                        .entry((!is_hot(i), self.gen_of(side, i), StateKey::of(st)))
                        .or_insert((st, 0))
                        .1 += 1;
                }
                for ((cold, g, _), (st, c)) in groups {
                    members.push(Member::new(side, None, st, c, !cold, g));
                }
            }
            let key = ClassKey {
                rack: self.expand.then_some(r),
                compute: nc,
                storage: ns,
                network: rs.network.to_bits(),
                power_down: rs.power_down,
                members,
            };
            let k = match by_key.get(&key) {
                Some(&k) => {
                    out[k].racks.push(r);
                    k
                }
                None => {
                    out.push(key.class(r, rs.network));
                    by_key.insert(key, out.len() - 1);
                    out.len() - 1
                }
            };
            if plain {
                plain_class.insert((nc, ns, hot_here), k);
            }
        }
        out
    }
}

/// A device state as a map key (a degraded fraction by its bits). The variant order is
/// the order devices of one rack are listed in, and so the order resources are made in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum StateKey {
    Degraded(u64),
    Down,
    Up,
}

impl StateKey {
    fn of(st: DevState) -> Self {
        match st {
            DevState::Up => StateKey::Up,
            DevState::Down => StateKey::Down,
            DevState::Degraded(f) => StateKey::Degraded(f.to_bits()),
        }
    }
}

/// Devices of one side and state in a rack (one device when expanded).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Member {
    side: SideKey,
    device: Option<u32>,
    state: StateKey,
    count: u32,
    hot: bool,
    gen: u16,
}

impl Member {
    fn new(
        side: SideKey,
        device: Option<u32>,
        st: DevState,
        count: u32,
        hot: bool,
        gen: u16,
    ) -> Self {
        Member {
            side,
            device,
            state: StateKey::of(st),
            count,
            hot,
            gen,
        }
    }

    fn dev_class(&self) -> DevClass {
        let state = match self.state {
            StateKey::Up => DevState::Up,
            StateKey::Down => DevState::Down,
            StateKey::Degraded(b) => DevState::Degraded(f64::from_bits(b)),
        };
        let side = self.side;
        let hot = if self.hot { ":hot" } else { "" };
        // Generation 0 keeps the keys it always had.
        let gen = if self.gen > 0 {
            format!(":g{}", self.gen)
        } else {
            String::new()
        };
        let key = match self.device {
            Some(i) => format!("{side:?}#{i}:{}{hot}{gen}", state.key()),
            None => format!("{side:?}:{}{hot}{gen}", state.key()),
        };
        DevClass {
            side: side.side(),
            state,
            per_rack: self.count,
            hot: self.hot,
            gen: self.gen,
            key,
        }
    }
}

/// What makes two racks interchangeable.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ClassKey {
    /// Set when expanded: every rack is its own class.
    rack: Option<u32>,
    compute: u32,
    storage: u32,
    network: u64,
    power_down: bool,
    members: Vec<Member>,
}

impl ClassKey {
    /// The class this key describes, first seen at rack `r`.
    fn class(&self, r: u32, network: f64) -> RackClass {
        let devices: Vec<DevClass> = self.members.iter().map(Member::dev_class).collect();
        let mut key = format!(
            "c{}s{}n{:016x}p{}|",
            self.compute, self.storage, self.network, self.power_down
        );
        for d in &devices {
            key.push_str(&format!("{}x{};", d.key, d.per_rack));
        }
        if let Some(r) = self.rack {
            key = format!("rack{r}|{key}");
        }
        RackClass {
            key,
            racks: vec![r],
            network,
            compute_per_rack: self.compute,
            storage_per_rack: self.storage,
            devices,
        }
    }
}

/// Client racks with interchangeable contents: the same VMs of the same jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientClass {
    pub key: String,
    pub racks: u32,
    /// The client racks of the class.
    pub rack_ids: Vec<u32>,
    /// (job, VMs of that job in each rack of the class).
    pub jobs: Vec<(usize, u32)>,
}

/// Client racks for jobs of `job_vms` VMs each, filled `per_rack` VMs at a time in job
/// order.
pub fn client_classes(job_vms: &[u32], per_rack: u32, expand: bool) -> Vec<ClientClass> {
    let per_rack = per_rack.max(1) as u64;
    let total: u64 = job_vms.iter().map(|&v| v as u64).sum();
    let mut out: Vec<ClientClass> = Vec::new();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    // Job j holds VMs [starts[j], starts[j] + job_vms[j]).
    let mut starts = Vec::with_capacity(job_vms.len());
    let mut acc = 0u64;
    for &v in job_vms {
        starts.push(acc);
        acc += v as u64;
    }
    let racks = total.div_ceil(per_rack);
    let mut j0 = 0usize;
    let mut r = 0u64;
    while r < racks {
        let (lo, hi) = (r * per_rack, ((r + 1) * per_rack).min(total));
        while j0 < job_vms.len() && starts[j0] + job_vms[j0] as u64 <= lo {
            j0 += 1;
        }
        let mut jobs = Vec::new();
        let mut j = j0;
        while j < job_vms.len() && starts[j] < hi {
            let a = starts[j].max(lo);
            let b = (starts[j] + job_vms[j] as u64).min(hi);
            if b > a {
                jobs.push((j, (b - a) as u32));
            }
            j += 1;
        }
        // Full racks inside one job repeat until the job ends: take them in one step.
        let mut run = 1u64;
        if !expand && jobs.len() == 1 && hi - lo == per_rack {
            let end = starts[jobs[0].0] + job_vms[jobs[0].0] as u64;
            run = ((end - lo) / per_rack).max(1);
        }
        let mut key = String::new();
        for (j, v) in &jobs {
            key.push_str(&format!("{j}x{v};"));
        }
        if expand {
            key = format!("rack{r}|{key}");
        }
        match by_key.get(&key) {
            Some(&k) => {
                out[k].racks += run as u32;
                out[k].rack_ids.extend((r..r + run).map(|x| x as u32));
            }
            None => {
                by_key.insert(key.clone(), out.len());
                out.push(ClientClass {
                    key,
                    racks: run as u32,
                    rack_ids: (r..r + run).map(|x| x as u32).collect(),
                    jobs,
                });
            }
        }
        r += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_full_racks_are_one_class() {
        let d = Devices::new(false, 40, 40, 16);
        let c = d.classes();
        // Two full racks of 16 and one of 8.
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].racks, vec![0, 1]);
        assert_eq!(c[1].racks, vec![2]);
        assert_eq!(c[1].devices[0].per_rack, 8);
    }

    #[test]
    fn an_incident_splits_its_device_and_rack_out() {
        let mut d = Devices::new(false, 48, 48, 16);
        d.dev
            .insert((SideKey::Compute, 17), DevState::Degraded(0.5));
        let c = d.classes();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].racks, vec![0, 2]);
        assert_eq!(c[1].racks, vec![1]);
        let per: Vec<_> = c[1].devices.iter().map(|x| x.per_rack).collect();
        assert_eq!(per.iter().sum::<u32>(), 16);
        assert_eq!(d.serving(SideKey::Compute), 48);
        d.rack.insert(
            2,
            RackState {
                power_down: true,
                network: 1.0,
            },
        );
        assert_eq!(d.serving(SideKey::Compute), 32);
    }

    #[test]
    fn dboxes_spread_over_the_cnode_racks() {
        let d = Devices::new(true, 20, 7, 10);
        assert_eq!(d.racks(), 2);
        assert_eq!(d.in_rack(SideKey::Storage, 0), (0, 4));
        assert_eq!(d.in_rack(SideKey::Storage, 1), (4, 3));
        for i in 0..7 {
            let r = d.rack_of(SideKey::Storage, i);
            let (s, n) = d.in_rack(SideKey::Storage, r);
            assert!(i >= s && i < s + n);
        }
    }

    #[test]
    fn client_racks_follow_jobs() {
        // Jobs of 10 and 6 VMs, 4 per rack: racks [0,0,0,0] [0..] [0,0,1,1] [1,1,1,1].
        let c = client_classes(&[10, 6], 4, false);
        let total: u32 = c.iter().map(|k| k.racks).sum();
        assert_eq!(total, 4);
        assert_eq!(c[0].jobs, vec![(0, 4)]);
        assert_eq!(c[0].racks, 2);
        assert_eq!(c[1].jobs, vec![(0, 2), (1, 2)]);
        let e = client_classes(&[10, 6], 4, true);
        assert_eq!(e.len(), 4);
    }
}
