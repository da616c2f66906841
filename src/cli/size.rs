//! `vastplan size`: every candidate shape sized for one logical capacity, side by side.

use super::table::{fixed, grouped, money, num, para, Table};
use super::{apply_sets, drr_param, Format};
use crate::error::CliError;
use clap::Args;
use std::io::Write;
use vastplan_models::bandwidth::{nodes_for_bandwidth, BandwidthFit, BandwidthQuery};
use vastplan_models::durability::candidate::{nines_of, Nines, Overrides};
use vastplan_models::netmodel::NetOptions;
use vastplan_models::plan::{cnodes_for_durability, DEFAULT_DURABILITY_NINES};
use vastplan_models::sizing::{size, size_at, Request, Sizing};
use vastplan_models::units::Bytes;
use vastplan_models::Catalog;

/// The largest request `size` takes, PB.
pub const MAX_LOGICAL_PB: f64 = 1e6;

#[derive(Args, Debug)]
pub struct SizeArgs {
    /// Logical capacity to hold, PB (10^15 bytes).
    #[arg(long, value_name = "PB")]
    pub logical_pb: f64,
    /// Data-reduction ratio for VAST shapes (overrides --workload).
    #[arg(long)]
    pub drr: Option<f64>,
    /// Workload whose typical data-reduction ratio to use (assumption `drr_<workload>`).
    #[arg(long, default_value = "ai_training")]
    pub workload: String,
    /// Only these shape ids (repeatable); default: every shape in the catalog.
    #[arg(long = "shape", value_name = "ID")]
    pub shapes: Vec<String>,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    /// Also carry this client read, GB/s: bandwidth-driven sizing joins capacity-driven
    /// sizing and the larger node count wins.
    #[arg(long, value_name = "GB/s")]
    pub read_gbs: Option<f64>,
    /// Also carry this client write, GB/s.
    #[arg(long, value_name = "GB/s")]
    pub write_gbs: Option<f64>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Show every column of the terminal table (kind, raw and logical PB, TCO, the
    /// least-confident input), not just those that fit 120 columns.
    #[arg(long)]
    pub wide: bool,
}

pub fn run(mut c: Catalog, a: &SizeArgs, out: &mut dyn Write) -> Result<(), CliError> {
    apply_sets(&mut c, &a.sets)?;
    if !(a.logical_pb.is_finite() && a.logical_pb > 0.0) {
        return Err(CliError::input(format!(
            "--logical-pb must be positive, got {}",
            a.logical_pb
        )));
    }
    // A zettabyte is a million PB; past that no catalog shape sizes sensibly.
    if a.logical_pb > MAX_LOGICAL_PB {
        return Err(CliError::input(format!(
            "--logical-pb must be at most {MAX_LOGICAL_PB} (1 ZB), got {:?}",
            a.logical_pb
        )));
    }
    let drr = drr_param(&c, a.drr, &a.workload)?;
    let mut req = Request::new(Bytes::from_pb(a.logical_pb), drr);
    req.read_bps = a.read_gbs.unwrap_or(0.0) * 1e9;
    req.write_bps = a.write_gbs.unwrap_or(0.0) * 1e9;
    let ids: Vec<String> = if a.shapes.is_empty() {
        c.shapes.iter().map(|s| s.id.clone()).collect()
    } else {
        a.shapes.clone()
    };
    let mut rows = Vec::new();
    let mut durability = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for id in &ids {
        let shape = c.shape(id)?;
        let mut r = size(&c, shape, &req)?;
        if a.read_gbs.is_some() || a.write_gbs.is_some() {
            let (rd, wr) = (a.read_gbs.unwrap_or(0.0), a.write_gbs.unwrap_or(0.0));
            if !(rd.is_finite() && wr.is_finite() && rd >= 0.0 && wr >= 0.0) {
                return Err(CliError::input(
                    "--read-gbs and --write-gbs must be zero or positive",
                ));
            }
            let q = BandwidthQuery {
                drr: req.drr.value.max(1.0),
                opts: NetOptions::default(),
                client_vms: 0,
                read: rd * 1e9,
                write: wr * 1e9,
                min: r.counts(),
            };
            match nodes_for_bandwidth(&c, shape, &q)? {
                BandwidthFit::Fits(n) if n != r.counts() => {
                    notes.push(if shape.is_disaggregated() {
                        format!(
                            "{id}: {} DBoxes + {} CNodes hold the capacity; {} DBoxes + {} CNodes carry the bandwidth",
                            r.nodes, r.compute_nodes, n.storage, n.compute
                        )
                    } else {
                        format!(
                            "{id}: {} nodes hold the capacity; {} carry the bandwidth",
                            r.nodes, n.storage
                        )
                    });
                    r = size_at(&c, shape, &req, n)?;
                }
                BandwidthFit::Fits(_) => {}
                BandwidthFit::Unreachable(what) => {
                    notes.push(format!("{id}: the bandwidth cannot be reached ({what})"));
                }
            }
        }
        // Durability at the sized count with the default assumptions; a shape the model
        // cannot place (too few nodes for its code) shows no figure rather than failing
        // the whole table.
        // CNodes decode rebuilds: add them where the default durability target needs it.
        if let Some(n) = cnodes_for_durability(
            &c,
            shape,
            r.counts(),
            &Overrides::default(),
            DEFAULT_DURABILITY_NINES,
        )? {
            notes.push(format!(
                "{id}: {} CNodes reach {DEFAULT_DURABILITY_NINES} nines (rebuilds are decoded by CNodes); {} did not",
                n.compute, r.compute_nodes
            ));
            r = size_at(&c, shape, &req, n)?;
        }
        durability.push(nines_of(&c, shape, r.counts(), &Overrides::default()).ok());
        rows.push(r);
    }
    match a.format {
        Format::Json => {
            let v = serde_json::json!({
                "request": {"logical_pb": a.logical_pb, "drr": req.drr},
                "rows": rows,
                "durability": rows.iter().zip(&durability).map(|(r, d)| serde_json::json!({
                    "shape": r.shape, "durability": d,
                })).collect::<Vec<_>>(),
            });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )?;
        }
        Format::Csv => table(&rows, &durability, true).write_csv(out)?,
        Format::Table => {
            table(&rows, &durability, false).write_text(out, a.wide)?;
            for n in &notes {
                para(out, n)?;
            }
        }
    }
    // Warnings go to stderr in every format, so CSV and JSON stay machine-readable.
    for r in &rows {
        for w in &r.warnings {
            super::warn(&format!("{}: {w}", r.shape));
        }
    }
    Ok(())
}

