//! The design space: `design_space.toml` (axes, the node's fixed facts, part prices) and
//! `drives.csv`, read strictly: every number positive and sourced, every axis non-empty,
//! every problem one error naming file, line and field.

use crate::catalog::csvfile::CsvFile;
use crate::catalog::{Catalog, NO_DPU};
use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use crate::scenario::line_of_key;
use std::collections::BTreeMap;
use std::path::Path;

/// One drive model a node may carry.
#[derive(Clone, Debug)]
pub struct Drive {
    pub id: String,
    pub model: String,
    pub form_factor: String,
    pub capacity_tb: Param,
    pub read_mbps: Param,
    pub write_mbps: Param,
    pub watts: Param,
    pub usd_per_tb: Param,
}

/// Bays of the smallest chassis of one drive form factor.
#[derive(Clone, Debug)]
pub struct FormFactor {
    pub rack_units: Param,
    pub bays: Param,
}

/// What a DPU adds to a node's bill, power and PCIe budget.
#[derive(Clone, Debug)]
pub struct DpuPart {
    /// As dpus.csv names it (vendor and id).
    pub name: String,
    pub usd: Param,
    pub watts: Param,
    pub pcie_lanes: Param,
}

/// The axes searched, each non-empty.
#[derive(Clone, Debug)]
pub struct Axes {
    pub drive_counts: Vec<u32>,
    pub drives: Vec<String>,
    pub egress_gbps: Vec<f64>,
    pub cores: Vec<u32>,
    /// DPU ids from dpus.csv, or [`NO_DPU`].
    pub dpus: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Space {
    /// The file the space came from, for error messages and reports.
    pub file: String,
    pub axes: Axes,
    pub protocol_reference: String,
    /// Numbers of `[node]` and `[parts]`, by name.
    pub facts: BTreeMap<String, Param>,
    pub form_factors: BTreeMap<String, FormFactor>,
    pub dpu_parts: BTreeMap<String, DpuPart>,
    pub drives: BTreeMap<String, Drive>,
}

const NODE_FACTS: &[&str] = &[
    "min_nodes",
    "smt_threads_per_core",
    "host_pcie_lanes",
    "pcie_lanes_per_drive",
    "watts_avg_share_of_peak",
];
const PART_FACTS: &[&str] = &[
    "chassis_usd_per_u",
    "chassis_watts_per_u",
    "cpu_usd_per_core",
    "cpu_watts_per_core",
    "nic_port_gbps",
    "nic_pcie_lanes",
    "nic_usd",
    "nic_watts",
    "sdn_cores_per_100gbps",
    "write_buffer_devices",
    "write_buffer_pcie_lanes",
    "write_buffer_device_usd",
    "write_buffer_device_watts",
    "boot_pcie_lanes",
];

impl Space {
    pub fn fact(&self, name: &str) -> f64 {
        self.facts[name].value
    }

