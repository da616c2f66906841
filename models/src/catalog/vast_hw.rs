//! `vast_hardware.csv` (CNodes, DBoxes, EBoxes, switches) and `vast_shapes.csv` (which
//! of them make one deployment).
//!
//! A DBox shape is disaggregated, as VAST's DASE architecture ships it: the shape holds
//! the DBox's numbers per storage node and the CNode's per CNode (chassis), and sizing
//! decides the two counts apart — capacity buys DBoxes, performance buys CNodes. An EBox
//! shape is converged: one box is both. Both carry the leaf switch they attach to; how
//! many switches a cluster needs follows from the ports its devices bring.

use super::csvfile::{CsvFile, Row};
use super::field as f;
use super::prices::PriceBook;
use super::{DeploymentKind, Packaging, Shape};
use crate::error::InputError;
use crate::provenance::Param;
use crate::units::TB;
use std::collections::BTreeMap;
use std::path::Path;

const HW_COLS: &[&str] = &[
    "id",
    "component",
    "generation",
    "rack_units",
    "watts_avg",
    "watts_peak",
    "drives",
    "drive_tb",
    "nic_ports",
    "port_gbps",
    "read_gbps",
    "write_gbps",
    "source",
    "confidence",
];

/// What a hardware row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentKind {
    Cnode,
    Dbox,
    Ebox,
    Switch,
}

impl ComponentKind {
    fn parse(s: &str) -> Option<ComponentKind> {
        Some(match s {
            "cnode" => ComponentKind::Cnode,
            "dbox" => ComponentKind::Dbox,
            "ebox" => ComponentKind::Ebox,
            "switch" => ComponentKind::Switch,
            _ => return None,
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Cnode => "cnode",
            ComponentKind::Dbox => "dbox",
            ComponentKind::Ebox => "ebox",
            ComponentKind::Switch => "switch",
        }
    }
}

pub struct Component {
    pub kind: ComponentKind,
    pub generation: String,
    params: BTreeMap<String, Param>,
    origin: String,
}

impl Component {
    /// A column this kind of component must have (checked at load).
    fn p(&self, k: &str) -> Result<&Param, InputError> {
        self.params.get(k).ok_or_else(|| {
            InputError::new(
                &self.origin,
                format!("a {} needs it to be part of a shape", self.kind.as_str()),
            )
            .field(k)
        })
    }

    /// Port bandwidth, bytes/s: ports × Gb/s per port.
    fn ports_bps(&self) -> Result<Param, InputError> {
        let (n, g) = (self.p("nic_ports")?, self.p("port_gbps")?);
        Ok(Param::derive(n.value * g.value * 1e9 / 8.0, &[n, g]))
    }
}

/// Columns each component kind must fill (empty means "not known", never zero).
fn required(kind: ComponentKind) -> &'static [&'static str] {
    match kind {
        ComponentKind::Cnode => &["read_gbps", "write_gbps", "cnodes_per_chassis"],
        ComponentKind::Dbox => &["drives", "drive_tb"],
        ComponentKind::Ebox => &["drives", "drive_tb", "read_gbps", "write_gbps"],
        ComponentKind::Switch => &[],
    }
}

pub fn load_components(
    path: &Path,
    prices: &mut PriceBook,
) -> Result<BTreeMap<String, Component>, InputError> {
    let file = CsvFile::read(
        path,
        HW_COLS,
        &[
            "cnodes_per_chassis",
            "usable_tb",
            "estimated_fields",
            "notes",
        ],
    )?;
    let mut out = BTreeMap::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let text = r.text("component")?;
        let kind = ComponentKind::parse(&text).ok_or_else(|| {
            r.err(
                "component",
                format!("{text:?} is not cnode, dbox, ebox or switch"),
            )
        })?;
        let mut params = BTreeMap::new();
        for k in [
            "rack_units",
            "watts_avg",
            "watts_peak",
            "nic_ports",
            "port_gbps",
        ] {
            params.insert(k.to_string(), positive(r, k)?);
        }
        for k in [
            "drives",
            "drive_tb",
            "usable_tb",
            "read_gbps",
            "write_gbps",
            "cnodes_per_chassis",
        ] {
            if let Some(p) = r.opt_param(k)? {
                params.insert(k.to_string(), p);
            }
        }
        for k in required(kind) {
            match params.get(*k) {
                None => return Err(r.err(k, format!("a {} needs it", kind.as_str()))),
                Some(p) if p.value <= 0.0 => return Err(r.err(k, "must be positive")),
                Some(_) => {}
            }
        }
        let capex = prices
            .take(&id, f::CAPEX_USD)
            .ok_or_else(|| r.err("id", format!("no capex_usd row in prices.csv for {id}")))?;
        params.insert(f::CAPEX_USD.to_string(), capex);
        let c = Component {
            kind,
            generation: r.text("generation")?,
            params,
            origin: format!("{}:{}", file.name, r.line),
        };
        if out.insert(id.clone(), c).is_some() {
            return Err(r.err("id", format!("duplicate component id {id}")));
        }
    }
    Ok(out)
}

