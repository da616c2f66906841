//! The hardware catalog: CSV files under `datasets/` turned into sizing `Shape`s.
//!
//! One loader per CSV kind. Every number keeps its source and confidence (`Param`),
//! so a report can name the least-confident input it rests on, and any number can be
//! overridden by name (`Catalog::apply_override`).

mod azure_vms;
mod blob;
pub mod csvfile;
mod dpus;
mod gpu_vms;
mod prices;
pub mod rules;
mod vast_hw;
mod workloads;

pub use dpus::{server_shape, Dpu, ServerParts, ServerRow, NO_DPU};
pub use gpu_vms::GpuVm;
pub use workloads::{LlmModel, TrainingWorkload};

use crate::error::InputError;
use crate::provenance::{Confidence, Param};
use rules::Rule;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// How a shape becomes a storage service; later I/O-path and network models
/// dispatch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeploymentKind {
    /// VAST's own appliances: CNodes + DBoxes (or EBoxes), owned.
    VastOwnHardware,
    /// One VAST EBox (CNode + DNode containers) per rented Azure VM with local NVMe.
    VastEboxCloudVm,
    /// VAST bare metal on Azure Storage servers fronted by a DPU (hypothetical).
    VastBareMetalDpu,
    /// The incumbent: Azure Blob Storage, billed per GB-month.
    AzureBlob,
}

impl DeploymentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentKind::VastOwnHardware => "vast-own-hw",
            DeploymentKind::VastEboxCloudVm => "vast-ebox-vm",
            DeploymentKind::VastBareMetalDpu => "vast-baremetal-dpu",
            DeploymentKind::AzureBlob => "azure-blob",
        }
    }
    pub fn is_vast(self) -> bool {
        self != DeploymentKind::AzureBlob
    }
    fn required(self, packaging: Packaging) -> &'static [&'static str] {
        use field::*;
        match (self, packaging) {
            (DeploymentKind::VastEboxCloudVm, _) => &[
                DRIVES_PER_NODE,
                DRIVE_BYTES,
                NETWORK_BPS,
                HOST_FRACTION,
                PRICE_USD_PER_HOUR,
                NVME_READ_BPS,
                NVME_WRITE_BPS,
                VCPUS,
            ],
            (DeploymentKind::VastOwnHardware, Packaging::Converged) => &[
                DRIVES_PER_NODE,
                DRIVE_BYTES,
                NETWORK_BPS,
                RACK_UNITS,
                WATTS_AVG,
                WATTS_PEAK,
                MIN_NODES,
                CAPEX_USD,
                CLIENT_READ_BPS,
                CLIENT_WRITE_BPS,
                SWITCH_RACK_UNITS,
                SWITCH_WATTS_AVG,
                SWITCH_WATTS_PEAK,
                SWITCH_CAPEX_USD,
            ],
            (DeploymentKind::VastOwnHardware, Packaging::Disaggregated) => &[
                DRIVES_PER_NODE,
                DRIVE_BYTES,
                NETWORK_BPS,
                STORAGE_PORTS_BPS,
                RACK_UNITS,
                WATTS_AVG,
                WATTS_PEAK,
                MIN_NODES,
                CAPEX_USD,
                CLIENT_READ_BPS,
                CLIENT_WRITE_BPS,
                CNODE_CHASSIS_RACK_UNITS,
                CNODE_CHASSIS_WATTS_AVG,
                CNODE_CHASSIS_WATTS_PEAK,
                CNODE_CHASSIS_CAPEX_USD,
                CNODES_PER_CHASSIS,
                MIN_CNODES,
                SWITCH_RACK_UNITS,
                SWITCH_WATTS_AVG,
                SWITCH_WATTS_PEAK,
                SWITCH_CAPEX_USD,
            ],
            (DeploymentKind::VastBareMetalDpu, _) => &[
                DRIVES_PER_NODE,
                DRIVE_BYTES,
                NETWORK_BPS,
                RACK_UNITS,
                WATTS_AVG,
                WATTS_PEAK,
                MIN_NODES,
                CAPEX_USD,
            ],
            (DeploymentKind::AzureBlob, _) => &[
                DRIVES_PER_NODE,
                DRIVE_BYTES,
                NETWORK_BPS,
                RACK_UNITS,
                WATTS_AVG,
                WATTS_PEAK,
                MIN_NODES,
                PRICE_USD_PER_GB_MONTH,
                RAW_PER_USABLE,
            ],
        }
    }
}