    /// Reads `space` and the drive table `drives`, checking every id against `cat`.
    pub fn load(space: &Path, drives: &Path, cat: &Catalog) -> Result<Space, InputError> {
        let file = space.display().to_string();
        let text = std::fs::read_to_string(space)
            .map_err(|e| InputError::new(&file, format!("cannot read: {e}")))?;
        let drives = load_drives(drives)?;
        parse(&file, &text, drives, cat)
    }
}

/// Parses the text of a design space.
pub fn parse(
    file: &str,
    text: &str,
    drives: BTreeMap<String, Drive>,
    cat: &Catalog,
) -> Result<Space, InputError> {
    let at = |dotted: &str, m: String| {
        let mut e = InputError::new(file, m).field(dotted);
        if let Some(l) = line_of_key(text, dotted) {
            e = e.at_line(l);
        }
        e
    };
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let mut err = InputError::new(file, e.message().to_string());
        if let Some(l) = line {
            err = err.at_line(l);
        }
        err
    })?;
    for k in doc.keys() {
        if !["axes", "node", "parts", "form_factors", "dpu_parts"].contains(&k.as_str()) {
            return Err(at(k, format!("unknown section `{k}`")));
        }
    }
    let section = |name: &str| -> Result<&toml::Table, InputError> {
        doc.get(name)
            .and_then(|v| v.as_table())
            .ok_or_else(|| InputError::new(file, format!("missing section [{name}]")).field(name))
    };
    let known = |t: &toml::Table, sec: &str, allowed: &[&str]| -> Result<(), InputError> {
        for k in t.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(at(
                    &format!("{sec}.{k}"),
                    format!("unknown key; expected one of {}", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    };

    // Axes: non-empty lists of positive numbers or known ids.
    let a = section("axes")?;
    known(
        a,
        "axes",
        &["drive_counts", "drives", "egress_gbps", "cores", "dpus"],
    )?;
    let list = |key: &str| -> Result<&Vec<toml::Value>, InputError> {
        let dotted = format!("axes.{key}");
        let v = a
            .get(key)
            .and_then(|v| v.as_array())
            .ok_or_else(|| at(&dotted, "missing: a list".into()))?;
        if v.is_empty() {
            return Err(at(&dotted, "empty axis: nothing to search".into()));
        }
        Ok(v)
    };
    let numbers = |key: &str, whole: bool| -> Result<Vec<f64>, InputError> {
        let dotted = format!("axes.{key}");
        list(key)?
            .iter()
            .map(|v| {
                let x = v
                    .as_integer()
                    .map(|i| i as f64)
                    .or_else(|| v.as_float())
                    .ok_or_else(|| at(&dotted, format!("{v} is not a number")))?;
                if !(x.is_finite() && x > 0.0) || (whole && x.fract() != 0.0) || x > 1e6 {
                    return Err(at(
                        &dotted,
                        format!(
                            "{x} must be a positive {}",
                            if whole { "whole number" } else { "number" }
                        ),
                    ));
                }
                Ok(x)
            })
            .collect()
    };
    let ids = |key: &str| -> Result<Vec<String>, InputError> {
        let dotted = format!("axes.{key}");
        list(key)?
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| at(&dotted, format!("{v} is not an id")))
            })
            .collect()
    };
    let axes = Axes {
        drive_counts: numbers("drive_counts", true)?
            .into_iter()
            .map(|x| x as u32)
            .collect(),
        drives: ids("drives")?,
        egress_gbps: numbers("egress_gbps", false)?,
        cores: numbers("cores", true)?
            .into_iter()
            .map(|x| x as u32)
            .collect(),
        dpus: ids("dpus")?,
    };
    for d in &axes.drives {
        if !drives.contains_key(d) {
            let have: Vec<&str> = drives.keys().map(String::as_str).collect();
            return Err(at(
                "axes.drives",
                format!(
                    "no drive {d:?} in drives.csv; {}",
                    crate::catalog::suggest(d, &have)
                ),
            ));
        }
    }

    // A sourced number: { value, source, confidence } or, in tables of several numbers,
    // the named key beside the row's source and confidence.
    let sourced = |t: &toml::Table, dotted: &str, key: &str| -> Result<Param, InputError> {
        let v = t
            .get(key)
            .ok_or_else(|| at(dotted, format!("missing `{key}`")))?;
        let x = v
            .as_integer()
            .map(|i| i as f64)
            .or_else(|| v.as_float())
            .ok_or_else(|| at(dotted, format!("`{key}` = {v} is not a number")))?;
        if !(x.is_finite() && x > 0.0) {
            return Err(at(dotted, format!("`{key}` = {x} must be positive")));
        }
        let source = t.get("source").and_then(|s| s.as_str()).unwrap_or("");
        if source.trim().len() < 8 {
            return Err(at(
                dotted,
                "no `source`: every number needs one a reader can follow".into(),
            ));
        }
        let conf: Confidence = t
            .get("confidence")
            .and_then(|s| s.as_str())
            .ok_or_else(|| at(dotted, "no `confidence`".into()))?
            .parse()
            .map_err(|m: String| at(dotted, m))?;
        Ok(Param::new(x, source, conf))
    };
    let entry = |sec: &toml::Table, secname: &str, key: &str, fields: &[&str]| {
        let dotted = format!("{secname}.{key}");
        let t = sec
            .get(key)
            .and_then(|v| v.as_table())
            .ok_or_else(|| at(&dotted, "missing: { value, source, confidence }".into()))?;
        for k in t.keys() {
            if !fields.contains(&k.as_str()) && k != "source" && k != "confidence" {
                return Err(at(&dotted, format!("unknown key `{k}`")));
            }
        }
        fields
            .iter()
            .map(|f| sourced(t, &dotted, f))
            .collect::<Result<Vec<Param>, InputError>>()
    };

    let mut facts = BTreeMap::new();
    let node = section("node")?;
    let mut node_keys = NODE_FACTS.to_vec();
    node_keys.push("protocol_reference");
    known(node, "node", &node_keys)?;
    for k in NODE_FACTS {
        facts.insert(k.to_string(), entry(node, "node", k, &["value"])?.remove(0));
    }
    let share = facts["watts_avg_share_of_peak"].value;
    if share > 1.0 {
        return Err(at(
            "node.watts_avg_share_of_peak",
            format!("{share} is more than one"),
        ));
    }
    let protocol_reference = node
        .get("protocol_reference")
        .and_then(|v| v.as_str())
        .ok_or_else(|| at("node.protocol_reference", "missing: a CNode id".into()))?
        .to_string();
    if !cat
        .server_parts
        .cnode_budgets
        .contains_key(&protocol_reference)
    {
        return Err(at(
            "node.protocol_reference",
            format!("no cnode {protocol_reference:?} in vast_hardware.csv"),
        ));
    }
    let parts = section("parts")?;
    known(parts, "parts", PART_FACTS)?;
    for k in PART_FACTS {
        facts.insert(
            k.to_string(),
            entry(parts, "parts", k, &["value"])?.remove(0),
        );
    }

    let mut form_factors = BTreeMap::new();
    let ff = section("form_factors")?;
    for k in ff.keys() {
        let mut v = entry(ff, "form_factors", k, &["rack_units", "bays"])?;
        form_factors.insert(
            k.clone(),
            FormFactor {
                bays: v.remove(1),
                rack_units: v.remove(0),
            },
        );
    }
    for d in &axes.drives {
        let f = &drives[d].form_factor;
        if !form_factors.contains_key(f) {
            return Err(at(
                "axes.drives",
                format!("drive {d} is {f}, which [form_factors] does not list"),
            ));
        }
    }
    let mut dpu_parts = BTreeMap::new();
    let dp = section("dpu_parts")?;
    for k in dp.keys() {
        let mut v = entry(dp, "dpu_parts", k, &["usd", "watts", "pcie_lanes"])?;
        dpu_parts.insert(
            k.clone(),
            DpuPart {
                name: cat
                    .server_parts
                    .dpus
                    .get(k)
                    .map_or_else(|| k.clone(), |d| d.name.clone()),
                pcie_lanes: v.remove(2),
                watts: v.remove(1),
                usd: v.remove(0),
            },
        );
    }
    for d in axes.dpus.iter().filter(|d| *d != NO_DPU) {
        if !cat.server_parts.dpus.contains_key(d) {
            let have: Vec<&str> = cat.server_parts.dpus.keys().map(String::as_str).collect();
            return Err(at(
                "axes.dpus",
                format!(
                    "no DPU {d:?} in dpus.csv (or {NO_DPU:?}); {}",
                    crate::catalog::suggest(d, &have)
                ),
            ));
        }
        if !dpu_parts.contains_key(d) {
            return Err(at(
                "axes.dpus",
                format!("DPU {d} has no [dpu_parts] entry (price, watts, lanes)"),
            ));
        }
    }
    Ok(Space {
        file: file.to_string(),
        axes,
        protocol_reference,
        facts,
        form_factors,
        dpu_parts,
        drives,
    })
}

