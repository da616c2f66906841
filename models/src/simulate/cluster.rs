//! The cluster and its devices: which resources exist, at what capacity, and the routes
//! and weights the flows of each direction take over them.
//!
//! # Per-device resources, reduced by symmetry
//!
//! Every resource class of the closed form's pools becomes one resource per *device class*
//! ([`super::devices`]): the NIC directions, protocol budget and fabric ports of each class
//! of CNodes (converged: nodes), the media, write buffer and fabric ports of each class of
//! DBoxes, the leaf uplinks of each class of storage racks, the NICs of each job's VMs in
//! each class of client racks and those racks' uplinks. A class of n interchangeable
//! devices is one resource of n times the device's capacity; an incident splits its device
//! or rack into a class of its own.
//!
//! A client's bytes are one *logical flow* (a job's reads, a checkpoint, a rebuild), made of
//! one solver flow per (client class, serving CNode class) pair: each VM keeps one stream to
//! every CNode (even connection spread), so the pair's multiplicity is VMs × CNodes and its
//! share of the bytes VMs × CNodes over the total. Each pair crosses
//!
//! - its VMs' NICs and client-rack uplinks (client bytes, weight 1);
//! - the serving CNode class with the part of each CNode-side cost that the serving CNode
//!   itself pays: the client-facing byte on its NIC (tx for reads, rx for writes) and on its
//!   rack's uplink, the east-west bytes arriving for a read it serves, its protocol budget and
//!   its fabric ports;
//! - every serving device class with the rest of each cost, spread in proportion to the
//!   devices in the class: east-west traffic on the peers' NICs and uplinks, and the media,
//!   write buffer and DBox fabric of the boxes holding the data (VAST stripes every element
//!   over all drives).
//!
//! Summed over all pairs, a class of n of N devices carries n/N of each pool's cluster-total
//! cost, which is why the balanced cluster reproduces the closed form exactly. Two
//! approximations remain in the split: the east-west bytes of a write are spread, not tied
//! to the CNode that receives the write, and a partial last rack has a whole rack's uplinks
//! for fewer devices (the closed form averages over racks).

use super::devices::{
    client_classes, ClientClass, DevClass, DevState, Devices, RackClass, SideKey,
};
use super::input::{Generation, SimInput};
use super::layout::Stripes;
use super::sim::{share, Direction, Ev, Sim};
use crate::cluster::{Counts, Side};
use crate::iopath::ResourceClass;
use crate::netmodel::Pool;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use vastplan_sim::flow::{ResourceId, SegmentId};
use vastplan_sim::{Scheduler, SimDuration, SimTime};

/// A direction's spread of this many route elements or more is held once, as a shared
/// segment, instead of in every piece's route. Every piece of a direction carries the same
/// spread, so an expanded cluster of N devices would otherwise pay pieces × N per change
/// (N² in all); the segment costs N once. Short spreads (a cluster reduced to a few
/// classes) stay in the routes, where the lazy fill re-solves less than whole components.
pub(super) const SEGMENT_FROM: usize = 64;

/// Route elements of one direction: (resource, weight per client byte).
pub(super) type Route = Vec<(ResourceId, f64)>;

/// A class of serving CNodes (converged: nodes).
pub(super) struct Server {
    pub(super) count: u64,
    /// Share of each client's traffic per device relative to an even spread (1 unless
    /// connections are skewed).
    pub(super) weight: f64,
    pub(super) serve: [Route; 3],
}

/// The VMs of one job in one client class.
pub(super) struct ClientPart {
    pub(super) vms: u64,
    pub(super) route: [Route; 3],
}