/// Whether one count sizes the cluster or two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Packaging {
    /// One box serves protocols and holds data: a VM, an EBox, a DPU server, a Blob
    /// storage node. `compute_nodes` equals `nodes`.
    Converged,
    /// VAST DASE: CNodes (protocols) and DBoxes (data) are separate boxes, counted apart.
    Disaggregated,
}

impl fmt::Display for DeploymentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names of shape parameters. All per node (one VM, one DBox+CNodes set, one server).
pub mod field {
    pub const DRIVES_PER_NODE: &str = "drives_per_node";
    pub const DRIVE_BYTES: &str = "drive_bytes";
    pub const MIN_NODES: &str = "min_nodes";
    pub const NVME_READ_BPS: &str = "nvme_read_bps";
    pub const NVME_WRITE_BPS: &str = "nvme_write_bps";
    pub const NETWORK_BPS: &str = "network_bps";
    /// Own hardware: ports of the DBox/EBox itself (NVMe-oF fabric side of a DBox).
    /// Per storage node; for a disaggregated shape `NETWORK_BPS`, `CLIENT_READ_BPS` and
    /// `CLIENT_WRITE_BPS` are per CNode.
    pub const STORAGE_PORTS_BPS: &str = "storage_ports_bps";
    pub const CLIENT_READ_BPS: &str = "client_read_bps";
    pub const CLIENT_WRITE_BPS: &str = "client_write_bps";
    pub const VCPUS: &str = "vcpus";
    pub const MEMORY_BYTES: &str = "memory_bytes";
    pub const DPU_CORES: &str = "dpu_cores";
    pub const RACK_UNITS: &str = "rack_units";
    /// Share of one Azure server a VM occupies (VM shapes only).
    pub const HOST_FRACTION: &str = "host_fraction";
    pub const WATTS_AVG: &str = "watts_avg";
    pub const WATTS_PEAK: &str = "watts_peak";
    pub const PRICE_USD_PER_HOUR: &str = "price_usd_per_hour";
    pub const CAPEX_USD: &str = "capex_usd";
    pub const PRICE_USD_PER_GB_MONTH: &str = "price_usd_per_gb_month";
    pub const RAW_PER_USABLE: &str = "raw_per_usable";
    /// Usable bytes one storage box gives in VAST's field sizing tool (optional): a cap on
    /// the published usable formula.
    pub const USABLE_BYTES_PER_NODE: &str = "usable_bytes_per_node";
    /// Disaggregated VAST: one CNode chassis (a 1U CNode, or a CBox of several).
    pub const CNODE_CHASSIS_RACK_UNITS: &str = "cnode_chassis_rack_units";
    pub const CNODE_CHASSIS_WATTS_AVG: &str = "cnode_chassis_watts_avg";
    pub const CNODE_CHASSIS_WATTS_PEAK: &str = "cnode_chassis_watts_peak";
    pub const CNODE_CHASSIS_CAPEX_USD: &str = "cnode_chassis_capex_usd";
    pub const CNODES_PER_CHASSIS: &str = "cnodes_per_chassis";
    /// Fewest CNodes a cluster ships with.
    pub const MIN_CNODES: &str = "min_cnodes";
    /// The leaf switch owned VAST clusters attach to (how many: from ports, see `bom`).
    pub const SWITCH_RACK_UNITS: &str = "switch_rack_units";
    pub const SWITCH_WATTS_AVG: &str = "switch_watts_avg";
    pub const SWITCH_WATTS_PEAK: &str = "switch_watts_peak";
    pub const SWITCH_CAPEX_USD: &str = "switch_capex_usd";
    /// Blob: most bytes one storage account holds, and its ingress limit, bytes/s.
    pub const ACCOUNT_MAX_BYTES: &str = "account_max_bytes";
    pub const ACCOUNT_INGRESS_BPS: &str = "account_ingress_bps";
    /// VMs and DPU servers: the measured budget of the CNode their `protocol_reference`
    /// names, which the network model scales by vCPUs to the node's protocol budget.
    pub const REFERENCE_CNODE_READ_BPS: &str = "reference_cnode_read_bps";
    pub const REFERENCE_CNODE_WRITE_BPS: &str = "reference_cnode_write_bps";
    /// Blob: sequential read of one drive, bytes/s (optional: the media ceiling behind
    /// the account limits).
    pub const DRIVE_READ_BPS: &str = "drive_read_bps";
    /// Blob: the provider's published nines of annual durability.
    pub const DURABILITY_NINES: &str = "durability_nines";
    /// DPU servers: the DPU's PCIe lanes to the host.
    pub const DPU_PCIE_BPS: &str = "dpu_pcie_bps";
}