const DRIVE_COLS: &[&str] = &[
    "id",
    "model",
    "form_factor",
    "capacity_tb",
    "read_mbps",
    "write_mbps",
    "watts",
    "usd_per_tb",
    "source",
    "confidence",
];

/// `drives.csv`: one row per drive model, every number positive.
pub fn load_drives(path: &Path) -> Result<BTreeMap<String, Drive>, InputError> {
    let f = CsvFile::read(path, DRIVE_COLS, &["estimated_fields", "notes"])?;
    let mut out = BTreeMap::new();
    for r in &f.rows {
        let pos = |k: &str| -> Result<Param, InputError> {
            let p = r.param(k)?;
            if p.value <= 0.0 {
                return Err(r.err(k, "must be positive"));
            }
            Ok(p)
        };
        let id = r.text("id")?;
        let d = Drive {
            model: r.text("model")?,
            form_factor: r.text("form_factor")?,
            capacity_tb: pos("capacity_tb")?,
            read_mbps: pos("read_mbps")?,
            write_mbps: pos("write_mbps")?,
            watts: pos("watts")?,
            usd_per_tb: pos("usd_per_tb")?,
            id: id.clone(),
        };
        if out.insert(id.clone(), d).is_some() {
            return Err(r.err("id", format!("duplicate drive id {id}")));
        }
    }
    Ok(out)
}
