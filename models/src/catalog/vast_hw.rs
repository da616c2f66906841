//! `vast_hardware.csv` (CNodes, DBoxes, EBoxes, switches) and `vast_shapes.csv`
//! (how they combine into one sizing node: a DBox or EBox plus its CNodes and its
//! share of the switch pair).

use super::csvfile::CsvFile;
use super::field as f;
use super::prices::PriceBook;
use super::{DeploymentKind, Shape};
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

pub struct Component {
    pub component: String,
    pub params: BTreeMap<String, Param>,
}

impl Component {
    fn p(&self, k: &str) -> Option<&Param> {
        self.params.get(k)
    }
}

pub fn load_components(
    path: &Path,
    prices: &mut PriceBook,
) -> Result<BTreeMap<String, Component>, InputError> {
    let file = CsvFile::read(path, HW_COLS, &["estimated_fields", "notes"])?;
    let mut out = BTreeMap::new();
    for r in &file.rows {
        let id = r.text("id")?;
        let component = r.text("component")?;
        if !["cnode", "dbox", "ebox", "switch"].contains(&component.as_str()) {
            return Err(r.err(
                "component",
                format!("{component:?} is not cnode, dbox, ebox or switch"),
            ));
        }
        let mut params = BTreeMap::new();
        for k in [
            "rack_units",
            "watts_avg",
            "watts_peak",
            "nic_ports",
            "port_gbps",
        ] {
            params.insert(k.to_string(), r.param(k)?);
        }
        for k in ["drives", "drive_tb", "read_gbps", "write_gbps"] {
            if let Some(p) = r.opt_param(k)? {
                params.insert(k.to_string(), p);
            }
        }
        if matches!(component.as_str(), "dbox" | "ebox") {
            for k in ["drives", "drive_tb"] {
                if !params.contains_key(k) {
                    return Err(r.err(k, format!("a {component} needs it")));
                }
            }
        }
        let capex = prices
            .take(&id, f::CAPEX_USD)
            .ok_or_else(|| r.err("id", format!("no capex_usd row in prices.csv for {id}")))?;
        params.insert(f::CAPEX_USD.to_string(), capex);
        out.insert(id, Component { component, params });
    }
    Ok(out)
}

const SHAPE_COLS: &[&str] = &[
    "id",
    "cnode",
    "storage",
    "cnodes_per_storage",
    "switch",
    "storage_per_switch_pair",
    "min_nodes",
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
        let get = |col: &str, kinds: &[&str]| -> Result<&Component, InputError> {
            let key = r.text(col)?;
            let c = hw
                .get(&key)
                .ok_or_else(|| r.err(col, format!("no {key:?} in vast_hardware.csv")))?;
            if !kinds.contains(&c.component.as_str()) {
                return Err(r.err(
                    col,
                    format!(
                        "{key} is a {}, expected {}",
                        c.component,
                        kinds.join(" or ")
                    ),
                ));
            }
            Ok(c)
        };
        let storage = get("storage", &["dbox", "ebox"])?;
        let switch = get("switch", &["switch"])?;
        let cnode = match r.opt_text("cnode") {
            Some(_) => Some(get("cnode", &["cnode"])?),
            None => None,
        };
        let ratio = r.param("cnodes_per_storage")?;
        let per_pair = r.param("storage_per_switch_pair")?;
        if per_pair.value <= 0.0 {
            return Err(r.err("storage_per_switch_pair", "must be positive"));
        }
        if cnode.is_none() && storage.component != "ebox" {
            return Err(r.err("cnode", "a DBox shape needs CNodes"));
        }
        // Per sizing node: one DBox/EBox + `ratio` CNodes + 2/`per_pair` switches.
        let sum = |k: &str| -> Param {
            let s = storage.p(k).unwrap();
            let sw = switch.p(k).unwrap();
            let mut inputs = vec![s, sw, &per_pair];
            let mut v = s.value + 2.0 * sw.value / per_pair.value;
            if let Some(c) = cnode {
                let cp = c.p(k).unwrap();
                v += ratio.value * cp.value;
                inputs.push(cp);
                inputs.push(&ratio);
            }
            Param::derive(v, &inputs)
        };
        // Client-facing ports and throughput belong to the CNodes (or the EBox's own).
        let front = cnode.unwrap_or(storage);
        let n_front = if cnode.is_some() {
            ratio.clone()
        } else {
            Param::new(1.0, "one EBox", ratio.confidence)
        };
        let per_front = |k: &str| -> Result<Param, InputError> {
            let p = front
                .p(k)
                .ok_or_else(|| r.err("cnode", format!("component lacks {k}")))?;
            Ok(Param::derive(n_front.value * p.value * 1e9, &[p, &n_front]))
        };
        let nic = Param::derive(
            n_front.value
                * front.p("nic_ports").unwrap().value
                * front.p("port_gbps").unwrap().value
                * 1e9
                / 8.0,
            &[
                front.p("nic_ports").unwrap(),
                front.p("port_gbps").unwrap(),
                &n_front,
            ],
        );
        let mut p = BTreeMap::new();
        p.insert(
            f::DRIVES_PER_NODE.to_string(),
            storage.p("drives").unwrap().clone(),
        );
        p.insert(
            f::DRIVE_BYTES.to_string(),
            storage.p("drive_tb").unwrap().scaled(TB),
        );
        p.insert(f::RACK_UNITS.to_string(), sum("rack_units"));
        p.insert(f::WATTS_AVG.to_string(), sum("watts_avg"));
        p.insert(f::WATTS_PEAK.to_string(), sum("watts_peak"));
        p.insert(f::CAPEX_USD.to_string(), sum(f::CAPEX_USD));
        p.insert(f::NETWORK_BPS.to_string(), nic);
        // The box's own ports: the NVMe-oF fabric side of a DBox, all traffic of an EBox.
        let box_ports = Param::derive(
            storage.p("nic_ports").unwrap().value * storage.p("port_gbps").unwrap().value * 1e9
                / 8.0,
            &[
                storage.p("nic_ports").unwrap(),
                storage.p("port_gbps").unwrap(),
            ],
        );
        p.insert(f::STORAGE_PORTS_BPS.to_string(), box_ports);
        p.insert(f::CLIENT_READ_BPS.to_string(), per_front("read_gbps")?);
        p.insert(f::CLIENT_WRITE_BPS.to_string(), per_front("write_gbps")?);
        p.insert(f::MIN_NODES.to_string(), r.param("min_nodes")?);
        p.insert("cnodes_per_storage".to_string(), ratio.clone());
        let desc = match cnode {
            Some(_) => format!(
                "VAST {} + {}x {} (owned)",
                r.text("storage")?,
                ratio.value,
                r.text("cnode")?
            ),
            None => format!("VAST {} (owned)", r.text("storage")?),
        };
        out.push(Shape {
            id,
            kind: DeploymentKind::VastOwnHardware,
            description: desc,
            cpu: r
                .opt_text("cnode")
                .unwrap_or_else(|| r.text("storage").unwrap_or_default()),
            nic_type: format!(
                "{} x {} GbE per CNode",
                front.p("nic_ports").unwrap().value,
                front.p("port_gbps").unwrap().value
            ),
            origin: format!("{}:{}", file.name, r.line),
            params: p,
        });
    }
    Ok(out)
}