fn table(rows: &[Sizing], durability: &[Option<Nines>], exact: bool) -> Table {
    let mut t = if exact {
        Table::new(&[
            "shape",
            "kind",
            "nodes",
            "compute_nodes",
            "racks",
            "rack_bound",
            "raw_pb",
            "usable_pb",
            "usable_pb_formula",
            "logical_pb",
            "stripe_data_strips",
            "stripe_parity_strips",
            "nines",
            "durability_basis",
            "kw_avg",
            "kw_facility",
            "capex_usd",
            "usd_per_month_hardware",
            "usd_per_month_software",
            "usd_per_month_facility",
            "usd_per_month_network",
            "usd_per_month_support",
            "usd_per_month",
            "usd_per_usable_tb_month",
            "tco_3y_usd",
            "tco_5y_usd",
            "least_confident_input",
            "least_confidence",
        ])
    } else {
        Table::new(&[
            "shape",
            "kind",
            "nodes",
            "cnodes",
            "racks",
            "raw PB",
            "usable PB",
            "logical PB",
            "stripe",
            "nines",
            "kW",
            "$/month",
            "$/TB-mo",
            "TCO 5y",
            "weakest",
            "least-confident input",
        ])
        .wide_only(&[
            "kind",
            "raw PB",
            "logical PB",
            "TCO 5y",
            "least-confident input",
        ])
    };
    for (r, d) in rows.iter().zip(durability) {
        let c = &r.capacity;
        let lc = r.least_confident();
        let stripe = if c.stripe_data > 0 {
            format!("{}+{}", c.stripe_data, c.stripe_parity)
        } else {
            "-".into()
        };
        let nines = match d {
            Some(d) if exact => num(d.nines),
            Some(d) if d.nines.is_finite() => format!("{:.1}", d.nines),
            Some(_) => "inf".into(),
            None if exact => String::new(),
            None => "-".into(),
        };
        if exact {
            let k = &r.cost;
            t.push(vec![
                r.shape.clone(),
                r.kind.to_string(),
                r.nodes.to_string(),
                r.compute_nodes.to_string(),
                r.racks.to_string(),
                r.rack_bound.as_str().to_string(),
                num(c.raw.pb()),
                num(c.usable.pb()),
                num(c.usable_formula.pb()),
                num(c.logical.pb()),
                strips(c.stripe_data),
                strips(c.stripe_parity),
                nines,
                d.as_ref().map_or(String::new(), |d| d.basis.clone()),
                num(r.kw_avg),
                num(r.kw_facility),
                fixed(r.capex_usd, 2),
                fixed(k.hardware, 2),
                fixed(k.software, 2),
                fixed(k.facility, 2),
                fixed(k.network, 2),
                fixed(k.support, 2),
                fixed(r.usd_per_month, 2),
                fixed(r.usd_per_usable_tb_month, 4),
                fixed(r.tco_3y_usd, 2),
                fixed(r.tco_5y_usd, 2),
                lc.name.clone(),
                lc.confidence.to_string(),
            ]);
        } else {
            t.push(vec![
                r.shape.clone(),
                r.kind.to_string(),
                grouped(r.nodes as f64),
                grouped(r.compute_nodes as f64),
                r.racks.to_string(),
                format!("{:.1}", c.raw.pb()),
                format!("{:.1}", c.usable.pb()),
                format!("{:.1}", c.logical.pb()),
                stripe,
                nines,
                format!("{:.0}", r.kw_avg),
                money(r.usd_per_month),
                format!("{:.2}", r.usd_per_usable_tb_month),
                money(r.tco_5y_usd),
                lc.confidence.to_string(),
                lc.name.clone(),
            ]);
        }
    }
    t
}

/// Strips of a stripe for CSV: empty where the shape has no VAST stripe (Blob).
fn strips(n: impl Into<u64>) -> String {
    let n: u64 = n.into();
    if n > 0 {
        n.to_string()
    } else {
        String::new()
    }
}