/// The cluster as the flow network sees it.
pub(super) struct Topology {
    pub(super) devices: Devices,
    res: HashMap<String, ResourceId>,
    pub(super) pools: Vec<Pool>,
    pub(super) rack_classes: Vec<RackClass>,
    pub(super) client_classes: Vec<ClientClass>,
    /// For the recorder: the resources of each rack class (and client class) by resource
    /// class.
    pub(super) rack_res: Vec<BTreeMap<ResourceClass, Vec<ResourceId>>>,
    pub(super) client_res: Vec<BTreeMap<ResourceClass, Vec<ResourceId>>>,
    /// Capacity left on every leaf uplink (spine planes lost reduce it).
    pub(super) spine: f64,
    pub(super) servers: Vec<Server>,
    pub(super) spread: [Route; 3],
    /// The spread of each direction as one shared segment of the flow network, when it is
    /// long (see [`SEGMENT_FROM`]); `spread` is then empty.
    pub(super) segments: [Option<SegmentId>; 3],
    pub(super) global: [Route; 3],
    pub(super) clients: Vec<Vec<ClientPart>>,
    /// Storage devices whose data is lost and being rebuilt (down until rebuilt).
    pub(super) rebuilding: BTreeSet<u32>,
    /// Shapes tranches brought that are not the candidate's: generation `k` is
    /// `generations[k - 1]`, and `gen_pools[k - 1]` its devices' pools.
    pub(super) generations: Vec<Generation>,
    gen_pools: Vec<Vec<Pool>>,
    /// Data a device of each generation holds over one of the candidate's (index 0: 1).
    pub(super) data_weights: Vec<f64>,
    /// Where stripes sit, and what a set of down devices and racks puts out of reach.
    pub(super) stripes: Stripes,
    /// Bumped whenever the classes are rebuilt.
    pub(super) gen: u64,
}

impl Topology {
    pub(super) fn new(input: &SimInput) -> Self {
        let mut devices = Devices::new(
            input.disaggregated,
            input.compute_nodes.max(1),
            input.nodes.max(1),
            input.spec.topology.nodes_per_rack,
        );
        devices.expand = input.topology.expand;
        devices.hot = input.topology.skew.map_or(0, |k| k.hot_of(devices.compute));
        Topology {
            devices,
            res: HashMap::new(),
            pools: Vec::new(),
            rack_classes: Vec::new(),
            client_classes: Vec::new(),
            rack_res: Vec::new(),
            client_res: Vec::new(),
            spine: 1.0,
            servers: Vec::new(),
            spread: Default::default(),
            segments: [None; 3],
            global: Default::default(),
            clients: Vec::new(),
            rebuilding: BTreeSet::new(),
            generations: Vec::new(),
            gen_pools: Vec::new(),
            data_weights: vec![1.0],
            stripes: Stripes::new(
                input.topology.layout,
                input.spec.protection.stripe_data,
                input.spec.protection.stripe_parity,
                input.drives_per_node,
            ),
            gen: 0,
        }
    }

    /// Capacity of one device of generation `gen` on pool `p`'s class.
    fn capacity(&self, p: &Pool, gen: u16) -> f64 {
        match gen {
            0 => p.capacity,
            g => self.gen_pools[g as usize - 1]
                .iter()
                .find(|q| q.class == p.class)
                .map_or(p.capacity, |q| q.capacity),
        }
    }

    /// Data one device of generation `gen` holds over one of the candidate's: its share
    /// of the striped bytes relative to theirs ([`Sim::spread_data`]).
    pub(super) fn data_weight(&self, gen: u16) -> f64 {
        self.data_weights.get(gen as usize).copied().unwrap_or(1.0)
    }

    /// The one resource of a class kept whole (Blob's account limits).
    pub(super) fn global_resource(&self, class: ResourceClass) -> Option<ResourceId> {
        self.res.get(&format!("{class:?}")).copied()
    }
}

pub(super) fn dir_index(d: Direction) -> usize {
    match d {
        Direction::Read => 0,
        Direction::Write => 1,
        Direction::Rebuild => 2,
    }
}

const DIRS: [Direction; 3] = [Direction::Read, Direction::Write, Direction::Rebuild];

fn is_uplink(c: ResourceClass) -> bool {
    matches!(
        c,
        ResourceClass::StorageUplinkTx
            | ResourceClass::StorageUplinkRx
            | ResourceClass::ClientUplinkTx
            | ResourceClass::ClientUplinkRx
    )
}

