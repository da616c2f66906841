//! `vastplan durability`: how many nines one candidate has, next to the other layout rule
//! and Azure Blob's codes under the same drives, failure rates and rebuild bandwidth.

use super::table::{num, para, Table};
use super::{apply_sets, check_counts, check_flag, Format};
use crate::error::CliError;
use clap::{Args, ValueEnum};
use std::io::Write;
use vastplan_models::durability::candidate::{candidate, nines_of, Candidate, Layout, Overrides};
use vastplan_models::durability::HOURS_PER_YEAR;
use vastplan_models::durability::{blob, evaluate, DurabilityInput, DurabilityOutput};
use vastplan_models::sizing::counts_for;
use vastplan_models::Catalog;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// At most `vast_strips_per_failure_domain` (2) strips of a stripe per node: DBox-HA.
    #[default]
    Ha,
    /// No per-node limit (VAST Classic layout).
    Classic,
}

#[derive(Args, Debug)]
pub struct DurabilityArgs {
    /// Shape id from the catalog (`vastplan shapes`).
    #[arg(long, value_name = "ID")]
    pub shape: String,
    /// Storage nodes (DBoxes, EBoxes, VMs, servers); each is one failure domain.
    #[arg(long)]
    pub nodes: u64,
    /// CNodes of a disaggregated VAST shape, which decode rebuilds (default: the shape's
    /// minimum).
    #[arg(long)]
    pub cnodes: Option<u32>,
    /// Drive failures per drive-year [default: assumption durability_drive_afr].
    #[arg(long)]
    pub afr: Option<f64>,
    /// Events per node-year that destroy its contents (a VM moved off its host loses its
    /// local NVMe) [default: by kind, from assumptions].
    #[arg(long)]
    pub node_loss_per_year: Option<f64>,
    /// Outages per node-year, data intact but unreadable [default: by kind].
    #[arg(long)]
    pub node_outage_per_year: Option<f64>,
    /// Mean outage length, hours [default: by kind].
    #[arg(long)]
    pub node_outage_hours: Option<f64>,
    /// Aggregate rebuild bandwidth, GB/s (10^9 B/s) [default: the cluster's rebuild
    /// ceiling on the same pools the simulation uses × durability_rebuild_share].
    #[arg(long, value_name = "GB/s")]
    pub rebuild_gbs: Option<f64>,
    /// Fraction of each drive holding data to rebuild [default: durability_fill].
    #[arg(long)]
    pub fill: Option<f64>,
    /// Strip (VAST) or extent (Blob) size, KiB [default: vast_strip_bytes / blob_extent_bytes].
    #[arg(long, value_name = "KiB")]
    pub strip_kib: Option<f64>,
    #[arg(long, value_enum, default_value_t)]
    pub layout: LayoutArg,
    /// Override a number: SHAPE.FIELD=VALUE or assumptions.NAME=VALUE (repeatable).
    #[arg(long = "set", value_name = "ID.FIELD=VALUE")]
    pub sets: Vec<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Show every column of the terminal table (placement limit, stripes, MTTDL), not
    /// just those that fit 120 columns.
    #[arg(long)]
    pub wide: bool,
}

struct Row {
    model: String,
    input: DurabilityInput,
    output: DurabilityOutput,
}