/// A candidate deployment: its devices' numbers, per storage node (and per CNode when
/// disaggregated).
#[derive(Clone, Debug, Serialize)]
pub struct Shape {
    pub id: String,
    pub kind: DeploymentKind,
    pub packaging: Packaging,
    pub description: String,
    pub cpu: String,
    pub nic_type: String,
    /// Where the row itself came from (file and line), for error messages.
    pub origin: String,
    /// Numbers the models read; each can be overridden.
    pub params: BTreeMap<String, Param>,
    /// Numbers shown in listings that no model reads (IOPS, memory, NIC count): an
    /// override of one is refused rather than silently ignored.
    pub info: BTreeMap<String, Param>,
    /// Catalog ids of the hardware the shape is built from (own hardware), for the bill
    /// of materials.
    pub components: Vec<String>,
}

impl Shape {
    pub fn is_disaggregated(&self) -> bool {
        self.packaging == Packaging::Disaggregated
    }
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.get(name)
    }
    /// Value of a parameter the kind requires (checked at load), else NaN-free 0 is
    /// never substituted: callers use `param` for optional ones.
    pub fn value(&self, name: &str) -> f64 {
        self.params
            .get(name)
            .map(|p| p.value)
            .unwrap_or_else(|| panic!("shape {} lacks required `{name}`", self.id))
    }
    pub fn least_confident(&self) -> (String, Confidence) {
        self.params
            .iter()
            .min_by_key(|(_, p)| p.confidence)
            .map(|(k, p)| (k.clone(), p.confidence))
            .unwrap_or_else(|| (String::new(), Confidence::Published))
    }
    fn check_required(&self) -> Result<(), InputError> {
        for f in self.kind.required(self.packaging) {
            if !self.params.contains_key(*f) {
                return Err(
                    InputError::new(&self.origin, format!("shape {} needs it", self.id)).field(*f),
                );
            }
        }
        Ok(())
    }
}

/// Everything loaded from `datasets/`.
#[derive(Clone, Debug, Serialize)]
pub struct Catalog {
    pub shapes: Vec<Shape>,
    pub gpu_vms: Vec<GpuVm>,
    /// MLPerf Storage training workloads per accelerator generation.
    pub workloads: Vec<TrainingWorkload>,
    /// Language models, for checkpoint and KV-cache sizes.
    pub models: Vec<LlmModel>,
    /// Global assumptions and prices not tied to one shape (reserve, $/kWh, PUE, rack
    /// limits, data-reduction ratios, VAST stripe rules), keyed by name.
    pub assumptions: BTreeMap<String, Param>,
    /// The folder the catalog was read from, for error messages.
    #[serde(skip)]
    pub dir: std::path::PathBuf,
    /// DPUs and CNode budgets, to build bare-metal server shapes after loading
    /// (`vastplan design`).
    #[serde(skip)]
    pub server_parts: ServerParts,
}