/// The protocol budget of the CNode a VM or DPU server row names in
/// `protocol_reference`, as that shape's `reference_cnode_*` parameters. A missing or
/// wrong reference is an error at load, not a silent fallback.
pub fn protocol_reference(
    r: &Row,
    hw: &BTreeMap<String, Component>,
) -> Result<[(&'static str, Param); 2], InputError> {
    let key = r.text("protocol_reference")?;
    let c = hw.get(&key).ok_or_else(|| {
        r.err(
            "protocol_reference",
            format!("no {key:?} in vast_hardware.csv"),
        )
    })?;
    if c.kind != ComponentKind::Cnode {
        return Err(r.err(
            "protocol_reference",
            format!("{key} is a {}, expected a cnode", c.kind.as_str()),
        ));
    }
    Ok([
        (f::REFERENCE_CNODE_READ_BPS, c.p("read_gbps")?.scaled(1e9)),
        (f::REFERENCE_CNODE_WRITE_BPS, c.p("write_gbps")?.scaled(1e9)),
    ])
}

/// A CNode's measured read and write budget, as the shape fields that carry them.
pub type CnodeBudget = [(&'static str, Param); 2];

/// The measured read and write budget of every CNode, by id: what a server row naming
/// it as `protocol_reference` scales by its vCPUs.
pub fn cnode_budgets(
    hw: &BTreeMap<String, Component>,
) -> Result<BTreeMap<String, CnodeBudget>, InputError> {
    let mut out = BTreeMap::new();
    for (id, c) in hw.iter().filter(|(_, c)| c.kind == ComponentKind::Cnode) {
        out.insert(
            id.clone(),
            [
                (f::REFERENCE_CNODE_READ_BPS, c.p("read_gbps")?.scaled(1e9)),
                (f::REFERENCE_CNODE_WRITE_BPS, c.p("write_gbps")?.scaled(1e9)),
            ],
        );
    }
    Ok(out)
}

fn positive(r: &Row, k: &str) -> Result<Param, InputError> {
    let p = r.param(k)?;
    if p.value <= 0.0 {
        return Err(r.err(k, "must be positive"));
    }
    Ok(p)
}

const SHAPE_COLS: &[&str] = &[
    "id",
    "cnode",
    "storage",
    "switch",
    "min_nodes",
    "min_cnodes",
    "source",
    "confidence",
];

pub fn load_shapes(
    path: &Path,
    hw: &BTreeMap<String, Component>,
) -> Result<Vec<Shape>, InputError> {
    let file = CsvFile::read(path, SHAPE_COLS, &["estimated_fields", "notes"])?;
    let mut out = Vec::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let get = |col: &str, kinds: &[ComponentKind]| -> Result<&Component, InputError> {
            let key = r.text(col)?;
            let c = hw
                .get(&key)
                .ok_or_else(|| r.err(col, format!("no {key:?} in vast_hardware.csv")))?;
            if !kinds.contains(&c.kind) {
                let want: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                return Err(r.err(
                    col,
                    format!(
                        "{key} is a {}, expected {}",
                        c.kind.as_str(),
                        want.join(" or ")
                    ),
                ));
            }
            Ok(c)
        };
        let storage = get("storage", &[ComponentKind::Dbox, ComponentKind::Ebox])?;
        let switch = get("switch", &[ComponentKind::Switch])?;
        let cnode = match r.opt_text("cnode") {
            Some(_) => Some(get("cnode", &[ComponentKind::Cnode])?),
            None => None,
        };
        let packaging = match (storage.kind, cnode) {
            (ComponentKind::Dbox, Some(_)) => Packaging::Disaggregated,
            (ComponentKind::Dbox, None) => return Err(r.err("cnode", "a DBox shape needs CNodes")),
            (_, Some(_)) => {
                return Err(r.err(
                    "cnode",
                    "an EBox runs its own CNode: leave cnode empty (mixed EBox + CNode clusters are not modelled)",
                ))
            }
            (_, None) => Packaging::Converged,
        };
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: Param| {
            p.insert(k.to_string(), v);
        };
        // The storage box, per storage node.
        put(f::DRIVES_PER_NODE, storage.p("drives")?.clone());
        put(f::DRIVE_BYTES, storage.p("drive_tb")?.scaled(TB));
        // VAST's field tool states usable TB per DBox; where it does, that figure caps the
        // published formula (which leaves out reserves VAST does not publish).
        if let Some(u) = storage.params.get("usable_tb") {
            put(f::USABLE_BYTES_PER_NODE, u.scaled(TB));
        }
        put(f::RACK_UNITS, storage.p("rack_units")?.clone());
        put(f::WATTS_AVG, storage.p("watts_avg")?.clone());
        put(f::WATTS_PEAK, storage.p("watts_peak")?.clone());
        put(f::CAPEX_USD, storage.p(f::CAPEX_USD)?.clone());
        let min_nodes = r.param("min_nodes")?;
        if min_nodes.value < 1.0 || min_nodes.value.fract() != 0.0 {
            return Err(r.err("min_nodes", "must be a whole number of at least 1"));
        }
        put(f::MIN_NODES, min_nodes);
        // Client-facing ports and the protocol budget: the CNode's, or the EBox's own.
        let front = cnode.unwrap_or(storage);
        put(f::NETWORK_BPS, front.ports_bps()?);
        put(f::CLIENT_READ_BPS, front.p("read_gbps")?.scaled(1e9));
        put(f::CLIENT_WRITE_BPS, front.p("write_gbps")?.scaled(1e9));
        match cnode {
            Some(c) => {
                // The DBox's own ports face the NVMe-oF fabric; an EBox has one set.
                put(f::STORAGE_PORTS_BPS, storage.ports_bps()?);
                put(f::CNODE_CHASSIS_RACK_UNITS, c.p("rack_units")?.clone());
                put(f::CNODE_CHASSIS_WATTS_AVG, c.p("watts_avg")?.clone());
                put(f::CNODE_CHASSIS_WATTS_PEAK, c.p("watts_peak")?.clone());
                put(f::CNODE_CHASSIS_CAPEX_USD, c.p(f::CAPEX_USD)?.clone());
                let per = c.p("cnodes_per_chassis")?;
                if per.value.fract() != 0.0 {
                    return Err(InputError::new(&c.origin, "must be a whole number")
                        .field("cnodes_per_chassis"));
                }
                put(f::CNODES_PER_CHASSIS, per.clone());
                let min_c = r.param("min_cnodes")?;
                if min_c.value < 1.0 || min_c.value.fract() != 0.0 {
                    return Err(r.err("min_cnodes", "must be a whole number of at least 1"));
                }
                put(f::MIN_CNODES, min_c);
            }
            None => {
                if r.opt_text("min_cnodes").is_some() {
                    return Err(r.err(
                        "min_cnodes",
                        "a converged shape has one count: leave it empty",
                    ));
                }
            }
        }
        put(f::SWITCH_RACK_UNITS, switch.p("rack_units")?.clone());
        put(f::SWITCH_WATTS_AVG, switch.p("watts_avg")?.clone());
        put(f::SWITCH_WATTS_PEAK, switch.p("watts_peak")?.clone());
        put(f::SWITCH_CAPEX_USD, switch.p(f::CAPEX_USD)?.clone());
        let desc = match cnode {
            Some(c) => format!(
                "VAST {} DBoxes + {} CNodes (owned, disaggregated)",
                r.text("storage")?,
                c.generation
            ),
            None => format!("VAST {} EBoxes (owned)", r.text("storage")?),
        };
        out.push(Shape {
            id,
            kind: DeploymentKind::VastOwnHardware,
            packaging,
            description: desc,
            cpu: match cnode {
                Some(c) => c.generation.clone(),
                None => storage.generation.clone(),
            },
            nic_type: format!(
                "{} x {} GbE per {}",
                front.p("nic_ports")?.value,
                front.p("port_gbps")?.value,
                if cnode.is_some() { "CNode" } else { "EBox" }
            ),
            origin: format!("{}:{}", file.name, r.line),
            params: p,
            info: BTreeMap::new(),
            components: [
                Some(r.text("storage")?),
                r.opt_text("cnode"),
                Some(r.text("switch")?),
            ]
            .into_iter()
            .flatten()
            .collect(),
        });
    }
    Ok(out)
}