pub fn run(mut catalog: Catalog, a: &DurabilityArgs, out: &mut dyn Write) -> Result<(), CliError> {
    apply_sets(&mut catalog, &a.sets)?;
    let c = &catalog;
    let shape = c.shape(&a.shape)?;
    // Each flag has the range of the assumption it replaces, reported as the flag.
    let o = Overrides {
        drive_afr: check_flag("--afr", a.afr, "durability_drive_afr", 1.0)?,
        node_loss_per_year: check_flag(
            "--node-loss-per-year",
            a.node_loss_per_year,
            "vast_box_loss_per_year",
            1.0,
        )?,
        node_outage_per_year: check_flag(
            "--node-outage-per-year",
            a.node_outage_per_year,
            "vast_box_outage_per_year",
            1.0,
        )?,
        node_outage_hours: check_flag(
            "--node-outage-hours",
            a.node_outage_hours,
            "vast_box_outage_hours",
            1.0,
        )?,
        rebuild_bytes_per_s: check_flag(
            "--rebuild-gbs",
            a.rebuild_gbs,
            "rebuild_bytes_per_s",
            1e9,
        )?,
        fill: check_flag("--fill", a.fill, "durability_fill", 1.0)?,
        strip_bytes: check_flag("--strip-kib", a.strip_kib, "vast_strip_bytes", 1024.0)?,
        layout: match a.layout {
            LayoutArg::Ha => Layout::DomainHa,
            LayoutArg::Classic => Layout::Classic,
        },
    };
    check_counts(shape, Some(a.nodes), a.cnodes)?;
    let counts = counts_for(shape, a.nodes, a.cnodes);
    // The cluster's size is the flag the user gave.
    let cand: Candidate =
        candidate(c, shape, counts, &o).map_err(|e| match e.field.as_deref() {
            Some("nodes") => CliError::input(format!("--nodes: {}", e.message)),
            _ => e.into(),
        })?;
    let mut rows = Vec::new();
    let mut push = |model: String, input: DurabilityInput| -> Result<(), CliError> {
        let output = evaluate(&input)?;
        rows.push(Row {
            model,
            input,
            output,
        });
        Ok(())
    };
    let layout_name = |l: Layout| match l {
        Layout::DomainHa => "≤2/node",
        Layout::Classic => "classic",
    };
    if shape.kind.is_vast() {
        push(
            format!("{} {}", shape.id, layout_name(o.layout)),
            cand.input.clone(),
        )?;
        // The same cluster under the other layout rule, so the rule's effect is visible.
        let other = Overrides {
            layout: match o.layout {
                Layout::DomainHa => Layout::Classic,
                Layout::Classic => Layout::DomainHa,
            },
            ..o.clone()
        };
        let alt = candidate(c, shape, counts, &other)?;
        push(
            format!("{} {}", shape.id, layout_name(other.layout)),
            alt.input,
        )?;
    } else {
        push(shape.id.clone(), cand.input.clone())?;
    }
    // Azure's codes on the same drives, rates and rebuild, one fragment per node. The
    // extent size stays the candidate's strip size so only code and placement differ.
    for (name, alt) in [
        ("Blob LRS 3 copies, same inputs", blob::lrs(&cand.input)),
        (
            "Blob LRC 12+2+2, same inputs",
            blob::lrc_12_2_2(&cand.input),
        ),
    ] {
        if alt.code != cand.input.code && alt.validate().is_ok() {
            push(name.into(), alt)?;
        }
    }

    match a.format {
        Format::Json => {
            let v = serde_json::json!({
                "shape": shape.id,
                "nodes": a.nodes,
                "compute_nodes": counts.compute,
                "headline": nines_of(c, shape, counts, &o)?,
                "inputs": cand.used,
                "rows": rows.iter().map(|r| serde_json::json!({
                    "model": r.model, "input": r.input, "output": r.output,
                })).collect::<Vec<_>>(),
            });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )?;
        }
        Format::Csv => table(&rows, true).write_csv(out)?,
        Format::Table => {
            table(&rows, false).write_text(out, a.wide)?;
            let i = &cand.input;
            writeln!(out)?;
            para(
                out,
                &format!("inputs: {} drives of {:.2} TB to rebuild, AFR {}, rebuild {:.1} GB/s aggregate ({:.2} h per drive), node loss {}/yr, outage {}/yr x {} h",
                i.drives,
                i.drive_bytes / 1e12,
                i.drive_afr,
                i.rebuild_bytes_per_s / 1e9,
                i.drive_rebuild_hours(),
                i.domain_loss_per_year,
                i.domain_outage_per_year,
                i.domain_outage_hours
            ))?;
            if let Some(lc) = cand.least_confident() {
                para(
                    out,
                    &format!(
                        "least-confident input: {} = {} ({}: {})",
                        lc.name, lc.value, lc.confidence, lc.source
                    ),
                )?;
            }
            para(
                out,
                "model: exact Markov chain over concurrent failures (models/src/durability/cluster.rs); nines = -log10 P(data loss in a year)"
            )?;
            let headline = nines_of(c, shape, counts, &o)?;
            para(
                out,
                &format!(
                    "headline (what size and plan print): {:.2} nines — {}",
                    headline.nines, headline.basis
                ),
            )?;
        }
    }
    Ok(())
}

fn sci(v: f64) -> String {
    if v.is_infinite() {
        "inf".into()
    } else if v == 0.0 {
        "0".into()
    } else {
        format!("{v:.2e}")
    }
}

fn table(rows: &[Row], exact: bool) -> Table {
    let mut t = if exact {
        Table::new(&[
            "model",
            "code",
            "drives",
            "domains",
            "max_strips_per_domain",
            "stripes",
            "drive_rebuild_hours",
            "mttdl_years",
            "p_loss_per_year",
            "nines",
            "degraded_hours_per_year",
            "unavailable_hours_per_year",
        ])
    } else {
        Table::new(&[
            "model",
            "code",
            "drives",
            "domains",
            "max/domain",
            "stripes",
            "rebuild h",
            "MTTDL years",
            "P(loss)/yr",
            "nines",
            "degraded h/yr",
            "unavail h/yr",
        ])
        .wide_only(&["max/domain", "stripes", "MTTDL years"])
    };
    for r in rows {
        let i = &r.input;
        let o = &r.output;
        let unlimited = i.strips_per_domain_max as u64 >= i.drives / i.domains;
        if exact {
            // Empty cells: no per-domain limit; no loss at all (infinite MTTDL or nines).
            t.push(vec![
                r.model.clone(),
                i.code.to_string(),
                i.drives.to_string(),
                i.domains.to_string(),
                if unlimited {
                    String::new()
                } else {
                    i.strips_per_domain_max.to_string()
                },
                num(o.stripes),
                num(i.drive_rebuild_hours()),
                num(o.mttdl_hours / HOURS_PER_YEAR),
                num(o.p_loss_per_year),
                num(o.nines),
                num(o.degraded_hours_per_year),
                num(o.unavailable_hours_per_year),
            ]);
        } else {
            t.push(vec![
                r.model.clone(),
                i.code.to_string(),
                i.drives.to_string(),
                i.domains.to_string(),
                if unlimited {
                    "-".to_string()
                } else {
                    i.strips_per_domain_max.to_string()
                },
                sci(o.stripes),
                format!("{:.3}", i.drive_rebuild_hours()),
                sci(o.mttdl_hours / HOURS_PER_YEAR),
                sci(o.p_loss_per_year),
                if o.nines.is_finite() {
                    format!("{:.2}", o.nines)
                } else {
                    "inf".into()
                },
                format!("{:.2}", o.degraded_hours_per_year),
                sci(o.unavailable_hours_per_year),
            ]);
        }
    }
    t
}