/// The write buffer (SCM), the same in every DBox of a kind whatever its capacity tier.
fn is_buffer(c: ResourceClass) -> bool {
    matches!(c, ResourceClass::BufferWrite | ResourceClass::BufferRead)
}

fn is_client(c: ResourceClass) -> bool {
    matches!(
        c,
        ResourceClass::ClientNicRx
            | ResourceClass::ClientNicTx
            | ResourceClass::ClientUplinkRx
            | ResourceClass::ClientUplinkTx
    )
}

/// Resources a leaf carries: they lose capacity with the rack's network.
fn is_network(c: ResourceClass) -> bool {
    use ResourceClass::*;
    matches!(
        c,
        NodeNicRx
            | NodeNicTx
            | FabricCnodeRx
            | FabricCnodeTx
            | FabricDboxRx
            | FabricDboxTx
            | StorageUplinkRx
            | StorageUplinkTx
    )
}

/// The part of a CNode-side cost that the CNode serving the client pays itself.
fn serving_part(class: ResourceClass, dir: Direction, cost: f64) -> f64 {
    use ResourceClass::*;
    match (class, dir) {
        (Protocol | FabricCnodeTx | FabricCnodeRx, _) => cost,
        (NodeNicTx | StorageUplinkTx, Direction::Read) => cost.min(1.0),
        (NodeNicRx | StorageUplinkRx, Direction::Read) => cost,
        (NodeNicRx | StorageUplinkRx, Direction::Write) => cost.min(1.0),
        _ => 0.0,
    }
}

/// Sorts a route and merges repeated resources.
pub(super) fn merged(mut r: Route) -> (Vec<ResourceId>, Vec<f64>) {
    r.sort_by_key(|x| x.0);
    let mut ids: Vec<ResourceId> = Vec::with_capacity(r.len());
    let mut ws: Vec<f64> = Vec::with_capacity(r.len());
    for (id, w) in r {
        if w.is_nan() || w <= 0.0 {
            continue;
        }
        if ids.last() == Some(&id) {
            *ws.last_mut().expect("pushed with id") += w;
        } else {
            ids.push(id);
            ws.push(w);
        }
    }
    (ids, ws)
}