/// The row of `items` whose id is `id`, or an error listing the ids `file` does have.
fn find<'a, T>(
    items: &'a [T],
    id: &str,
    key: impl Fn(&T) -> &String,
    file: &str,
    what: &str,
) -> Result<&'a T, InputError> {
    items.iter().find(|t| key(t) == id).ok_or_else(|| {
        let ids: Vec<&str> = items.iter().map(|t| key(t).as_str()).collect();
        InputError::new(
            file,
            format!("unknown {what} {id:?}; {}", suggest(id, &ids)),
        )
    })
}

/// Pseudo-id under which `apply_override` reaches the global assumptions.
pub const ASSUMPTIONS: &str = "assumptions";

impl Catalog {
    pub fn load(dir: &Path) -> Result<Catalog, InputError> {
        Catalog::load_with(dir, &[])
    }

    /// The catalog in `dir` plus the server rows of each file in `extra_servers`
    /// (`baremetal_dpu.csv`'s columns, e.g. a shape `vastplan design --emit-shape` wrote).
    pub fn load_with(
        dir: &Path,
        extra_servers: &[std::path::PathBuf],
    ) -> Result<Catalog, InputError> {
        let assumptions = prices::load_assumptions(&dir.join("assumptions.csv"))?;
        let mut price_book = prices::PriceBook::load(&dir.join("prices.csv"))?;
        let mut shapes = Vec::new();
        let hw = vast_hw::load_components(&dir.join("vast_hardware.csv"), &mut price_book)?;
        shapes.extend(azure_vms::load(
            &dir.join("azure_storage_vms.csv"),
            &hw,
            &mut price_book,
        )?);
        shapes.extend(vast_hw::load_shapes(&dir.join("vast_shapes.csv"), &hw)?);
        let server_parts = ServerParts {
            dpus: dpus::load_dpus(&dir.join("dpus.csv"))?,
            cnode_budgets: vast_hw::cnode_budgets(&hw)?,
        };
        shapes.extend(dpus::load_shapes(
            &dir.join("baremetal_dpu.csv"),
            &server_parts,
            &mut price_book,
        )?);
        for extra in extra_servers {
            shapes.extend(dpus::load_shapes(extra, &server_parts, &mut price_book)?);
        }
        shapes.extend(blob::load(&dir.join("azure_blob.csv"), &mut price_book)?);
        let gpu_vms = gpu_vms::load(&dir.join("azure_gpu_vms.csv"))?;
        let workloads = workloads::load_training(&dir.join("workloads_mlperf.csv"))?;
        let models = workloads::load_models(&dir.join("llm_models.csv"))?;
        price_book.check_all_used()?;
        for s in &shapes {
            s.check_required()?;
            // Every number within the range its field allows (zero where the model
            // divides, shares above one, fractional counts and unrepresentable sizes are
            // refused here, naming the row that produced them).
            for (k, p) in &s.params {
                rules::check_param(rules::rule(k), p, |m| {
                    InputError::new(
                        &s.origin,
                        format!("shape {}: {m} (from {})", s.id, p.source),
                    )
                    .field(k.as_str())
                })?;
            }
        }
        // The rows other tables are looked up by: one row per id, every number usable.
        let check = |file: &str, id: &str, fields: &[(&str, &Param, Rule)]| {
            for (f, p, r) in fields {
                rules::check_param(*r, p, |m| {
                    InputError::new(dir.join(file).display().to_string(), format!("{id}: {m}"))
                        .field(*f)
                })?;
            }
            Ok::<(), InputError>(())
        };
        let pos = rules::rule("");
        let whole = Rule {
            integer: true,
            min: 1.0,
            min_inclusive: true,
            what: "a whole number of at least 1",
            ..pos
        };
        let share = Rule {
            max: 1.0,
            what: "a share of one",
            ..pos
        };
        for (id, d) in &server_parts.dpus {
            let p = |k: &str| &d.params[k];
            check(
                "dpus.csv",
                id,
                &[
                    ("ports", p("ports"), whole),
                    ("port_gbps", p("port_gbps"), pos),
                    ("total_gbps", p("total_gbps"), pos),
                    ("host_pcie_gbps", p("host_pcie_gbps"), pos),
                    ("cores", p("cores"), whole),
                    ("dram_gb", p("dram_gb"), pos),
                ],
            )?;
        }
        for g in &gpu_vms {
            check(
                "azure_gpu_vms.csv",
                &g.id,
                &[
                    ("gpus", &g.gpus, whole),
                    ("frontend_mbps", &g.frontend_mbps, pos),
                ],
            )?;
        }
        for w in &workloads {
            check(
                "workloads_mlperf.csv",
                &w.id,
                &[
                    ("record_bytes", &w.record_bytes, pos),
                    ("batch_size", &w.batch_size, whole),
                    ("compute_s_per_step", &w.compute_s, pos),
                    ("au_floor", &w.au_floor, share),
                ],
            )?;
        }
        for m in &models {
            check(
                "llm_models.csv",
                &m.id,
                &[
                    ("parameters", &m.parameters, pos),
                    ("layers", &m.layers, whole),
                    ("kv_heads", &m.kv_heads, whole),
                    ("head_dim", &m.head_dim, whole),
                    ("kv_dtype_bytes", &m.kv_dtype_bytes, pos),
                ],
            )?;
        }
        // A row's line is that of any of its numbers' cells.
        let line = |p: &Param| p.cell.as_ref().map_or(0, |c| c.line);
        for (file, ids) in [
            (
                "azure_gpu_vms.csv",
                gpu_vms
                    .iter()
                    .map(|g| (g.id.as_str(), line(&g.gpus)))
                    .collect::<Vec<_>>(),
            ),
            (
                "workloads_mlperf.csv",
                workloads
                    .iter()
                    .map(|w| (w.id.as_str(), line(&w.record_bytes)))
                    .collect(),
            ),
            (
                "llm_models.csv",
                models
                    .iter()
                    .map(|m| (m.id.as_str(), line(&m.parameters)))
                    .collect(),
            ),
        ] {
            let mut seen = std::collections::HashSet::new();
            if let Some((d, at)) = ids.into_iter().find(|(i, _)| !seen.insert(*i)) {
                return Err(InputError::new(
                    dir.join(file).display().to_string(),
                    format!("duplicate id {d}: the first row would silently win"),
                )
                .at_line(at)
                .field("id"));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for s in &shapes {
            if !seen.insert(s.id.clone()) {
                return Err(
                    InputError::new(&s.origin, format!("duplicate shape id {}", s.id)).field("id"),
                );
            }
        }
        Ok(Catalog {
            shapes,
            gpu_vms,
            workloads,
            models,
            assumptions,
            dir: dir.to_path_buf(),
            server_parts,
        })
    }

    pub fn shape(&self, id: &str) -> Result<&Shape, InputError> {
        self.shapes
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| self.unknown_shape(id))
    }

    fn unknown_shape(&self, id: &str) -> InputError {
        let ids: Vec<&str> = self.shapes.iter().map(|s| s.id.as_str()).collect();
        InputError::new(
            "--shape",
            format!("unknown shape id {id:?}; {}", suggest(id, &ids)),
        )
    }

    /// A catalog file's path as the user gave the folder, for error messages.
    fn file(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    pub fn gpu_vm(&self, id: &str) -> Result<&GpuVm, InputError> {
        find(
            &self.gpu_vms,
            id,
            |g| &g.id,
            &self.file("azure_gpu_vms.csv"),
            "GPU VM",
        )
    }

    pub fn workload(&self, id: &str) -> Result<&TrainingWorkload, InputError> {
        find(
            &self.workloads,
            id,
            |w| &w.id,
            &self.file("workloads_mlperf.csv"),
            "workload",
        )
    }

    pub fn model(&self, id: &str) -> Result<&LlmModel, InputError> {
        find(
            &self.models,
            id,
            |m| &m.id,
            &self.file("llm_models.csv"),
            "model",
        )
    }

    pub fn assumption(&self, name: &str) -> Result<&Param, InputError> {
        self.assumptions.get(name).ok_or_else(|| {
            InputError::new(self.file("assumptions.csv"), "missing assumption").field(name)
        })
    }

    /// Replaces a number by name and marks it user-supplied. `id` is a shape id or
    /// `"assumptions"`. Fields must already exist: an override can correct a number,
    /// not invent a parameter the model never reads.
    pub fn apply_override(&mut self, id: &str, field: &str, value: f64) -> Result<(), InputError> {
        self.replace(id, field, value, |old| {
            Param::new(
                value,
                format!("user override (was {} from {})", old.value, old.source),
                Confidence::User,
            )
        })
    }

    /// Replaces a number by one a proof of concept measured (`vastplan calibrate`):
    /// confidence `measured`, `source` naming the result files. Same checks as an override.
    pub fn apply_measured(
        &mut self,
        id: &str,
        field: &str,
        value: f64,
        source: &str,
    ) -> Result<(), InputError> {
        self.replace(id, field, value, |old| {
            Param::new(
                value,
                format!("{source} (was {} from {})", old.value, old.source),
                Confidence::Measured,
            )
        })
    }

    fn replace(
        &mut self,
        id: &str,
        field: &str,
        value: f64,
        user: impl Fn(&Param) -> Param,
    ) -> Result<(), InputError> {
        rules::rule(field)
            .check(value)
            .map_err(|m| InputError::new("override", format!("{id}.{field}: {m}")).field(field))?;
        if id == ASSUMPTIONS {
            let known: Vec<String> = self.assumptions.keys().cloned().collect();
            let p = self.assumptions.get_mut(field).ok_or_else(|| {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                InputError::new(
                    "override",
                    format!("unknown assumption; {}", suggest(field, &known)),
                )
                .field(field)
            })?;
            *p = user(p);
            return Ok(());
        }
        let err = self.unknown_shape(id);
        let shape = self.shapes.iter_mut().find(|s| s.id == id).ok_or(err)?;
        if shape.info.contains_key(field) {
            return Err(InputError::new(
                "override",
                format!("{id}.{field} is descriptive: no model reads it, so an override would change nothing"),
            )
            .field(field));
        }
        let known: Vec<String> = shape.params.keys().cloned().collect();
        let p = shape.params.get_mut(field).ok_or_else(|| {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            InputError::new(
                "override",
                format!(
                    "shape {id} has no field `{field}`; {}",
                    suggest(field, &known)
                ),
            )
            .field(field)
        })?;
        *p = user(p);
        Ok(())
    }
}

/// The hint after an unknown id: "did you mean X?" naming the nearest known ids, or the
/// whole list when none is near.
pub fn suggest(want: &str, have: &[&str]) -> String {
    let close = close_matches(want, have);
    if close.is_empty() {
        format!("known: {}", have.join(", "))
    } else {
        format!("did you mean {}?", close.join(", "))
    }
}

/// The ids nearest to `want` (case-insensitive): those at the smallest edit distance, if
/// it is at most 3 or one contains the other; at most five.
pub fn close_matches<'a>(want: &str, have: &[&'a str]) -> Vec<&'a str> {
    let w = want.to_lowercase();
    let mut scored: Vec<(usize, &str)> = have
        .iter()
        .filter_map(|h| {
            let l = h.to_lowercase();
            let d = edit_distance(&w, &l);
            if d <= 3 || l.contains(&w) || w.contains(&l) {
                Some((d, *h))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    // Only the nearest: "GB200" is one edit from B200 and three from H100; naming both
    // would hide the answer.
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| *d == best)
        .take(5)
        .map(|(_, h)| h)
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_matches_finds_typos() {
        let ids = ["L96as_v5", "L96s_v4", "blob-hdd-lrs"];
        assert_eq!(close_matches("L96as_v6", &ids)[0], "L96as_v5");
        assert!(close_matches("zzzzzzzzzz", &ids).is_empty());
    }
}