impl Sim<'_> {
    pub(super) fn client_vms(&self, gpus: u32) -> u32 {
        SimInput::client_vms(gpus, self.input.gpus_per_client_vm)
    }

    fn resource(&mut self, now: SimTime, key: String, cap: f64) -> ResourceId {
        // An unbounded resource (no client NIC figure) stays unbounded, as in the pools.
        let cap = if cap.is_nan() { 0.0 } else { cap.max(0.0) };
        match self.topo.res.get(&key) {
            Some(&r) => {
                if self.net.capacity(r) != cap {
                    self.net.set_capacity(now, r, cap);
                }
                r
            }
            None => {
                let r = self.net.add_resource(cap, SimDuration::ZERO);
                self.topo.res.insert(key, r);
                r
            }
        }
    }

    /// Devices of `side` that serve, at least one.
    pub(super) fn serving(&self, side: SideKey) -> u32 {
        self.topo.devices.serving(side).max(1)
    }

    /// Rebuilds the device classes, the pools for the serving device counts, and every
    /// class's resources at their capacity (adding resources for classes not seen before).
    /// Call [`Sim::reroute_all`] after it: the routes follow the classes.
    pub(super) fn repool(&mut self, now: SimTime) {
        let counts = if self.input.disaggregated {
            Counts::new(
                self.serving(SideKey::Storage),
                self.serving(SideKey::Compute),
            )
        } else {
            Counts::converged(self.serving(SideKey::Compute))
        };
        let vms = self.client_vms(self.gpus);
        self.topo.pools = self.input.spec.pools(counts, vms);
        self.topo.gen_pools = (self.topo.generations.iter())
            .map(|g| g.spec.pools(counts, vms))
            .collect();
        self.topo.rack_classes = self.topo.devices.classes();
        self.topo.gen += 1;
        let job_vms: Vec<u32> = (0..self.jobs.len())
            .map(|j| {
                if self.input.gpus > 0 || self.gpus > 0 {
                    self.client_vms(self.jobs[j].gpus)
                } else {
                    0
                }
            })
            .collect();
        self.topo.client_classes = client_classes(
            &job_vms,
            self.input.spec.topology.clients_per_rack,
            self.topo.devices.expand,
        );
        let pools = self.topo.pools.clone();
        let spine = self.topo.spine;
        let mut rack_res = Vec::new();
        for rc in self.topo.rack_classes.clone() {
            let m = rc.multiplicity() as f64;
            let mut by: BTreeMap<ResourceClass, Vec<ResourceId>> = BTreeMap::new();
            for p in &pools {
                match Side::of(p.class) {
                    Some(Side::Compute) if is_uplink(p.class) => {
                        let cap = p.capacity * m * rc.network * spine;
                        let r = self.resource(now, format!("{:?}|{}", p.class, rc.key), cap);
                        by.entry(p.class).or_default().push(r);
                    }
                    Some(side) => {
                        for d in &rc.devices {
                            let holds = d.side == side || !self.input.disaggregated;
                            if !holds || d.state == DevState::Down {
                                continue;
                            }
                            let net = if is_network(p.class) { rc.network } else { 1.0 };
                            let cap = self.topo.capacity(p, d.gen)
                                * d.per_rack as f64
                                * m
                                * d.state.factor()
                                * net;
                            let key = format!("{:?}|{}|{}", p.class, rc.key, d.key);
                            let r = self.resource(now, key, cap);
                            by.entry(p.class).or_default().push(r);
                        }
                    }
                    None => {}
                }
            }
            rack_res.push(by);
        }
        self.topo.rack_res = rack_res;
        let mut client_res = Vec::new();
        for cc in self.topo.client_classes.clone() {
            let mut by: BTreeMap<ResourceClass, Vec<ResourceId>> = BTreeMap::new();
            for p in pools.iter().filter(|p| is_client(p.class)) {
                if is_uplink(p.class) {
                    let cap = p.capacity * cc.racks as f64 * spine;
                    let r = self.resource(now, format!("{:?}|{}", p.class, cc.key), cap);
                    by.entry(p.class).or_default().push(r);
                } else {
                    for &(j, v) in &cc.jobs {
                        let cap = p.capacity * v as f64 * cc.racks as f64;
                        let r = self.resource(now, format!("{:?}|{}|job{j}", p.class, cc.key), cap);
                        by.entry(p.class).or_default().push(r);
                    }
                }
            }
            client_res.push(by);
        }
        self.topo.client_res = client_res;
        for p in &pools {
            if Side::of(p.class).is_none() && !is_client(p.class) {
                self.resource(now, format!("{:?}", p.class), p.total_capacity());
            }
        }
    }

    /// Share of stored data currently lost or out of reach: reads of it are decoded on the
    /// fly from the surviving strips.
    pub(super) fn degraded_fraction(&self) -> f64 {
        let d = &self.topo.devices;
        // Devices being rebuilt count in `lost_bytes` already.
        let mut by_gen = d.by_gen(SideKey::Storage);
        for &i in &self.topo.rebuilding {
            let g = &mut by_gen[d.gen_of(SideKey::Storage, i) as usize];
            g[1] = g[1].saturating_sub(1);
        }
        let (mut stored, mut outage) = (0.0, 0.0);
        for (g, [total, down]) in by_gen.into_iter().enumerate() {
            let bytes = self.node_bytes_of(g as u16);
            stored += total as f64 * bytes;
            outage += down as f64 * bytes;
        }
        if stored <= 0.0 {
            0.0
        } else {
            ((self.lost_bytes + outage) / stored).clamp(0.0, 1.0)
        }
    }

    /// Builds each direction's route parts for the current classes and degraded share.
    pub(super) fn build_routes(&mut self) {
        let f = self.degraded_fraction();
        let cost = |p: &Pool, d: Direction| match d {
            Direction::Read => (1.0 - f) * p.read_cost + f * p.degraded_read_cost,
            Direction::Write => p.write_cost,
            Direction::Rebuild => p.rebuild_cost,
        };
        let disaggregated = self.input.disaggregated;
        let topo = &self.topo;
        // Striped bytes land on a device in proportion to the data it holds: with one
        // generation that is one share per serving device; with several, each
        // generation's share of the data ([`Sim::spread_data`]). CNodes apart from the data
        // share evenly, and so does the write buffer: every DBox has the same SCM, which
        // takes writes whatever its QLC holds.
        let holds_data = |d: &DevClass| d.side == Side::Storage || !disaggregated;
        let weight_of = |d: &DevClass, m: u64| {
            let n = d.per_rack as f64 * m as f64;
            if holds_data(d) {
                n * topo.data_weight(d.gen)
            } else {
                n
            }
        };
        let plain_storage = self.serving(SideKey::Storage) as f64;
        // Serving CNodes (converged: nodes) and data holders, weighted as above. (A side
        // with none up has no device whose weight divides by its sum.)
        let mut sums = [0.0f64; 2];
        for rc in &topo.rack_classes {
            let m = rc.multiplicity() as u64;
            for d in rc.devices.iter().filter(|d| d.state != DevState::Down) {
                let w = weight_of(d, m);
                if d.side == Side::Compute {
                    sums[0] += w;
                }
                if holds_data(d) {
                    sums[1] += w;
                }
            }
        }
        let (n_c, n_s) = (
            sums[0].max(f64::MIN_POSITIVE),
            sums[1].max(f64::MIN_POSITIVE),
        );
        let pools = self.topo.pools.clone();
        let mut spread: [Route; 3] = Default::default();
        let mut global: [Route; 3] = Default::default();
        let mut servers = Vec::new();
        let d = &self.topo.devices;
        let (w_hot, w_cold) = self
            .input
            .topology
            .skew
            .map_or((1.0, 1.0), |k| k.weights(d.hot, d.compute));
        for (a, rc) in self.topo.rack_classes.iter().enumerate() {
            let m = rc.multiplicity() as u64;
            let up_compute: f64 = rc
                .devices
                .iter()
                .filter(|d| d.side == Side::Compute && d.state != DevState::Down)
                .map(|d| weight_of(d, m))
                .sum();
            for p in &pools {
                let side = Side::of(p.class);
                if side == Some(Side::Compute) && is_uplink(p.class) {
                    let r = self.topo.res[&format!("{:?}|{}", p.class, rc.key)];
                    for d in DIRS {
                        let c = cost(p, d);
                        let rest = c - serving_part(p.class, d, c);
                        spread[dir_index(d)].push((r, rest * up_compute / n_c));
                    }
                    continue;
                }
                let Some(side) = side else { continue };
                for dc in &rc.devices {
                    let holds = dc.side == side || !self.input.disaggregated;
                    if !holds || dc.state == DevState::Down {
                        continue;
                    }
                    let even = is_buffer(p.class);
                    let n = if even {
                        dc.per_rack as f64 * m as f64
                    } else {
                        weight_of(dc, m)
                    };
                    let n_s = if even { plain_storage } else { n_s };
                    let r = self.topo.res[&format!("{:?}|{}|{}", p.class, rc.key, dc.key)];
                    for d in DIRS {
                        let c = cost(p, d);
                        let w = match side {
                            Side::Compute => (c - serving_part(p.class, d, c)) * n / n_c,
                            Side::Storage => c * n / n_s,
                        };
                        spread[dir_index(d)].push((r, w));
                    }
                }
            }
            // Serving classes: the CNodes (converged: nodes) that are up.
            for dc in rc
                .devices
                .iter()
                .filter(|d| d.side == Side::Compute && d.state != DevState::Down)
            {
                let mut serve: [Route; 3] = Default::default();
                for p in pools
                    .iter()
                    .filter(|p| Side::of(p.class) == Some(Side::Compute))
                {
                    let r = if is_uplink(p.class) {
                        self.topo.res[&format!("{:?}|{}", p.class, rc.key)]
                    } else {
                        self.topo.res[&format!("{:?}|{}|{}", p.class, rc.key, dc.key)]
                    };
                    for d in DIRS {
                        let c = cost(p, d);
                        serve[dir_index(d)].push((r, serving_part(p.class, d, c)));
                    }
                }
                servers.push(Server {
                    count: dc.per_rack as u64 * m,
                    weight: if dc.hot { w_hot } else { w_cold },
                    serve,
                });
            }
            let _ = a;
        }
        for p in &pools {
            if Side::of(p.class).is_none() && !is_client(p.class) {
                let r = self.topo.res[&format!("{:?}", p.class)];
                for d in DIRS {
                    global[dir_index(d)].push((r, cost(p, d)));
                }
            }
        }
        let mut clients: Vec<Vec<ClientPart>> = (0..self.jobs.len()).map(|_| Vec::new()).collect();
        for cc in &self.topo.client_classes {
            for &(j, v) in &cc.jobs {
                let mut route: [Route; 3] = Default::default();
                for p in pools.iter().filter(|p| is_client(p.class)) {
                    let key = if is_uplink(p.class) {
                        format!("{:?}|{}", p.class, cc.key)
                    } else {
                        format!("{:?}|{}|job{j}", p.class, cc.key)
                    };
                    let r = self.topo.res[&key];
                    for d in DIRS {
                        route[dir_index(d)].push((r, cost(p, d)));
                    }
                }
                clients[j].push(ClientPart {
                    vms: v as u64 * cc.racks as u64,
                    route,
                });
            }
        }
        // Old segments are retired: the flows on them are cancelled and restarted on the
        // new ones by the caller ([`Sim::reroute_all`]), which frees them.
        for (seg, route) in self.topo.segments.iter_mut().zip(spread.iter_mut()) {
            if let Some(old) = seg.take() {
                self.net.retire_segment(old);
            }
            if route.len() >= SEGMENT_FROM {
                let (ids, ws) = merged(std::mem::take(route));
                if !ids.is_empty() {
                    *seg = Some(self.net.add_segment(&ids, &ws));
                }
            }
        }
        self.topo.spread = spread;
        self.topo.global = global;
        self.topo.servers = servers;
        self.topo.clients = clients;
    }

    /// Share of stripes with more strips out of reach than the code's parity: the data no
    /// read can reach until a device or rack returns, under the cluster's stripe layout
    /// (`layout.rs`: the durability model's placement).
    pub(super) fn unavailable_fraction(&mut self) -> f64 {
        let t = &mut self.topo;
        t.stripes.unavailable(&t.devices)
    }

    /// A tranche arrives: storage devices (and, when disaggregated, CNodes in the
    /// cluster's ratio) join at the end of the last rack, GPUs join the jobs.
    pub(super) fn tranche(&mut self, s: &mut Scheduler<Ev>, i: usize) {
        let now = s.now();
        let t = &self.input.tranches[i];
        let of_shape = match &t.generation {
            Some(g) => format!(" ({} x {})", t.add_nodes, g.shape),
            None => String::new(),
        };
        self.stats.tranches.push(format!(
            "day {:.1}: {}{of_shape}",
            now.as_secs_f64() / 86_400.0,
            t.label
        ));
        let gen = t.generation.as_ref().map(|g| {
            self.topo.generations.push(g.clone());
            u16::try_from(self.topo.generations.len()).expect("fewer tranches")
        });
        // A tranche of storage keeps the cluster's CNode-to-DBox ratio.
        let cnodes = super::resolve::added_cnodes(t.add_nodes, self.input.counts());
        self.topo.devices.join(t.add_nodes, cnodes, gen);
        if !self.topo.generations.is_empty() {
            // Shares follow the devices of each generation, whatever their state: they
            // change only here.
            self.spread_data();
        }
        let n = self.jobs.len();
        for j in 0..n {
            self.jobs[j].gpus += share(t.add_gpus, n, j);
        }
        self.gpus += t.add_gpus;
        self.repool(now);
        self.reroute_all(now);
        self.schedule_failures(s);
        for j in 0..n {
            self.schedule_interrupt(s, j);
        }
    }
}
